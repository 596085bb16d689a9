// Tests of DER models and prosumer scheduling against hand-derived optima, bounds and energy balances.
import { describe, expect, it } from 'vitest';
import { priceScheduleSchema } from '../core/price-schedule.ts';
import { createTimeIndex, dayTimeIndex } from '../time/time-index.ts';
import { baselineSchedule } from './baseline.ts';
import { bidCurve, flexibilityOffer } from './flexibility.ts';
import { airSourceCop, nextIndoorC } from './heat-pump.ts';
import { type ResolvedProfiles, resolveProsumer } from './prosumer-model.ts';
import { scheduleProsumers, scheduleProsumersInThread } from './schedule-batch.ts';
import { scheduleProsumer } from './schedule-prosumer.ts';
import { type ProsumerInput, prosumerSchema } from './schema.ts';
import { flatTariff, tariffFromPriceSchedule } from './tariff.ts';

const hourly = (length: number) => createTimeIndex({ startUtc: '2024-01-15T00:00:00Z', stepMin: 60, length });
const model = (
  input: Omit<ProsumerInput, 'id' | 'network' | 'bus'>,
  length: number,
  profiles: ResolvedProfiles,
) =>
  resolveProsumer(
    prosumerSchema.parse({ id: 'p', network: 'lv', bus: 1, ...input }),
    hourly(length),
    profiles,
  );

const twoHourBattery = (importPrices: number[]) => {
  // 10 kW load in two 1-h intervals; battery 10 kWh, 5 kW, η_c = η_d = 0.95 (round trip 0.9025), empty at both ends.
  const m = model(
    {
      loads: [{ id: 'l', profile: 'flat', scaleKw: 10 }],
      batteries: [
        { id: 'b', energyKwh: 10, chargeKw: 5, dischargeKw: 5, socMin: 0, socMax: 1, socInitial: 0 },
      ],
    },
    2,
    new Map([['flat', Float64Array.of(1, 1)]]),
  );
  return { m, tariff: flatTariff(2, importPrices, 0) };
};

describe('battery scheduling', () => {
  it('arbitrages when the price ratio exceeds 1/round-trip efficiency (0.24/0.20 = 1.2 > 1/0.9025)', async () => {
    const { m, tariff } = twoHourBattery([0.2, 0.24]);
    const s = await scheduleProsumer(m, tariff);
    expect(s.status).toBe('optimal');
    // Charge 5 kW for 1 h → 4.75 kWh stored → 4.5125 kWh delivered in hour 2.
    expect(s.batteryKw.b[0]).toBeCloseTo(-5, 6);
    expect(s.batteryEnergyKwh.b[0]).toBeCloseTo(4.75, 6);
    expect(s.batteryKw.b[1]).toBeCloseTo(4.5125, 6);
    expect(s.batteryEnergyKwh.b[1]).toBeCloseTo(0, 6);
    // 15 kWh at 0.20 + 5.4875 kWh at 0.24 = 4.317 EUR (idle: 4.40 EUR).
    expect(s.energyCostEur).toBeCloseTo(4.317, 6);
    // Energy balance including losses: ΔE = η_c·E_ch − E_dis/η_d = 0; losses = 5 − 4.5125 = 0.4875 kWh.
    const charged = -s.batteryKw.b[0];
    const discharged = s.batteryKw.b[1];
    expect(0.95 * charged - discharged / 0.95).toBeCloseTo(s.batteryEnergyKwh.b[1] - 0, 6);
    expect(charged - discharged).toBeCloseTo(0.4875, 6);
  });

  it('does not cycle when the spread is below the round-trip loss (0.21/0.20 = 1.05 < 1.108)', async () => {
    const { m, tariff } = twoHourBattery([0.2, 0.21]);
    const s = await scheduleProsumer(m, tariff);
    expect(s.status).toBe('optimal');
    expect(Math.abs(s.batteryKw.b[0])).toBeLessThan(1e-7);
    expect(Math.abs(s.batteryKw.b[1])).toBeLessThan(1e-7);
    expect(s.energyCostEur).toBeCloseTo(4.1, 9);
  });

  it('keeps SoC and power within bounds, balances every interval and returns to the final SoC', async () => {
    const n = 24;
    const prices = Array.from({ length: n }, (_, k) => 0.1 + 0.3 * Math.abs(Math.sin(k / 3)));
    // 8 kWh, 3 kW in / 2.5 kW out, lossy both ways (round trip 0.765).
    const lossyBattery = {
      id: 'b',
      energyKwh: 8,
      chargeKw: 3,
      dischargeKw: 2.5,
      chargeEfficiency: 0.9,
      dischargeEfficiency: 0.85,
    };
    const m = model(
      {
        loads: [{ id: 'l', profile: 'load', scaleKw: 2 }],
        pv: [{ id: 'pv', capacityKwp: 5, profile: 'pv' }],
        batteries: [lossyBattery],
      },
      n,
      new Map([
        ['load', Float64Array.from({ length: n }, (_, k) => 0.5 + 0.5 * Math.cos(k / 4) ** 2)],
        ['pv', Float64Array.from({ length: n }, (_, k) => Math.max(0, Math.sin(((k - 6) / 12) * Math.PI)))],
      ]),
    );
    const s = await scheduleProsumer(m, flatTariff(n, prices, 0.04));
    expect(s.status).toBe('optimal');
    let energy = 4; // socInitial 0.5 × 8 kWh
    let ch = 0;
    let dis = 0;
    for (let k = 0; k < n; k++) {
      const p = s.batteryKw.b[k];
      expect(p).toBeGreaterThanOrEqual(-3 - 1e-7);
      expect(p).toBeLessThanOrEqual(2.5 + 1e-7);
      energy += p < 0 ? -p * 0.9 : -p / 0.85;
      if (p < 0) ch -= p;
      else dis += p;
      expect(s.batteryEnergyKwh.b[k]).toBeCloseTo(energy, 6);
      expect(s.batteryEnergyKwh.b[k]).toBeGreaterThanOrEqual(0.8 - 1e-7);
      expect(s.batteryEnergyKwh.b[k]).toBeLessThanOrEqual(7.2 + 1e-7);
      const balance = s.pvKw.pv[k] + p - m.fixedLoadKw[k] + s.importKw[k] - s.exportKw[k];
      expect(balance).toBeCloseTo(0, 6);
    }
    expect(s.batteryEnergyKwh.b[n - 1]).toBeGreaterThanOrEqual(4 - 1e-6);
    // Over the horizon: E_end − E_0 = 0.9·charged − discharged/0.85 (losses are the difference of the two).
    expect(s.batteryEnergyKwh.b[n - 1] - 4).toBeCloseTo(0.9 * ch - dis / 0.85, 6);
  });
});

describe('EV scheduling', () => {
  it('meets the departure energy, charges only while plugged and in the cheapest hours', async () => {
    // Plugged 01:00–05:00 (intervals 1–4), 10 → 30 kWh, 7 kW, η 0.92: needs 20/0.92 = 21.739 kWh from the grid.
    const prices = [0.1, 0.3, 0.1, 0.12, 0.25, 0.05];
    const m = model(
      {
        evs: [
          {
            id: 'ev',
            capacityKwh: 50,
            chargerKw: 7,
            sessions: [
              {
                arrivalUtc: '2024-01-15T01:00:00Z',
                departureUtc: '2024-01-15T05:00:00Z',
                energyAtArrivalKwh: 10,
                energyAtDepartureKwh: 30,
              },
            ],
          },
        ],
      },
      6,
      new Map(),
    );
    const s = await scheduleProsumer(m, flatTariff(6, prices, 0));
    expect(s.status).toBe('optimal');
    const p = s.evChargeKw.ev;
    expect(p[0]).toBe(0);
    expect(p[5]).toBe(0);
    expect(s.evEnergyKwh.ev[4]).toBeCloseTo(30, 6);
    // Plugged hours by price: 0.10 (k=2), 0.12 (k=3), 0.25 (k=4) at the 7 kW limit = 21 kWh; the remaining
    // 21.739 − 21 = 0.739 kWh in the dearest plugged hour 0.30 (k=1).
    expect(p[2]).toBeCloseTo(7, 6);
    expect(p[3]).toBeCloseTo(7, 6);
    expect(p[4]).toBeCloseTo(7, 6);
    expect(p[1]).toBeCloseTo(20 / 0.92 - 21, 6);
  });

  it('holds an autonomy milestone (80 % by 03:00) whatever the price, and a purchased-share limit', async () => {
    // Plugged 00:00–06:00 from 10 kWh, needs 30 kWh at departure; night hours dear, morning cheap.
    const prices = [0.4, 0.4, 0.4, 0.1, 0.1, 0.1];
    const ev = {
      id: 'ev',
      capacityKwh: 50,
      chargerKw: 11,
      chargeEfficiency: 1,
      sessions: [
        {
          arrivalUtc: '2024-01-15T00:00:00Z',
          departureUtc: '2024-01-15T06:00:00Z',
          energyAtArrivalKwh: 10,
          energyAtDepartureKwh: 30,
        },
      ],
    };
    const free = await scheduleProsumer(model({ evs: [ev] }, 6, new Map()), flatTariff(6, prices, 0));
    expect(free.evEnergyKwh.ev[2]).toBeCloseTo(10, 6); // waits for the cheap hours
    const milestone = model(
      {
        evs: [ev],
        preferences: {
          autonomy: { evMilestones: [{ evId: 'ev', byUtc: '2024-01-15T03:00:00Z', socMin: 0.8 }] },
        },
      },
      6,
      new Map(),
    );
    const s = await scheduleProsumer(milestone, flatTariff(6, prices, 0));
    // 0.8 × 50 = 40 kWh by the end of interval 2 (02:00–03:00): 30 kWh bought at 0.40 whatever the price.
    expect(s.evEnergyKwh.ev[2]).toBeCloseTo(40, 6);
    expect(s.energyCostEur).toBeCloseTo(30 * 0.4, 6);
    // Purchased share: with 4 kWp PV and 2 kW load, buying at most 50 % of consumption forces PV self-use.
    const pvHome = model(
      {
        loads: [{ id: 'l', profile: 'flat', scaleKw: 2 }],
        pv: [{ id: 'pv', capacityKwp: 4, profile: 'sun' }],
        batteries: [
          {
            id: 'b',
            energyKwh: 10,
            chargeKw: 5,
            dischargeKw: 5,
            socMin: 0,
            socMax: 1,
            socInitial: 0,
            socFinal: 0,
          },
        ],
        preferences: { autonomy: { maxPurchasedShare: 0.5 } },
      },
      4,
      new Map([
        ['flat', Float64Array.of(1, 1, 1, 1)],
        ['sun', Float64Array.of(1, 1, 0, 0)],
      ]),
    );
    const shared = await scheduleProsumer(pvHome, flatTariff(4, 0.1, 0.08));
    const bought = shared.importKw.reduce((a, b) => a + b, 0);
    // Consumption = 8 kWh of load + battery charging energy (1-h intervals).
    const charged = shared.batteryKw.b.reduce((a, p) => a + Math.max(0, -p), 0);
    expect(bought).toBeLessThanOrEqual(0.5 * (8 + charged) + 1e-6);
  });

  it('reports an unreachable requirement as infeasible, not as an exception', async () => {
    const m = model(
      {
        evs: [
          {
            id: 'ev',
            capacityKwh: 50,
            chargerKw: 3,
            sessions: [
              {
                arrivalUtc: '2024-01-15T00:00:00Z',
                departureUtc: '2024-01-15T02:00:00Z',
                energyAtArrivalKwh: 0,
                energyAtDepartureKwh: 40,
              },
            ],
          },
        ],
      },
      2,
      new Map(),
    );
    const s = await scheduleProsumer(m, flatTariff(2, 0.2, 0));
    expect(s.status).toBe('infeasible');
  });
});

describe('heat pump', () => {
  it('uses the Staffell et al. (2012) COP regression: ΔT = 40 K → 2.978', () => {
    expect(airSourceCop(0, 40)).toBeCloseTo(6.81 - 0.121 * 40 + 0.00063 * 1600, 12);
    expect(airSourceCop(35, 40)).toBeCloseTo(6.81 - 0.121 * 15 + 0.00063 * 225, 12); // lift clamped at 15 K
  });

  it('holds the comfort band; at flat prices it rides the lower bound at the steady-state power', async () => {
    // θout = 0 °C, R = 10 K/kW, COP 3: holding 20 °C needs 2 kW heat = 2/3 kW electric in every hour.
    const n = 12;
    const spec = {
      heatPumps: [
        {
          id: 'hp',
          electricKw: 3,
          thermalCapacityKwhPerK: 5,
          thermalResistanceKPerKw: 10,
          indoorInitialC: 20,
          comfortMinC: 20,
          comfortMaxC: 22,
          outdoorProfile: 'out',
          cop: 3,
        },
      ],
    };
    const profiles = new Map([['out', new Float64Array(n)]]);
    const flat = await scheduleProsumer(model(spec, n, profiles), flatTariff(n, 0.2, 0));
    for (let k = 0; k < n; k++) {
      expect(flat.heatPumpKw.hp[k]).toBeCloseTo(2 / 3, 6);
      expect(flat.indoorC.hp[k]).toBeCloseTo(20, 6);
    }
    // Cheap first half, dear second half: pre-heat to the upper bound, never leave the band.
    const prices = Array.from({ length: n }, (_, k) => (k < 6 ? 0.05 : 0.4));
    const m = model(spec, n, profiles);
    const s = await scheduleProsumer(m, flatTariff(n, prices, 0));
    let indoor = 20;
    for (let k = 0; k < n; k++) {
      const t = s.indoorC.hp[k];
      expect(t).toBeGreaterThanOrEqual(20 - 1e-6);
      expect(t).toBeLessThanOrEqual(22 + 1e-6);
      indoor = nextIndoorC(indoor, 0, s.heatPumpKw.hp[k], 3, 1, 10, 5);
      expect(t).toBeCloseTo(indoor, 6);
    }
    expect(Math.max(...s.indoorC.hp)).toBeCloseTo(22, 6);
    expect(s.energyCostEur).toBeLessThan(flat.energyCostEur);
  });
});

const households = (count: number) => {
  const index = dayTimeIndex('2024-01-15', 30);
  const n = index.length;
  const profiles = new Map([
    ['load', Float64Array.from({ length: n }, (_, k) => 0.3 + 0.6 * Math.sin((k / n) * Math.PI) ** 2)],
    ['pv', Float64Array.from({ length: n }, (_, k) => Math.max(0, Math.sin(((k - 14) / 20) * Math.PI)))],
    ['out', Float64Array.from({ length: n }, (_, k) => 2 + 4 * Math.sin((k / n) * Math.PI))],
  ]);
  const prices = Array.from({ length: n }, (_, k) => (k >= 34 && k < 40 ? 0.35 : k < 14 ? 0.15 : 0.25));
  // P2P price midway between retail import and export, buyer pays a 0.02 EUR/kWh fee.
  const tariff = flatTariff(n, prices, 0.05, {
    priceEurPerKwh: prices.map((p) => (p + 0.05) / 2),
    feeEurPerKwh: 0.02,
  });
  return Array.from({ length: count }, (_, i) => {
    const spec = prosumerSchema.parse({
      id: `h${i}`,
      network: 'lv',
      bus: 1,
      loads: [{ id: 'l', profile: 'load', scaleKw: 1 + (i % 3) * 0.2 }],
      pv: [{ id: 'pv', capacityKwp: 3 + (i % 4), profile: 'pv' }],
      batteries: [{ id: 'b', energyKwh: 10, chargeKw: 5, dischargeKw: 5, degradationEurPerKwh: 0.02 }],
      evs: [
        {
          id: 'ev',
          capacityKwh: 60,
          chargerKw: 7,
          sessions: [
            {
              arrivalUtc: '2024-01-15T00:00:00Z',
              departureUtc: '2024-01-15T07:00:00Z',
              energyAtArrivalKwh: 20,
              energyAtDepartureKwh: 40,
            },
          ],
        },
      ],
      heatPumps: [
        {
          id: 'hp',
          electricKw: 3,
          thermalCapacityKwhPerK: 5,
          thermalResistanceKPerKw: 8,
          indoorInitialC: 20,
          comfortMinC: 19,
          comfortMaxC: 23,
          outdoorProfile: 'out',
        },
      ],
      shiftableLoads: [
        {
          id: 'wm',
          energyKwh: 1.5,
          maxKw: 2,
          earliestStartUtc: '2024-01-15T08:00:00Z',
          latestEndUtc: '2024-01-15T20:00:00Z',
        },
      ],
    });
    return { model: resolveProsumer(spec, index, profiles), tariff };
  });
};

describe('tariff checks', () => {
  it('takes a location slice of a PriceSchedule, averaging 15-min prices onto 30-min intervals', () => {
    const schedule = priceScheduleSchema.parse({
      startUtc: '2024-01-15T00:00:00Z',
      intervalMinutes: 15,
      intervalCount: 4,
      locations: [
        {
          locationId: 'bus-7',
          importPriceEurPerKwh: [0.2, 0.3, 0.1, 0.1],
          exportPriceEurPerKwh: [0, 0, 0.04, 0.06],
        },
      ],
      fees: [{ buyerLocationId: 'bus-7', sellerLocationId: 'bus-7', feeEurPerKwh: [0.01, 0.03, 0.02, 0.02] }],
    });
    const index = createTimeIndex({ startUtc: '2024-01-15T00:00:00Z', stepMin: 30, length: 2 });
    const t = tariffFromPriceSchedule(schedule, 'bus-7', index, { priceEurPerKwh: 0.08 });
    expect([...t.importPriceEurPerKwh]).toEqual([0.25, 0.1]);
    expect(t.exportPriceEurPerKwh[1]).toBeCloseTo(0.05, 12);
    expect(t.p2p?.feeEurPerKwh[0]).toBeCloseTo(0.02, 12);
    expect(() => tariffFromPriceSchedule(schedule, 'nowhere', index)).toThrow(/nowhere/);
  });

  it('rejects a tariff that would let the LP cycle energy through the meter, naming the interval', async () => {
    const { m } = twoHourBattery([0.2, 0.24]);
    await expect(
      scheduleProsumer(m, flatTariff(2, [0.2, 0.1], 0.05, { priceEurPerKwh: 0.15 })),
    ).rejects.toThrow(/tariff\[1\]/);
  });
});

describe('prosumer with all DERs', () => {
  it('costs no more than the inflexible baseline, and the flexibility envelope contains the schedule', async () => {
    const [job] = households(1);
    const s = await scheduleProsumer(job.model, job.tariff);
    expect(s.status).toBe('optimal');
    const base = baselineSchedule(job.model, job.tariff);
    expect(s.objectiveEur).toBeLessThanOrEqual(base.energyCostEur + 1e-9);
    expect(s.evEnergyKwh.ev[13]).toBeGreaterThanOrEqual(40 - 1e-6);
    expect(s.shiftableKw.wm.reduce((a, b) => a + b, 0) * 0.5).toBeCloseTo(1.5, 6);
    const offer = flexibilityOffer(job.model, s);
    for (let k = 0; k < 48; k++) {
      expect(offer.minKw[k]).toBeLessThanOrEqual(offer.baseKw[k] + 1e-9);
      expect(offer.maxKw[k]).toBeGreaterThanOrEqual(offer.baseKw[k] - 1e-9);
      expect(offer.minKw[k]).toBeGreaterThanOrEqual(-17 - 1e-9);
    }
    // The battery alone gives 5 kW of headroom somewhere; bids carry the marginal value of energy.
    const widths = Array.from(offer.maxKw, (v, k) => v - offer.minKw[k]);
    expect(Math.max(...widths)).toBeGreaterThan(5);
    const bids = bidCurve(offer, 20);
    expect(bids.length).toBeGreaterThan(0);
    expect(bids[0].limitPriceEurPerKwh).toBeCloseTo(offer.marginalValueEurPerKwh[20], 12);
  });

  it('a quadratic net-power penalty (QP) flattens the net power and costs at least the LP optimum', async () => {
    const [job] = households(1);
    const lp = await scheduleProsumer(job.model, job.tariff);
    const qp = await scheduleProsumer(job.model, job.tariff, { netPowerQuadraticEurPerKw2H: 0.05 });
    expect(qp.status).toBe('optimal');
    expect(qp.objectiveEur).toBeGreaterThanOrEqual(lp.objectiveEur - 1e-6);
    const peak = (a: Float64Array) => Math.max(...Array.from(a, Math.abs));
    expect(peak(qp.netInjectionKw)).toBeLessThanOrEqual(peak(lp.netInjectionKw) + 1e-6);
  });

  it('batch scheduling in worker threads matches scheduling in this thread', async () => {
    const jobs = households(24);
    const progress: number[] = [];
    const inWorkers = await scheduleProsumers(jobs, {
      workers: 2,
      chunkSize: 6,
      onProgress: (d) => progress.push(d),
    });
    const inThread = await scheduleProsumersInThread(jobs, { blockSize: 1 });
    expect(inWorkers.map((s) => s.id)).toEqual(jobs.map((j) => j.model.id));
    for (let i = 0; i < jobs.length; i++) {
      expect(inWorkers[i].status).toBe('optimal');
      expect(inWorkers[i].objectiveEur).toBeCloseTo(inThread[i].objectiveEur, 6);
    }
    expect(progress.at(-1)).toBe(24);
  });
});
