// A platform's daily settlement: P2P trades, the platform fee and members' retail bills (settlement/ rules), replicas.
import { locationPriceSeries, type PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { MarketResult } from '../markets/book.ts';
import { createMarketMechanism } from '../markets/mechanisms.ts';
import {
  formatEurPerKwh,
  type ImbalanceInterval,
  platformFeeLegs,
  settleImbalance,
} from '../settlement/index.ts';
import type { MemberDayRow } from './recorder.ts';
import { accountIds } from './settlement-accounts.ts';
import type { SimulationConfig } from './simulation-config.ts';
import { type StageDay, settleStages } from './stage-settlement.ts';
import type { FeederModel } from './system-model.ts';

export interface PlatformDay {
  readonly feeder: FeederModel;
  /** UTC date of the delivery day (YYYY-MM-DD) and its index from the study's first day. */
  readonly day: string;
  readonly dayIndex: number;
  readonly stepMin: number;
  /** The day's P2P clearing per platform interval (not read when `p2p` is given). */
  readonly results: readonly (MarketResult | null)[];
  /** The P2P intervals already posted when they cleared (lean runs, `settleP2pInterval`). */
  readonly p2p?: P2pDayTotals;
  /** Members' metered net injection and consumption per platform interval (kW). */
  readonly meters: StageDay['meters'];
  /** The platform's part of the DSO's day-ahead PriceSchedule and the wholesale price (EUR/MWh), platform step. */
  readonly schedule: PriceSchedule;
  readonly wholesalePriceEurPerMwh: readonly number[];
  readonly tariff: SimulationConfig['tariff'];
  /** The intraday and real-time stages to settle first (`settleStages`); absent in baseline runs. */
  readonly stages?: Pick<StageDay, 'plans' | 'intraday' | 'imbalanceSpreadEurPerMwh' | 'peersSettled'>;
}

/** A platform day's P2P money per member, summed over the intervals settled so far (`settleP2pInterval`). */
export interface P2pDayTotals {
  readonly positionKwh: Map<string, Float64Array>;
  readonly boughtKwh: Map<string, number>;
  readonly soldKwh: Map<string, number>;
  readonly paidEur: Map<string, number>;
  /** (replicas − 1) × the members' legs and fees, by account; the retail bills add to it at settlement. */
  readonly replicaLegs: Map<string, number>;
}

export const newP2pDayTotals = (): P2pDayTotals => ({
  positionKwh: new Map(),
  boughtKwh: new Map(),
  soldKwh: new Map(),
  paidEur: new Map(),
  replicaLegs: new Map(),
});

const addTo = (map: Map<string, number>, key: string, value: number) =>
  map.set(key, (map.get(key) ?? 0) + value);

/** Open the accounts a platform day posts to (idempotent). */
export function openPlatformAccounts(ledger: Ledger, f: FeederModel): void {
  const ids = accountIds;
  for (const [id, kind] of [
    [ids.dso(f.dsoId), 'fee'],
    [ids.retailer(f.dsoId), 'external'],
    [ids.platform(f.platformId), 'fee'],
    [ids.replicaCustomers(f.platformId), 'external'],
  ] as const)
    ledger.openAccount(id, kind);
  for (const m of f.members) ledger.openAccount(ids.prosumer(m.id), 'agent');
}

/**
 * Post the P2P trades of platform interval k (buyer → seller, fee → DSO; `markets` settlement) and the platform
 * fee on them, and add the members' positions and money to `totals`. Lean runs call it when the interval clears
 * so that no trade is kept until settlement (the balances are the same sums).
 */
export function settleP2pInterval(
  ledger: Ledger,
  d: {
    readonly feeder: FeederModel;
    readonly day: string;
    readonly stepMin: number;
    readonly platformFeeEurPerKwh: number;
  },
  k: number,
  result: MarketResult | null,
  totals: P2pDayTotals,
): void {
  if (!result || result.trades.length === 0) return;
  const f = d.feeder;
  const dso = accountIds.dso(f.dsoId);
  const platform = accountIds.platform(f.platformId);
  const replicaAccount = accountIds.replicaCustomers(f.platformId);
  const n = 1440 / d.stepMin;
  const platformFee = d.platformFeeEurPerKwh;
  const addReplica = (account: string, eur: number) =>
    addTo(totals.replicaLegs, account, eur * (f.replicas - 1));
  createMarketMechanism(f.mechanism).settle(result, ledger, {
    feeRecipientId: dso,
    transactionPrefix: `${d.day}/${f.platformId}/p2p/${k}/`,
  });
  for (const t of result.trades) {
    for (const id of [t.buyer, t.seller])
      if (!totals.positionKwh.has(id)) totals.positionKwh.set(id, new Float64Array(n));
    totals.positionKwh.get(t.buyer)![k] -= t.eKwh;
    totals.positionKwh.get(t.seller)![k] += t.eKwh;
    addTo(totals.boughtKwh, t.buyer, t.eKwh);
    addTo(totals.soldKwh, t.seller, t.eKwh);
    const dsoFee = t.feeEurPerKwh ?? 0;
    addTo(totals.paidEur, t.buyer, t.eKwh * (t.priceEurPerKwh + dsoFee + platformFee));
    addTo(totals.paidEur, t.seller, -t.eKwh * t.priceEurPerKwh);
    addReplica(replicaAccount, -t.eKwh * (dsoFee + platformFee));
    addReplica(dso, t.eKwh * dsoFee);
    addReplica(platform, t.eKwh * platformFee);
  }
  ledger.postRoundedTransaction(
    `${d.day}/${f.platformId}/platform-fee/${k}`,
    `platform fee ${formatEurPerKwh(platformFee)} on P2P purchases`,
    platformFeeLegs(
      result.trades.map((t) => ({ buyerAccountId: t.buyer, eKwh: t.eKwh })),
      platformFee,
      platform,
    ),
  );
}

/**
 * Post the day's money: P2P trades (buyer → seller, fee → DSO; `markets` settlement), the platform fee, and each
 * member's retail bill on its metered energy net of P2P positions at its own location's prices (`settleImbalance`:
 * energy part at wholesale ± margin → retailer, the rest → DSO). The feeder's replicas are one aggregate customer
 * account paying (replicas − 1) times the members' retail legs and fees. Returns each member's day summary.
 */
export function settlePlatformDay(ledger: Ledger, d: PlatformDay): MemberDayRow[] {
  const f = d.feeder;
  const ids = accountIds;
  const dso = ids.dso(f.dsoId);
  const retailer = ids.retailer(f.dsoId);
  const replicaAccount = ids.replicaCustomers(f.platformId);
  openPlatformAccounts(ledger, f);
  const n = 1440 / d.stepMin;
  const dt = d.stepMin / 60;
  const wholesale = d.wholesalePriceEurPerMwh.map((w) => w / KW_PER_MW);
  const margin = d.tariff.retailMarginEurPerKwh;
  let p2p = d.p2p;
  if (!p2p) {
    p2p = newP2pDayTotals();
    const interval = {
      feeder: f,
      day: d.day,
      stepMin: d.stepMin,
      platformFeeEurPerKwh: d.tariff.platformFeeEurPerKwh,
    };
    for (let k = 0; k < n; k++) settleP2pInterval(ledger, interval, k, d.results[k], p2p);
  }
  const { positionKwh, boughtKwh: p2pBoughtKwh, soldKwh: p2pSoldKwh, paidEur: p2pPaidEur, replicaLegs } = p2p;
  const addReplica = (account: string, eur: number) => addTo(replicaLegs, account, eur * (f.replicas - 1));
  const stages = d.stages
    ? settleStages(ledger, {
        ...d.stages,
        day: d.day,
        platformId: f.platformId,
        dsoId: f.dsoId,
        replicas: f.replicas,
        stepMin: d.stepMin,
        meters: d.meters,
        wholesaleEurPerMwh: d.wholesalePriceEurPerMwh,
        retailMarginEurPerKwh: margin,
      })
    : undefined;
  const rows: MemberDayRow[] = [];
  for (const meter of d.meters) {
    const account = ids.prosumer(meter.id);
    const position = positionKwh.get(account);
    const stagePosition = stages?.positionKwh.get(account);
    const prices = locationPriceSeries(d.schedule, meter.id, f.platformId);
    const intervals: ImbalanceInterval[] = [];
    let billWithoutDer = 0;
    let consumptionKwh = 0;
    for (let k = 0; k < n; k++) {
      intervals.push({
        imbalanceKwh:
          meter.netInjectionKw[k] * dt -
          (position ? position[k] : 0) -
          (stagePosition ? stagePosition[k] : 0),
        importPriceEurPerKwh: prices.importPriceEurPerKwh[k],
        exportPriceEurPerKwh: prices.exportPriceEurPerKwh[k],
        energyImportPriceEurPerKwh: wholesale[k] + margin,
        energyExportPriceEurPerKwh: wholesale[k] - margin,
      });
      billWithoutDer += meter.consumptionKw[k] * dt * prices.importPriceEurPerKwh[k];
      consumptionKwh += meter.consumptionKw[k] * dt;
    }
    const bill = settleImbalance(account, intervals, { networkAccountId: dso, energyAccountId: retailer });
    ledger.postRoundedTransaction(
      `${d.day}/${f.platformId}/retail/${meter.id}`,
      `retail bill of ${meter.id} on metered energy net of P2P`,
      bill.legs,
    );
    for (const leg of bill.legs)
      addReplica(leg.accountId === account ? replicaAccount : leg.accountId, leg.amountEur);
    const spec = f.members.find((m) => m.id === meter.id)!;
    rows.push({
      day: d.dayIndex,
      prosumer: meter.id,
      platform: f.platformId,
      isEnergyPoor: spec.preferences?.isEnergyPoor ?? false,
      pvKwp: spec.pv.reduce((a, p) => a + p.capacityKwp, 0),
      batteryKwh: spec.batteries.reduce((a, b) => a + b.energyKwh, 0),
      billEur: bill.memberPaysEur + (p2pPaidEur.get(account) ?? 0) + (stages?.paidEur.get(account) ?? 0),
      billWithoutDerEur: billWithoutDer,
      consumptionKwh,
      p2pBoughtKwh: (p2pBoughtKwh.get(account) ?? 0) + (stages?.peerBoughtKwh.get(account) ?? 0),
      p2pSoldKwh: (p2pSoldKwh.get(account) ?? 0) + (stages?.peerSoldKwh.get(account) ?? 0),
    });
  }
  if (f.replicas > 1)
    ledger.postRoundedTransaction(
      `${d.day}/${f.platformId}/replicas`,
      `${f.replicas - 1} replica feeders of ${f.platformId}: retail bills and P2P fees`,
      [...replicaLegs].map(([accountId, amountEur]) => ({ accountId, amountEur })),
    );
  return rows;
}
