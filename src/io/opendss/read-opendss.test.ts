// OpenDSS syntax subset: comments, continuation, bracket forms, RPN, node lists, Redirect, BatchEdit, Edit, and
// InputErrors naming file, line and element.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { lexDss } from './dss-lexer.ts';
import { readOpenDss } from './read-opendss.ts';

const dir = mkdtempSync(join(tmpdir(), 'gridnest-dss-'));

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('OpenDSS lexer', () => {
  it('drops ! // and /* */ comments, joins ~ lines and keeps bracketed values whole', () => {
    const commands = lexDss(
      'New Line.a bus1=x.1.2 ! comment\n/* block\nNew Line.hidden\n*/\n~ rmatrix = (1 | 2 3) // tail\nset voltagebases=[11, .4]\n',
      'f.dss',
    );
    expect(commands.map((c) => c.verb)).toEqual(['new', 'set']);
    expect(commands[0].parameters.map((p) => [p.key, p.value])).toEqual([
      [undefined, 'Line.a'],
      ['bus1', 'x.1.2'],
      ['rmatrix', '(1 | 2 3)'],
    ]);
    expect(commands[0].parameters[2].at.line).toBe(5);
    expect(commands[1].parameters[0].value).toBe('[11, .4]');
  });
});

describe('readOpenDss', () => {
  it('reads a two-bus script with Redirect (any case), RPN, node lists, pf→kvar, BatchEdit and Edit', () => {
    script(
      'Codes.DSS',
      'New LineCode.c1 nphases=2 rmatrix=[0.2 | 0.05 0.2] xmatrix=(0.4 | 0.1 0.4) units=km\n',
    );
    const path = script(
      'main.dss',
      [
        'Clear',
        'Set DefaultBaseFrequency=50',
        'New Circuit.t basekv=0.4 pu=1.0 MVAsc3=(2 1000 *) MVAsc1=2100',
        'Redirect codes.dss',
        'New Line.l1 bus1=sourcebus.1.2 bus2=b.1.2 phases=2 linecode=c1 length=500 units=m',
        'New Load.p phases=1 bus1=b.2 kv=0.23 kw=2 pf=0.8',
        'New Load.q phases=1 bus1=b.1 kv=0.23 kw=1 kvar=0.5',
        'BatchEdit Load..* model=2',
        'Edit Load.q kw=3',
        'Set voltagebases=[0.4] ',
        'Calcvoltagebases',
        'Solve',
      ].join('\n'),
    );
    const { network } = readOpenDss(path);
    expect(network.frequencyHz).toBe(50);
    const line = network.lines[0];
    expect(line.fromNodes).toEqual([1, 2]);
    expect(line.zOhm.re[0]).toBeCloseTo(0.2 * 0.5, 12);
    expect(line.zOhm.im[1]).toBeCloseTo(0.1 * 0.5, 12);
    const [p, q] = network.loads;
    expect(p.qKvar).toBeCloseTo((2 * 0.6) / 0.8, 12);
    expect(p.model).toBe('constant-impedance');
    expect(q).toMatchObject({ pKw: 3, qKvar: 0.5, nodes: [1] });
    expect(network.buses.map((b) => [b.id, b.baseKvLl])).toEqual([
      ['sourcebus', 0.4],
      ['b', 0.4],
    ]);
    // Vsource Z1 = kV²/MVAsc3 at X/R 4.
    const z1 = 0.16 / 2000;
    expect(network.sources[0].zOhm.re[0] - network.sources[0].zOhm.re[1]).toBeCloseTo(z1 / Math.sqrt(17), 12);
  });

  it('names file, line and element for unsupported classes, properties, commands and undefined codes', () => {
    const cases: [string, RegExp][] = [
      ['New Circuit.c\nNew PVSystem.pv bus1=sourcebus\n', /x\.dss:2.*pvsystem\.pv.*not supported/],
      ['New Circuit.c\nNew Line.l bus1=a bus2=b linecode=nope\n', /x\.dss:2.*line\.l.*linecode 'nope'/],
      ['New Circuit.c\nNew Load.l bus1=a model=3\n', /x\.dss:2.*load\.l.*model=3/],
      ['New Circuit.c\nNew Transformer.t windings=3\n', /x\.dss:2.*two-winding/],
      ['New Circuit.c\nFrobnicate now\n', /x\.dss:2.*command 'frobnicate'/],
      ['New Circuit.c\nEdit Line.ghost r1=1\n', /x\.dss:2.*does not exist/],
      ['New Circuit.c\nNew Load.l bus1=a kw=lots\n', /x\.dss:2.*kw: expected a number/],
    ];
    for (const [text, pattern] of cases) {
      expect(errorOf(() => readOpenDss(script('x.dss', text))).message).toMatch(pattern);
    }
    expect(errorOf(() => readOpenDss(join(dir, 'missing.dss'))).issues[0].code).toBe('file_not_found');
  });
});
