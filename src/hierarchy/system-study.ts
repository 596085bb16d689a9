// Read and validate a system study (scenario + `simulation` section) without writing anything.
import { InputError } from '../core/errors.ts';
import { readTextFile } from '../io/read-text-file.ts';
import { validateScenario } from '../scenario/validate-scenario.ts';
import type { SimulationConfigInput } from './simulation-config.ts';
import { buildSystemModel, type SystemModel } from './system-model.ts';

/** Validate a parsed study document and resolve it into the controller tree (InputError names every bad field). */
export function resolveSystemStudy(
  document: unknown,
  baseDir = '.',
  overrides: { days?: number } = {},
): SystemModel {
  if (!document || typeof document !== 'object' || Array.isArray(document))
    throw InputError.single('bad_type', [], 'a system study is a JSON object');
  const scenario = validateScenario(document);
  const simulation = (document as { simulation?: SimulationConfigInput }).simulation;
  return buildSystemModel(scenario, simulation, baseDir, overrides);
}

/** Read a study file (JSON). */
export function readSystemStudyFile(path: string): unknown {
  const text = readTextFile(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw InputError.single('bad_json', [path], `not valid JSON: ${(error as Error).message}`);
  }
}
