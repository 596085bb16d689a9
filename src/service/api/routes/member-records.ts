// Platform, member and credential rows: their API views and the inserts that platform and member creation share.
import { issueApiKey } from '../../auth/api-keys.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { SqlClient } from '../../storage/database.ts';
import { iso, newId } from './route-helpers.ts';

export const MEMBER_COLUMNS = 'id, platform_id, name, role, location_id, bus_id, feeder_id, der, created_at';

export function mapPlatform(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    name: String(row.name),
    marketMode: row.market_mode as 'continuous' | 'call',
    intervalMinutes: Number(row.interval_minutes),
    gateClosureMinutes: Number(row.gate_closure_minutes),
    createdAt: iso(row.created_at),
  };
}

export function mapMember(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    platformId: String(row.platform_id),
    name: String(row.name),
    role: row.role as 'prosumer' | 'operator' | 'dso',
    locationId: String(row.location_id),
    busId: row.bus_id === null ? null : String(row.bus_id),
    feederId: row.feeder_id === null ? null : String(row.feeder_id),
    der: (row.der ?? {}) as Record<string, number>,
    createdAt: iso(row.created_at),
  };
}

/** Issue an API key for a member (or the admin when `memberId` is null); only its keyed hash is stored. */
export async function insertCredential(
  tx: SqlClient,
  ctx: ServiceContext,
  memberId: string | null,
  label: string,
): Promise<{ keyId: string; apiKey: string }> {
  const key = issueApiKey(ctx.serverSecret);
  await tx.query(
    'INSERT INTO credentials (key_id, member_id, is_admin, key_hash, label) VALUES ($1, $2, $3, $4, $5)',
    [key.keyId, memberId, memberId === null, key.keyHash, label],
  );
  return { keyId: key.keyId, apiKey: key.apiKey };
}

export async function insertMember(
  tx: SqlClient,
  platformId: string,
  body: { name: string; role: string; locationId: string; busId?: string; feederId?: string; der?: object },
) {
  const result = await tx.query(
    `INSERT INTO members (id, platform_id, name, role, location_id, bus_id, feeder_id, der)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING ${MEMBER_COLUMNS}`,
    [
      newId('mem'),
      platformId,
      body.name,
      body.role,
      body.locationId,
      body.busId ?? null,
      body.feederId ?? null,
      JSON.stringify(body.der ?? {}),
    ],
  );
  return mapMember(result.rows[0]);
}
