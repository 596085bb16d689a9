// Aggregate flexibility envelopes: sum members, scale replicas, change resolution (energy-conserving), clip, compress bids.
import { resamplePower } from '../time/resample.ts';
import { createTimeIndex, type TimeIndex } from '../time/time-index.ts';
import type { MessageOf } from '../transport/messages.ts';
import { bandZ } from '../uncertainty/envelope-aggregation.ts';

export type EnvelopeMessage = MessageOf<'envelope'>;
export type BidStep = EnvelopeMessage['bids'][number][number];

/** Two-sided normal quantile (moved to uncertainty/envelope-aggregation.ts; re-exported for existing callers). */
export { bandZ };

/** Recompute bandKw = z·√(σ_ind² + σ_corr²). */
export function withBand(e: Omit<EnvelopeMessage, 'bandKw'>): EnvelopeMessage {
  const z = bandZ(e.bandProbability);
  return { ...e, bandKw: e.independentSigmaKw.map((s, k) => z * Math.hypot(s, e.correlatedSigmaKw[k])) };
}

/** Bucket bid steps by rounded price per side, so a curve has at most a few dozen steps. */
export function compressBids(steps: readonly BidStep[], tickEurPerKwh = 0.0025): BidStep[] {
  const buckets = new Map<string, BidStep>();
  for (const s of steps) {
    if (!(s.kw > 1e-9) || !Number.isFinite(s.limitPriceEurPerKwh)) continue;
    const price = Math.round(s.limitPriceEurPerKwh / tickEurPerKwh) * tickEurPerKwh;
    const key = `${s.side}:${price.toFixed(6)}`;
    const b = buckets.get(key);
    buckets.set(key, {
      side: s.side,
      kw: (b?.kw ?? 0) + s.kw,
      limitPriceEurPerKwh: Number(price.toFixed(6)),
    });
  }
  return [...buckets.values()].sort((a, b) =>
    a.side === b.side ? a.limitPriceEurPerKwh - b.limitPriceEurPerKwh : a.side < b.side ? -1 : 1,
  );
}

/**
 * Sum envelopes on one grid, each scaled by its multiplicity (replicas). Independent sigmas add in quadrature
 * (replicas are independent households), correlated sigmas add linearly. `extraKw` adds inflexible consumption.
 */
export function sumEnvelopes(
  parts: readonly { readonly envelope: EnvelopeMessage; readonly multiplicity: number }[],
  extraKw?: ArrayLike<number>,
): EnvelopeMessage {
  const first = parts[0].envelope;
  const n = first.baseKw.length;
  const zeros = () => new Array<number>(n).fill(0);
  const base = zeros();
  const min = zeros();
  const max = zeros();
  const ind2 = zeros();
  const corr = zeros();
  const bids: BidStep[][] = Array.from({ length: n }, () => []);
  for (const { envelope: e, multiplicity: m } of parts) {
    for (let k = 0; k < n; k++) {
      base[k] += m * e.baseKw[k];
      min[k] += m * e.minKw[k];
      max[k] += m * e.maxKw[k];
      ind2[k] += m * e.independentSigmaKw[k] ** 2;
      corr[k] += m * e.correlatedSigmaKw[k];
      for (const s of e.bids[k]) bids[k].push({ ...s, kw: s.kw * m });
    }
  }
  if (extraKw)
    for (let k = 0; k < n; k++) {
      base[k] += extraKw[k];
      min[k] += extraKw[k];
      max[k] += extraKw[k];
    }
  return withBand({
    type: 'envelope',
    startUtc: first.startUtc,
    stepMin: first.stepMin,
    baseKw: base,
    minKw: min,
    maxKw: max,
    bandProbability: first.bandProbability,
    independentSigmaKw: ind2.map(Math.sqrt),
    correlatedSigmaKw: corr,
    bids: bids.map((b) => compressBids(b)),
  });
}

/** The time index of a message grid. */
export const gridIndex = (startUtc: string, stepMin: number, length: number): TimeIndex =>
  createTimeIndex({ startUtc, stepMin, length });

/** Average powers onto a coarser (or finer) step over the same span: energy is conserved (time/resample.ts). */
export function resampleSeries(
  values: ArrayLike<number>,
  startUtc: string,
  fromStepMin: number,
  toStepMin: number,
): number[] {
  if (fromStepMin === toStepMin) return Array.from(values);
  const from = gridIndex(startUtc, fromStepMin, values.length);
  const to = gridIndex(startUtc, toStepMin, (values.length * fromStepMin) / toStepMin);
  return Array.from(resamplePower(values, from, to));
}

/**
 * An envelope at another step. Powers and sigmas are averaged (energy-conserving; averaging σ is conservative),
 * bid steps of the covered intervals are pooled with kW weighted by their share of the coarse interval.
 */
export function resampleEnvelope(e: EnvelopeMessage, toStepMin: number): EnvelopeMessage {
  if (e.stepMin === toStepMin) return e;
  const r = (v: readonly number[]) => resampleSeries(v, e.startUtc, e.stepMin, toStepMin);
  const n = (e.baseKw.length * e.stepMin) / toStepMin;
  const bids: BidStep[][] = [];
  for (let k = 0; k < n; k++) {
    const a = (k * toStepMin) / e.stepMin;
    const b = ((k + 1) * toStepMin) / e.stepMin;
    const pooled: BidStep[] = [];
    for (let j = Math.floor(a); j < Math.ceil(b); j++) {
      const weight = (Math.min(b, j + 1) - Math.max(a, j)) / (b - a);
      for (const s of e.bids[j]) pooled.push({ ...s, kw: s.kw * weight });
    }
    bids.push(compressBids(pooled));
  }
  return withBand({
    ...e,
    stepMin: toStepMin,
    baseKw: r(e.baseKw),
    minKw: r(e.minKw),
    maxKw: r(e.maxKw),
    independentSigmaKw: r(e.independentSigmaKw),
    correlatedSigmaKw: r(e.correlatedSigmaKw),
    bids,
  });
}

/** Clip an aggregate envelope to [lo, hi] (kW per interval), scaling bid steps to the remaining range. */
export function clipEnvelope(
  e: EnvelopeMessage,
  lo: readonly number[],
  hi: readonly number[],
): EnvelopeMessage {
  const minKw = e.minKw.map((v, k) => Math.min(Math.max(v, lo[k]), hi[k]));
  const maxKw = e.maxKw.map((v, k) => Math.max(Math.min(v, hi[k]), minKw[k]));
  const baseKw = e.baseKw.map((v, k) => Math.min(Math.max(v, minKw[k]), maxKw[k]));
  const bids = e.bids.map((steps, k) => {
    const sell = steps.filter((s) => s.side === 'sell').reduce((a, s) => a + s.kw, 0);
    const buy = steps.filter((s) => s.side === 'buy').reduce((a, s) => a + s.kw, 0);
    const sellScale = sell > 0 ? (baseKw[k] - minKw[k]) / sell : 0;
    const buyScale = buy > 0 ? (maxKw[k] - baseKw[k]) / buy : 0;
    return steps.map((s) => ({ ...s, kw: s.kw * (s.side === 'sell' ? sellScale : buyScale) }));
  });
  return { ...e, minKw, maxKw, baseKw, bids };
}
