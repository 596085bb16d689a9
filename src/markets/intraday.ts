// Intraday continuous trading of forecast deviations on one platform: hourly sessions on the CDA order book until gate closure.
import { z } from 'zod';
import { parseInput } from '../core/errors.ts';
import { OrderBook } from './order-book.ts';

/**
 * Share of the day-ahead forecast error known at lead time `leadH` (hours before delivery): `learnedShare` at
 * leads of `horizonH` or more, rising linearly to 1 at delivery (the forecast error shrinks with the lead time).
 */
export function intradayForecastShare(leadH: number, learnedShare: number, horizonH: number): number {
  const closeness = Math.max(0, Math.min(1, 1 - leadH / horizonH));
  return learnedShare + (1 - learnedShare) * closeness;
}

export const intradaySessionsSchema = z.object({
  memberIds: z.array(z.string().min(1)).min(1),
  /** Delivery interval length (min) and start of the delivery day's first interval = 0 h. */
  stepMin: z.number().int().positive(),
  intervalCount: z.number().int().positive(),
  /** Session times (hours from the delivery day's 00:00; e.g. −1, 0, …, 22), increasing. */
  sessionHours: z.array(z.number().refine(Number.isFinite, 'must be finite')).min(1),
  /** Gate closure: an interval is tradable in a session at least this long before its start (min). */
  gateClosureMin: z.number().nonnegative(),
  /** Orders below this volume are not placed (kWh). */
  minOrderKwh: z.number().positive().default(1e-3),
});
export type IntradaySessionsInput = z.input<typeof intradaySessionsSchema>;

export interface IntradayMarketData {
  /** Forecast of member i's deviation of net injection from its day-ahead position in interval k, as known at session hour h (kWh, + more export). */
  readonly forecastKwh: (i: number, k: number, sessionH: number) => number;
  /** The DSO's prices of member i in interval k: the outside option (buy at import, sell at export; EUR/kWh). */
  readonly importPriceEurPerKwh: readonly ArrayLike<number>[];
  readonly exportPriceEurPerKwh: readonly ArrayLike<number>[];
}

export interface IntradayTrade {
  readonly interval: number;
  readonly buyer: string;
  readonly seller: string;
  readonly eKwh: number;
  readonly priceEurPerKwh: number;
}

export interface IntradayResult {
  readonly trades: IntradayTrade[];
  /** Per member and interval: energy sold net to peers (kWh, negative bought). */
  readonly peerSoldKwh: Float64Array[];
  /** Per member and interval: the remainder sold net to the DSO at gate closure (kWh, negative bought). */
  readonly dsoSoldKwh: Float64Array[];
  readonly orderCount: number;
}

/**
 * Run the intraday sessions. In every session each member re-forecasts the deviation of every interval still
 * open (start − session ≥ gate closure) and quotes what it has not yet traded: a sell order at its DSO export
 * price for a surplus, a buy order at its DSO import price for a deficit (its outside option, so any fill is at
 * least as good). Each (session, interval) book is continuous: orders arrive one by one (member order rotated
 * by one each session) and fill at the resting order's price (`OrderBook`, price-time priority). A book holds one
 * session's quotes (members re-quote each session). At an interval's gate closure the remainder of each member's
 * last forecast goes to the DSO at its import/export price. Positions therefore follow the last forecast before
 * gate closure; energy sold to peers is bought by peers (Σ_i peerSold_i,k = 0).
 */
export function runIntradaySessions(input: IntradaySessionsInput, data: IntradayMarketData): IntradayResult {
  const o = parseInput(intradaySessionsSchema, input, ['intraday']);
  const members = o.memberIds.length;
  const n = o.intervalCount;
  const stepH = o.stepMin / 60;
  const gateH = o.gateClosureMin / 60;
  const peerSoldKwh = o.memberIds.map(() => new Float64Array(n));
  const dsoSoldKwh = o.memberIds.map(() => new Float64Array(n));
  const lastSession = new Array<number>(n).fill(Number.NaN);
  const trades: IntradayTrade[] = [];
  let orderCount = 0;
  o.sessionHours.forEach((h, s) => {
    for (let k = 0; k < n; k++) {
      if (k * stepH - h < gateH - 1e-9) continue;
      lastSession[k] = h;
      const book = new OrderBook();
      for (let j = 0; j < members; j++) {
        const i = (j + s) % members;
        const needKwh = data.forecastKwh(i, k, h) - peerSoldKwh[i][k];
        if (Math.abs(needKwh) < o.minOrderKwh) continue;
        const isSell = needKwh > 0;
        orderCount++;
        const fills = book.submit({
          id: `${s}/${k}/${i}`,
          agentId: String(i),
          side: isSell ? 'sell' : 'buy',
          priceEurPerKwh: isSell ? data.exportPriceEurPerKwh[i][k] : data.importPriceEurPerKwh[i][k],
          eKwh: Math.abs(needKwh),
        });
        for (const f of fills) {
          const buyer = Number(f.buyer);
          const seller = Number(f.seller);
          peerSoldKwh[buyer][k] -= f.eKwh;
          peerSoldKwh[seller][k] += f.eKwh;
          trades.push({
            interval: k,
            buyer: o.memberIds[buyer],
            seller: o.memberIds[seller],
            eKwh: f.eKwh,
            priceEurPerKwh: f.priceEurPerKwh,
          });
        }
      }
    }
  });
  for (let k = 0; k < n; k++) {
    if (Number.isNaN(lastSession[k])) continue;
    for (let i = 0; i < members; i++) {
      const rest = data.forecastKwh(i, k, lastSession[k]) - peerSoldKwh[i][k];
      if (Math.abs(rest) >= o.minOrderKwh) dsoSoldKwh[i][k] = rest;
    }
  }
  return { trades, peerSoldKwh, dsoSoldKwh, orderCount };
}
