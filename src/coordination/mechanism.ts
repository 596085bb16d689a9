// The coordination port between a DSO and the P2P platforms below it: which prices and fees the DSO sends down.
//
// Units: the wholesale price comes in EUR/MWh (the TSO's LMP unit, used as-is by the DLMP dispatch); the retail
// PriceSchedule that prosumers see is in EUR/kWh. The one conversion is `flatRetailPricesEurPerKwh`.
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import type { ElementId, Network } from '../grid/schema.ts';
import type { TimeIndex } from '../time/time-index.ts';
import type { CoordinationName, ResolvedCoordinationConfig } from './config.ts';

export { COORDINATION_NAMES, type CoordinationName } from './config.ts';

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
  /** Active-power import/export limit of the feeder transformer (kW, one replica); default: its rating. */
  readonly transformerLimitKw?: number;
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
  /** Wholesale energy price at the grid supply point (EUR/MWh, the TSO's LMP unit), per DSO interval. */
  readonly wholesaleEurPerMwh: Float64Array;
  readonly tariff: RetailTariffSettings;
  readonly locations: readonly PricingLocation[];
  /** The LV feeders under the DSO with per-household forecasts (used by `dso-pricing`). */
  readonly feeders: readonly FeederPricingInput[];
  /** The platforms' own step (min; default the DSO step `index.stepMin`): negotiation offers come at it. */
  readonly platformStepMin?: number;
  readonly forecastError: ForecastErrorSettings;
  /** Seed of the DSO's scenario draws for this day. */
  readonly seed: number;
  /**
   * The DSO's MV network as linear rows on its feeders' positions (linearised at the day-ahead plan): per DSO
   * interval Σ_f a_f·x_f ≤ upper, x_f the net position of location f (kW per replica, `locations` order).
   */
  readonly networkRows?: readonly NetworkRow[];
  /** What the DSO offers its TSO with (negotiation's DSO ↔ TSO level); none: the platform level alone. */
  readonly upstream?: UpstreamView;
}

/** The TSO's view of one day for a DSO's offers: transmission network and the other loads per TSO interval. */
export interface UpstreamView {
  readonly network: Network;
  readonly dsoBus: ElementId;
  readonly stepMin: number;
  /** Loads at transmission buses per TSO interval (MW), the DSO's own share excluded. */
  readonly loadsMw: readonly ReadonlyMap<string, number>[];
  /** Fixed MV loads and planned MV losses per DSO interval (kW): GSP import = Σ feeders' heads + this. */
  readonly gspOffsetKw: Float64Array;
}

/** One linearised MV limit (branch flow or bus voltage, normalised so that max |a_f| = 1) in one DSO interval. */
export interface NetworkRow {
  readonly label: string;
  readonly interval: number;
  readonly coefficients: Float64Array;
  readonly upper: number;
}

export interface CoordinationMechanism {
  readonly name: CoordinationName;
  /** The configuration it was built from, defaults filled in (`createCoordination`). */
  readonly config: ResolvedCoordinationConfig;
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
  /**
   * For mechanisms that negotiate over their own transport: rounds, messages and JSON bytes exchanged so far (the
   * engine's own messages are counted by the engine).
   */
  negotiationStats?(): NegotiationStats;
  /**
   * For mechanisms that agree quantities as well as prices (`negotiation`): the range of net positions the
   * platform committed to at the latest gate (kW per feeder replica, positive importing, on `index`), which its
   * members then plan within (the DSO sends it as an `agreed` limits message). Undefined: prices only.
   */
  agreedRange?(platformId: string): AgreedRange | undefined;
  /**
   * For mechanisms that learn from local measurements (`mpc`): each platform's metered intervals after delivery
   * (the DSO hands them over at settlement; a mechanism uses only those taken before a gate).
   */
  observe?(rows: readonly PlatformObservation[]): void;
}

/** A platform's committed net position range per interval (kW per replica, positive importing). */
export interface AgreedRange {
  readonly startUtc: string;
  readonly stepMin: number;
  readonly minKw: Float64Array;
  readonly maxKw: Float64Array;
}

/** One metered platform interval: its members' net position and its feeder's voltages and transformer loading. */
export interface PlatformObservation {
  readonly platformId: string;
  readonly timeUtc: string;
  readonly netPositionKw: number;
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly transformerLoadingPercent: number;
}

export interface NegotiationStats {
  readonly rounds: number;
  readonly messages: number;
  readonly bytes: number;
  /** Gates run and gates that closed at the round cap or deadline without agreeing (status not_converged). */
  readonly gates?: number;
  readonly notConvergedGates?: number;
}

/**
 * Flat retail prices (EUR/kWh) from the wholesale price (EUR/MWh): import = wholesale + retail margin + network
 * charge, export = wholesale − retail margin. The single EUR/MWh → EUR/kWh conversion of the wholesale price;
 * shared by every mechanism.
 */
export function flatRetailPricesEurPerKwh(
  wholesaleEurPerMwh: number,
  tariff: RetailTariffSettings,
): { importEurPerKwh: number; exportEurPerKwh: number } {
  const energy = energyPricesEurPerKwh(wholesaleEurPerMwh / KW_PER_MW, tariff);
  return {
    importEurPerKwh: energy.importEurPerKwh + tariff.networkChargeEurPerKwh,
    exportEurPerKwh: energy.exportEurPerKwh,
  };
}

/** Energy part of retail prices: wholesale ± retail margin (all EUR/kWh). */
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
