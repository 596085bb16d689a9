// E2E: `gridnest study list|show` prints the bundled study files; `simulate --study` rejects bad references and
// bad fields (exit 2, field path) before running or writing anything.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledStudyPath } from '../../src/studies/system/index.ts';
import { runGridnest } from './cli-harness.ts';

describe('gridnest study', () => {
  it('lists the bundled studies and prints one byte for byte, ready to copy', async () => {
    const list = await runGridnest('study', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(['default', 'stressed', '']);
    const show = await runGridnest('study', 'show', 'default');
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(readFileSync(bundledStudyPath('default'), 'utf8'));
    expect(JSON.parse(show.stdout).studyFormatVersion).toBe(1);
    expect((await runGridnest('study', 'show', 'nope')).code).toBe(2);
  });

  it('simulate --study: a bad field of a copied study exits 2 naming its path, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-study-cli-'));
    const path = join(dir, 'my-study.json');
    const study = JSON.parse(readFileSync(bundledStudyPath('default'), 'utf8'));
    study.dsos[0].sites[0].replicas = 0;
    writeFileSync(path, JSON.stringify(study));
    const out = join(dir, 'out');
    const run = await runGridnest('simulate', '--study', path, '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('dsos[0].sites[0].replicas');
    expect(existsSync(out)).toBe(false);
    const both = await runGridnest('simulate', path, '--study', 'default', '--out', out);
    expect(both.code).toBe(2);
    expect((await runGridnest('simulate', '--study', join(dir, 'missing.json'), '--out', out)).code).toBe(2);
  });
});
