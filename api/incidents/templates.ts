import type { Step } from './communication-plan.ts';

export const TEMPLATE_LANGUAGES = ['da', 'en', 'nb', 'sv', 'it'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

/** Built-in texts for each step; {components} and {estimate} are filled in. */
const TEMPLATES: Record<TemplateLanguage, Record<Step, string>> = {
  da: {
    registered: 'Vi har registreret et problem med {components} og undersøger det.',
    nature: 'Problemet med {components} er nu afgrænset. Vi arbejder på en løsning.',
    status_estimate: 'Vi arbejder fortsat på at løse problemet med {components}. Forventet løst: {estimate}.',
    running_status: 'Status: arbejdet med {components} fortsætter. Forventet løst: {estimate}.',
    operation_normal: '{components} kører normalt igen.',
    post_incident_report: 'Opfølgning: her er en beskrivelse af problemet med {components} og hvad vi har gjort.',
  },
  en: {
    registered: 'We have registered a problem with {components} and are investigating.',
    nature: 'The problem with {components} has been identified. We are working on a fix.',
    status_estimate: 'We are still working on the problem with {components}. Expected fix: {estimate}.',
    running_status: 'Status: work on {components} continues. Expected fix: {estimate}.',
    operation_normal: '{components} is operating normally again.',
    post_incident_report: 'Follow-up: what happened to {components} and what we did about it.',
  },
  nb: {
    registered: 'Vi har registrert et problem med {components} og undersøker det.',
    nature: 'Problemet med {components} er identifisert. Vi jobber med en løsning.',
    status_estimate: 'Vi jobber fortsatt med problemet med {components}. Forventet løst: {estimate}.',
    running_status: 'Status: arbeidet med {components} fortsetter. Forventet løst: {estimate}.',
    operation_normal: '{components} fungerer normalt igjen.',
    post_incident_report: 'Oppfølging: hva som skjedde med {components} og hva vi gjorde.',
  },
  sv: {
    registered: 'Vi har registrerat ett problem med {components} och undersöker det.',
    nature: 'Problemet med {components} är identifierat. Vi arbetar med en lösning.',
    status_estimate: 'Vi arbetar fortfarande med problemet med {components}. Beräknas vara löst: {estimate}.',
    running_status: 'Status: arbetet med {components} fortsätter. Beräknas vara löst: {estimate}.',
    operation_normal: '{components} fungerar normalt igen.',
    post_incident_report: 'Uppföljning: vad som hände med {components} och vad vi gjorde.',
  },
  it: {
    registered: 'Abbiamo registrato un problema con {components} e lo stiamo analizzando.',
    nature: 'Il problema con {components} è stato individuato. Stiamo lavorando a una soluzione.',
    status_estimate: 'Stiamo ancora lavorando al problema con {components}. Risoluzione prevista: {estimate}.',
    running_status: 'Aggiornamento: il lavoro su {components} prosegue. Risoluzione prevista: {estimate}.',
    operation_normal: '{components} funziona di nuovo regolarmente.',
    post_incident_report: 'Resoconto: cosa è successo a {components} e cosa abbiamo fatto.',
  },
};

const UNKNOWN_ESTIMATE: Record<TemplateLanguage, string> = { da: 'ikke kendt endnu', en: 'not known yet', nb: 'ikke kjent ennå', sv: 'inte känt ännu', it: 'non ancora nota' };

const LOCALES: Record<TemplateLanguage, string> = { da: 'da-DK', en: 'en-GB', nb: 'nb-NO', sv: 'sv-SE', it: 'it-IT' };

/** The placeholder an operator's text may keep: replaced by the estimated fix time, written in the text's language, when published. */
export const ESTIMATE_PLACEHOLDER = '{estimate}';

/**
 * The step's text in each of the given languages with the components named
 * and `{estimate}` kept, as the console offers it to be edited before publishing.
 */
export function templateTexts(args: { step: Step; languages: readonly TemplateLanguage[]; components: Partial<Record<TemplateLanguage, string>> }): Record<string, string> {
  return Object.fromEntries(
    args.languages.map((language) => {
      const text = TEMPLATES[language][args.step].replace('{components}', args.components[language] ?? args.components.en ?? '');
      return [language, text.charAt(0).toUpperCase() + text.slice(1)];
    }),
  );
}

/** Replaces `{estimate}` in a text with the estimated fix time in the text's language and the page's zone ("not known yet" without one). */
export function fillEstimate(args: { text: string; language: string; estimate: Date | null; timeZone: string }): string {
  if (!args.text.includes(ESTIMATE_PLACEHOLDER)) return args.text;
  const language = (TEMPLATE_LANGUAGES as readonly string[]).includes(args.language) ? (args.language as TemplateLanguage) : 'en';
  const estimate = args.estimate
    ? new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone: args.timeZone }).format(args.estimate)
    : UNKNOWN_ESTIMATE[language];
  return args.text.replaceAll(ESTIMATE_PLACEHOLDER, estimate);
}

/** The step's text in each of the given languages, filled in. */
export function renderTemplate(args: { step: Step; languages: readonly TemplateLanguage[]; components: Partial<Record<TemplateLanguage, string>>; estimate: Date | null; timeZone: string }): Record<string, string> {
  const texts = templateTexts(args);
  return Object.fromEntries(Object.entries(texts).map(([language, text]) => [language, fillEstimate({ text, language, estimate: args.estimate, timeZone: args.timeZone })]));
}
