import { describe, expect, it } from 'vitest';
import { validateAddress } from './validate-address.ts';

describe('validateAddress', () => {
  it.each([
    [' Ida@Kommune.DK ', { ok: true, address: 'ida@kommune.dk' }],
    ['first.last+status@sub.example.co.uk', { ok: true, address: 'first.last+status@sub.example.co.uk' }],
    ['søren@kommunen.dk', { ok: true, address: 'søren@kommunen.dk' }],
    ['', { ok: false, problem: 'empty' }],
    ['no-at-sign.dk', { ok: false, problem: 'invalid_format' }],
    ['two@@example.dk', { ok: false, problem: 'invalid_format' }],
    ['space in@example.dk', { ok: false, problem: 'invalid_format' }],
    ['dots..twice@example.dk', { ok: false, problem: 'invalid_format' }],
    ['ida@localhost', { ok: false, problem: 'invalid_format' }],
    ['ida@example.123', { ok: false, problem: 'invalid_format' }],
    ['ida@-bad.dk', { ok: false, problem: 'invalid_format' }],
    [`${'a'.repeat(65)}@example.dk`, { ok: false, problem: 'invalid_format' }],
    [`a@${'b'.repeat(250)}.dk`, { ok: false, problem: 'too_long' }],
    ['someone@Mailinator.com', { ok: false, problem: 'disposable' }],
  ])('%s → %o', (input, expected) => {
    expect(validateAddress(input)).toEqual(expected);
  });
});
