import { describe, expect, it } from 'vitest';
import { maskAddress } from './log-fields.ts';

describe('maskAddress', () => {
  it.each([
    ['anna.hansen@example.org', 'a***@example.org'],
    ['a@example.org', 'a***@example.org'],
    ['"odd@name"@example.org', '"***@example.org'],
    ['no-at-sign', '***'],
    ['@example.org', '***'],
  ])('%s is logged as %s', (address, masked) => expect(maskAddress(address)).toBe(masked));
});
