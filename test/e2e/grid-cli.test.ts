// End-to-end tests of the `gridnest pf` / `gridnest opf` contract: JSON shape, exit codes, messages without stacks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGridnest } from './cli-harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gridnest-cli-'));

function gridnest(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'bin/gridnest.js'), ...args], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const case9Text = readFileSync(join(root, 'data/matpower/case9.m'), 'utf8');

describe('gridnest pf', () => {
  it('prints the JSON contract for case33bw with published losses and minimum voltage', () => {
    const { code, stdout } = gridnest('pf', 'case33bw', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.status).toBe('converged');
    expect(out.converged).toBe(true);
    expect(out.iterations).toBeLessThanOrEqual(4);
    expect(Math.abs(out.lossesMw * 1000 - 202.677126)).toBeLessThan(0.01);
    expect(Math.abs(out.lossesMvar * 1000 - 135.140971)).toBeLessThan(0.01);
    const bus18 = out.buses.find((b: { id: number }) => b.id === 18);
    expect(Math.abs(bus18.vmPu - 0.913090479)).toBeLessThan(1e-6);
    expect(Object.keys(bus18).sort()).toEqual(['id', 'vaDeg', 'vmPu']);
  });

  it('reports timing.medianMs with --repeat and accepts every method', () => {
    for (const method of ['nr', 'bfs', 'dc']) {
      const { code, stdout } = gridnest('pf', 'case33bw', '--method', method, '--repeat', '3', '--json');
      expect(code).toBe(0);
      const out = JSON.parse(stdout);
      expect(out.method).toBe(method);
      expect(out.timing.repeat).toBe(3);
      expect(out.timing.medianMs).toBeGreaterThan(0);
    }
  });

  it('prints a readable table without --json', () => {
    const { code, stdout } = gridnest('pf', 'case9');
    expect(code).toBe(0);
    expect(stdout).toMatch(/status converged/);
    expect(stdout).toMatch(/vm \[p\.u\.\]/);
  });

  it('reports non-convergence as a status with exit 0', () => {
    const heavy = case9Text.replace(/^(\s*5\s+1\s+)90(\s+)30/m, '$19000$230');
    const path = join(work, 'heavy9.m');
    writeFileSync(path, heavy);
    const { code, stdout } = gridnest('pf', path, '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.status).toBe('not_converged');
    expect(out.converged).toBe(false);
  });

  const badInputs: [string, string, RegExp][] = [
    ['malformed.m', 'function mpc = bad\nmpc.baseMVA = 100;\nmpc.bus = [1 3 0 0;\n', /malformed\.m/],
    ['noslack.m', case9Text.replace(/^(\s*1\s+)3(\s)/m, '$11$2'), /no slack/i],
    [
      'island.m',
      case9Text.replace(/^\s*9\s+4\s+0\.01.*$/m, '').replace(/^\s*8\s+9\s+0\.032.*$/m, ''),
      /island without a slack/i,
    ],
  ];
  for (const [name, text, message] of badInputs) {
    it(`exits 2 with a clear message and no stack trace for ${name}`, () => {
      const path = join(work, name);
      writeFileSync(path, text);
      const { code, stderr } = gridnest('pf', path, '--json');
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('solves a case with negative resistance or reactance and reports each kind once as a warning', async () => {
    // Branch 2 (bus 4 → 5) with r = −0.017 and branch 3 (bus 5 → 6) with x = −0.17, as in network equivalents.
    const path = join(work, 'negative9.m');
    writeFileSync(
      path,
      case9Text
        .replace('\t4\t5\t0.017\t', '\t4\t5\t-0.017\t')
        .replace('\t5\t6\t0.039\t0.17\t', '\t5\t6\t0.039\t-0.17\t'),
    );
    const json = await runGridnest('pf', path, '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.status).toBe('converged');
    expect(
      out.warnings.map((w: { code: string; count: number; elementIds: number[] }) => [
        w.code,
        w.count,
        w.elementIds,
      ]),
    ).toEqual([
      ['negative_resistance', 1, [2]],
      ['negative_reactance', 1, [3]],
    ]);
    expect(json.stderr.split('\n').filter((line) => line.startsWith('warning:'))).toEqual([
      `warning: ${out.warnings[0].message}`,
      `warning: ${out.warnings[1].message}`,
    ]);
    expect(out.warnings[0].message).toMatch(
      /^1 branch has negative resistance .*branches\[1\] \(id 2, bus 4 → 5, rPu -0\.017\)/,
    );
    const text = await runGridnest('pf', path);
    expect(text.code).toBe(0);
    expect(text.stderr.match(/^warning:/gm)).toHaveLength(2);
    expect(JSON.parse((await runGridnest('pf', 'case9', '--json')).stdout).warnings).toEqual([]);
  });

  it('exits 2 for an unknown bundled name and lists the available ones', () => {
    const { code, stderr } = gridnest('pf', 'case99999');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown bundled case "case99999".*case33bw/s);
  });

  it('exits 2 for a usage error', () => {
    expect(gridnest('pf', 'case9', '--method', 'gauss').code).toBe(2);
    expect(gridnest('pf').code).toBe(2);
  });
});

describe('gridnest opf --dc', () => {
  it('case9 and case14 reproduce the MATPOWER objectives and uniform LMPs', () => {
    const expected: [string, number, number][] = [
      ['case9', 5216.026607, 24.0442],
      ['case14', 7642.591777, 39.01615],
    ];
    for (const [name, objective, lmp] of expected) {
      const { code, stdout } = gridnest('opf', name, '--dc', '--json');
      expect(code).toBe(0);
      const out = JSON.parse(stdout);
      expect(out.status).toBe('optimal');
      expect(Math.abs(out.objectivePerH - objective) / objective).toBeLessThan(1e-4);
      for (const bus of out.buses) expect(Math.abs(bus.lmpPerMwh - lmp) / lmp).toBeLessThan(1e-3);
      expect(out.generators[0]).toEqual({ id: 1, bus: 1, pMw: expect.any(Number) });
    }
    const case9 = JSON.parse(gridnest('opf', 'case9', '--dc', '--json').stdout);
    expect(case9.generators[1].pMw).toBeCloseTo(134.377585, 3);
  });

  it('an infeasible OPF exits 0 with status infeasible and the reason', () => {
    const path = join(work, 'short9.m');
    // Cap every generator at 50 MW: 150 MW of capacity for 315 MW of load.
    writeFileSync(path, case9Text.replace(/\t1\t(250|300|270)\t10\t/g, '\t1\t50\t10\t'));
    const { code, stdout } = gridnest('opf', path, '--dc', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.status).toBe('infeasible');
    expect(out.message).toMatch(/capacity 150\.000 MW is below demand 315\.000 MW/);
  });

  it('requires --dc (exit 2)', () => {
    const { code, stderr } = gridnest('opf', 'case9');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--dc/);
  });
});
