// gridnest's own network JSON format: the validated Network (schema in grid/schema.ts) written and read back verbatim.
import { writeFileSync } from 'node:fs';
import { createNetwork } from '../grid/create-network.ts';
import { NETWORK_FORMAT_VERSION, type Network } from '../grid/schema.ts';
import { parseJson } from './parse-json.ts';
import { readTextFile } from './read-text-file.ts';

/**
 * Serialise a network to JSON (2-space indentation, every field with its default filled in, `formatVersion` first).
 * Units are those of the schema: MW, MVAr, kV, and per-unit on `baseMva`.
 */
export function networkToJson(network: Network): string {
  return `${JSON.stringify({ ...network, formatVersion: NETWORK_FORMAT_VERSION }, null, 2)}\n`;
}

/** Parse gridnest network JSON and validate it with createNetwork. `source` names the text in error paths. */
export function networkFromJson(text: string, source = 'network.json'): Network {
  return createNetwork(parseJson(text, source));
}

/** Write a network to a JSON file. */
export function writeNetworkJsonFile(path: string, network: Network): void {
  writeFileSync(path, networkToJson(network));
}

/** Read and validate a gridnest network JSON file; a missing file or bad JSON is an InputError naming the path. */
export function readNetworkJsonFile(path: string): Network {
  return networkFromJson(readTextFile(path), path);
}
