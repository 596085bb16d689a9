import { isPrivileged } from '../../auth/principal.ts';
import { mapOrderRow, ORDER_COLUMNS, toOrderView, toTradeView } from '../../market/records.ts';
import { eurToMicroEur, kwhToWh } from '../../market/units.ts';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, memberReadRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { notFound } from '../service-error.ts';
import {
  errorResponse,
  listNewestFirst,
  newestFirstResponse,
  platformListing,
  requireEngine,
  viewerOf,
} from './route-helpers.ts';

/** 404 of the routes on one order: a missing order and somebody else's look the same. */
const NOT_FOUND_OR_NOT_YOURS = { description: 'not found or not yours' };

/** A prosumer's own orders (`p`: the member id's placeholder). */
const ownOrders = (p: string) => `member_id = ${p}`;

export function orderRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
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
      roles: ['prosumer'],
      params: s.platformParams,
      body: s.submitOrderBody,
      responses: {
        201: { description: 'accepted and stored', schema: s.orderAckSchema },
        200: { description: 'replay of an earlier submission', schema: s.orderAckSchema },
        409: errorResponse('gate closed, or clientOrderId reused with different fields'),
        503: errorResponse('not stored (storage failure); retry with the same clientOrderId'),
      },
      async handler({ params, body, principal, reply }) {
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
    memberReadRoute({
      url: '/v1/platforms/:platformId/orders',
      tag: 'orders',
      summary: 'List orders (a prosumer sees only its own; operator and DSO see all)',
      params: s.platformParams,
      query: s.listOrdersQuery,
      responses: { 200: newestFirstResponse('orders', s.orderSchema) },
      async handler({ params, query, principal }) {
        const filter = platformListing(principal, params.platformId, ownOrders, query.intervalStart);
        if (query.status) filter.add((p) => `status = ${p}`, query.status);
        const rows = await listNewestFirst(ctx, 'orders', ORDER_COLUMNS, filter, query.limit);
        return { orders: rows.map((r) => toOrderView(mapOrderRow(r))) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/orders/:orderId',
      tag: 'orders',
      summary: 'Get one order (its owner, or the operator/DSO of its platform)',
      access: 'owner, operator, dso',
      params: s.orderParams,
      responses: { 200: { description: 'order', schema: s.orderSchema }, 404: NOT_FOUND_OR_NOT_YOURS },
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
      responses: { 200: { description: 'cancelled', schema: s.orderSchema }, 404: NOT_FOUND_OR_NOT_YOURS },
      async handler({ params, principal }) {
        const orderId = Number(params.orderId);
        const row = await ctx.db.query('SELECT platform_id, member_id FROM orders WHERE id = $1', [orderId]);
        if (row.rows.length === 0 || row.rows[0].member_id !== principal.member?.id) throw notFound('order');
        const engine = await requireEngine(ctx, String(row.rows[0].platform_id));
        const order = await engine.cancel(orderId, (o) => o.memberId === principal.member?.id);
        return toOrderView(order);
      },
    }),
  ];
}
