// Loads a case for a command and reports its data warnings (negative R or X …) once on stderr.
import { findNetworkWarnings, type NetworkWarning } from '../grid/network-warnings.ts';
import type { Network } from '../grid/schema.ts';
import { loadCase } from '../io/case-registry.ts';
import type { CliOutput } from './output.ts';

/**
 * `loadCase(nameOrPath)` plus its warnings, each written once to stderr as `warning: MESSAGE` (so stdout stays one
 * JSON object with `--json`, which lists them again under `warnings`).
 */
export function loadCaseWithWarnings(
  nameOrPath: string,
  output: CliOutput,
): { network: Network; warnings: NetworkWarning[] } {
  const network = loadCase(nameOrPath);
  const warnings = findNetworkWarnings(network);
  for (const warning of warnings) output.stderr(`warning: ${warning.message}\n`);
  return { network, warnings };
}
