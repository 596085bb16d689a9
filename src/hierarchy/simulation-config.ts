// The `simulation` section of a system study: what the scenario schema does not say about a whole-system run.
//
// A system study file is a scenario (src/scenario, validated by validateScenario) plus this optional section:
// where each DSO hangs and how much of its bus load it stands for, feeder replication, controller resolutions,
// tariffs, uncertainty and imbalance rules, and the TSO/DSO mediation rule. Every field has a documented default.
import { z } from 'zod';
import { coordinationOptionsSchema } from '../coordination/config.ts';
import { MEDIATION_RULES } from '../coordination/tso-dso-mediation.ts';

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const share = () => finite().refine((v) => v >= 0 && v <= 1, 'must lie in [0, 1]');
const stepMin = () =>
  z
    .number()
    .int()
    .refine((v) => v > 0 && 1440 % v === 0, 'must be a whole number of minutes dividing 1440');

/** Typical April weekday system load shape (hourly, peak 1) for transmission aggregate loads. */
export const DEFAULT_SYSTEM_LOAD_SHAPE = [
  0.62, 0.58, 0.56, 0.55, 0.56, 0.6, 0.7, 0.82, 0.88, 0.9, 0.9, 0.89, 0.88, 0.87, 0.86, 0.87, 0.9, 0.96, 1,
  0.98, 0.93, 0.85, 0.76, 0.68,
];

export const simulationConfigSchema = z
  .object({
    /** Days to simulate from the scenario's start (the CLI's --days overrides). */
    days: z.number().int().min(1).max(366).default(1),
    resolutionsMin: z
      .object({
        tso: stepMin().default(60),
        dso: stepMin().default(30),
        platform: stepMin().default(15),
        prosumer: stepMin().default(5),
      })
      .default({ tso: 60, dso: 30, platform: 15, prosumer: 5 }),
    transmission: z
      .object({
        /** Hourly multipliers of the case's bus loads (24 values, UTC hours). */
        loadShape: z.array(finite().refine((v) => v >= 0, 'must be non-negative')).length(24),
      })
      .default({ loadShape: DEFAULT_SYSTEM_LOAD_SHAPE }),
    /** Per MV network: the share of its transmission bus's case load it replaces (the rest stays an aggregate). */
    dsos: z
      .array(
        z.object({
          network: z.string().min(1),
          shareOfBusLoad: share(),
          /** Hourly multipliers of the MV network's own remaining loads (default: the system shape). */
          loadShape: z.array(finite()).length(24).optional(),
        }),
      )
      .default([]),
    /** Each simulated LV network stands for `replicas` identical feeders at its MV bus (aggregated equivalent). */
    feeders: z
      .array(
        z.object({
          network: z.string().min(1),
          replicas: z.number().int().min(1).max(100_000),
          /** Import/export limit of the feeder's transformer (kVA); default: the case's first transformer rating. */
          transformerKva: finite().optional(),
        }),
      )
      .default([]),
    tariff: z
      .object({
        retailMarginEurPerKwh: finite().default(0.03),
        networkChargeEurPerKwh: finite().default(0.08),
        platformFeeEurPerKwh: finite().default(0.002),
      })
      .default({
        retailMarginEurPerKwh: 0.03,
        networkChargeEurPerKwh: 0.08,
        platformFeeEurPerKwh: 0.002,
      }),
    uncertainty: z
      .object({
        /** Log-sd of a household's daily load factor and relative sd of its 5-min noise. */
        loadDailySigma: finite().default(0.15),
        loadNoiseSigma: finite().default(0.1),
        /** Log-sd of the regional daily PV factor (shared by every PV system of a DSO). */
        pvRegionalSigma: finite().default(0.15),
        /** Share of the day-ahead error the intraday forecast has learnt. */
        intradayLearnedShare: share().default(0.6),
        /** Probability the agreed uncertainty band covers (normal quantile). */
        bandProbability: share().default(0.9),
      })
      .default({
        loadDailySigma: 0.15,
        loadNoiseSigma: 0.1,
        pvRegionalSigma: 0.15,
        intradayLearnedShare: 0.6,
        bandProbability: 0.9,
      }),
    /** Extra charge on real-time imbalance outside the agreed band (EUR/MWh). */
    imbalancePenaltyEurPerMwh: finite().default(50),
    /**
     * Intraday continuous trading (markets/intraday.ts): hourly sessions from D−1 23:00, members trade their
     * re-forecast deviations on the platform's order book until `gateClosureMin` before delivery, the rest with
     * the DSO; the forecast knows `uncertainty.intradayLearnedShare` of the error at `forecastHorizonH` or more
     * ahead, all of it at delivery (linear in between). `trading: false`: one re-forecast, no trading.
     */
    intraday: z
      .object({
        trading: z.boolean().default(true),
        gateClosureMin: z.number().int().min(0).max(1440).default(60),
        forecastHorizonH: z.number().positive().max(48).default(24),
      })
      .default({ trading: true, gateClosureMin: 60, forecastHorizonH: 24 }),
    /**
     * Real-time balancing (markets/balancing.ts): the platform dispatches members' remaining battery headroom
     * against its imbalance (merit order), then the residual is settled at dual imbalance prices around the
     * wholesale price at the grid supply point, ± `imbalanceSpreadEurPerMwh`.
     */
    balancing: z
      .object({
        enabled: z.boolean().default(true),
        imbalanceSpreadEurPerMwh: finite()
          .refine((v) => v >= 0, 'must be non-negative')
          .default(50),
      })
      .default({ enabled: true, imbalanceSpreadEurPerMwh: 50 }),
    mediation: z.enum(MEDIATION_RULES).default('distribution-first'),
    /**
     * How members plan day-ahead: `joint` — each platform's members in one pool clearing over their DER
     * flexibility (markets/flexible-pool.ts), so P2P moves batteries, EVs, heat pumps and shiftable loads;
     * `individual` — each member alone on its retail prices, the platform then trades the planned surpluses.
     */
    memberPlanning: z.enum(['joint', 'individual']).default('joint'),
    /** Options of the coordination mechanisms (dso-pricing: riskLevel, scenarioCount; coordination/). */
    coordination: coordinationOptionsSchema.default({}),
    /** Share of a branch's MVA rating usable for active power in limit checks. */
    activePowerRatingShare: share().default(0.95),
    /** Price-band half-width over which a member's flexibility is offered (EUR/kWh). */
    bidSpreadEurPerKwh: finite().default(0.02),
  })
  .strict();

export type SimulationConfig = z.infer<typeof simulationConfigSchema>;
export type SimulationConfigInput = z.input<typeof simulationConfigSchema>;
