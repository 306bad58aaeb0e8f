import type { Catalogue } from './index.ts';

const en = {
  databaseUnreachable: 'the database is not reachable; nothing was changed, try again in a few seconds',
};

/** The console's safety net: why a page could not be answered when the database went away. */
export const unreachable: Catalogue<keyof typeof en> = {
  en,
  da: { databaseUnreachable: 'databasen kan ikke nås; intet er ændret, prøv igen om et par sekunder' },
  nb: { databaseUnreachable: 'databasen kan ikke nås; ingenting er endret, prøv igjen om noen sekunder' },
  sv: { databaseUnreachable: 'databasen går inte att nå; inget har ändrats, försök igen om några sekunder' },
  it: { databaseUnreachable: 'il database non è raggiungibile; non è stato modificato nulla, riprova tra qualche secondo' },
};
