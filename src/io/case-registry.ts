// Loads a network by bundled case name (`case33bw`, `cigre-lv`, …) or by file path, choosing the importer by format.
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { InputError } from '../core/errors.ts';
import { createNetwork } from '../grid/create-network.ts';
import type { Network } from '../grid/schema.ts';
import { bundledDataPath } from './bundled-data.ts';
import { type CigreImportOptions, isCigreDocument, parseCigreNetwork } from './cigre/parse-cigre.ts';
import { readIeeeEuropeanLv } from './ieee-european-lv/read-ieee-european-lv.ts';
import { readMatpowerCase } from './matpower/parse-matpower.ts';
import { parseJson } from './parse-json.ts';
import { readTextFile } from './read-text-file.ts';

type BundledCase =
  | { readonly format: 'matpower'; readonly path: string }
  | { readonly format: 'cigre'; readonly path: string; readonly options: CigreImportOptions }
  | { readonly format: 'ieee-european-lv'; readonly path: string };

/** The reference networks shipped in data/ (sources and licences in data/README.md). */
const BUNDLED_CASES: Readonly<Record<string, BundledCase>> = {
  case9: { format: 'matpower', path: 'matpower/case9.m' },
  case14: { format: 'matpower', path: 'matpower/case14.m' },
  case30: { format: 'matpower', path: 'matpower/case30.m' },
  case39: { format: 'matpower', path: 'matpower/case39.m' },
  case118: { format: 'matpower', path: 'matpower/case118.m' },
  case33bw: { format: 'matpower', path: 'matpower/case33bw.m' },
  case69: { format: 'matpower', path: 'matpower/case69.m' },
  case2383wp: { format: 'matpower', path: 'matpower/case2383wp.m' },
  case9241pegase: { format: 'matpower', path: 'matpower/case9241pegase.m' },
  'cigre-lv': { format: 'cigre', path: 'cigre/cigre_lv.json', options: { baseMva: 1, name: 'cigre-lv' } },
  'cigre-mv': { format: 'cigre', path: 'cigre/cigre_mv.json', options: { baseMva: 10, name: 'cigre-mv' } },
  'ieee-european-lv': { format: 'ieee-european-lv', path: 'lv/ieee_european_lv' },
};

/** Names accepted by loadCase for the bundled networks. */
export function listBundledCases(): string[] {
  return Object.keys(BUNDLED_CASES);
}

/** Absolute path of a bundled case's file (or directory, for the IEEE LV package); InputError if unknown. */
export function bundledCasePath(name: string): string {
  return bundledDataPath(bundledCase(name).path);
}

/**
 * A network from a bundled case name (see listBundledCases) or a path: `.m` = MATPOWER, `.json` = gridnest network
 * JSON or a CIGRE benchmark file (told apart by content), a directory = IEEE European LV CSV package.
 * Unknown names and missing files are InputErrors naming them.
 */
export function loadCase(nameOrPath: string): Network {
  if (!Object.hasOwn(BUNDLED_CASES, nameOrPath) && looksLikePath(nameOrPath))
    return readNetworkFile(nameOrPath);
  const bundled = bundledCase(nameOrPath);
  const path = bundledDataPath(bundled.path);
  if (bundled.format === 'matpower') return readMatpowerCase(path);
  if (bundled.format === 'ieee-european-lv') return readIeeeEuropeanLv(path);
  return parseCigreNetwork(parseJson(readTextFile(path), basename(path)), basename(path), bundled.options);
}

/** Read a network file or IEEE LV package directory, choosing the importer by extension (and content for JSON). */
export function readNetworkFile(path: string): Network {
  if (!existsSync(path)) throw InputError.single('file_not_found', [path], `file not found: ${path}`);
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'Lines.csv'))) {
      throw InputError.single(
        'unknown_format',
        [path],
        'a directory must be an IEEE European LV CSV package (Lines.csv, LineCodes.csv, Loads.csv, Transformer.csv, Source.csv)',
      );
    }
    return readIeeeEuropeanLv(path);
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.m') return readMatpowerCase(path);
  if (extension === '.json') {
    const json = parseJson(readTextFile(path), path);
    if (isCigreDocument(json)) return parseCigreNetwork(json, path, { name: basename(path, extname(path)) });
    return createNetwork(json);
  }
  throw InputError.single(
    'unknown_format',
    [path],
    `unsupported file type "${extension || '(none)'}": use .m (MATPOWER), .json (gridnest or CIGRE) or an IEEE LV directory`,
  );
}

function bundledCase(name: string): BundledCase {
  const bundled = Object.hasOwn(BUNDLED_CASES, name) ? BUNDLED_CASES[name] : undefined;
  if (bundled === undefined) {
    throw InputError.single(
      'unknown_case',
      ['case'],
      `unknown bundled case "${name}"; available: ${listBundledCases().join(', ')} (or give a file path)`,
    );
  }
  return bundled;
}

function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes('\\') || extname(text) !== '' || existsSync(text);
}
