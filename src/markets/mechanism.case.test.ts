// Conformance suite every market mechanism passes: budget balance, individual rationality, empty/one-sided books, infeasible bounds.
import { describe, expect, it } from 'vitest';
import { Ledger, ROUNDING_ACCOUNT_ID } from '../ledger/ledger.ts';
import { microEurToEur } from '../ledger/money.ts';
import { uniformGenerator } from '../numeric/random.ts';
import { buildMarketBook, evaluateAgentCostEur, type MarketAgent, type MarketBook } from './book.ts';
import { type MarketMechanism, MECHANISM_NAMES } from './mechanism.ts';
import { createMarketMechanism } from './mechanisms.ts';
import { generateMarketBook } from './random-market.ts';

const agent = (id: string, eMinKwh: number, eMaxKwh: number, a: number, b: number): MarketAgent => ({
  id,
  eMinKwh,
  eMaxKwh,
  costQuadEurPerKwh2: a,
  costLinEurPerKwh: b,
});

/** Six agents with trade costs on some pairs (fees that the settlement routes to the fee recipient). */
const FEE_BOOK = buildMarketBook(
  [
    agent('B1', -40, 0, 0.01, 0.6),
    agent('B2', -25, 0, 0.015, 0.5),
    agent('B3', -30, 0, 0.006, 0.38),
    agent('S1', 0, 50, 0.004, 0.08),
    agent('S2', 0, 30, 0.012, 0.12),
    agent('S3', 0, 20, 0.003, 0.22),
  ],
  'all',
  (b, s) => 0.01 * ((b + s) % 3),
);

const OK_STATUSES = ['optimal', 'converged'];

/** Money an agent receives from its trades minus its cost change from e = 0 (EUR): ≥ 0 means it gained. */
function computeSurplusesEur(
  book: MarketBook,
  result: Awaited<ReturnType<MarketMechanism['clear']>>,
): number[] {
  const moneyEur = new Map(book.agents.map((a) => [a.id, 0]));
  for (const trade of result.trades) {
    moneyEur.set(trade.seller, moneyEur.get(trade.seller)! + trade.eKwh * trade.priceEurPerKwh);
    moneyEur.set(
      trade.buyer,
      moneyEur.get(trade.buyer)! - trade.eKwh * (trade.priceEurPerKwh + trade.tradeCostEurPerKwh),
    );
  }
  return book.agents.map((a, i) => moneyEur.get(a.id)! - evaluateAgentCostEur(a, result.agents[i].eKwh));
}

export function describeMechanismConformance(mechanism: MarketMechanism): void {
  describe(`${mechanism.name} conformance`, () => {
    it('clears a market with fees: trades on allowed pairs, non-negative, summing to positions', async () => {
      const result = await mechanism.clear(FEE_BOOK);
      expect(OK_STATUSES).toContain(result.status);
      expect(result.trades.length).toBeGreaterThan(0);
      const netKwh = new Map(FEE_BOOK.agents.map((a) => [a.id, 0]));
      for (const trade of result.trades) {
        expect(trade.eKwh).toBeGreaterThan(0);
        expect(trade.buyer.startsWith('B') && trade.seller.startsWith('S')).toBe(true);
        netKwh.set(trade.seller, netKwh.get(trade.seller)! + trade.eKwh);
        netKwh.set(trade.buyer, netKwh.get(trade.buyer)! - trade.eKwh);
      }
      for (const position of result.agents) expect(position.eKwh).toBeCloseTo(netKwh.get(position.id)!, 7);
      expect(result.socialWelfareEur).toBeCloseTo(-result.objectiveEur, 12);
    });

    it('is budget balanced: settlement conserves money exactly and fees reach the fee recipient', async () => {
      const result = await mechanism.clear(FEE_BOOK);
      const ledger = new Ledger();
      const summary = mechanism.settle(result, ledger, { feeRecipientId: 'dso' });
      expect(summary.transactionCount).toBe(result.trades.length);
      expect(ledger.totalBalance()).toBe(0n);
      let paidEur = 0;
      let feesEur = 0;
      for (const trade of result.trades) {
        paidEur += trade.eKwh * (trade.priceEurPerKwh + trade.tradeCostEurPerKwh);
        feesEur += trade.eKwh * trade.tradeCostEurPerKwh;
      }
      const buyersEur = ['B1', 'B2', 'B3'].reduce((sum, id) => sum + microEurToEur(ledger.balanceOf(id)), 0);
      expect(buyersEur).toBeCloseTo(-paidEur, 5);
      expect(microEurToEur(ledger.balanceOf('dso'))).toBeCloseTo(feesEur, 5);
      const residual = ledger.balanceOf(ROUNDING_ACCOUNT_ID);
      expect(
        residual <= 2n * BigInt(result.trades.length) && -residual <= 2n * BigInt(result.trades.length),
      ).toBe(true);
    });

    it('is individually rational: no agent ends worse off than without trading', async () => {
      for (const book of [FEE_BOOK, generateMarketBook(uniformGenerator(11), { agentCount: 10 })]) {
        const result = await mechanism.clear(book);
        for (const surplus of computeSurplusesEur(book, result))
          expect(surplus).toBeGreaterThanOrEqual(-1e-5);
      }
    });

    it('clears an empty book and a one-sided book without trades', async () => {
      const empty = await mechanism.clear(buildMarketBook([], 'all'));
      expect(OK_STATUSES).toContain(empty.status);
      expect(empty.trades).toEqual([]);
      expect(empty.objectiveEur).toBe(0);
      expect(empty.priceEurPerKwh).toBeNull();
      const sellersOnly = buildMarketBook(
        [agent('S1', 0, 10, 0.01, 0.1), agent('S2', 0, 5, 0.02, 0.2)],
        'all',
      );
      const oneSided = await mechanism.clear(sellersOnly);
      expect(OK_STATUSES).toContain(oneSided.status);
      expect(oneSided.trades).toEqual([]);
      expect(oneSided.agents.map((a) => a.eKwh)).toEqual([0, 0]);
      expect(oneSided.priceEurPerKwh).toBeNull();
    });

    it('reports infeasible bounds as a status, not an exception', async () => {
      // S1 must sell at least 10 kWh but its only buyer can take 5.
      const book = buildMarketBook([agent('S1', 10, 20, 0.01, 0.1), agent('B1', -5, 0, 0.01, 0.5)], 'all');
      const result = await mechanism.clear(book);
      expect(result.status).toBe('infeasible');
    });
  });
}

for (const name of MECHANISM_NAMES) describeMechanismConformance(createMarketMechanism(name));
