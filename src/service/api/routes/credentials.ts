// /v1/members/{id}/credentials (rotate) and /v1/credentials/{keyId} (revoke).
import { z } from 'zod';
import { requirePlatformRole } from '../../auth/principal.ts';
import type { ServiceContext } from '../../service-context.ts';
import { defineRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { notFound } from '../service-error.ts';
import { insertCredential } from './member-records.ts';

export function credentialRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
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
  ];
}
