import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa, issueCertificate } from './support/certificates.ts';
import { createPostgresDatabase, postgresAdminUrl } from './support/databases.ts';
import { ROOT, runCli, startServer, type RunningServer } from './support/run-cli.ts';

const title = postgresAdminUrl ? 'three serve replicas on one PostgreSQL, two probes, one replica killed' : 'three serve replicas (skipped: set TEST_DATABASE_URL to a PostgreSQL server)';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A load balancer in front of the replicas that fails over: each connection goes to the first replica that accepts it. */
async function startBalancer(ports: () => number[]) {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryPort = (attempt: number) => {
      const list = ports();
      if (attempt >= list.length) return void client.destroy();
      const port = list[attempt]!;
      const upstream = connect(port, '127.0.0.1');
      let connected = false;
      upstream.on('error', () => {
        // a killed replica refuses the connection: the next one gets it, as a load balancer's health check would arrange
        if (!connected) tryPort(attempt + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        connected = true;
        sockets.add(upstream);
        upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
        client.on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    tryPort(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

describe.skipIf(!postgresAdminUrl)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'statusvakt-replicas-'));
  const hits = { a: 0, b: 0 };
  const targets: ReturnType<typeof createHttpsServer>[] = [];
  const replicas: RunningServer[] = [];
  const probes: { region: string; child: ChildProcess; output: () => string }[] = [];
  let database: { url: string; drop: () => Promise<void> };
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  let client: pg.Client;
  const killed = new Set<number>();

  beforeAll(async () => {
    const ca = await createTestCa();
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    const certificate = await issueCertificate({ ca, ipAddresses: ['127.0.0.1'] });
    const urls: Record<string, string> = {};
    for (const name of ['a', 'b'] as const) {
      const target = createHttpsServer({ key: certificate.keyPem, cert: certificate.certPem }, (_req, res) => {
        hits[name]++; // each check run is one request: the results the API must hold
        res.end('ok');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
      targets.push(target);
      urls[name] = `https://127.0.0.1:${(target.address() as { port: number }).port}/`;
    }
    writeFileSync(
      join(dir, 'config.yaml'),
      `regions: [{ id: north }, { id: south }]
organisations: [{ id: k, name: Kommune }]
jobs: { purgeSubscriptions: "* * * * *" }
pages:
  - id: status
    organisation: k
    name: Status
    groups:
      - id: g
        name: Services
        components:
          - { id: a, name: A, checks: [{ kind: https, url: "${urls.a}", intervalSeconds: 1, regions: [north] }] }
          - { id: b, name: B, checks: [{ kind: https, url: "${urls.b}", intervalSeconds: 1, regions: [south] }] }
`,
    );
    database = await createPostgresDatabase();
    const env = { DATABASE_URL: database.url, STATUSVAKT_SECRET: 'replica test secret that is long enough 0123456789' };
    // one at a time: the first migrates; the others would wait on its lock anyway
    for (let i = 0; i < 3; i++) replicas.push(await startServer(['serve', '--config', join(dir, 'config.yaml')], env));
    // the balancer keeps sending to the killed replica's port: its connections are refused, and it moves on
    balancer = await startBalancer(() => replicas.map((r) => Number(new URL(r.url).port)));
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const user = await runCli(['user', 'add', '--email', 'op@kommune.example', '--name', 'Op', '--role', 'operator', '--all-organisations'], { ...env, STATUSVAKT_USER_PASSWORD: 'the right password 12345' });
    expect(user.code, user.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    for (const probe of probes) if (probe.child.exitCode === null) probe.child.kill('SIGKILL');
    for (const replica of replicas) await replica.stop();
    await balancer?.close();
    for (const target of targets) target.close();
    await client?.end();
    await database?.drop();
  });

  it('loses no result and stores none twice when a replica is killed mid-work', async () => {
    for (const region of ['north', 'south']) {
      const created = await runCli(['probe-token', 'create', '--region', region], { DATABASE_URL: database.url });
      expect(created.code, created.stderr).toBe(0);
      let output = '';
      const child = spawn(process.execPath, ['bin/statusvakt.js', 'probe', '--region', region, '--api', balancer.url, '--buffer-dir', join(dir, region)], {
        cwd: ROOT,
        env: { ...process.env, STATUSVAKT_PROBE_TOKEN: created.stdout.trim(), STATUSVAKT_PROBE_CA_FILE: join(dir, 'ca.pem'), LOG_LEVEL: 'info' },
      });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      probes.push({ region, child, output: () => output });
    }
    await sleep(4_000);
    const killedAt = new Date();
    // SIGKILL: no shutdown, whatever it held in flight (a request half answered, a transaction open) is cut
    replicas[0]!.child.kill('SIGKILL');
    killed.add(0);
    await sleep(4_000);
    for (const probe of probes) probe.child.kill('SIGTERM');
    const codes = await Promise.all(probes.map((p) => (p.child.exitCode !== null ? p.child.exitCode : new Promise((resolve) => p.child.once('exit', resolve)))));
    expect(codes, probes.map((p) => p.output()).join('\n')).toEqual([0, 0]);
    for (const probe of probes) expect(probe.output()).not.toContain('stay buffered for the next start');

    const counts = (await client.query<{ component_id: string; n: string; ids: string }>('select component_id, count(*) as n, count(distinct id) as ids from check_results group by 1 order by 1')).rows;
    // every check run the targets answered is stored once: none lost with the replica, none doubled by a resend
    expect(counts.map((r) => [r.component_id, Number(r.n), Number(r.ids)])).toEqual([
      ['a', hits.a, hits.a],
      ['b', hits.b, hits.b],
    ]);
    expect(hits.a).toBeGreaterThan(4);
    expect(hits.b).toBeGreaterThan(4);
    // the first replica took the probes' results until it was killed, the others after
    const { rows } = await client.query<{ before: string; after: string }>('select count(*) filter (where received_at < $1) as before, count(*) filter (where received_at > $1) as after from check_results', [killedAt]);
    expect(Number(rows[0]!.before)).toBeGreaterThan(0);
    expect(Number(rows[0]!.after)).toBeGreaterThan(0);
  }, 60_000);

  it('evaluates every result once, and answers the same page from each live replica', async () => {
    // the evaluator rounds of the two live replicas share the marks (SKIP LOCKED): all of them are taken
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from evaluation_marks');
      if (Number(rows[0]!.n) === 0) break;
      await sleep(200);
    }
    expect(Number((await client.query<{ n: string }>('select count(*) as n from evaluation_marks')).rows[0]!.n)).toBe(0);
    const states = (await client.query<{ component_id: string; open: string }>("select component_id, count(*) filter (where ended_at is null) as open from state_intervals group by 1 order by 1")).rows;
    expect(states.map((s) => [s.component_id, Number(s.open)])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    const live = replicas.filter((_, i) => !killed.has(i));
    let bodies: string[] = [];
    for (let i = 0; i < 50; i++) {
      bodies = await Promise.all(
        live.map(async (r) => {
          const body = (await (await fetch(`${r.url}/api/v1/pages/status/status`)).json()) as { groups: { components: { id: string; state: string }[] }[] };
          return JSON.stringify(body.groups.map((g) => g.components.map((c) => [c.id, c.state])));
        }),
      );
      if (new Set(bodies).size === 1) break;
      await sleep(200);
    }
    expect(new Set(bodies).size).toBe(1);
  }, 60_000);

  it('limits logins across replicas as one', async () => {
    const live = replicas.filter((_, i) => !killed.has(i));
    const attempt = (i: number, password: string) =>
      fetch(`${live[i % live.length]!.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'op@kommune.example', password }) });
    const statuses: number[] = [];
    // six wrong passwords, alternating between the replicas: the account's five free failures are used up across them
    for (let i = 0; i < 6; i++) statuses.push((await attempt(i, 'a wrong password 12345')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    const held = await attempt(6, 'the right password 12345');
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('runs a scheduled job once per slot with several replicas', async () => {
    // the purge runs every minute: wait for a slot to pass while the replicas run
    let rows: { period: string; outcome: string | null }[] = [];
    for (let i = 0; i < 140 && rows.filter((r) => r.outcome !== null).length === 0; i++) {
      rows = (await client.query<{ period: string; outcome: string | null }>("select period, outcome from job_runs where job = 'purge-subscriptions' order by period")).rows;
      if (rows.some((r) => r.outcome !== null)) break;
      await sleep(500);
    }
    const done = rows.filter((r) => r.outcome !== null);
    expect(done.length).toBeGreaterThan(0);
    for (const row of done) expect(row.outcome).toMatch(/^ok: /);
    // every replica's timer fired for each slot; the log shows that exactly one of them ran it
    const ranBy = new Map<string, number>();
    for (const replica of replicas) {
      for (const line of replica.output().split('\n')) {
        if (!line.includes('scheduled job purge-subscriptions ran')) continue;
        const { period } = JSON.parse(line) as { period: string };
        ranBy.set(period, (ranBy.get(period) ?? 0) + 1);
      }
    }
    for (const row of done) expect(ranBy.get(row.period), row.period).toBe(1);
  }, 90_000);
});
