import { CATALOGUES, type SiteLanguage } from './messages.ts';

/**
 * A probe's failure reason (its fixed vocabulary: `dns`, `connect_refused`,
 * `tls_expired`, …) as residents read it: a plain sentence first, and the
 * technical reason for whoever wants it. A reason the catalogues do not know
 * (a newer probe) still gets a plain sentence, never a bare code.
 *
 * @example reasonWords('connect_refused', 'en', null).plain // 'The service is not accepting visitors: it is probably stopped.'
 */
export function reasonWords(reason: string, language: SiteLanguage, httpStatus: number | null): { plain: string; technical: string } {
  const catalogue = CATALOGUES[language] as Record<string, string>;
  const plain = catalogue[`explain_${reason}`] ?? catalogue.explainOther!;
  const technical = catalogue[`reason_${reason}`]?.replace('{status}', httpStatus === null ? '' : String(httpStatus)).replace(/\s*\(HTTP \)/, '') ?? reason;
  return { plain, technical };
}
