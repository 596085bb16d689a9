// End-to-end tests of `gridnest dlmp` and `gridnest dso-pricing`: JSON contract, component sums, exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function gridnest(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'bin/gridnest.js'), ...args], {
    encoding: 'utf8',
    cwd: root,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('gridnest dlmp', () => {
  it('prints status and per-bus components that sum to the DLMP for case33bw-flex', () => {
    const { code, stdout } = gridnest('dlmp', 'case33bw-flex', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.status).toBe('optimal');
    expect(out.buses).toHaveLength(33);
    for (const bus of out.buses) {
      expect(Object.keys(bus).sort()).toEqual(
        ['congestionPerMwh', 'dlmpPerMwh', 'energyPerMwh', 'id', 'lossPerMwh', 'voltagePerMwh'].sort(),
      );
      const sum = bus.energyPerMwh + bus.lossPerMwh + bus.congestionPerMwh + bus.voltagePerMwh;
      expect(Math.abs(sum - bus.dlmpPerMwh)).toBeLessThan(1e-9);
    }
  });

  it('uses the generator cost of a plain MATPOWER case (case33bw: energy 20 per MWh, losses only)', () => {
    const out = JSON.parse(gridnest('dlmp', 'case33bw', '--json').stdout);
    expect(out.status).toBe('optimal');
    for (const bus of out.buses) {
      expect(bus.energyPerMwh).toBeCloseTo(20, 6);
      expect(bus.congestionPerMwh).toBe(0);
      expect(bus.voltagePerMwh).toBe(0);
      expect(bus.lossPerMwh).toBeGreaterThanOrEqual(0);
    }
  });

  it('states the cost currency of the objective and the prices', () => {
    const flex = gridnest('dlmp', 'case33bw-flex');
    expect(flex.stdout).toMatch(/objective \d+\.\d{4} EUR\/h/);
    expect(flex.stdout).toMatch(/EUR per MWh consumed/);
    expect(JSON.parse(gridnest('dlmp', 'case33bw-flex', '--json').stdout).costCurrency).toBe('EUR');
    // MATPOWER cases keep MATPOWER's unit, $.
    expect(gridnest('dlmp', 'case33bw').stdout).toMatch(/objective 78\.3535 \$\/h/);
  });

  it('exits 2 naming the field for bad input', () => {
    const unknown = gridnest('dlmp', 'no-such-case', '--json');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('case');
    const meshed = gridnest('dlmp', 'case9');
    expect(meshed.code).toBe(2);
    expect(meshed.stderr).toContain('branches');
    const price = gridnest('dlmp', 'case33bw', '--energy-price', 'abc');
    expect(price.code).toBe(2);
    expect(price.stderr).toContain('--energy-price');
  });
});

describe('gridnest dso-pricing', () => {
  it('exits 2 for a bad risk level and without --out', () => {
    expect(gridnest('dso-pricing', '--risk', '2', '--out', tmpdir()).stderr).toContain('--risk');
    const noOut = gridnest('dso-pricing');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
  });

  it('writes the comparison table and chart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-dso-'));
    const { code, stdout } = gridnest(
      'dso-pricing',
      '--scenarios',
      '10',
      '--out-of-sample',
      '2',
      '--out',
      dir,
      '--json',
    );
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.status).toBe('optimal');
    expect(out.rows.map((r: { mechanism: string }) => r.mechanism)).toEqual([
      'flat',
      'dso-pricing',
      'centralised',
    ]);
    for (const file of ['comparison.csv', 'comparison.json', 'comparison.svg'])
      expect(existsSync(join(dir, file))).toBe(true);
  }, 60_000);
});
