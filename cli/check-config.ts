import { formatConfigIssues, loadConfigFile } from '../config/index.ts';

/** `statusvakt check-config FILE`: every mistake at once and exit 1, or a one-line summary. */
export async function checkConfigCommand(files: string[]): Promise<number> {
  if (files.length !== 1) {
    process.stderr.write('statusvakt check-config: give exactly one file, e.g. statusvakt check-config config/statusvakt.example.yaml\n');
    return 1;
  }
  const file = files[0] as string;
  const result = await loadConfigFile(file);
  if (!result.ok) {
    process.stderr.write(`${formatConfigIssues(file, result.issues)}\n${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in ${file}\n`);
    return 1;
  }
  const { config } = result;
  const components = config.pages.flatMap((p) => p.groups.flatMap((g) => g.components));
  const checks = components.reduce((n, c) => n + c.checks.length, 0);
  process.stdout.write(
    `${file}: OK — ${config.organisations.length} organisation(s), ${config.pages.length} page(s), ${components.length} component(s), ` +
      `${checks} check(s), ${config.slaProfiles.length} SLA profile(s), ${config.regions.length} region(s)\n`,
  );
  return 0;
}
