// The market of a platform: the aggregated book of an interval, trades, and running a call auction.
import { z } from 'zod';
import { mapTradeRow, TRADE_COLUMNS, toBookView, toTradeView } from '../../market/records.ts';
import { microEurToEurNumber, whToKwh } from '../../market/units.ts';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, memberReadRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import {
  listNewestFirst,
  newestFirstResponse,
  parseIntervalStart,
  platformListing,
  requireEngine,
  viewerOf,
} from './route-helpers.ts';

/** A prosumer's own trades: it is the buyer or the seller (`p`: the member id's placeholder). */
const ownTrades = (p: string) => `(buyer_id = ${p} OR seller_id = ${p})`;

export function marketRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    memberReadRoute({
      url: '/v1/platforms/:platformId/book',
      tag: 'market',
      summary: 'Aggregated order book of one delivery interval',
      params: s.platformParams,
      query: s.intervalQuery,
      responses: { 200: { description: 'price levels', schema: s.bookSchema } },
      async handler({ params, query }) {
        const engine = await requireEngine(ctx, params.platformId);
        const start = parseIntervalStart(
          query.intervalStart,
          ['query', 'intervalStart'],
          engine.platform.intervalMinutes,
        );
        return toBookView(params.platformId, start, engine.bookLevels(start));
      },
    }),
    memberReadRoute({
      url: '/v1/platforms/:platformId/trades',
      tag: 'market',
      summary: 'Trades (prosumers see their own; operator and DSO all)',
      params: s.platformParams,
      query: s.listTradesQuery,
      responses: { 200: newestFirstResponse('trades', s.tradeSchema) },
      async handler({ params, query, principal }) {
        const filter = platformListing(principal, params.platformId, ownTrades, query.intervalStart);
        const rows = await listNewestFirst(ctx, 'trades', TRADE_COLUMNS, filter, query.limit);
        const viewer = viewerOf(principal, params.platformId);
        return { trades: rows.map((r) => toTradeView(mapTradeRow(r), viewer)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/intervals/:intervalStart/clear',
      tag: 'market',
      summary:
        'Run the uniform-price call auction of a closed interval now (call platforms; also runs by itself)',
      access: 'operator',
      roles: ['operator'],
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
  ];
}
