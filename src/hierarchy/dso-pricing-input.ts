// What the DSO hands its coordination mechanism day-ahead: wholesale price (EUR/MWh), tariff, locations, forecasts.
import type { DsoPricingInput, FeederPricingInput, MemberForecast } from '../coordination/mechanism.ts';
import { deriveSeed } from '../numeric/random.ts';
import type { TimeIndex } from '../time/time-index.ts';
import { MvGrid } from './mv-grid.ts';
import type { SimulationConfig } from './simulation-config.ts';
import { type DsoModel, type ProsumerResolver, shiftSpecDays } from './system-model.ts';

const MS_PER_DAY = 86_400_000;

export interface DsoPricingContext {
  readonly dso: DsoModel;
  readonly config: SimulationConfig;
  readonly resolver: ProsumerResolver;
  readonly firstDayMs: number;
  /** Seed of the DSO's pricing scenario draws (one derived seed per day). */
  readonly seed: number;
}

/**
 * The pricing input for one day on the DSO's index: the TSO's wholesale price at the grid supply point kept in
 * EUR/MWh (the mechanism builds the EUR/kWh retail schedule), one location per platform, and, when the mechanism
 * prices households, the DSO's day-ahead forecast of every member.
 */
export function buildDsoPricingInput(
  context: DsoPricingContext,
  index: TimeIndex,
  wholesalePriceEurPerMwh: readonly number[],
  withMemberForecasts: boolean,
): DsoPricingInput {
  const { dso, config } = context;
  const day = Math.round((index.startMs - context.firstDayMs) / MS_PER_DAY);
  const u = config.uncertainty;
  const feeders = withMemberForecasts ? memberForecasts(context, index) : [];
  return {
    dsoId: dso.id,
    index,
    wholesaleEurPerMwh: Float64Array.from(wholesalePriceEurPerMwh),
    tariff: config.tariff,
    locations: dso.feeders.map((f) => ({ locationId: f.platformId, replicas: f.replicas })),
    feeders,
    platformStepMin: config.resolutionsMin.platform,
    forecastError: {
      loadDailySigma: u.loadDailySigma,
      // The prosumer-step noise averaged over one DSO interval.
      loadNoiseSigma: u.loadNoiseSigma / Math.sqrt(index.stepMin / config.resolutionsMin.prosumer),
      pvRegionalSigma: u.pvRegionalSigma,
    },
    seed: deriveSeed(context.seed, day),
  };
}

/**
 * The DSO's day-ahead point forecast of every household on its feeders (DSO step): uncontrollable load and
 * available PV from the members' profiles, and EV charging flexibility — the charger's power while plugged in and
 * the power that spreads each session's required energy evenly over it (the expected behaviour at flat prices).
 */
function memberForecasts(context: DsoPricingContext, index: TimeIndex): FeederPricingInput[] {
  const day = Math.round((index.startMs - context.firstDayMs) / MS_PER_DAY);
  const n = index.length;
  const stepH = index.stepMin / 60;
  return context.dso.feeders.map((f) => ({
    platformId: f.platformId,
    network: f.network,
    transformerLimitKw: f.transformerLimitKw,
    members: f.members.map((spec): MemberForecast => {
      const model = context.resolver.resolve(shiftSpecDays(spec, day), index, ['prosumers', spec.id]);
      const pvKw = new Float64Array(n);
      for (const pv of model.pv) for (let k = 0; k < n; k++) pvKw[k] += pv.availableKw[k];
      const flexibleMaxKw = new Float64Array(n);
      const flexibleExpectedKw = new Float64Array(n);
      for (const ev of model.evs)
        for (const session of ev.sessions) {
          const first = Math.max(0, session.firstStep);
          const end = Math.min(n, session.endStep);
          if (end <= first) continue;
          const needKwh = Math.max(0, session.energyEndMinKwh - session.energyStartKwh) / ev.chargeEfficiency;
          const expected = Math.min(ev.chargerKw, needKwh / ((end - first) * stepH));
          for (let k = first; k < end; k++) {
            flexibleMaxKw[k] += ev.chargerKw;
            flexibleExpectedKw[k] += expected;
          }
        }
      return {
        locationId: spec.id,
        bus: spec.bus,
        loadKw: model.fixedLoadKw,
        pvKw,
        flexibleMaxKw,
        flexibleExpectedKw,
      };
    }),
  }));
}
