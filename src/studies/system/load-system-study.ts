// The edge that turns a study reference (bundled name or file) into a SystemModel: reads the file, validates it,
// expands a study file, loads networks (files relative to the study file) and bundled profiles, and hands the data
// to hierarchy/system-model.ts, which reads nothing itself.
import { dirname } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { buildSystemModel, type SystemModel } from '../../hierarchy/system-model.ts';
import { bundledDataPath } from '../../io/bundled-data.ts';
import { BundledProfiles } from '../../io/bundled-profiles.ts';
import { threePhaseLvModel } from '../../io/opendss/lv-three-phase-model.ts';
import { readTextFile } from '../../io/read-text-file.ts';
import { loadScenario } from '../../scenario/load-scenario.ts';
import { validateScenario } from '../../scenario/validate-scenario.ts';
import type { SystemStudyInput } from './build-system-study.ts';
import { expandStudyFile, isStudyFile } from './study-file.ts';

/** Studies bundled in data/studies/ (`gridnest simulate --study NAME`, `gridnest study show NAME`). */
export const BUNDLED_STUDIES = ['default', 'stressed'] as const;
export type BundledStudyName = (typeof BUNDLED_STUDIES)[number];

const isBundledName = (ref: string): ref is BundledStudyName =>
  (BUNDLED_STUDIES as readonly string[]).includes(ref);

/** Path of a bundled study file. */
export const bundledStudyPath = (name: BundledStudyName): string => bundledDataPath(`studies/${name}.json`);

/** A study read from disk: the system study document to run, the directory its relative paths start from. */
export interface ReadStudy {
  readonly document: SystemStudyInput;
  readonly baseDir: string;
  /** The file it came from. */
  readonly path: string;
}

/** Read a JSON file; syntax errors name the file. */
export function readJsonFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw InputError.single('bad_json', [path], `not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Read a study by bundled name (`default`, `stressed`) or path (default: the bundled `default`). A study file
 * (`studyFormatVersion`) is validated and expanded; a full scenario document (`formatVersion`) is taken as is.
 * `seed` overrides the study's master seed (a study file regenerates its DER draws from it).
 */
export function readStudy(ref: string | undefined, overrides: { readonly seed?: number } = {}): ReadStudy {
  const path =
    ref === undefined ? bundledStudyPath('default') : isBundledName(ref) ? bundledStudyPath(ref) : ref;
  const parsed = readJsonFile(path);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw InputError.single('bad_type', [path], 'a system study is a JSON object');
  let document: SystemStudyInput;
  if (isStudyFile(parsed)) document = expandStudyFile(parsed, overrides);
  else {
    document = parsed as SystemStudyInput;
    if (overrides.seed !== undefined && document.seeds && typeof document.seeds === 'object')
      document = { ...document, seeds: { ...document.seeds, master: overrides.seed } };
  }
  return { document, baseDir: dirname(path), path };
}

/**
 * Validate a system study document (a study file is expanded first) and resolve it into the controller tree:
 * networks named by file are read relative to `baseDir`, profiles from the bundled data. InputError names every
 * bad field.
 */
export function resolveSystemStudy(
  document: unknown,
  baseDir = '.',
  overrides: { readonly days?: number; readonly lvModel?: 'balanced' | 'three-phase' } = {},
): SystemModel {
  if (!document || typeof document !== 'object' || Array.isArray(document))
    throw InputError.single('bad_type', [], 'a system study is a JSON object');
  const full = isStudyFile(document) ? expandStudyFile(document) : document;
  const scenario = validateScenario(full);
  const loaded = loadScenario(scenario, baseDir);
  const simulation = (full as { simulation?: SystemStudyInput['simulation'] }).simulation;
  const threePhaseFeeders =
    overrides.lvModel === 'three-phase'
      ? new Map(
          scenario.networks.flatMap((n, i) =>
            n.level === 'lv' ? [[n.id, threePhaseLvModel(n.source, ['networks', i, 'source'])] as const] : [],
          ),
        )
      : undefined;
  return buildSystemModel(
    scenario,
    simulation,
    {
      networks: loaded.networks,
      profiles: new BundledProfiles(),
      ...(threePhaseFeeders ? { threePhaseFeeders } : {}),
    },
    { days: overrides.days },
  );
}
