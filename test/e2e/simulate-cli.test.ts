// E2E: `gridnest simulate` writes time series, ledger and report; reruns with one seed are byte-identical; bad studies exit 2 before any output.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { buildDefaultSystemStudy } from '../../src/studies/system/index.ts';

const capture = () => {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => void (out.stdout += t),
      stderr: (t: string) => void (out.stderr += t),
      isTty: false,
    },
  };
};

const digest = (dir: string): Record<string, string> => {
  const files: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else
        files[`${prefix}${name.name}`] = createHash('sha256')
          .update(readFileSync(join(d, name.name)))
          .digest('hex');
    }
  };
  walk(dir, '');
  return files;
};

describe('gridnest simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-simulate-'));
  const studyPath = join(dir, 'study.json');
  writeFileSync(studyPath, JSON.stringify(buildDefaultSystemStudy({ households: 5 })));

  it('writes every output and reruns identically with the same seed', async () => {
    const a = capture();
    expect(
      await runCli(['simulate', studyPath, '--seed', '7', '--out', join(dir, 'a'), '--json'], a.io),
    ).toBe(0);
    const summary = JSON.parse(a.out.stdout);
    expect(summary.status).toBe('ok');
    expect(summary.ledgerTotalMicroEur).toBe('0');
    // One runs row per coordination of the default --coordination none,dso-pricing (baseline excluded).
    expect(summary.runs.map((r: { coordination: string }) => r.coordination)).toEqual([
      'none',
      'dso-pricing',
    ]);
    for (const r of summary.runs) {
      for (const key of ['welfareEur', 'lossesMwh', 'messages', 'bytes', 'rounds', 'wallS'])
        expect(Number.isFinite(r[key])).toBe(true);
      for (const key of [
        'lvVoltageViolationIntervals',
        'lvThermalViolationIntervals',
        'mvViolationIntervals',
      ])
        expect(Number.isInteger(r[key])).toBe(true);
      expect(r.welfareEur).toBeLessThan(0);
    }
    expect(
      summary.table.find((r: { category: string }) => r.category === 'local economy').values,
    ).toHaveProperty('dso-pricing');
    for (const f of [
      'report.html',
      'ledger.csv',
      'ledger-balances.csv',
      'value.json',
      'timeseries/tso.parquet',
      'timeseries/prosumer.csv',
    ])
      expect(existsSync(join(dir, 'a', f))).toBe(true);
    const b = capture();
    expect(
      await runCli(['simulate', studyPath, '--seed', '7', '--out', join(dir, 'b'), '--json'], b.io),
    ).toBe(0);
    expect(digest(join(dir, 'b'))).toEqual(digest(join(dir, 'a')));
    const balances = readFileSync(join(dir, 'a', 'ledger-balances.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(balances.reduce((s, line) => s + BigInt(line.split(',')[2]), 0n)).toBe(0n);
    // Two full simulations (baseline and two coordinations each, members planning jointly): ~25 s of CPU alone.
  }, 180_000);

  it('rejects a bad study with exit 2 before writing anything', async () => {
    const bad = buildDefaultSystemStudy({ households: 2 }) as Record<string, unknown>;
    const badPath = join(dir, 'bad.json');
    writeFileSync(
      badPath,
      JSON.stringify({ ...bad, simulation: { feeders: [{ network: 'lv-bus5', replicas: 0 }] } }),
    );
    const c = capture();
    expect(await runCli(['simulate', badPath, '--out', join(dir, 'never')], c.io)).toBe(2);
    expect(c.out.stderr).toContain('simulation.feeders[0].replicas');
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(
      await runCli(['simulate', '--coordination', 'predictive', '--out', join(dir, 'never')], capture().io),
    ).toBe(2);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
