// Centralised reference: the whole-system dispatch against a hand-derived optimum and HiGHS on the monolithic QP, and
// its agreed ranges are what the members of a small simulated system then plan.
import { describe, expect, it } from 'vitest';
import { simulateSystem } from '../hierarchy/engine.ts';
import { solveWithHighs } from '../numeric/optimisation/highs-adapter.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { createTimeIndex } from '../time/time-index.ts';
import {
  buildIntervalQp,
  type DispatchFeeder,
  rowHeadroomKw,
  type SharedPositionRow,
  solveWholeSystemDispatch,
} from './centralised/whole-system-dispatch.ts';
import { createCentralisedCoordination } from './centralised.ts';
import type { NegotiationMember } from './negotiation/platform-agent.ts';

const index1 = createTimeIndex({ startUtc: '2024-04-15T00:00:00Z', stepMin: 30, length: 1 });
const member = (m: Partial<Record<keyof NegotiationMember, number>>): NegotiationMember => ({
  baseNetKw: Float64Array.of(m.baseNetKw ?? 0),
  flexibleExpectedKw: Float64Array.of(m.flexibleExpectedKw ?? 0),
  flexibleMaxKw: Float64Array.of(m.flexibleMaxKw ?? 0),
  demandSlope: m.demandSlope ?? 1,
  pvKw: Float64Array.of(m.pvKw ?? 0),
  curtailSlope: m.curtailSlope ?? 1,
});
const feeder = (
  members: NegotiationMember[],
  hiKw: number,
  replicas = 1,
  loKw = -1e6,
  flatExport = 20,
): DispatchFeeder => ({
  replicas,
  loKw: [loKw],
  hiKw: [hiKw],
  data: {
    platformId: 'p',
    index: index1,
    members,
    flatExportEurPerMwh: Float64Array.of(flatExport),
    netLoadScenariosKw: [],
    independentSigmaKw: new Float64Array(1),
    correlatedSigmaKw: new Float64Array(1),
    rho: 1,
    reboundShare: 0,
  },
});

describe('whole-system dispatch', () => {
  // Feeder A: base 10 kW, EV expected 6 of 10 kW, γ = 10 EUR/MWh per kW, LV range ≤ 12 kW.
  // Feeder B: base 5 kW, EV expected 4 of 8 kW, γ = 5, no LV limit. Shared (MV) row x_A + x_B ≤ 20 kW.
  // Hand: A is held at 12 (e_A = 2, ν_A = γ_A(ê − e) = 40); free B = 9 breaks the row by 1 → x_B = 8, e_B = 3,
  // ν_B = μ = 5 (≤ ν_A, so A's own limit still binds: KKT ν_A = μ + η_A, η_A = 35 ≥ 0).
  const a = feeder(
    [member({ baseNetKw: 10, flexibleExpectedKw: 6, flexibleMaxKw: 10, demandSlope: 10 })],
    12,
  );
  const b = feeder([member({ baseNetKw: 5, flexibleExpectedKw: 4, flexibleMaxKw: 8, demandSlope: 5 })], 1e6);
  const row: SharedPositionRow = { coefficients: [1, 1], lowerKw: [-1e6], upperKw: [20] };

  it('equals the hand-derived optimum with an LV and a shared MV limit binding', () => {
    const d = solveWholeSystemDispatch([a, b], [row]);
    expect(d.failedIntervals).toBe(0);
    expect(d.positionKw[0][0]).toBeCloseTo(12, 5);
    expect(d.positionKw[1][0]).toBeCloseTo(8, 5);
    expect(d.adderEurPerMwh[0][0]).toBeCloseTo(40, 4);
    expect(d.adderEurPerMwh[1][0]).toBeCloseTo(5, 4);
    // Without the row only A's LV limit binds: B keeps its free 9 kW at adder 0.
    const free = solveWholeSystemDispatch([a, b]);
    expect(free.positionKw[1][0]).toBe(9);
    expect(free.adderEurPerMwh[1][0]).toBe(0);
  });

  it('matches HiGHS on the monolithic member-level QP (replicas, PV curtailment, export side)', async () => {
    // Feeder C (3 replicas) exports PV at a negative export price: its members curtail (u = −p/κ) unless the
    // shared row's lower bound (reverse-flow limit) makes them curtail more.
    const pv = (base: number, pvKw: number, kappa: number) =>
      member({
        baseNetKw: base,
        pvKw,
        curtailSlope: kappa,
        flexibleExpectedKw: 1,
        flexibleMaxKw: 3,
        demandSlope: 8,
      });
    const c = feeder([pv(-6, 8, 4), pv(-4, 5, 10)], 1e6, 3, -6, -12);
    const d0 = feeder(
      [member({ baseNetKw: 2, flexibleExpectedKw: 2, flexibleMaxKw: 4, demandSlope: 2 })],
      3,
      2,
    );
    const cases: [DispatchFeeder[], SharedPositionRow[]][] = [
      [[c, d0], []],
      [[c, d0], [{ coefficients: [1, 0.5], lowerKw: [-10], upperKw: [1e6] }]],
      [
        [a, b, c],
        [row.coefficients.length === 2 ? { coefficients: [1, 1, 0.3], lowerKw: [-1e6], upperKw: [18] } : row],
      ],
    ];
    for (const [feeders, rows] of cases) {
      const d = solveWholeSystemDispatch(feeders, rows);
      const { problem, columns, baseKw } = buildIntervalQp(feeders, rows, 0);
      const h = await solveWithHighs(problem, {});
      expect(h.status).toBe('optimal');
      columns.forEach((cols, j) => {
        const x = cols.reduce((s, col) => s + h.x[col], baseKw[j]);
        expect(d.positionKw[j][0]).toBeCloseTo(x, 4);
      });
    }
  });
});

describe('centralised mechanism', async () => {
  // Small system: case14 + CIGRE MV + five IEEE European LV platforms of 4 households, 1 day.
  const study = buildDefaultSystemStudy({ households: 4, seed: 3 });
  // The feeder transformers de-rated to 9 kVA so that the LV limit binds (4 households each).
  const base = resolveSystemStudy(study);
  const model = {
    ...base,
    dsos: base.dsos.map((d) => ({
      ...d,
      feeders: d.feeders.map((f) => ({
        ...f,
        transformerLimitKw: 9,
        network: {
          ...f.network,
          branches: f.network.branches.map((b) => (b.kind === 'transformer' ? { ...b, rateAMva: 0.009 } : b)),
        },
      })),
    })),
  };
  const mechanism = createCentralisedCoordination();
  const run = await simulateSystem(model, { coordination: mechanism });

  it('sends agreed ranges that contain its dispatch, and the members plan within them', () => {
    const platforms = model.dsos.flatMap((d) => d.feeders.map((f) => f.platformId));
    let checked = 0;
    let binding = 0;
    for (const id of platforms) {
      const range = mechanism.agreedRange?.(id);
      expect(range).toBeDefined();
      for (let t = 0; t < range!.minKw.length; t++)
        expect(range!.minKw[t]).toBeLessThanOrEqual(range!.maxKw[t]);
      // The members' joint day-ahead plan (platform rows: planned net import per interval) stays inside.
      const stepMs = range!.stepMin * 60_000;
      for (const r of run.recorder.platform.filter((p) => p.platform === id)) {
        const t = Math.floor((Date.parse(r.timeUtc) - Date.parse(range!.startUtc)) / stepMs);
        if (t < 0 || t >= range!.maxKw.length || r.plannedImportKw === undefined) continue;
        expect(r.plannedImportKw).toBeLessThanOrEqual(range!.maxKw[t] + 1e-3);
        expect(r.plannedImportKw).toBeGreaterThanOrEqual(range!.minKw[t] - 1e-3);
        checked++;
        if (range!.maxKw[t] < 1e5 && r.plannedImportKw > range!.maxKw[t] - 0.1) binding++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The range binds the plan in some intervals (the de-rated transformer), so the check is not vacuous.
    expect(binding).toBeGreaterThan(0);
    expect(run.ledger.totalBalance()).toBe(0n);
  });
});

describe('row headroom of the agreed ranges', () => {
  it('splits a row slack equally over the feeders it moves (hand-derived), so all moving at once still holds', () => {
    // Row x_0 + 0.5·x_1 over R = (1, 2) at x* = (2, 3): 2 + 0.5·2·3 = 5, upper 10 → slack 5, 2.5 per feeder:
    // feeder 0 may rise 2.5 / (1·1) = 2.5 kW, feeder 1 2.5 / (0.5·2) = 2.5 kW; no lower bound, so falling is free.
    const fs = [feeder([member({})], 100), feeder([member({})], 100, 2)];
    const row: SharedPositionRow = { coefficients: [1, 0.5], lowerKw: [-Infinity], upperKw: [10] };
    const { upKw, downKw } = rowHeadroomKw(fs, [row], [Float64Array.of(2), Float64Array.of(3)]);
    expect(upKw.map((u) => u[0])).toEqual([2.5, 2.5]);
    expect(downKw.map((d) => d[0])).toEqual([Infinity, Infinity]);
    expect(1 * 1 * (2 + upKw[0][0]) + 0.5 * 2 * (3 + upKw[1][0])).toBeCloseTo(10, 12);
  });

  it('a negative coefficient turns the slack into room to fall, and the tightest row wins', () => {
    // Row x_0 − x_1 ≤ 4 at x* = (2, 1): slack 3 → feeder 0 may rise 1.5, feeder 1 may fall 1.5. A second row
    // x_0 ≤ 2.5 leaves feeder 0 only 0.5 (its own slack, K = 1).
    const fs = [feeder([member({})], 100), feeder([member({})], 100)];
    const rows: SharedPositionRow[] = [
      { coefficients: [1, -1], lowerKw: [-Infinity], upperKw: [4] },
      { coefficients: [1, 0], lowerKw: [-Infinity], upperKw: [2.5] },
    ];
    const { upKw, downKw } = rowHeadroomKw(fs, rows, [Float64Array.of(2), Float64Array.of(1)]);
    expect([upKw[0][0], downKw[0][0]]).toEqual([0.5, Infinity]);
    expect([upKw[1][0], downKw[1][0]]).toEqual([Infinity, 1.5]);
  });

  it('gives no room on a row the dispatch already meets with equality', () => {
    const fs = [feeder([member({})], 100)];
    const row: SharedPositionRow = { coefficients: [2], lowerKw: [0], upperKw: [4] };
    const { upKw, downKw } = rowHeadroomKw(fs, [row], [Float64Array.of(2)]);
    expect([upKw[0][0], downKw[0][0]]).toEqual([0, 2]);
  });
});
