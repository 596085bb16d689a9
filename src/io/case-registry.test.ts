// Tests for loadCase: bundled names, paths by extension and content, unknown names and missing files.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { bundledCasePath, listBundledCases, loadCase } from './case-registry.ts';

function issueOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues[0];
  }
  throw new Error('expected an InputError');
}

describe('loadCase', () => {
  it('lists the bundled cases', () => {
    expect(listBundledCases()).toEqual([
      'case9',
      'case14',
      'case30',
      'case39',
      'case118',
      'case33bw',
      'case69',
      'case2383wp',
      'case9241pegase',
      'cigre-lv',
      'cigre-mv',
      'ieee-european-lv',
    ]);
  });

  it.each([
    ['case9', 9],
    ['case14', 14],
    ['case30', 30],
    ['case39', 39],
    ['case118', 118],
    ['case33bw', 33],
    ['case69', 69],
    ['cigre-lv', 44],
    ['cigre-mv', 15],
    ['ieee-european-lv', 907],
  ])('loads bundled %s with %i buses', (name, buses) => {
    const network = loadCase(name);
    expect(network.buses).toHaveLength(buses);
    if (name.startsWith('cigre')) expect(network.name).toBe(name);
  });

  it('loads files by path: .m, CIGRE .json by content, and an IEEE LV directory', () => {
    expect(loadCase(bundledCasePath('case33bw')).branches).toHaveLength(37);
    expect(loadCase(bundledCasePath('cigre-mv'))).toMatchObject({ name: 'cigre_mv', baseMva: 10 });
    expect(loadCase(bundledCasePath('ieee-european-lv')).loads).toHaveLength(55);
  });

  it('rejects an unknown bundled name, listing the available ones', () => {
    const issue = issueOf(() => loadCase('case99999'));
    expect(issue.code).toBe('unknown_case');
    expect(issue.message).toContain('case33bw');
    expect(issue.message).toContain('ieee-european-lv');
    expect(issueOf(() => loadCase('toString')).code).toBe('unknown_case');
  });

  it('names a missing file and an unsupported extension', () => {
    expect(issueOf(() => loadCase('/no/such/case.m'))).toMatchObject({
      code: 'file_not_found',
      path: ['/no/such/case.m'],
    });
    const dir = mkdtempSync(join(tmpdir(), 'registry-'));
    try {
      const raw = join(dir, 'case9.raw');
      copyFileSync(bundledCasePath('case9'), raw);
      expect(issueOf(() => loadCase(raw)).code).toBe('unknown_format');
      expect(issueOf(() => loadCase(dir)).code).toBe('unknown_format');
      const noSlack = join(dir, 'noslack.m');
      writeFileSync(
        noSlack,
        `function mpc = noslack\nmpc.version = '2';\nmpc.baseMVA = 100;\nmpc.bus = [1 1 0 0 0 0 1 1 0 10 1 1.1 0.9];\nmpc.gen = [];\nmpc.branch = zeros(0, 13);\n`,
      );
      expect(issueOf(() => loadCase(noSlack)).code).toBe('no_slack');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
