// Real-time balancing: merit order up and down against dual imbalance prices, residual settlement (hand-derived).
import { describe, expect, it } from 'vitest';
import { dispatchBalancing, imbalanceChargeEur, imbalancePrices } from './balancing.ts';

const offer = (upKw: number, upPriceEurPerKwh: number, downKw: number, downPriceEurPerKwh: number) => ({
  upKw,
  upPriceEurPerKwh,
  downKw,
  downPriceEurPerKwh,
});

describe('balancing', () => {
  it('states dual imbalance prices and charges the residual', () => {
    const p = imbalancePrices(0.06, 0.05);
    expect(p.shortEurPerKwh).toBeCloseTo(0.11, 12);
    expect(p.longEurPerKwh).toBeCloseTo(0.01, 12);
    expect(imbalanceChargeEur(-2, p)).toBeCloseTo(-0.22, 12);
    expect(imbalanceChargeEur(2, p)).toBeCloseTo(0.02, 12);
    expect(() => imbalancePrices(0.06, -0.01)).toThrow(RangeError);
  });

  it('dispatches up offers cheapest first while cheaper than the short price', () => {
    // Short 3 kW, short price 0.15: B (0.08) gives 2, A (0.10) the last 1, C (0.20) is dearer than imbalance.
    const offers = [offer(2, 0.1, 0, 0), offer(2, 0.08, 0, 0), offer(5, 0.2, 0, 0)];
    const d = dispatchBalancing(-3, offers, { shortEurPerKwh: 0.15, longEurPerKwh: 0.01 });
    expect(Array.from(d.dispatchKw)).toEqual([1, 2, 0]);
    expect(d.residualKw).toBe(0);
    const notEnough = dispatchBalancing(-3, [offers[2]], { shortEurPerKwh: 0.15, longEurPerKwh: 0.01 });
    expect(Array.from(notEnough.dispatchKw)).toEqual([0]);
    expect(notEnough.residualKw).toBe(-3);
  });

  it('dispatches down bids highest first while above the long price', () => {
    // Long 4 kW, long price 0.03: A (bids 0.04) takes 1; B bids 0.02 < 0.03, so 3 kW stay long.
    const offers = [offer(0, 0, 1, 0.04), offer(0, 0, 2, 0.02)];
    const d = dispatchBalancing(4, offers, { shortEurPerKwh: 0.13, longEurPerKwh: 0.03 });
    expect(Array.from(d.dispatchKw)).toEqual([-1, 0]);
    expect(d.residualKw).toBe(3);
  });
});
