// Planning: the single-level MILP equals enumeration on generated studies; schema errors name the field path.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { planByBilevel } from './bilevel.ts';
import { planByEnumeration } from './enumerate.ts';
import { createGeneratedStudy } from './generated-study.ts';
import { buildLowerLevel } from './lower-level.ts';
import { preparePlanningInstance, resolveStudyNetwork } from './prepare-study.ts';
import { capitalRecoveryFactor, parsePlanningStudy } from './study-schema.ts';

describe('planning study schema', () => {
  it('names the field path of a bad charge set', () => {
    const study = {
      ...createGeneratedStudy(1),
      charges: { ...createGeneratedStudy(1).charges, exportEurPerKwh: [0.02, 0.01] },
    };
    try {
      parsePlanningStudy(study);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues[0].path).toEqual(['charges', 'exportEurPerKwh']);
    }
  });

  it('annualises capex with the capital recovery factor', () => {
    // r = 10 %, n = 2: 0.1·1.21 / 0.21 = 0.576190…
    expect(capitalRecoveryFactor(0.1, 2)).toBeCloseTo(0.121 / 0.21, 12);
    expect(capitalRecoveryFactor(0, 4)).toBe(0.25);
  });
});

describe('bilevel versus enumerate', () => {
  for (const seed of [1, 2, 3]) {
    it(`agree on generated study ${seed} (objective to 1e-6, same upgrades)`, async () => {
      const study = parsePlanningStudy(createGeneratedStudy(seed));
      const instance = preparePlanningInstance(study, resolveStudyNetwork(study));
      expect(instance.days.reduce((s, d) => s + d.weightDays, 0)).toBe(365);
      const lower = buildLowerLevel(instance, { isP2pAllowed: true });
      const reference = await planByEnumeration(instance, lower);
      const bilevel = await planByBilevel(instance, lower);
      expect(bilevel.status).toBe('optimal');
      const referenceObjective = reference.best!.evaluation.objectiveEur;
      expect(Math.abs(bilevel.objectiveEur - referenceObjective) / Math.abs(referenceObjective)).toBeLessThan(
        1e-6,
      );
      expect(bilevel.decision!.isBuilt).toEqual(reference.best!.decision.isBuilt);
      expect(bilevel.dualsAtCap).toBe(0);
    }, 30_000);
  }
});
