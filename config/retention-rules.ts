/** Raw results are kept this many days when the config does not say. */
export const DEFAULT_RAW_RESULTS_DAYS = 90;

type ProfileTerms = { reportDueDay?: number; lateResultsGraceHours?: number };

/**
 * The days of raw results an SLA profile still reads: a month's first result
 * is read until the month's report is final (`reportDueDay` of the next month,
 * after a month of up to 31 days) and late results for it can still revise
 * its statements (`lateResultsGraceHours` after the newest of them); one day
 * more because results are dropped a whole UTC day at a time.
 */
export function rawResultDaysNeeded(profile: ProfileTerms): number {
  const dueDay = profile.reportDueDay ?? 7;
  const graceDays = Math.ceil((profile.lateResultsGraceHours ?? 48) / 24);
  return 31 + (dueDay - 1) + graceDays + 1;
}

/** Why `rawResultsDays` is too short for `profile` and what it needs, or undefined when it is long enough. */
export function retentionShortfall(rawResultsDays: number, profile: ProfileTerms & { id: string }): { needed: number; message: string } | undefined {
  const needed = rawResultDaysNeeded(profile);
  if (rawResultsDays >= needed) return undefined;
  const dueDay = profile.reportDueDay ?? 7;
  const graceHours = profile.lateResultsGraceHours ?? 48;
  const message =
    `${rawResultsDays} days is shorter than SLA profile "${profile.id}" needs: a month's results are read until its report is final ` +
    `(day ${dueDay} of the next month) and ${graceHours} h of late results after that, ${needed} days in all; set at least ${needed}`;
  return { needed, message };
}
