import { describe, expect, it } from 'vitest';
import { loggableError } from './database-errors.ts';

describe('loggableError', () => {
  it("logs a failed query's database error, not the query with its parameters", () => {
    const cause = Object.assign(new Error('new row for relation "check_results_default" violates partition constraint'), { code: '23514', table: 'check_results_default' });
    const params = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ id: i, secret: 'svp_token' })));
    const error = new Error(`Failed query: insert into check_results …\nparams: ${params}`, { cause });
    const logged = loggableError(error);
    expect(logged).toMatchObject({
      type: 'Error',
      message: 'Failed query (its text and parameters are not logged)',
      database: { code: '23514', message: 'new row for relation "check_results_default" violates partition constraint', table: 'check_results_default' },
    });
    expect(JSON.stringify(logged)).not.toContain('svp_token');
    expect(JSON.stringify(logged).length).toBeLessThan(2_000);
  });

  it('cuts any other message and keeps the top of its stack', () => {
    const logged = loggableError(new TypeError('x'.repeat(10_000)));
    expect(logged.type).toBe('TypeError');
    expect((logged.message as string).length).toBe(500);
    expect(logged.stack).toContain('database-errors.test.ts');
    expect(loggableError('plain')).toEqual({ message: 'plain' });
  });
});
