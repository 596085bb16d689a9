// The planning stage: a plan's ratings loaded into the MV and LV networks before the operation days.
import { describe, expect, it } from 'vitest';
import { createCoordination } from '../coordination/index.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { simulateSystem } from './engine.ts';
import { loadPlan } from './plan-stage.ts';

const study = buildDefaultSystemStudy({ households: 6, seed: 3 });
const feeders = study.simulation!.feeders!.map((f) => ({ ...f, transformerKva: 12 }));
const model = resolveSystemStudy({ ...study, simulation: { ...study.simulation, feeders } });
const mvBranch = model.dsos[0].network.branches[0];
const feeder = model.dsos[0].feeders[0];
const transformer = feeder.network.branches.find((b) => b.kind === 'transformer')!;

describe('loadPlan', () => {
  it('raises the ratings the plan upgrades, never lowers one, and reports elements it cannot place', () => {
    const { model: planned, rows } = loadPlan(model, {
      source: 'test',
      ratings: [
        { id: String(mvBranch.id), ratingKva: mvBranch.rateAMva * 2000 },
        { id: String(transformer.id), ratingKva: transformer.rateAMva * 3000 },
        { id: 'not-a-branch', ratingKva: 500 },
      ],
    });
    expect(planned.dsos[0].network.branches[0].rateAMva).toBeCloseTo(mvBranch.rateAMva * 2, 12);
    // The DSO's feeder limit follows the transformer: three times the rating, three times the limit.
    const f = planned.dsos[0].feeders.find((x) => x.platformId === feeder.platformId)!;
    expect(f.transformerLimitKw).toBeCloseTo(feeder.transformerLimitKw * 3, 9);
    // The input model is unchanged.
    expect(model.dsos[0].network.branches[0].rateAMva).toBe(mvBranch.rateAMva);
    expect(rows.find((r) => r.element === 'not-a-branch')).toMatchObject({ isApplied: false, network: '' });
    expect(rows.filter((r) => r.isApplied).map((r) => r.element)).toContain(String(mvBranch.id));
    const lower = loadPlan(model, { source: 'test', ratings: [{ id: String(mvBranch.id), ratingKva: 1 }] });
    expect(lower.model.dsos[0].network.branches[0].rateAMva).toBe(mvBranch.rateAMva);
  });

  it('runs as the engine’s first stage: a plan that upgrades the feeder transformers removes mediation conflicts', async () => {
    const coordination = createCoordination('none');
    const without = await simulateSystem(model, { coordination, recordProsumers: false });
    const ratings = model.dsos.flatMap((d) =>
      d.feeders.flatMap((f) =>
        f.network.branches
          .filter((b) => b.kind === 'transformer')
          .map((b) => ({ id: String(b.id), ratingKva: b.rateAMva * 1000 * 100 })),
      ),
    );
    const labels: string[] = [];
    const withPlan = await simulateSystem(model, {
      coordination,
      recordProsumers: false,
      plan: { source: 'test', ratings },
      onProgress: (_, __, label) => labels.push(label),
    });
    expect(labels[0]).toBe('planning load-plan');
    expect(withPlan.recorder.planning.every((r) => r.isApplied)).toBe(true);
    expect(without.recorder.mediation.length).toBeGreaterThan(0);
    expect(withPlan.recorder.mediation.length).toBeLessThan(without.recorder.mediation.length);
  });
});
