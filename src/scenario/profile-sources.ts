// Reads the bundled profile data (IEEE LV load profiles, OpenDSS PV shape, CIGRE 15-min series) and puts any
// scenario profile onto the study's time index with energy-conserving averaging.

import { InputError } from '../core/errors.ts';
import { bundledDataPath } from '../io/bundled-data.ts';
import { parseCsv } from '../io/ieee-european-lv/csv.ts';
import { readTextFile } from '../io/read-text-file.ts';
import { dailyProfileOnIndex, resamplePower } from '../time/resample.ts';
import { createTimeIndex, type TimeIndex } from '../time/time-index.ts';
import type { ProfileSource } from './schema.ts';

/** Caches file contents so a study reads each bundled file once. */
export class BundledProfiles {
  private readonly cache = new Map<string, Float64Array>();

  /** IEEE European LV load profile 1–100: 1,440 one-minute kW values from 00:01 to 24:00. */
  ieeeLvLoad(number: number): Float64Array {
    return this.cached(`ieee-${number}`, () => {
      const file = `lv/ieee_european_lv/Load_Profiles/Load_profile_${number}.csv`;
      const table = parseCsv(readTextFile(bundledDataPath(file)), file, ['mult']);
      return Float64Array.from(table.rows, (row) => table.number(row, 'mult'));
    });
  }

  /** OpenDSS 123-bus PV shape: 1,440 one-minute multipliers of kWp, peak 1. */
  pvShape(): Float64Array {
    return this.cached('pv', () => {
      const file = 'timeseries/opendss_pvshape_1min.csv';
      const table = parseCsv(readTextFile(bundledDataPath(file)), file, ['pv_mult']);
      return Float64Array.from(table.rows, (row) => table.number(row, 'pv_mult'));
    });
  }

  /** pandapower CIGRE series (pv, wind, residential): 96 fifteen-minute multipliers. */
  cigre(series: 'pv' | 'wind' | 'residential'): Float64Array {
    return this.cached(`cigre-${series}`, () => {
      const file = 'timeseries/pandapower_cigre_timeseries_15min.json';
      const json = JSON.parse(readTextFile(bundledDataPath(file))) as Record<string, Record<string, number>>;
      const column = json[series];
      if (!column) throw InputError.single('missing_series', [file], `no series "${series}"`);
      return Float64Array.from(
        Object.keys(column).sort((a, b) => Number(a) - Number(b)),
        (k) => column[k],
      );
    });
  }

  private cached(key: string, read: () => Float64Array): Float64Array {
    let values = this.cache.get(key);
    if (!values) this.cache.set(key, (values = read()));
    return values;
  }
}

/**
 * A profile on the index. Daily sources (1-min IEEE LV and PV shape: value k covers minute k; CIGRE: 15-min) are
 * taken as starting at UTC midnight and repeat every day; `series` profiles must cover the index.
 */
export function profileOnIndex(
  source: ProfileSource,
  index: TimeIndex,
  bundled: BundledProfiles,
  path: readonly (string | number)[] = [],
): Float64Array {
  switch (source.kind) {
    case 'ieee-lv-load':
      return dailyProfileOnIndex(bundled.ieeeLvLoad(source.number), 1, index);
    case 'pv-shape':
      return dailyProfileOnIndex(bundled.pvShape(), 1, index);
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
