import type { MailLanguage } from './messages.ts';

/** Our words around a third party's notice in a subscriber's mail; the third party's own text is quoted as it came. */
const en = {
  subjectProblem: '{name} reports a problem: {title}',
  subjectMaintenance: '{name}: planned maintenance: {title}',
  subjectUpdated: 'Update from {name}: {title}',
  subjectEnded: '{name} no longer reports: {title}',
  intro: '{name}, which our services depend on, reports this on its own status page.',
  ended: '{name} no longer lists this notice, so by its account it is over.',
  planned: 'Planned from {start} to {end}.',
  theirWords: 'In the words of {name}:',
  sourceLink: 'Read more on the page of {name}',
};
type Texts = typeof en;
const da: Texts = {
  subjectProblem: '{name} melder om et problem: {title}',
  subjectMaintenance: '{name}: planlagt vedligeholdelse: {title}',
  subjectUpdated: 'Opdatering fra {name}: {title}',
  subjectEnded: '{name} melder ikke længere: {title}',
  intro: '{name}, som vores tjenester afhænger af, melder dette på sin egen statusside.',
  ended: '{name} viser ikke længere denne meddelelse, så efter deres opgørelse er den ovre.',
  planned: 'Planlagt fra {start} til {end}.',
  theirWords: 'Med {name}s egne ord:',
  sourceLink: 'Læs mere på siden hos {name}',
};
const nb: Texts = {
  subjectProblem: '{name} melder om et problem: {title}',
  subjectMaintenance: '{name}: planlagt vedlikehold: {title}',
  subjectUpdated: 'Oppdatering fra {name}: {title}',
  subjectEnded: '{name} melder ikke lenger: {title}',
  intro: '{name}, som tjenestene våre er avhengige av, melder dette på sin egen statusside.',
  ended: '{name} viser ikke lenger denne meldingen, så etter deres syn er den over.',
  planned: 'Planlagt fra {start} til {end}.',
  theirWords: 'Med ordene til {name}:',
  sourceLink: 'Les mer på siden til {name}',
};
const sv: Texts = {
  subjectProblem: '{name} rapporterar ett problem: {title}',
  subjectMaintenance: '{name}: planerat underhåll: {title}',
  subjectUpdated: 'Uppdatering från {name}: {title}',
  subjectEnded: '{name} rapporterar inte längre: {title}',
  intro: '{name}, som våra tjänster är beroende av, rapporterar detta på sin egen statussida.',
  ended: '{name} visar inte längre detta meddelande, så enligt dem är det över.',
  planned: 'Planerat från {start} till {end}.',
  theirWords: 'Med {name}s egna ord:',
  sourceLink: 'Läs mer på sidan hos {name}',
};
const it: Texts = {
  subjectProblem: '{name} segnala un problema: {title}',
  subjectMaintenance: '{name}: manutenzione programmata: {title}',
  subjectUpdated: 'Aggiornamento da {name}: {title}',
  subjectEnded: '{name} non segnala più: {title}',
  intro: '{name}, da cui dipendono i nostri servizi, lo segnala sulla propria pagina di stato.',
  ended: '{name} non elenca più questo avviso: secondo loro è terminato.',
  planned: 'Programmata dal {start} al {end}.',
  theirWords: 'Con le parole di {name}:',
  sourceLink: 'Maggiori informazioni sulla pagina di {name}',
};

export const NOTICE_MAIL_MESSAGES: Record<MailLanguage, Texts> = { da, nb, sv, it, en };
