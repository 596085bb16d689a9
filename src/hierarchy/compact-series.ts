// What a platform keeps of its members' messages for the rest of the day: Float64Array series, equal ones shared.
import type { MessageOf } from '../transport/messages.ts';

/** A time series as a platform keeps it (message arrays become Float64Arrays; values unchanged). */
export type Series = ArrayLike<number>;

export interface PlannedMember {
  readonly id: string;
  readonly netInjectionKw: Series;
  readonly importPriceEurPerKwh: Series;
  readonly exportPriceEurPerKwh: Series;
  readonly localPremiumEurPerKwh: number;
}

/** The members' day-ahead plans and prices (the `member-plans` message). */
export interface MemberPlans {
  readonly startUtc: string;
  readonly stepMin: number;
  readonly members: readonly PlannedMember[];
}

/** One member's smart-meter data of the day (the real-time `measurement` message). */
export interface Meter {
  readonly id: string;
  readonly netInjectionKw: Series;
  readonly consumptionKw: Series;
  readonly balancingKwh?: Series;
  readonly balancingEur?: Series;
}

/** The day's intraday trading of the members (the `intraday-trades` message). */
export interface IntradayTrades {
  readonly members: readonly {
    readonly id: string;
    readonly peerSoldKwh: Series;
    readonly dsoSoldKwh: Series;
  }[];
  readonly trades: MessageOf<'intraday-trades'>['trades'];
}

const sameSeries = (a: Series, b: Series): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

/**
 * Copies series into Float64Arrays (8 bytes a value instead of a boxed number) and returns the same array for a
 * series equal, value by value, to one of the last few copied: under a flat platform price every member's import
 * and export prices are one array. Keeps a window of 4 distinct series, so a platform holds O(members) arrays.
 */
export class SeriesInterner {
  private readonly recent: Float64Array[] = [];

  series(values: Series): Float64Array {
    for (const r of this.recent) if (sameSeries(r, values)) return r;
    const copy = Float64Array.from(values);
    this.recent.unshift(copy);
    if (this.recent.length > 4) this.recent.pop();
    return copy;
  }
}

export function compactPlans(plans: MessageOf<'member-plans'>): MemberPlans {
  const prices = new SeriesInterner();
  return {
    startUtc: plans.startUtc,
    stepMin: plans.stepMin,
    members: plans.members.map((m) => ({
      id: m.id,
      netInjectionKw: Float64Array.from(m.netInjectionKw),
      importPriceEurPerKwh: prices.series(m.importPriceEurPerKwh),
      exportPriceEurPerKwh: prices.series(m.exportPriceEurPerKwh),
      localPremiumEurPerKwh: m.localPremiumEurPerKwh,
    })),
  };
}

export function compactMeters(meters: NonNullable<MessageOf<'measurement'>['members']>): Meter[] {
  return meters.map((m) => ({
    id: m.id,
    netInjectionKw: Float64Array.from(m.netInjectionKw),
    consumptionKw: Float64Array.from(m.consumptionKw),
    ...(m.balancingKwh ? { balancingKwh: Float64Array.from(m.balancingKwh) } : {}),
    ...(m.balancingEur ? { balancingEur: Float64Array.from(m.balancingEur) } : {}),
  }));
}

/** The intraday trades with each member's series compacted; `keepTrades: false` drops the fills (lean runs). */
export function compactIntraday(
  body: MessageOf<'intraday-trades'>,
  keepTrades: boolean,
): IntradayTrades & { readonly startUtc: string; readonly stepMin: number } {
  const zeros = new SeriesInterner();
  return {
    startUtc: body.startUtc,
    stepMin: body.stepMin,
    members: body.members.map((m) => ({
      id: m.id,
      peerSoldKwh: zeros.series(m.peerSoldKwh),
      dsoSoldKwh: zeros.series(m.dsoSoldKwh),
    })),
    trades: keepTrades ? body.trades : [],
  };
}
