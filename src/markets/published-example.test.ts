// example-6 (shared/data/README.md): centralised to 1e-6 and admm to 1e-4 relative against the published optimum.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clearAdmm } from './admm.ts';
import type { MarketResult } from './book.ts';
import { clearCentralised } from './centralised.ts';
import { parseMarketText } from './exchange-format.ts';

const book = parseMarketText(readFileSync('data/markets/example-6.json', 'utf8'));
const PUBLISHED = {
  objectiveEur: -14.033333,
  priceEurPerKwh: 0.26,
  eKwh: { B1: -34, B2: -16, B3: -20, S1: 45, S2: 11.666667, S3: 13.333333 } as Record<string, number>,
};
// The published figures carry 6 decimals; exact values: objective −421/30, S2 = 35/3, S3 = 40/3.
const EXACT = { objectiveEur: -421 / 30, S2: 35 / 3, S3: 40 / 3 };

function expectPublished(result: MarketResult, relative: number) {
  expect(PUBLISHED.objectiveEur).toBeCloseTo(EXACT.objectiveEur, 6);
  expect(Math.abs(result.objectiveEur / EXACT.objectiveEur - 1)).toBeLessThan(relative);
  expect(result.priceEurPerKwh).not.toBeNull();
  expect(Math.abs(result.priceEurPerKwh! / PUBLISHED.priceEurPerKwh - 1)).toBeLessThan(relative);
  for (const { id, eKwh } of result.agents) {
    const expected = id === 'S2' ? EXACT.S2 : id === 'S3' ? EXACT.S3 : PUBLISHED.eKwh[id];
    expect(Math.abs(eKwh / expected - 1)).toBeLessThan(relative);
  }
}

describe('example-6', () => {
  it('centralised reproduces the published optimum to 1e-6 relative', async () => {
    const result = await clearCentralised(book);
    expect(result.status).toBe('optimal');
    expectPublished(result, 1e-6);
    // With no trade costs every trade is priced at the uniform price.
    for (const trade of result.trades) expect(trade.priceEurPerKwh).toBeCloseTo(0.26, 6);
  });

  it('admm reproduces the published optimum to 1e-4 relative', () => {
    const result = clearAdmm(book);
    expect(result.status).toBe('converged');
    expectPublished(result, 1e-4);
    for (const trade of result.trades) expect(trade.priceEurPerKwh).toBeCloseTo(0.26, 4);
  });
});
