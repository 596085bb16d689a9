// Periodic uniform-price call auction for one interval: agents' cost curves become block orders, cleared at one price.
import { buildMarketResult, canBuy, canSell, type MarketBook, type MarketResult } from './book.ts';
import type { MarketMechanism } from './mechanism.ts';
import { settleMarketResult } from './settlement.ts';

export interface DoubleAuctionOptions {
  /** Size of the blocks an agent's curve is cut into (kWh); default 1/100 of the largest bound range. */
  readonly blockKwh?: number;
}

/** One block order of an agent: sell (or buy) `eKwh` at no less (no more) than `priceEurPerKwh`. */
export interface BlockOrder {
  readonly agent: number;
  readonly side: 'buy' | 'sell';
  readonly priceEurPerKwh: number;
  readonly eKwh: number;
}

/**
 * Cut each agent's cost curve into blocks. A sale block covering positions [x, x + q] asks the marginal cost at
 * its midpoint, b + a·(x + q/2), which for a quadratic cost is exactly the block's average cost; a purchase
 * block covering [−x − q, −x] bids the marginal utility at its midpoint, b − a·(x + q/2). Selling or buying a
 * block at a price no worse than its limit therefore never lowers the agent's payoff (individual rationality).
 */
export function buildBlockOrders(book: MarketBook, blockKwh: number): BlockOrder[] {
  const orders: BlockOrder[] = [];
  book.agents.forEach((agent, i) => {
    const a = agent.costQuadEurPerKwh2;
    const b = agent.costLinEurPerKwh;
    if (canSell(agent)) {
      for (let x = Math.max(0, agent.eMinKwh); x < agent.eMaxKwh - 1e-12; x += blockKwh) {
        const eKwh = Math.min(blockKwh, agent.eMaxKwh - x);
        orders.push({ agent: i, side: 'sell', priceEurPerKwh: b + a * (x + eKwh / 2), eKwh });
      }
    }
    if (canBuy(agent)) {
      for (let x = Math.max(0, -agent.eMaxKwh); x < -agent.eMinKwh - 1e-12; x += blockKwh) {
        const eKwh = Math.min(blockKwh, -agent.eMinKwh - x);
        orders.push({ agent: i, side: 'buy', priceEurPerKwh: b - a * (x + eKwh / 2), eKwh });
      }
    }
  });
  return orders;
}

/**
 * Uniform-price call auction. The price comes from the aggregate curves (bids by price descending, asks
 * ascending, matched while they cross): the midpoint of [max(last matched ask, first unmatched bid),
 * min(last matched bid, first unmatched ask)]. Bilateral trades are then formed at that one price between bids
 * that still accept it plus the pair's trade cost and asks that accept it, in price-time priority, never between
 * an agent and itself and only on allowed pairs; volume that cannot be routed stays unmatched.
 */
export function clearCallAuction(
  book: MarketBook,
  orders: readonly BlockOrder[],
): { priceEurPerKwh: number | null; tradeKwh: Float64Array } {
  const bids = orders.filter((o) => o.side === 'buy').sort((x, y) => y.priceEurPerKwh - x.priceEurPerKwh);
  const asks = orders.filter((o) => o.side === 'sell').sort((x, y) => x.priceEurPerKwh - y.priceEurPerKwh);
  const tradeKwh = new Float64Array(book.tradeBuyer.length);
  let i = 0;
  let j = 0;
  let bidLeft = bids.length > 0 ? bids[0].eKwh : 0;
  let askLeft = asks.length > 0 ? asks[0].eKwh : 0;
  let lastBid = Number.NaN;
  let lastAsk = Number.NaN;
  while (i < bids.length && j < asks.length && bids[i].priceEurPerKwh >= asks[j].priceEurPerKwh) {
    lastBid = bids[i].priceEurPerKwh;
    lastAsk = asks[j].priceEurPerKwh;
    const eKwh = Math.min(bidLeft, askLeft);
    bidLeft -= eKwh;
    askLeft -= eKwh;
    if (bidLeft <= 1e-12 && ++i < bids.length) bidLeft = bids[i].eKwh;
    if (askLeft <= 1e-12 && ++j < asks.length) askLeft = asks[j].eKwh;
  }
  if (Number.isNaN(lastBid)) return { priceEurPerKwh: null, tradeKwh };
  const nextBid = i < bids.length ? bids[i].priceEurPerKwh : Number.NEGATIVE_INFINITY;
  const nextAsk = j < asks.length ? asks[j].priceEurPerKwh : Number.POSITIVE_INFINITY;
  const priceEurPerKwh = 0.5 * (Math.max(lastAsk, nextBid) + Math.min(lastBid, nextAsk));
  const tradeOfPair = new Map<number, number>();
  const n = book.agents.length;
  for (let k = 0; k < book.tradeBuyer.length; k++)
    tradeOfPair.set(book.tradeBuyer[k] * n + book.tradeSeller[k], k);
  const eligibleAsks = asks.filter((ask) => ask.priceEurPerKwh <= priceEurPerKwh);
  const askLeftKwh = eligibleAsks.map((ask) => ask.eKwh);
  for (const bid of bids) {
    if (bid.priceEurPerKwh < priceEurPerKwh) break;
    let leftKwh = bid.eKwh;
    for (let a = 0; a < eligibleAsks.length && leftKwh > 1e-12; a++) {
      if (askLeftKwh[a] <= 1e-12 || eligibleAsks[a].agent === bid.agent) continue;
      const k = tradeOfPair.get(bid.agent * n + eligibleAsks[a].agent);
      if (k === undefined || bid.priceEurPerKwh < priceEurPerKwh + book.tradeCostEurPerKwh[k]) continue;
      const eKwh = Math.min(leftKwh, askLeftKwh[a]);
      tradeKwh[k] += eKwh;
      leftKwh -= eKwh;
      askLeftKwh[a] -= eKwh;
    }
  }
  return { priceEurPerKwh, tradeKwh };
}

/** Clear one interval by a uniform-price call auction over the agents' block orders. */
export function clearDoubleAuction(book: MarketBook, options: DoubleAuctionOptions = {}): MarketResult {
  let rangeKwh = 0;
  for (const agent of book.agents) rangeKwh = Math.max(rangeKwh, agent.eMaxKwh - agent.eMinKwh);
  const blockKwh = options.blockKwh ?? (rangeKwh > 0 ? rangeKwh / 100 : 1);
  const { priceEurPerKwh, tradeKwh } = clearCallAuction(book, buildBlockOrders(book, blockKwh));
  const prices = new Float64Array(tradeKwh.length).fill(priceEurPerKwh ?? 0);
  const result = buildMarketResult(
    book,
    { mechanism: 'double-auction', status: 'converged', iterations: 1, priceEurPerKwh },
    tradeKwh,
    prices,
  );
  // An agent left outside its bounds (one that must trade but found no counterparty) makes the outcome infeasible.
  const isFeasible = result.agents.every(
    ({ eKwh }, i) => eKwh >= book.agents[i].eMinKwh - 1e-9 && eKwh <= book.agents[i].eMaxKwh + 1e-9,
  );
  return isFeasible ? result : { ...result, status: 'infeasible' };
}

export function createDoubleAuctionMechanism(options: DoubleAuctionOptions = {}): MarketMechanism {
  return {
    name: 'double-auction',
    clear: async (book) => clearDoubleAuction(book, options),
    settle: settleMarketResult,
  };
}
