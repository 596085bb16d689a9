// Welfare and violation counts from hand-built result tables (values derived by hand from the rows).
import { describe, expect, it } from 'vitest';
import type { Network } from '../grid/schema.ts';
import { type DsoRow, type PlatformRow, SimulationRecorder, type TsoRow } from '../hierarchy/recorder.ts';
import { computeCoordinationOutcome, feederVoltageBands, welfareGap } from './coordination-outcome.ts';
import { coordinationValueRows, summariseCoordinationRun } from './coordination-table.ts';

const tso = (timeUtc: string, dso: string, cost: number) =>
  ({ timeUtc, dso, generationCostEurPerH: cost }) as unknown as TsoRow;
const platform = (vmMinPu: number, vmMaxPu: number, transformerLoadingPercent: number) =>
  ({ vmMinPu, vmMaxPu, transformerLoadingPercent }) as unknown as PlatformRow;
const dso = (vmMinPu: number, vmMaxPu: number, maxLoadingPercent: number) =>
  ({ vmMinPu, vmMaxPu, maxLoadingPercent }) as unknown as DsoRow;

describe('coordination outcome', () => {
  it('sums the real-time generation cost once per hour (two DSOs repeat it) and counts violations', () => {
    const r = new SimulationRecorder(false);
    r.tso.push(tso('2024-04-15T00:00:00.000Z', 'a', 1000), tso('2024-04-15T00:00:00.000Z', 'b', 1000));
    r.tso.push(tso('2024-04-15T01:00:00.000Z', 'a', 1500), tso('2024-04-15T01:00:00.000Z', 'b', 1500));
    r.platform.push(platform(0.95, 1.02, 80), platform(0.89, 1.0, 101), platform(0.97, 1.11, 99));
    r.dso.push(dso(0.98, 1.0, 100), dso(0.98, 1.0, 100.5), dso(0.899, 1.0, 50));
    const o = computeCoordinationOutcome(r);
    // 1000 EUR/h · 1 h + 1500 EUR/h · 1 h.
    expect(o.generationCostEur).toBe(2500);
    expect(o.welfareEur).toBe(-2500);
    expect(o.lvVoltageViolationIntervals).toBe(2);
    expect(o.lvThermalViolationIntervals).toBe(1);
    expect(o.mvViolationIntervals).toBe(2);
  });

  it('is zero for an empty run and uses the hour spacing of the rows (30-min TSO step)', () => {
    expect(computeCoordinationOutcome(new SimulationRecorder(false)).welfareEur).toBe(-0);
    const r = new SimulationRecorder(false);
    r.tso.push(tso('2024-04-15T00:00:00.000Z', 'a', 100), tso('2024-04-15T00:30:00.000Z', 'a', 300));
    expect(computeCoordinationOutcome(r).generationCostEur).toBe(200);
  });

  it('counts LV voltage against each feeder’s own band when given (UK 0.94–1.10 p.u.)', () => {
    const r = new SimulationRecorder(false);
    const row = (platformId: string, vmMinPu: number) =>
      ({
        platform: platformId,
        vmMinPu,
        vmMaxPu: 1.0,
        transformerLoadingPercent: 10,
      }) as unknown as PlatformRow;
    r.platform.push(row('uk', 0.93), row('uk', 0.95), row('eu', 0.93));
    expect(computeCoordinationOutcome(r).lvVoltageViolationIntervals).toBe(0);
    const network = {
      buses: [
        { vmMinPu: 0.9, vmMaxPu: 1.1 },
        { vmMinPu: 0.94, vmMaxPu: 1.1 },
      ],
    } as unknown as Network;
    const bands = feederVoltageBands([{ platformId: 'uk', network }]);
    expect(bands.get('uk')).toEqual({ vmMinPu: 0.94, vmMaxPu: 1.1 });
    expect(computeCoordinationOutcome(r, undefined, bands).lvVoltageViolationIntervals).toBe(1);
  });

  it('gives the relative gap to a reference welfare', () => {
    expect(welfareGap(-102, -100)).toBeCloseTo(0.02, 12);
    expect(welfareGap(-100, -100)).toBe(0);
    expect(welfareGap(5, 0)).toBe(0);
  });
});

describe('coordination runs table', () => {
  const run = (coordination: string, cost: number, notConvergedGates?: number) => {
    const r = new SimulationRecorder(false);
    r.tso.push(tso('2024-04-15T00:00:00.000Z', 'a', cost));
    return summariseCoordinationRun({
      coordination,
      recorder: r,
      lossesMwh: 1,
      messages: 10,
      bytes: 100,
      rounds: 3,
      wallS: 0.5,
      notConvergedGates,
    });
  };

  it('puts welfare, its gap to centralised and the counts side by side', () => {
    const runs = [run('none', 1020), run('negotiation', 1010, 0), run('centralised', 1000)];
    expect(runs[1]).toMatchObject({ welfareEur: -1010, negotiationStatus: 'converged', messages: 10 });
    expect(runs[0].negotiationStatus).toBeUndefined();
    const rows = coordinationValueRows(runs);
    const gap = rows.find((r) => r.metric === 'welfare gap to centralised')!;
    // (−1000 − (−1020)) / 1000 = 2 %, (−1000 − (−1010)) / 1000 = 1 %.
    expect(gap.values.none).toBeCloseTo(2, 12);
    expect(gap.values.negotiation).toBeCloseTo(1, 12);
    expect(gap.values.centralised).toBe(0);
    expect(rows.map((r) => r.metric)).toContain('bytes');
    expect(run('negotiation', 1, 2).negotiationStatus).toBe('not_converged');
  });

  it('counts every violation interval of a run in violationIntervals', () => {
    const r = new SimulationRecorder(false);
    r.tso.push(tso('2024-04-15T00:00:00.000Z', 'a', 1));
    // LV: one voltage-only, one thermal-only, one both; MV: one overloaded → 2 + 2 + 1 = 5.
    r.platform.push(platform(0.85, 1, 50), platform(1, 1, 120), platform(0.85, 1, 120), platform(1, 1, 50));
    r.dso.push(dso(1, 1, 130), dso(1, 1, 50));
    const s = summariseCoordinationRun({
      coordination: 'none',
      recorder: r,
      lossesMwh: 0,
      messages: 0,
      bytes: 0,
      rounds: 0,
      wallS: 0,
    });
    expect(s.violationIntervals).toBe(5);
  });

  it('has no gap row without a centralised run', () => {
    const rows = coordinationValueRows([run('none', 5)]);
    expect(rows.some((r) => r.metric === 'welfare gap to centralised')).toBe(false);
  });
});
