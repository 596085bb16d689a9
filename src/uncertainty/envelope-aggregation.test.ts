// Envelope aggregation against a Monte Carlo sample of the same model, and the normal quantile against tables.
import { describe, expect, it } from 'vitest';
import { createRandom, randomNormal } from '../numeric/random.ts';
import { aggregateEnvelopes, bandZ } from './envelope-aggregation.ts';
import { quantile } from './quantiles.ts';

describe('envelope aggregation', () => {
  it('matches the two-sided normal quantiles of the tables (Abramowitz & Stegun 26.2.23: |error| < 4.5e-4)', () => {
    expect(bandZ(0.9)).toBeCloseTo(1.644854, 3);
    expect(bandZ(0.95)).toBeCloseTo(1.959964, 3);
    expect(bandZ(0.5)).toBeCloseTo(0.67449, 3);
  });

  it('gives the 5 % / 95 % quantiles of a Monte Carlo sum of replicated children with a shared regional factor', () => {
    const parts = [
      { mu: 10, sigma: 2, c: 1.5, m: 3 },
      { mu: -4, sigma: 1, c: 0.5, m: 10 },
      { mu: 6, sigma: 3, c: 2, m: 1 },
    ];
    const aggregate = aggregateEnvelopes(
      parts.map((p) => ({
        meanKw: [p.mu],
        independentSigmaKw: [p.sigma],
        correlatedSigmaKw: [p.c],
        multiplicity: p.m,
      })),
      0.9,
    );
    const rng = createRandom(11);
    const draws = 100_000;
    const sums = new Float64Array(draws);
    for (let d = 0; d < draws; d++) {
      const regional = randomNormal(rng);
      let s = 0;
      for (const p of parts)
        for (let copy = 0; copy < p.m; copy++) s += p.mu + p.sigma * randomNormal(rng) + p.c * regional;
      sums[d] = s;
    }
    // Hand check of the closed form: mean 30 − 40 + 6 = −4; σ_ind² = 3·4 + 10·1 + 9 = 31; σ_corr = 4.5 + 5 + 2 = 11.5.
    expect(aggregate.meanKw[0]).toBeCloseTo(-4, 12);
    expect(aggregate.independentSigmaKw[0]).toBeCloseTo(Math.sqrt(31), 12);
    expect(aggregate.correlatedSigmaKw[0]).toBeCloseTo(11.5, 12);
    const sigma = Math.hypot(Math.sqrt(31), 11.5);
    // Sampling error of a 5 % quantile with 1e5 draws: ≈ √(0.05·0.95/1e5)/φ(1.645) σ ≈ 0.0067 σ; allow 4×.
    expect(Math.abs(quantile(sums, 0.05) - aggregate.lowKw[0])).toBeLessThan(0.03 * sigma);
    expect(Math.abs(quantile(sums, 0.95) - aggregate.highKw[0])).toBeLessThan(0.03 * sigma);
    // Aggregation effect: the pooled band is narrower than the sum of the children's own bands.
    const separate = parts.reduce((a, p) => a + p.m * bandZ(0.9) * Math.hypot(p.sigma, p.c), 0);
    expect(aggregate.bandKw[0]).toBeLessThan(separate);
  });

  it('is empty for no parts', () => {
    expect(aggregateEnvelopes([], 0.9).meanKw.length).toBe(0);
  });
});
