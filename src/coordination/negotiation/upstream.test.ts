// Nested negotiation: MV rows across feeders and a TSO line limit reach the hand-derived optimum, also when lossy.
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../grid/create-network.ts';
import { resamplePower } from '../../time/resample.ts';
import { createTimeIndex } from '../../time/time-index.ts';
import type { NegotiationDsoData } from './dso-agent.ts';
import { projectOntoBoxAndHalfSpaces } from './projection.ts';
import { type GateOptions, runNegotiationGate, TSO_NEGOTIATION_ADDRESS } from './run-negotiation.ts';
import { evPlatform, TEST_GATE_OPTIONS } from './test-fixtures.ts';
import type { TsoNegotiationData } from './tso-agent.ts';

const START = '2024-04-15T00:00:00.000Z';
const index = (stepMin: number, length: number) => createTimeIndex({ startUtc: START, stepMin, length });
const fill = (n: number, v: number) => new Float64Array(n).fill(v);

const platform = (id: string, expectedKw: number, slope: number, n: number) =>
  evPlatform(id, expectedKw, slope, index(15, n));

const feeder = (id: string, replicas: number, n: number) => ({
  platformId: id,
  address: `platform/${id}`,
  replicas,
  loKw: fill(n, -50),
  hiKw: fill(n, 50),
  rho: 10,
});

const options: GateOptions = { ...TEST_GATE_OPTIONS, maxRounds: 600, gateDeadlineMinutes: 200 };

// W_j(x) = −γ_j/2·(x − ê_j)² with (ê, γ) = (4, 10) and (6, 20). Maximising W_1 + W_2 subject to a·x ≤ b gives
// γ_j(ê_j − x_j) = μ·a_j: x_1 = 4 − μ/10, x_2 = 6 − μ·a_2/20.
describe('MV rows in the DSO feasible set', () => {
  it('an MV branch row over two feeders (x1 + ½x2 ≤ 5) binds at the hand optimum', async () => {
    // x1 + ½x2 = 7 − 9μ/80 = 5 → μ = 160/9; x1 = 4 − 16/9, x2 = 6 − 4/9; λ_j = μ·a_j.
    const mu = 160 / 9;
    const dso: NegotiationDsoData = {
      index: index(30, 1),
      feeders: [feeder('p1', 1, 1), feeder('p2', 1, 1)],
      rows: [{ label: 'mv:branch', intervals: [0], coefficients: [1, 0.5], upper: 5 }],
    };
    const r = await runNegotiationGate(
      dso,
      [platform('p1', 4, 10, 2), platform('p2', 6, 20, 2)],
      options,
      START,
    );
    expect(r.status).toBe('converged');
    expect(r.acceptedKw[0][0]).toBeCloseTo(4 - mu / 10, 2);
    expect(r.acceptedKw[1][0]).toBeCloseTo(6 - mu / 40, 2);
    expect(r.priceEurPerMwh[0][0]).toBeCloseTo(mu, 1);
    expect(r.priceEurPerMwh[1][0]).toBeCloseTo(mu / 2, 1);
    // The committed box keeps the row at its worst corner.
    expect(r.highKw[0][0] + 0.5 * r.highKw[1][0]).toBeLessThanOrEqual(5 + 1e-6);
  });

  it('projects exactly: KKT of min Σ w/2 (z − v)² over a box and two rows (hand solution)', () => {
    // v = (3, 3), w = (1, 2), rows z1 + z2 ≤ 4 and z1 ≤ 1.5, box [0, 10]: with both rows active z = (1.5, 2.5);
    // multipliers from stationarity: 2(3 − 2.5) = μ1 → μ1 = 1; (3 − 1.5) = μ1 + μ2 → μ2 = 0.5.
    const p = projectOntoBoxAndHalfSpaces(
      [3, 3],
      [1, 2],
      [0, 0],
      [10, 10],
      [
        { coefficients: [1, 1], upper: 4 },
        { coefficients: [1, 0], upper: 1.5 },
      ],
    );
    expect(p.z[0]).toBeCloseTo(1.5, 8);
    expect(p.z[1]).toBeCloseTo(2.5, 8);
    expect(p.multipliers[0]).toBeCloseTo(1, 6);
    expect(p.multipliers[1]).toBeCloseTo(0.5, 6);
    // A row the box cannot meet: z at the box end, reported violation.
    const q = projectOntoBoxAndHalfSpaces([3], [1], [2], [10], [{ coefficients: [1], upper: 1 }]);
    expect(q.z[0]).toBe(2);
    expect(q.maxViolation).toBeCloseTo(1, 12);
  });
});

// DSO at bus 2 of a two-bus system: a generator at bus 1 (10 EUR/MWh), line 1–2 rated 7 MVA, other load at bus 2
// 0 MW in hour 0 and 2 MW in hour 1. Two feeders of 1000 replicas want 10 MW in total: the line binds, the DSO
// may import 7 and 5 MW, i.e. x1 + x2 = 7 and 5 kW per replica pair in every 30-min interval of the hour.
// Hour 0: μ = 3/0.15 = 20 → x = (2, 5); hour 1: μ = 5/0.15 = 33.3 → x = (0.667, 4.333).
describe('DSO ↔ TSO negotiation', () => {
  const tso: TsoNegotiationData = {
    network: createNetwork({
      baseMva: 100,
      buses: [
        { id: 1, type: 'slack', baseKv: 230 },
        { id: 2, type: 'pq', baseKv: 230 },
      ],
      generators: [
        {
          id: 1,
          bus: 1,
          pMinMw: 0,
          pMaxMw: 100,
          cost: { kind: 'polynomial', c2PerMw2H: 0, c1PerMwh: 10, c0PerH: 0 },
        },
      ],
      loads: [{ id: 1, bus: 2, pMw: 0 }],
      branches: [{ id: 1, fromBus: 1, toBus: 2, rPu: 0, xPu: 0.1, rateAMva: 7 }],
    }),
    dsoBus: 2,
    index: index(60, 2),
    loadsMw: [new Map([['2', 0]]), new Map([['2', 2]])],
    wholesaleEurPerMwh: [40, 40],
  };
  const dso: NegotiationDsoData = {
    index: index(30, 4),
    feeders: [feeder('p1', 1000, 4), feeder('p2', 1000, 4)],
    upstream: { address: TSO_NEGOTIATION_ADDRESS, index: index(60, 2), gspOffsetKw: fill(4, 0) },
  };
  const platforms = [platform('p1', 4, 10, 8), platform('p2', 6, 20, 8)];
  const hand = [
    [2, 5],
    [4 - 100 / 30, 6 - 100 / 60],
  ];

  it('binds the TSO line limit: the DSO positions equal the hand optimum, energy conserved 30 → 60 min', async () => {
    const r = await runNegotiationGate(dso, platforms, options, START, tso);
    expect(r.status).toBe('converged');
    for (let t = 0; t < 4; t++) {
      const h = Math.floor(t / 2);
      expect(r.acceptedKw[0][t]).toBeCloseTo(hand[h][0], 2);
      expect(r.acceptedKw[1][t]).toBeCloseTo(hand[h][1], 2);
    }
    const up = r.upstream!;
    expect(up.answers).toBeGreaterThanOrEqual(2);
    expect(up.acceptedKw[0]).toBeCloseTo(7000, 3);
    expect(up.acceptedKw[1]).toBeCloseTo(5000, 3);
    // The hourly position the TSO agreed is the energy of the two 30-min intervals (resamplePower, by hand 7000).
    const hourly = resamplePower(r.aggregateKw, dso.index, tso.index);
    expect(hourly[0]).toBeCloseTo((r.aggregateKw[0] + r.aggregateKw[1]) / 2, 9);
    expect(hourly[0]).toBeCloseTo(7000, 0);
    expect(hourly[1]).toBeCloseTo(5000, 0);
  });

  it('terminates at the same optimum with 10 % message loss and delays of up to two rounds', async () => {
    const r = await runNegotiationGate(
      dso,
      platforms,
      { ...options, lossProbability: 0.1, maxDelayRounds: 2, seed: 9 },
      START,
      tso,
    );
    expect(r.status).toBe('converged');
    expect(r.lostMessages).toBeGreaterThan(0);
    expect(r.rounds).toBeLessThan(options.maxRounds);
    for (let t = 0; t < 4; t++) {
      const h = Math.floor(t / 2);
      expect(r.acceptedKw[0][t]).toBeCloseTo(hand[h][0], 1);
      expect(r.acceptedKw[1][t]).toBeCloseTo(hand[h][1], 1);
    }
  });
});
