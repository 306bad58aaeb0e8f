import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isInternalAddress } from './webhook-address.ts';

describe('isInternalAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.20.0.1', true], ['192.168.1.1', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true],
    ['::1', true], ['fd00::1', true], ['fe80::1', true], ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false], ['2a00:1450:4001:80b::200e', false], ['not-an-ip', true],
  ])('%s → %s', (ip, expected) => {
    expect(isInternalAddress(ip)).toBe(expected);
  });
});

describe('checkWebhookUrl', () => {
  const resolve = async (host: string) => ({ 'partner.example': ['93.184.216.34'], 'sneaky.example': ['93.184.216.34', '10.0.0.5'] })[host] ?? [];
  it('accepts https to a public address', async () => {
    expect(await checkWebhookUrl('https://partner.example/hook', { allowInternal: false, resolve })).toMatchObject({ ok: true });
  });
  it.each([
    ['http://partner.example/hook', 'must be https://'],
    ['https://127.0.0.1/hook', '127.0.0.1 resolves to an internal address (127.0.0.1); Statusvakt only calls public addresses'],
    ['https://sneaky.example/hook', 'sneaky.example resolves to an internal address (10.0.0.5); Statusvakt only calls public addresses'],
    ['https://[::1]/hook', '::1 resolves to an internal address (::1); Statusvakt only calls public addresses'],
    ['https://user:pw@partner.example/', 'credentials in the URL are not accepted; the request is signed instead'],
    ['not a url', 'not a URL; give an absolute https:// address'],
  ])('refuses %s', async (url, reason) => {
    expect(await checkWebhookUrl(url, { allowInternal: false, resolve })).toEqual({ ok: false, reason });
  });
  it('lets the configuration allow internal and plain-http receivers', async () => {
    expect(await checkWebhookUrl('http://127.0.0.1:8080/hook', { allowInternal: true, resolve })).toMatchObject({ ok: true });
    expect(await checkWebhookUrl('ftp://127.0.0.1/', { allowInternal: true, resolve })).toEqual({ ok: false, reason: 'only http(s) URLs can be called' });
  });
});
