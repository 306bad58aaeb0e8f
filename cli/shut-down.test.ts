import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { shutDown } from './shut-down.ts';

const quiet = pino({ level: 'silent' });
const never = () => new Promise<void>(() => {});

describe('shutDown', () => {
  it('runs every step in order and reports a clean stop', async () => {
    const ran: string[] = [];
    const clean = await shutDown([['a', async () => void ran.push('a')], ['b', async () => void ran.push('b')]], quiet, 1_000);
    expect(clean).toBe(true);
    expect(ran).toEqual(['a', 'b']);
  });

  it('goes on after a step that fails, and says the stop was not clean', async () => {
    const ran: string[] = [];
    const clean = await shutDown([['fails', async () => Promise.reject(new Error('database down'))], ['after', async () => void ran.push('after')]], quiet, 1_000);
    expect(clean).toBe(false);
    expect(ran).toEqual(['after']);
  });

  it('leaves a step that hangs at the deadline and still runs the ones after it', async () => {
    const ran: string[] = [];
    const started = Date.now();
    const clean = await shutDown([['hangs', never], ['after', async () => void ran.push('after')]], quiet, 300);
    expect(clean).toBe(false);
    expect(ran).toEqual(['after']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
