// The study file (studyFormatVersion 1): the bundled default expands to the study the TypeScript builder made before
// it became a file, bad fields give an InputError naming their path, and study references resolve.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { buildDefaultSystemStudy } from './build-system-study.ts';
import { bundledStudyPath, readJsonFile, readStudy } from './load-system-study.ts';
import { expandStudyFile } from './study-file.ts';

const issuesOf = (run: () => unknown): InputError['issues'] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error('expected an InputError');
};

const defaultFile = () => readJsonFile(bundledStudyPath('default')) as Record<string, unknown>;

describe('bundled default study file', () => {
  it('expands to the study the TypeScript builder generates (the pre-file default)', () => {
    expect(readStudy(undefined).document).toEqual(buildDefaultSystemStudy());
    expect(readStudy('default').document).toEqual(buildDefaultSystemStudy());
  });

  it('regenerates its DER draws from an overriding seed, like the builder', () => {
    expect(readStudy('default', { seed: 7 }).document).toEqual(buildDefaultSystemStudy({ seed: 7 }));
  });

  it('reads a copied file from any path, relative paths starting at its directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-study-'));
    const path = join(dir, 'my-study.json');
    writeFileSync(path, JSON.stringify({ ...defaultFile(), households: 3 }));
    const read = readStudy(path);
    expect(read.baseDir).toBe(dir);
    // 5 sites × 3 households.
    expect(read.document.prosumers).toHaveLength(15);
  });
});

describe('study file validation', () => {
  it('names the path of a bad nested field', () => {
    const file = defaultFile() as { dsos: { sites: { mix: Record<string, number> }[] }[] };
    file.dsos[0].sites[2].mix.pvShare = 1.5;
    const issues = issuesOf(() => expandStudyFile(file));
    expect(issues.map((i) => i.path)).toEqual([['dsos', 0, 'sites', 2, 'mix', 'pvShare']]);
  });

  it('rejects other format versions, unknown fields and missing required fields', () => {
    expect(issuesOf(() => expandStudyFile({ ...defaultFile(), studyFormatVersion: 2 }))[0].path).toEqual([
      'studyFormatVersion',
    ]);
    expect(issuesOf(() => expandStudyFile({ ...defaultFile(), housholds: 3 }))[0].code).toBe(
      'unrecognized_keys',
    );
    const { dsos: _, ...noDsos } = defaultFile();
    expect(issuesOf(() => expandStudyFile(noDsos))[0].path).toEqual(['dsos']);
    expect(issuesOf(() => expandStudyFile({ ...defaultFile(), households: 56 }))[0].path).toEqual([
      'households',
    ]);
  });

  it('names the file of a syntax error and of a non-object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridnest-study-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "studyFormatVersion": 1,');
    expect(issuesOf(() => readStudy(path))[0]).toMatchObject({ code: 'bad_json', path: [path] });
    writeFileSync(path, '[1]');
    expect(issuesOf(() => readStudy(path))[0]).toMatchObject({ code: 'bad_type', path: [path] });
  });
});
