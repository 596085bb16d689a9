// Tests for the CIGRE importer: counts, per-unit conversion of lines and transformers, loads from cos φ, DER, errors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import {
  CLOSED_SWITCH_REACTANCE_PU,
  isCigreDocument,
  parseCigreNetwork,
  readCigreNetwork,
} from './parse-cigre.ts';

const dataPath = (name: string) =>
  fileURLToPath(new URL(`../../../data/cigre/${name}.json`, import.meta.url));
const readJson = (name: string) => JSON.parse(readFileSync(dataPath(name), 'utf8'));
const branch = (network: ReturnType<typeof readCigreNetwork>, id: string) =>
  network.branches.find((b) => b.id === id)!;

describe('CIGRE LV benchmark', () => {
  const network = readCigreNetwork(dataPath('cigre_lv'));

  it('has 44 buses, 37 lines, 3 transformers, 3 bus switches and 15 loads, on a 1 MVA base', () => {
    expect(network.baseMva).toBe(1);
    expect(network.buses).toHaveLength(44);
    expect(network.branches.filter((b) => b.kind === 'line' && String(b.id).startsWith('Line'))).toHaveLength(
      37,
    );
    expect(network.branches.filter((b) => b.kind === 'transformer')).toHaveLength(3);
    expect(network.branches.filter((b) => b.xPu === CLOSED_SWITCH_REACTANCE_PU)).toHaveLength(3);
    expect(network.loads).toHaveLength(15);
    expect(network.buses.find((b) => b.id === 'Bus 0')).toMatchObject({ type: 'slack', vmPu: 1, baseKv: 20 });
    expect(network.generators).toEqual([
      expect.objectContaining({ id: 'ext_grid', bus: 'Bus 0', vmSetpointPu: 1 }),
    ]);
    expect(isCigreDocument(readJson('cigre_lv'))).toBe(true);
  });

  it('converts a UG1 line to p.u. on (0.4 kV, 1 MVA): r = 0.162 Ω/km · 0.035 km / 0.16 Ω', () => {
    const line = branch(network, 'Line R1-R2');
    expect(line.rPu).toBeCloseTo((0.162 * 0.035) / 0.16, 12);
    expect(line.rPu).toBeCloseTo(0.0354375, 12);
    expect(line.xPu).toBeCloseTo((0.0832 * 0.035) / 0.16, 12);
    expect(line.bPu).toBe(0);
    expect(line.rateAMva).toBeCloseTo(Math.sqrt(3) * 0.4 * 1, 12);
  });

  it('converts transformer R0-R1 (0.5 MVA, vk 4.123 %, vkr 1 %) to the 1 MVA base', () => {
    const t = branch(network, 'Trafo R0-R1');
    // r = 1 % · (1 / 0.5) = 0.02; x = √(4.123106² − 1²) % · 2 = 4 % · 2 = 0.08.
    expect(t).toMatchObject({
      kind: 'transformer',
      fromBus: 'Bus R0',
      toBus: 'Bus R1',
      tapRatio: 1,
      shiftDeg: 30,
    });
    expect(t.rPu).toBeCloseTo(0.02, 12);
    expect(t.xPu).toBeCloseTo(0.08, 6);
  });

  it('keeps the published load data (0.19 MW at R1) and honours an explicit base', () => {
    expect(network.loads[0]).toMatchObject({ id: 'Load R1', bus: 'Bus R1', pMw: 0.19, qMvar: 0.06244998 });
    const onTen = readCigreNetwork(dataPath('cigre_lv'), { baseMva: 10 });
    expect(branch(onTen, 'Line R1-R2').rPu).toBeCloseTo(10 * 0.0354375, 12);
    expect(branch(onTen, 'Trafo R0-R1').rPu).toBeCloseTo(0.2, 12);
  });
});

describe('CIGRE MV benchmark', () => {
  const json = readJson('cigre_mv');
  const network = parseCigreNetwork(json, 'cigre_mv.json');

  it('has 15 buses, 15 lines (3 opened by switches), 2 transformers, 18 loads, on a 10 MVA base', () => {
    expect(network.baseMva).toBe(10);
    expect(network.buses).toHaveLength(15);
    expect(network.branches.filter((b) => b.kind === 'line')).toHaveLength(15);
    expect(network.branches.filter((b) => !b.inService).map((b) => b.id)).toEqual([
      'Line 6-7',
      'Line 11-4',
      'Line 14-8',
    ]);
    expect(network.branches.filter((b) => b.kind === 'transformer')).toHaveLength(2);
    expect(network.loads).toHaveLength(18);
    expect(network.buses[0]).toMatchObject({ id: 'Bus 0', type: 'slack', vmPu: 1.03, baseKv: 110 });
    expect(network.generators).toHaveLength(1);
  });

  it('converts the cable with charging: b = ωC·L·Z_base', () => {
    const line = branch(network, 'Line 1-2');
    const zBase = (20 * 20) / 10;
    expect(line.rPu).toBeCloseTo((0.501 * 2.82) / zBase, 12);
    expect(line.bPu).toBeCloseTo(2 * Math.PI * 50 * 151.1749e-9 * 2.82 * zBase, 12);
    expect(line.bPu).toBeCloseTo(0.0053572, 6);
  });

  it('converts the 25 MVA, 12 % transformers to the 10 MVA base', () => {
    const t = branch(network, 'Trafo 0-1');
    expect(t.rPu).toBeCloseTo(0.0016 * 0.4, 12);
    expect(Math.hypot(t.rPu, t.xPu)).toBeCloseTo(0.1200107 * 0.4, 12);
    expect(t.rateAMva).toBe(25);
  });

  it('derives load P and Q from S and cos φ as pandapower does', () => {
    for (const [i, load] of (json.loads as { p_mw_derived: number; q_mvar_derived: number }[]).entries()) {
      expect(network.loads[i].pMw).toBeCloseTo(load.p_mw_derived, 6);
      expect(network.loads[i].qMvar).toBeCloseTo(load.q_mvar_derived, 6);
    }
  });

  it('adds the optional DER: PV and wind, or all with fuel cells, CHP and batteries', () => {
    const pvWind = parseCigreNetwork(json, 'cigre_mv.json', { der: 'pv_wind' });
    expect(pvWind.generators).toHaveLength(10);
    expect(pvWind.generators.find((g) => g.id === 'WKA 7')).toMatchObject({
      bus: 'Bus 7',
      pMw: 1.5,
      pMaxMw: 1.5,
    });
    const all = parseCigreNetwork(json, 'cigre_mv.json', { der: 'all' });
    expect(all.generators).toHaveLength(14);
    expect(all.loads).toHaveLength(20);
    expect(all.loads.find((l) => l.id === 'Battery 1')).toMatchObject({ bus: 'Bus 5', pMw: 0.6 });
  });
});

describe('CIGRE input errors', () => {
  it('names the offending field', () => {
    const json = readJson('cigre_mv');
    json.lines[2].std_type = 'NOPE';
    try {
      parseCigreNetwork(json, 'bad.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0]).toMatchObject({
        code: 'cigre_format',
        path: ['bad.json', 'lines', 2, 'std_type'],
      });
    }
    const noExt = readJson('cigre_lv');
    delete noExt.ext_grid;
    expect(() => parseCigreNetwork(noExt, 'x.json')).toThrow(/x\.json\.ext_grid/);
  });
});
