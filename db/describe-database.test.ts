import { describe, expect, it } from 'vitest';
import { describeDatabase } from './describe-database.ts';

describe('describeDatabase', () => {
  it.each([
    { in: { dataDir: './data', cwd: '/srv/app' }, out: 'PGlite in /srv/app/data' },
    { in: { dataDir: '/var/lib/statusvakt', cwd: '/srv/app' }, out: 'PGlite in /var/lib/statusvakt' },
    { in: { databaseUrl: 'postgres://statusvakt:s3cret@db.example:6543/status', dataDir: './data' }, out: 'PostgreSQL at statusvakt@db.example:6543/status' },
    { in: { databaseUrl: 'postgresql://db/status', dataDir: './data' }, out: 'PostgreSQL at db:5432/status' },
    { in: { databaseUrl: 'postgres://u:p@db', dataDir: './data' }, out: 'PostgreSQL at u@db:5432/(default database)' },
  ])('names $out', ({ in: input, out }) => {
    expect(describeDatabase(input)).toBe(out);
    expect(describeDatabase(input)).not.toContain('s3cret');
  });
});
