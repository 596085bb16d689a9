// Multi-interval clearing over a day: flexibility offers per interval, DSO fees and grid prices from a PriceSchedule, preferences.
import { z } from 'zod';
import { InputError, type InputIssue, parseInput } from '../core/errors.ts';
import { lookupFeeEurPerKwh, type PriceSchedule } from '../core/price-schedule.ts';
import type { Ledger } from '../ledger/ledger.ts';
import {
  buildMarketBook,
  canBuy,
  canSell,
  type MarketAgent,
  type MarketBook,
  type MarketResult,
} from './book.ts';
import { marketAgentSchema } from './exchange-format.ts';
import type { MarketMechanism } from './mechanism.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** One interval of an agent's flexibility offer: bounds and cost curve, as in the single-interval format. */
export const flexibilityOfferSchema = marketAgentSchema.omit({ id: true });

/**
 * A day-ahead (multi-interval) market. Each agent sits at a location of the PriceSchedule and offers one
 * flexibility interval per schedule interval. Preferences are product differentiation that moves no money
 * (Sorin et al. 2019 §II-B; Morstyn et al. 2019 §IV): a buyer's `premiumEurPerKwh` for energy from a chosen
 * seller (local or green energy) and a seller's `giftEurPerKwh` to a chosen buyer (energy-poverty support)
 * both lower that pair's trade cost; the DSO fee raises it and is the only part settled as money.
 */
export const dayAheadMarketSchema = z.object({
  agents: z.array(
    z.object({
      id: z.string().min(1),
      location: z.string().min(1),
      offers: z.array(flexibilityOfferSchema),
    }),
  ),
  trades: z.union([z.literal('all'), z.array(z.tuple([z.string().min(1), z.string().min(1)]))]),
  premiums: z
    .array(z.object({ buyer: z.string().min(1), seller: z.string().min(1), premiumEurPerKwh: finite }))
    .default([]),
  gifts: z
    .array(z.object({ seller: z.string().min(1), buyer: z.string().min(1), giftEurPerKwh: finite }))
    .default([]),
  /** Add per location a grid supplier at the import price and a grid buyer at the export price. */
  includeGrid: z.boolean().default(true),
});

export type DayAheadMarket = z.infer<typeof dayAheadMarketSchema>;

function checkDayAheadMarket(market: DayAheadMarket, schedule: PriceSchedule): InputIssue[] {
  const issues: InputIssue[] = [];
  const locations = new Set(schedule.locations.map((l) => l.locationId));
  // With grid agents, an export price above the import price would let an agent cycle grid energy for profit.
  schedule.locations.forEach((location, i) => {
    location.exportPriceEurPerKwh.forEach((exportPrice, t) => {
      if (market.includeGrid && exportPrice > location.importPriceEurPerKwh[t])
        issues.push({
          code: 'export_above_import',
          path: ['schedule', 'locations', i, 'exportPriceEurPerKwh', t],
          message: `export price ${exportPrice} exceeds import price ${location.importPriceEurPerKwh[t]}`,
        });
    });
  });
  const ids = new Set<string>();
  market.agents.forEach((agent, i) => {
    if (ids.has(agent.id))
      issues.push({
        code: 'duplicate_id',
        path: ['agents', i, 'id'],
        message: `duplicate agent id ${agent.id}`,
      });
    ids.add(agent.id);
    if (!locations.has(agent.location))
      issues.push({
        code: 'unknown_id',
        path: ['agents', i, 'location'],
        message: `unknown location ${agent.location}`,
      });
    if (agent.offers.length !== schedule.intervalCount)
      issues.push({
        code: 'length',
        path: ['agents', i, 'offers'],
        message: `has ${agent.offers.length} intervals, expected ${schedule.intervalCount} (the schedule's)`,
      });
    agent.offers.forEach((offer, t) => {
      if (offer.eMinKwh > offer.eMaxKwh)
        issues.push({
          code: 'invalid_bounds',
          path: ['agents', i, 'offers', t, 'eMinKwh'],
          message: `eMinKwh (${offer.eMinKwh}) is greater than eMaxKwh (${offer.eMaxKwh})`,
        });
    });
  });
  const checkId = (id: string, path: (string | number)[]) => {
    if (!ids.has(id)) issues.push({ code: 'unknown_id', path, message: `unknown agent id ${id}` });
  };
  if (market.trades !== 'all')
    market.trades.forEach(([buyer, seller], j) => {
      checkId(buyer, ['trades', j, 0]);
      checkId(seller, ['trades', j, 1]);
      if (buyer === seller)
        issues.push({
          code: 'self_trade',
          path: ['trades', j],
          message: 'an agent cannot trade with itself',
        });
    });
  market.premiums.forEach((p, j) => {
    checkId(p.buyer, ['premiums', j, 'buyer']);
    checkId(p.seller, ['premiums', j, 'seller']);
  });
  market.gifts.forEach((g, j) => {
    checkId(g.seller, ['gifts', j, 'seller']);
    checkId(g.buyer, ['gifts', j, 'buyer']);
  });
  return issues;
}

/** Validate a day-ahead market against its price schedule; throws an InputError naming each bad field. */
export function parseDayAheadMarket(value: unknown, schedule: PriceSchedule): DayAheadMarket {
  const market = parseInput(dayAheadMarketSchema, value);
  const issues = checkDayAheadMarket(market, schedule);
  if (issues.length > 0) throw new InputError(issues);
  return market;
}

/** Prefix of the grid pseudo-agents' ids: `grid-import@<location>` and `grid-export@<location>`. */
export const GRID_IMPORT_PREFIX = 'grid-import@';
export const GRID_EXPORT_PREFIX = 'grid-export@';

/**
 * The book of interval t. Trade cost of pair (b, s) = fee(location b, location s, t) − premium(b, s) − gift(s, b);
 * the fee alone is `tradeFeeEurPerKwh`. With `includeGrid`, each location gets a grid supplier (linear cost =
 * import price) that sells to its local buyers and a grid buyer (linear utility = export price) that buys from
 * its local sellers, with no fee and room for every local agent's whole range.
 */
export function buildIntervalBook(market: DayAheadMarket, schedule: PriceSchedule, t: number): MarketBook {
  const agents: MarketAgent[] = market.agents.map((agent) => ({ id: agent.id, ...agent.offers[t] }));
  const locationOf = market.agents.map((agent) => agent.location);
  const indexById = new Map(agents.map((agent, i) => [agent.id, i]));
  const pairs: [number, number][] = [];
  if (market.trades === 'all') {
    for (let b = 0; b < agents.length; b++)
      for (let s = 0; s < agents.length; s++)
        if (b !== s && canBuy(agents[b]) && canSell(agents[s])) pairs.push([b, s]);
  } else {
    for (const [buyer, seller] of market.trades) {
      const b = indexById.get(buyer)!;
      const s = indexById.get(seller)!;
      if (canBuy(agents[b]) && canSell(agents[s])) pairs.push([b, s]);
    }
  }
  const peerCount = agents.length;
  if (market.includeGrid) {
    for (const location of schedule.locations) {
      const local = market.agents.flatMap((agent, i) => (agent.location === location.locationId ? [i] : []));
      if (local.length === 0) continue;
      const roomKwh = local.reduce((sum, i) => sum + agents[i].eMaxKwh - agents[i].eMinKwh, 0);
      const supplier = agents.length;
      agents.push({
        id: `${GRID_IMPORT_PREFIX}${location.locationId}`,
        eMinKwh: 0,
        eMaxKwh: roomKwh,
        costQuadEurPerKwh2: 0,
        costLinEurPerKwh: location.importPriceEurPerKwh[t],
      });
      const buyer = agents.length;
      agents.push({
        id: `${GRID_EXPORT_PREFIX}${location.locationId}`,
        eMinKwh: -roomKwh,
        eMaxKwh: 0,
        costQuadEurPerKwh2: 0,
        costLinEurPerKwh: location.exportPriceEurPerKwh[t],
      });
      for (const i of local) {
        if (canBuy(agents[i])) pairs.push([i, supplier]);
        if (canSell(agents[i])) pairs.push([buyer, i]);
      }
    }
  }
  const premium = new Map(market.premiums.map((p) => [`${p.buyer}\u0000${p.seller}`, p.premiumEurPerKwh]));
  const gift = new Map(market.gifts.map((g) => [`${g.buyer}\u0000${g.seller}`, g.giftEurPerKwh]));
  const isPeer = (i: number) => i < peerCount;
  const feeOf = (b: number, s: number) =>
    isPeer(b) && isPeer(s) ? lookupFeeEurPerKwh(schedule, locationOf[b], locationOf[s], t) : 0;
  const book = buildMarketBook(agents, pairs, (b, s) => {
    const key = `${agents[b].id}\u0000${agents[s].id}`;
    return feeOf(b, s) - (premium.get(key) ?? 0) - (gift.get(key) ?? 0);
  });
  const tradeFeeEurPerKwh = new Float64Array(pairs.length);
  pairs.forEach(([b, s], k) => {
    tradeFeeEurPerKwh[k] = feeOf(b, s);
  });
  return { ...book, tradeFeeEurPerKwh };
}

export interface DayAheadResult {
  /** One result per interval, in schedule order, with the interval's start. */
  readonly intervals: readonly (MarketResult & { readonly startUtc: string })[];
  readonly objectiveEur: number;
}

/**
 * Clear every interval of the day with one mechanism. Offers carry no inter-temporal constraint, so the
 * intervals are independent problems (the day's optimum is the sum of the intervals' optima).
 */
export async function clearDayAhead(
  market: DayAheadMarket,
  schedule: PriceSchedule,
  mechanism: MarketMechanism,
): Promise<DayAheadResult> {
  const startMs = Date.parse(schedule.startUtc);
  const intervals: (MarketResult & { startUtc: string })[] = [];
  let objectiveEur = 0;
  for (let t = 0; t < schedule.intervalCount; t++) {
    const result = await mechanism.clear(buildIntervalBook(market, schedule, t));
    const startUtc = new Date(startMs + t * schedule.intervalMinutes * 60_000).toISOString();
    intervals.push({ ...result, startUtc });
    objectiveEur += result.objectiveEur;
  }
  return { intervals, objectiveEur };
}

/** Settle every interval into the ledger; fees go to `feeRecipientId` (default `dso`). Returns the residual posted. */
export function settleDayAhead(
  result: DayAheadResult,
  ledger: Ledger,
  mechanism: MarketMechanism,
  feeRecipientId = 'dso',
): bigint {
  let residual = 0n;
  for (const interval of result.intervals) {
    residual += mechanism.settle(interval, ledger, {
      feeRecipientId,
      transactionPrefix: `${interval.startUtc}/`,
    }).roundingResidualMicroEur;
  }
  return residual;
}
