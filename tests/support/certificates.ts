import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export type TestCa = { certPem: string; cert: x509.X509Certificate; keys: CryptoKeyPair };
export type TestCert = { certPem: string; keyPem: string };

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
}

/** A private certificate authority for one test run. */
export async function createTestCa(name = 'Statusvakt Test CA'): Promise<TestCa> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 365 * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  return { certPem: cert.toString('pem'), cert, keys };
}

/** A server certificate signed by `ca` (or self-signed without one), valid for `names` between the given days from now. */
export async function issueCertificate(args: {
  ca?: TestCa;
  dnsNames?: string[];
  ipAddresses?: string[];
  validFromDays?: number;
  validToDays?: number;
}): Promise<TestCert> {
  const keys = await keyPair();
  const names = [...(args.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })), ...(args.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const common = {
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    notBefore: new Date(Date.now() + (args.validFromDays ?? -1) * DAY_MS),
    notAfter: new Date(Date.now() + (args.validToDays ?? 90) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    extensions: [new x509.SubjectAlternativeNameExtension(names), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
  };
  const subject = `CN=${args.dnsNames?.[0] ?? args.ipAddresses?.[0] ?? 'test'}`;
  const cert = args.ca
    ? await x509.X509CertificateGenerator.create({ ...common, subject, issuer: args.ca.cert.subject, publicKey: keys.publicKey, signingKey: args.ca.keys.privateKey })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: subject, keys });
  return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(keys.privateKey) };
}
