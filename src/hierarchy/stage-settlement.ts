// A platform's intraday and real-time money: intraday P2P and DSO trades, balancing dispatch, residual imbalance.
import type { Ledger } from '../ledger/ledger.ts';
import { imbalanceChargeEur, imbalancePrices } from '../markets/balancing.ts';
import { type ImbalanceInterval, settleImbalance } from '../settlement/index.ts';
import type { IntradayTrades, MemberPlans, Meter } from './compact-series.ts';
import { accountIds } from './settlement-accounts.ts';

export interface StageDay {
  readonly day: string;
  readonly platformId: string;
  readonly dsoId: string;
  readonly replicas: number;
  readonly stepMin: number;
  /** Members' day-ahead planned net injection (kW per interval) and their prices. */
  readonly plans: MemberPlans;
  readonly intraday?: IntradayTrades;
  readonly meters: readonly Meter[];
  /** Wholesale price at the platform step (EUR/MWh) and the imbalance spread δ (EUR/MWh). */
  readonly wholesaleEurPerMwh: readonly number[];
  readonly imbalanceSpreadEurPerMwh: number;
  /** Energy and network parts of the DSO's prices: energy at wholesale ± margin → retailer, the rest → DSO. */
  readonly retailMarginEurPerKwh: number;
  /** The intraday fills already posted when they arrived (lean runs, `settleIntradayPeerTrades`). */
  readonly peersSettled?: StageSettlement;
}

export interface StageSettlement {
  /** Per member: energy sold forward in intraday and real time (kWh per interval), to net off the retail bill. */
  readonly positionKwh: Map<string, Float64Array>;
  /** Per member: money paid in these stages (EUR, + paid by the member) and energy bought / sold from peers (kWh). */
  readonly paidEur: Map<string, number>;
  readonly peerBoughtKwh: Map<string, number>;
  readonly peerSoldKwh: Map<string, number>;
  /** The platform's imbalance against its position to the DSO per interval (kWh, + long), after balancing. */
  readonly imbalanceKwh: Float64Array;
}

/**
 * The platform's imbalance in interval k (kWh, + long): members' metered net injection minus its position to the
 * DSO, the day-ahead plan plus what members sold to the DSO intraday (peer trades cancel; balancing is metered).
 */
export function platformImbalanceKwh(
  meters: readonly Meter[],
  plans: MemberPlans,
  intraday: IntradayTrades | undefined,
  k: number,
): number {
  const dt = plans.stepMin / 60;
  let e = 0;
  for (const m of meters) e += m.netInjectionKw[k] * dt;
  for (const m of plans.members) e -= m.netInjectionKw[k] * dt;
  for (const m of intraday?.members ?? []) e -= m.dsoSoldKwh[k];
  return Math.abs(e) < 1e-9 ? 0 : e;
}

const add = (map: Map<string, number>, key: string, v: number) => map.set(key, (map.get(key) ?? 0) + v);

/** An empty stage settlement of a day of n platform intervals. */
export const newStageSettlement = (n: number): StageSettlement => ({
  positionKwh: new Map(),
  paidEur: new Map(),
  peerBoughtKwh: new Map(),
  peerSoldKwh: new Map(),
  imbalanceKwh: new Float64Array(n),
});

/**
 * Post the intraday fills between members, one transaction per interval (buyer → seller at the fill price), and
 * add the money and energy to `out`. Lean runs call it when the trades arrive, so no fill is kept to settlement.
 */
export function settleIntradayPeerTrades(
  ledger: Ledger,
  prefix: string,
  trades: IntradayTrades['trades'],
  out: StageSettlement,
): void {
  const ids = accountIds;
  const byInterval = new Map<number, typeof trades>();
  for (const t of trades) {
    if (!byInterval.has(t.interval)) byInterval.set(t.interval, []);
    byInterval.get(t.interval)!.push(t);
  }
  for (const [k, interval] of byInterval) {
    const legs = new Map<string, number>();
    for (const t of interval) {
      const [b, s] = [ids.prosumer(t.buyer), ids.prosumer(t.seller)];
      add(legs, b, -t.eKwh * t.priceEurPerKwh);
      add(legs, s, t.eKwh * t.priceEurPerKwh);
      add(out.paidEur, b, t.eKwh * t.priceEurPerKwh);
      add(out.paidEur, s, -t.eKwh * t.priceEurPerKwh);
      add(out.peerBoughtKwh, b, t.eKwh);
      add(out.peerSoldKwh, s, t.eKwh);
    }
    ledger.postRoundedTransaction(
      `${prefix}/intraday/p2p/${k}`,
      `intraday continuous trading, interval ${k}`,
      [...legs].map(([accountId, amountEur]) => ({ accountId, amountEur })),
    );
  }
}

/**
 * Post the intraday and real-time stages of one platform day, every transaction zero-sum:
 * - `intraday/p2p/k`: each fill, buyer → seller at the fill price;
 * - `intraday/dso/<member>`: what the member sold to (bought from) the DSO at gate closure, at its import /
 *   export price (energy part at wholesale ± margin → retailer, the rest → DSO);
 * - `balancing/k`: the platform pays each dispatched member its bid (pay-as-bid; negative when it charged);
 * - `imbalance/k`: the platform's residual imbalance Σ metered − Σ (plan + DSO intraday) − balancing… settled
 *   with the area's retailer (balance-responsible party) at dual prices λ ± δ around the wholesale price λ.
 * The feeder's replicas are the same again: (replicas − 1) × the members' legs go to their replica account,
 * replicas × the platform's imbalance to the retailer (peer trades cancel among replica customers).
 */
export function settleStages(ledger: Ledger, d: StageDay): StageSettlement {
  const ids = accountIds;
  const platform = ids.platform(d.platformId);
  const retailer = ids.retailer(d.dsoId);
  const dso = ids.dso(d.dsoId);
  const replica = ids.replicaCustomers(d.platformId);
  const n = 1440 / d.stepMin;
  const prefix = `${d.day}/${d.platformId}`;
  const out = d.peersSettled ?? newStageSettlement(n);
  const position = (id: string) => {
    if (!out.positionKwh.has(id)) out.positionKwh.set(id, new Float64Array(n));
    return out.positionKwh.get(id)!;
  };
  const replicaLegs = new Map<string, number>();
  const addReplica = (account: string, eur: number) => add(replicaLegs, account, eur * (d.replicas - 1));
  const wholesale = d.wholesaleEurPerMwh.map((w) => w / 1000);
  const priceOf = new Map(d.plans.members.map((m) => [m.id, m]));
  const id = d.intraday;
  if (id) {
    if (!d.peersSettled) settleIntradayPeerTrades(ledger, prefix, id.trades, out);
    for (const m of id.members) {
      const account = ids.prosumer(m.id);
      const pos = position(account);
      const p = priceOf.get(m.id)!;
      const intervals: ImbalanceInterval[] = [];
      for (let k = 0; k < n; k++) {
        pos[k] += m.peerSoldKwh[k] + m.dsoSoldKwh[k];
        if (m.dsoSoldKwh[k] === 0) continue;
        intervals.push({
          imbalanceKwh: m.dsoSoldKwh[k],
          importPriceEurPerKwh: p.importPriceEurPerKwh[k],
          exportPriceEurPerKwh: p.exportPriceEurPerKwh[k],
          energyImportPriceEurPerKwh: wholesale[k] + d.retailMarginEurPerKwh,
          energyExportPriceEurPerKwh: wholesale[k] - d.retailMarginEurPerKwh,
        });
      }
      if (intervals.length === 0) continue;
      const bill = settleImbalance(account, intervals, { networkAccountId: dso, energyAccountId: retailer });
      ledger.postRoundedTransaction(
        `${prefix}/intraday/dso/${m.id}`,
        `intraday trades of ${m.id} with the DSO at gate closure`,
        bill.legs,
      );
      add(out.paidEur, account, bill.memberPaysEur);
      for (const leg of bill.legs)
        addReplica(leg.accountId === account ? replica : leg.accountId, leg.amountEur);
    }
  }
  for (let k = 0; k < n; k++) {
    const legs: { accountId: string; amountEur: number }[] = [];
    let platformPays = 0;
    for (const meter of d.meters) {
      const eKwh = meter.balancingKwh?.[k] ?? 0;
      if (eKwh === 0) continue;
      const account = ids.prosumer(meter.id);
      const eur = meter.balancingEur![k];
      position(account)[k] += eKwh;
      legs.push({ accountId: account, amountEur: eur });
      add(out.paidEur, account, -eur);
      addReplica(replica, eur);
      addReplica(platform, -eur);
      platformPays += eur;
    }
    if (legs.length > 0)
      ledger.postRoundedTransaction(
        `${prefix}/balancing/${k}`,
        `real-time balancing dispatch, interval ${k} (pay-as-bid)`,
        [...legs, { accountId: platform, amountEur: -platformPays }],
      );
    const residual = platformImbalanceKwh(d.meters, d.plans, id, k);
    out.imbalanceKwh[k] = residual;
    if (residual === 0) continue;
    const eur = imbalanceChargeEur(
      residual * d.replicas,
      imbalancePrices(wholesale[k], d.imbalanceSpreadEurPerMwh / 1000),
    );
    ledger.postRoundedTransaction(`${prefix}/imbalance/${k}`, `platform imbalance, interval ${k}`, [
      { accountId: platform, amountEur: eur },
      { accountId: retailer, amountEur: -eur },
    ]);
  }
  if (d.replicas > 1 && replicaLegs.size > 0)
    ledger.postRoundedTransaction(
      `${prefix}/stages/replicas`,
      `${d.replicas - 1} replica feeders of ${d.platformId}: intraday DSO trades and balancing`,
      [...replicaLegs].map(([accountId, amountEur]) => ({ accountId, amountEur })),
    );
  return out;
}
