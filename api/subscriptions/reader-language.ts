import { PAGE_TEXTS } from './page-texts.ts';

/** Norwegian asked for in general is answered in Bokmål. */
const ALIASES: Record<string, string> = { no: 'nb', nn: 'nb' };

/**
 * The language a subscription page speaks before any subscriber is known: the
 * one the link or form carries (`lang`), else the best of the browser's
 * `Accept-Language` the pages are written in, else English.
 *
 * @example readerLanguage({ carried: undefined, acceptLanguage: 'da-DK,da;q=0.9,en;q=0.8' }) // 'da'
 */
export function readerLanguage(args: { carried: string | undefined; acceptLanguage: string | undefined }): string {
  if (args.carried && PAGE_TEXTS[args.carried]) return args.carried;
  const wanted = (args.acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      const primary = tag.toLowerCase().split('-')[0] ?? '';
      return { language: ALIASES[primary] ?? primary, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((w) => w.q > 0 && PAGE_TEXTS[w.language])
    // the highest weight wins; among equals, the one named first
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return wanted[0]?.language ?? 'en';
}
