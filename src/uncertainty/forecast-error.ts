// Forecast-error models for household load and rooftop PV, with seeded scenario generation by resampling.
//
// LOAD (standard-load-profile forecast, resampled actuals). The forecast of a household with expected daily energy
// E is E·m(t), where m is the mean of the donor profiles each normalised to 1 kWh/day, averaged over the allowed
// shifts (what a supplier knows of a household without real-time metering: its energy and the class profile; m is
// the expectation of the actuals below, so the forecast is unbiased). An actual day is
//   a(t) = E·ξ·d_j(t − τ)
// with d_j a donor profile (e.g. one of the 100 IEEE European LV profiles, 1-min, normalised to 1 kWh/day) drawn
// uniformly, τ a circular time shift drawn uniformly in ±maxShiftMin (habits vary in timing; the shift also
// decorrelates households that draw the same donor), and ξ a mean-one log-normal daily-energy factor with
// log-sd dailyEnergySigma (day-to-day variation of consumption). The forecast error is a(t) − E·m(t).
//
// PV (smoothed-shape forecast, local and regional errors). The forecast is kWp·s̄(t), the PV shape (e.g. the
// OpenDSS 1-min PV shape) smoothed by a centred moving average of smoothingMin; the actual is
//   a(t) = kWp·c·max(0, s̄(t) + r(t − τ))  where s̄(t) > 0, else 0,
// with r = s − s̄ the cloud transients of the measured shape shifted by a per-household τ (clouds pass at
// different times) and c a mean-one log-normal factor with log-sd regionalSigma drawn once per scenario and
// shared by every PV system in it (day-ahead weather error is spatially correlated and does not diversify).
//
// All series are averaged onto the study's time index with energy-conserving resampling.
import { InputError } from '../core/errors.ts';
import { type RandomSource, randomInt, randomMeanOneLogNormal } from '../numeric/random.ts';
import { dailyProfileOnIndex } from '../time/resample.ts';
import type { TimeIndex } from '../time/time-index.ts';

export interface LoadErrorModelOptions {
  /** Largest circular time shift of a donor profile (minutes); default 60. */
  readonly maxShiftMin?: number;
  /** Shift granularity (minutes, divides maxShiftMin); default 5. */
  readonly shiftStepMin?: number;
  /** Log-sd of the daily-energy factor; default 0.2. */
  readonly dailyEnergySigma?: number;
}

/** Precomputed donor shapes on the index (kW per kWh/day) for every allowed shift, and the forecast shape. */
export interface LoadErrorModel {
  readonly index: TimeIndex;
  readonly donorCount: number;
  readonly shiftCount: number;
  /** shapes[(donor·shiftCount + shift)·length + k]: kW per (kWh/day) in interval k. */
  readonly shapes: Float64Array;
  /** Forecast shape m(t) on the index (kW per kWh/day): the mean over donors and shifts. */
  readonly forecastShape: Float64Array;
  /** Daily energies of the donors (kWh/day), for drawing realistic household sizes. */
  readonly donorEnergiesKwh: Float64Array;
  readonly dailyEnergySigma: number;
}

/** Build the load error model from daily donor profiles (kW or multipliers of kW) of a fixed resolution. */
export function buildLoadErrorModel(
  donors: readonly ArrayLike<number>[],
  donorStepMin: number,
  index: TimeIndex,
  options: LoadErrorModelOptions = {},
): LoadErrorModel {
  if (donors.length === 0) throw InputError.single('empty', ['donors'], 'needs at least one donor profile');
  const maxShiftMin = options.maxShiftMin ?? 60;
  const shiftStepMin = options.shiftStepMin ?? 5;
  const shifts: number[] = [];
  for (let m = -maxShiftMin; m <= maxShiftMin + 1e-9; m += shiftStepMin)
    shifts.push(Math.round(m / donorStepMin));
  const n = index.length;
  const shapes = new Float64Array(donors.length * shifts.length * n);
  const forecastShape = new Float64Array(n);
  const donorEnergiesKwh = new Float64Array(donors.length);
  donors.forEach((donor, j) => {
    let energy = 0;
    for (let t = 0; t < donor.length; t++) energy += (donor[t] * donorStepMin) / 60;
    if (!(energy > 0)) throw InputError.single('bad_profile', ['donors', j], 'has no energy');
    donorEnergiesKwh[j] = energy;
    const normalised = Float64Array.from(donor, (v) => v / energy);
    const shifted = new Float64Array(donor.length);
    shifts.forEach((shift, i) => {
      for (let t = 0; t < donor.length; t++)
        shifted[t] = normalised[(t - shift + donor.length) % donor.length];
      const onIndex = dailyProfileOnIndex(shifted, donorStepMin, index);
      shapes.set(onIndex, (j * shifts.length + i) * n);
      for (let k = 0; k < n; k++) forecastShape[k] += onIndex[k] / (donors.length * shifts.length);
    });
  });
  return {
    index,
    donorCount: donors.length,
    shiftCount: shifts.length,
    shapes,
    forecastShape,
    donorEnergiesKwh,
    dailyEnergySigma: options.dailyEnergySigma ?? 0.2,
  };
}

/** Add one actual-load scenario (kW) of a household with expected daily energy E to `out` (accumulates). */
export function addLoadScenario(
  model: LoadErrorModel,
  dailyEnergyKwh: number,
  rng: RandomSource,
  out: Float64Array,
): void {
  const n = model.index.length;
  const donor = randomInt(rng, model.donorCount);
  const shift = randomInt(rng, model.shiftCount);
  const factor = dailyEnergyKwh * randomMeanOneLogNormal(rng, model.dailyEnergySigma);
  const offset = (donor * model.shiftCount + shift) * n;
  for (let k = 0; k < n; k++) out[k] += factor * model.shapes[offset + k];
}

/** Forecast and seeded actual-load scenarios (kW on the index) for one household. */
export function householdLoadScenarios(
  model: LoadErrorModel,
  dailyEnergyKwh: number,
  count: number,
  rng: RandomSource,
): { forecastKw: Float64Array; scenariosKw: Float64Array[] } {
  const forecastKw = Float64Array.from(model.forecastShape, (v) => v * dailyEnergyKwh);
  const scenariosKw = Array.from({ length: count }, () => {
    const s = new Float64Array(model.index.length);
    addLoadScenario(model, dailyEnergyKwh, rng, s);
    return s;
  });
  return { forecastKw, scenariosKw };
}

export interface PvErrorModelOptions {
  /** Moving-average window that defines the forecastable part of the shape (minutes); default 60. */
  readonly smoothingMin?: number;
  /** Largest shift of the cloud transients between households (minutes); default 45. */
  readonly maxShiftMin?: number;
  /** Log-sd of the regional (shared) factor; default 0.15. */
  readonly regionalSigma?: number;
}

/** Forecast shape and transient residuals of a daily PV shape (per kWp). */
export interface PvErrorModel {
  readonly index: TimeIndex;
  readonly shapeStepMin: number;
  readonly smooth: Float64Array;
  readonly residual: Float64Array;
  readonly maxShiftSteps: number;
  readonly regionalSigma: number;
  /** Forecast per kWp on the index. */
  readonly forecastPerKwp: Float64Array;
}

export function buildPvErrorModel(
  shape: ArrayLike<number>,
  shapeStepMin: number,
  index: TimeIndex,
  options: PvErrorModelOptions = {},
): PvErrorModel {
  const m = shape.length;
  const half = Math.max(0, Math.round((options.smoothingMin ?? 60) / shapeStepMin / 2));
  const smooth = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    let sum = 0;
    let count = 0;
    for (let u = Math.max(0, t - half); u <= Math.min(m - 1, t + half); u++) {
      sum += shape[u];
      count++;
    }
    smooth[t] = shape[t] > 0 ? sum / count : 0;
  }
  const residual = Float64Array.from(shape, (v, t) => v - smooth[t]);
  return {
    index,
    shapeStepMin,
    smooth,
    residual,
    maxShiftSteps: Math.round((options.maxShiftMin ?? 45) / shapeStepMin),
    regionalSigma: options.regionalSigma ?? 0.15,
    forecastPerKwp: dailyProfileOnIndex(smooth, shapeStepMin, index),
  };
}

/** Draw the regional PV factor c of one scenario (shared by every PV system in it). */
export const drawRegionalPvFactor = (model: PvErrorModel, rng: RandomSource): number =>
  randomMeanOneLogNormal(rng, model.regionalSigma);

/** One PV actual (kW on the index) for capacityKwp and a given regional factor. */
export function pvScenario(
  model: PvErrorModel,
  capacityKwp: number,
  regionalFactor: number,
  rng: RandomSource,
): Float64Array {
  const m = model.smooth.length;
  const shift = randomInt(rng, 2 * model.maxShiftSteps + 1) - model.maxShiftSteps;
  const actual = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    if (model.smooth[t] <= 0) continue;
    const r = model.residual[(t - shift + m) % m];
    actual[t] = capacityKwp * regionalFactor * Math.max(0, model.smooth[t] + r);
  }
  return dailyProfileOnIndex(actual, model.shapeStepMin, model.index);
}
