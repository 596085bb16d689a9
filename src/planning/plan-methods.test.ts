// Planning beyond the MILP: the heuristic's bound brackets the enumerated optimum, the bundled study's P2P
// deferral (bilevel = enumerate on its transformer-only reduction), the deferral NPV, infeasible studies, plan.html.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundledDataPath } from '../io/bundled-data.ts';
import { loadCase } from '../io/index.ts';
import { planByBilevel } from './bilevel.ts';
import { planByEnumeration } from './enumerate.ts';
import { createGeneratedStudy } from './generated-study.ts';
import { planByHeuristic } from './heuristic.ts';
import { buildLowerLevel } from './lower-level.ts';
import { deferralNpvEur } from './plan-comparison.ts';
import { planLoadings } from './plan-loading.ts';
import { renderPlanReportHtml } from './plan-report.ts';
import { preparePlanningInstance, resolveStudyNetwork } from './prepare-study.ts';
import { planJson, runPlan, solvePlan } from './run-plan.ts';
import { parsePlanningStudy } from './study-schema.ts';

describe('heuristic', () => {
  for (const seed of [1, 2]) {
    it(`brackets the enumerated optimum on generated study ${seed}: lower bound ≤ optimum ≤ objective`, async () => {
      const generated = createGeneratedStudy(seed);
      // Two charges with two levels (4 combinations × 8 upgrade sets) keep the enumerated reference quick.
      const study = parsePlanningStudy({
        ...generated,
        charges: { ...generated.charges, capacityEurPerKwYear: [0] },
      });
      const instance = preparePlanningInstance(study, resolveStudyNetwork(study));
      const lower = buildLowerLevel(instance, { isP2pAllowed: true });
      const reference = await planByEnumeration(instance, lower);
      const heuristic = await planByHeuristic(instance, lower);
      const optimum = reference.best!.evaluation.objectiveEur;
      const slack = 1e-7 * Math.abs(optimum);
      expect(heuristic.lowerBoundEur).toBeLessThanOrEqual(optimum + slack);
      expect(heuristic.best!.evaluation.objectiveEur).toBeGreaterThanOrEqual(optimum - slack);
      expect(heuristic.gapPct).toBeGreaterThanOrEqual(0);
      // The gap is what separates the two bounds.
      const objective = heuristic.best!.evaluation.objectiveEur;
      expect(heuristic.gapPct).toBeCloseTo((100 * (objective - heuristic.lowerBoundEur)) / objective, 9);
    }, 30_000);
  }
});

describe('deferral value', () => {
  it('is the present value saved by paying the capex T years later', () => {
    // 100 000 EUR two years later at 5 %: 100 000·(1 − 1/1.05²) = 100 000·0.1025/1.1025 = 9297.052…
    expect(deferralNpvEur(100_000, 0.05, 2)).toBeCloseTo(10_250_000 / 1102.5, 6);
    expect(deferralNpvEur(100_000, 0, 5)).toBe(0);
  });
});

// The full study (5 candidates × 8 charge combinations, 3 days × 6 steps) is checked against enumeration, and its
// P2P deferral shown, in bench/planning.bench.ts; the suite checks a reduction that solves in seconds.
describe('bundled case33bw-planning reduced to its transformer, two energy-charge levels and one day × 4 steps', () => {
  const raw = JSON.parse(readFileSync(bundledDataPath('planning/case33bw-planning.json'), 'utf8'));
  const study = parsePlanningStudy({
    ...raw,
    candidates: raw.candidates.filter((c: { id: string }) => c.id === 'transformer'),
    charges: { ...raw.charges, capacityEurPerKwYear: [0], p2pFeeEurPerKwh: [0.005] },
    profiles: { ...raw.profiles, representativeDays: 1, stepsPerDay: 4 },
  });
  const instance = preparePlanningInstance(study, loadCase('case33bw'));
  for (const isP2pAllowed of [false, true]) {
    it(`bilevel equals enumerate ${isP2pAllowed ? 'with' : 'without'} P2P`, async () => {
      const lower = buildLowerLevel(instance, { isP2pAllowed });
      const reference = await planByEnumeration(instance, lower);
      const bilevel = await planByBilevel(instance, lower);
      const optimum = reference.best!.evaluation.objectiveEur;
      expect(Math.abs(bilevel.objectiveEur - optimum) / optimum).toBeLessThan(1e-6);
      expect(bilevel.decision!.isBuilt).toEqual(reference.best!.decision.isBuilt);
      expect(bilevel.dualsAtCap).toBe(0);
    }, 120_000);
  }
});

describe('infeasible study', () => {
  it('reports status infeasible and the reason when no charge recovers the network cost', async () => {
    const study = parsePlanningStudy({
      ...createGeneratedStudy(1),
      candidates: [],
      existingNetworkCostEurPerYear: 1e12,
    });
    for (const method of ['enumerate', 'bilevel', 'heuristic'] as const) {
      const result = planJson(await runPlan(study, undefined, { method, isP2pAllowed: true }));
      expect(result.status, method).toBe('infeasible');
      expect(result.reason, method).toMatch(/cost/);
    }
  }, 30_000);
});

describe('plan.html', () => {
  it('shows the upgrades, charges, adoption and loadings of the plan', async () => {
    const study = parsePlanningStudy(createGeneratedStudy(2));
    const { result, solution } = await solvePlan(study, undefined, { method: 'bilevel', isP2pAllowed: true });
    const loadings = await planLoadings(solution!.instance, solution!.lower, solution!.decision, solution!.x);
    // A radial feeder has one branch per non-root bus, plus the transformer row.
    expect(loadings).toHaveLength(solution!.instance.net.busCount);
    for (const l of loadings) expect(l.peakAfterKw).toBeLessThanOrEqual(l.ratingAfterKw * (1 + 1e-6));
    const plan = planJson(result);
    const html = renderPlanReportHtml({
      studyName: study.name,
      plan,
      isP2pAllowed: true,
      candidates: study.candidates,
      loadings,
    });
    expect(html).toContain(`<p id="upgrades">${plan.upgrades.join(', ') || 'none'}</p>`);
    expect(html).toContain(`${plan.objectiveEur.toFixed(2)} EUR/yr`);
    expect(html).toContain(`<td>energyEurPerKwh</td><td>${plan.charges.energyEurPerKwh}</td>`);
    expect(html).toContain(`${plan.adoption.pvKwp.toFixed(1)} kWp`);
    expect(html).toMatch(/<div class="chart" id="chart-network"><svg/);
    expect(html).toMatch(/<div class="chart" id="chart-loading"><svg/);
  }, 30_000);
});
