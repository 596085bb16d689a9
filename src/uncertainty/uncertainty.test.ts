// Tests of seeded randomness, quantiles, forecast-error scenarios and the aggregation effect.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRandom, randomNormal } from '../numeric/random.ts';
import { dayTimeIndex } from '../time/time-index.ts';
import { aggregationEffect } from './aggregation-effect.ts';
import {
  buildLoadErrorModel,
  buildPvErrorModel,
  householdLoadScenarios,
  pvScenario,
} from './forecast-error.ts';
import { quantile, scenarioQuantiles } from './quantiles.ts';

const index = dayTimeIndex('2024-06-01', 30);

/** 20 synthetic one-minute donor profiles: a base load plus seeded appliance spikes. */
const syntheticDonors = () => {
  const rng = createRandom(7);
  return Array.from({ length: 20 }, () => {
    const p = new Float64Array(1440).fill(0.2);
    for (let e = 0; e < 12; e++) {
      const start = Math.floor(rng.next() * 1380);
      const kw = 1 + 2 * rng.next();
      for (let t = start; t < start + 20 + Math.floor(rng.next() * 40); t++) p[t % 1440] += kw;
    }
    return p;
  });
};

describe('random and quantiles', () => {
  it('is reproducible by seed and roughly standard normal', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 20000 }, () => randomNormal(a));
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => randomNormal(b)));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
    expect(quantile(xs, 0.95)).toBeGreaterThan(1.6); // N(0,1): 1.645
    expect(quantile(xs, 0.95)).toBeLessThan(1.69);
  });

  it('computes type-7 quantiles by hand: [1, 2, 3, 4] at 0.5 → 2.5, at 0.9 → 3.7', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
    const [lo, hi] = scenarioQuantiles([Float64Array.of(0, 10), Float64Array.of(1, 20)], [0, 1]);
    expect([...lo, ...hi]).toEqual([0, 10, 1, 20]);
  });
});

describe('forecast-error scenarios', () => {
  it('are seeded, conserve the expected daily energy on average, and bracket the forecast', () => {
    const model = buildLoadErrorModel(syntheticDonors(), 1, index);
    const a = householdLoadScenarios(model, 8, 300, createRandom(1));
    const b = householdLoadScenarios(model, 8, 300, createRandom(1));
    expect(a.scenariosKw[17]).toEqual(b.scenariosKw[17]);
    // Forecast energy = 8 kWh exactly (shape normalised to 1 kWh/day); scenario mean energy ≈ 8 kWh (ξ has mean 1).
    const energy = (s: Float64Array) => s.reduce((x, y) => x + y, 0) * 0.5;
    expect(energy(a.forecastKw)).toBeCloseTo(8, 9);
    const meanEnergy = a.scenariosKw.reduce((x, s) => x + energy(s), 0) / 300;
    expect(meanEnergy).toBeGreaterThan(7.6);
    expect(meanEnergy).toBeLessThan(8.4);
    const [q05, q95] = scenarioQuantiles(a.scenariosKw, [0.05, 0.95]);
    const inside = Array.from(a.forecastKw).filter((f, k) => f >= q05[k] && f <= q95[k]).length;
    expect(inside).toBeGreaterThan(40);
  });

  it('PV actuals are zero at night, follow the regional factor and never exceed kWp·c·peak', () => {
    const shape = Float64Array.from({ length: 1440 }, (_, t) => {
      const clear = Math.max(0, Math.sin(((t - 360) / 720) * Math.PI));
      return t % 37 < 5 ? 0.4 * clear : clear; // periodic cloud dips
    });
    const model = buildPvErrorModel(shape, 1, index);
    const pv = pvScenario(model, 4, 1.1, createRandom(3));
    expect(pv[0]).toBe(0);
    expect(pv[47]).toBe(0);
    expect(Math.max(...pv)).toBeLessThanOrEqual(4 * 1.1 * 1.0 + 1e-9);
    expect(Math.max(...pv)).toBeGreaterThan(2);
  });
});

describe('aggregation effect', () => {
  it('reserve per household falls as groups grow, close to 1/√N for independent loads', () => {
    const model = buildLoadErrorModel(syntheticDonors(), 1, index);
    const rows = aggregationEffect(model, { groupSizes: [1, 10, 100], scenarios: 200, seed: 5 });
    expect(rows.map((r) => r.groupSize)).toEqual([1, 10, 100]);
    expect(rows[1].reservePerHouseholdKw).toBeLessThan(rows[0].reservePerHouseholdKw);
    expect(rows[2].reservePerHouseholdKw).toBeLessThan(rows[1].reservePerHouseholdKw);
    // 1/√100 = 0.1 for Gaussian independent errors; skewed single-household errors make it looser.
    expect(rows[2].relativeToSingle).toBeLessThan(0.25);
    expect(rows[2].relativeToSingle).toBeGreaterThan(0.03);
  });

  it('on the bundled IEEE European LV profiles, reproducibly', () => {
    const dir = new URL('../../data/lv/ieee_european_lv/Load_Profiles/', import.meta.url);
    const donors = Array.from({ length: 100 }, (_, i) => {
      const lines = readFileSync(new URL(`Load_profile_${i + 1}.csv`, dir), 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      return Float64Array.from(lines, (line) => Number(line.split(',')[1]));
    });
    const model = buildLoadErrorModel(donors, 1, index);
    const rows = aggregationEffect(model, { groupSizes: [1, 10, 55], scenarios: 100, seed: 11 });
    const again = aggregationEffect(model, { groupSizes: [1, 10, 55], scenarios: 100, seed: 11 });
    expect(again).toEqual(rows);
    expect(rows[2].reservePerHouseholdKw).toBeLessThan(rows[1].reservePerHouseholdKw);
    expect(rows[1].reservePerHouseholdKw).toBeLessThan(rows[0].reservePerHouseholdKw);
  });
});
