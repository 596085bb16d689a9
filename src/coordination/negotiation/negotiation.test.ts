// Negotiation gate: two platforms and one DSO reach the hand-derived optimum, also over a lossy, late transport.
import { describe, expect, it } from 'vitest';
import type { Network } from '../../grid/schema.ts';
import { createTimeIndex } from '../../time/time-index.ts';
import type { AgreedRange, DsoPricingInput } from '../mechanism.ts';
import { recordAgreedRanges } from '../negotiation.ts';
import type { NegotiationDsoData } from './dso-agent.ts';
import { buildPlatformData } from './platform-data.ts';
import { type GateOptions, runNegotiationGate } from './run-negotiation.ts';
import { evPlatform, TEST_GATE_OPTIONS } from './test-fixtures.ts';

const START = '2024-04-15T00:00:00.000Z';
const platformIndex = createTimeIndex({ startUtc: START, stepMin: 30, length: 4 });
const dsoIndex = createTimeIndex({ startUtc: START, stepMin: 60, length: 2 });
const fill = (v: number, n = 4) => new Float64Array(n).fill(v);

const platform = (id: string, expectedKw: number, slope: number) =>
  evPlatform(id, expectedKw, slope, platformIndex);

// Hour 0: the shared limit x1 + x2 ≤ 7 binds. Equal marginal values ν = γ1(ê1 − x1) = γ2(ê2 − x2) and
// x1 + x2 = 7 give ν = (ê1 + ê2 − 7)/(1/γ1 + 1/γ2) = 3/0.15 = 20 EUR/MWh, x1 = 4 − 20/10 = 2, x2 = 6 − 20/20 = 5.
// Hour 1: only feeder 2's own limit x2 ≤ 3 binds: x2 = 3, ν2 = 20·(6 − 3) = 60; x1 = ê1 = 4, ν1 = 0.
const dso: NegotiationDsoData = {
  index: dsoIndex,
  feeders: [
    { platformId: 'p1', address: 'platform/p1', replicas: 1, loKw: fill(-50, 2), hiKw: fill(50, 2), rho: 10 },
    {
      platformId: 'p2',
      address: 'platform/p2',
      replicas: 1,
      loKw: fill(-50, 2),
      hiKw: Float64Array.from([50, 3]),
      rho: 10,
    },
  ],
  sharedImportLimitKw: Float64Array.from([7, 100]),
};
const platforms = [platform('p1', 4, 10), platform('p2', 6, 20)];
const options: GateOptions = TEST_GATE_OPTIONS;

describe('negotiation gate (consensus ADMM between platforms and a DSO)', () => {
  it('reaches the hand-derived optimum of two platforms under one DSO', async () => {
    const r = await runNegotiationGate(dso, platforms, options, START);
    expect(r.status).toBe('converged');
    expect(Array.from(r.acceptedKw[0])[0]).toBeCloseTo(2, 2);
    expect(Array.from(r.acceptedKw[1])[0]).toBeCloseTo(5, 2);
    expect(Array.from(r.acceptedKw[0])[1]).toBeCloseTo(4, 2);
    expect(Array.from(r.acceptedKw[1])[1]).toBeCloseTo(3, 2);
    expect(r.priceEurPerMwh[0][0]).toBeCloseTo(20, 1);
    expect(r.priceEurPerMwh[1][0]).toBeCloseTo(20, 1);
    expect(r.priceEurPerMwh[0][1]).toBeCloseTo(0, 1);
    expect(r.priceEurPerMwh[1][1]).toBeCloseTo(60, 1);
    expect(r.messages).toBeGreaterThan(0);
    expect(r.lostMessages).toBe(0);
    // Certain forecasts (σ = 0): the DSO's upstream aggregate is the accepted total with no band.
    expect(r.aggregateKw[0]).toBeCloseTo(7, 2);
    expect(r.aggregateBandKw[0]).toBe(0);
  });

  it('still terminates at the optimum with 10 % loss and delays of up to two rounds', async () => {
    const r = await runNegotiationGate(
      dso,
      platforms,
      { ...options, lossProbability: 0.1, maxDelayRounds: 2 },
      START,
    );
    expect(r.status).toBe('converged');
    expect(r.lostMessages).toBeGreaterThan(0);
    expect(r.rounds).toBeLessThan(options.maxRounds);
    expect(r.acceptedKw[0][0] + r.acceptedKw[1][0]).toBeLessThanOrEqual(7 + 1e-3);
    expect(r.acceptedKw[0][0]).toBeCloseTo(2, 1);
    expect(r.acceptedKw[1][1]).toBeCloseTo(3, 1);
    expect(r.priceEurPerMwh[1][1]).toBeCloseTo(60, 0);
  });

  it('closes on its last state with status not_converged when the deadline comes first', async () => {
    const r = await runNegotiationGate(dso, platforms, { ...options, gateDeadlineMinutes: 0.5 }, START);
    expect(r.status).toBe('not_converged');
    expect(r.rounds).toBe(3);
    expect(r.acceptedKw).toHaveLength(2);
  });

  it('commits no range (±∞, not [0, 0]) when the gate closes before the DSO heard from every feeder', async () => {
    // Every message lost: the DSO never receives an offer, so it has no state to commit a range from.
    const r = await runNegotiationGate(dso, platforms, { ...options, lossProbability: 1 }, START);
    expect(r.status).toBe('not_converged');
    for (let j = 0; j < 2; j++) {
      expect(Array.from(r.lowKw[j])).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      expect(Array.from(r.highKw[j])).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
      expect(Array.from(r.priceEurPerMwh[j])).toEqual([0, 0]);
    }
    // Such a gate leaves the platforms without a range (not [0, 0], which would force a zero net position), and
    // an earlier gate's range does not carry over; a committed range is kept as the gate closed it.
    const committed = { ...r, lowKw: [r.lowKw[0], fill(-2, 2)], highKw: [r.highKw[0], fill(3, 2)] };
    const ranges = new Map<string, AgreedRange>([
      ['p1', { startUtc: START, stepMin: 60, minKw: fill(-1, 2), maxKw: fill(1, 2) }],
    ]);
    recordAgreedRanges(ranges, { index: dsoIndex } as DsoPricingInput, committed, ['p1', 'p2']);
    expect(ranges.has('p1')).toBe(false);
    expect(ranges.get('p2')).toEqual({ startUtc: START, stepMin: 60, minKw: fill(-2, 2), maxKw: fill(3, 2) });
  });
});

describe('negotiation platform data', () => {
  it('refines the DSO-step forecasts to the platform step conserving energy, with σ from the error model', () => {
    const dsoStep = createTimeIndex({ startUtc: START, stepMin: 60, length: 3 });
    const member = {
      locationId: 'm1',
      bus: 1,
      loadKw: Float64Array.from([1, 2, 3]),
      pvKw: Float64Array.from([0, 4, 1]),
      flexibleMaxKw: Float64Array.from([0, 7, 7]),
      flexibleExpectedKw: Float64Array.from([0, 2, 5]),
    };
    const input: DsoPricingInput = {
      dsoId: 'd',
      index: dsoStep,
      wholesaleEurPerMwh: Float64Array.from([40, 50, 60]),
      tariff: { retailMarginEurPerKwh: 0.03, networkChargeEurPerKwh: 0.08 },
      locations: [{ locationId: 'p', replicas: 2 }],
      feeders: [{ platformId: 'p', network: {} as Network, members: [member] }],
      forecastError: { loadDailySigma: 0.15, loadNoiseSigma: 0.1, pvRegionalSigma: 0.15 },
      seed: 1,
      platformStepMin: 15,
    };
    const data = buildPlatformData(input, input.feeders[0], 0, 1);
    expect(data.index.length).toBe(12);
    const energy = (kw: ArrayLike<number>, h: number) => Array.from(kw).reduce((a, v) => a + v * h, 0);
    const m = data.members[0];
    expect(energy(m.baseNetKw, 0.25)).toBeCloseTo(energy([1, -2, 2], 1), 12);
    expect(energy(m.flexibleExpectedKw, 0.25)).toBeCloseTo(7, 12);
    // Flat export = wholesale − margin = 40 − 30 EUR/MWh in the first hour, repeated on its four quarters.
    for (const v of data.flatExportEurPerMwh.slice(0, 4)) expect(v).toBeCloseTo(10, 9);
    // σ_ind = L·√(e^{σd²}(1 + σn²) − 1), σ_corr = PV·√(e^{σpv²} − 1) (hand formula, hour 2: L = 2, PV = 4).
    expect(data.independentSigmaKw[4]).toBeCloseTo(2 * Math.sqrt(Math.exp(0.0225) * 1.01 - 1), 12);
    expect(data.correlatedSigmaKw[4]).toBeCloseTo(4 * Math.sqrt(Math.exp(0.0225) - 1), 12);
    // γ = 100 EUR/MWh / max Ē, κ = 100 / max PV.
    expect(m.demandSlope).toBeCloseTo(100 / 7, 12);
    expect(m.curtailSlope).toBeCloseTo(25, 12);
  });
});
