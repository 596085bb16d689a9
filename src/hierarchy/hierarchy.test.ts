// System simulation: energy balance at every level and interval, ledger sums to zero, seeded reruns are identical.
import { describe, expect, it } from 'vitest';
import { createCoordination } from '../coordination/index.ts';
import { InputError } from '../core/errors.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../studies/system/index.ts';
import { simulateSystem } from './engine.ts';
import { type EnvelopeMessage, resampleEnvelope, sumEnvelopes } from './envelope.ts';

const study = () => buildDefaultSystemStudy({ households: 6, seed: 3 });

describe('system simulation', async () => {
  const model = resolveSystemStudy(study());
  const runs = {
    baseline: await simulateSystem(model, { coordination: createCoordination('none'), isBaseline: true }),
    none: await simulateSystem(model, { coordination: createCoordination('none') }),
    dso: await simulateSystem(model, { coordination: createCoordination('dso-pricing') }),
  };

  it('holds energy balance at the prosumer, platform, DSO and TSO level in every interval', () => {
    for (const run of Object.values(runs)) {
      const levels = new Set(run.recorder.balance.map((b) => b.level));
      expect([...levels].sort()).toEqual(['dso', 'platform', 'prosumer', 'tso']);
      // Platform: 96 intervals × 5 feeders, DSO: 48, TSO: 24.
      expect(run.recorder.balance.filter((b) => b.level === 'platform')).toHaveLength(96 * 5);
      expect(run.recorder.balance.filter((b) => b.level === 'dso')).toHaveLength(48);
      expect(run.recorder.balance.filter((b) => b.level === 'tso')).toHaveLength(24);
      for (const b of run.recorder.balance) expect(Math.abs(b.residualKw)).toBeLessThan(1e-2);
    }
  });

  it('settles every transaction in a ledger whose balances sum to exactly zero', () => {
    for (const run of Object.values(runs)) {
      const ledger = run.ledger;
      expect(ledger.totalBalance()).toBe(0n);
      let replayed = 0n;
      const kinds = new Set(ledger.accounts.map((a) => a.id.split(':')[0]));
      for (const t of ledger.transactions) {
        let sum = 0n;
        for (const p of t.postings) sum += p.amountMicroEur;
        expect(sum).toBe(0n);
        replayed += sum;
      }
      expect(replayed).toBe(0n);
      for (const kind of ['prosumer', 'platform', 'dso', 'retailer', 'tso', 'generators'])
        expect(kinds.has(kind)).toBe(true);
      // Day-ahead, intraday and real-time wholesale settlement for every hour.
      expect(ledger.transactions.filter((t) => t.id.includes('/tso/'))).toHaveLength(72);
    }
    expect(runs.none.recorder.trades.length).toBeGreaterThan(0);
    expect(runs.baseline.recorder.trades).toHaveLength(0);
  });

  it('gives identical results for the same seed', async () => {
    const again = await simulateSystem(resolveSystemStudy(study()), {
      coordination: createCoordination('dso-pricing'),
    });
    expect(JSON.stringify(again.recorder)).toBe(JSON.stringify(runs.dso.recorder));
    expect(again.ledger.transactions).toEqual(runs.dso.ledger.transactions);
  });

  it('moves wholesale prices with platform behaviour and detects mediation conflicts only without DSO limits', () => {
    const lmp = (r: typeof runs.none) => r.recorder.tso.map((t) => t.dayAheadLmpEurPerMwh);
    expect(lmp(runs.none)).not.toEqual(lmp(runs.baseline));
    expect(runs.dso.recorder.mediation).toHaveLength(0);
  });
});

describe('system study validation', () => {
  it('names bad fields', () => {
    const doc = study();
    const bad = { ...doc, simulation: { ...doc.simulation, feeders: [{ network: 'nowhere', replicas: 2 }] } };
    expect(() => resolveSystemStudy(bad)).toThrow(InputError);
    try {
      resolveSystemStudy(bad);
    } catch (error) {
      expect((error as InputError).issues[0].path).toEqual(['simulation', 'feeders', 0, 'network']);
    }
  });
});

describe('envelopes across resolutions', () => {
  const e: EnvelopeMessage = {
    type: 'envelope',
    startUtc: '2024-04-15T00:00:00.000Z',
    stepMin: 15,
    baseKw: [1, 3, 5, 7],
    minKw: [0, 2, 4, 6],
    maxKw: [2, 4, 6, 8],
    bandKw: [0, 0, 0, 0],
    bandProbability: 0.9,
    independentSigmaKw: [1, 1, 1, 1],
    correlatedSigmaKw: [0, 0, 0, 0],
    bids: [
      [{ side: 'buy', kw: 1, limitPriceEurPerKwh: 0.1 }],
      [{ side: 'buy', kw: 1, limitPriceEurPerKwh: 0.1 }],
      [],
      [],
    ],
  };

  it('conserves energy and bid volume when the step changes', () => {
    const coarse = resampleEnvelope(e, 30);
    expect(coarse.baseKw).toEqual([2, 6]);
    expect(coarse.baseKw.reduce((a, b) => a + b, 0) * 30).toBe(e.baseKw.reduce((a, b) => a + b, 0) * 15);
    expect(coarse.bids[0]).toEqual([{ side: 'buy', kw: 1, limitPriceEurPerKwh: 0.1 }]);
    expect(coarse.bandKw[0]).toBeCloseTo(1.6449, 3);
  });

  it('adds independent errors in quadrature and scales replicas', () => {
    const sum = sumEnvelopes([{ envelope: e, multiplicity: 4 }], [10, 10, 10, 10]);
    expect(sum.baseKw).toEqual([14, 22, 30, 38]);
    expect(sum.independentSigmaKw).toEqual([2, 2, 2, 2]);
  });
});
