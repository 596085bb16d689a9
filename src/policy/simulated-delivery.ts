// What a simulation says about a platform's part in the policy mechanisms: stress hours, delivered capacity in
// them (import reduction against the no-P2P baseline run of the same seed), and its PV + battery output per hour.
import type { PlatformRow, ProsumerRow, TsoRow } from '../hierarchy/recorder.ts';

/** The `count` hours of highest system load (TSO rows, one value per hour), as their start times. */
export function stressHours(tso: readonly TsoRow[], count: number): string[] {
  const loadByHour = new Map<string, number>();
  for (const r of tso) loadByHour.set(r.timeUtc, r.systemLoadMw);
  return [...loadByHour.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([t]) => t);
}

/** Rows whose time lies in [hourStart, hourStart + stepMin). */
function inHour<T extends { readonly timeUtc: string }>(
  rows: readonly T[],
  hourStart: string,
  stepMin: number,
) {
  const start = Date.parse(hourStart);
  const end = start + stepMin * 60_000;
  return rows.filter((r) => {
    const t = Date.parse(r.timeUtc);
    return t >= start && t < end;
  });
}

/**
 * Delivered capacity of a platform (MW, all its replicas) in each stress hour: the mean over the hour's platform
 * intervals of (baseline import − run import) · replicas. Positive when P2P operation lowers its import.
 */
export function platformDeliveryMw(
  baseline: readonly PlatformRow[],
  run: readonly PlatformRow[],
  platform: string,
  hours: readonly string[],
  tsoStepMin: number,
): number[] {
  const base = baseline.filter((r) => r.platform === platform);
  const own = run.filter((r) => r.platform === platform);
  return hours.map((h) => {
    const b = inHour(base, h, tsoStepMin);
    const o = inHour(own, h, tsoStepMin);
    if (b.length === 0 || b.length !== o.length) return 0;
    const mean = (rows: readonly PlatformRow[]) =>
      rows.reduce((a, r) => a + r.actualImportKw * r.replicas, 0) / rows.length;
    return (mean(b) - mean(o)) / 1000;
  });
}

/**
 * CfD volume per TSO hour (MWh): Σ over the platform's members of (PV used + battery discharge − charge) · Δt,
 * times the feeder's replicas, with the reference price of that hour at its DSO's bus.
 */
export function cfdIntervalsFromRun(
  o: {
    readonly prosumer: readonly ProsumerRow[];
    readonly tso: readonly TsoRow[];
    readonly platform: string;
    readonly dso: string;
    readonly replicas: number;
    readonly prosumerStepMin: number;
    readonly tsoStepMin: number;
  },
  reference: 'day-ahead' | 'real-time',
): { timeUtc: string; referenceEurPerMwh: number; volumeMwh: number }[] {
  const members = o.prosumer.filter((r) => r.platform === o.platform);
  const dtH = o.prosumerStepMin / 60;
  return o.tso
    .filter((r) => r.dso === o.dso)
    .map((r) => ({
      timeUtc: r.timeUtc,
      referenceEurPerMwh: reference === 'day-ahead' ? r.dayAheadLmpEurPerMwh : r.realTimeLmpEurPerMwh,
      volumeMwh:
        (inHour(members, r.timeUtc, o.tsoStepMin).reduce((a, m) => a + m.pvKw + m.batteryKw, 0) *
          dtH *
          o.replicas) /
        1000,
    }));
}
