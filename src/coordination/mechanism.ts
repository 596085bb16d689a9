// The coordination port between a DSO and the P2P platforms below it: which prices and fees the DSO sends down.
import type { PriceSchedule } from '../core/price-schedule.ts';
import type { TimeIndex } from '../time/time-index.ts';

/** Coordination names (DESIGN.md); `negotiation` and `predictive` are not implemented yet. */
export const COORDINATION_NAMES = ['none', 'dso-pricing'] as const;
export type CoordinationName = (typeof COORDINATION_NAMES)[number];

/** One step of a location's aggregate bid curve (per feeder replica), limit price wholesale-equivalent. */
export interface LocationBidStep {
  readonly side: 'buy' | 'sell';
  readonly kw: number;
  readonly limitPriceEurPerKwh: number;
}

/** A pricing location (one platform's feeder, standing for `replicas` identical feeders). */
export interface PricingLocation {
  readonly locationId: string;
  readonly replicas: number;
  /** Forecast net consumption of one replica (kW, positive importing), per interval. */
  readonly baseImportKw: Float64Array;
  readonly bids: readonly (readonly LocationBidStep[])[];
  /** What the whole location (all replicas) may import / export without breaking distribution limits (kW). */
  readonly importLimitKw: Float64Array;
  readonly exportLimitKw: Float64Array;
}

export interface RetailTariffSettings {
  readonly retailMarginEurPerKwh: number;
  readonly networkChargeEurPerKwh: number;
  readonly p2pFeeEurPerKwh: number;
  readonly maxCongestionAdderEurPerKwh: number;
}

/** Everything a DSO knows day-ahead when it prices its area. */
export interface DsoPricingInput {
  readonly dsoId: string;
  readonly index: TimeIndex;
  /** Wholesale energy price at the grid supply point (EUR/kWh), per interval. */
  readonly wholesaleEurPerKwh: Float64Array;
  readonly tariff: RetailTariffSettings;
  readonly locations: readonly PricingLocation[];
}

export interface CoordinationMechanism {
  readonly name: CoordinationName;
  /**
   * Whether the DSO offers the TSO only the flexibility its network can deliver (its bid is clipped to the
   * distribution-feasible range) — with `none` platforms ignore the grid and the raw aggregate goes up.
   */
  readonly clipsBidsToDistributionLimits: boolean;
  /** The retail PriceSchedule the DSO sends to its platforms (locations = platform ids). */
  priceSchedule(input: DsoPricingInput): PriceSchedule;
}

/** Energy part of retail prices: wholesale ± retail margin (EUR/kWh). Shared by every mechanism. */
export function energyPricesEurPerKwh(
  wholesaleEurPerKwh: number,
  tariff: RetailTariffSettings,
): { importEurPerKwh: number; exportEurPerKwh: number } {
  return {
    importEurPerKwh: wholesaleEurPerKwh + tariff.retailMarginEurPerKwh,
    exportEurPerKwh: wholesaleEurPerKwh - tariff.retailMarginEurPerKwh,
  };
}

/** Clamp to the PriceSchedule range and round to 1e-9 EUR/kWh so schedules are stable across platforms. */
export const schedulePrice = (value: number): number =>
  Math.round(Math.min(10, Math.max(-10, value)) * 1e9) / 1e9;
