// Intraday continuous trading: forecast share by lead time, hand-derived fills and prices, conservation, bad input.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { createRandom, randomNormal } from '../numeric/random.ts';
import { intradayForecastShare, runIntradaySessions } from './intraday.ts';

const flat = (v: number, n = 1) => new Float64Array(n).fill(v);

describe('intradayForecastShare', () => {
  it('knows the learnt share at the horizon and everything at delivery, linearly in between', () => {
    expect(intradayForecastShare(24, 0.6, 24)).toBeCloseTo(0.6, 12);
    expect(intradayForecastShare(48, 0.6, 24)).toBeCloseTo(0.6, 12);
    expect(intradayForecastShare(12, 0.6, 24)).toBeCloseTo(0.8, 12);
    expect(intradayForecastShare(0, 0.6, 24)).toBe(1);
  });
});

describe('runIntradaySessions', () => {
  it('fills at the resting price and sends the rest to the DSO at gate closure (hand-derived)', () => {
    // One hourly interval, one session one hour ahead. A (surplus 2 kWh) quotes first and rests at its export
    // price 0.05; B (deficit 1 kWh, import price 0.25) crosses: 1 kWh at 0.05. A's other 1 kWh goes to the DSO.
    const r = runIntradaySessions(
      { memberIds: ['A', 'B'], stepMin: 60, intervalCount: 1, sessionHours: [-1], gateClosureMin: 60 },
      {
        forecastKwh: (i) => (i === 0 ? 2 : -1),
        importPriceEurPerKwh: [flat(0.25), flat(0.25)],
        exportPriceEurPerKwh: [flat(0.05), flat(0.05)],
      },
    );
    expect(r.trades).toEqual([{ interval: 0, buyer: 'B', seller: 'A', eKwh: 1, priceEurPerKwh: 0.05 }]);
    expect([r.peerSoldKwh[0][0], r.peerSoldKwh[1][0]]).toEqual([1, -1]);
    expect([r.dsoSoldKwh[0][0], r.dsoSoldKwh[1][0]]).toEqual([1, 0]);
  });

  it('re-quotes the updated forecast each session, arrival order rotated, until gate closure', () => {
    // Interval 1 (01:00–02:00) is open in the sessions at −1 h and 0 h; interval 0 only at −1 h (gate 60 min).
    // B's deficit in interval 1 is forecast 0.5 kWh at −1 h and 1 kWh at 0 h. Session −1: A rests its 2 kWh ask
    // at 0.05, B buys 0.5 at 0.05. Session 0: B quotes first and rests a 0.5 bid at 0.25, A's ask of the 1.5 it
    // still has crosses it at the resting 0.25. B pays 0.5·0.05 + 0.5·0.25 = 0.15 EUR; A sends 1 kWh to the DSO.
    const r = runIntradaySessions(
      { memberIds: ['A', 'B'], stepMin: 60, intervalCount: 2, sessionHours: [-1, 0], gateClosureMin: 60 },
      {
        forecastKwh: (i, k, h) => (k === 0 ? 0 : i === 0 ? 2 : h < 0 ? -0.5 : -1),
        importPriceEurPerKwh: [flat(0.25, 2), flat(0.25, 2)],
        exportPriceEurPerKwh: [flat(0.05, 2), flat(0.05, 2)],
      },
    );
    expect(r.trades.map((t) => [t.interval, t.buyer, t.seller, t.eKwh, t.priceEurPerKwh])).toEqual([
      [1, 'B', 'A', 0.5, 0.05],
      [1, 'B', 'A', 0.5, 0.25],
    ]);
    const paid = r.trades.reduce((a, t) => a + t.eKwh * t.priceEurPerKwh, 0);
    expect(paid).toBeCloseTo(0.15, 12);
    expect(r.dsoSoldKwh[0][1]).toBeCloseTo(1, 12);
    expect(r.dsoSoldKwh[1][1]).toBe(0);
  });

  it('conserves peer energy and leaves only the error unknown at gate closure', () => {
    // 8 members, 24 hourly intervals, random deviations; the forecast knows w(lead) of each. Peer sales sum to
    // zero per interval; position = w(last lead)·deviation, so the left imbalance is (1 − w(1 h))·|deviation|.
    const rng = createRandom(11);
    const m = 8;
    const dev = Array.from({ length: m }, () => Float64Array.from({ length: 24 }, () => randomNormal(rng)));
    const w = (lead: number) => intradayForecastShare(lead, 0.6, 24);
    const sessions = Array.from({ length: 24 }, (_, h) => h - 1);
    const r = runIntradaySessions(
      {
        memberIds: dev.map((_, i) => `m${i}`),
        stepMin: 60,
        intervalCount: 24,
        sessionHours: sessions,
        gateClosureMin: 60,
        minOrderKwh: 1e-9,
      },
      {
        forecastKwh: (i, k, h) => w(k - h) * dev[i][k],
        importPriceEurPerKwh: dev.map(() => flat(0.25, 24)),
        exportPriceEurPerKwh: dev.map(() => flat(0.05, 24)),
      },
    );
    expect(r.trades.length).toBeGreaterThan(0);
    let before = 0;
    let after = 0;
    for (let k = 0; k < 24; k++) {
      let peers = 0;
      for (let i = 0; i < m; i++) {
        peers += r.peerSoldKwh[i][k];
        const left = dev[i][k] - r.peerSoldKwh[i][k] - r.dsoSoldKwh[i][k];
        expect(left).toBeCloseTo((1 - w(1)) * dev[i][k], 9);
        before += Math.abs(dev[i][k]);
        after += Math.abs(left);
      }
      expect(peers).toBeCloseTo(0, 12);
    }
    expect(after / before).toBeCloseTo(1 - w(1), 9);
  });

  it('rejects bad input naming the field', () => {
    const data = { forecastKwh: () => 0, importPriceEurPerKwh: [], exportPriceEurPerKwh: [] };
    expect(() =>
      runIntradaySessions(
        { memberIds: [], stepMin: 60, intervalCount: 1, sessionHours: [0], gateClosureMin: 60 },
        data,
      ),
    ).toThrow(InputError);
    expect(() =>
      runIntradaySessions(
        { memberIds: ['a'], stepMin: 60, intervalCount: 1, sessionHours: [0], gateClosureMin: -1 },
        data,
      ),
    ).toThrow(/gateClosureMin/);
  });
});
