// The HTTP API (/v1): platforms, members, credentials, orders, trades, book, price schedules, meter readings,
// settlements and the ledger. Every state change is one database transaction and is answered after COMMIT.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { priceScheduleSchema, scheduleSpanMs } from '../../core/price-schedule.ts';
import { issueApiKey } from '../auth/api-keys.ts';
import { isPrivileged, type Principal, requirePlatformRole } from '../auth/principal.ts';
import type { ManualClock } from '../clock.ts';
import {
  mapOrderRow,
  mapTradeRow,
  ORDER_COLUMNS,
  TRADE_COLUMNS,
  toOrderView,
  toTradeView,
} from '../market/records.ts';
import { eurToMicroEur, kwhToWh, microEurToEurNumber, whToKwh } from '../market/units.ts';
import type { ServiceContext } from '../service-context.ts';
import { findApplicableSchedule, loadSettlementRun, settleInterval } from '../settlement/settle-interval.ts';
import type { SqlClient } from '../storage/database.ts';
import { SqlFilter } from '../storage/sql-filter.ts';
import { defineRoute, type RouteSpec } from './route-spec.ts';
import * as s from './schemas.ts';
import { badField, conflict, forbidden, notFound, ServiceError } from './service-error.ts';

const newId = (prefix: string): string =>
  `${prefix}_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
const iso = (value: unknown): string => new Date(value as string).toISOString();

function mapPlatform(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    name: String(row.name),
    marketMode: row.market_mode as 'continuous' | 'call',
    intervalMinutes: Number(row.interval_minutes),
    gateClosureMinutes: Number(row.gate_closure_minutes),
    createdAt: iso(row.created_at),
  };
}

function mapMember(row: Record<string, unknown>) {
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

const MEMBER_COLUMNS = 'id, platform_id, name, role, location_id, bus_id, feeder_id, der, created_at';

async function insertCredential(
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

async function insertMember(
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

function parseIntervalStart(
  value: string,
  path: readonly (string | number)[],
  intervalMinutes: number,
): number {
  const ms = Date.parse(value);
  if (ms % (intervalMinutes * 60_000) !== 0)
    throw badField(
      path,
      'misaligned',
      `must be aligned to the platform's ${intervalMinutes}-minute intervals`,
    );
  return ms;
}

async function requireEngine(ctx: ServiceContext, platformId: string) {
  const engine = await ctx.engine(platformId);
  if (!engine) throw notFound('platform');
  return engine;
}

function viewerOf(principal: Principal, platformId: string) {
  return { memberId: principal.member?.id ?? null, isPrivileged: isPrivileged(principal, platformId) };
}

function toLevelView(level: { priceMicroEurPerKwh: number; energyWh: number; orders: number }) {
  return {
    priceEurPerKwh: microEurToEurNumber(level.priceMicroEurPerKwh),
    energyKwh: whToKwh(level.energyWh),
    orders: level.orders,
  };
}

export function buildRoutes(ctx: ServiceContext, options: { readonly isManualClock: boolean }): RouteSpec[] {
  const routes: RouteSpec[] = [
    defineRoute({
      method: 'POST',
      url: '/v1/platforms',
      tag: 'platforms',
      summary: 'Create a platform and its operator member',
      description: 'Returns the operator API key once; only a keyed hash of it is stored.',
      access: 'admin',
      body: s.createPlatformBody,
      responses: { 201: { description: 'created', schema: s.platformCreatedSchema } },
      async handler({ body, principal, reply }) {
        if (!principal.isAdmin) throw forbidden('only the server admin creates platforms');
        const created = await ctx.db.transaction(async (tx) => {
          const platformId = newId('plt');
          const row = await tx.query(
            `INSERT INTO platforms (id, name, market_mode, interval_minutes, gate_closure_minutes)
             VALUES ($1, $2, $3, $4, $5) RETURNING *`,
            [platformId, body.name, body.marketMode, body.intervalMinutes, body.gateClosureMinutes],
          );
          const operator = await insertMember(tx, platformId, { ...body.operator, role: 'operator' });
          const credential = await insertCredential(tx, ctx, operator.id, 'operator');
          return { platform: mapPlatform(row.rows[0]), operator, credential };
        });
        reply.code(201);
        return created;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms',
      tag: 'platforms',
      summary: 'List the platforms visible to the caller',
      access: 'any key (members see their own platform)',
      responses: {
        200: { description: 'platforms', schema: z.object({ platforms: z.array(s.platformSchema) }) },
      },
      async handler({ principal }) {
        const result = principal.isAdmin
          ? await ctx.db.query('SELECT * FROM platforms ORDER BY created_at, id')
          : await ctx.db.query('SELECT * FROM platforms WHERE id = $1', [principal.member!.platformId]);
        return { platforms: result.rows.map(mapPlatform) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId',
      tag: 'platforms',
      summary: 'Get a platform',
      access: 'members of the platform, admin',
      params: s.platformParams,
      responses: {
        200: { description: 'platform', schema: s.platformSchema },
        404: { description: 'not found' },
      },
      async handler({ params, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const result = await ctx.db.query('SELECT * FROM platforms WHERE id = $1', [params.platformId]);
        if (result.rows.length === 0) throw notFound('platform');
        return mapPlatform(result.rows[0]);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/members',
      tag: 'members',
      summary: 'Add a member (prosumer, operator or DSO) with its first API key',
      description: 'The API key is in the response only; store it, it cannot be shown again.',
      access: 'operator',
      params: s.platformParams,
      body: s.createMemberBody,
      responses: { 201: { description: 'created', schema: s.memberCreatedSchema } },
      async handler({ params, body, principal, reply }) {
        requirePlatformRole(principal, params.platformId, ['operator']);
        const created = await ctx.db.transaction(async (tx) => {
          const exists = await tx.query('SELECT 1 FROM platforms WHERE id = $1', [params.platformId]);
          if (exists.rows.length === 0) throw notFound('platform');
          const member = await insertMember(tx, params.platformId, body);
          const credential = await insertCredential(tx, ctx, member.id, 'initial');
          return { member, credential };
        });
        reply.code(201);
        return created;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/members',
      tag: 'members',
      summary: 'List the members of a platform',
      access: 'operator, dso',
      params: s.platformParams,
      responses: { 200: { description: 'members', schema: z.object({ members: z.array(s.memberSchema) }) } },
      async handler({ params, principal }) {
        requirePlatformRole(principal, params.platformId, ['operator', 'dso']);
        const result = await ctx.db.query(
          `SELECT ${MEMBER_COLUMNS} FROM members WHERE platform_id = $1 ORDER BY created_at, id`,
          [params.platformId],
        );
        return { members: result.rows.map(mapMember) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/me',
      tag: 'members',
      summary: 'The member (or admin) behind the API key',
      access: 'any key',
      responses: {
        200: {
          description: 'caller',
          schema: z.object({ isAdmin: z.boolean(), member: s.memberSchema.nullable() }),
        },
      },
      async handler({ principal }) {
        if (!principal.member) return { isAdmin: principal.isAdmin, member: null };
        const result = await ctx.db.query(`SELECT ${MEMBER_COLUMNS} FROM members WHERE id = $1`, [
          principal.member.id,
        ]);
        return { isAdmin: principal.isAdmin, member: mapMember(result.rows[0]) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/members/:memberId/credentials',
      tag: 'credentials',
      summary: 'Issue another API key for a member (key rotation)',
      access: 'the member itself, or the operator of its platform',
      params: s.memberParams,
      responses: { 201: { description: 'created', schema: s.credentialCreatedSchema } },
      async handler({ params, principal, reply }) {
        const member = await ctx.db.query('SELECT platform_id FROM members WHERE id = $1', [params.memberId]);
        if (member.rows.length === 0) throw notFound('member');
        const platformId = String(member.rows[0].platform_id);
        if (principal.member?.id !== params.memberId)
          requirePlatformRole(principal, platformId, ['operator']);
        const credential = await ctx.db.transaction((tx) =>
          insertCredential(tx, ctx, params.memberId, 'rotated'),
        );
        reply.code(201);
        return credential;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/credentials/:keyId',
      tag: 'credentials',
      summary: 'Revoke an API key',
      access: 'the key owner, or the operator of its platform',
      params: s.keyParams,
      responses: {
        200: { description: 'revoked', schema: z.object({ keyId: z.string(), revoked: z.literal(true) }) },
      },
      async handler({ params, principal }) {
        const row = await ctx.db.query(
          'SELECT c.member_id, m.platform_id FROM credentials c LEFT JOIN members m ON m.id = c.member_id WHERE c.key_id = $1',
          [params.keyId],
        );
        if (row.rows.length === 0) throw notFound('credential');
        const memberId = row.rows[0].member_id as string | null;
        if (memberId === null) {
          if (!principal.isAdmin) throw notFound('credential');
        } else if (principal.member?.id !== memberId)
          requirePlatformRole(principal, String(row.rows[0].platform_id), ['operator']);
        await ctx.db.query(
          'UPDATE credentials SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL',
          [params.keyId],
        );
        ctx.credentials.evict(params.keyId);
        return { keyId: params.keyId, revoked: true as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/orders',
      tag: 'orders',
      summary: 'Submit a limit order for a delivery interval (idempotent on clientOrderId)',
      description:
        'Continuous platforms match it at once (price-time priority, resting order sets the price); call platforms ' +
        'hold it for the uniform-price auction at gate closure. 201 after COMMIT; a replayed clientOrderId returns ' +
        'the first result with 200 and replayed=true; the same key with different fields is 409.',
      access: 'prosumer',
      params: s.platformParams,
      body: s.submitOrderBody,
      responses: {
        201: { description: 'accepted and stored', schema: s.orderAckSchema },
        200: { description: 'replay of an earlier submission', schema: s.orderAckSchema },
        409: {
          description: 'gate closed, or clientOrderId reused with different fields',
          schema: s.errorSchema,
        },
        503: {
          description: 'not stored (storage failure); retry with the same clientOrderId',
          schema: s.errorSchema,
        },
      },
      async handler({ params, body, principal, reply }) {
        requirePlatformRole(principal, params.platformId, ['prosumer']);
        const engine = await requireEngine(ctx, params.platformId);
        const ack = await engine.submit({
          memberId: principal.member!.id,
          clientOrderId: body.clientOrderId,
          side: body.side,
          intervalStartMs: Date.parse(body.intervalStart),
          energyWh: kwhToWh(body.energyKwh),
          limitPriceMicroEurPerKwh: eurToMicroEur(body.limitPriceEurPerKwh),
        });
        reply.code(ack.replayed ? 200 : 201);
        const viewer = viewerOf(principal, params.platformId);
        return {
          order: toOrderView(ack.order),
          trades: ack.trades.map((t) => toTradeView(t, viewer)),
          replayed: ack.replayed,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/orders',
      tag: 'orders',
      summary: 'List orders (a prosumer sees only its own; operator and DSO see all)',
      access: 'members of the platform',
      params: s.platformParams,
      query: s.listOrdersQuery,
      responses: {
        200: { description: 'orders, newest first', schema: z.object({ orders: z.array(s.orderSchema) }) },
      },
      async handler({ params, query, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const filter = new SqlFilter();
        filter.add((p) => `platform_id = ${p}`, params.platformId);
        if (!isPrivileged(principal, params.platformId))
          filter.add((p) => `member_id = ${p}`, principal.member!.id);
        if (query.intervalStart)
          filter.add((p) => `interval_start_ms = ${p}`, Date.parse(query.intervalStart));
        if (query.status) filter.add((p) => `status = ${p}`, query.status);
        const limit = filter.bind(query.limit);
        const result = await ctx.db.query(
          `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${filter.where} ORDER BY id DESC LIMIT ${limit}`,
          filter.values,
        );
        return { orders: result.rows.map((r) => toOrderView(mapOrderRow(r))) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/orders/:orderId',
      tag: 'orders',
      summary: 'Get one order (its owner, or the operator/DSO of its platform)',
      access: 'owner, operator, dso',
      params: s.orderParams,
      responses: {
        200: { description: 'order', schema: s.orderSchema },
        404: { description: 'not found or not yours' },
      },
      async handler({ params, principal }) {
        const result = await ctx.db.query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [
          Number(params.orderId),
        ]);
        if (result.rows.length === 0) throw notFound('order');
        const order = mapOrderRow(result.rows[0]);
        if (order.memberId !== principal.member?.id && !isPrivileged(principal, order.platformId))
          throw notFound('order');
        return toOrderView(order);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/orders/:orderId',
      tag: 'orders',
      summary: 'Cancel an open order (its owner only)',
      access: 'owner',
      params: s.orderParams,
      responses: {
        200: { description: 'cancelled', schema: s.orderSchema },
        404: { description: 'not found or not yours' },
      },
      async handler({ params, principal }) {
        const orderId = Number(params.orderId);
        const row = await ctx.db.query('SELECT platform_id, member_id FROM orders WHERE id = $1', [orderId]);
        if (row.rows.length === 0 || row.rows[0].member_id !== principal.member?.id) throw notFound('order');
        const engine = await requireEngine(ctx, String(row.rows[0].platform_id));
        const order = await engine.cancel(orderId, (o) => o.memberId === principal.member?.id);
        return toOrderView(order);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/book',
      tag: 'market',
      summary: 'Aggregated order book of one delivery interval',
      access: 'members of the platform',
      params: s.platformParams,
      query: s.intervalQuery,
      responses: { 200: { description: 'price levels', schema: s.bookSchema } },
      async handler({ params, query, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const engine = await requireEngine(ctx, params.platformId);
        const start = parseIntervalStart(
          query.intervalStart,
          ['query', 'intervalStart'],
          engine.platform.intervalMinutes,
        );
        const levels = engine.bookLevels(start);
        return {
          platformId: params.platformId,
          intervalStart: new Date(start).toISOString(),
          bids: levels.bids.map(toLevelView),
          asks: levels.asks.map(toLevelView),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/trades',
      tag: 'market',
      summary: 'Trades (prosumers see their own; operator and DSO all)',
      access: 'members of the platform',
      params: s.platformParams,
      query: s.listTradesQuery,
      responses: {
        200: { description: 'trades, newest first', schema: z.object({ trades: z.array(s.tradeSchema) }) },
      },
      async handler({ params, query, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const filter = new SqlFilter();
        filter.add((p) => `platform_id = ${p}`, params.platformId);
        if (!isPrivileged(principal, params.platformId)) {
          filter.add((p) => `(buyer_id = ${p} OR seller_id = ${p})`, principal.member!.id);
        }
        if (query.intervalStart)
          filter.add((p) => `interval_start_ms = ${p}`, Date.parse(query.intervalStart));
        const limit = filter.bind(query.limit);
        const result = await ctx.db.query(
          `SELECT ${TRADE_COLUMNS} FROM trades WHERE ${filter.where} ORDER BY id DESC LIMIT ${limit}`,
          filter.values,
        );
        const viewer = viewerOf(principal, params.platformId);
        return { trades: result.rows.map((r) => toTradeView(mapTradeRow(r), viewer)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/intervals/:intervalStart/clear',
      tag: 'market',
      summary:
        'Run the uniform-price call auction of a closed interval now (call platforms; also runs by itself)',
      access: 'operator',
      params: s.platformIntervalParams,
      responses: {
        200: {
          description: 'clearing result',
          schema: z.object({
            intervalStart: z.string(),
            priceEurPerKwh: z.number().nullable(),
            energyKwh: z.number(),
            trades: z.array(s.tradeSchema),
            alreadyCleared: z.boolean(),
          }),
        },
      },
      async handler({ params, principal }) {
        requirePlatformRole(principal, params.platformId, ['operator']);
        const engine = await requireEngine(ctx, params.platformId);
        const start = parseIntervalStart(
          params.intervalStart,
          ['params', 'intervalStart'],
          engine.platform.intervalMinutes,
        );
        const outcome = await engine.clear(start);
        const viewer = viewerOf(principal, params.platformId);
        return {
          intervalStart: new Date(start).toISOString(),
          priceEurPerKwh:
            outcome.priceMicroEurPerKwh === null ? null : microEurToEurNumber(outcome.priceMicroEurPerKwh),
          energyKwh: whToKwh(outcome.energyWh),
          trades: outcome.trades.map((t) => toTradeView(t, viewer)),
          alreadyCleared: outcome.alreadyCleared,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/price-schedules',
      tag: 'prices',
      summary: "Publish the DSO's PriceSchedule (import/export prices per location, fees per location pair)",
      description:
        'The latest publication covering an interval applies to its settlement; the DSO publishing it receives fees and imbalance payments.',
      access: 'dso',
      params: s.platformParams,
      body: priceScheduleSchema,
      bodyLimitBytes: 4 * 1024 * 1024,
      responses: {
        201: {
          description: 'published',
          schema: z.object({ id: z.string(), startUtc: z.string(), endUtc: z.string() }),
        },
      },
      async handler({ params, body, principal, reply }) {
        requirePlatformRole(principal, params.platformId, ['dso']);
        const span = scheduleSpanMs(body);
        const result = await ctx.db.query(
          `INSERT INTO price_schedules (platform_id, published_by, schedule, first_interval_ms, end_ms)
           VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id`,
          [params.platformId, principal.member!.id, JSON.stringify(body), span.firstMs, span.endMs],
        );
        const published = {
          id: String(result.rows[0].id),
          startUtc: new Date(span.firstMs).toISOString(),
          endUtc: new Date(span.endMs).toISOString(),
        };
        ctx.streams.publish(params.platformId, 'prices', { ...published, schedule: body });
        reply.code(201);
        return published;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/price-schedules/current',
      tag: 'prices',
      summary: 'The PriceSchedule that applies to an interval',
      access: 'members of the platform',
      params: s.platformParams,
      query: s.intervalQuery,
      responses: {
        200: {
          description: 'schedule',
          schema: z.object({ id: z.string(), publishedBy: z.string(), schedule: priceScheduleSchema }),
        },
      },
      async handler({ params, query, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const found = await findApplicableSchedule(
          ctx.db,
          params.platformId,
          Date.parse(query.intervalStart),
        );
        if (!found) throw notFound('price schedule');
        return { id: String(found.id), publishedBy: found.publishedBy, schedule: found.schedule };
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/platforms/:platformId/meter-readings',
      tag: 'settlement',
      summary:
        'Record meter readings (import and export per member and interval); replaces earlier values until settled',
      access: 'dso, operator',
      params: s.platformParams,
      body: s.meterReadingsBody,
      bodyLimitBytes: 2 * 1024 * 1024,
      responses: { 200: { description: 'stored', schema: z.object({ stored: z.number() }) } },
      async handler({ params, body, principal }) {
        requirePlatformRole(principal, params.platformId, ['dso', 'operator']);
        const platform = await ctx.db.query('SELECT interval_minutes FROM platforms WHERE id = $1', [
          params.platformId,
        ]);
        if (platform.rows.length === 0) throw notFound('platform');
        const intervalMinutes = Number(platform.rows[0].interval_minutes);
        const starts = body.readings.map((r, i) =>
          parseIntervalStart(r.intervalStart, ['body', 'readings', i, 'intervalStart'], intervalMinutes),
        );
        const stored = await ctx.db.transaction(async (tx) => {
          const members = await tx.query(
            'SELECT id FROM members WHERE platform_id = $1 AND id = ANY($2::text[])',
            [params.platformId, body.readings.map((r) => r.memberId)],
          );
          const known = new Set(members.rows.map((r) => String(r.id)));
          body.readings.forEach((r, i) => {
            if (!known.has(r.memberId))
              throw badField(
                ['body', 'readings', i, 'memberId'],
                'unknown_member',
                `no member ${r.memberId} on this platform`,
              );
          });
          const settled = await tx.query(
            'SELECT interval_start_ms FROM settlement_runs WHERE platform_id = $1 AND interval_start_ms = ANY($2::bigint[])',
            [params.platformId, starts],
          );
          if (settled.rows.length > 0) {
            const at = starts.indexOf(Number(settled.rows[0].interval_start_ms));
            throw conflict('already_settled', 'readings of a settled interval cannot change', [
              {
                code: 'already_settled',
                path: ['body', 'readings', at, 'intervalStart'],
                message: 'interval already settled',
              },
            ]);
          }
          await tx.query(
            `INSERT INTO meter_readings (platform_id, member_id, interval_start_ms, import_wh, export_wh)
             SELECT $1, u.m, u.t, u.i, u.e FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) AS u(m, t, i, e)
             ON CONFLICT (member_id, interval_start_ms)
             DO UPDATE SET import_wh = EXCLUDED.import_wh, export_wh = EXCLUDED.export_wh, recorded_at = now()`,
            [
              params.platformId,
              body.readings.map((r) => r.memberId),
              starts,
              body.readings.map((r) => kwhToWh(r.importKwh)),
              body.readings.map((r) => kwhToWh(r.exportKwh)),
            ],
          );
          return body.readings.length;
        });
        return { stored };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/settlements',
      tag: 'settlement',
      summary:
        'Settle a closed interval: trades, fees and imbalances into the ledger (once; a repeat returns the run)',
      access: 'operator',
      params: s.platformParams,
      body: s.settlementBody,
      responses: {
        201: { description: 'settled now', schema: s.settlementRunSchema },
        200: { description: 'was settled before', schema: s.settlementRunSchema },
        409: {
          description: 'interval not closed, no prices, or missing meter readings',
          schema: s.errorSchema,
        },
      },
      async handler({ params, body, principal, reply }) {
        requirePlatformRole(principal, params.platformId, ['operator']);
        const engine = await requireEngine(ctx, params.platformId);
        const start = parseIntervalStart(
          body.intervalStart,
          ['body', 'intervalStart'],
          engine.platform.intervalMinutes,
        );
        if (ctx.clock.nowMs() < start + engine.intervalMs)
          throw new ServiceError(409, 'interval_not_closed', 'the delivery interval has not ended yet', [
            {
              code: 'interval_not_closed',
              path: ['body', 'intervalStart'],
              message: 'the delivery interval has not ended yet',
            },
          ]);
        // Queued orders for this interval finish first; a call auction is cleared before settling.
        if (engine.platform.marketMode === 'call') await engine.clear(start);
        await engine.drained();
        const { run, created } = await settleInterval(ctx.db, params.platformId, start);
        reply.code(created ? 201 : 200);
        return run;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/settlements/:intervalStart',
      tag: 'settlement',
      summary: 'A settlement run (prosumers see only their own line)',
      access: 'members of the platform',
      params: s.platformIntervalParams,
      responses: { 200: { description: 'run', schema: s.settlementRunSchema } },
      async handler({ params, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const run = await loadSettlementRun(ctx.db, params.platformId, Date.parse(params.intervalStart));
        if (!run) throw notFound('settlement run');
        if (isPrivileged(principal, params.platformId)) return run;
        return { ...run, members: run.members.filter((m) => m.memberId === principal.member?.id) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/ledger/balances',
      tag: 'ledger',
      summary: 'Ledger balances in micro-euros (prosumers see only their own account)',
      access: 'members of the platform',
      params: s.platformParams,
      responses: { 200: { description: 'balances', schema: s.balancesSchema } },
      async handler({ params, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const privileged = isPrivileged(principal, params.platformId);
        const result = privileged
          ? await ctx.db.query(
              'SELECT account_id, sum(amount_micro_eur)::int8 AS balance FROM ledger_postings WHERE platform_id = $1 GROUP BY account_id ORDER BY account_id',
              [params.platformId],
            )
          : await ctx.db.query(
              'SELECT account_id, sum(amount_micro_eur)::int8 AS balance FROM ledger_postings WHERE platform_id = $1 AND account_id = $2 GROUP BY account_id',
              [params.platformId, principal.member!.id],
            );
        const accounts = result.rows.map((r) => ({
          accountId: String(r.account_id),
          balanceMicroEur: Number(r.balance),
          balanceEur: microEurToEurNumber(Number(r.balance)),
        }));
        if (!privileged && accounts.length === 0)
          accounts.push({ accountId: principal.member!.id, balanceMicroEur: 0, balanceEur: 0 });
        return { platformId: params.platformId, accounts };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/platforms/:platformId/ledger/transactions',
      tag: 'ledger',
      summary:
        'Ledger transactions with their postings (prosumers: only transactions touching their account, only their postings)',
      access: 'members of the platform',
      params: s.platformParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }).strict(),
      responses: {
        200: {
          description: 'transactions',
          schema: z.object({ transactions: z.array(s.ledgerTransactionSchema) }),
        },
      },
      async handler({ params, query, principal }) {
        requirePlatformRole(principal, params.platformId, ['prosumer', 'operator', 'dso']);
        const privileged = isPrivileged(principal, params.platformId);
        const result = await ctx.db.query(
          `SELECT t.id, t.description, t.settlement_run_id, t.created_at,
                  json_agg(json_build_object('accountId', p.account_id, 'amountMicroEur', p.amount_micro_eur) ORDER BY p.leg) AS postings
           FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
           WHERE t.platform_id = $1 ${privileged ? '' : 'AND EXISTS (SELECT 1 FROM ledger_postings q WHERE q.transaction_id = t.id AND q.account_id = $3)'}
           GROUP BY t.id ORDER BY t.created_at DESC, t.id LIMIT $2`,
          privileged
            ? [params.platformId, query.limit]
            : [params.platformId, query.limit, principal.member!.id],
        );
        return {
          transactions: result.rows.map((r) => {
            const postings = (r.postings as { accountId: string; amountMicroEur: number }[]).map((p) => ({
              accountId: p.accountId,
              amountMicroEur: Number(p.amountMicroEur),
            }));
            return {
              id: String(r.id),
              description: privileged ? String(r.description) : 'settlement entry',
              settlementRunId: r.settlement_run_id === null ? null : String(r.settlement_run_id),
              postings: privileged ? postings : postings.filter((p) => p.accountId === principal.member!.id),
              createdAt: iso(r.created_at),
            };
          }),
        };
      },
    }),
  ];
  if (options.isManualClock)
    routes.push(
      defineRoute({
        method: 'POST',
        url: '/v1/admin/clock',
        tag: 'admin',
        summary: 'Move the manual clock forward (only when started with GRIDNEST_MANUAL_CLOCK=1; testing)',
        access: 'admin',
        body: s.setClockBody,
        responses: { 200: { description: 'clock set', schema: z.object({ now: z.string() }) } },
        async handler({ body, principal }) {
          if (!principal.isAdmin) throw forbidden('admin only');
          const clock = ctx.clock as ManualClock;
          const ms = Date.parse(body.now);
          if (ms < clock.nowMs())
            throw badField(['body', 'now'], 'backwards', 'the clock only moves forward');
          clock.set(ms);
          await ctx.tick();
          return { now: new Date(ms).toISOString() };
        },
      }),
    );
  return routes;
}
