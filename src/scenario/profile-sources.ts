// Puts any scenario profile onto the study's time index with energy-conserving averaging. Pure: the bundled data
// (IEEE LV load profiles, OpenDSS PV shape, CIGRE 15-min series) come from an injected ProfileLibrary
// (io/bundled-profiles.ts reads the files).
import { InputError } from '../core/errors.ts';
import { planeOfArrayDayFactors } from '../ders/pv-orientation.ts';
import { dailyProfileOnIndex, resamplePower } from '../time/resample.ts';
import { createTimeIndex, type TimeIndex } from '../time/time-index.ts';
import type { ProfileSource } from './schema.ts';

/** The bundled daily series a scenario's profiles may name (io/bundled-profiles.ts reads them from data/). */
export interface ProfileLibrary {
  /** IEEE European LV load profile 1–100: 1,440 one-minute kW values from 00:01 to 24:00. */
  ieeeLvLoad(number: number): Float64Array;
  /** OpenDSS 123-bus PV shape: 1,440 one-minute multipliers of kWp, peak 1. */
  pvShape(): Float64Array;
  /** pandapower CIGRE series: 96 fifteen-minute multipliers. */
  cigre(series: 'pv' | 'wind' | 'residential'): Float64Array;
}

/**
 * A profile on the index. Daily sources (1-min IEEE LV and PV shape: value k covers minute k; CIGRE: 15-min) are
 * taken as starting at UTC midnight and repeat every day; `series` profiles must cover the index.
 */
export function profileOnIndex(
  source: ProfileSource,
  index: TimeIndex,
  bundled: ProfileLibrary,
  path: readonly (string | number)[] = [],
): Float64Array {
  switch (source.kind) {
    case 'ieee-lv-load':
      return dailyProfileOnIndex(bundled.ieeeLvLoad(source.number), 1, index);
    case 'pv-shape': {
      if (!source.orientation) return dailyProfileOnIndex(bundled.pvShape(), 1, index);
      // The factors of the index's first UTC day are used on every day of it.
      const dayStartMs = index.startMs - (((index.startMs % 86_400_000) + 86_400_000) % 86_400_000);
      const factors = planeOfArrayDayFactors(source.orientation, dayStartMs);
      return dailyProfileOnIndex(
        Float64Array.from(bundled.pvShape(), (v, k) => v * factors[k]),
        1,
        index,
      );
    }
    case 'cigre-15min':
      return dailyProfileOnIndex(bundled.cigre(source.series), 15, index);
    case 'constant':
      return new Float64Array(index.length).fill(source.value);
    case 'daily':
      return dailyProfileOnIndex(source.values, source.stepMin, index);
    case 'series': {
      const from = createTimeIndex(
        { startUtc: source.startUtc, stepMin: source.stepMin, length: source.values.length },
        path,
      );
      try {
        return resamplePower(source.values, from, index);
      } catch {
        throw InputError.single(
          'short_series',
          [...path, 'values'],
          'the series does not cover the time grid',
        );
      }
    }
  }
}
