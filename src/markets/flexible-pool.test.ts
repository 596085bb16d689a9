// Pool clearing over DER flexibility against a hand-solved platform (PV seller, battery, EV), the equilibrium
// property (each member's own HEMS at the clearing price reproduces its pool schedule's cost), money conservation,
// and bad input.
import { describe, expect, it } from 'vitest';
import { type ResolvedProfiles, resolveProsumer } from '../ders/prosumer-model.ts';
import { scheduleProsumer } from '../ders/schedule-prosumer.ts';
import { type ProsumerInput, prosumerSchema } from '../ders/schema.ts';
import { flatTariff } from '../ders/tariff.ts';
import { createTimeIndex } from '../time/time-index.ts';
import { clearFlexiblePool, type PoolMember } from './flexible-pool.ts';

const IMPORT = 0.3;
const EXPORT = 0.05;
const index = createTimeIndex({ startUtc: '2024-06-01T00:00:00Z', stepMin: 60, length: 2 });
const profiles: ResolvedProfiles = new Map([
  ['sun', Float64Array.of(1, 0)],
  ['evening', Float64Array.of(0, 1)],
]);
const member = (id: string, input: Omit<ProsumerInput, 'id' | 'network' | 'bus'>): PoolMember => ({
  model: resolveProsumer(prosumerSchema.parse({ id, network: 'lv', bus: 1, ...input }), index, profiles),
  tariff: flatTariff(2, IMPORT, EXPORT),
});

// A: 4 kW of PV in hour 0, no load. B: 2 kW of load in hour 1 and a 5 kWh battery, η = 0.95 each way.
// C: an EV plugged 00:00–02:00 that needs 3 kWh (η = 1).
const platform = (): PoolMember[] => [
  member('a', { pv: [{ id: 'pv', capacityKwp: 4, profile: 'sun' }] }),
  member('b', {
    loads: [{ id: 'l', profile: 'evening', scaleKw: 2 }],
    batteries: [
      {
        id: 'bat',
        energyKwh: 5,
        chargeKw: 5,
        dischargeKw: 5,
        chargeEfficiency: 0.95,
        dischargeEfficiency: 0.95,
        socMin: 0,
        socInitial: 0,
      },
    ],
  }),
  member('c', {
    evs: [
      {
        id: 'ev',
        capacityKwh: 40,
        chargerKw: 7,
        chargeEfficiency: 1,
        sessions: [
          {
            arrivalUtc: '2024-06-01T00:00:00Z',
            departureUtc: '2024-06-01T02:00:00Z',
            energyAtArrivalKwh: 0,
            energyAtDepartureKwh: 3,
          },
        ],
      },
    ],
  }),
];

describe('flexible pool clearing', () => {
  it('moves the battery and the EV onto the neighbour’s PV, at the hand-derived price and cost', async () => {
    const members = platform();
    // Without trading: A exports 4 kWh (−0.20), B buys 2 kWh at 0.30 (cycling the battery on flat prices only
    // loses energy), C buys 3 kWh (0.90): 1.30 EUR in all.
    const alone = await Promise.all(members.map((m) => scheduleProsumer(m.model, m.tariff)));
    const aloneCostEur = alone.reduce((sum, s) => sum + s.energyCostEur, 0);
    expect(aloneCostEur).toBeCloseTo(-0.2 + 0.6 + 0.9, 9);
    expect(alone[1].batteryKw.bat[0]).toBeCloseTo(0, 9);

    const pool = await clearFlexiblePool(members);
    expect(pool.status).toBe('optimal');
    // Hour 0: a kWh of PV saves 0.30 when it charges the EV and 0.30·0.95² = 0.27075 through B's battery, both
    // above export (0.05). The EV takes 3 kWh, the battery the last 1 kWh; demand is left over, so the price is
    // the marginal buyer's value: 0.27075 EUR/kWh.
    expect(pool.priceEurPerKwh[0]).toBeCloseTo(IMPORT * 0.95 * 0.95, 9);
    expect(pool.schedules[2].evChargeKw.ev[0]).toBeCloseTo(3, 9);
    expect(pool.schedules[1].batteryKw.bat[0]).toBeCloseTo(-1, 9);
    expect(pool.schedules[1].batteryKw.bat[1]).toBeCloseTo(0.9025, 9);
    expect(pool.schedules[0].exportKw[0]).toBeCloseTo(0, 9);
    // Only B imports: 2 − 0.9025 kWh in hour 1. Total 0.32925 EUR; saving 0.97075 EUR = 4 kWh kept local.
    expect(pool.totalCostEur).toBeCloseTo((2 - 0.9025) * IMPORT, 9);
    expect(aloneCostEur - pool.totalCostEur).toBeCloseTo(0.97075, 9);
    expect(pool.tradedKwh[0]).toBeCloseTo(4, 9);
    // B is the marginal buyer (no better off); C saves 3·(0.30 − 0.27075); A earns 0.27075 instead of 0.05.
    expect(pool.schedules[1].energyCostEur).toBeCloseTo(alone[1].energyCostEur, 9);
    expect(pool.schedules[2].energyCostEur).toBeCloseTo(3 * IMPORT * 0.95 * 0.95, 9);
    expect(pool.schedules[0].energyCostEur).toBeCloseTo(-4 * IMPORT * 0.95 * 0.95, 9);
  });

  it('warm-started from the basis of a clearing at other prices, reaches the hand-derived optimum', async () => {
    // Bid phase at a day-time import price of 0.10 (storing PV is then worth less than the battery losses), then
    // the plan at the flat 0.30 from that basis: the same 0.32925 EUR as the cold clearing above.
    const bid = platform().map((m) => ({ ...m, tariff: flatTariff(2, 0.1, EXPORT) }));
    const first = await clearFlexiblePool(bid);
    expect(first.basis?.colStatus.length).toBeGreaterThan(0);
    const pool = await clearFlexiblePool(platform(), {}, undefined, { basis: first.basis });
    expect(pool.status).toBe('optimal');
    expect(pool.totalCostEur).toBeCloseTo((2 - 0.9025) * IMPORT, 9);
    expect(pool.priceEurPerKwh[0]).toBeCloseTo(IMPORT * 0.95 * 0.95, 9);
    expect(pool.tradedKwh[0]).toBeCloseTo(4, 9);
  });

  it('is an equilibrium: each member’s own HEMS at the clearing price costs what the pool schedule costs', async () => {
    const members = platform();
    const pool = await clearFlexiblePool(members);
    for (const [i, m] of members.entries()) {
      const own = await scheduleProsumer(
        m.model,
        flatTariff(2, IMPORT, EXPORT, { priceEurPerKwh: pool.priceEurPerKwh }),
      );
      expect(own.objectiveEur).toBeCloseTo(pool.schedules[i].objectiveEur, 9);
    }
  });

  it('allocates trades that conserve energy and money (buyers pay what sellers receive)', async () => {
    const pool = await clearFlexiblePool(platform());
    const sold = pool.schedules.reduce((sum, s) => sum + s.p2pSellKw[0], 0);
    const traded = pool.trades.filter((t) => t.intervalIndex === 0).reduce((sum, t) => sum + t.eKwh, 0);
    expect(traded).toBeCloseTo(sold, 12);
    const paid = pool.trades.reduce((sum, t) => sum + t.eKwh * t.priceEurPerKwh, 0);
    const p2pCost = pool.schedules.reduce(
      (sum, s) => sum + (s.p2pBuyKw[0] - s.p2pSellKw[0]) * pool.priceEurPerKwh[0],
      0,
    );
    expect(paid).toBeCloseTo(4 * pool.priceEurPerKwh[0], 12);
    expect(p2pCost).toBeCloseTo(0, 12);
    expect(pool.trades.every((t) => t.buyerAccountId !== t.sellerAccountId)).toBe(true);
  });

  it('rejects members on different time indexes, duplicate ids and an empty pool', async () => {
    const members = platform();
    const other = resolveProsumer(
      prosumerSchema.parse({ id: 'd', network: 'lv', bus: 1 }),
      createTimeIndex({ startUtc: '2024-06-01T00:00:00Z', stepMin: 60, length: 3 }),
      profiles,
    );
    await expect(
      clearFlexiblePool([...members, { model: other, tariff: flatTariff(3, IMPORT, EXPORT) }]),
    ).rejects.toThrow(/members\[3\]\.model: has 3 intervals/);
    await expect(clearFlexiblePool([members[0], members[0]])).rejects.toThrow(/members\[1\]\.model\.id/);
    await expect(clearFlexiblePool([])).rejects.toThrow(/members/);
  });
});

describe('flexible pool within an agreed range (negotiation)', () => {
  // C alone, importing at 0.10 EUR/kWh in hour 0 and 0.30 in hour 1: unconstrained it charges all 3 kWh in hour 0.
  const cheapFirst = (): PoolMember[] => [
    {
      model: platform()[2].model,
      tariff: {
        importPriceEurPerKwh: Float64Array.of(0.1, 0.3),
        exportPriceEurPerKwh: Float64Array.of(0.05, 0.05),
      },
    },
  ];
  it('moves what the range does not allow into the next interval, at the hand-derived cost', async () => {
    const free = await clearFlexiblePool(cheapFirst());
    expect(-free.schedules[0].netInjectionKw[0]).toBeCloseTo(3, 6);
    // At most 1 kW in hour 0: 1 kWh at 0.10 + 2 kWh at 0.30 = 0.70 EUR.
    const capped = await clearFlexiblePool(
      cheapFirst(),
      {},
      { maxKw: [1, Infinity], minKw: [-Infinity, -Infinity] },
    );
    expect(capped.status).toBe('optimal');
    expect(-capped.schedules[0].netInjectionKw[0]).toBeCloseTo(1, 6);
    expect(-capped.schedules[0].netInjectionKw[1]).toBeCloseTo(2, 6);
    expect(capped.totalCostEur).toBeCloseTo(0.7, 6);
  });
  it('stays feasible when the range cannot hold the EV energy: the shortfall goes past the limit', async () => {
    // 3 kWh are needed, the range allows 1 + 1: one kWh is taken past a limit (the penalty is the same in both
    // hours, so the cheaper hour 0 takes it), and the EV still gets its energy.
    const pool = await clearFlexiblePool(cheapFirst(), {}, { maxKw: [1, 1], minKw: [0, 0] });
    expect(pool.status).toBe('optimal');
    const net = pool.schedules[0].netInjectionKw;
    expect(-net[0] - net[1]).toBeCloseTo(3, 6);
    expect(-net[0]).toBeCloseTo(2, 6);
  });
  it('rejects a range of the wrong length', async () => {
    await expect(clearFlexiblePool(cheapFirst(), {}, { maxKw: [1], minKw: [0] })).rejects.toThrow(/limits/);
  });
});
