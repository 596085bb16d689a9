// End-to-end test of `gridnest plan`: the --json contract on a generated study, plan.json / plan.html and
// `simulate --plan`, and bad input naming the field.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGeneratedStudy } from '../../src/planning/generated-study.ts';
import { buildDefaultSystemStudy } from '../../src/studies/system/index.ts';
import { runGridnest as gridnest } from './cli-harness.ts';

describe('gridnest plan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-plan-'));

  it('prints the plan as JSON and agrees between bilevel and enumerate', async () => {
    const path = join(dir, 'study.json');
    writeFileSync(path, JSON.stringify(createGeneratedStudy(3)));
    const bilevel = await gridnest('plan', path, '--json', '--out', dir, '--deferral-years', '1');
    expect(bilevel.code).toBe(0);
    const plan = JSON.parse(bilevel.stdout);
    expect(Object.keys(plan)).toEqual([
      'status',
      'method',
      'objectiveEur',
      'upgrades',
      'charges',
      'adoption',
      'gapPct',
      'wallS',
    ]);
    expect(Object.keys(plan.adoption)).toEqual(['pvKwp', 'batteryKwh', 'heatPumps']);
    expect(plan.status).toBe('optimal');
    const reference = JSON.parse((await gridnest('plan', path, '--json', '--method', 'enumerate')).stdout);
    expect(Math.abs(plan.objectiveEur - reference.objectiveEur) / reference.objectiveEur).toBeLessThan(1e-6);
    expect(plan.upgrades).toEqual(reference.upgrades);
  }, 120_000);

  it('writes plan.json and plan.html, which simulate --plan turns into value category (vii)', async () => {
    const written = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    const { withP2p, withoutP2p, deferred, deferredValueEur } = written.comparison;
    expect(withP2p.objectiveEur).toBeCloseTo(written.objectiveEur, 6);
    expect(withoutP2p.status).toBe('optimal');
    // Deferred = built without P2P and not with it; the value is the sum of capex·(1 − 1.05^−T).
    expect(deferred.map((d: { id: string }) => d.id)).toEqual(
      withoutP2p.upgrades.filter((id: string) => !withP2p.upgrades.includes(id)),
    );
    const sum = deferred.reduce(
      (s: number, d: { capexEur: number; yearsDeferred: number }) =>
        s + d.capexEur * (1 - 1.05 ** -d.yearsDeferred),
      0,
    );
    expect(deferredValueEur).toBeCloseTo(sum, 6);
    const html = readFileSync(join(dir, 'plan.html'), 'utf8');
    expect(html).toContain(`<p id="upgrades">${written.upgrades.join(', ') || 'none'}</p>`);
    expect(html).toContain('id="chart-network"><svg');

    const studyPath = join(dir, 'system.json');
    writeFileSync(studyPath, JSON.stringify(buildDefaultSystemStudy({ households: 2 })));
    const out = join(dir, 'sim');
    const run = await gridnest('simulate', studyPath, '--out', out, '--plan', dir, '--scenarios', '4');
    expect(run.code).toBe(0);
    const table = JSON.parse(readFileSync(join(out, 'value.json'), 'utf8')).table;
    const npv = table.find((r: { metric: string }) => r.metric.startsWith('NPV of upgrades deferred by P2P'));
    expect(npv.values).toEqual({ baseline: 0, none: deferredValueEur, 'dso-pricing': deferredValueEur });
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain(`plan ${written.study} without P2P`);
    expect(report).toContain(`plan ${written.study} with P2P`);
  }, 120_000);

  it('rejects a bad study with exit code 2 and the field path', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ ...createGeneratedStudy(1), valueOfLostLoadEurPerKwh: -1 }));
    const run = await gridnest('plan', path, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('valueOfLostLoadEurPerKwh');
  });
});
