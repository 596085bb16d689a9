// What each platform negotiates with, from its members' day-ahead forecasts, on its own step (energy-conserving).
import { KW_PER_MW } from '../../core/units.ts';
import { resamplePower } from '../../time/resample.ts';
import { createTimeIndex, type TimeIndex } from '../../time/time-index.ts';
import { deriveSeed } from '../../uncertainty/index.ts';
import { drawNetLoadScenarios, RESPONSE_BAND_EUR_PER_MWH } from '../dso-pricing.ts';
import { type DsoPricingInput, type FeederPricingInput, flatRetailPricesEurPerKwh } from '../mechanism.ts';
import type { NegotiationPlatformData } from './platform-agent.ts';

/** Forecast scenarios a platform draws for its envelope (seeded, the simulation's error model). */
const ENVELOPE_SCENARIOS = 24;

const peak = (v: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, v[i]);
  return m;
};

/** The platform step's index over the same day as the DSO's. */
export function platformIndexOf(input: DsoPricingInput): TimeIndex {
  const stepMin = input.platformStepMin ?? input.index.stepMin;
  const length = Math.round((input.index.length * input.index.stepMin) / stepMin);
  return createTimeIndex({ startUtc: input.index.startUtc, stepMin, length });
}

/**
 * Platform j's data: members' net load (load − PV), expected and maximal EV demand, PV, and issue 6's slopes
 * (γ = B / max Ē, κ = B / max PV, B = 100 EUR/MWh) refined from the DSO step to the platform step with
 * resamplePower; scenarios of its uncontrollable net load for the envelope; the σ of its independent (household
 * load: L·√(e^{σ_d²}(1 + σ_n²) − 1) in quadrature) and regionally correlated (PV: PV·√(e^{σ_pv²} − 1)) errors.
 */
export function buildPlatformData(
  input: DsoPricingInput,
  feeder: FeederPricingInput,
  j: number,
  rho: number,
  reboundShare = 0,
): NegotiationPlatformData {
  const index = platformIndexOf(input);
  const fine = (v: ArrayLike<number>) => resamplePower(v, input.index, index);
  const n = index.length;
  const flatExport = Float64Array.from(
    input.wholesaleEurPerMwh,
    (w) => flatRetailPricesEurPerKwh(w, input.tariff).exportEurPerKwh * KW_PER_MW,
  );
  const members = feeder.members.map((m) => {
    const maxKw = fine(m.flexibleMaxKw);
    const pvKw = fine(m.pvKw);
    const peakFlex = peak(maxKw);
    const peakPv = peak(pvKw);
    return {
      baseNetKw: fine(Float64Array.from(m.loadKw, (l, t) => l - m.pvKw[t])),
      flexibleExpectedKw: fine(m.flexibleExpectedKw),
      flexibleMaxKw: maxKw,
      demandSlope: peakFlex > 0 ? RESPONSE_BAND_EUR_PER_MWH / peakFlex : 1,
      pvKw,
      curtailSlope: peakPv > 0 ? RESPONSE_BAND_EUR_PER_MWH / peakPv : 1,
    };
  });
  const e = input.forecastError;
  const dsoN = input.index.length;
  const drawn = drawNetLoadScenarios(feeder, e, deriveSeed(input.seed, 900 + j), dsoN, ENVELOPE_SCENARIOS);
  const scenarios = Array.from({ length: ENVELOPE_SCENARIOS }, (_, s) =>
    fine(Float64Array.from({ length: dsoN }, (_, t) => drawn[t][s].reduce((a, v) => a + v, 0) * KW_PER_MW)),
  );
  const loadFactor = Math.sqrt(Math.exp(e.loadDailySigma ** 2) * (1 + e.loadNoiseSigma ** 2) - 1);
  const pvFactor = Math.sqrt(Math.exp(e.pvRegionalSigma ** 2) - 1);
  const independent = new Float64Array(dsoN);
  const correlated = new Float64Array(dsoN);
  for (let t = 0; t < dsoN; t++) {
    let variance = 0;
    for (const m of feeder.members) {
      variance += (m.loadKw[t] * loadFactor) ** 2;
      correlated[t] += m.pvKw[t] * pvFactor;
    }
    independent[t] = Math.sqrt(variance);
  }
  return {
    platformId: feeder.platformId,
    index,
    members,
    flatExportEurPerMwh: fine(flatExport),
    netLoadScenariosKw: scenarios.length > 0 ? scenarios : [new Float64Array(n)],
    independentSigmaKw: fine(independent),
    correlatedSigmaKw: fine(correlated),
    rho,
    reboundShare,
  };
}

/** ADMM penalty of a feeder: B over its flexible range (EUR/MWh per kW), so one round moves prices by ≲ B. */
export function feederRho(feeder: FeederPricingInput): number {
  let rangeKw = 0;
  for (const m of feeder.members) rangeKw += peak(m.flexibleMaxKw) + peak(m.pvKw);
  return RESPONSE_BAND_EUR_PER_MWH / Math.max(1, rangeKw);
}
