import { describe, expect, it } from 'vitest';
import { decodeEntities, toPlainText } from './plain-text.ts';

describe('toPlainText', () => {
  it.each([
    { markup: '<p>Users may see <b>delays</b> &amp; errors.</p>', text: 'Users may see delays & errors.' },
    { markup: '<p>First</p><p>Second</p>', text: 'First\nSecond' },
    { markup: 'Line one<br/>Line&nbsp;two', text: 'Line one\nLine two' },
    { markup: '<script>alert(1)</script><style>p{}</style>Text', text: 'Text' },
    { markup: '<!-- hidden -->Shown', text: 'Shown' },
    { markup: 'a    b\t\tc', text: 'a b c' },
    { markup: '&lt;b&gt;not a tag&lt;/b&gt;', text: '<b>not a tag</b>' },
    { markup: '&amp;lt; decoded once', text: '&lt; decoded once' },
    { markup: '<ul><li>one</li><li>two</li></ul>', text: 'one\ntwo' },
    { markup: '<p>a</p>\n\n\n<p>b</p>', text: 'a\nb' },
  ])('$markup → $text', ({ markup, text }) => {
    expect(toPlainText(markup)).toBe(text);
  });
});

describe('decodeEntities', () => {
  it.each([
    { text: '&#8217; &#x2019; &#X2019;', decoded: '’ ’ ’' },
    { text: 'Bl&aring;b&aelig;r &oslash;', decoded: 'Blåbær ø' },
    { text: '&unknownname; stays', decoded: '&unknownname; stays' },
    { text: '&#0; &#xD800; &#x110000;', decoded: '\ufffd \ufffd \ufffd' },
    { text: 'AT&T without semicolon', decoded: 'AT&T without semicolon' },
  ])('$text → $decoded', ({ text, decoded }) => {
    expect(decodeEntities(text)).toBe(decoded);
  });
});
