// The IEEE European LV pricing study: seeded load/PV scenarios, EV and curtailment flexibility, study prices.
//
// 55 households of the bundled IEEE European LV feeder with a high-PV/EV DER mix (scenario generator, seeded);
// load scenarios from the IEEE LV donor profiles and PV scenarios from the OpenDSS shape (uncertainty module's
// forecast-error models); UK LV limits 0.94–1.10 p.u.; flexible EV charging while plugged in and curtailable PV.
import { createNetwork } from '../../grid/create-network.ts';
import type { Network } from '../../grid/schema.ts';
import { BundledProfiles } from '../../io/bundled-profiles.ts';
import { loadCase } from '../../io/case-registry.ts';
import { createRandom, deriveSeed } from '../../numeric/random.ts';
import {
  type DispatchFeeder,
  type LocationFlexibility,
  type ProbabilisticDispatchResult,
  type ScenarioSet,
  solveProbabilisticDispatch,
} from '../../problems/probabilistic-dispatch/index.ts';
import { generateIeeeLvScenario } from '../../scenario/index.ts';
import { dayTimeIndex, minuteOfDayUtc, type TimeIndex } from '../../time/time-index.ts';
import {
  addLoadScenario,
  buildLoadErrorModel,
  buildPvErrorModel,
  drawRegionalPvFactor,
  pvScenario,
} from '../../uncertainty/index.ts';

export interface LvStudyOptions {
  readonly seed?: number;
  readonly pricingScenarios?: number;
  readonly outOfSampleScenarios?: number;
  /** Number of households (first ones of the feeder), default 55. */
  readonly households?: number;
  readonly stepMin?: number;
  /** Multiplier on the drawn PV sizes (high-PV study), default 1.6. */
  readonly pvScale?: number;
  /** Rating given to every LV cable (MVA; the package has none), default 0.1 (≈ 140 A at 416 V). */
  readonly cableRatingMva?: number;
}

export type { ScenarioSet };

/** The study: a priced feeder (the dispatch's own data type) with its in-sample and out-of-sample scenarios. */
export interface LvStudy extends DispatchFeeder {
  readonly network: Network;
  readonly index: TimeIndex;
  readonly flexibility: LocationFlexibility[];
  readonly energyPriceEurPerMwh: Float64Array;
  readonly flatImportEurPerMwh: Float64Array;
  readonly flatExportEurPerMwh: Float64Array;
  readonly pricing: ScenarioSet;
  readonly outOfSample: ScenarioSet;
  readonly description: string;
}

/** Day-ahead wholesale price shape (EUR/MWh) by hour of day UTC. */
function energyPriceAt(hour: number): number {
  if (hour < 6) return 60;
  if (hour < 9) return 90;
  if (hour < 16) return 35;
  if (hour < 17) return 80;
  if (hour < 21) return 120;
  return 75;
}

export const RETAIL_IMPORT_MARGIN_EUR_PER_MWH = 150;
export const RETAIL_EXPORT_MARGIN_EUR_PER_MWH = 20;

/** Build the study (deterministic for a seed). */
export function buildLvStudy(options: LvStudyOptions = {}): LvStudy {
  const seed = options.seed ?? 7;
  const stepMin = options.stepMin ?? 30;
  const date = '2024-06-12';
  const index = dayTimeIndex(date, stepMin);
  const T = index.length;
  const scenario = generateIeeeLvScenario({
    seed,
    dateUtc: date,
    stepMin,
    households: options.households,
    mix: {
      pvShare: 0.8,
      batteryShareOfPv: 0,
      evShare: 0.7,
      heatPumpShare: 0,
      shiftableShare: 0,
      localPremiumShare: 0,
      energyPoorShare: 0,
      pvKwpMin: 2.5,
      pvKwpMax: 6,
    },
  });
  const base = loadCase('ieee-european-lv');
  const network = createNetwork({
    ...base,
    buses: base.buses.map((b) => ({ ...b, vmMinPu: 0.94, vmMaxPu: 1.1 })),
    branches: base.branches.map((b) =>
      b.kind === 'line' ? { ...b, rateAMva: options.cableRatingMva ?? 0.1 } : b,
    ),
  });
  const pvScale = options.pvScale ?? 1.6;
  const bundled = new BundledProfiles();
  const donors = Array.from({ length: 100 }, (_, k) => bundled.ieeeLvLoad(k + 1));
  const loadModel = buildLoadErrorModel(donors, 1, index);
  const pvModel = buildPvErrorModel(bundled.pvShape(), 1, index);
  const prosumers = scenario.prosumers ?? [];
  const locations = prosumers.map((p) => ({ locationId: p.id, bus: p.bus }));
  const energyPriceEurPerMwh = Float64Array.from({ length: T }, (_, t) =>
    energyPriceAt(minuteOfDayUtc(index, t) / 60),
  );
  const flatImportEurPerMwh = energyPriceEurPerMwh.map((e) => e + RETAIL_IMPORT_MARGIN_EUR_PER_MWH);
  const flatExportEurPerMwh = energyPriceEurPerMwh.map((e) => e - RETAIL_EXPORT_MARGIN_EUR_PER_MWH);
  const flexibility = prosumers.map((p): LocationFlexibility => {
    const demandMaxMw = new Float64Array(T);
    const demandValueEurPerMwh = new Float64Array(T);
    const ev = p.evs?.[0];
    let demandSlope = 1;
    if (ev) {
      const chargerMw = ev.chargerKw / 1000;
      demandSlope = 200 / chargerMw;
      const evening = ev.sessions?.[1];
      const morning = ev.sessions?.[0];
      const arriveH = evening ? (Date.parse(evening.arrivalUtc) - index.startMs) / 3_600_000 : 24;
      const departH = morning ? (Date.parse(morning.departureUtc) - index.startMs) / 3_600_000 : 0;
      for (let t = 0; t < T; t++) {
        const h = minuteOfDayUtc(index, t) / 60;
        if (h >= arriveH) {
          demandMaxMw[t] = chargerMw;
          demandValueEurPerMwh[t] = h < arriveH + 4 ? 420 : 230;
        } else if (h + stepMin / 60 <= departH) {
          demandMaxMw[t] = chargerMw;
          demandValueEurPerMwh[t] = 230;
        }
      }
    }
    const kwp = (p.pv?.[0]?.capacityKwp ?? 0) * pvScale;
    const curtailMaxMw = Float64Array.from(pvModel.forecastPerKwp, (f) => (f > 0 ? kwp / 1000 : 0));
    return {
      demandMaxMw,
      demandValueEurPerMwh,
      demandSlopeEurPerMw2h: demandSlope,
      curtailMaxMw,
      curtailSlopeEurPerMw2h: kwp > 0 ? 100 / (kwp / 1000) : 1,
    };
  });
  const loadEnergyKwh = prosumers.map((p) => {
    const profile = String(p.loads?.[0]?.profile ?? 'ieee-lv-1');
    return loadModel.donorEnergiesKwh[Number(profile.replace('ieee-lv-', '')) - 1];
  });
  const draw = (count: number, stream: number): ScenarioSet => {
    const netLoadMw = Array.from({ length: T }, () => [] as Float64Array[]);
    const pvMw = Array.from({ length: T }, () => [] as Float64Array[]);
    for (let s = 0; s < count; s++) {
      const rng = createRandom(deriveSeed(seed, stream + s));
      const regional = drawRegionalPvFactor(pvModel, rng);
      const net = Array.from({ length: T }, () => new Float64Array(prosumers.length));
      const pv = Array.from({ length: T }, () => new Float64Array(prosumers.length));
      prosumers.forEach((p, l) => {
        const load = new Float64Array(T);
        addLoadScenario(loadModel, loadEnergyKwh[l], rng, load);
        const kwp = (p.pv?.[0]?.capacityKwp ?? 0) * pvScale;
        const generation = kwp > 0 ? pvScenario(pvModel, kwp, regional, rng) : new Float64Array(T);
        for (let t = 0; t < T; t++) {
          net[t][l] = (load[t] - generation[t]) / 1000;
          pv[t][l] = generation[t] / 1000;
        }
      });
      for (let t = 0; t < T; t++) {
        netLoadMw[t].push(net[t]);
        pvMw[t].push(pv[t]);
      }
    }
    return { netLoadMw, pvMw };
  };
  return {
    network,
    index,
    startUtc: index.startUtc,
    intervalMinutes: index.stepMin,
    locations,
    flexibility,
    energyPriceEurPerMwh,
    flatImportEurPerMwh,
    flatExportEurPerMwh,
    pricing: draw(options.pricingScenarios ?? 50, 1_000_000),
    outOfSample: draw(options.outOfSampleScenarios ?? 50, 2_000_000),
    description: `IEEE European LV feeder, ${prosumers.length} households (80 % PV, 70 % EV), ${date}, seed ${seed}`,
  };
}

/** The DSO's day-ahead price schedule for a study, from its pricing scenarios at risk level `risk`. */
export function priceLvStudy(study: LvStudy, risk: number): Promise<ProbabilisticDispatchResult> {
  return solveProbabilisticDispatch({
    network: study.network,
    startUtc: study.startUtc,
    intervalMinutes: study.intervalMinutes,
    locations: study.locations,
    netLoadMw: study.pricing.netLoadMw,
    flexibility: study.flexibility,
    energyPriceEurPerMwh: study.energyPriceEurPerMwh,
    flatImportEurPerMwh: study.flatImportEurPerMwh,
    flatExportEurPerMwh: study.flatExportEurPerMwh,
    risk,
  });
}
