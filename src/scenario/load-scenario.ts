// Scenario file I/O: read and validate a scenario, resolve networks and profiles, write atomically.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.ts';
import { type ProsumerModel, resolveProsumer } from '../ders/prosumer-model.ts';
import { createNetwork } from '../grid/create-network.ts';
import type { Network } from '../grid/schema.ts';
import { BundledProfiles } from '../io/bundled-profiles.ts';
import { loadCase, readNetworkFile } from '../io/case-registry.ts';
import { readTextFile } from '../io/read-text-file.ts';
import { createTimeIndex, type TimeIndex } from '../time/time-index.ts';
import { profileOnIndex } from './profile-sources.ts';
import type { Scenario } from './schema.ts';
import { validateScenario } from './validate-scenario.ts';

/** Read a scenario JSON file and validate it (InputError with field paths; JSON syntax errors name the file). */
export function readScenarioFile(path: string): Scenario {
  const text = readTextFile(path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw InputError.single('bad_json', [path], `not valid JSON: ${(error as Error).message}`);
  }
  return validateScenario(json);
}

/**
 * Write a scenario as JSON atomically: validate first, write a temporary file beside the target, then rename it
 * over the target. On any error nothing is left behind and an existing file is untouched.
 */
export function writeScenarioFile(path: string, scenario: unknown): Scenario {
  const valid = validateScenario(scenario);
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(valid, null, 2)}\n`, { flag: 'wx' });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw InputError.single('cannot_write', [path], `cannot write ${path}: ${(error as Error).message}`);
    }
    throw error;
  }
  return valid;
}

/** A scenario with networks, profiles and prosumer models resolved on its time index. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly index: TimeIndex;
  readonly networks: ReadonlyMap<string, Network>;
  readonly profiles: ReadonlyMap<string, Float64Array>;
  readonly prosumers: readonly ProsumerModel[];
}

/** Re-throw an importer's InputError with its issues placed under a scenario field path. */
function underPath<T>(path: readonly (string | number)[], read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(error.issues.map((i) => ({ ...i, path: [...path, ...i.path] })));
  }
}

/** Resolve a validated scenario: networks (files relative to baseDir), profiles and prosumer models. */
export function loadScenario(scenario: Scenario, baseDir = '.'): LoadedScenario {
  const index = createTimeIndex(scenario.time, ['time']);
  const networks = new Map<string, Network>();
  // Entries naming the same case or file share one (immutable) Network: a system study may list the same LV
  // feeder case hundreds of times.
  const bySource = new Map<string, Network>();
  scenario.networks.forEach((entry, i) => {
    const path = ['networks', i, 'source'];
    const source = entry.source;
    const key =
      source.kind === 'case'
        ? `case:${source.name}`
        : source.kind === 'file'
          ? `path:${resolve(baseDir, source.path)}`
          : undefined;
    const network =
      (key !== undefined ? bySource.get(key) : undefined) ??
      (source.kind === 'inline'
        ? underPath([...path, 'network'], () => createNetwork(source.network))
        : source.kind === 'case'
          ? underPath([...path, 'name'], () => loadCase(source.name))
          : underPath([...path, 'path'], () => readNetworkFile(resolve(baseDir, source.path))));
    if (key !== undefined) bySource.set(key, network);
    networks.set(entry.id, network);
  });
  const busIds = new Map<Network, Set<string>>();
  const busesOf = (network: Network): Set<string> => {
    let ids = busIds.get(network);
    if (!ids) busIds.set(network, (ids = new Set(network.buses.map((b) => String(b.id)))));
    return ids;
  };
  scenario.prosumers.forEach((p, i) => {
    const network = networks.get(p.network);
    if (network && !busesOf(network).has(String(p.bus))) {
      throw InputError.single(
        'unknown_bus',
        ['prosumers', i, 'bus'],
        `bus ${JSON.stringify(p.bus)} is not in network "${p.network}"`,
      );
    }
  });
  const bundled = new BundledProfiles();
  const profiles = new Map<string, Float64Array>();
  for (const [name, source] of Object.entries(scenario.profiles)) {
    profiles.set(name, profileOnIndex(source, index, bundled, ['profiles', name]));
  }
  const prosumers = scenario.prosumers.map((p, i) => resolveProsumer(p, index, profiles, ['prosumers', i]));
  return { scenario, index, networks, profiles, prosumers };
}
