// What the route files share: ids, role sets, interval parsing, the platform engine lookup, the viewer of a
// trade, and newest-first listings with a limit.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isPrivileged, type Principal } from '../../auth/principal.ts';
import { alignmentError } from '../../market/order-matching.ts';
import type { PlatformEngine } from '../../market/platform-engine.ts';
import type { ServiceContext } from '../../service-context.ts';
import { SqlFilter } from '../../storage/sql-filter.ts';
import * as s from '../schemas.ts';
import { notFound } from '../service-error.ts';

export { MEMBER_ROLES } from '../route-spec.ts';

export const newId = (prefix: string): string =>
  `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;

export const iso = (value: unknown): string => new Date(value as string).toISOString();

/** Parse an interval start and check it is aligned to the platform's interval length (400 naming `path`). */
export function parseIntervalStart(
  value: string,
  path: readonly (string | number)[],
  intervalMinutes: number,
): number {
  const ms = Date.parse(value);
  const error = alignmentError(ms, intervalMinutes, path);
  if (error) throw error;
  return ms;
}

/** The platform's order engine, or 404. */
export async function requireEngine(ctx: ServiceContext, platformId: string): Promise<PlatformEngine> {
  const engine = await ctx.engine(platformId);
  if (!engine) throw notFound('platform');
  return engine;
}

/** Who looks at trades: parties and privileged roles see the member ids. */
export function viewerOf(principal: Principal, platformId: string) {
  return { memberId: principal.member?.id ?? null, isPrivileged: isPrivileged(principal, platformId) };
}

/**
 * The WHERE of a platform listing: the platform, only the caller's own rows for a prosumer (`ownRows` around the
 * member id's placeholder), and one delivery interval when given.
 */
export function platformListing(
  principal: Principal,
  platformId: string,
  ownRows: (placeholder: string) => string,
  intervalStart: string | undefined,
): SqlFilter {
  const filter = new SqlFilter();
  filter.add((p) => `platform_id = ${p}`, platformId);
  if (!isPrivileged(principal, platformId)) filter.add(ownRows, principal.member!.id);
  if (intervalStart) filter.add((p) => `interval_start_ms = ${p}`, Date.parse(intervalStart));
  return filter;
}

/**
 * Rows of `table` matching `filter`, newest (highest id) first, at most `limit` of them. `columns` and `table` are
 * code constants; every value is bound.
 */
export async function listNewestFirst(
  ctx: ServiceContext,
  table: 'orders' | 'trades',
  columns: string,
  filter: SqlFilter,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const limitPlaceholder = filter.bind(limit);
  const result = await ctx.db.query(
    `SELECT ${columns} FROM ${table} WHERE ${filter.where} ORDER BY id DESC LIMIT ${limitPlaceholder}`,
    filter.values,
  );
  return result.rows;
}

type ResponseSpec = { readonly description: string; readonly schema?: z.ZodType };

/** An error answer in the docs: the service's error body (`{ error: { code, message, issues? } }`). */
export const errorResponse = (description: string): ResponseSpec => ({ description, schema: s.errorSchema });

/** A listing answer `{ [key]: item[] }`, newest first. */
export const newestFirstResponse = (key: string, item: z.ZodType): ResponseSpec => ({
  description: `${key}, newest first`,
  schema: z.object({ [key]: z.array(item) }),
});
