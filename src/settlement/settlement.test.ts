// Settlement rules: hand-computed trade, fee, imbalance and deviation legs; every posted transaction sums to zero.
import { describe, expect, it } from 'vitest';
import { Ledger } from '../ledger/ledger.ts';
import {
  describeTrade,
  deviationLegs,
  deviationPenaltyEur,
  formatEurPerKwh,
  formatKwh,
  type Leg,
  platformFeeLegs,
  settleImbalance,
  type TradeToSettle,
  tradeLegs,
} from './index.ts';

const sum = (legs: readonly Leg[]) => legs.reduce((a, l) => a + l.amountEur, 0);
const amounts = (legs: readonly Leg[]) => legs.map((l) => [l.accountId, Number(l.amountEur.toFixed(12))]);

const trade: TradeToSettle = {
  buyerAccountId: 'b',
  sellerAccountId: 's',
  eKwh: 2,
  priceEurPerKwh: 0.1,
  feeEurPerKwh: 0.02,
};

describe('trade and fee rules', () => {
  it('buyer pays energy × (price + fee), seller gets energy × price, the DSO the fee', () => {
    // 2 kWh · (0.1 + 0.02) = 0.24; 2 · 0.1 = 0.2; 2 · 0.02 = 0.04.
    expect(amounts(tradeLegs(trade, 'dso'))).toEqual([
      ['b', -0.24],
      ['s', 0.2],
      ['dso', 0.04],
    ]);
    // A negative pair fee (buyer at a cheaper location than the seller) is paid by the DSO to the buyer.
    expect(amounts(tradeLegs({ ...trade, feeEurPerKwh: -0.01 }, 'dso'))).toEqual([
      ['b', -0.18],
      ['s', 0.2],
      ['dso', -0.02],
    ]);
  });

  it('charges the platform fee per purchase and pays the platform the total', () => {
    const legs = platformFeeLegs(
      [
        { buyerAccountId: 'b1', eKwh: 1 },
        { buyerAccountId: 'b2', eKwh: 3 },
      ],
      0.002,
      'platform',
    );
    expect(amounts(legs)).toEqual([
      ['b1', -0.002],
      ['b2', -0.006],
      ['platform', 0.008],
    ]);
  });

  it('describes trades with rounded energy and prices', () => {
    expect(describeTrade({ ...trade, eKwh: 0.013500000000000005, priceEurPerKwh: 0.162278387 })).toBe(
      '0.0135 kWh s → b at 0.162278387 EUR/kWh',
    );
    expect(describeTrade(trade, { showFee: true })).toBe('2 kWh s → b at 0.1 EUR/kWh, fee 0.02 EUR/kWh');
    expect(formatKwh(-0.0000001)).toBe('0 kWh');
    expect(formatEurPerKwh(0.0036827752628499997)).toBe('0.003682775 EUR/kWh');
  });
});

describe('imbalance rule', () => {
  it('with the DSO as only counterparty: surplus at the export price, shortfall at the import price', () => {
    // Surplus 1.5 kWh at 0.05: the member receives 0.075 from the DSO.
    const surplus = settleImbalance(
      'm',
      [{ imbalanceKwh: 1.5, importPriceEurPerKwh: 0.3, exportPriceEurPerKwh: 0.05 }],
      { networkAccountId: 'dso' },
    );
    expect(amounts(surplus.legs)).toEqual([
      ['m', 0.075],
      ['dso', -0.075],
    ]);
    // Shortfall 2 kWh at 0.3: the member pays 0.6 to the DSO.
    const shortfall = settleImbalance(
      'm',
      [{ imbalanceKwh: -2, importPriceEurPerKwh: 0.3, exportPriceEurPerKwh: 0.05 }],
      { networkAccountId: 'dso' },
    );
    expect(shortfall.memberPaysEur).toBeCloseTo(0.6, 12);
    expect(amounts(shortfall.legs)).toEqual([
      ['m', -0.6],
      ['dso', 0.6],
    ]);
  });

  it('with a retailer: the energy part to the retailer, the rest (network charge, locational adder) to the DSO', () => {
    // Interval 1: shortfall 2 kWh at import 0.25 (energy 0.13 = wholesale 0.10 + margin 0.03).
    // Interval 2: surplus 1 kWh at export 0.07 (energy 0.07 = wholesale 0.10 − margin 0.03).
    // Member pays 2·0.25 − 1·0.07 = 0.43; retailer 2·0.13 − 1·0.07 = 0.19; DSO 0.43 − 0.19 = 0.24.
    const day = settleImbalance(
      'm',
      [
        {
          imbalanceKwh: -2,
          importPriceEurPerKwh: 0.25,
          exportPriceEurPerKwh: 0.07,
          energyImportPriceEurPerKwh: 0.13,
          energyExportPriceEurPerKwh: 0.07,
        },
        {
          imbalanceKwh: 1,
          importPriceEurPerKwh: 0.25,
          exportPriceEurPerKwh: 0.07,
          energyImportPriceEurPerKwh: 0.13,
          energyExportPriceEurPerKwh: 0.07,
        },
      ],
      { networkAccountId: 'dso', energyAccountId: 'retailer' },
    );
    expect(day.memberPaysEur).toBeCloseTo(0.43, 12);
    expect(day.energyEur).toBeCloseTo(0.19, 12);
    expect(amounts(day.legs)).toEqual([
      ['m', -0.43],
      ['retailer', 0.19],
      ['dso', 0.24],
    ]);
  });
});

describe('deviation rule', () => {
  it('charges only what lies outside the band, in either direction', () => {
    // |12 MW| − 10 MW = 2 MW for 1 h at 50 EUR/MWh = 100 EUR; |−15| − 10 = 5 MW for 0.5 h = 125 EUR.
    expect(deviationPenaltyEur(12, 10, 1, 50)).toBe(100);
    expect(deviationPenaltyEur(-15, 10, 0.5, 50)).toBe(125);
    expect(deviationPenaltyEur(8, 10, 1, 50)).toBe(0);
    expect(amounts(deviationLegs('platform-a', 'platform-b', 100))).toEqual([
      ['platform-a', -100],
      ['platform-b', 100],
    ]);
  });
});

describe('money conservation', () => {
  it('every transaction and the ledger sum to exactly zero after rounding', () => {
    const ledger = new Ledger();
    for (const id of ['b', 's', 'dso', 'retailer', 'platform', 'm']) ledger.openAccount(id, 'agent');
    // Energies and prices that do not round evenly to the micro-euro.
    for (let i = 1; i <= 50; i++) {
      const t: TradeToSettle = {
        ...trade,
        eKwh: i / 7,
        priceEurPerKwh: 0.1 + i / 3e4,
        feeEurPerKwh: (i - 25) / 9e3,
      };
      const legs = tradeLegs(t, 'dso');
      expect(Math.abs(sum(legs))).toBeLessThan(1e-15);
      ledger.postRoundedTransaction(`trade/${i}`, describeTrade(t), legs);
      ledger.postRoundedTransaction(`fee/${i}`, 'fee', platformFeeLegs([t], 0.002, 'platform'));
      const imbalance = settleImbalance(
        'm',
        [
          {
            imbalanceKwh: (i - 25) / 11,
            importPriceEurPerKwh: 0.27 + i / 1e5,
            exportPriceEurPerKwh: 0.04,
            energyImportPriceEurPerKwh: 0.13,
            energyExportPriceEurPerKwh: 0.07,
          },
        ],
        { networkAccountId: 'dso', energyAccountId: 'retailer' },
      );
      ledger.postRoundedTransaction(`imbalance/${i}`, 'imbalance', imbalance.legs);
    }
    for (const t of ledger.transactions)
      expect(t.postings.reduce((a, p) => a + p.amountMicroEur, 0n)).toBe(0n);
    expect(ledger.totalBalance()).toBe(0n);
  });
});
