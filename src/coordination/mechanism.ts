// The coordination port between a DSO and the P2P platforms below it: which prices and fees the DSO sends down.
import type { PriceSchedule } from '../core/price-schedule.ts';
import type { ElementId, Network } from '../grid/schema.ts';
import type { TimeIndex } from '../time/time-index.ts';

/** Coordination names (DESIGN.md); `negotiation` and `predictive` are not implemented yet. */
export const COORDINATION_NAMES = ['none', 'dso-pricing'] as const;
export type CoordinationName = (typeof COORDINATION_NAMES)[number];

/** A pricing location (one platform's feeder, standing for `replicas` identical feeders). */
export interface PricingLocation {
  readonly locationId: string;
  readonly replicas: number;
}

/** A household on an LV feeder and the DSO's day-ahead forecast of it (DSO step, kW). */
export interface MemberForecast {
  readonly locationId: string;
  readonly bus: ElementId;
  /** Uncontrollable load and available PV (point forecasts). */
  readonly loadKw: Float64Array;
  readonly pvKw: Float64Array;
  /** Flexible (EV) charging: power range while plugged in and the expected power at flat prices. */
  readonly flexibleMaxKw: Float64Array;
  readonly flexibleExpectedKw: Float64Array;
}

/** One LV feeder the DSO prices per household (its platform's members at their buses). */
export interface FeederPricingInput {
  readonly platformId: string;
  readonly network: Network;
  readonly members: readonly MemberForecast[];
}

/** Forecast-error model of the day-ahead forecasts (log-normal factors, see SimulationConfig.uncertainty). */
export interface ForecastErrorSettings {
  readonly loadDailySigma: number;
  /** Relative sd of a household's load noise at the DSO step. */
  readonly loadNoiseSigma: number;
  readonly pvRegionalSigma: number;
}

export interface RetailTariffSettings {
  readonly retailMarginEurPerKwh: number;
  readonly networkChargeEurPerKwh: number;
}

/** Everything a DSO knows day-ahead when it prices its area. */
export interface DsoPricingInput {
  readonly dsoId: string;
  readonly index: TimeIndex;
  /** Wholesale energy price at the grid supply point (EUR/MWh), per interval. */
  readonly wholesalePriceEurPerMwh: Float64Array;
  readonly tariff: RetailTariffSettings;
  readonly locations: readonly PricingLocation[];
  /** The LV feeders under the DSO with per-household forecasts (used by `dso-pricing`). */
  readonly feeders: readonly FeederPricingInput[];
  readonly forecastError: ForecastErrorSettings;
  /** Seed of the DSO's scenario draws for this day. */
  readonly seed: number;
}

export interface CoordinationMechanism {
  readonly name: CoordinationName;
  /**
   * Whether the DSO offers the TSO only the flexibility its network can deliver (its bid is clipped to the
   * distribution-feasible range) — with `none` platforms ignore the grid and the raw aggregate goes up.
   */
  readonly clipsBidsToDistributionLimits: boolean;
  /** Whether `priceSchedule` needs `feeders` (per-household forecasts); otherwise the DSO may pass none. */
  readonly pricesHouseholds: boolean;
  /**
   * The retail PriceSchedule the DSO sends to its platforms: one location per platform id and, when the mechanism
   * prices households, one per member id (members without their own location take their platform's prices).
   */
  priceSchedule(input: DsoPricingInput): Promise<PriceSchedule>;
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
