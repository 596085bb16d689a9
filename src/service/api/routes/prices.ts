// The DSO's price schedules: publish, and the one that applies to an interval.
import { z } from 'zod';
import { priceScheduleSchema, scheduleSpanMs } from '../../../core/price-schedule.ts';
import type { ServiceContext } from '../../service-context.ts';
import { findApplicableSchedule } from '../../settlement/settle-interval.ts';
import { defineRoute, memberReadRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { notFound } from '../service-error.ts';

const appliedSchedule = z.object({ id: z.string(), publishedBy: z.string(), schedule: priceScheduleSchema });
const appliedSchedules = z.object({ schedules: z.array(appliedSchedule) });

/** The schedule that applies to an interval as the API shows it, or null when none covers it. */
async function applicableSchedule(ctx: ServiceContext, platformId: string, intervalStart: string) {
  const found = await findApplicableSchedule(ctx.db, platformId, Date.parse(intervalStart));
  return found && { id: String(found.id), publishedBy: found.publishedBy, schedule: found.schedule };
}

export function priceRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/price-schedules',
      tag: 'prices',
      summary: "Publish the DSO's PriceSchedule (import/export prices per location, fees per location pair)",
      description:
        'The latest publication covering an interval applies to its settlement; the DSO publishing it receives fees and imbalance payments.',
      access: 'dso',
      roles: ['dso'],
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
    memberReadRoute({
      url: '/v1/platforms/:platformId/price-schedules',
      tag: 'prices',
      summary:
        'The PriceSchedule that applies to an interval as a list: one entry, or none yet (never a 404)',
      params: s.platformParams,
      query: s.intervalQuery,
      responses: { 200: { description: 'the applicable schedule, if any', schema: appliedSchedules } },
      async handler({ params, query }) {
        const found = await applicableSchedule(ctx, params.platformId, query.intervalStart);
        return { schedules: found ? [found] : [] };
      },
    }),
    memberReadRoute({
      url: '/v1/platforms/:platformId/price-schedules/current',
      tag: 'prices',
      summary: 'The PriceSchedule that applies to an interval',
      params: s.platformParams,
      query: s.intervalQuery,
      responses: { 200: { description: 'schedule', schema: appliedSchedule } },
      async handler({ params, query }) {
        const found = await applicableSchedule(ctx, params.platformId, query.intervalStart);
        if (!found) throw notFound('price schedule');
        return found;
      },
    }),
  ];
}
