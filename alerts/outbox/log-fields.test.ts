import { describe, expect, it } from 'vitest';
import { maskAddress, maskAddressesIn } from './log-fields.ts';

describe('maskAddress', () => {
  it.each([
    ['anna.hansen@example.org', 'a***@example.org'],
    ['a@example.org', 'a***@example.org'],
    ['"odd@name"@example.org', '"***@example.org'],
    ['no-at-sign', '***'],
    ['@example.org', '***'],
  ])('%s is logged as %s', (address, masked) => expect(maskAddress(address)).toBe(masked));
});

describe('maskAddressesIn', () => {
  it('masks every address an SMTP reply quotes, and leaves the rest', () => {
    expect(maskAddressesIn('550 5.1.1 <gone@example.test>: Recipient address rejected (also b.c@d.dk)')).toBe('550 5.1.1 <g***@example.test>: Recipient address rejected (also b***@d.dk)');
  });
});
