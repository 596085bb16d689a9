// Who is calling: resolve a bearer API key to a principal (admin or platform member) and check roles.

import { forbidden, notFound, ServiceError } from '../api/service-error.ts';
import type { Database } from '../storage/database.ts';
import { parseApiKey, verifyApiKey } from './api-keys.ts';

export type Role = 'prosumer' | 'operator' | 'dso';

export interface Principal {
  readonly keyId: string;
  readonly isAdmin: boolean;
  /** The member behind the key; null for the admin. */
  readonly member: {
    readonly id: string;
    readonly platformId: string;
    readonly role: Role;
    readonly locationId: string;
  } | null;
}

interface CachedCredential {
  readonly keyHash: Buffer;
  readonly principal: Principal;
}

/** Resolves keys with a small in-process cache (single server process; revocation evicts). */
export class CredentialResolver {
  private readonly cache = new Map<string, CachedCredential | null>();

  constructor(
    private readonly db: Database,
    private readonly serverSecret: Buffer,
  ) {}

  async resolve(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw unauthorized('missing bearer API key (Authorization: Bearer <key>)');
    const apiKey = match[1];
    const parsed = parseApiKey(apiKey);
    if (!parsed) throw unauthorized('invalid API key');
    let cached = this.cache.get(parsed.keyId);
    if (cached === undefined) {
      cached = await this.load(parsed.keyId);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(parsed.keyId, cached);
    }
    // Compare even for unknown ids, against a dummy hash, so timing does not reveal which key ids exist.
    const isValid = verifyApiKey(this.serverSecret, apiKey, cached?.keyHash ?? DUMMY_HASH);
    if (!cached || !isValid) throw unauthorized('invalid API key');
    return cached.principal;
  }

  evict(keyId: string): void {
    this.cache.delete(keyId);
  }

  private async load(keyId: string): Promise<CachedCredential | null> {
    const result = await this.db.query(
      `SELECT c.key_id, c.key_hash, c.is_admin, m.id AS member_id, m.platform_id, m.role, m.location_id
       FROM credentials c LEFT JOIN members m ON m.id = c.member_id
       WHERE c.key_id = $1 AND c.revoked_at IS NULL`,
      [keyId],
    );
    if (result.rows.length === 0) return null;
    const row = result.rows[0];
    return {
      keyHash: Buffer.from(row.key_hash as Uint8Array),
      principal: {
        keyId,
        isAdmin: Boolean(row.is_admin),
        member:
          row.member_id === null
            ? null
            : {
                id: String(row.member_id),
                platformId: String(row.platform_id),
                role: row.role as Role,
                locationId: String(row.location_id),
              },
      },
    };
  }
}

const DUMMY_HASH = Buffer.alloc(32);

export function unauthorized(message: string): ServiceError {
  return new ServiceError(401, 'unauthorized', message);
}

/**
 * Check that the principal may act on `platformId` in one of `roles`. Admins pass for operator rights. A member
 * of another platform gets 404 (the platform's existence is not revealed); a member without the role gets 403.
 */
export function requirePlatformRole(principal: Principal, platformId: string, roles: readonly Role[]): void {
  if (principal.isAdmin && roles.includes('operator')) return;
  if (!principal.member || principal.member.platformId !== platformId) throw notFound('platform');
  if (!roles.includes(principal.member.role))
    throw forbidden(
      `this action needs the role ${roles.join(' or ')}; your key has ${principal.member.role}`,
    );
}

/** Whether the principal sees everything on the platform (operator, DSO, admin). */
export function isPrivileged(principal: Principal, platformId: string): boolean {
  if (principal.isAdmin) return true;
  return principal.member?.platformId === platformId && principal.member.role !== 'prosumer';
}
