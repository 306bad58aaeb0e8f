import { defineMiddleware } from 'astro:middleware';
import { unavailableResponse } from './console.ts';
import { consoleLanguage, translator } from './console-i18n/index.ts';
import { unreachable } from './console-i18n/unreachable.ts';

/**
 * The console's safety net: a console page that fails while the API cannot
 * reach its database (it went away between two of the page's calls) answers
 * the same 503 page as a page that saw it coming, with what the operator
 * posted given back, never a 500 that loses the typed text.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  if (!context.url.pathname.startsWith('/console/')) return next();
  const posted = context.request.method === 'POST' ? context.request.clone() : undefined;
  try {
    return await next();
  } catch (error) {
    const ready = await context.locals.api('/readyz').then((answer) => answer.status === 200, () => false);
    if (ready) throw error;
    const form = await posted?.formData().catch(() => undefined);
    const language = consoleLanguage(context);
    return unavailableResponse(translator(unreachable, language)('databaseUnreachable'), form, language);
  }
});
