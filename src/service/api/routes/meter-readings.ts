// Meter readings: import and export per member and interval, replaceable until the interval is settled; members
// read them back (a prosumer its own, operator and DSO all).
import { z } from 'zod';
import { kwhToWh, whToKwh } from '../../market/units.ts';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, memberReadRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { badField, conflict, notFound } from '../service-error.ts';
import { iso, parseIntervalStart, platformListing } from './route-helpers.ts';

/** A prosumer's own readings (`p`: the member id's placeholder). */
const ownReadings = (p: string) => `member_id = ${p}`;

export function meterReadingRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    memberReadRoute({
      url: '/v1/platforms/:platformId/meter-readings',
      tag: 'settlement',
      summary: 'Meter readings, newest interval first (prosumers see their own; operator and DSO all)',
      params: s.platformParams,
      query: s.listMeterReadingsQuery,
      responses: {
        200: { description: 'readings', schema: z.object({ readings: z.array(s.meterReadingSchema) }) },
      },
      async handler({ params, query, principal }) {
        const filter = platformListing(principal, params.platformId, ownReadings, query.intervalStart);
        const limit = filter.bind(query.limit);
        const result = await ctx.db.query(
          `SELECT member_id, interval_start_ms, import_wh, export_wh, recorded_at FROM meter_readings
           WHERE ${filter.where} ORDER BY interval_start_ms DESC, member_id LIMIT ${limit}`,
          filter.values,
        );
        return {
          readings: result.rows.map((r) => ({
            memberId: String(r.member_id),
            intervalStart: new Date(Number(r.interval_start_ms)).toISOString(),
            importKwh: whToKwh(Number(r.import_wh)),
            exportKwh: whToKwh(Number(r.export_wh)),
            recordedAt: iso(r.recorded_at),
          })),
        };
      },
    }),
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
