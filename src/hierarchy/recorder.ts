// Result tables of a simulation, one row per (element, interval) at each level's own resolution, units in names.
import type { MediationConflict } from '../coordination/tso-dso-mediation.ts';
import type { InterPlatformRow } from './inter-platform-settlement.ts';
import type { MediationCostRow } from './mediation-costs.ts';
import type { PlanStageRow } from './plan-stage.ts';

export interface TsoRow {
  readonly timeUtc: string;
  readonly dso: string;
  readonly bus: string;
  readonly forecastLmpEurPerMwh: number;
  readonly dayAheadLmpEurPerMwh: number;
  readonly intradayLmpEurPerMwh: number;
  readonly realTimeLmpEurPerMwh: number;
  /** DSO grid-supply-point import (MW): requested by the TSO, agreed, intraday, real time. */
  readonly requestedMw: number;
  readonly dayAheadMw: number;
  readonly intradayMw: number;
  readonly realTimeMw: number;
  readonly bandMw: number;
  readonly systemLoadMw: number;
  readonly generationMw: number;
  /** Cost of the real-time generation dispatch of the whole transmission system in this hour (case cost unit, EUR, per h). */
  readonly generationCostEurPerH: number;
}

export interface DsoRow {
  readonly timeUtc: string;
  readonly dso: string;
  readonly gspImportKw: number;
  readonly fixedLoadKw: number;
  readonly feedersImportKw: number;
  readonly lossesKw: number;
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly maxLoadingPercent: number;
  readonly rangeMinKw: number;
  readonly rangeMaxKw: number;
}

export interface PlatformRow {
  readonly timeUtc: string;
  readonly platform: string;
  readonly replicas: number;
  /** Per simulated feeder (one replica): planned, intraday forecast and actual net consumption of members (kW). */
  readonly plannedImportKw: number;
  readonly intradayImportKw: number;
  readonly actualImportKw: number;
  /** The platform's imbalance against its position to the DSO (kWh, + long; stage-settlement.ts), one replica. */
  readonly imbalanceKwh: number;
  /** Balancing energy the platform dispatched from members' batteries (kWh, + extra injection), one replica. */
  readonly balancingKwh: number;
  /** Feeder head (transformer MV side) import and LV losses (kW), one replica. */
  readonly headImportKw: number;
  readonly lossesKw: number;
  readonly vmMinPu: number;
  readonly vmMaxPu: number;
  readonly transformerLoadingPercent: number;
  /** Largest voltage unbalance |V2|/|V1| of the feeder, % (NaN when it is solved balanced). */
  readonly vufMaxPct: number;
  readonly p2pKwh: number;
  readonly p2pPriceEurPerKwh: number | null;
  readonly importPriceEurPerKwh: number;
  readonly exportPriceEurPerKwh: number;
  readonly wholesaleEurPerKwh: number;
}

export interface ProsumerRow {
  readonly timeUtc: string;
  readonly prosumer: string;
  readonly platform: string;
  readonly netInjectionKw: number;
  readonly loadKw: number;
  readonly controllableLoadKw: number;
  readonly pvKw: number;
  readonly pvCurtailedKw: number;
  readonly batteryKw: number;
  readonly batteryEnergyKwh: number;
}

export interface TradeRow {
  readonly timeUtc: string;
  readonly platform: string;
  readonly buyer: string;
  readonly seller: string;
  readonly eKwh: number;
  readonly priceEurPerKwh: number;
  readonly feeEurPerKwh: number;
  /** The market that made the trade: day-ahead P2P clearing or intraday continuous trading (no fee). */
  readonly stage: 'day-ahead' | 'intraday';
}

/** Energy balance residual of one level and interval: inflow − outflow − losses (kW, should be ~0). */
export interface BalanceRow {
  readonly level: 'prosumer' | 'platform' | 'dso' | 'tso';
  readonly id: string;
  readonly timeUtc: string;
  readonly residualKw: number;
}

export interface MediationRow extends MediationConflict {
  readonly dso: string;
  readonly timeUtc: string;
  readonly rule: string;
}

/** Per-member day summaries used by value metrics. */
export interface MemberDayRow {
  readonly day: number;
  readonly prosumer: string;
  readonly platform: string;
  readonly isEnergyPoor: boolean;
  readonly pvKwp: number;
  readonly batteryKwh: number;
  readonly billEur: number;
  /** What the member's consumption would have cost at the same import prices with no PV or battery. */
  readonly billWithoutDerEur: number;
  readonly consumptionKwh: number;
  readonly p2pBoughtKwh: number;
  readonly p2pSoldKwh: number;
}

/** Per-bus voltages and per-branch flows of one feeder interval (bus and branch order of `FeederTopology`). */
export interface FeederStateRow {
  readonly timeUtc: string;
  readonly platform: string;
  readonly vmPu: Float32Array;
  /** Apparent power at the branch's from end (kVA), one simulated feeder. */
  readonly flowFromKva: Float32Array;
}

/** A feeder's in-service buses and branches, in the order of its `FeederStateRow` arrays. */
export interface FeederTopology {
  readonly busIds: readonly string[];
  readonly branches: readonly { readonly id: string; readonly fromBus: string; readonly toBus: string }[];
}

export class SimulationRecorder {
  readonly tso: TsoRow[] = [];
  readonly dso: DsoRow[] = [];
  readonly platform: PlatformRow[] = [];
  readonly prosumer: ProsumerRow[] = [];
  readonly trades: TradeRow[] = [];
  readonly balance: BalanceRow[] = [];
  readonly mediation: MediationRow[] = [];
  /** Both mediation rules' costs per DSO and conflict hour (mediation-costs.ts). */
  readonly mediationCosts: MediationCostRow[] = [];
  /** What the planning stage loaded into the networks (plan-stage.ts). */
  readonly planning: PlanStageRow[] = [];
  readonly memberDays: MemberDayRow[] = [];
  /** Settlement between platforms for deviations from their commitments, per DSO, day and platform. */
  readonly interPlatform: InterPlatformRow[] = [];
  readonly feederStates: FeederStateRow[] = [];
  readonly feederTopologies = new Map<string, FeederTopology>();
  /** Keep one `trades` row per P2P trade (default true; a 100,000-prosumer day clears about 7 million trades). */
  readonly recordTrades: boolean;
  /** Keep per-bus voltages and per-branch flows of every feeder interval (default false; the dashboard's feeder view). */
  readonly recordFeederStates: boolean;
  constructor(
    readonly recordProsumers: boolean,
    options: { readonly recordTrades?: boolean; readonly recordFeederStates?: boolean } = {},
  ) {
    this.recordTrades = options.recordTrades ?? true;
    this.recordFeederStates = options.recordFeederStates ?? false;
  }
}
