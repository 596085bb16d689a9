// Joint T&D planning on the bundled case14 study: joint ≤ sequential, costs add up, bad input names the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { loadCase } from '../../io/index.ts';
import { compareJointPlanning, parseJointStudy } from './joint-plan.ts';

const raw = JSON.parse(
  readFileSync(new URL('../../../data/planning/case14-joint.json', import.meta.url), 'utf8'),
);
const network = loadCase('case14');

describe('joint transmission-distribution planning', () => {
  it('costs no more than sequential planning and defers the reinforcements with DSO flexibility', async () => {
    const c = await compareJointPlanning(parseJointStudy(raw), network);
    expect(c.sequential.status).toBe('optimal');
    expect(c.joint.status).toBe('optimal');
    expect(c.joint.totalCostEurPerYr).toBeLessThanOrEqual(c.sequential.totalCostEurPerYr * (1 + 1e-9));
    // The TSO, blind to the DSO's 6 MW of flexibility, builds both reinforcements: 30 000 + 120 000 EUR/yr.
    expect(c.sequential.tsoStageUpgrades).toEqual(['reinforce-2-4', 'reinforce-1-2']);
    expect(c.sequential.capexEurPerYr).toBe(150_000);
    expect(c.joint.transmissionUpgrades).toEqual([]);
    for (const p of [c.sequential, c.joint])
      expect(p.capexEurPerYr + p.operationEurPerYr).toBeCloseTo(p.totalCostEurPerYr, 3);
    expect(c.savingEurPerYr).toBeCloseTo(c.sequential.totalCostEurPerYr - c.joint.totalCostEurPerYr, 6);
  });

  it('without flexibility and with the substation unconstrained, joint and sequential coincide', async () => {
    const study = parseJointStudy({
      ...raw,
      dsos: raw.dsos.map((d: object) => ({ ...d, flexMw: 0, flexMwh: 0, substationMw: 1000 })),
    });
    const c = await compareJointPlanning(study, network);
    expect(c.joint.totalCostEurPerYr).toBeCloseTo(c.sequential.totalCostEurPerYr, 0);
    expect(c.joint.shedMwh).toBe(0);
  });

  it('rejects a candidate on a branch the case does not have, naming it', async () => {
    const study = parseJointStudy({
      ...raw,
      transmissionCandidates: [{ ...raw.transmissionCandidates[0], fromBus: 1, toBus: 14 }],
    });
    await expect(compareJointPlanning(study, network)).rejects.toThrow(InputError);
    expect(() => parseJointStudy({ ...raw, loadShape: [1] }, ['s'])).toThrow(/loadShape/);
  });
});
