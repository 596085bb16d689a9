// End-to-end test of `gridnest plan`: the --json contract on a generated study, and bad input naming the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGeneratedStudy } from '../../src/planning/generated-study.ts';
import { runGridnest as gridnest } from './cli-harness.ts';

describe('gridnest plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-plan-'));

  it('prints the plan as JSON and agrees between bilevel and enumerate', async () => {
    const path = join(dir, 'study.json');
    writeFileSync(path, JSON.stringify(createGeneratedStudy(3)));
    const bilevel = await gridnest('plan', path, '--json', '--out', dir);
    expect(bilevel.code).toBe(0);
    const plan = JSON.parse(bilevel.stdout);
    expect(Object.keys(plan)).toEqual(
      expect.arrayContaining([
        'status',
        'method',
        'objectiveEur',
        'upgrades',
        'charges',
        'adoption',
        'gapPct',
        'wallS',
      ]),
    );
    expect(plan.status).toBe('optimal');
    const reference = JSON.parse((await gridnest('plan', path, '--json', '--method', 'enumerate')).stdout);
    expect(Math.abs(plan.objectiveEur - reference.objectiveEur) / reference.objectiveEur).toBeLessThan(1e-6);
    expect(plan.upgrades).toEqual(reference.upgrades);
  }, 30_000);

  it('rejects a bad study with exit code 2 and the field path', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...createGeneratedStudy(1), valueOfLostLoadEurPerKwh: -1 }));
    const run = await gridnest('plan', path, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('valueOfLostLoadEurPerKwh');
  });
});
