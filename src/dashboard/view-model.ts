// The JSON the dashboard reads in view mode (GET /api/view/summary), built from a `simulate` output folder.
import type { FeederSnapshot } from '../value/grid-snapshot.ts';

export type { FeederSnapshot };

export interface ViewMember {
  readonly id: string;
  readonly bus: string;
  readonly pvKwp: number;
  readonly batteryKwh: number;
  readonly billEur: number;
}

export interface ViewPlatform {
  readonly id: string;
  readonly parentBus: string;
  readonly replicas: number;
  readonly members: readonly ViewMember[];
}

export interface ViewValueRow {
  readonly category: string;
  readonly metric: string;
  readonly unit: string;
  readonly values: Readonly<Record<string, number | null>>;
  readonly isHigherBetter: boolean;
  readonly definition?: string;
}

export interface ViewSummary {
  readonly study: string;
  readonly days: number;
  readonly charted: string;
  readonly hierarchy: {
    readonly transmission: { readonly id: string; readonly busCount: number };
    readonly dsos: readonly {
      readonly id: string;
      readonly transmissionBus: string;
      readonly mvBusCount: number;
      readonly platforms: readonly ViewPlatform[];
    }[];
  };
  /** value.json's table: one row per metric, values per run (baseline, none, dso-pricing, …). */
  readonly value: readonly ViewValueRow[];
  /** Extra coordination comparisons (`compare.json` or `comparison.json` in the folder), when present. */
  readonly comparison: readonly ViewValueRow[] | null;
  /** Platform-step prices (EUR/kWh) per platform, on `timeUtc`; TSO LMPs (EUR/MWh) at the TSO step. */
  readonly prices: {
    readonly timeUtc: readonly string[];
    readonly platforms: Readonly<
      Record<
        string,
        {
          readonly p2pEurPerKwh: readonly (number | null)[];
          readonly importEurPerKwh: readonly number[];
          readonly exportEurPerKwh: readonly number[];
          readonly wholesaleEurPerKwh: readonly number[];
          /** Energy-weighted mean P2P network fee of the interval's trades (DSO schedule), null without trades. */
          readonly p2pFeeEurPerKwh: readonly (number | null)[];
        }
      >
    >;
    readonly tso: {
      readonly timeUtc: readonly string[];
      readonly dayAheadEurPerMwh: readonly number[];
      readonly intradayEurPerMwh: readonly number[];
      readonly realTimeEurPerMwh: readonly number[];
    };
  };
  /** Trades summed per (buyer, seller) pair and platform. */
  readonly trades: readonly {
    readonly platform: string;
    readonly buyer: string;
    readonly seller: string;
    readonly eKwh: number;
    readonly count: number;
    readonly paidEur: number;
  }[];
  /** Stored battery energy (kWh) at the prosumer step: Σ per platform, and per member with a battery. */
  readonly battery: {
    readonly timeUtc: readonly string[];
    readonly platforms: Readonly<Record<string, readonly number[]>>;
    readonly members: Readonly<Record<string, readonly number[]>>;
  };
  readonly feeders: readonly {
    readonly platform: string;
    readonly busCount: number;
    readonly hasStates: boolean;
  }[];
}
