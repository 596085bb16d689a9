// The aggregation effect: reserve for forecast error needed per household as groups of households grow (M8).
import { InputError } from '../core/errors.ts';
import { createRandom, deriveSeed, randomInt } from '../numeric/random.ts';
import {
  addLoadScenario,
  drawRegionalPvFactor,
  type LoadErrorModel,
  type PvErrorModel,
  pvScenario,
} from './forecast-error.ts';
import { quantileOfSorted } from './quantiles.ts';

export interface AggregationEffectOptions {
  /** Group sizes to evaluate (households); default [1, 10, 55, 1000]. */
  readonly groupSizes?: readonly number[];
  /** Scenarios per group size; default 400. */
  readonly scenarios?: number;
  /** Quantile of the upward net-load error that the reserve covers; default 0.95. */
  readonly quantile?: number;
  readonly seed?: number;
  /** Optional PV: share of households with PV and their size (kWp). */
  readonly pv?: { readonly model: PvErrorModel; readonly share: number; readonly capacityKwp: number };
}

export interface AggregationEffectRow {
  readonly groupSize: number;
  /** Quantile of the group's net-load error over all scenarios and intervals (kW), i.e. the reserve to hold. */
  readonly reserveKw: number;
  readonly reservePerHouseholdKw: number;
  /** Worst interval's quantile (kW per household): the reserve if it is sized per interval. */
  readonly peakIntervalReservePerHouseholdKw: number;
  /** Mean forecast net load per household (kW), for scale. */
  readonly meanLoadPerHouseholdKw: number;
  /** Reserve per household relative to a single household's. */
  readonly relativeToSingle: number;
}

/**
 * For each group size N: draw N households (daily energy from the donors' energies, PV on a share of them), then
 * `scenarios` independent days of actuals with the load and PV error models of forecast-error.ts; the group's
 * error is Σ actual − Σ forecast net load per interval. The reserve is the chosen quantile of that error pooled
 * over scenarios and intervals (and per interval, taking the worst). Independent household errors shrink the
 * per-household reserve like 1/√N; the shared regional PV error does not diversify and sets a floor.
 */
export function aggregationEffect(
  load: LoadErrorModel,
  options: AggregationEffectOptions = {},
): AggregationEffectRow[] {
  const groupSizes = options.groupSizes ?? [1, 10, 55, 1000];
  const scenarios = options.scenarios ?? 400;
  const q = options.quantile ?? 0.95;
  const seed = options.seed ?? 1;
  if (groupSizes.some((g) => !Number.isInteger(g) || g < 1)) {
    throw InputError.single('bad_group', ['groupSizes'], 'group sizes must be positive integers');
  }
  const n = load.index.length;
  const rows: AggregationEffectRow[] = [];
  for (const size of groupSizes) {
    const rng = createRandom(deriveSeed(seed, size));
    const energies = Float64Array.from(
      { length: size },
      () => load.donorEnergiesKwh[randomInt(rng, load.donorCount)],
    );
    const hasPv = Uint8Array.from({ length: size }, () =>
      options.pv && rng.next() < options.pv.share ? 1 : 0,
    );
    const forecast = new Float64Array(n);
    let totalEnergy = 0;
    for (let h = 0; h < size; h++) totalEnergy += energies[h];
    for (let k = 0; k < n; k++) forecast[k] = totalEnergy * load.forecastShape[k];
    const pvCount = hasPv.reduce((a, b) => a + b, 0);
    if (options.pv && pvCount > 0) {
      for (let k = 0; k < n; k++)
        forecast[k] -= pvCount * options.pv.capacityKwp * options.pv.model.forecastPerKwp[k];
    }
    const pooled = new Float64Array(scenarios * n);
    const perInterval = Array.from({ length: n }, () => new Float64Array(scenarios));
    const actual = new Float64Array(n);
    for (let s = 0; s < scenarios; s++) {
      actual.fill(0);
      for (let h = 0; h < size; h++) addLoadScenario(load, energies[h], rng, actual);
      if (options.pv && pvCount > 0) {
        const regional = drawRegionalPvFactor(options.pv.model, rng);
        for (let h = 0; h < size; h++) {
          if (!hasPv[h]) continue;
          const pv = pvScenario(options.pv.model, options.pv.capacityKwp, regional, rng);
          for (let k = 0; k < n; k++) actual[k] -= pv[k];
        }
      }
      for (let k = 0; k < n; k++) {
        const error = actual[k] - forecast[k];
        pooled[s * n + k] = error;
        perInterval[k][s] = error;
      }
    }
    pooled.sort();
    const reserveKw = quantileOfSorted(pooled, q);
    let peak = Number.NEGATIVE_INFINITY;
    for (const column of perInterval) peak = Math.max(peak, quantileOfSorted(column.sort(), q));
    let meanForecast = 0;
    for (let k = 0; k < n; k++) meanForecast += forecast[k] / n;
    rows.push({
      groupSize: size,
      reserveKw,
      reservePerHouseholdKw: reserveKw / size,
      peakIntervalReservePerHouseholdKw: peak / size,
      meanLoadPerHouseholdKw: meanForecast / size,
      relativeToSingle: 0,
    });
  }
  const single = rows[0].reservePerHouseholdKw;
  return rows.map((r) => ({ ...r, relativeToSingle: r.reservePerHouseholdKw / single }));
}
