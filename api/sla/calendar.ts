import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** Days a business-hours coverage does not count: public holidays from a maintained library, plus named closures (e.g. school holidays). */
export type CalendarSpec = {
  /** date-holidays country code, optionally with state and region (e.g. `{ country: 'DK' }`). */
  holidays?: { country: string; state?: string | undefined; region?: string | undefined; types?: string[] | undefined } | undefined;
  /** Named periods, local dates inclusive. */
  closures?: readonly { name: string; from: string; to: string }[] | undefined;
};

export type ClosedDay = { date: string; name: string; kind: 'holiday' | 'closure' };

/**
 * The closed local dates (`YYYY-MM-DD`) between `fromDate` and `toDate`
 * inclusive, each with its name: the concrete dates a statement lists, so a
 * figure can be checked against them.
 */
export function closedDays(spec: CalendarSpec | undefined, fromDate: string, toDate: string): ClosedDay[] {
  if (!spec) return [];
  const days = new Map<string, ClosedDay>();
  if (spec.holidays) {
    const library = new Holidays(spec.holidays.country, spec.holidays.state ?? '', spec.holidays.region ?? '');
    const types = spec.holidays.types ?? ['public'];
    const firstYear = Number(fromDate.slice(0, 4));
    const lastYear = Number(toDate.slice(0, 4));
    for (let year = firstYear; year <= lastYear; year++) {
      for (const holiday of library.getHolidays(year)) {
        const date = holiday.date.slice(0, 10);
        if (types.includes(holiday.type) && date >= fromDate && date <= toDate && !days.has(date)) days.set(date, { date, name: holiday.name, kind: 'holiday' });
      }
    }
  }
  for (const closure of spec.closures ?? []) {
    let day = DateTime.fromISO(closure.from, { zone: 'UTC' });
    const last = DateTime.fromISO(closure.to, { zone: 'UTC' });
    for (; day <= last; day = day.plus({ days: 1 })) {
      const date = day.toISODate()!;
      if (date >= fromDate && date <= toDate && !days.has(date)) days.set(date, { date, name: closure.name, kind: 'closure' });
    }
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Whether a date-holidays country/state/region exists, for config validation. */
export function isKnownHolidayRegion(country: string, state?: string, region?: string): boolean {
  const countries = new Holidays().getCountries() as Record<string, string>;
  if (!(country in countries)) return false;
  if (state && !(state in ((new Holidays().getStates(country) as Record<string, string> | undefined) ?? {}))) return false;
  if (state && region && !(region in ((new Holidays().getRegions(country, state) as Record<string, string> | undefined) ?? {}))) return false;
  return true;
}
