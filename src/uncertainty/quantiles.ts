// Empirical quantiles of samples and of scenario sets per interval.
import { InputError } from '../core/errors.ts';

/**
 * Empirical quantile with linear interpolation between order statistics (Hyndman & Fan 1996, definition 7,
 * the default of R and NumPy): position h = (n − 1)·p in the sorted sample.
 */
export function quantile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) throw InputError.single('empty', ['samples'], 'needs at least one sample');
  if (!(p >= 0 && p <= 1)) throw InputError.single('bad_probability', ['p'], 'must be in [0, 1]');
  const sorted = Float64Array.from(samples).sort();
  return quantileOfSorted(sorted, p);
}

/** Quantile of an already sorted sample (ascending). */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Per-interval quantiles of a scenario set (scenarios × intervals): one Float64Array per probability. */
export function scenarioQuantiles(
  scenarios: readonly ArrayLike<number>[],
  probabilities: readonly number[],
): Float64Array[] {
  if (scenarios.length === 0) throw InputError.single('empty', ['scenarios'], 'needs at least one scenario');
  const n = scenarios[0].length;
  const out = probabilities.map(() => new Float64Array(n));
  const column = new Float64Array(scenarios.length);
  for (let k = 0; k < n; k++) {
    for (let s = 0; s < scenarios.length; s++) column[s] = scenarios[s][k];
    column.sort();
    probabilities.forEach((p, i) => {
      out[i][k] = quantileOfSorted(column, p);
    });
  }
  return out;
}
