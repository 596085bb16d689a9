// /v1/platforms/{id}/members (add, list) and /v1/me.
import { z } from 'zod';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { notFound } from '../service-error.ts';
import { insertCredential, insertMember, MEMBER_COLUMNS, mapMember } from './member-records.ts';

export function memberRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/platforms/:platformId/members',
      tag: 'members',
      summary: 'Add a member (prosumer, operator or DSO) with its first API key',
      description: 'The API key is in the response only; store it, it cannot be shown again.',
      access: 'operator',
      roles: ['operator'],
      params: s.platformParams,
      body: s.createMemberBody,
      responses: { 201: { description: 'created', schema: s.memberCreatedSchema } },
      async handler({ params, body, reply }) {
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
      roles: ['operator', 'dso'],
      params: s.platformParams,
      responses: { 200: { description: 'members', schema: z.object({ members: z.array(s.memberSchema) }) } },
      async handler({ params }) {
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
  ];
}
