/**
 * The named entities third-party status texts use. Anything else named is
 * left as written: a reader sees "&foo;" rather than a wrong character.
 */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  deg: '°',
  times: '×',
  aelig: 'æ',
  AElig: 'Æ',
  oslash: 'ø',
  Oslash: 'Ø',
  aring: 'å',
  Aring: 'Å',
  auml: 'ä',
  Auml: 'Ä',
  ouml: 'ö',
  Ouml: 'Ö',
  uuml: 'ü',
  Uuml: 'Ü',
  eacute: 'é',
  egrave: 'è',
};

/** Tags after which a reader expects a new line, so "<p>a</p><p>b</p>" does not read "ab". */
const BLOCK_TAG = /<\/?(p|div|br|li|ul|ol|tr|h[1-6]|blockquote|pre|table|section|article)\b[^>]*>/gi;

/**
 * Third-party markup as plain text: scripts and styles dropped with their
 * content, other tags removed (block tags become line breaks), entities
 * decoded once, runs of spaces and blank lines collapsed. The result is shown as text, never
 * as HTML, so this only has to read well, not to be a sanitiser.
 *
 * @example toPlainText('<p>Users may see <b>delays</b> &amp; errors.</p>') === 'Users may see delays & errors.'
 */
export function toPlainText(markup: string): string {
  const text = markup
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(BLOCK_TAG, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '') // a status text's paragraphs read well one a line; blank lines add nothing
    .join('\n')
    .trim();
}

/** Decodes numeric (&#8217; &#x2019;) and the common named entities; a code point that is not a character becomes U+FFFD. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const codePoint = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      const isCharacter = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
      return isCharacter ? String.fromCodePoint(codePoint) : '\ufffd';
    }
    return NAMED_ENTITIES[name] ?? whole;
  });
}
