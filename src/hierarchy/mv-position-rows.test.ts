// MV branch rows over feeder positions: the linear rows predict the AC power flow's branch flows at other positions.
import { describe, expect, it } from 'vitest';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { MvGrid, PLANNING_TAN_PHI } from './mv-grid.ts';
import { computeMvPositionRows } from './mv-position-rows.ts';

describe('MV position rows', () => {
  const model = resolveSystemStudy(buildDefaultSystemStudy({ households: 4, seed: 3 }));
  const dso = model.dsos[0];
  const n = 4;
  const grid = new MvGrid(dso, 360, 1);
  const base = dso.feeders.map((_, j) => Float64Array.from({ length: n }, (_, k) => 2 + j + k));
  const rows = computeMvPositionRows(grid, dso.feeders, base, n);

  it('has one row per rated branch a feeder moves, with lower = upper − 2·rate', () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(grid.rateKw.filter(Number.isFinite).length);
    for (const r of rows) {
      expect(r.coefficients).toHaveLength(dso.feeders.length);
      for (let k = 0; k < n; k++) expect(r.upperKw[k]).toBeGreaterThan(r.lowerKw[k]);
    }
  });

  it('predicts the AC branch flows at a moved position (second formulation: the power flow itself)', () => {
    // Move feeder 0 by +40 kW and feeder 1 by −20 kW per replica in interval 2.
    const k = 2;
    const x = base.map((b, j) => b[k] + (j === 0 ? 40 : j === 1 ? -20 : 0));
    const ac = grid.solve(
      k,
      x,
      x.map((p) => Math.max(0, p) * PLANNING_TAN_PHI),
    );
    let moved = 0;
    for (const row of rows) {
      const m = Number(row.name!.split(':')[1]);
      const rate = grid.rateKw[m];
      const value = dso.feeders.reduce((a, f, j) => a + row.coefficients[j] * f.replicas * x[j], 0);
      const predicted = value - (row.upperKw[k] - rate);
      const atBase = dso.feeders.reduce((a, f, j) => a + row.coefficients[j] * f.replicas * base[j][k], 0);
      if (Math.abs(value - atBase) > 1) moved++;
      // Linearisation error: the flow change is ≈ 40–100 kW; losses make it a few % non-linear.
      expect(Math.abs(predicted - ac.branchPKw[m])).toBeLessThan(0.05 * Math.abs(value - atBase) + 0.5);
    }
    expect(moved).toBeGreaterThan(0);
  });
});
