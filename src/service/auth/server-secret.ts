// The server secret that keys the API-key hashes: from GRIDNEST_SERVER_SECRET or a 0600 file in the data dir.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE_NAME = 'server-secret';

/**
 * Return the secret (≥ 32 bytes). An explicit value wins; otherwise `<dataDir>/server-secret` is read, or created
 * with 32 random bytes on first start. Losing the secret invalidates every issued API key.
 */
export function loadServerSecret(dataDir: string, explicit: string | undefined): Buffer {
  if (explicit !== undefined && explicit !== '') {
    if (explicit.length < 32) throw new Error('GRIDNEST_SERVER_SECRET must be at least 32 characters');
    return Buffer.from(explicit, 'utf8');
  }
  const path = join(dataDir, SECRET_FILE_NAME);
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  const secret = randomBytes(32);
  writeFileSync(path, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
