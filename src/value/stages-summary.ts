// The report's account of the market stages a simulated day goes through, with the charted run's own volumes.
import type { SimulationRecorder } from '../hierarchy/recorder.ts';
import type { SimulationConfig } from '../hierarchy/simulation-config.ts';
import { escapeHtml } from './escape-html.ts';

/** Stage rules stated in the report (from the study's `simulation` section). */
export interface StageRules {
  readonly gateClosureMin: number;
  readonly isIntradayTrading: boolean;
  readonly isBalancing: boolean;
  readonly imbalanceSpreadEurPerMwh: number;
  readonly mediation: string;
}

export const stageRules = (c: SimulationConfig): StageRules => ({
  gateClosureMin: c.intraday.gateClosureMin,
  isIntradayTrading: c.intraday.trading,
  isBalancing: c.balancing.enabled,
  imbalanceSpreadEurPerMwh: c.balancing.imbalanceSpreadEurPerMwh,
  mediation: c.mediation,
});

const kwh = (v: number) => `${v.toFixed(1)} kWh`;

/** One paragraph per stage: what happens, the rule, and the charted run's volumes (simulated feeders × replicas). */
export function stagesHtml(rec: SimulationRecorder, rules: StageRules): string {
  let dayAheadKwh = 0;
  let intradayKwh = 0;
  const replicas = new Map(rec.platform.map((r) => [r.platform, r.replicas]));
  for (const t of rec.trades) {
    const e = t.eKwh * (replicas.get(t.platform) ?? 1);
    if (t.stage === 'intraday') intradayKwh += e;
    else dayAheadKwh += e;
  }
  let imbalanceKwh = 0;
  let balancingKwh = 0;
  for (const r of rec.platform) {
    imbalanceKwh += Math.abs(r.imbalanceKwh) * r.replicas;
    balancingKwh += Math.abs(r.balancingKwh) * r.replicas;
  }
  const items: [string, string][] = [
    [
      'planning',
      rec.planning.length > 0
        ? `Before the first day the plan's upgraded ratings are loaded into the networks (${rec.planning.filter((r) => r.isApplied).length} applied).`
        : 'No plan loaded (simulate --plan DIR loads the upgrades of gridnest plan --out before the first day).',
    ],
    [
      'day-ahead (D−1 10:00–14:00)',
      `Members plan together over their DER flexibility, envelopes go up to the DSO and the TSO, the TSO clears hourly DC OPFs (mediation rule ${rules.mediation}), prices come down and each platform clears its P2P market: ${kwh(dayAheadKwh)} traded.`,
    ],
    [
      'intraday (D−1 23:00 to gate closure)',
      rules.isIntradayTrading
        ? `Actual load and PV are drawn; members re-forecast every hour and trade their deviations on the platform's continuous order book until ${rules.gateClosureMin} min before delivery, the DSO's prices as the outside option; the rest goes to the DSO and the platform's updated position up to the TSO: ${kwh(intradayKwh)} traded between members.`
        : 'Actual load and PV are drawn and one re-forecast goes up; members do not trade intraday (positions stay day-ahead).',
    ],
    [
      'real-time balancing (D 00:00 onward)',
      `Members follow their plan shifted by their intraday trades, batteries absorb deviations; ${rules.isBalancing ? `in each interval's last step the platform dispatches the batteries' remaining headroom against its imbalance in merit order (${kwh(balancingKwh)} dispatched), and ` : ''}the residual (${kwh(imbalanceKwh)} in all) is settled at dual imbalance prices: short pays λ + ${rules.imbalanceSpreadEurPerMwh} EUR/MWh, long receives λ − ${rules.imbalanceSpreadEurPerMwh} EUR/MWh, λ the wholesale price at the grid supply point.`,
    ],
    [
      'settlement (D+1 06:00)',
      'Every stage is booked in the ledger and each stage sums to zero: day-ahead P2P trades and fees, intraday fills and DSO trades, balancing pay-as-bid and imbalance, each member’s retail bill on metered energy net of all its positions, DSO and wholesale settlement.',
    ],
  ];
  return `<dl id="stages">${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}
