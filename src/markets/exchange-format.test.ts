// Tests of the exchange-format parser: the bundled example, and errors that name the offending field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { parseMarketFile, parseMarketText } from './exchange-format.ts';

const agent = (id: string, eMinKwh: number, eMaxKwh: number) => ({
  id,
  eMinKwh,
  eMaxKwh,
  costQuadEurPerKwh2: 0.01,
  costLinEurPerKwh: 0.2,
});

function issuesOf(value: unknown) {
  try {
    parseMarketFile(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).issues.map((issue) => ({ code: issue.code, path: issue.path }));
  }
  throw new Error('expected an InputError');
}

describe('parseMarketText', () => {
  it('reads example-6 with all buyer–seller pairs (3 × 3)', () => {
    const book = parseMarketText(readFileSync('data/markets/example-6.json', 'utf8'));
    expect(book.agents.map((a) => a.id)).toEqual(['B1', 'B2', 'B3', 'S1', 'S2', 'S3']);
    expect(book.tradeBuyer.length).toBe(9);
    expect([...book.tradeCostEurPerKwh].every((c) => c === 0)).toBe(true);
  });

  it('restricts trades to listed pairs and attaches trade costs', () => {
    const book = parseMarketFile({
      agents: [agent('B', -5, 0), agent('S', 0, 5), agent('T', 0, 5)],
      trades: [['B', 'T']],
      tradeCosts: [{ buyer: 'B', seller: 'T', costEurPerKwh: 0.03 }],
    });
    expect([...book.tradeBuyer]).toEqual([0]);
    expect([...book.tradeSeller]).toEqual([2]);
    expect([...book.tradeCostEurPerKwh]).toEqual([0.03]);
  });

  it('reports malformed JSON at the root, with the prefix', () => {
    expect(() => parseMarketText('{"agents": [', ['f.json'])).toThrow(/malformed JSON/);
    try {
      parseMarketText('{', ['f.json']);
    } catch (error) {
      expect((error as InputError).issues[0].path).toEqual(['f.json']);
    }
  });

  it('names each bad field', () => {
    expect(issuesOf({ agents: [agent('A', 2, 1)], trades: 'all' })).toEqual([
      { code: 'invalid_bounds', path: ['agents', 0, 'eMinKwh'] },
    ]);
    expect(issuesOf({ agents: [agent('B', -1, 0)], trades: [['B', 'X']] })).toEqual([
      { code: 'unknown_id', path: ['trades', 0, 1] },
    ]);
    expect(issuesOf({ agents: [agent('B', -1, 0), agent('B', 0, 1)], trades: 'all' })).toEqual([
      { code: 'duplicate_id', path: ['agents', 1, 'id'] },
    ]);
    expect(issuesOf({ agents: [agent('S', 0, 1), agent('T', 0, 1)], trades: [['S', 'T']] })).toEqual([
      { code: 'cannot_buy', path: ['trades', 0, 0] },
    ]);
    expect(
      issuesOf({
        agents: [agent('B', -1, 0), agent('S', 0, 1)],
        trades: [['B', 'S']],
        tradeCosts: [{ buyer: 'S', seller: 'B', costEurPerKwh: 1 }],
      }).map((issue) => issue.code),
    ).toEqual(['cannot_buy', 'pair_not_allowed']);
    const missing = issuesOf({ agents: [{ id: 'A', eMinKwh: -1 }], trades: 'all' });
    expect(missing.map((issue) => issue.path)).toContainEqual(['agents', 0, 'eMaxKwh']);
    expect(
      issuesOf({ agents: [{ ...agent('A', -1, 0), costQuadEurPerKwh2: -1 }], trades: 'all' })[0].path,
    ).toEqual(['agents', 0, 'costQuadEurPerKwh2']);
    expect(issuesOf({ agents: [], trades: 'some' })[0].path).toEqual(['trades']);
  });
});
