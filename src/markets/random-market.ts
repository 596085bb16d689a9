// Seeded generator of market books for property tests and benchmarks (randomness is injected, never global).
import { buildMarketBook, type MarketAgent, type MarketBook } from './book.ts';

export interface RandomMarketOptions {
  readonly agentCount: number;
  /** Each buyer trades with this many random sellers; absent = all buyer–seller pairs. */
  readonly partnersPerBuyer?: number;
  /** Trade costs drawn uniformly in [0, max) EUR/kWh; 0 = no product differentiation. */
  readonly tradeCostMaxEurPerKwh?: number;
  /** Share of agents that can both buy and sell (prosumers); default 0. */
  readonly prosumerShare?: number;
}

/**
 * Half buyers (utility 0.3–0.6 EUR/kWh at zero, curvature 0.005–0.03), half sellers (0.05–0.3 EUR/kWh,
 * curvature 0.002–0.02), bounds 5–50 kWh; prosumers get bounds on both sides and a mid-range cost.
 */
export function generateMarketBook(random: () => number, options: RandomMarketOptions): MarketBook {
  const uniform = (low: number, high: number) => low + (high - low) * random();
  const agents: MarketAgent[] = [];
  const prosumerShare = options.prosumerShare ?? 0;
  for (let i = 0; i < options.agentCount; i++) {
    const isBuyer = i % 2 === 0;
    if (random() < prosumerShare) {
      agents.push({
        id: `P${i}`,
        eMinKwh: -uniform(2, 20),
        eMaxKwh: uniform(2, 20),
        costQuadEurPerKwh2: uniform(0.005, 0.03),
        costLinEurPerKwh: uniform(0.15, 0.4),
      });
    } else if (isBuyer) {
      agents.push({
        id: `B${i}`,
        eMinKwh: -uniform(5, 50),
        eMaxKwh: 0,
        costQuadEurPerKwh2: uniform(0.005, 0.03),
        costLinEurPerKwh: uniform(0.3, 0.6),
      });
    } else {
      agents.push({
        id: `S${i}`,
        eMinKwh: 0,
        eMaxKwh: uniform(5, 50),
        costQuadEurPerKwh2: uniform(0.002, 0.02),
        costLinEurPerKwh: uniform(0.05, 0.3),
      });
    }
  }
  const costMax = options.tradeCostMaxEurPerKwh ?? 0;
  const costs = new Map<string, number>();
  const tradeCost = (b: number, s: number) => {
    const key = `${b}:${s}`;
    let cost = costs.get(key);
    if (cost === undefined) costs.set(key, (cost = costMax > 0 ? uniform(0, costMax) : 0));
    return cost;
  };
  if (options.partnersPerBuyer === undefined) return buildMarketBook(agents, 'all', tradeCost);
  const buyers = agents.flatMap((agent, i) => (agent.eMinKwh < 0 ? [i] : []));
  const sellers = agents.flatMap((agent, i) => (agent.eMaxKwh > 0 ? [i] : []));
  const pairs: [number, number][] = [];
  for (const b of buyers) {
    const chosen = new Set<number>();
    const wanted = Math.min(options.partnersPerBuyer, sellers.length - (sellers.includes(b) ? 1 : 0));
    while (chosen.size < wanted) {
      const s = sellers[Math.floor(random() * sellers.length)];
      if (s !== b) chosen.add(s);
    }
    for (const s of chosen) pairs.push([b, s]);
  }
  return buildMarketBook(agents, pairs, tradeCost);
}
