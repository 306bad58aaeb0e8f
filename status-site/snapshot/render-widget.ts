import { formatDateTime, formatTime } from '../src/i18n/format.ts';
import { escapeXml, stateWordsOf, TONE_FILL, type BadgeStatus } from './render-badge.ts';
import { STALE_MARKER } from './snapshot-store.ts';

/**
 * The page's widget: a small HTML page for an intranet's `<iframe>`, with
 * the page's state and each component's in words, and a link to the full
 * page, and when its data was read. No script; styles inline (the site's
 * CSP allows inline styles). Undefined for a language the page lacks.
 *
 * Like the site's pages it carries the hidden out-of-date warning: the
 * snapshot server shows it when the data could not be refreshed for a
 * while (serve-snapshot.ts), so an intranet never shows old states as now.
 */
export function renderWidget(status: BadgeStatus, args: { language?: string }): string | undefined {
  const words = stateWordsOf(status, args.language);
  if (!words) return undefined;
  const { language, t } = words;
  const { generatedAt } = status;
  const timeZone = status.page.timeZone;
  const href = `/pages/${encodeURIComponent(status.page.id)}/${language === status.page.defaultLanguage ? '' : `${language}/`}`;
  const rows = words.components
    .map((c) => `<li><span>${escapeXml(c.name)}</span> <strong style="color:${TONE_FILL[c.tone]}">${escapeXml(c.text)}</strong></li>`)
    .join('');
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(`${words.pageName}: ${words.overall.text}`)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:.5rem;color:#1b1f24;background:#fff}h1{font-size:1rem;margin:0 0 .25rem}ul{list-style:none;margin:0;padding:0}.updated{color:#4a4a4a;font-size:.8rem;margin:.25rem 0 0}.stale{border:2px solid #b3261e;border-radius:.25rem;padding:.25rem .5rem;margin:0 0 .25rem;font-weight:600}[hidden]{display:none}li{display:flex;justify-content:space-between;gap:.5rem;border-top:1px solid #d0d5db;padding:.2rem 0}a{color:#1f4f8f}</style>
</head><body><main>
<h1>${escapeXml(words.pageName)}</h1>
<p class="stale" ${STALE_MARKER}><span aria-hidden="true">⚠ </span>${escapeXml(t('staleWarning', { time: formatDateTime(generatedAt, language, timeZone) }))}</p>
<p><strong style="color:${TONE_FILL[words.overall.tone]}">${escapeXml(words.overall.text)}</strong></p>
<ul>${rows}</ul>
<p class="updated">${escapeXml(t('generatedAt'))} <time datetime="${escapeXml(generatedAt)}">${escapeXml(formatTime(generatedAt, language, timeZone))}</time></p>
<p><a href="${href}" target="_blank" rel="noopener">${escapeXml(words.pageName)}</a></p>
</main></body></html>
`;
}
