// Tests for the MATPOWER importer: bundled cases, trailer evaluation, per-unit conversion and malformed input.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { parseMatpowerCase, readMatpowerCase } from './parse-matpower.ts';

const casePath = (name: string) =>
  fileURLToPath(new URL(`../../../data/matpower/${name}.m`, import.meta.url));
const total = (values: number[]) => values.reduce((sum, v) => sum + v, 0);

/** Run `fn`, expect an InputError, and return its first issue. */
function issueOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues[0];
  }
  throw new Error('expected an InputError');
}

const TINY = `function mpc = tiny
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 10 1 1.1 0.9;
  2 1 5 1 0 0 1 1 0 10 1 1.1 0.9;
];
mpc.gen = [
  1 0 0 10 -10 1.02 100 1 50 0;
];
mpc.branch = [
  1 2 0.01 0.1 0 0 0 0 0 0 1;
];
`;

describe('bundled MATPOWER cases', () => {
  it.each([
    ['case9', 9, 9, 3, 3],
    ['case14', 14, 20, 5, 11],
    ['case30', 30, 41, 6, 20],
    ['case39', 39, 46, 10, 21],
    ['case118', 118, 186, 54, 99],
    ['case33bw', 33, 37, 1, 32],
    ['case69', 69, 68, 1, 48],
  ])('%s has %i buses, %i branches, %i generators, %i loads', (name, buses, branches, generators, loads) => {
    const network = readMatpowerCase(casePath(name));
    expect(network.name).toBe(name);
    expect(network.buses).toHaveLength(buses);
    expect(network.branches).toHaveLength(branches);
    expect(network.generators).toHaveLength(generators);
    expect(network.loads).toHaveLength(loads);
    expect(network.buses.filter((b) => b.type === 'slack')).toHaveLength(1);
    expect(network.generators.every((g) => g.cost !== undefined)).toBe(true);
  });

  it('case9 keeps MATPOWER units, ids and quadratic costs', () => {
    const network = readMatpowerCase(casePath('case9'));
    expect(network.baseMva).toBe(100);
    expect(network.costCurrency).toBe('$');
    expect(network.loads.map((l) => [l.id, l.pMw, l.qMvar])).toEqual([
      [5, 90, 30],
      [7, 100, 35],
      [9, 125, 50],
    ]);
    expect(network.generators[0]).toMatchObject({
      id: 1,
      bus: 1,
      pMw: 72.3,
      vmSetpointPu: 1.04,
      pMaxMw: 250,
      pMinMw: 10,
    });
    expect(network.generators[0].cost).toEqual({
      kind: 'polynomial',
      c2PerMw2H: 0.11,
      c1PerMwh: 5,
      c0PerH: 150,
    });
    // Branch 1 is the 345/16.5 kV step-up transformer row with ratio 0 (= 1): a line in the π model.
    expect(network.branches[0]).toMatchObject({
      id: 1,
      fromBus: 1,
      toBus: 4,
      rPu: 0,
      xPu: 0.0576,
      tapRatio: 1,
      rateAMva: 250,
    });
  });

  it('case14 reads bus names, shunts and transformer taps; BASE_KV 0 falls back to 1 kV', () => {
    const network = readMatpowerCase(casePath('case14'));
    expect(network.buses[0].name).toBe('Bus 1     HV');
    expect(network.buses.every((b) => b.baseKv === 1)).toBe(true);
    expect(network.shunts).toEqual([{ id: 9, bus: 9, gMw: 0, bMvar: 19, inService: true }]);
    const transformers = network.branches.filter((b) => b.kind === 'transformer');
    expect(transformers.map((b) => [b.fromBus, b.toBus, b.tapRatio])).toEqual([
      [4, 7, 0.978],
      [4, 9, 0.969],
      [5, 6, 0.932],
    ]);
    expect(readMatpowerCase(casePath('case14'), { fallbackBaseKv: 132 }).buses[0].baseKv).toBe(132);
  });

  it('case33bw: the trailer converts ohms to p.u. and kW to MW (hand computation)', () => {
    const network = readMatpowerCase(casePath('case33bw'));
    // Z_base = (12.66 kV)² / 10 MVA = 16.02756 Ω; branch 1 has r = 0.0922 Ω, x = 0.0470 Ω in the file.
    const zBaseOhm = (12.66 * 12.66) / 10;
    expect(zBaseOhm).toBeCloseTo(16.02756, 5);
    expect(network.branches[0].rPu).toBeCloseTo(0.0922 / 16.02756, 12);
    expect(network.branches[0].rPu).toBeCloseTo(0.00575259, 8);
    expect(network.branches[0].xPu).toBeCloseTo(0.047 / 16.02756, 12);
    // The five tie switches (rows 33–37) are open.
    expect(network.branches.filter((b) => b.inService)).toHaveLength(32);
    expect(network.branches.slice(32).every((b) => !b.inService)).toBe(true);
    expect(network.loads.find((l) => l.bus === 2)).toMatchObject({ pMw: 0.1, qMvar: 0.06 });
    // Baran & Wu (1989) / MATPOWER docs: total demand 3715 kW and 2300 kvar.
    expect(total(network.loads.map((l) => l.pMw))).toBeCloseTo(3.715, 9);
    expect(total(network.loads.map((l) => l.qMvar))).toBeCloseTo(2.3, 9);
    expect(network.buses[0]).toMatchObject({ type: 'slack', baseKv: 12.66, vmMaxPu: 1, vmMinPu: 1 });
  });

  it('case69: trailer conversion and the published total demand', () => {
    const network = readMatpowerCase(casePath('case69'));
    expect(network.branches[0].rPu).toBeCloseTo(0.0005 / ((12.66 * 12.66) / 10), 12);
    // Das (2008) quotes 3802.19 kW / 2694.6 kvar; the rows of MATPOWER's file sum to 3802.1 kW / 2694.7 kvar
    // (checked independently with awk), a rounding difference in the published total.
    expect(Math.abs(total(network.loads.map((l) => l.pMw)) * 1000 - 3802.19)).toBeLessThan(0.1);
    expect(Math.abs(total(network.loads.map((l) => l.qMvar)) * 1000 - 2694.6)).toBeLessThan(0.11);
    expect(total(network.loads.map((l) => l.pMw))).toBeCloseTo(3.8021, 9);
  });

  it('case118 has its transformer branches and generators with quadratic costs', () => {
    const network = readMatpowerCase(casePath('case118'));
    expect(network.branches.filter((b) => b.kind === 'transformer')).toHaveLength(11); // rows with TAP ≠ 0 (awk count)
    expect(total(network.loads.map((l) => l.pMw))).toBeCloseTo(4242, 9);
    expect(network.generators[53].id).toBe(54);
  });
});

describe('MATPOWER conversions', () => {
  it('maps bus types, shunts, status, taps, shifts, infinite limits and piecewise-linear costs', () => {
    const text = `function mpc = conv
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1.02 0 110 1 1.1 0.9;
  2 2 10 -2 1.5 -3 1 1 -1.5 110 2 1.1 0.9;
  3 4 7 0 0 0 1 1 0 110 1 1.1 0.9;
];
mpc.gen = [
  1 0 0 Inf -Inf 1.02 100 1 100 0;
  2 5 0 10 -10 1.01 100 0 20 0;
];
mpc.branch = [
  1 2 0.01 0.1 0.02 50 0 0 0.95 -3 1;
  2 3 0.01 0.1 0 0 0 0 0 0 0;
];
mpc.gencost = [
  1 0 0 3 0 0 10 100 20 300;
  2 0 0 2 15 3 0 0 0 0;
  2 0 0 0 0 0 0 0 0 0;
  2 0 0 0 0 0 0 0 0 0;
];
`;
    const network = parseMatpowerCase(text, 'conv.m');
    expect(network.buses.map((b) => [b.id, b.type, b.inService])).toEqual([
      [1, 'slack', true],
      [2, 'pv', true],
      [3, 'pq', false],
    ]);
    expect(network.buses[1]).toMatchObject({ vaDeg: -1.5, zone: 2 });
    expect(network.loads.map((l) => [l.id, l.pMw, l.qMvar, l.inService])).toEqual([
      [2, 10, -2, true],
      [3, 7, 0, false],
    ]);
    expect(network.shunts).toEqual([{ id: 2, bus: 2, gMw: 1.5, bMvar: -3, inService: true }]);
    expect(network.generators[0]).toMatchObject({ qMaxMvar: Number.MAX_VALUE, qMinMvar: -Number.MAX_VALUE });
    expect(network.generators[1]).toMatchObject({ inService: false, pMw: 5 });
    expect(network.generators[0].cost).toEqual({
      kind: 'piecewise-linear',
      points: [
        { pMw: 0, costPerH: 0 },
        { pMw: 10, costPerH: 100 },
        { pMw: 20, costPerH: 300 },
      ],
    });
    expect(network.generators[1].cost).toEqual({ kind: 'polynomial', c2PerMw2H: 0, c1PerMwh: 15, c0PerH: 3 });
    expect(network.branches[0]).toMatchObject({
      kind: 'transformer',
      tapRatio: 0.95,
      shiftDeg: -3,
      bPu: 0.02,
      rateAMva: 50,
    });
    expect(network.branches[1]).toMatchObject({ kind: 'line', tapRatio: 1, inService: false });
  });

  it('evaluates general MATLAB statements: ranges, end, element-wise operators, precedence and growth', () => {
    const text = `${TINY}
[F_BUS, T_BUS, BR_R, BR_X] = idx_brch;
[~, ~, ~, ~, BUS_I, BUS_TYPE, PD, QD] = idx_bus;
k = 2;
scale = -2^2 + (3 - 1) .* 4;   % MATLAB: -(2^2) + 8 = 4
mpc.bus(end, PD) = mpc.bus(k, PD) * scale / 2;   % 5 * 4 / 2 = 10
mpc.bus(2, [QD]) = [1 -2] * [3; 1];               % row × column = 1
mpc.branch(1, BR_R:BR_X) = mpc.branch(1, BR_R:BR_X) .^ 2 ./ [1, 10];
mpc.extra(3) = 7;
v = 1e-3 * ...
    sqrt(16);
mpc.branch(:, BR_R) = mpc.branch(:, BR_R) + v';
`;
    const network = parseMatpowerCase(text, 'stmts.m');
    expect(network.loads[0]).toMatchObject({ pMw: 10, qMvar: 1 });
    expect(network.branches[0].rPu).toBeCloseTo(0.0001 + 0.004, 15);
    expect(network.branches[0].xPu).toBeCloseTo(0.001, 15);
  });
  it('handles comments, block comments, continuations, commas, trailing dots, cells, growth and size functions', () => {
    const text = `function mpc = t
mpc.version = '2';   % a comment with 'quotes' and 50%
mpc.baseMVA = 100.;
mpc.bus = [
\t1\t3\t0\t0\t0\t0\t1\t1\t0\t10\t1\t1.1\t0.9; % first row
\t2\t1\t5.\t-1.5e+0\t0\t0\t1\t1\t0\t10\t1\t1.1\t0.9;];
mpc.gen = [1 0 0 10 -10 1.02 100 1 50 0];
mpc.branch = [
  1, 2, 0.01, 0.1, 0, 0, 0, 0, 0, 0, 1
];
%{
a block comment with ] [ if
%}
[GEN_BUS, PG, QG, QMAX, QMIN, VG, MBASE, GEN_STATUS, PMAX, PMIN, ...
    MU_PMAX, MU_PMIN, MU_QMAX, MU_QMIN, PC1, PC2, QC1MIN, QC1MAX, ...
    QC2MIN, QC2MAX, RAMP_AGC, RAMP_10, RAMP_30, RAMP_Q, APF] = idx_gen;
mpc.gen(:, APF) = 0;
mpc.gen(:, [PMAX PMIN]) = [60 5];
x = [1 2 3]';
mpc.bus(:, 12) = 1.05;
mpc.bus_name = { 'A  '; 'B' };
y = x(end) - x(end-1) + numel(x) + size(mpc.bus, 1);
mpc.bus(2, 4) = -y;
`;
    const network = parseMatpowerCase(text, 't.m');
    expect(network.generators[0]).toMatchObject({ pMaxMw: 60, pMinMw: 5 });
    expect(network.buses.map((b) => [b.name, b.vmMaxPu])).toEqual([
      ['A', 1.05],
      ['B', 1.05],
    ]);
    // y = 3 − 2 + 3 + 2 = 6.
    expect(network.loads).toEqual([{ id: 2, bus: 2, pMw: 5, qMvar: -6, inService: true }]);
  });
});

describe('malformed MATPOWER files', () => {
  it('names the missing matrix', () => {
    const issue = issueOf(() => parseMatpowerCase(TINY.replace(/mpc\.gen = \[[^\]]*\];/, ''), 'nogen.m'));
    expect(issue).toMatchObject({ code: 'missing_matrix', path: ['nogen.m:mpc.gen'] });
    expect(issue.message).toContain('mpc.gen');
  });

  it('names the line of a row with the wrong length', () => {
    const text = TINY.replace('2 1 5 1 0 0 1 1 0 10 1 1.1 0.9;', '2 1 5 1 0 0 1 1 0 10 1 1.1;');
    const issue = issueOf(() => parseMatpowerCase(text, 'rows.m'));
    expect(issue).toMatchObject({ code: 'matpower_row_length', path: ['rows.m:line 6'] });
    expect(issue.message).toMatch(/12 columns .* 13/);
  });

  it('rejects unsupported statements with the file and line', () => {
    const issue = issueOf(() =>
      parseMatpowerCase(`${TINY}if mpc.baseMVA > 10\n  mpc.baseMVA = 1;\nend\n`, 'ctl.m'),
    );
    expect(issue).toMatchObject({ code: 'matpower_unsupported', path: ['ctl.m:line 14'] });
    expect(issue.message).toContain('"if"');
    const call = issueOf(() => parseMatpowerCase(`${TINY}\nmpc = ext2int(mpc);\n`, 'call.m'));
    expect(call).toMatchObject({ code: 'matpower_unsupported', path: ['call.m:line 15'] });
    expect(call.message).toContain('ext2int');
    const expression = issueOf(() => parseMatpowerCase(`${TINY}disp(3)\n`, 'expr.m'));
    expect(expression.path).toEqual(['expr.m:line 14']);
    const notAnAssignment = issueOf(() => parseMatpowerCase(`${TINY}hold on\n`, 'cmd.m'));
    expect(notAnAssignment).toMatchObject({ code: 'matpower_unsupported', path: ['cmd.m:line 14'] });
  });

  it('reports evaluation errors: out-of-range index, dimension mismatch, unknown variable', () => {
    expect(issueOf(() => parseMatpowerCase(`${TINY}x = mpc.bus(3, 1);\n`, 'a.m'))).toMatchObject({
      code: 'matpower_eval',
      path: ['a.m:line 14'],
    });
    expect(issueOf(() => parseMatpowerCase(`${TINY}mpc.bus(:, 3) = [1 2 3];\n`, 'b.m')).message).toContain(
      'dimension mismatch',
    );
    expect(issueOf(() => parseMatpowerCase(`${TINY}mpc.bus(:, 3) = Q * 2;\n`, 'c.m')).message).toContain(
      '"Q"',
    );
    expect(issueOf(() => parseMatpowerCase(`${TINY}x = [1 2\n`, 'd.m')).code).toBe('matpower_syntax');
  });

  it('rejects bad codes in the tables with the row line', () => {
    expect(issueOf(() => parseMatpowerCase(TINY.replace('2 1 5 1', '2 7 5 1'), 'type.m'))).toMatchObject({
      code: 'matpower_format',
      path: ['type.m:line 6'],
    });
    const cubic = `${TINY}mpc.gencost = [\n  2 0 0 4 1 2 3 4;\n];\n`;
    const issue = issueOf(() => parseMatpowerCase(cubic, 'cost.m'));
    expect(issue).toMatchObject({ code: 'matpower_cost', path: ['cost.m:line 15'] });
    expect(issue.message).toContain('degree 3');
    // Leading zero coefficients are harmless.
    const padded = `${TINY}mpc.gencost = [\n  2 0 0 4 0 0.5 2 1;\n];\n`;
    expect(parseMatpowerCase(padded, 'ok.m').generators[0].cost).toEqual({
      kind: 'polynomial',
      c2PerMw2H: 0.5,
      c1PerMwh: 2,
      c0PerH: 1,
    });
    expect(issueOf(() => parseMatpowerCase(TINY.replace("'2'", "'1'"), 'v1.m')).code).toBe('matpower_format');
  });

  it('propagates network validation errors such as a missing slack bus', () => {
    const issue = issueOf(() => parseMatpowerCase(TINY.replace('1 3 0 0', '1 2 0 0'), 'noslack.m'));
    expect(issue.code).toBe('no_slack');
  });

  it('names a missing file', () => {
    expect(issueOf(() => readMatpowerCase('/nonexistent/case.m'))).toMatchObject({
      code: 'file_not_found',
      path: ['/nonexistent/case.m'],
    });
  });
});
