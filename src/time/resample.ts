// Resolution changes that conserve energy: average power over overlapping intervals (any ratio, any offset).
import { InputError } from '../core/errors.ts';
import { intervalStartMs, MS_PER_MINUTE, type TimeIndex } from './time-index.ts';

/**
 * Resample a series of *average powers* (kW, or any intensive quantity) from one index to another. Each target
 * interval receives the duration-weighted mean of the source intervals it overlaps, so energy (power × duration)
 * over any target interval equals the source energy over the same span: aggregation (1 min → 30 min) averages,
 * refinement (60 min → 15 min) repeats the hourly value, and non-integer ratios split intervals by overlap.
 * Target intervals must lie inside the source span (no extrapolation).
 */
export function resamplePower(values: ArrayLike<number>, from: TimeIndex, to: TimeIndex): Float64Array {
  if (values.length !== from.length) {
    throw InputError.single(
      'length_mismatch',
      ['values'],
      `has ${values.length} values, index has ${from.length}`,
    );
  }
  const fromStepMs = from.stepMin * MS_PER_MINUTE;
  const toStepMs = to.stepMin * MS_PER_MINUTE;
  const sourceEnd = intervalStartMs(from, from.length);
  const out = new Float64Array(to.length);
  for (let k = 0; k < to.length; k++) {
    const a = intervalStartMs(to, k);
    const b = a + toStepMs;
    if (a < from.startMs - 1e-6 || b > sourceEnd + 1e-6) {
      throw InputError.single('out_of_range', ['to'], `interval ${k} lies outside the source time span`);
    }
    let first = Math.floor((a - from.startMs) / fromStepMs);
    if (first < 0) first = 0;
    let weighted = 0;
    for (let j = first; j < from.length; j++) {
      const s = intervalStartMs(from, j);
      if (s >= b) break;
      const overlap = Math.min(b, s + fromStepMs) - Math.max(a, s);
      if (overlap > 0) weighted += values[j] * overlap;
    }
    out[k] = weighted / toStepMs;
  }
  return out;
}

/** Resample a series of *energies per interval* (kWh): energies are converted to powers, resampled, converted back. */
export function resampleEnergy(valuesKwh: ArrayLike<number>, from: TimeIndex, to: TimeIndex): Float64Array {
  const kwhPerMin = Float64Array.from(valuesKwh, (v) => v / from.stepMin);
  const out = resamplePower(kwhPerMin, from, to);
  for (let k = 0; k < out.length; k++) out[k] *= to.stepMin;
  return out;
}

/**
 * Map a daily profile given at a fixed resolution starting at UTC midnight (e.g. 1,440 one-minute multipliers)
 * onto any index, repeating the day as needed, with energy-conserving averaging.
 */
export function dailyProfileOnIndex(
  profile: ArrayLike<number>,
  profileStepMin: number,
  to: TimeIndex,
): Float64Array {
  const dayMin = profile.length * profileStepMin;
  if (Math.abs(dayMin - 1440) > 1e-9) {
    throw InputError.single(
      'bad_profile',
      ['profile'],
      `covers ${dayMin} minutes, a daily profile covers 1440`,
    );
  }
  const out = new Float64Array(to.length);
  const startMin = to.startMs / MS_PER_MINUTE;
  for (let k = 0; k < to.length; k++) {
    const a = startMin + k * to.stepMin;
    const b = a + to.stepMin;
    let weighted = 0;
    let j = Math.floor(a / profileStepMin);
    for (;;) {
      const s = j * profileStepMin;
      if (s >= b) break;
      const overlap = Math.min(b, s + profileStepMin) - Math.max(a, s);
      const idx = ((j % profile.length) + profile.length) % profile.length;
      if (overlap > 0) weighted += profile[idx] * overlap;
      j++;
    }
    out[k] = weighted / to.stepMin;
  }
  return out;
}
