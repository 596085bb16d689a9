// End-to-end test of `gridnest plan --joint`: the --json contract, joint-plan.html / joint-plan.json and bad input.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGridnest as gridnest } from './cli-harness.ts';

describe('gridnest plan --joint', () => {
  it('prints both plans as JSON and writes joint-plan.json and joint-plan.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-joint-'));
    const r = await gridnest('plan', '--joint', 'case14-joint', '--json', '--out', dir);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('ok');
    expect(Object.keys(doc.joint)).toEqual([
      'status',
      'totalCostEurPerYr',
      'capexEurPerYr',
      'operationEurPerYr',
      'transmissionUpgrades',
      'distributionUpgrades',
      'shedMwh',
    ]);
    expect(doc.joint.totalCostEurPerYr).toBeLessThanOrEqual(doc.sequential.totalCostEurPerYr);
    expect(JSON.parse(readFileSync(join(dir, 'joint-plan.json'), 'utf8')).study).toBe('case14-joint');
    const html = readFileSync(join(dir, 'joint-plan.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('reinforce-1-2');
    expect(html).not.toContain('<script');
  }, 60_000);

  it('rejects a bad joint study naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-joint-bad-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ jointStudyVersion: 1, name: 'x' }));
    const r = await gridnest('plan', '--joint', path, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).status).toBe('invalid_input');
    expect(r.stdout).toContain('transmissionCase');
    expect(existsSync(join(dir, 'joint-plan.json'))).toBe(false);
  }, 60_000);
});
