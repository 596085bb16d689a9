// E2E: with --json every command prints one JSON object with a `status` on stdout, whatever the outcome.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { runGridnest as gridnest } from './cli-harness.ts';

// One extra command that fails with a plain Error, to see the internal-error outcome (exit 1).
vi.mock('../../src/cli/commands/index.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/cli/commands/index.ts')>();
  const registerExplode = (program: Command) =>
    program
      .command('explode')
      .option('--json', 'print one JSON object')
      .action(() => {
        throw new Error('boom');
      });
  return { COMMANDS: [...actual.COMMANDS, registerExplode] };
});

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gridnest-json-cli-'));
const badM = join(work, 'bad.m');
writeFileSync(badM, 'function mpc = bad\nmpc.baseMVA = 100;\nmpc.bus = [1 3 0 0;\n');
const badStudy = join(work, 'bad-study.json');
writeFileSync(badStudy, JSON.stringify({ schemaVersion: 1, name: 'x', network: 42 }));
const missing = join(work, 'no-such-file.json');

interface Issue {
  code: string;
  path: (string | number)[];
  message: string;
}

/** The JSON object on stdout of a run that failed on its input: exit 2, status invalid_input, issues. */
function expectInvalidInput(run: { code: number | null; stdout: string }, path0?: string) {
  expect(run.code).toBe(2);
  const out = JSON.parse(run.stdout);
  expect(out.status).toBe('invalid_input');
  expect(typeof out.message).toBe('string');
  expect(out.issues.length).toBeGreaterThan(0);
  for (const issue of out.issues as Issue[]) {
    expect(Object.keys(issue).sort()).toEqual(['code', 'message', 'path']);
    expect(typeof issue.code).toBe('string');
    expect(Array.isArray(issue.path)).toBe(true);
  }
  if (path0 !== undefined) expect((out.issues as Issue[]).map((i) => i.path[0])).toContain(path0);
  return out;
}

describe('--json on failure', () => {
  it('`pf bad.m --json` prints invalid_input on stdout of the real process (exit 2)', () => {
    const run = spawnSync(process.execPath, [join(root, 'bin/gridnest.js'), 'pf', badM, '--json'], {
      encoding: 'utf8',
      cwd: root,
    });
    const out = expectInvalidInput({ code: run.status, stdout: run.stdout });
    expect(out.message).toMatch(/bad\.m/);
    expect(run.stderr).toMatch(/invalid input/);
  });

  it.each([
    ['pf', [missing]],
    ['opf', [missing, '--dc']],
    ['dlmp', [missing]],
    ['market clear', [missing]],
    ['scenario check', [missing]],
    ['timeseries', [missing]],
    ['simulate', [missing, '--out', join(work, 'out')]],
  ])('%s with a missing file prints invalid_input naming the file', async (command, args) => {
    const run = await gridnest(...command.split(' '), ...args, '--json');
    const out = expectInvalidInput(run);
    expect(JSON.stringify(out.issues)).toContain('no-such-file.json');
  });

  it.each([
    ['pf', ['case9', '--method', 'xx'], '--method'],
    ['pf', ['case9', '--repeat', '0'], '--repeat'],
    ['opf', ['case9'], '--dc'],
    ['dlmp', ['case33bw', '--energy-price', 'abc'], '--energy-price'],
    ['market clear', ['data/markets/example-6.json', '--mechanism', 'pool'], '--mechanism'],
    ['scenario new', ['--feeders', '0', '--out', join(work, 's.json')], '--feeders'],
    ['timeseries', ['x.json', '--violations', '-1'], '--violations'],
    ['dso-pricing', ['--risk', '2', '--out', work], '--risk'],
    ['simulate', ['--days', 'two', '--out', work], '--days'],
    ['simulate', [], '--out'],
  ])('%s %j: a bad or missing option prints invalid_input naming it', async (command, args, option) => {
    const run = await gridnest(...command.split(' '), ...args, '--json');
    expectInvalidInput(run, option);
  });

  it('a bad field in a study names its path; a missing argument and an unknown option are usage issues', async () => {
    expectInvalidInput(await gridnest('scenario', 'check', badStudy, '--json'), 'networks');
    const noArg = expectInvalidInput(await gridnest('pf', '--json'), 'case');
    expect(noArg.issues[0].code).toBe('missing_argument');
    const unknown = expectInvalidInput(await gridnest('dlmp', 'case33bw', '--colour', '--json'), '--colour');
    expect(unknown.issues[0].code).toBe('unknown_option');
  });

  it('an internal error prints status error with the message (exit 1)', async () => {
    const run = await gridnest('explode', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ status: 'error', message: 'boom' });
    expect(run.stderr).toMatch(/internal error: boom/);
  });

  it('without --json a failure leaves stdout empty', async () => {
    for (const args of [['pf', missing], ['explode'], ['pf', 'case9', '--method', 'xx']]) {
      const run = await gridnest(...args);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
    }
  });
});
