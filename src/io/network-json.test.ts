// Round trip of the gridnest network JSON format, for every bundled case, and its error reporting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { listBundledCases, loadCase } from './case-registry.ts';
import { networkFromJson, networkToJson, readNetworkJsonFile, writeNetworkJsonFile } from './network-json.ts';

describe('network JSON', () => {
  it.each(listBundledCases())('%s survives export and import unchanged', (name) => {
    const network = loadCase(name);
    const text = networkToJson(network);
    expect(JSON.parse(text).formatVersion).toBe(1);
    const back = networkFromJson(text);
    expect(back).toEqual(network);
    expect(networkToJson(back)).toBe(text);
  });

  it('round-trips through a file, and loadCase reads it back by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'network-json-'));
    try {
      const path = join(dir, 'case9.json');
      const network = loadCase('case9');
      writeNetworkJsonFile(path, network);
      expect(readNetworkJsonFile(path)).toEqual(network);
      expect(loadCase(path)).toEqual(network);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports bad JSON and invalid networks as InputErrors with paths', () => {
    expect(() => networkFromJson('{ nope', 'bad.json')).toThrow(InputError);
    try {
      networkFromJson('{ nope', 'bad.json');
    } catch (error) {
      expect((error as InputError).issues[0]).toMatchObject({ code: 'invalid_json', path: ['bad.json'] });
    }
    const network = JSON.parse(networkToJson(loadCase('case9')));
    network.branches[2].toBus = 99;
    try {
      networkFromJson(JSON.stringify(network));
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).issues[0]).toMatchObject({
        code: 'unknown_bus',
        path: ['branches', 2, 'toBus'],
      });
    }
  });
});
