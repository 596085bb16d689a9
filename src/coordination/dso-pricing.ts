// Coordination `dso-pricing`: the DSO prices every LV feeder it operates with issue 6's probabilistic DLMPs.
//
// Level: one LV feeder (radial; each IEEE European LV feeder is) per call of `solveProbabilisticDispatch`, with one
// location per household at its bus. The feeder stands for all its replicas (they are identical), so the DSO prices
// each distinct simulated feeder once per day. Options (config.ts): `riskLevel` ε (default 0.05) and
// `scenarioCount` S (default 24). Per feeder and DSO interval t (README.md, problems/probabilistic-dispatch/):
//   S uncontrollable net load scenarios  n_{l,t,s} = L̂_{l,t}·D_{l,s}·(1 + σ_n·z_{l,t,s}) − PV̂_{l,t}·R_s
//     (L̂, PV̂ the day-ahead point forecasts; D ~ LN(σ_day) per household, R ~ LN(σ_pv) shared by the DSO's region,
//      z ~ N(0, 1): the simulation's own forecast-error model, `SimulationConfig.uncertainty`);
//   flexibility  flexible demand e ∈ [0, Ē_t] (EV charging while plugged in) with utility a_t·e − ½γe², where
//     γ = B/max Ē and a_t = flat import_t + γ·ê_t, so that at flat prices the member charges its expected ê_t and
//     sheds its whole range over B = 100 EUR/MWh; PV curtailment u ∈ [0, PV̂_t], κ = B/max PV̂;
//   chance-constrained DLMP dispatch at risk ε (individual constraints tightened by sample quantiles, calibrated
//     until the in-sample joint violation frequency ≤ ε), losses by AC loss factors, on the series-reduced feeder.
// Prices with ν_b = DLMP_b − energy: import_b = flat import + ν_b, export_b = flat export + ν_b,
// P2P fee(buyer b, seller s) = ν_b − ν_s. The platform's own location gets the members' mean prices (reporting).
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW, kwToMw } from '../core/units.ts';
import { createNetwork } from '../grid/create-network.ts';
import {
  type LocationFlexibility,
  solveProbabilisticDispatch,
} from '../problems/probabilistic-dispatch/solve-probabilistic-dispatch.ts';
import { createRandom, deriveSeed, randomMeanOneLogNormal, randomNormal } from '../uncertainty/index.ts';
import { DSO_PRICING_DEFAULTS, type DsoPricingOptions, resolveDsoPricingOptions } from './config.ts';
import {
  type CoordinationMechanism,
  type DsoPricingInput,
  type FeederPricingInput,
  type ForecastErrorSettings,
  flatRetailPricesEurPerKwh,
  schedulePrice,
} from './mechanism.ts';
import { flatPriceSchedule } from './none.ts';

/** @deprecated the default of `scenarioCount` (DSO_PRICING_DEFAULTS). */
export const DSO_PRICING_SCENARIOS = DSO_PRICING_DEFAULTS.scenarioCount;
/** @deprecated the default of `riskLevel` (DSO_PRICING_DEFAULTS). */
export const DSO_PRICING_RISK = DSO_PRICING_DEFAULTS.riskLevel;
/** Price change (EUR/MWh) over which a member's whole flexible range responds. */
export const RESPONSE_BAND_EUR_PER_MWH = 100;

type Location = PriceSchedule['locations'][number];

/**
 * The `dso-pricing` mechanism for its options (validated, defaults merged): unidirectional pricing (DESIGN.md
 * M5-B) with issue 6's method; the DSO bids only deliverable flexibility up.
 */
export function createDsoPricingCoordination(
  options: DsoPricingOptions = {},
  path: readonly (string | number)[] = ['coordination'],
): CoordinationMechanism {
  const resolved = resolveDsoPricingOptions(options, path);
  return {
    name: 'dso-pricing',
    config: { name: 'dso-pricing', ...resolved },
    clipsBidsToDistributionLimits: true,
    pricesHouseholds: true,
    priceSchedule: (input) => computeFeederDlmpSchedule(input, resolved),
  };
}

/** The DSO's PriceSchedule: per-household DLMP-based prices and fees on every feeder (see the module comment). */
export async function computeFeederDlmpSchedule(
  input: DsoPricingInput,
  options: DsoPricingOptions = {},
): Promise<PriceSchedule> {
  const { riskLevel, scenarioCount } = resolveDsoPricingOptions(options);
  const n = input.index.length;
  // The dispatch works in EUR/MWh: the wholesale price as it comes, the flat retail prices scaled back up.
  const energy = input.wholesaleEurPerMwh;
  const flatImport = new Float64Array(n);
  const flatExport = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const retail = flatRetailPricesEurPerKwh(input.wholesaleEurPerMwh[t], input.tariff);
    flatImport[t] = retail.importEurPerKwh * KW_PER_MW;
    flatExport[t] = retail.exportEurPerKwh * KW_PER_MW;
  }
  const flat = flatPriceSchedule(input);
  const locations: Location[] = [];
  const fees: PriceSchedule['fees'] = [];
  for (const [f, platform] of input.locations.entries()) {
    const feeder = input.feeders.find((x) => x.platformId === platform.locationId);
    if (!feeder || feeder.members.length === 0) {
      locations.push(flat.locations[f]);
      continue;
    }
    const { schedule } = await solveProbabilisticDispatch({
      network: createNetwork({ ...feeder.network, loads: [] }),
      startUtc: input.index.startUtc,
      intervalMinutes: input.index.stepMin,
      locations: feeder.members.map((m) => ({ locationId: m.locationId, bus: m.bus })),
      netLoadMw: drawNetLoadScenarios(
        feeder,
        input.forecastError,
        deriveSeed(input.seed, f),
        n,
        scenarioCount,
      ),
      flexibility: feeder.members.map((m) => memberFlexibility(m, flatImport)),
      energyPriceEurPerMwh: energy,
      flatImportEurPerMwh: flatImport,
      flatExportEurPerMwh: flatExport,
      risk: riskLevel,
    });
    const members = schedule.locations.map((l) => ({
      locationId: l.locationId,
      importPriceEurPerKwh: l.importPriceEurPerKwh.map(schedulePrice),
      exportPriceEurPerKwh: l.exportPriceEurPerKwh.map(schedulePrice),
    }));
    const mean = (key: 'importPriceEurPerKwh' | 'exportPriceEurPerKwh') =>
      Array.from({ length: n }, (_, t) =>
        schedulePrice(members.reduce((a, l) => a + l[key][t], 0) / members.length),
      );
    locations.push(
      {
        locationId: platform.locationId,
        importPriceEurPerKwh: mean('importPriceEurPerKwh'),
        exportPriceEurPerKwh: mean('exportPriceEurPerKwh'),
      },
      ...members,
    );
    for (const fee of schedule.fees) fees.push({ ...fee, feeEurPerKwh: fee.feeEurPerKwh.map(schedulePrice) });
  }
  return { ...flat, locations, fees };
}

/** Seeded net-load scenarios netLoadMw[t][s][member] from the point forecasts and the forecast-error model. */
export function drawNetLoadScenarios(
  feeder: FeederPricingInput,
  error: ForecastErrorSettings,
  seed: number,
  n: number,
  scenarioCount: number,
): Float64Array[][] {
  const L = feeder.members.length;
  const out = Array.from({ length: n }, () => [] as Float64Array[]);
  for (let s = 0; s < scenarioCount; s++) {
    const rng = createRandom(deriveSeed(seed, s));
    const regional = randomMeanOneLogNormal(rng, error.pvRegionalSigma);
    const daily = Array.from({ length: L }, () => randomMeanOneLogNormal(rng, error.loadDailySigma));
    for (let t = 0; t < n; t++) {
      const net = new Float64Array(L);
      feeder.members.forEach((m, l) => {
        const load = Math.max(0, m.loadKw[t] * daily[l] * (1 + error.loadNoiseSigma * randomNormal(rng)));
        net[l] = kwToMw(load - m.pvKw[t] * regional);
      });
      out[t].push(net);
    }
  }
  return out;
}

/** Issue 6's quadratic flexibility of one member, calibrated to its expected behaviour at flat prices. */
export function memberFlexibility(
  m: FeederPricingInput['members'][number],
  flatImportEurPerMwh: Float64Array,
): LocationFlexibility {
  const maxMw = Float64Array.from(m.flexibleMaxKw, kwToMw);
  const peakFlexMw = maxMw.reduce((a, b) => Math.max(a, b), 0);
  const demandSlope = peakFlexMw > 0 ? RESPONSE_BAND_EUR_PER_MWH / peakFlexMw : 1;
  const pvMw = Float64Array.from(m.pvKw, (p) => kwToMw(Math.max(0, p)));
  const peakPvMw = pvMw.reduce((a, b) => Math.max(a, b), 0);
  return {
    demandMaxMw: maxMw,
    demandValueEurPerMwh: Float64Array.from(
      flatImportEurPerMwh,
      (p, t) => p + demandSlope * Math.min(kwToMw(m.flexibleExpectedKw[t]), maxMw[t]),
    ),
    demandSlopeEurPerMw2h: demandSlope,
    curtailMaxMw: pvMw,
    curtailSlopeEurPerMw2h: peakPvMw > 0 ? RESPONSE_BAND_EUR_PER_MWH / peakPvMw : 1,
  };
}

/** @deprecated use `createDsoPricingCoordination()`; kept for the `gridnest/coordination` export. */
export const dsoPricingCoordination: CoordinationMechanism = createDsoPricingCoordination();
