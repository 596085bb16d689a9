// Meter readings: import and export per member and interval, replaceable until the interval is settled.
import { z } from 'zod';
import { kwhToWh } from '../../market/units.ts';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { badField, conflict, notFound } from '../service-error.ts';
import { parseIntervalStart } from './route-helpers.ts';

export function meterReadingRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'PUT',
      url: '/v1/platforms/:platformId/meter-readings',
      tag: 'settlement',
      summary:
        'Record meter readings (import and export per member and interval); replaces earlier values until settled',
      access: 'dso, operator',
      roles: ['dso', 'operator'],
      params: s.platformParams,
      body: s.meterReadingsBody,
      bodyLimitBytes: 2 * 1024 * 1024,
      responses: { 200: { description: 'stored', schema: z.object({ stored: z.number() }) } },
      async handler({ params, body }) {
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
  ];
}
