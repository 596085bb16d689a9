// Probabilistic dispatch on a small synthetic LV feeder: exact series reduction, the price structure (flat gap kept,
// fees = ν_buyer − ν_seller), the in-sample risk calibration, and input validation naming the field.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { KW_PER_MW } from '../../core/units.ts';
import { createNetwork } from '../../grid/create-network.ts';
import { solvePowerFlow } from '../power-flow/index.ts';
import {
  compareMechanisms,
  type LocationFlexibility,
  type ProbabilisticDispatchInput,
  reduceRadialNetwork,
  solveProbabilisticDispatch,
} from './index.ts';

/**
 * Source 1 – 2 – 3 – 4 (2, 3 bare cable joints), then 4 – 5 and 4 – 6 (households h5, h6) and 4 – 7 – 8 (joint 7,
 * household h8 at the far end). 0.416 kV, 1 MVA base; limits 0.94–1.06 p.u.; every cable rated 0.2 MVA.
 */
function feeder() {
  const bus = (id: number) => ({ id, baseKv: 0.416, vmMinPu: 0.94, vmMaxPu: 1.06 });
  const line = (id: number, fromBus: number, toBus: number) => ({
    id,
    fromBus,
    toBus,
    rPu: 0.03,
    xPu: 0.01,
    rateAMva: 0.2,
  });
  return createNetwork({
    name: 'tiny-lv',
    baseMva: 1,
    buses: [{ ...bus(1), type: 'slack' as const }, ...[2, 3, 4, 5, 6, 7, 8].map(bus)],
    generators: [{ id: 1, bus: 1, vmSetpointPu: 1 }],
    loads: [5, 6, 8].map((b) => ({ id: b, bus: b, pMw: 0.01, qMvar: 0.003 })),
    branches: [
      line(1, 1, 2),
      line(2, 2, 3),
      line(3, 3, 4),
      line(4, 4, 5),
      line(5, 4, 6),
      line(6, 4, 7),
      line(7, 7, 8),
    ],
  });
}

const T = 2;
const S = 20;
const locations = [5, 6, 8].map((b) => ({ locationId: `h${b}`, bus: b }));
// Interval 0: evening load; interval 1: 0.5 MW of PV at the far household (h8), enough to break 1.06 p.u.
const netLoadMw = Array.from({ length: T }, (_, t) =>
  Array.from({ length: S }, (_, s) => {
    const wiggle = 1 + 0.1 * Math.sin(1 + 7 * s + 3 * t);
    return t === 0
      ? Float64Array.from([0.02, 0.015, 0.02], (v) => v * wiggle)
      : Float64Array.from([0.005, 0.005, -0.5 * wiggle]);
  }),
);
const flexibility: LocationFlexibility[] = locations.map((_, l) => ({
  demandMaxMw: Float64Array.from([0.01, 0.01]),
  demandValueEurPerMwh: Float64Array.from([250, 250]),
  demandSlopeEurPerMw2h: 10_000,
  curtailMaxMw: Float64Array.from([0, l === 2 ? 0.5 : 0]),
  curtailSlopeEurPerMw2h: 200,
}));
const input: ProbabilisticDispatchInput = {
  network: feeder(),
  startUtc: '2024-06-12T00:00:00Z',
  intervalMinutes: 30,
  locations,
  netLoadMw,
  flexibility,
  energyPriceEurPerMwh: [90, 35],
  flatImportEurPerMwh: [240, 185],
  flatExportEurPerMwh: [70, 15],
  risk: 0.1,
};

describe('reduceRadialNetwork', () => {
  it('merges series chains of bare joints exactly (AC voltages and losses at kept buses)', () => {
    const network = feeder();
    const reduced = reduceRadialNetwork(network);
    expect(reduced.originalBusCount).toBe(8);
    expect(reduced.network.buses.map((b) => b.id)).toEqual([1, 4, 5, 6, 8]);
    expect(reduced.mergedBranches.get(1)).toEqual([1, 2, 3]);
    const full = solvePowerFlow(network);
    const small = solvePowerFlow(reduced.network);
    expect(Math.abs(full.lossesMw - small.lossesMw)).toBeLessThan(1e-12);
    const vm = new Map(full.buses.map((b) => [b.id, b.vmPu]));
    for (const b of small.buses) expect(Math.abs(b.vmPu - vm.get(b.id)!)).toBeLessThan(1e-9);
  });
});

describe('solveProbabilisticDispatch', async () => {
  const { schedule, diagnostics } = await solveProbabilisticDispatch(input);
  const nu = (id: string, t: number) =>
    schedule.locations.find((l) => l.locationId === id)!.importPriceEurPerKwh[t] -
    input.flatImportEurPerMwh[t] / KW_PER_MW;

  it('keeps the flat price gap and sets fees to the difference of the network components (EUR/kWh)', () => {
    expect(schedule.locations.map((l) => l.locationId)).toEqual(['h5', 'h6', 'h8']);
    for (const l of schedule.locations)
      for (let t = 0; t < T; t++)
        expect(l.importPriceEurPerKwh[t] - l.exportPriceEurPerKwh[t]).toBeCloseTo(
          (input.flatImportEurPerMwh[t] - input.flatExportEurPerMwh[t]) / KW_PER_MW,
          12,
        );
    for (const fee of schedule.fees)
      for (let t = 0; t < T; t++)
        expect(fee.feeEurPerKwh[t]).toBeCloseTo(nu(fee.buyerLocationId, t) - nu(fee.sellerLocationId, t), 12);
  });

  it('prices the far-end PV surplus down and stays within the risk level in sample', () => {
    expect(diagnostics.reducedBusCount).toBe(5);
    expect(diagnostics.scenarioCount).toBe(S);
    for (const d of diagnostics.intervals) {
      expect(d.status).toBe('optimal');
      expect(d.inSampleViolationFrequency).toBeLessThanOrEqual(input.risk);
    }
    // Overvoltage at h8 in interval 1: consuming there is worth less, so h8 is priced below h5 and curtails.
    expect(nu('h8', 1)).toBeLessThan(nu('h5', 1) - 0.001);
    expect(diagnostics.intervals[1].curtailMw[2]).toBeGreaterThan(0);
  });

  it('is a pure function of its data (same input, same result)', async () => {
    expect(await solveProbabilisticDispatch(input)).toEqual({ schedule, diagnostics });
  });

  it('lets the closed loop compare flat, DSO pricing and centralised dispatch on realised scenarios', async () => {
    const pvMw = netLoadMw.map((perScenario) => perScenario.map((n) => n.map((v) => Math.max(0, -v))));
    const rows = await compareMechanisms(input, { netLoadMw, pvMw }, schedule);
    const row = (m: string) => rows.find((r) => r.mechanism === m)!;
    expect(rows.map((r) => r.mechanism)).toEqual(['flat', 'dso-pricing', 'centralised']);
    expect(row('flat').anyViolationFrequency).toBeGreaterThan(input.risk);
    expect(row('dso-pricing').anyViolationFrequency).toBeLessThanOrEqual(input.risk);
    // Centralised dispatch is the efficiency bound; on this heavily loaded tiny feeder its linearised hard limits
    // leave about 1 % of thermal overload in AC.
    expect(row('centralised').totalCostEurPerDay).toBeLessThan(row('dso-pricing').totalCostEurPerDay);
    expect(row('centralised').worstThermalOverloadPercent).toBeLessThan(2);
    for (const r of rows) expect(r.nonConvergedSamples).toBe(0);
  });

  it('names the bad field', async () => {
    await expect(solveProbabilisticDispatch({ ...input, risk: 1.5 })).rejects.toThrow(InputError);
    await expect(solveProbabilisticDispatch({ ...input, risk: 1.5 })).rejects.toThrow(/^risk: must be in/);
    await expect(solveProbabilisticDispatch({ ...input, flatExportEurPerMwh: [70] })).rejects.toThrow(
      /^flatExportEurPerMwh: /,
    );
  });
});
