// End-to-end tests of `gridnest scenario new|check` and `gridnest timeseries`: files, exit codes, field paths.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runGridnest as gridnest } from './cli-harness.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gridnest-scenario-cli-'));

/** Run the real executable in a child process (exit code and streams exactly as a user sees them). */
function spawnGridnest(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'bin/gridnest.js'), ...args], {
    encoding: 'utf8',
    cwd: work,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('gridnest scenario', () => {
  it('new writes the default IEEE LV study reproducibly; check validates it', async () => {
    const a = join(work, 'a.json');
    const b = join(work, 'b.json');
    expect(spawnGridnest('scenario', 'new', '--seed', '5', '--out', a).code).toBe(0);
    expect((await gridnest('scenario', 'new', '--seed', '5', '--out', b)).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const doc = JSON.parse(readFileSync(a, 'utf8'));
    expect(doc.prosumers).toHaveLength(55);
    expect(doc.networks[0].source).toEqual({ kind: 'case', name: 'ieee-european-lv' });
    const check = await gridnest('scenario', 'check', a, '--json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ status: 'valid', prosumers: 55 });
  });

  it('new builds synthetic feeders × households', async () => {
    const file = join(work, 'synthetic.json');
    const run = await gridnest(
      'scenario',
      'new',
      '--feeders',
      '3',
      '--households',
      '20',
      '--seed',
      '2',
      '--out',
      file,
      '--json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'written', prosumers: 60, networks: 4 });
  });

  it('new with a bad option or an unwritable target exits 2 and writes nothing', async () => {
    const dir = mkdtempSync(join(work, 'empty-'));
    const run = await gridnest('scenario', 'new', '--households', '0', '--out', join(dir, 'x.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/households/);
    const unwritable = await gridnest(
      'scenario',
      'new',
      '--households',
      '3',
      '--out',
      join(dir, 'nowhere', 'x.json'),
    );
    expect(unwritable.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('check exits 2 naming the bad field path, without a stack trace', async () => {
    const good = JSON.parse(readFileSync(join(work, 'a.json'), 'utf8'));
    good.prosumers[4].batteries = [{ id: 'b', energyKwh: 'big', chargeKw: 3, dischargeKw: 3 }];
    good.prosumers[7].bus = '99999';
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify(good));
    const run = spawnGridnest('scenario', 'check', bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/prosumers\[4\]\.batteries\[0\]\.energyKwh/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    good.prosumers[4].batteries = [];
    writeFileSync(bad, JSON.stringify(good));
    const busRun = await gridnest('scenario', 'check', bad);
    expect(busRun.code).toBe(2);
    expect(busRun.stderr).toMatch(/prosumers\[7\]\.bus: bus "99999" is not in network "ieee-lv"/);
    writeFileSync(bad, '{ not json');
    expect((await gridnest('scenario', 'check', bad)).code).toBe(2);
    expect((await gridnest('scenario', 'check', join(work, 'missing.json'))).code).toBe(2);
    expect(existsSync(join(work, 'missing.json'))).toBe(false);
  });
});

describe('gridnest timeseries', () => {
  it('runs the feeder over the day and prints the JSON contract with a status', async () => {
    const file = join(work, 'ts.json');
    expect((await gridnest('scenario', 'new', '--households', '12', '--out', file)).code).toBe(0);
    const run = await gridnest('timeseries', file, '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.status).toBe('converged');
    expect(out.networks[0]).toMatchObject({ id: 'ieee-lv', steps: 48, convergedSteps: 48 });
    expect(out.networks[0].perStep.vmMinPu).toHaveLength(48);
    expect(out.networks[0].vmMinPu).toBeGreaterThan(0.9);
  });
});
