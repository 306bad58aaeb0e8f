import { localize, type LocalizedText } from '../../config/index.ts';
import { isSiteLanguage, translator, type SiteLanguage } from '../src/i18n/messages.ts';

/** The part of `/api/v1/pages/{id}/status` a badge and the widget read; a name is as the config wrote it, one text or one per language. */
export type BadgeStatus = {
  /** When the data was read: the widget says so, and warns when it grows old. */
  generatedAt: string;
  page: { id: string; name: LocalizedText; defaultLanguage: string; languages: string[]; timeZone: string };
  overall: 'none' | 'minor' | 'major' | 'critical' | 'unknown';
  groups: { components: { id: string; name: LocalizedText; state: 'up' | 'degraded' | 'down' | 'unknown'; inServiceWindow: boolean }[] }[];
};

export type Tone = 'good' | 'warn' | 'bad' | 'neutral' | 'info';
// colours with at least 4.5:1 against white text; the state is always written out too
const FILL: Record<Tone, string> = { good: '#1e6b34', warn: '#8a4b00', bad: '#b3261e', neutral: '#555f6b', info: '#1f4f8f' };

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Width of a text in 11 px sans-serif, close enough for a badge (wide letters count more). */
const textWidth = (text: string) => [...text].reduce((sum, c) => sum + (/[mwMW@]/.test(c) ? 9 : /[A-ZÆØÅÄÖ]/.test(c) ? 7.5 : /[ilj.,:;' ]/.test(c) ? 3.5 : 6.2), 0);

/**
 * An SVG status badge: "{name} | {state}" with the state in words, a
 * `<title>` and an accessible name, in `language` (the page's default
 * when undefined). Undefined when the language is not one of the page's or
 * the component is not on it, so the caller answers 404.
 */
export function renderBadge(status: BadgeStatus, args: { componentId?: string; language?: string }): string | undefined {
  const words = stateWordsOf(status, args.language);
  if (!words) return undefined;
  let label: string;
  let state: string;
  let tone: Tone;
  if (args.componentId === undefined) {
    label = words.pageName;
    ({ text: state, tone } = words.overall);
  } else {
    const component = words.components.find((c) => c.id === args.componentId);
    if (!component) return undefined;
    ({ name: label, text: state, tone } = component);
  }
  const language = words.language;
  const left = Math.ceil(textWidth(label)) + 12;
  const right = Math.ceil(textWidth(state)) + 12;
  const title = escapeXml(`${label}: ${state}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + right}" height="20" role="img" aria-label="${title}" lang="${language}"><title>${title}</title>`
    + `<rect width="${left}" height="20" fill="#333a42"/><rect x="${left}" width="${right}" height="20" fill="${FILL[tone]}"/>`
    + `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="6" y="14">${escapeXml(label)}</text><text x="${left + 6}" y="14">${escapeXml(state)}</text></g></svg>\n`;
}

/** The page's and each component's state in words and tone, in `language` (the page's default when undefined); undefined for a language the page lacks. */
export function stateWordsOf(status: BadgeStatus, requested: string | undefined) {
  const language = requested ?? status.page.defaultLanguage;
  if (!status.page.languages.includes(language) || !isSiteLanguage(language)) return undefined;
  const t = translator(language as SiteLanguage);
  // as the HTML pages read a name: one text for every language, else the reader's, else the page's default
  const fallback = isSiteLanguage(status.page.defaultLanguage) ? status.page.defaultLanguage : undefined;
  const nameIn = (name: LocalizedText) => localize(name, language as SiteLanguage, fallback);
  const overallTone: Tone = status.overall === 'none' ? 'good' : status.overall === 'minor' ? 'warn' : status.overall === 'unknown' ? 'neutral' : 'bad';
  return {
    language: language as SiteLanguage,
    t,
    pageName: nameIn(status.page.name),
    overall: { text: t(`overall_${status.overall}`), tone: overallTone },
    components: status.groups.flatMap((g) => g.components).map((c) => {
      const tone: Tone = c.inServiceWindow ? 'info' : c.state === 'up' ? 'good' : c.state === 'degraded' ? 'warn' : c.state === 'down' ? 'bad' : 'neutral';
      return { id: c.id, name: nameIn(c.name), text: t(c.inServiceWindow ? 'state_maintenance' : `state_${c.state}`), tone };
    }),
  };
}

export const TONE_FILL = FILL;
export { escapeXml };
