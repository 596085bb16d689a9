// Settlement between platforms: hand-derived charges and rebates, money conserved in the ledger, edge cases.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../ledger/ledger.ts';
import { computeInterPlatformSettlement, settleInterPlatformDay } from './inter-platform-settlement.ts';

// Two intervals of 30 min at π = 50 EUR/MWh.
// p1 (1 feeder): committed [100, 100] kW, actual [100, 60]: deviation 40 kW·0.5 h = 20 kWh = 0.02 MWh → charge 1 EUR.
// p2 (3 feeders): committed [50, 50] kW, actual [70, 50]: 3·20·0.5 = 30 kWh → charge 1.5 EUR.
// Committed energy weights: p1 100 + 100 = 200, p2 3·(50 + 50) = 300 → shares 0.4 / 0.6 of the 2.5 EUR pool:
// rebates 1.0 / 1.5 EUR, nets 0 / 0. With p2 deviating 60 kW instead (charge 4.5): pool 5.5, rebates 2.2 / 3.3,
// nets +1.2 / −1.2.
const day = (p2Actual: number[]) => ({
  dsoId: 'd',
  day: '2024-04-15',
  stepMin: 30,
  deviationPriceEurPerMwh: 50,
  platforms: [
    { platformId: 'p1', replicas: 1, committedKw: [100, 100], actualKw: [100, 60] },
    { platformId: 'p2', replicas: 3, committedKw: [50, 50], actualKw: p2Actual },
  ],
});

describe('settlement between platforms', () => {
  it('charges deviations and returns the pool pro rata to committed energy (hand values)', () => {
    const even = computeInterPlatformSettlement(day([70, 50]));
    expect(even.map((r) => r.chargeEur)).toEqual([expect.closeTo(1, 9), expect.closeTo(1.5, 9)]);
    expect(even.map((r) => r.netEur)).toEqual([expect.closeTo(0, 9), expect.closeTo(0, 9)]);
    const uneven = computeInterPlatformSettlement(day([110, 50]));
    expect(uneven[1].deviationMwh).toBeCloseTo(0.09, 9);
    expect(uneven[0].rebateEur).toBeCloseTo(2.2, 9);
    expect(uneven[0].netEur).toBeCloseTo(1.2, 9);
    expect(uneven[1].netEur).toBeCloseTo(-1.2, 9);
  });

  it('conserves money: the transaction sums to zero and the platforms net to zero in the ledger', () => {
    const ledger = new Ledger();
    const rows = settleInterPlatformDay(ledger, {
      ...day([71.3, 12.7]),
      platforms: [
        ...day([71.3, 12.7]).platforms,
        { platformId: 'p3', replicas: 7, committedKw: [-5, 3], actualKw: [1, 2] },
      ],
    });
    expect(rows.reduce((a, r) => a + r.netEur, 0)).toBeCloseTo(0, 9);
    expect(ledger.totalBalance()).toBe(0n);
    const platforms = ['p1', 'p2', 'p3'].reduce((a, id) => a + ledger.balanceOf(`platform:${id}`), 0n);
    expect(platforms + ledger.balanceOf('rounding-residual')).toBe(0n);
    expect(ledger.balanceOf('platform:p2')).toBeLessThan(0n);
  });

  it('moves no money with one platform or without deviations; equal shares when nothing was committed', () => {
    const ledger = new Ledger();
    const single = settleInterPlatformDay(ledger, {
      ...day([70, 50]),
      platforms: [day([70, 50]).platforms[0]],
    });
    expect(single[0].netEur).toBe(0);
    expect(ledger.hasAccount('platform:p1')).toBe(false);
    const base = day([50, 50]);
    const exact = computeInterPlatformSettlement({
      ...base,
      platforms: base.platforms.map((p) => ({ ...p, actualKw: p.committedKw })),
    });
    expect(exact.every((r) => r.chargeEur === 0 && r.netEur === 0)).toBe(true);
    const idle = computeInterPlatformSettlement({
      ...day([0, 0]),
      platforms: [
        { platformId: 'a', replicas: 1, committedKw: [0, 0], actualKw: [10, 0] },
        { platformId: 'b', replicas: 1, committedKw: [0, 0], actualKw: [0, 0] },
      ],
    });
    expect(idle.map((r) => r.netEur)).toEqual([expect.closeTo(-0.125, 9), expect.closeTo(0.125, 9)]);
  });
});
