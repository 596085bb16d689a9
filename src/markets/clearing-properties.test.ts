// Property tests on seeded random markets: admm vs the centralised QP vs the pool solved by price bisection (a second formulation).
import { describe, expect, it } from 'vitest';
import { uniformGenerator } from '../numeric/random.ts';
import { AdmmNegotiation, clearAdmm } from './admm.ts';
import type { MarketBook, MarketResult } from './book.ts';
import { clearCentralised } from './centralised.ts';
import { solvePoolByBisection } from './pool-reference.ts';
import { generateMarketBook } from './random-market.ts';

const relativeGap = (x: number, reference: number) =>
  Math.abs(x - reference) / Math.max(Math.abs(reference), 1e-9);

function expectPositionsClose(
  book: MarketBook,
  result: MarketResult,
  reference: ArrayLike<number>,
  share: number,
) {
  book.agents.forEach((agent, i) => {
    expect(Math.abs(result.agents[i].eKwh - reference[i])).toBeLessThanOrEqual(
      share * (agent.eMaxKwh - agent.eMinKwh),
    );
  });
}

function expectTradesConsistent(book: MarketBook, result: MarketResult) {
  const allowed = new Set<string>();
  for (let k = 0; k < book.tradeBuyer.length; k++)
    allowed.add(`${book.agents[book.tradeBuyer[k]].id}>${book.agents[book.tradeSeller[k]].id}`);
  const netKwh = new Map(book.agents.map((a) => [a.id, 0]));
  for (const trade of result.trades) {
    expect(allowed.has(`${trade.buyer}>${trade.seller}`)).toBe(true);
    expect(trade.eKwh).toBeGreaterThan(0);
    netKwh.set(trade.seller, netKwh.get(trade.seller)! + trade.eKwh);
    netKwh.set(trade.buyer, netKwh.get(trade.buyer)! - trade.eKwh);
  }
  // Trades below TRADE_REPORT_THRESHOLD_KWH (1e-9) are left out of the table.
  for (const { id, eKwh } of result.agents) expect(eKwh).toBeCloseTo(netKwh.get(id)!, 7);
}

const SEEDS = [1, 2, 3, 4, 5, 6];

describe('zero trade costs: admm = centralised = price bisection', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const random = uniformGenerator(seed);
    const agentCount = 2 + Math.floor(random() * 49);
    const book = generateMarketBook(random, { agentCount });
    const pool = solvePoolByBisection(book);
    const central = await clearCentralised(book);
    const admm = clearAdmm(book);
    expect(central.status).toBe('optimal');
    expect(admm.status).toBe('converged');
    expect(relativeGap(central.objectiveEur, pool.objectiveEur)).toBeLessThan(1e-6);
    expect(relativeGap(admm.objectiveEur, pool.objectiveEur)).toBeLessThan(1e-4);
    expectPositionsClose(book, central, pool.eKwh, 1e-5);
    expectPositionsClose(book, admm, pool.eKwh, 1e-3);
    if (central.priceEurPerKwh !== null) expect(central.priceEurPerKwh).toBeCloseTo(pool.priceEurPerKwh, 5);
    expectTradesConsistent(book, central);
    expectTradesConsistent(book, admm);
  });
});

describe('trade costs, prosumers and restricted pairs: admm = centralised trade-form optimum', () => {
  it.each(SEEDS)('seed %i', async (seed) => {
    const random = uniformGenerator(1000 + seed);
    const agentCount = 2 + Math.floor(random() * 49);
    const book = generateMarketBook(random, {
      agentCount,
      tradeCostMaxEurPerKwh: 0.05 * random(),
      prosumerShare: 0.3 * random(),
      partnersPerBuyer: seed % 2 === 0 ? 1 + Math.floor(random() * 5) : undefined,
    });
    const central = await clearCentralised(book);
    const admm = clearAdmm(book);
    expect(central.status).toBe('optimal');
    expect(admm.status).toBe('converged');
    expect(relativeGap(admm.objectiveEur, central.objectiveEur)).toBeLessThan(1e-4);
    expectPositionsClose(
      book,
      admm,
      central.agents.map((a) => a.eKwh),
      1e-3,
    );
    expectTradesConsistent(book, central);
    expectTradesConsistent(book, admm);
  });
});

describe('admm negotiation', () => {
  it('is steppable: residuals shrink to the tolerance, and ρ adapts', () => {
    const book = generateMarketBook(uniformGenerator(42), { agentCount: 30, tradeCostMaxEurPerKwh: 0.03 });
    const negotiation = new AdmmNegotiation(book, { rhoEurPerKwh2: 1 });
    const first = negotiation.step();
    let last = first;
    while (!last.isDone) last = negotiation.step();
    expect(first.primalResidual + first.dualResidual).toBeGreaterThan(1e-3);
    expect(last.primalResidual).toBeLessThanOrEqual(1e-6);
    expect(last.dualResidual).toBeLessThanOrEqual(1e-6);
    expect(negotiation.rhoEurPerKwh2).not.toBe(1);
    expect(negotiation.result().status).toBe('converged');
  });

  it('prices a single trade with a trade cost as derived by hand', () => {
    // Buyer utility 0.5x − 0.01x²/2, seller cost 0.1x + 0.01x²/2, trade cost 0.04:
    // 0.5 − 0.01x − 0.04 = 0.1 + 0.01x → x = 18 kWh, seller price 0.1 + 0.18 = 0.28, buyer pays 0.32.
    const pair: MarketBook = {
      agents: [
        { id: 'B', eMinKwh: -50, eMaxKwh: 0, costQuadEurPerKwh2: 0.01, costLinEurPerKwh: 0.5 },
        { id: 'S', eMinKwh: 0, eMaxKwh: 50, costQuadEurPerKwh2: 0.01, costLinEurPerKwh: 0.1 },
      ],
      tradeBuyer: Int32Array.of(0),
      tradeSeller: Int32Array.of(1),
      tradeCostEurPerKwh: Float64Array.of(0.04),
    };
    const admm = clearAdmm(pair);
    expect(admm.trades[0].eKwh).toBeCloseTo(18, 3);
    expect(admm.trades[0].priceEurPerKwh).toBeCloseTo(0.28, 4);
    expect(admm.priceEurPerKwh).toBeNull();
  });
});
