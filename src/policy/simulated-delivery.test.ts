// Stress hours, delivered capacity and CfD volumes from hand-made recorder rows; policy value rows.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import type { PlatformRow, ProsumerRow, TsoRow } from '../hierarchy/recorder.ts';
import { parsePolicyValue, policyValueRows } from '../value/policy-value.ts';
import { cfdIntervalsFromRun, platformDeliveryMw, stressHours } from './simulated-delivery.ts';

const hour = (h: number, m = 0) =>
  `2024-04-15T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00.000Z`;
const tso = (h: number, systemLoadMw: number, lmp: number) =>
  ({
    timeUtc: hour(h),
    dso: 'd',
    systemLoadMw,
    dayAheadLmpEurPerMwh: lmp,
    realTimeLmpEurPerMwh: lmp + 1,
  }) as TsoRow;
const platform = (h: number, m: number, kw: number) =>
  ({ timeUtc: hour(h, m), platform: 'p', replicas: 10, actualImportKw: kw }) as PlatformRow;

describe('simulated delivery', () => {
  it('picks the hours of highest system load', () => {
    expect(stressHours([tso(0, 100, 1), tso(1, 300, 1), tso(2, 200, 1), tso(3, 50, 1)], 2)).toEqual([
      hour(1),
      hour(2),
    ]);
  });

  it('delivered MW = mean over the hour of (baseline − run import) · replicas', () => {
    // Hour 1: baseline 50 and 70 kW, run 30 and 10 kW: mean reduction (20 + 60)/2 = 40 kW · 10 = 0.4 MW.
    const baseline = [platform(1, 0, 50), platform(1, 30, 70), platform(2, 0, 5)];
    const run = [platform(1, 0, 30), platform(1, 30, 10), platform(2, 0, 9)];
    const mw = platformDeliveryMw(baseline, run, 'p', [hour(1), hour(2)], 60);
    expect(mw[0]).toBeCloseTo(0.4, 12);
    expect(mw[1]).toBeCloseTo(-0.04, 12);
  });

  it('CfD volume = Σ (PV + battery)·Δt · replicas per hour, with that hour’s reference price', () => {
    // Two members at 30-min steps in hour 0: (2 + 1) + (3 − 1) kW over 0.5 h... = (3 + 2 + 4 + 0)·0.5 kWh.
    const row = (m: number, pvKw: number, batteryKw: number) =>
      ({ timeUtc: hour(0, m), platform: 'p', pvKw, batteryKw }) as ProsumerRow;
    const out = cfdIntervalsFromRun(
      {
        prosumer: [row(0, 2, 1), row(0, 3, -1), row(30, 4, 0), row(30, 0, 0)],
        tso: [tso(0, 1, 40)],
        platform: 'p',
        dso: 'd',
        replicas: 10,
        prosumerStepMin: 30,
        tsoStepMin: 60,
      },
      'real-time',
    );
    expect(out).toHaveLength(1);
    expect(out[0].referenceEurPerMwh).toBe(41);
    expect(out[0].volumeMwh).toBeCloseTo((9 * 0.5 * 10) / 1000, 12);
  });
});

describe('policy value rows (category viii)', () => {
  const value = parsePolicyValue({
    'cfd.json': {
      study: 's',
      platform: 'p',
      settlement: { strikeEurPerMwh: 35, netPaymentEur: -3.5, volumeMwh: 2 },
    },
  });
  it('gives the baseline 0 and each P2P run the mechanism’s value', () => {
    const [row] = policyValueRows(value, ['baseline', 'none']);
    expect(row.category).toBe('deferred generation/transmission');
    expect(row.values).toEqual({ baseline: 0, none: -3.5 });
  });
  it('names the file of a bad policy output', () => {
    expect(() => parsePolicyValue({ 'cfd.json': { study: 's' } })).toThrow(InputError);
    expect(() => parsePolicyValue({ 'cfd.json': { study: 's' } })).toThrow(/cfd\.json/);
  });
});
