// The platform ledger: balances and transactions (prosumers see only their own account).
import { z } from 'zod';
import { isPrivileged } from '../../auth/principal.ts';
import { microEurToEurNumber } from '../../market/units.ts';
import type { ServiceContext } from '../../service-context.ts';
import { memberReadRoute, type RouteSpec } from '../route-spec.ts';
import * as s from '../schemas.ts';
import { iso } from './route-helpers.ts';

export function ledgerRoutes(ctx: ServiceContext): RouteSpec[] {
  return [
    memberReadRoute({
      url: '/v1/platforms/:platformId/ledger/balances',
      tag: 'ledger',
      summary: 'Ledger balances in micro-euros (prosumers see only their own account)',
      params: s.platformParams,
      responses: { 200: { description: 'balances', schema: s.balancesSchema } },
      async handler({ params, principal }) {
        const privileged = isPrivileged(principal, params.platformId);
        const result = privileged
          ? await ctx.db.query(
              'SELECT account_id, sum(amount_micro_eur)::int8 AS balance FROM ledger_postings WHERE platform_id = $1 GROUP BY account_id ORDER BY account_id',
              [params.platformId],
            )
          : await ctx.db.query(
              'SELECT account_id, sum(amount_micro_eur)::int8 AS balance FROM ledger_postings WHERE platform_id = $1 AND account_id = $2 GROUP BY account_id',
              [params.platformId, principal.member!.id],
            );
        const accounts = result.rows.map((r) => ({
          accountId: String(r.account_id),
          balanceMicroEur: Number(r.balance),
          balanceEur: microEurToEurNumber(Number(r.balance)),
        }));
        if (!privileged && accounts.length === 0)
          accounts.push({ accountId: principal.member!.id, balanceMicroEur: 0, balanceEur: 0 });
        return { platformId: params.platformId, accounts };
      },
    }),
    memberReadRoute({
      url: '/v1/platforms/:platformId/ledger/transactions',
      tag: 'ledger',
      summary:
        'Ledger transactions with their postings (prosumers: only transactions touching their account, only their postings)',
      params: s.platformParams,
      query: s.listLedgerTransactionsQuery,
      responses: {
        200: {
          description: 'transactions',
          schema: z.object({ transactions: z.array(s.ledgerTransactionSchema) }),
        },
      },
      async handler({ params, query, principal }) {
        const privileged = isPrivileged(principal, params.platformId);
        const result = await ctx.db.query(
          `SELECT t.id, t.description, t.settlement_run_id, t.created_at,
                  json_agg(json_build_object('accountId', p.account_id, 'amountMicroEur', p.amount_micro_eur) ORDER BY p.leg) AS postings
           FROM ledger_transactions t JOIN ledger_postings p ON p.transaction_id = t.id
           WHERE t.platform_id = $1 ${privileged ? '' : 'AND EXISTS (SELECT 1 FROM ledger_postings q WHERE q.transaction_id = t.id AND q.account_id = $3)'}
           GROUP BY t.id ORDER BY t.created_at DESC, t.id LIMIT $2`,
          privileged
            ? [params.platformId, query.limit]
            : [params.platformId, query.limit, principal.member!.id],
        );
        return {
          transactions: result.rows.map((r) => {
            const postings = (r.postings as { accountId: string; amountMicroEur: number }[]).map((p) => ({
              accountId: p.accountId,
              amountMicroEur: Number(p.amountMicroEur),
            }));
            return {
              id: String(r.id),
              description: privileged ? String(r.description) : 'settlement entry',
              settlementRunId: r.settlement_run_id === null ? null : String(r.settlement_run_id),
              postings: privileged ? postings : postings.filter((p) => p.accountId === principal.member!.id),
              createdAt: iso(r.created_at),
            };
          }),
        };
      },
    }),
  ];
}
