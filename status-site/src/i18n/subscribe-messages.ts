import type { SiteLanguage } from './messages.ts';

/** The words of the subscribe form, per language; kept beside the main catalogue so the form is one self-contained feature. */
const en = {
  link: 'Get updates by e-mail',
  heading: 'Get updates by e-mail',
  intro: 'We send a mail when an incident is updated or maintenance is planned, starts or ends, for the components you choose.',
  email: 'E-mail address',
  emailHint: 'We send a confirmation link first; nothing else is sent until you click it.',
  components: 'Components (choose none to follow all)',
  language: 'Language of the mails',
  submit: 'Subscribe',
  privacy: 'We keep only your address. Every mail has a link to unsubscribe, which deletes it at once.',
  compactIntro: 'Get a mail when something happens to any of the components on this page.',
  chooseComponents: 'Choose components',
  wholeGroup: 'All of {group}, also components added later',
  back: 'Back to the status page',
};
type Texts = typeof en;
const da: Texts = {
  link: 'Få besked på mail',
  heading: 'Få besked på mail',
  intro: 'Vi sender en mail, når en driftsforstyrrelse opdateres, eller vedligeholdelse planlægges, begynder eller slutter, for de komponenter, du vælger.',
  email: 'E-mailadresse',
  emailHint: 'Vi sender først et bekræftelseslink; der sendes intet andet, før du klikker på det.',
  components: 'Komponenter (vælg ingen for at følge alle)',
  language: 'Sprog i mails',
  submit: 'Abonnér',
  privacy: 'Vi gemmer kun din adresse. Alle mails har et afmeldingslink, som sletter den med det samme.',
  compactIntro: 'Få en mail, når der sker noget med en af sidens komponenter.',
  chooseComponents: 'Vælg komponenter',
  wholeGroup: 'Hele {group}, også komponenter, der kommer til senere',
  back: 'Tilbage til statussiden',
};
const nb: Texts = {
  link: 'Få varsel på e-post',
  heading: 'Få varsel på e-post',
  intro: 'Vi sender en e-post når en driftsforstyrrelse oppdateres, eller vedlikehold planlegges, starter eller slutter, for komponentene du velger.',
  email: 'E-postadresse',
  emailHint: 'Vi sender først en bekreftelseslenke; ingenting annet sendes før du klikker på den.',
  components: 'Komponenter (velg ingen for å følge alle)',
  language: 'Språk i e-postene',
  submit: 'Abonner',
  privacy: 'Vi lagrer bare adressen din. Hver e-post har en lenke for å avslutte, som sletter den med en gang.',
  compactIntro: 'Få en e-post når noe skjer med en av sidens komponenter.',
  chooseComponents: 'Velg komponenter',
  wholeGroup: 'Hele {group}, også komponenter som kommer til senere',
  back: 'Tilbake til statussiden',
};
const sv: Texts = {
  link: 'Få uppdateringar via mejl',
  heading: 'Få uppdateringar via mejl',
  intro: 'Vi skickar ett mejl när en störning uppdateras eller underhåll planeras, börjar eller slutar, för de komponenter du väljer.',
  email: 'E-postadress',
  emailHint: 'Vi skickar först en bekräftelselänk; inget annat skickas innan du klickar på den.',
  components: 'Komponenter (välj ingen för att följa alla)',
  language: 'Språk i mejlen',
  submit: 'Prenumerera',
  privacy: 'Vi sparar bara din adress. Varje mejl har en länk för att avsluta, som raderar den direkt.',
  compactIntro: 'Få ett mejl när något händer med någon av sidans komponenter.',
  chooseComponents: 'Välj komponenter',
  wholeGroup: 'Hela {group}, även komponenter som läggs till senare',
  back: 'Tillbaka till statussidan',
};
const it: Texts = {
  link: 'Ricevi aggiornamenti via e-mail',
  heading: 'Ricevi aggiornamenti via e-mail',
  intro: 'Inviamo un’e-mail quando un disservizio viene aggiornato o una manutenzione è programmata, inizia o finisce, per i componenti che scegli.',
  email: 'Indirizzo e-mail',
  emailHint: 'Prima inviamo un link di conferma; nient’altro viene inviato finché non lo apri.',
  components: 'Componenti (nessuna scelta: tutti)',
  language: 'Lingua delle e-mail',
  submit: 'Iscriviti',
  privacy: 'Conserviamo solo il tuo indirizzo. Ogni e-mail ha un link per annullare l’iscrizione, che lo cancella subito.',
  compactIntro: 'Ricevi un’e-mail quando succede qualcosa a uno dei componenti di questa pagina.',
  chooseComponents: 'Scegli i componenti',
  wholeGroup: 'Tutto {group}, anche i componenti aggiunti in seguito',
  back: 'Torna alla pagina di stato',
};
const CATALOGUES: Record<SiteLanguage, Texts> = { en, da, nb, sv, it };
export const subscribeTexts = (language: SiteLanguage): Texts => CATALOGUES[language] ?? en;
