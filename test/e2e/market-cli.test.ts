// End-to-end tests of `gridnest market clear`: spawn the real CLI, check the JSON and the exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const EXAMPLE = 'data/markets/example-6.json';

function runGridnest(args: string[]) {
  const run = spawnSync(process.execPath, ['bin/gridnest.js', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function writeTemp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gridnest-market-')), name);
  writeFileSync(path, text);
  return path;
}

// Published optimum of example-6 (shared/data/README.md, by price bisection).
const EXPECTED_E_KWH: Record<string, number> = {
  B1: -34,
  B2: -16,
  B3: -20,
  S1: 45,
  S2: 35 / 3,
  S3: 40 / 3,
};

describe('gridnest market clear', () => {
  it.each([
    ['central', 1e-6],
    ['admm', 1e-4],
  ])('reproduces the example-6 optimum with --mechanism %s', (mechanism, tolerance) => {
    const run = runGridnest(['market', 'clear', EXAMPLE, '--mechanism', mechanism, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(['optimal', 'converged']).toContain(result.status);
    expect(result.iterations).toBeGreaterThanOrEqual(1);
    expect(Math.abs(result.objectiveEur / -14.033333333333333 - 1)).toBeLessThan(tolerance);
    expect(result.socialWelfareEur).toBeCloseTo(-result.objectiveEur, 9);
    expect(Math.abs(result.priceEurPerKwh / 0.26 - 1)).toBeLessThan(tolerance * 10);
    for (const { id, eKwh } of result.agents) expect(Math.abs(eKwh - EXPECTED_E_KWH[id])).toBeLessThan(1e-3);
    for (const trade of result.trades) {
      expect(Object.keys(trade)).toEqual(
        expect.arrayContaining(['buyer', 'seller', 'eKwh', 'priceEurPerKwh']),
      );
      expect(trade.eKwh).toBeGreaterThan(0);
    }
  });

  it('runs contract-network and double-auction, and prints a table without --json', () => {
    for (const mechanism of ['contract-network', 'double-auction']) {
      const run = runGridnest(['market', 'clear', EXAMPLE, '--mechanism', mechanism, '--json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).status).toBe('converged');
    }
    const table = runGridnest(['market', 'clear', EXAMPLE]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/mechanism centralised: optimal/);
    expect(table.stdout).toMatch(/B1\s+S1/);
    // Solver noise (−33.999992 kWh) is rounded to the stated display precision.
    expect(table.stdout).toMatch(/B1\s+-34\.000\n/);
    expect(table.stdout).not.toMatch(/\.9999/);
    expect(table.stdout).toMatch(/rounded to 0\.001 kWh.*--json keeps full precision/);
  });

  it('exits 0 with status infeasible when bounds cannot be met', () => {
    const file = writeTemp(
      'infeasible.json',
      JSON.stringify({
        agents: [
          { id: 'S', eMinKwh: 10, eMaxKwh: 20, costQuadEurPerKwh2: 0.01, costLinEurPerKwh: 0.1 },
          { id: 'B', eMinKwh: -5, eMaxKwh: 0, costQuadEurPerKwh2: 0.01, costLinEurPerKwh: 0.5 },
        ],
        trades: 'all',
      }),
    );
    const run = runGridnest(['market', 'clear', file, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('infeasible');
    expect(result.objectiveEur).toBeNull();
  });

  it.each([
    ['malformed JSON', '{"agents": [', /malformed JSON/],
    [
      'eMinKwh > eMaxKwh',
      '{"agents":[{"id":"A","eMinKwh":5,"eMaxKwh":1,"costQuadEurPerKwh2":0,"costLinEurPerKwh":0}],"trades":"all"}',
      /agents\[0\]\.eMinKwh/,
    ],
    [
      'an unknown id in a pair',
      '{"agents":[{"id":"A","eMinKwh":-5,"eMaxKwh":1,"costQuadEurPerKwh2":0,"costLinEurPerKwh":0}],"trades":[["A","Z"]]}',
      /trades\[0\]\[1\]: unknown agent id Z/,
    ],
    ['a missing field', '{"agents":[{"id":"A","eMinKwh":-5}],"trades":"all"}', /agents\[0\]\.eMaxKwh/],
  ])('exits 2 naming the field for %s', (_, text, message) => {
    const run = runGridnest(['market', 'clear', writeTemp('bad.json', text), '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('exits 2 for a missing file and an unknown mechanism', () => {
    expect(runGridnest(['market', 'clear', 'no/such/file.json']).code).toBe(2);
    const run = runGridnest(['market', 'clear', EXAMPLE, '--mechanism', 'pool']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--mechanism: unknown mechanism "pool"/);
  });
});
