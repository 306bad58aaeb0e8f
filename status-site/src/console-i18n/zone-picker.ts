import type { Catalogue } from './index.ts';

const en = {
  label: 'Time zone of the times you type and read',
  hint: 'The page shows times in {zone}; times are stored as UTC.',
};

/** The zone picker beside the console's date-time fields. */
export const zonePicker: Catalogue<keyof typeof en> = {
  en,
  da: {
    label: 'Tidszone for de tider, du skriver og læser',
    hint: 'Siden viser tider i {zone}; tider gemmes som UTC.',
  },
  nb: {
    label: 'Tidssone for tidene du skriver og leser',
    hint: 'Siden viser tider i {zone}; tider lagres som UTC.',
  },
  sv: {
    label: 'Tidszon för tiderna du skriver och läser',
    hint: 'Sidan visar tider i {zone}; tider sparas som UTC.',
  },
  it: {
    label: 'Fuso orario degli orari che scrivi e leggi',
    hint: 'La pagina mostra gli orari in {zone}; gli orari sono salvati in UTC.',
  },
};
