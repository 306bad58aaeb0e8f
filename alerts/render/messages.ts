/**
 * Every word the mails say, per language. The type makes a key missing in
 * one catalogue a compile error; `{name}` placeholders are filled in by
 * `fill`.
 */
export const MAIL_LANGUAGES = ['da', 'nb', 'sv', 'it', 'en'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

const en = {
  locale: 'en-GB',
  languageName: 'English',
  status_investigating: 'Investigating',
  status_identified: 'Identified',
  status_monitoring: 'Monitoring',
  status_resolved: 'Resolved',
  status_postmortem: 'Follow-up',
  affects: 'Affects',
  published: 'Published',
  expectedFix: 'Expected fix',
  noTranslation: 'This text has not been translated into English; it is shown in {language}.',
  seePage: 'See the status page',
  footerReason: 'You get this mail because you subscribed to {page}.',
  manage: 'Change components or language',
  unsubscribe: 'Unsubscribe',
  windowAnnouncedSubject: 'Planned maintenance: {title}',
  windowStartedSubject: 'Maintenance started: {title}',
  windowOverrunningSubject: 'Maintenance overrunning: {title}',
  windowEndedSubject: 'Maintenance ended: {title}',
  windowCancelledSubject: 'Maintenance cancelled: {title}',
  windowAnnounced: 'Maintenance is planned from {start} to {end}.',
  windowStarted: 'The maintenance started at {start}. It is planned to end at {end}.',
  windowOverrunning: 'The maintenance was planned to end at {end} and is still in progress. You will get a mail when it has ended.',
  windowEnded: 'The maintenance ended at {end}.',
  windowCancelled: 'The maintenance planned from {start} to {end} has been cancelled.',
  windowOverrun: 'It runs past its planned end, until {end}.',
  confirmSubject: 'Confirm your subscription to {page}',
  confirmIntro: 'Someone, hopefully you, asked to receive mail about {page} at this address.',
  confirmAction: 'Confirm the subscription',
  confirmExpiry: 'The link works once and expires in 24 hours. If you did not ask for this, ignore this mail: nothing more will be sent.',
};
type Catalogue = typeof en;

const da: Catalogue = {
  locale: 'da-DK',
  languageName: 'dansk',
  status_investigating: 'Undersøges',
  status_identified: 'Afgrænset',
  status_monitoring: 'Overvåges',
  status_resolved: 'Løst',
  status_postmortem: 'Opfølgning',
  affects: 'Berører',
  published: 'Offentliggjort',
  expectedFix: 'Forventet løst',
  noTranslation: 'Teksten er ikke oversat til dansk; den vises på {language}.',
  seePage: 'Se statussiden',
  footerReason: 'Du får denne mail, fordi du abonnerer på {page}.',
  manage: 'Skift komponenter eller sprog',
  unsubscribe: 'Afmeld',
  windowAnnouncedSubject: 'Planlagt vedligeholdelse: {title}',
  windowStartedSubject: 'Vedligeholdelse begyndt: {title}',
  windowOverrunningSubject: 'Vedligeholdelse trækker ud: {title}',
  windowEndedSubject: 'Vedligeholdelse afsluttet: {title}',
  windowCancelledSubject: 'Vedligeholdelse aflyst: {title}',
  windowAnnounced: 'Der er planlagt vedligeholdelse fra {start} til {end}.',
  windowStarted: 'Vedligeholdelsen begyndte {start}. Den forventes afsluttet {end}.',
  windowOverrunning: 'Vedligeholdelsen skulle have sluttet {end} og er stadig i gang. Du får en mail, når den er afsluttet.',
  windowEnded: 'Vedligeholdelsen sluttede {end}.',
  windowCancelled: 'Vedligeholdelsen planlagt fra {start} til {end} er aflyst.',
  windowOverrun: 'Den varer ud over det planlagte, til {end}.',
  confirmSubject: 'Bekræft dit abonnement på {page}',
  confirmIntro: 'Nogen, forhåbentlig dig, har bedt om at få mails om {page} på denne adresse.',
  confirmAction: 'Bekræft abonnementet',
  confirmExpiry: 'Linket virker én gang og udløber om 24 timer. Har du ikke bedt om det, så se bort fra denne mail: der sendes ikke mere.',
};

const nb: Catalogue = {
  locale: 'nb-NO',
  languageName: 'norsk',
  status_investigating: 'Undersøkes',
  status_identified: 'Identifisert',
  status_monitoring: 'Overvåkes',
  status_resolved: 'Løst',
  status_postmortem: 'Oppfølging',
  affects: 'Berører',
  published: 'Publisert',
  expectedFix: 'Forventet løst',
  noTranslation: 'Teksten er ikke oversatt til norsk; den vises på {language}.',
  seePage: 'Se statussiden',
  footerReason: 'Du får denne e-posten fordi du abonnerer på {page}.',
  manage: 'Endre komponenter eller språk',
  unsubscribe: 'Avslutt abonnement',
  windowAnnouncedSubject: 'Planlagt vedlikehold: {title}',
  windowStartedSubject: 'Vedlikehold startet: {title}',
  windowOverrunningSubject: 'Vedlikehold trekker ut: {title}',
  windowEndedSubject: 'Vedlikehold avsluttet: {title}',
  windowCancelledSubject: 'Vedlikehold avlyst: {title}',
  windowAnnounced: 'Det er planlagt vedlikehold fra {start} til {end}.',
  windowStarted: 'Vedlikeholdet startet {start}. Det er planlagt avsluttet {end}.',
  windowOverrunning: 'Vedlikeholdet skulle vært avsluttet {end} og pågår fortsatt. Du får en e-post når det er avsluttet.',
  windowEnded: 'Vedlikeholdet ble avsluttet {end}.',
  windowCancelled: 'Vedlikeholdet planlagt fra {start} til {end} er avlyst.',
  windowOverrun: 'Det varer lenger enn planlagt, til {end}.',
  confirmSubject: 'Bekreft abonnementet ditt på {page}',
  confirmIntro: 'Noen, forhåpentligvis du, har bedt om e-post om {page} til denne adressen.',
  confirmAction: 'Bekreft abonnementet',
  confirmExpiry: 'Lenken virker én gang og utløper om 24 timer. Har du ikke bedt om dette, kan du se bort fra e-posten: det sendes ikke mer.',
};

const sv: Catalogue = {
  locale: 'sv-SE',
  languageName: 'svenska',
  status_investigating: 'Undersöks',
  status_identified: 'Identifierat',
  status_monitoring: 'Övervakas',
  status_resolved: 'Löst',
  status_postmortem: 'Uppföljning',
  affects: 'Påverkar',
  published: 'Publicerat',
  expectedFix: 'Beräknas vara löst',
  noTranslation: 'Texten är inte översatt till svenska; den visas på {language}.',
  seePage: 'Se statussidan',
  footerReason: 'Du får detta mejl eftersom du prenumererar på {page}.',
  manage: 'Ändra komponenter eller språk',
  unsubscribe: 'Avsluta prenumerationen',
  windowAnnouncedSubject: 'Planerat underhåll: {title}',
  windowStartedSubject: 'Underhåll påbörjat: {title}',
  windowOverrunningSubject: 'Underhållet drar ut på tiden: {title}',
  windowEndedSubject: 'Underhåll avslutat: {title}',
  windowCancelledSubject: 'Underhåll inställt: {title}',
  windowAnnounced: 'Underhåll är planerat från {start} till {end}.',
  windowStarted: 'Underhållet började {start}. Det planeras vara klart {end}.',
  windowOverrunning: 'Underhållet skulle ha avslutats {end} och pågår fortfarande. Du får ett mejl när det är avslutat.',
  windowEnded: 'Underhållet avslutades {end}.',
  windowCancelled: 'Underhållet planerat från {start} till {end} är inställt.',
  windowOverrun: 'Det pågår längre än planerat, till {end}.',
  confirmSubject: 'Bekräfta din prenumeration på {page}',
  confirmIntro: 'Någon, förhoppningsvis du, har bett om mejl om {page} till den här adressen.',
  confirmAction: 'Bekräfta prenumerationen',
  confirmExpiry: 'Länken fungerar en gång och slutar gälla om 24 timmar. Om du inte har bett om detta kan du bortse från mejlet: inget mer skickas.',
};

const it: Catalogue = {
  locale: 'it-IT',
  languageName: 'italiano',
  status_investigating: 'In analisi',
  status_identified: 'Individuato',
  status_monitoring: 'Sotto osservazione',
  status_resolved: 'Risolto',
  status_postmortem: 'Resoconto',
  affects: 'Riguarda',
  published: 'Pubblicato',
  expectedFix: 'Risoluzione prevista',
  noTranslation: 'Questo testo non è tradotto in italiano; è mostrato in {language}.',
  seePage: 'Vedi la pagina di stato',
  footerReason: 'Ricevi questa e-mail perché sei iscritto a {page}.',
  manage: 'Cambia componenti o lingua',
  unsubscribe: 'Annulla l’iscrizione',
  windowAnnouncedSubject: 'Manutenzione programmata: {title}',
  windowStartedSubject: 'Manutenzione iniziata: {title}',
  windowOverrunningSubject: 'Manutenzione oltre il previsto: {title}',
  windowEndedSubject: 'Manutenzione terminata: {title}',
  windowCancelledSubject: 'Manutenzione annullata: {title}',
  windowAnnounced: 'È programmata una manutenzione dalle {start} alle {end}.',
  windowStarted: 'La manutenzione è iniziata alle {start}. La fine è prevista alle {end}.',
  windowOverrunning: 'La manutenzione doveva terminare alle {end} ed è ancora in corso. Riceverai un’e-mail quando sarà terminata.',
  windowEnded: 'La manutenzione è terminata alle {end}.',
  windowCancelled: 'La manutenzione programmata dalle {start} alle {end} è stata annullata.',
  windowOverrun: 'Si protrae oltre la fine prevista, fino alle {end}.',
  confirmSubject: 'Conferma l’iscrizione a {page}',
  confirmIntro: 'Qualcuno, speriamo tu, ha chiesto di ricevere e-mail su {page} a questo indirizzo.',
  confirmAction: 'Conferma l’iscrizione',
  confirmExpiry: 'Il link funziona una sola volta e scade tra 24 ore. Se non l’hai chiesto tu, ignora questa e-mail: non ne riceverai altre.',
};

export const MAIL_MESSAGES: Record<MailLanguage, Catalogue> = { da, nb, sv, it, en };
export type MailMessageKey = keyof Catalogue;

/** Replaces `{name}` with values; a placeholder without a value stays visible, so a test catches it. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The reader's language when mails exist in it, else the page's default, else English. */
export function mailLanguage(wanted: string, pageDefault: string): MailLanguage {
  const known = MAIL_LANGUAGES as readonly string[];
  return (known.includes(wanted) ? wanted : known.includes(pageDefault) ? pageDefault : 'en') as MailLanguage;
}
