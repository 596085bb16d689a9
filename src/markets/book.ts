// The market book: agents with quadratic costs and bounds, and the allowed buyer–seller trades (structure of arrays).
import type { Status } from '../core/status.ts';

/**
 * One market participant in one interval. Sign convention (DESIGN.md): `eKwh` is positive when the agent sells,
 * negative when it buys, `eMinKwh ≤ eKwh ≤ eMaxKwh`; its cost is `costQuadEurPerKwh2·e²/2 + costLinEurPerKwh·e`
 * (for a buyer a negative utility).
 */
export interface MarketAgent {
  readonly id: string;
  readonly eMinKwh: number;
  readonly eMaxKwh: number;
  readonly costQuadEurPerKwh2: number;
  readonly costLinEurPerKwh: number;
}

/**
 * Agents and allowed trades. Trade k moves `t_k ≥ 0` kWh from agent `tradeSeller[k]` to agent `tradeBuyer[k]`;
 * the buyer bears `tradeCostEurPerKwh[k]·t_k` once (product differentiation: fees, distance, preferences).
 */
export interface MarketBook {
  readonly agents: readonly MarketAgent[];
  readonly tradeBuyer: Int32Array;
  readonly tradeSeller: Int32Array;
  readonly tradeCostEurPerKwh: Float64Array;
  /** The money part of each trade cost (a DSO fee, settled to the fee recipient); absent = all of it. */
  readonly tradeFeeEurPerKwh?: Float64Array;
}

/** One bilateral trade in a result; `priceEurPerKwh` is what the buyer pays the seller, excluding the trade cost. */
export interface TradeResult {
  readonly buyer: string;
  readonly seller: string;
  readonly eKwh: number;
  readonly priceEurPerKwh: number;
  readonly tradeCostEurPerKwh: number;
  /** The money part of the trade cost, paid by the buyer to the fee recipient (default: all of it). */
  readonly feeEurPerKwh?: number;
}

/** What every mechanism returns: positions and trades keyed by agent id, with a status (never an exception). */
export interface MarketResult {
  readonly mechanism: string;
  readonly status: Status;
  readonly iterations: number;
  /** Σ agents' costs + Σ trade costs (EUR); social welfare is its negative. */
  readonly objectiveEur: number;
  readonly socialWelfareEur: number;
  /** The uniform price where one exists and is unique, else null. */
  readonly priceEurPerKwh: number | null;
  readonly agents: readonly { readonly id: string; readonly eKwh: number }[];
  readonly trades: readonly TradeResult[];
}

/** Trades below this volume (kWh) are left out of results. */
export const TRADE_REPORT_THRESHOLD_KWH = 1e-9;

export const canBuy = (agent: MarketAgent): boolean => agent.eMinKwh < 0;
export const canSell = (agent: MarketAgent): boolean => agent.eMaxKwh > 0;

/** Cost of an agent at position e (EUR): a·e²/2 + b·e. */
export function evaluateAgentCostEur(agent: MarketAgent, eKwh: number): number {
  return 0.5 * agent.costQuadEurPerKwh2 * eKwh * eKwh + agent.costLinEurPerKwh * eKwh;
}

/** Largest volume trade k can carry: what the seller can sell and the buyer can buy (kWh, ≥ 0). */
export function computeTradeCapKwh(book: MarketBook, k: number): number {
  const seller = book.agents[book.tradeSeller[k]];
  const buyer = book.agents[book.tradeBuyer[k]];
  return Math.max(0, Math.min(seller.eMaxKwh, -buyer.eMinKwh));
}

/** Build a book from agents, allowed pairs (`'all'` or [buyer, seller] index pairs) and a trade-cost function. */
export function buildMarketBook(
  agents: readonly MarketAgent[],
  pairs: 'all' | readonly (readonly [number, number])[],
  tradeCostEurPerKwh: (buyer: number, seller: number) => number = () => 0,
): MarketBook {
  const buyers: number[] = [];
  const sellers: number[] = [];
  if (pairs === 'all') {
    for (let b = 0; b < agents.length; b++) {
      if (!canBuy(agents[b])) continue;
      for (let s = 0; s < agents.length; s++) {
        if (s !== b && canSell(agents[s])) {
          buyers.push(b);
          sellers.push(s);
        }
      }
    }
  } else {
    for (const [b, s] of pairs) {
      buyers.push(b);
      sellers.push(s);
    }
  }
  const tradeBuyer = Int32Array.from(buyers);
  const tradeSeller = Int32Array.from(sellers);
  const costs = new Float64Array(buyers.length);
  for (let k = 0; k < costs.length; k++) costs[k] = tradeCostEurPerKwh(buyers[k], sellers[k]);
  return { agents, tradeBuyer, tradeSeller, tradeCostEurPerKwh: costs };
}

/** Agents' positions implied by trade volumes: e_i = Σ sales − Σ purchases (kWh). */
export function computePositionsKwh(book: MarketBook, tradeKwh: Float64Array): Float64Array {
  const eKwh = new Float64Array(book.agents.length);
  for (let k = 0; k < tradeKwh.length; k++) {
    eKwh[book.tradeSeller[k]] += tradeKwh[k];
    eKwh[book.tradeBuyer[k]] -= tradeKwh[k];
  }
  return eKwh;
}

/** Total cost of an outcome (EUR): agents' costs at the implied positions plus trade costs. */
export function evaluateObjectiveEur(book: MarketBook, tradeKwh: Float64Array): number {
  const eKwh = computePositionsKwh(book, tradeKwh);
  let total = 0;
  for (let i = 0; i < eKwh.length; i++) total += evaluateAgentCostEur(book.agents[i], eKwh[i]);
  for (let k = 0; k < tradeKwh.length; k++) total += book.tradeCostEurPerKwh[k] * tradeKwh[k];
  return total;
}

/** Assemble the result tables from trade volumes and per-trade prices; positions always equal the trade sums. */
export function buildMarketResult(
  book: MarketBook,
  header: {
    readonly mechanism: string;
    readonly status: Status;
    readonly iterations: number;
    readonly priceEurPerKwh: number | null;
  },
  tradeKwh: Float64Array,
  tradePriceEurPerKwh: Float64Array,
): MarketResult {
  const eKwh = computePositionsKwh(book, tradeKwh);
  const objectiveEur = evaluateObjectiveEur(book, tradeKwh);
  const trades: TradeResult[] = [];
  for (let k = 0; k < tradeKwh.length; k++) {
    if (tradeKwh[k] <= TRADE_REPORT_THRESHOLD_KWH) continue;
    trades.push({
      buyer: book.agents[book.tradeBuyer[k]].id,
      seller: book.agents[book.tradeSeller[k]].id,
      eKwh: tradeKwh[k],
      priceEurPerKwh: tradePriceEurPerKwh[k],
      tradeCostEurPerKwh: book.tradeCostEurPerKwh[k],
      feeEurPerKwh: book.tradeFeeEurPerKwh ? book.tradeFeeEurPerKwh[k] : book.tradeCostEurPerKwh[k],
    });
  }
  return {
    ...header,
    objectiveEur,
    socialWelfareEur: -objectiveEur,
    agents: book.agents.map((agent, i) => ({ id: agent.id, eKwh: eKwh[i] })),
    trades,
  };
}

/** Agents whose own bounds cannot be met by any volumes on their allowed trades (a necessary feasibility check). */
export function findLocallyInfeasibleAgents(book: MarketBook): number[] {
  const maxSellKwh = new Float64Array(book.agents.length);
  const maxBuyKwh = new Float64Array(book.agents.length);
  for (let k = 0; k < book.tradeBuyer.length; k++) {
    const cap = computeTradeCapKwh(book, k);
    maxSellKwh[book.tradeSeller[k]] += cap;
    maxBuyKwh[book.tradeBuyer[k]] += cap;
  }
  const bad: number[] = [];
  book.agents.forEach((agent, i) => {
    if (agent.eMinKwh > agent.eMaxKwh || agent.eMinKwh > maxSellKwh[i] || agent.eMaxKwh < -maxBuyKwh[i])
      bad.push(i);
  });
  return bad;
}

/**
 * The uniform price of an outcome, or null. It exists when every trade carrying volume has zero trade cost and
 * every trading agent strictly inside its bounds (by `interiorShare` of its range) has the same price (its
 * balance dual, within `relativePrice`); at least one such agent must exist. It is then unique: at any other price that agent
 * would want another position while the agents at their bounds could not follow. Agents at a bound are left
 * out because their duals also carry the bound's multiplier.
 */
export function findUniformPriceEurPerKwh(
  book: MarketBook,
  tradeKwh: Float64Array,
  agentPriceEurPerKwh: Float64Array,
  tolerance: { readonly relativePrice: number; readonly interiorShare: number },
): number | null {
  const eKwh = computePositionsKwh(book, tradeKwh);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const visit = (i: number) => {
    if (!isStrictlyInside(book.agents[i], eKwh[i], tolerance.interiorShare)) return;
    min = Math.min(min, agentPriceEurPerKwh[i]);
    max = Math.max(max, agentPriceEurPerKwh[i]);
  };
  for (let k = 0; k < tradeKwh.length; k++) {
    if (tradeKwh[k] <= TRADE_REPORT_THRESHOLD_KWH) continue;
    if (book.tradeCostEurPerKwh[k] !== 0) return null;
    visit(book.tradeBuyer[k]);
    visit(book.tradeSeller[k]);
  }
  if (min > max) return null;
  const mid = 0.5 * (min + max);
  return max - min <= tolerance.relativePrice * Math.max(Math.abs(mid), 1e-3) ? mid : null;
}

/** Whether a position is inside an agent's bounds by more than `share` (default 10⁻⁶) of its range. */
export function isStrictlyInside(agent: MarketAgent, eKwh: number, share = 1e-6): boolean {
  const marginKwh = share * (agent.eMaxKwh - agent.eMinKwh);
  return eKwh > agent.eMinKwh + marginKwh && eKwh < agent.eMaxKwh - marginKwh;
}
