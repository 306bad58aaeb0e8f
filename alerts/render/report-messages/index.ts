import type { MailLanguage } from '../messages.ts';
import { da } from './da.ts';
import { en, type ReportCatalogue } from './en.ts';
import { it } from './it.ts';
import { nb } from './nb.ts';
import { sv } from './sv.ts';

/** The words of the report and digest mails, one file per language so a translator touches one file. */
export const REPORT_MESSAGES: Record<MailLanguage, ReportCatalogue> = { da, nb, sv, it, en };
export type { ReportCatalogue };
