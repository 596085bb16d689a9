// Testing only (GRIDNEST_MANUAL_CLOCK=1): move the manual clock forward.
import { z } from 'zod';
import type { ManualClock } from '../../clock.ts';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { badField, forbidden } from '../service-error.ts';

export function adminClockRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
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
        if (ms < clock.nowMs()) throw badField(['body', 'now'], 'backwards', 'the clock only moves forward');
        clock.set(ms);
        await ctx.tick();
        return { now: new Date(ms).toISOString() };
      },
    }),
  ];
}
