// Both TSO/DSO mediation rules priced on a hand-solved conflict: a two-bus DC OPF with a DSO behind a congested line.
import { describe, expect, it } from 'vitest';
import { mediationCosts } from '../coordination/tso-dso-mediation.ts';
import { createNetwork } from '../grid/create-network.ts';
import { type FlexibleNode, solveDcOpfWithFlexibleNodes } from '../problems/opf/dc-opf-flexible-nodes.ts';
import { priceConflicts } from './mediation-costs.ts';

// Bus 1: G1 at 20 EUR/MWh; bus 2: G2 at 50 EUR/MWh and the DSO; the 1–2 line carries at most 8 MW.
const network = createNetwork({
  buses: [
    { id: 1, type: 'slack', baseKv: 220 },
    { id: 2, baseKv: 220 },
  ],
  generators: [
    { id: 'g1', bus: 1, pMaxMw: 100, cost: { kind: 'polynomial', c2PerMw2H: 0, c1PerMwh: 20, c0PerH: 0 } },
    { id: 'g2', bus: 2, pMaxMw: 100, cost: { kind: 'polynomial', c2PerMw2H: 0, c1PerMwh: 50, c0PerH: 0 } },
  ],
  branches: [{ id: 'l', fromBus: 1, toBus: 2, rPu: 0, xPu: 0.1, rateAMva: 8 }],
});
// The DSO: 4 MW fixed, 5 MW valued at 80 and 5 MW at 60 EUR/MWh; its network can take at most 10 MW.
const dso = (maxMw = 14): FlexibleNode => {
  const blocks = [
    { mw: 5, willingnessPerMwh: 80 },
    { mw: 5, willingnessPerMwh: 60 },
  ];
  let level = 4;
  return {
    id: 'dso',
    bus: 2,
    minMw: 4,
    blocks: blocks.map((b) => {
      const mw = Math.max(0, Math.min(b.mw, maxMw - level));
      level += b.mw;
      return { ...b, mw };
    }),
  };
};

describe('TSO/DSO mediation costs', () => {
  it('prices a conflict under both rules (hand-derived)', async () => {
    // Unbounded: every block is worth more than G2's 50, so the DSO takes 14 MW: 8 over the line from G1, 6 from
    // G2, LMP 50. Objective 8·20 + 6·50 − (5·80 + 5·60) = −240 EUR/h. Bounded to 10 MW: 8·20 + 2·50 − (5·80 +
    // 1·60) = −200 EUR/h. Distribution-first costs the TSO 40 EUR in the hour.
    const unbounded = await solveDcOpfWithFlexibleNodes(network, [dso()]);
    const bounded = await solveDcOpfWithFlexibleNodes(network, [dso(10)]);
    expect(unbounded.flexibleNodes[0].consumptionMw).toBeCloseTo(14, 6);
    expect(unbounded.flexibleNodes[0].lmpPerMwh).toBeCloseTo(50, 6);
    expect(unbounded.objectivePerH).toBeCloseTo(-240, 6);
    expect(bounded.objectivePerH).toBeCloseTo(-200, 6);
    const rows = await priceConflicts({
      rule: 'distribution-first',
      dsoIds: ['dso'],
      counters: [
        {
          type: 'counter',
          startUtc: '2024-04-15T00:00:00Z',
          stepMin: 60,
          minKw: [0],
          maxKw: [10_000],
          conflictIntervals: [0],
        },
      ],
      requestKw: () => unbounded.flexibleNodes[0].consumptionMw * 1000,
      unbounded: () => ({
        costPerH: unbounded.objectivePerH,
        lmpByDso: [unbounded.flexibleNodes[0].lmpPerMwh],
      }),
      boundedCostPerH: async () => bounded.objectivePerH,
      node: () => dso(),
      dtH: 1,
      imbalancePenaltyEurPerMwh: 50,
      inflexibleEurPerMwh: 3000,
      startUtc: '2024-04-15T00:00:00Z',
      stepMin: 60,
    });
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r.tsoRedispatchEur).toBeCloseTo(40, 6);
    // Transmission-first: the DSO curtails the 4 MW of its 60-EUR block above 10 MW, each MWh worth 60 − 50 more
    // than its price (40 EUR), and misses the schedule by 4 MWh at the 50 EUR/MWh penalty (200 EUR); following
    // the request instead would push 4 MWh through its limits.
    expect(r.dsoFlexibilityEur).toBeCloseTo(40, 6);
    expect(r.imbalanceEur).toBeCloseTo(200, 6);
    expect(r.violationKwh).toBeCloseTo(4000, 6);
    expect(r.timeUtc).toBe('2024-04-15T00:00:00.000Z');
  });

  it('prices a request below the range on the blocks not taken, and nothing outside a conflict', () => {
    // The TSO asks 5 MW (LMP 90 leaves the 80-EUR block at 1 MW) but the DSO cannot go below 7 MW: raising it
    // costs (90 − 80)·2 MWh = 20 EUR; 2 MWh would break the limits.
    const input = {
      requestedKw: 5000,
      minKw: 7000,
      maxKw: 12_000,
      dtH: 1,
      unboundedCostEurPerH: 0,
      boundedCostEurPerH: 25,
      lmpEurPerMwh: 90,
      baseKw: 4000,
      blocks: [
        { kw: 5000, valueEurPerMwh: 80 },
        { kw: 5000, valueEurPerMwh: 60 },
      ],
      imbalancePenaltyEurPerMwh: 50,
      inflexibleEurPerMwh: 3000,
    };
    const below = mediationCosts(input);
    expect(below.transmissionFirst.dsoFlexibilityEur).toBeCloseTo(20, 9);
    expect(below.transmissionFirst.violationKwh).toBeCloseTo(2000, 9);
    expect(below.transmissionFirst.imbalanceEur).toBeCloseTo(100, 9);
    expect(below.distributionFirst).toEqual({ tsoRedispatchEur: 25, violationKwh: 0 });
    // A range whose maximum (3 MW) lies below the 4 MW base sheds inflexible load: 1 MWh at |3000 − 50| plus the
    // 4 MWh of the 80-EUR block at |80 − 50|: 2950 + 120 = 3070 EUR.
    const shed = mediationCosts({ ...input, requestedKw: 8000, minKw: 0, maxKw: 3000, lmpEurPerMwh: 50 });
    expect(shed.transmissionFirst.dsoFlexibilityEur).toBeCloseTo(3070, 9);
    const inside = mediationCosts({ ...input, requestedKw: 8000, boundedCostEurPerH: 0 });
    expect(inside.transmissionFirst).toEqual({ dsoFlexibilityEur: 0, imbalanceEur: 0, violationKwh: 0 });
  });
});

describe('mediation in the engine (feeder transformers at 12 kVA, so TSO requests break distribution limits)', async () => {
  const { createCoordination } = await import('../coordination/index.ts');
  const { buildDefaultSystemStudy, resolveSystemStudy } = await import('../studies/system/index.ts');
  const { simulateSystem } = await import('./engine.ts');
  const study = buildDefaultSystemStudy({ households: 6, seed: 3 });
  const feeders = study.simulation!.feeders!.map((f) => ({ ...f, transformerKva: 12 }));
  const runs = await Promise.all(
    (['distribution-first', 'transmission-first'] as const).map(async (mediation) => {
      const model = resolveSystemStudy({ ...study, simulation: { ...study.simulation, feeders, mediation } });
      return simulateSystem(model, { coordination: createCoordination('none'), recordProsumers: false });
    }),
  );

  it('prices every conflict under both rules, whichever is in force', () => {
    for (const run of runs) {
      const rec = run.recorder;
      expect(rec.mediation.length).toBeGreaterThan(0);
      expect(rec.mediationCosts).toHaveLength(rec.mediation.length);
      for (const c of rec.mediationCosts) {
        // A bounded optimum is never cheaper than the unbounded one.
        expect(c.tsoRedispatchEur).toBeGreaterThanOrEqual(-1e-6);
        const clipped = Math.min(Math.max(c.requestedKw, c.minKw), c.maxKw);
        expect(c.violationKwh).toBeCloseTo(Math.abs(c.requestedKw - clipped), 6);
        expect(c.imbalanceEur).toBeCloseTo((c.violationKwh / 1000) * 50, 6);
      }
    }
    const [df, tf] = runs.map((r) => r.recorder.mediationCosts);
    expect(tf.map((c) => c.timeUtc)).toEqual(df.map((c) => c.timeUtc));
  });

  it('holds the DSO range under distribution-first and the request under transmission-first', () => {
    const [df, tf] = runs.map((r) => r.recorder);
    for (const c of df.mediationCosts) {
      const row = df.tso.find((t) => t.timeUtc === c.timeUtc && t.dso === c.dso)!;
      expect(row.dayAheadMw * 1000).toBeGreaterThanOrEqual(c.minKw - 1e-3);
      expect(row.dayAheadMw * 1000).toBeLessThanOrEqual(c.maxKw + 1e-3);
    }
    for (const c of tf.mediationCosts) {
      const row = tf.tso.find((t) => t.timeUtc === c.timeUtc && t.dso === c.dso)!;
      expect(row.dayAheadMw).toBeCloseTo(row.requestedMw, 6);
    }
  });
});
