// Contract networks: the outcome is stable (a search for a blocking pair finds none) and within a stated gap of the optimum.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../numeric/random.ts';
import { computeTradeCapKwh, type MarketBook } from './book.ts';
import { clearCentralised } from './centralised.ts';
import { ContractNetworkNegotiation, chooseContracts } from './contract-network.ts';
import { parseMarketText } from './exchange-format.ts';
import { generateMarketBook } from './random-market.ts';

/** Larger than every real contract id, so that ties go to held contracts: blocking needs a strict gain. */
const NEW_CONTRACT = Number.MAX_SAFE_INTEGER;

/**
 * Search every allowed pair and every grid price for a blocking contract: one more block between buyer b and
 * seller s at price p that both would choose from what they hold plus it (Hatfield & Kominers' stability,
 * pairwise). Also check individual rationality: each agent chooses all it holds from what it holds.
 */
function findInstability(negotiation: ContractNetworkNegotiation, book: MarketBook): string | null {
  const held = negotiation.heldContracts();
  const blockKwh = negotiation.blockKwh;
  const heldBy = (agent: number) =>
    held.flatMap((c) => {
      const isSale = book.tradeSeller[c.pair] === agent;
      if (!isSale && book.tradeBuyer[c.pair] !== agent) return [];
      const unitEurPerKwh = c.priceEurPerKwh + (isSale ? 0 : book.tradeCostEurPerKwh[c.pair]);
      return [{ contract: c.contract, isSale, unitEurPerKwh }];
    });
  for (let i = 0; i < book.agents.length; i++) {
    const own = heldBy(i);
    if (chooseContracts(book, i, own, blockKwh).size !== own.length)
      return `agent ${book.agents[i].id} drops a contract`;
  }
  const maxPrice =
    Math.max(...book.agents.map((a) => a.costLinEurPerKwh + a.costQuadEurPerKwh2 * -a.eMinKwh)) + 0.01;
  for (let k = 0; k < book.tradeBuyer.length; k++) {
    // A further contract must exist: a pair carries at most ⌊cap/block⌋ blocks (trade cap min(eMax_s, −eMin_b)).
    const blocksOnPair = held.filter((c) => c.pair === k).length;
    if (blocksOnPair >= Math.floor(computeTradeCapKwh(book, k) / blockKwh + 1e-9)) continue;
    const b = book.tradeBuyer[k];
    const s = book.tradeSeller[k];
    const buyerHeld = heldBy(b);
    const sellerHeld = heldBy(s);
    for (let step = 0; step * negotiation.tick <= maxPrice; step++) {
      const price = step * negotiation.tick;
      const buyerChoice = chooseContracts(
        book,
        b,
        [
          ...buyerHeld,
          { contract: NEW_CONTRACT, isSale: false, unitEurPerKwh: price + book.tradeCostEurPerKwh[k] },
        ],
        blockKwh,
      );
      if (!buyerChoice.has(NEW_CONTRACT)) continue;
      const sellerChoice = chooseContracts(
        book,
        s,
        [...sellerHeld, { contract: NEW_CONTRACT, isSale: true, unitEurPerKwh: price }],
        blockKwh,
      );
      if (sellerChoice.has(NEW_CONTRACT))
        return `${book.agents[b].id} and ${book.agents[s].id} block at ${price.toFixed(4)} EUR/kWh`;
    }
  }
  return null;
}

function negotiate(book: MarketBook) {
  const negotiation = new ContractNetworkNegotiation(book);
  while (!negotiation.step().isDone);
  return negotiation;
}

describe('contract network', () => {
  it('ends stable on example-6, within 1e-4 of the optimum', async () => {
    const book = parseMarketText(readFileSync('data/markets/example-6.json', 'utf8'));
    const negotiation = negotiate(book);
    const result = negotiation.result();
    expect(result.status).toBe('converged');
    expect(findInstability(negotiation, book)).toBeNull();
    const optimum = await clearCentralised(book);
    const gap = (result.objectiveEur - optimum.objectiveEur) / Math.abs(optimum.objectiveEur);
    expect(gap).toBeGreaterThanOrEqual(-1e-9);
    expect(gap).toBeLessThan(1e-4);
  });

  it.each([1, 2, 3, 4, 5, 6])(
    'ends stable on a generated market with fees and restricted pairs (seed %i), within 2 percent of the optimum',
    async (seed) => {
      const book = generateMarketBook(uniformGenerator(500 + seed), {
        agentCount: 10,
        tradeCostMaxEurPerKwh: 0.04,
        partnersPerBuyer: seed === 1 ? undefined : 3,
      });
      const negotiation = negotiate(book);
      expect(negotiation.result().status).toBe('converged');
      expect(findInstability(negotiation, book)).toBeNull();
      const optimum = await clearCentralised(book);
      const gap = (negotiation.result().objectiveEur - optimum.objectiveEur) / Math.abs(optimum.objectiveEur);
      expect(gap).toBeGreaterThanOrEqual(-1e-9);
      expect(gap).toBeLessThan(0.02);
    },
  );

  it('the search does find a blocking pair in an outcome without trades', () => {
    const book = parseMarketText(readFileSync('data/markets/example-6.json', 'utf8'));
    const untraded = new ContractNetworkNegotiation(book);
    expect(findInstability(untraded, book)).toMatch(/block at/);
  });
});
