// Reads the bundled profile data (IEEE LV load profiles, OpenDSS PV shape, CIGRE 15-min series) once per instance:
// the file-reading implementation of scenario/profile-sources.ts' ProfileLibrary.
import { InputError } from '../core/errors.ts';
import { bundledDataPath } from './bundled-data.ts';
import { parseCsv } from './ieee-european-lv/csv.ts';
import { readTextFile } from './read-text-file.ts';

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
