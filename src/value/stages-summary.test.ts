// The report's stage account: every stage named, with the run's volumes counted over replicas.
import { describe, expect, it } from 'vitest';
import { type PlatformRow, SimulationRecorder, type TradeRow } from '../hierarchy/recorder.ts';
import { stagesHtml } from './stages-summary.ts';

describe('stagesHtml', () => {
  it('names the stages and states the rules and volumes (replicas counted)', () => {
    const rec = new SimulationRecorder(false);
    rec.platform.push(
      { platform: 'p', replicas: 3, imbalanceKwh: -0.5, balancingKwh: 0.2 } as unknown as PlatformRow,
      { platform: 'p', replicas: 3, imbalanceKwh: 1, balancingKwh: -0.1 } as unknown as PlatformRow,
    );
    rec.trades.push(
      { platform: 'p', eKwh: 2, stage: 'day-ahead' } as unknown as TradeRow,
      { platform: 'p', eKwh: 0.5, stage: 'intraday' } as unknown as TradeRow,
    );
    const html = stagesHtml(rec, {
      gateClosureMin: 60,
      isIntradayTrading: true,
      isBalancing: true,
      imbalanceSpreadEurPerMwh: 50,
      mediation: 'distribution-first',
    });
    for (const stage of ['planning', 'day-ahead', 'intraday', 'real-time balancing', 'settlement'])
      expect(html).toContain(`<dt>${stage}`);
    expect(html).toContain('6.0 kWh traded.'); // 2 kWh × 3 replicas day-ahead
    expect(html).toContain('1.5 kWh traded between members'); // 0.5 × 3 intraday
    expect(html).toContain('(0.9 kWh dispatched)'); // (0.2 + 0.1) × 3
    expect(html).toContain('(4.5 kWh in all)'); // (0.5 + 1) × 3
    expect(html).toContain('60 min before delivery');
    expect(html).toContain('λ + 50 EUR/MWh');
  });
});
