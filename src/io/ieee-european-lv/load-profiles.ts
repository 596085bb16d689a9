// The IEEE European LV feeder's 100 one-minute daily load profiles and the LoadShapes.csv / Loads.csv mapping.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { bundledIeeeEuropeanLvDir } from '../bundled-data.ts';
import { readTextFile } from '../read-text-file.ts';
import { parseCsv } from './csv.ts';

export interface IeeeEuropeanLvLoadProfiles {
  /** Resolution of every profile: 1 minute. Element k covers minute [k, k+1) after midnight (the files label k+1). */
  readonly stepMinutes: number;
  /** Points per profile: 1440. */
  readonly pointsPerProfile: number;
  /**
   * Load_Profiles/Load_profile_<n>.csv by n (1…100): multipliers of a load's kW. The feeder's loads are 1 kW with
   * `useactual=TRUE`, so the values are also the household demand in kW.
   */
  readonly profiles: ReadonlyMap<number, Float64Array>;
  /** LoadShapes.csv: shape name (e.g. `Shape_1`) → its profile (the same array as in `profiles`). */
  readonly shapes: ReadonlyMap<string, Float64Array>;
  /** Loads.csv "Yearly" column: load id (e.g. `LOAD1`) → shape name. */
  readonly shapeOfLoad: ReadonlyMap<string, string>;
  /** Load id → its profile, resolved through `shapeOfLoad` and `shapes`. */
  readonly profileOfLoad: ReadonlyMap<string, Float64Array>;
}

const PROFILE_FILE = /^Load_profile_(\d+)\.csv$/i;

/**
 * Read every `Load_Profiles/Load_profile_<n>.csv` (columns `time,mult`, 1440 rows) plus LoadShapes.csv and Loads.csv
 * from the CSV package directory (default: the bundled copy). Each profile is checked for 1440 one-minute points.
 */
export function readIeeeEuropeanLvLoadProfiles(
  dir: string = bundledIeeeEuropeanLvDir(),
): IeeeEuropeanLvLoadProfiles {
  const profileDir = join(dir, 'Load_Profiles');
  let names: string[];
  try {
    names = readdirSync(profileDir).filter((name) => PROFILE_FILE.test(name));
  } catch {
    throw InputError.single(
      'file_not_found',
      [profileDir],
      `load profile directory not found: ${profileDir}`,
    );
  }
  const shapesCsv = parseCsv(readTextFile(join(dir, 'LoadShapes.csv')), 'LoadShapes.csv', [
    'name',
    'npts',
    'minterval',
    'file',
  ]);
  const stepMinutes = shapesCsv.rows.length > 0 ? shapesCsv.number(shapesCsv.rows[0], 'minterval') : 1;
  const pointsPerProfile = shapesCsv.rows.length > 0 ? shapesCsv.number(shapesCsv.rows[0], 'npts') : 1440;

  const byFile = new Map<string, Float64Array>();
  const profiles = new Map<number, Float64Array>();
  for (const name of names.sort((a, b) => profileNumber(a) - profileNumber(b))) {
    const profile = readProfile(join(profileDir, name), name, pointsPerProfile, stepMinutes);
    profiles.set(profileNumber(name), profile);
    byFile.set(name.toLowerCase(), profile);
  }

  const shapes = new Map<string, Float64Array>();
  for (const row of shapesCsv.rows) {
    const file = shapesCsv.get(row, 'file');
    const profile = byFile.get(file.toLowerCase());
    if (profile === undefined) {
      throw InputError.single(
        'ieee_lv_format',
        [`LoadShapes.csv:line ${row.line}`],
        `profile file not found: Load_Profiles/${file}`,
      );
    }
    if (
      shapesCsv.number(row, 'npts') !== profile.length ||
      shapesCsv.number(row, 'minterval') !== stepMinutes
    ) {
      throw InputError.single(
        'ieee_lv_format',
        [`LoadShapes.csv:line ${row.line}`],
        'all shapes must share npts and minterval',
      );
    }
    shapes.set(shapesCsv.get(row, 'name'), profile);
  }

  const loadsCsv = parseCsv(readTextFile(join(dir, 'Loads.csv')), 'Loads.csv', ['name', 'yearly']);
  const shapeOfLoad = new Map<string, string>();
  const profileOfLoad = new Map<string, Float64Array>();
  for (const row of loadsCsv.rows) {
    const shape = loadsCsv.get(row, 'yearly');
    const profile = shapes.get(shape);
    if (profile === undefined) {
      throw InputError.single(
        'ieee_lv_format',
        [`Loads.csv:line ${row.line}`],
        `unknown load shape "${shape}"`,
      );
    }
    shapeOfLoad.set(loadsCsv.get(row, 'name'), shape);
    profileOfLoad.set(loadsCsv.get(row, 'name'), profile);
  }
  return { stepMinutes, pointsPerProfile, profiles, shapes, shapeOfLoad, profileOfLoad };
}

function profileNumber(name: string): number {
  return Number(PROFILE_FILE.exec(name)?.[1]);
}

/** One profile file: `time,mult` rows whose times advance by `stepMinutes` from 00:01:00. */
function readProfile(path: string, name: string, points: number, stepMinutes: number): Float64Array {
  const table = parseCsv(readTextFile(path), name, ['time', 'mult']);
  if (table.rows.length !== points) {
    throw InputError.single('ieee_lv_format', [name], `expected ${points} rows, found ${table.rows.length}`);
  }
  const values = new Float64Array(points);
  table.rows.forEach((row, k) => {
    const [h, m, s] = table.get(row, 'time').split(':').map(Number);
    if (h * 60 + m + s / 60 !== (k + 1) * stepMinutes) {
      throw InputError.single(
        'ieee_lv_format',
        [`${name}:line ${row.line}`],
        `time ${table.get(row, 'time')} out of sequence`,
      );
    }
    values[k] = table.number(row, 'mult');
  });
  return values;
}
