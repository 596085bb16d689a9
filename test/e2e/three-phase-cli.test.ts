// End-to-end: `gridnest pf FILE.dss --three-phase` JSON contract, table, and exit 2 with file/line for bad scripts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGridnest } from './cli-harness.ts';

const ieee13 = fileURLToPath(new URL('../../data/opendss/ieee13/IEEE13Nodeckt.dss', import.meta.url));
const scenario = fileURLToPath(new URL('../../data/scenarios/ieee-european-lv-55.json', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gridnest-3ph-'));

describe('gridnest pf --three-phase', () => {
  it('prints status, iterations, per-phase voltages, VUF and losses for IEEE 13', async () => {
    const { code, stdout } = await runGridnest('pf', ieee13, '--three-phase', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.status).toBe('converged');
    expect(out.iterations).toBeGreaterThan(0);
    const bus650 = out.buses.find((b: { id: string }) => b.id === '650');
    // Published: 1.0 p.u. at 650 on all phases, angles 0, −120, 120.
    for (const [key, angle] of [
      ['a', 0],
      ['b', -120],
      ['c', 120],
    ] as const) {
      expect(Math.abs(bus650.phases[key].vmPu - 1)).toBeLessThan(0.005);
      expect(Math.abs(bus650.phases[key].vaDeg - angle)).toBeLessThan(0.1);
      expect(bus650.phases[key].vLnV).toBeCloseTo(bus650.phases[key].vmPu * (4160 / Math.sqrt(3)), 6);
    }
    const bus611 = out.buses.find((b: { id: string }) => b.id === '611');
    expect(Object.keys(bus611.phases)).toEqual(['c']);
    expect(bus611.vufPct).toBeNull();
    expect(out.lossesKw).toBeCloseTo(out.sourceKw - out.loadKw, 9);
  });

  it('prints a table without --json', async () => {
    const { code, stdout } = await runGridnest('pf', ieee13);
    expect(code).toBe(0);
    expect(stdout).toMatch(/VUF \[%\]/);
    expect(stdout).toMatch(/^\s+652\s+0\.9\d+/m);
  });

  it('exits 2 naming the file, line and element of an unsupported property', async () => {
    const file = join(work, 'bad.dss');
    writeFileSync(
      file,
      'New Circuit.c basekv=0.4\n! comment\nNew Load.l1 bus1=sourcebus.1 phases=1 kv=0.23 kw=1\n~ foo=3\n',
    );
    const { code, stderr } = await runGridnest('pf', file, '--three-phase', '--json');
    expect(code).toBe(2);
    expect(stderr).toContain('bad.dss:4');
    expect(stderr).toContain('load.l1');
    expect(stderr).toContain("property 'foo' is not supported");
  });

  it('exits 2 when --three-phase is given a non-OpenDSS case', async () => {
    const { code, stderr } = await runGridnest('pf', 'case9', '--three-phase');
    expect(code).toBe(2);
    expect(stderr).toContain('.dss');
  });
});

describe('gridnest timeseries --lv-model three-phase', () => {
  it('solves the European LV feeder unbalanced and reports VUF next to the voltage violations', async () => {
    const { code, stdout } = await runGridnest('timeseries', scenario, '--lv-model', 'three-phase', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.lvModel).toBe('three-phase');
    const [lv] = out.networks;
    expect(lv.lvModel).toBe('three-phase');
    expect(lv.convergedSteps).toBe(lv.steps);
    expect(lv.perStep.vufMaxPct).toHaveLength(lv.steps);
    // Single-phase households: some unbalance at every step with load, none negative.
    expect(lv.vufMaxPct).toBeGreaterThan(0);
    expect(Math.min(...lv.perStep.vufMaxPct)).toBeGreaterThanOrEqual(0);
    expect(Object.keys(lv.violationsByKind)).toEqual(['undervoltage', 'overvoltage', 'thermal', 'unbalance']);
  });
});
