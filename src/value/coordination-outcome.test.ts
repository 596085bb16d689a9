// Welfare and violation counts from hand-built result tables (values derived by hand from the rows).
import { describe, expect, it } from 'vitest';
import { type DsoRow, type PlatformRow, SimulationRecorder, type TsoRow } from '../hierarchy/recorder.ts';
import { computeCoordinationOutcome, welfareGap } from './coordination-outcome.ts';

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

  it('gives the relative gap to a reference welfare', () => {
    expect(welfareGap(-102, -100)).toBeCloseTo(0.02, 12);
    expect(welfareGap(-100, -100)).toBe(0);
    expect(welfareGap(5, 0)).toBe(0);
  });
});
