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
  /** The day's P2P clearing per platform interval. */
  readonly results: readonly (MarketResult | null)[];
  /** Members' metered net injection and consumption per platform interval (kW). */
  readonly meters: StageDay['meters'];
  /** The platform's part of the DSO's day-ahead PriceSchedule and the wholesale price (EUR/MWh), platform step. */
  readonly schedule: PriceSchedule;
  readonly wholesalePriceEurPerMwh: readonly number[];
  readonly tariff: SimulationConfig['tariff'];
  /** The intraday and real-time stages to settle first (`settleStages`); absent in baseline runs. */
  readonly stages?: Pick<StageDay, 'plans' | 'intraday' | 'imbalanceSpreadEurPerMwh'>;
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
  const platform = ids.platform(f.platformId);
  const replicaAccount = ids.replicaCustomers(f.platformId);
  for (const [id, kind] of [
    [dso, 'fee'],
    [retailer, 'external'],
    [platform, 'fee'],
    [replicaAccount, 'external'],
  ] as const)
    ledger.openAccount(id, kind);
  for (const m of f.members) ledger.openAccount(ids.prosumer(m.id), 'agent');
  const n = 1440 / d.stepMin;
  const dt = d.stepMin / 60;
  const wholesale = d.wholesalePriceEurPerMwh.map((w) => w / KW_PER_MW);
  const margin = d.tariff.retailMarginEurPerKwh;
  const platformFee = d.tariff.platformFeeEurPerKwh;
  const positionKwh = new Map<string, Float64Array>();
  const p2pBoughtKwh = new Map<string, number>();
  const p2pSoldKwh = new Map<string, number>();
  const p2pPaidEur = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, value: number) =>
    map.set(key, (map.get(key) ?? 0) + value);
  const replicaLegs = new Map<string, number>();
  const addReplica = (account: string, eur: number) => add(replicaLegs, account, eur * (f.replicas - 1));
  for (let k = 0; k < n; k++) {
    const result = d.results[k];
    if (!result || result.trades.length === 0) continue;
    createMarketMechanism(f.mechanism).settle(result, ledger, {
      feeRecipientId: dso,
      transactionPrefix: `${d.day}/${f.platformId}/p2p/${k}/`,
    });
    for (const t of result.trades) {
      for (const id of [t.buyer, t.seller])
        if (!positionKwh.has(id)) positionKwh.set(id, new Float64Array(n));
      positionKwh.get(t.buyer)![k] -= t.eKwh;
      positionKwh.get(t.seller)![k] += t.eKwh;
      add(p2pBoughtKwh, t.buyer, t.eKwh);
      add(p2pSoldKwh, t.seller, t.eKwh);
      const dsoFee = t.feeEurPerKwh ?? 0;
      add(p2pPaidEur, t.buyer, t.eKwh * (t.priceEurPerKwh + dsoFee + platformFee));
      add(p2pPaidEur, t.seller, -t.eKwh * t.priceEurPerKwh);
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
