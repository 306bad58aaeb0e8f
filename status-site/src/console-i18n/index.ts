import type { AstroGlobal } from 'astro';

/** The languages the console speaks: the five of the status site. */
export const CONSOLE_LANGUAGES = ['en', 'da', 'nb', 'sv', 'it'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];

/** Each language's name in itself, for the picker. */
export const LANGUAGE_NAMES: Record<ConsoleLanguage, string> = { en: 'English', da: 'Dansk', nb: 'Norsk bokmål', sv: 'Svenska', it: 'Italiano' };

/** The `lang` attribute of a console page in each language. */
export const HTML_LANG: Record<ConsoleLanguage, string> = { en: 'en-GB', da: 'da', nb: 'nb', sv: 'sv', it: 'it' };

/** The cookie that keeps the language an operator chose for the console. */
export const LANGUAGE_COOKIE = 'sv_console_lang';

/**
 * One area's strings in every console language. The type makes a key missing
 * in one language a type error, so `npm test` (which type-checks) fails on it.
 */
export type Catalogue<K extends string> = Record<ConsoleLanguage, Record<K, string>>;

export function isConsoleLanguage(value: unknown): value is ConsoleLanguage {
  return typeof value === 'string' && (CONSOLE_LANGUAGES as readonly string[]).includes(value);
}

/**
 * The operator's console language: the one chosen (kept in a cookie), else
 * the first of the browser's languages the console speaks, else English.
 * Takes a page's `Astro` or a middleware's context: both carry the cookies and the request.
 */
export function consoleLanguage(Astro: Pick<AstroGlobal, 'cookies' | 'request'>): ConsoleLanguage {
  const chosen = Astro.cookies.get(LANGUAGE_COOKIE)?.value;
  if (isConsoleLanguage(chosen)) return chosen;
  for (const part of (Astro.request.headers.get('accept-language') ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    const base = tag.split('-')[0]!;
    // Norwegian: nb, no and nn all read bokmål here
    const language = base === 'no' || base === 'nn' ? 'nb' : base;
    if (isConsoleLanguage(language)) return language;
  }
  return 'en';
}

/** Remembers the operator's choice for a year, for the console only. */
export function rememberLanguage(Astro: AstroGlobal, language: ConsoleLanguage): void {
  Astro.cookies.set(LANGUAGE_COOKIE, language, { path: '/console/', httpOnly: true, sameSite: 'strict', maxAge: 365 * 86_400 });
}

/**
 * A lookup for one catalogue in one language. `{name}` in a string is
 * replaced by `values.name`; a placeholder without a value stays as written,
 * so a forgotten value shows rather than vanishing.
 */
export function translator<K extends string>(catalogue: Catalogue<K>, language: ConsoleLanguage) {
  const strings = catalogue[language];
  return (key: K, values: Record<string, string | number> = {}): string =>
    strings[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/**
 * A count in words: `key_one` for exactly one, `key_other` otherwise (the
 * five console languages all plural this way), with `{count}` filled in.
 */
export function counted<K extends string>(t: (key: K, values?: Record<string, string | number>) => string, key: K extends `${infer Base}_one` ? Base : never, count: number): string;
export function counted(t: (key: string, values?: Record<string, string | number>) => string, key: string, count: number): string {
  return t(`${key}_${count === 1 ? 'one' : 'other'}`, { count });
}
