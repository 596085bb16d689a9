// E2E: `gridnest train --coordination rl` writes a valid policy and its learning curve, reports progress when stderr
// is not a terminal, and rejects bad options with exit 2 before writing anything.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/coordination/rl/policy.ts';
import { buildDefaultSystemStudy } from '../../src/studies/system/index.ts';
import { runGridnest } from './cli-harness.ts';

describe('gridnest train', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-train-'));
  const studyPath = join(dir, 'study.json');
  writeFileSync(studyPath, JSON.stringify(buildDefaultSystemStudy({ households: 3 })));

  it('trains one iteration on a small study: policy, curve CSV and chart, progress lines', async () => {
    const out = join(dir, 'policy.json');
    const args = ['train', '--coordination', 'rl', '--study', studyPath, '--days', '1', '--iterations', '1'];
    const r = await runGridnest(...args, '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    // 1 reference run of none, the start policy, then 1 iteration of 3 antithetic pairs.
    expect(summary).toMatchObject({ status: 'ok', iterations: 1, evaluations: 7 });
    const policy = parsePolicy(JSON.parse(readFileSync(out, 'utf8')));
    expect(policy.training).toMatchObject({ days: 1, seed: 1, iterations: 1, evaluations: 7 });
    const csv = readFileSync(join(dir, 'policy.learning-curve.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('iteration,evaluations,eliteRewardEur,sampleBestRewardEur');
    expect(csv.map((line) => line.split(',')[0])).toEqual(['iteration', '0', '1']);
    expect(readFileSync(join(dir, 'policy.learning-curve.svg'), 'utf8')).toContain('<svg');
    // Elitism: the elite never falls below the start policy's reward.
    const elite = csv.slice(1).map((line) => Number(line.split(',')[2]));
    expect(elite[1]).toBeGreaterThanOrEqual(elite[0]);
    // --json keeps stderr free of progress; without it, one line per iteration (stderr is not a terminal here).
    expect(r.stderr).toBe('');
    const plain = await runGridnest(...args, '--out', join(dir, 'plain.json'));
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('train: iteration 0/1, 2/8 simulations');
    expect(plain.stderr).toContain('train: iteration 1/1, 8/8 simulations');
  }, 240_000);

  it('rejects another coordination and a bad seed with exit 2, writing nothing', async () => {
    const out = join(dir, 'never.json');
    const mpc = await runGridnest('train', '--coordination', 'mpc', '--out', out);
    expect(mpc.code).toBe(2);
    expect(mpc.stderr).toContain('--coordination');
    const seed = await runGridnest('train', '--coordination', 'rl', '--seed', '-1', '--out', out);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('--seed');
    expect(existsSync(out)).toBe(false);
  });
});
