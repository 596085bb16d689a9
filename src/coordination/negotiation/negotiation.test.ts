// Negotiation gate: two platforms and one DSO reach the hand-derived optimum, also over a lossy, late transport.
import { describe, expect, it } from 'vitest';
import { createTimeIndex } from '../../time/time-index.ts';
import type { NegotiationDsoData } from './dso-agent.ts';
import type { NegotiationPlatformData } from './platform-agent.ts';
import { type GateOptions, runNegotiationGate } from './run-negotiation.ts';

const START = '2024-04-15T00:00:00.000Z';
const platformIndex = createTimeIndex({ startUtc: START, stepMin: 30, length: 4 });
const dsoIndex = createTimeIndex({ startUtc: START, stepMin: 60, length: 2 });
const fill = (v: number, n = 4) => new Float64Array(n).fill(v);

/** One EV-like member: expected demand ê, range [0, 10] kW, slope γ (EUR/MWh per kW); no PV, no base load. */
const platform = (id: string, expectedKw: number, slope: number): NegotiationPlatformData => ({
  platformId: id,
  index: platformIndex,
  members: [
    {
      baseNetKw: fill(0),
      flexibleExpectedKw: fill(expectedKw),
      flexibleMaxKw: fill(10),
      demandSlope: slope,
      pvKw: fill(0),
      curtailSlope: 1,
    },
  ],
  flatExportEurPerMwh: fill(40),
  netLoadScenariosKw: [fill(0)],
  independentSigmaKw: fill(0),
  correlatedSigmaKw: fill(0),
  rho: 10,
});

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
const options: GateOptions = {
  maxRounds: 400,
  roundSeconds: 10,
  gateDeadlineMinutes: 120,
  lossProbability: 0,
  maxDelayRounds: 0,
  seed: 5,
  toleranceKw: 1e-4,
  toleranceEurPerMwh: 1e-3,
  maxStaleRounds: 2,
  resendAfterRounds: 2,
};

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
});
