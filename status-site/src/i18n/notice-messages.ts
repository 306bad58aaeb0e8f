import type { SiteLanguage } from './messages.ts';

/**
 * Our own words around what third parties report (their text is shown as
 * they wrote it); kept beside the main catalogue so the feature is one place.
 */
const en = {
  reportThirdParty: 'Of the downtime, while a service it depends on had a problem',
  heading: 'Reported by third parties',
  reportsProblem: '{name} reports a problem',
  reportsAdvisory: '{name} reports',
  plannedMaintenance: '{name}: planned maintenance',
  sourceLink: 'Read more on the page of {name}',
  lastRead: 'Last read {time}',
  dependsOnProblem: 'Depends on {name}, which reports a problem',
  thirdPartyWindow: 'Planned by {name}, not by us',
  plannedFrom: 'From {start}',
  plannedUntil: 'Until {end}',
};
type Texts = typeof en;
const da: Texts = {
  reportThirdParty: 'Heraf nedetid, mens en tjeneste, den afhænger af, havde et problem',
  heading: 'Meldt af tredjeparter',
  reportsProblem: '{name} melder om et problem',
  reportsAdvisory: '{name} meddeler',
  plannedMaintenance: '{name}: planlagt vedligeholdelse',
  sourceLink: 'Læs mere på siden hos {name}',
  lastRead: 'Senest læst {time}',
  dependsOnProblem: 'Afhænger af {name}, som melder om et problem',
  thirdPartyWindow: 'Planlagt af {name}, ikke af os',
  plannedFrom: 'Fra {start}',
  plannedUntil: 'Indtil {end}',
};
const nb: Texts = {
  reportThirdParty: 'Av nedetiden, mens en tjeneste den avhenger av, hadde et problem',
  heading: 'Meldt av tredjeparter',
  reportsProblem: '{name} melder om et problem',
  reportsAdvisory: '{name} melder',
  plannedMaintenance: '{name}: planlagt vedlikehold',
  sourceLink: 'Les mer på siden til {name}',
  lastRead: 'Sist lest {time}',
  dependsOnProblem: 'Avhenger av {name}, som melder om et problem',
  thirdPartyWindow: 'Planlagt av {name}, ikke av oss',
  plannedFrom: 'Fra {start}',
  plannedUntil: 'Til {end}',
};
const sv: Texts = {
  reportThirdParty: 'Av driftstoppet, medan en tjänst den beror på hade ett problem',
  heading: 'Rapporterat av tredje part',
  reportsProblem: '{name} rapporterar ett problem',
  reportsAdvisory: '{name} meddelar',
  plannedMaintenance: '{name}: planerat underhåll',
  sourceLink: 'Läs mer på sidan hos {name}',
  lastRead: 'Senast läst {time}',
  dependsOnProblem: 'Beror på {name}, som rapporterar ett problem',
  thirdPartyWindow: 'Planerat av {name}, inte av oss',
  plannedFrom: 'Från {start}',
  plannedUntil: 'Till {end}',
};
const it: Texts = {
  reportThirdParty: 'Del fermo, mentre un servizio da cui dipende aveva un problema',
  heading: 'Segnalato da terze parti',
  reportsProblem: '{name} segnala un problema',
  reportsAdvisory: '{name} comunica',
  plannedMaintenance: '{name}: manutenzione programmata',
  sourceLink: 'Maggiori informazioni sulla pagina di {name}',
  lastRead: 'Ultima lettura {time}',
  dependsOnProblem: 'Dipende da {name}, che segnala un problema',
  thirdPartyWindow: 'Programmata da {name}, non da noi',
  plannedFrom: 'Da {start}',
  plannedUntil: 'Fino a {end}',
};

export const NOTICE_TEXTS: Record<SiteLanguage, Texts> = { en, da, nb, sv, it };

/** The notice words in one language, with `{name}`-style values filled in. */
export function noticeTexts(language: SiteLanguage) {
  const texts = NOTICE_TEXTS[language];
  return (key: keyof Texts, values: Record<string, string> = {}) => texts[key].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `{${name}}`);
}
