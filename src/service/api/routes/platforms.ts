// /v1/platforms: create (admin), list and get.
import { z } from 'zod';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { forbidden, notFound } from '../service-error.ts';
import { insertCredential, insertMember, mapPlatform } from './member-records.ts';
import { MEMBER_ROLES, newId } from './route-helpers.ts';

export function platformRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
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
      roles: MEMBER_ROLES,
      params: s.platformParams,
      responses: {
        200: { description: 'platform', schema: s.platformSchema },
        404: { description: 'not found' },
      },
      async handler({ params }) {
        const result = await ctx.db.query('SELECT * FROM platforms WHERE id = $1', [params.platformId]);
        if (result.rows.length === 0) throw notFound('platform');
        return mapPlatform(result.rows[0]);
      },
    }),
  ];
}
