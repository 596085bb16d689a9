// API keys: random, shown once, stored only as HMAC-SHA256(server secret, key), compared in constant time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Key format: `gn_<keyId>_<secret>`; the key id is public (it names the credential row), the rest is secret. */
export const API_KEY_PREFIX = 'gn';

export interface IssuedKey {
  readonly keyId: string;
  /** The full key: returned to the caller once and never stored. */
  readonly apiKey: string;
  readonly keyHash: Buffer;
}

const KEY_PATTERN = /^gn_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

/** Generate a new key: 96 bits of id and 256 bits of secret, from the OS CSPRNG. */
export function issueApiKey(serverSecret: Buffer): IssuedKey {
  const keyId = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16);
  const apiKey = `${API_KEY_PREFIX}_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, apiKey, keyHash: hashApiKey(serverSecret, apiKey) };
}

/** HMAC-SHA256 keyed with the server secret: a leaked database alone does not let anyone test guesses. */
export function hashApiKey(serverSecret: Buffer, apiKey: string): Buffer {
  return createHmac('sha256', serverSecret).update(apiKey, 'utf8').digest();
}

/** Split a presented key into its id, or null when it is not shaped like a gridnest key. */
export function parseApiKey(apiKey: string): { readonly keyId: string } | null {
  const match = KEY_PATTERN.exec(apiKey);
  return match ? { keyId: match[1] } : null;
}

/** Constant-time check of a presented key against a stored hash. */
export function verifyApiKey(serverSecret: Buffer, apiKey: string, storedHash: Buffer): boolean {
  const presented = hashApiKey(serverSecret, apiKey);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
