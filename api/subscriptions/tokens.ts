import { createHash, createHmac, randomBytes } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'manage';

/** 128 random bits, stored beside the subscriber; the token itself is never stored. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The token in a link: HMAC-SHA256 of the purpose and the subscriber's nonce
 * under the server secret. Unguessable without the secret; derivable again
 * when a later mail needs the same manage link, so only its hash is kept.
 */
export function deriveToken(secret: string, purpose: TokenPurpose, nonce: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${nonce}`).digest('base64url');
}

/** What the database keeps and looks tokens up by. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * What a rate-limit key holds instead of an address: HMAC-SHA256 of it under
 * the server secret, so the counters never keep an address in plain text and
 * cannot be reversed by hashing guessed addresses without the secret.
 */
export function addressKey(secret: string, address: string): string {
  return createHmac('sha256', secret).update(`rate-limit:${address.trim().toLowerCase()}`).digest('base64url');
}
