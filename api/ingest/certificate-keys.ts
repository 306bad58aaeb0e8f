import { createHash } from 'node:crypto';
import type { CheckResult } from '../../probe/index.ts';
import type { Database } from '../../db/index.ts';

/**
 * Certificates this process has seen stored, per database, by key. Certificates are never deleted, so a
 * key once stored stays valid; the set is emptied when it grows past this many (a new round of
 * sightings stores each one again, which `on conflict do nothing` makes harmless).
 */
const MAX_REMEMBERED = 100_000;
const stored = new WeakMap<Database, Set<string>>();

type Keyed = {
  /** Each result's certificate key (undefined for a result without one), by position. */
  keyOf: (string | undefined)[];
  /** The certificates of this batch not yet seen stored, once each. */
  toStore: { sha256: string; certificate: object }[];
};

/**
 * Names each result's certificate by the SHA-256 of its JSON as PostgreSQL writes a `jsonb` (so a
 * certificate keeps the key it had when the database computed it), and picks the ones to send with
 * the batch: those this process has not seen stored.
 */
export function certificateKeys(db: Database, results: readonly CheckResult[]): Keyed {
  const known = stored.get(db);
  const keyOf: (string | undefined)[] = [];
  const toStore = new Map<string, object>();
  for (const result of results) {
    if (!result.certificate) {
      keyOf.push(undefined);
      continue;
    }
    const key = keyOfCertificate(result.certificate);
    keyOf.push(key);
    if (!known?.has(key)) toStore.set(key, result.certificate);
  }
  return { keyOf, toStore: [...toStore].map(([sha256, certificate]) => ({ sha256, certificate })) };
}

/**
 * Keys by the certificate's JSON as it arrived: a check reports the same certificate with every result,
 * so the canonical text and its hash are made once per certificate, not once per result.
 */
const keys = new Map<string, string>();
const MAX_KEYS = 20_000;

function keyOfCertificate(certificate: object): string {
  const arrived = JSON.stringify(certificate);
  let key = keys.get(arrived);
  if (key === undefined) {
    key = createHash('sha256').update(jsonbText(certificate)).digest('hex');
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(arrived, key);
  }
  return key;
}

/** After the statement that stored them has committed. */
export function rememberCertificates(db: Database, certificates: Keyed['toStore']): void {
  if (certificates.length === 0) return;
  let known = stored.get(db);
  if (!known || known.size + certificates.length > MAX_REMEMBERED) stored.set(db, (known = new Set()));
  for (const { sha256 } of certificates) known.add(sha256);
}

/**
 * A JSON value as PostgreSQL's `jsonb` prints it: object keys ordered shortest first, then by their
 * bytes, a space after each colon and comma, strings escaped as JSON.stringify escapes them (the same
 * set of escapes, lowercase hex). Certificates hold strings, booleans and arrays of strings; numbers
 * are written as JavaScript writes them, which matches PostgreSQL for integers only.
 */
export function jsonbText(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === undefined ? 'null' : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).filter((k) => object[k] !== undefined);
  return `{${orderOf(keys).map((k) => `${JSON.stringify(k)}: ${jsonbText(object[k])}`).join(', ')}}`;
}

/** Key orders seen, by the keys in their given order: every certificate has one of a few shapes. */
const orders = new Map<string, string[]>();

function orderOf(keys: string[]): string[] {
  const shape = keys.join('\0');
  let order = orders.get(shape);
  if (!order) {
    order = [...keys].sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (orders.size < 1_000) orders.set(shape, order);
  }
  return order;
}
