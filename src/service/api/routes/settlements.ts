// Settlement runs: settle a closed interval into the ledger (once), and read a run.
import { isPrivileged } from '../../auth/principal.ts';
import type { ServiceContext } from '../../service-context.ts';
import { loadSettlementRun, settleInterval } from '../../settlement/settle-interval.ts';
import { defineRoute, memberReadRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { notFound, ServiceError } from '../service-error.ts';
import { errorResponse, parseIntervalStart, requireEngine } from './route-helpers.ts';

export function settlementRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/settlements',
      tag: 'settlement',
      summary:
        'Settle a closed interval: trades, fees and imbalances into the ledger (once; a repeat returns the run)',
      access: 'operator',
      roles: ['operator'],
      params: s.platformParams,
      body: s.settlementBody,
      responses: {
        201: { description: 'settled now', schema: s.settlementRunSchema },
        200: { description: 'was settled before', schema: s.settlementRunSchema },
        409: errorResponse('interval not closed, no prices, or missing meter readings'),
      },
      async handler({ params, body, reply }) {
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
    memberReadRoute({
      url: '/v1/platforms/:platformId/settlements/:intervalStart',
      tag: 'settlement',
      summary: 'A settlement run (prosumers see only their own line)',
      params: s.platformIntervalParams,
      responses: { 200: { description: 'run', schema: s.settlementRunSchema } },
      async handler({ params, principal }) {
        const run = await loadSettlementRun(ctx.db, params.platformId, Date.parse(params.intervalStart));
        if (!run) throw notFound('settlement run');
        if (isPrivileged(principal, params.platformId)) return run;
        return { ...run, members: run.members.filter((m) => m.memberId === principal.member?.id) };
      },
    }),
  ];
}
