// DSO pricing study tests on the IEEE European LV feeder: exact series reduction, schedule structure, and a small
// closed-loop study (out of sample).
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../io/case-registry.ts';
import { solvePowerFlow } from '../../problems/power-flow/index.ts';
import { compareMechanisms, reduceRadialNetwork } from '../../problems/probabilistic-dispatch/index.ts';
import {
  buildLvStudy,
  priceLvStudy,
  RETAIL_EXPORT_MARGIN_EUR_PER_MWH,
  RETAIL_IMPORT_MARGIN_EUR_PER_MWH,
} from './lv-study.ts';

describe('reduceRadialNetwork', () => {
  it('merges series segments of the 906-bus IEEE LV feeder exactly (AC voltages and losses)', () => {
    const network = loadCase('ieee-european-lv');
    const reduced = reduceRadialNetwork(network);
    expect(reduced.originalBusCount).toBe(907);
    expect(reduced.network.buses.length).toBeLessThan(250);
    const full = solvePowerFlow(network);
    const small = solvePowerFlow(reduced.network);
    expect(Math.abs(full.lossesMw - small.lossesMw)).toBeLessThan(1e-12);
    const vm = new Map(full.buses.map((b) => [b.id, b.vmPu]));
    for (const bus of small.buses) expect(Math.abs(bus.vmPu - vm.get(bus.id)!)).toBeLessThan(1e-9);
  });
});

describe('DSO pricing closed loop (12 two-hour intervals, 20 pricing / 8 out-of-sample scenarios)', async () => {
  const risk = 0.1;
  const study = buildLvStudy({ stepMin: 120, pricingScenarios: 20, outOfSampleScenarios: 8 });
  const { schedule, diagnostics } = await priceLvStudy(study, risk);
  const rows = await compareMechanisms(study, study.outOfSample, schedule);
  const row = (m: string) => rows.find((r) => r.mechanism === m)!;

  it('keeps the flat price gap and sets fees to the difference of the network components', () => {
    const gap = (RETAIL_IMPORT_MARGIN_EUR_PER_MWH + RETAIL_EXPORT_MARGIN_EUR_PER_MWH) / 1000;
    for (const loc of schedule.locations) {
      loc.importPriceEurPerKwh.forEach((p, t) => {
        expect(p - loc.exportPriceEurPerKwh[t]).toBeCloseTo(gap, 12);
      });
    }
    const nu = (id: string, t: number) => {
      const loc = schedule.locations.find((l) => l.locationId === id)!;
      return loc.importPriceEurPerKwh[t] - study.flatImportEurPerMwh[t] / 1000;
    };
    expect(schedule.fees.length).toBeGreaterThan(0);
    for (const fee of schedule.fees.slice(0, 50)) {
      fee.feeEurPerKwh.forEach((f, t) => {
        expect(f).toBeCloseTo(nu(fee.buyerLocationId, t) - nu(fee.sellerLocationId, t), 12);
      });
    }
    for (const interval of diagnostics.intervals) {
      expect(interval.status).toBe('optimal');
      expect(interval.inSampleViolationFrequency).toBeLessThanOrEqual(risk);
    }
  });

  it('the flat tariff violates limits out of sample; DSO pricing stays within the risk; centralised none', () => {
    expect(row('flat').anyViolationFrequency).toBeGreaterThan(risk);
    expect(row('dso-pricing').anyViolationFrequency).toBeLessThanOrEqual(risk);
    expect(row('centralised').anyViolationFrequency).toBe(0);
  });

  it('the centralised dispatch is the efficiency bound (lowest cost)', () => {
    expect(row('centralised').totalCostEurPerDay).toBeLessThanOrEqual(
      row('dso-pricing').totalCostEurPerDay + 1e-6,
    );
    for (const r of rows) expect(r.nonConvergedSamples).toBe(0);
  });
});
