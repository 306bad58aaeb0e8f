import { escapeXml, stateWordsOf, TONE_FILL, type BadgeStatus } from './render-badge.ts';

/**
 * The page's widget: a small HTML page for an intranet's `<iframe>`, with
 * the page's state and each component's in words, and a link to the full
 * page. No script; styles inline (the site's CSP allows inline styles).
 * Undefined for a language the page lacks.
 */
export function renderWidget(status: BadgeStatus, args: { language?: string }): string | undefined {
  const words = stateWordsOf(status, args.language);
  if (!words) return undefined;
  const { language } = words;
  const href = `/pages/${encodeURIComponent(status.page.id)}/${language === status.page.defaultLanguage ? '' : `${language}/`}`;
  const rows = words.components
    .map((c) => `<li><span>${escapeXml(c.name)}</span> <strong style="color:${TONE_FILL[c.tone]}">${escapeXml(c.text)}</strong></li>`)
    .join('');
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(`${words.pageName}: ${words.overall.text}`)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:.5rem;color:#1b1f24;background:#fff}h1{font-size:1rem;margin:0 0 .25rem}ul{list-style:none;margin:0;padding:0}li{display:flex;justify-content:space-between;gap:.5rem;border-top:1px solid #d0d5db;padding:.2rem 0}a{color:#1f4f8f}</style>
</head><body><main>
<h1>${escapeXml(words.pageName)}</h1>
<p><strong style="color:${TONE_FILL[words.overall.tone]}">${escapeXml(words.overall.text)}</strong></p>
<ul>${rows}</ul>
<p><a href="${href}" target="_blank" rel="noopener">${escapeXml(words.pageName)}</a></p>
</main></body></html>
`;
}
