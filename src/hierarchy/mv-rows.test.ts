// MV rows over feeder positions: the linear rows predict the AC power flow's branch flows and voltages elsewhere.
import { describe, expect, it } from 'vitest';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { MvGrid, PLANNING_TAN_PHI } from './mv-grid.ts';
import { computeMvRows, MV_ROW_RATING_SHARE, MV_ROW_VOLTAGE_MARGIN_PU } from './mv-rows.ts';

describe('MV rows', () => {
  const model = resolveSystemStudy(buildDefaultSystemStudy({ households: 4, seed: 3 }));
  const dso = model.dsos[0];
  const n = 4;
  const grid = new MvGrid(dso, 360, 1);
  const base = dso.feeders.map((_, j) => Float64Array.from({ length: n }, (_, k) => 2 + j + k));
  const rows = computeMvRows(grid, dso.feeders, base, n);
  const acAt = (k: number, x: readonly number[]) =>
    grid.solve(
      k,
      x,
      x.map((p) => Math.max(0, p) * PLANNING_TAN_PHI),
    );
  const dot = (a: Float64Array, x: ArrayLike<number>) => a.reduce((s, v, f) => s + v * x[f], 0);

  it('has both directions of every rated branch and both voltage limits of a bus, scaled to max |a| = 1', () => {
    const rated = grid.rateKw.filter(Number.isFinite).length;
    const branchRows = rows.filter((r) => r.label.startsWith('mv:branch'));
    expect(branchRows.length).toBeGreaterThan(0);
    expect(branchRows.length).toBeLessThanOrEqual(2 * rated * n);
    for (const r of rows) {
      expect(r.coefficients).toHaveLength(dso.feeders.length);
      expect(Math.max(...r.coefficients.map(Math.abs))).toBeCloseTo(1, 12);
      expect(r.interval).toBeGreaterThanOrEqual(0);
      expect(r.interval).toBeLessThan(n);
    }
    // At the plan itself the rows hold with the slack the AC flow leaves (the plan is well inside the limits).
    for (const r of rows)
      expect(
        dot(
          r.coefficients,
          base.map((b) => b[r.interval]),
        ),
      ).toBeLessThan(r.upper);
  });

  it('predicts the AC branch flows and voltages at a moved position (second formulation: the power flow)', () => {
    // Move feeder 0 by +40 kW and feeder 1 by −4 kW per replica in interval 2 (both keep importing: the planning
    // reactive power max(0, p)·tan φ is linear there).
    const k = 2;
    const planned = base.map((b) => b[k]);
    const x = planned.map((v, j) => v + (j === 0 ? 40 : j === 1 ? -4 : 0));
    const atPlan = acAt(k, planned);
    const atMoved = acAt(k, x);
    const { vmMaxPu } = grid.busVmLimits;
    let checked = 0;
    for (const r of rows.filter((row) => row.interval === k)) {
      const [, kind, element, side] = r.label.split(/[: ]/);
      if (kind !== 'branch' && !(kind === 'bus' && side === 'vmax')) continue;
      const index = Number(element);
      // The row's slack in its own scale; its value at the plan fixes the scale from the AC solution there.
      const limit =
        kind === 'branch'
          ? MV_ROW_RATING_SHARE * grid.rateKw[index]
          : vmMaxPu[index] - MV_ROW_VOLTAGE_MARGIN_PU;
      const sign = side === 'reverse' ? -1 : 1;
      const value = (s: ReturnType<typeof acAt>) =>
        kind === 'branch' ? sign * s.branchPKw[index] : s.vmPu[index];
      const slackAtPlan = r.upper - dot(r.coefficients, planned);
      if (Math.abs(slackAtPlan) < 1e-9) continue;
      const scale = (limit - value(atPlan)) / slackAtPlan;
      const predicted = limit - scale * (r.upper - dot(r.coefficients, x));
      const change = Math.abs(value(atMoved) - value(atPlan));
      // Linearisation error: losses and voltage make the response a few % non-linear.
      expect(Math.abs(predicted - value(atMoved))).toBeLessThanOrEqual(
        0.05 * change + (kind === 'branch' ? 0.5 : 1e-5),
      );
      if (change > (kind === 'branch' ? 1 : 1e-4)) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
