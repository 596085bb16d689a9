// Feeder P2P platform: aggregates members upward, clears the intra-platform market, runs the feeder power flow.

import { InputError } from '../core/errors.ts';
import { KW_PER_MW, kwToMw, mwToKw } from '../core/units.ts';
import type { ProsumerSpec } from '../ders/schema.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { buildMarketBook, type MarketAgent, type MarketResult } from '../markets/book.ts';
import { createMarketMechanism } from '../markets/mechanisms.ts';
import { type PreparedPowerFlow, preparePowerFlow } from '../problems/power-flow/index.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import { resampleEnvelope, resampleSeries } from './envelope.ts';
import type { SimulationRecorder } from './recorder.ts';
import { accountIds } from './settlement-accounts.ts';
import type { SimulationConfig } from './simulation-config.ts';
import type { FeederModel } from './system-model.ts';

/** Prepare a feeder power flow: sweep for radial feeders, Newton–Raphson otherwise. */
export function prepareFeederPowerFlow(network: FeederModel['network']): PreparedPowerFlow {
  try {
    return preparePowerFlow(network, { method: 'bfs' });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return preparePowerFlow(network, { method: 'nr' });
  }
}

/**
 * Feeders on the same (immutable) network share one prepared power flow: each solve starts from the flat start
 * and overwrites the solver's scratch arrays, and platforms solve one at a time.
 */
const sharedPowerFlows = new WeakMap<FeederModel['network'], PreparedPowerFlow>();
function sharedFeederPowerFlow(network: FeederModel['network']): PreparedPowerFlow {
  let prepared = sharedPowerFlows.get(network);
  if (!prepared) sharedPowerFlows.set(network, (prepared = prepareFeederPowerFlow(network)));
  return prepared;
}

const P2P_QUADRATIC_EUR_PER_KWH2 = 1e-4;

export class PlatformController {
  private prices?: MessageOf<'prices'>;
  private plans?: MessageOf<'member-plans'>;
  private intraday?: number[];
  private readonly results: (MarketResult | null)[] = [];
  private meters?: NonNullable<MessageOf<'measurement'>['members']>;
  private readonly powerFlow: PreparedPowerFlow;
  private readonly busIndex: Map<string, number>;
  private readonly specs: Map<string, ProsumerSpec>;
  private dayStartUtc = '';

  constructor(
    private readonly transport: Transport,
    private readonly o: {
      readonly address: string;
      readonly poolAddress: string;
      readonly dsoAddress: string;
      readonly feeder: FeederModel;
      readonly config: SimulationConfig;
      readonly recorder: SimulationRecorder;
      readonly ledger: Ledger;
      readonly isBaseline: boolean;
      readonly firstDayMs: number;
    },
  ) {
    this.powerFlow = sharedFeederPowerFlow(o.feeder.network);
    this.busIndex = new Map(this.powerFlow.busIds.map((id, i) => [String(id), i]));
    this.specs = new Map(o.feeder.members.map((m) => [m.id, m]));
    transport.subscribe(o.address, (e) => this.handle(e));
  }

  private get step(): number {
    return this.o.config.resolutionsMin.platform;
  }

  private async handle(envelope: Envelope): Promise<void> {
    const body = envelope.body;
    const dsoStep = this.o.config.resolutionsMin.dso;
    switch (body.type) {
      case 'prices':
        this.prices = body;
        this.transport.send(this.o.address, this.o.poolAddress, body);
        return;
      case 'envelope':
        this.transport.send(this.o.address, this.o.dsoAddress, resampleEnvelope(body, dsoStep));
        return;
      case 'member-plans':
        this.plans = body;
        return;
      case 'limits':
      case 'schedule':
        // Platforms follow prices; limits and agreed shares are informational here (coordination decides prices).
        return;
      case 'measurement':
        if (body.stage === 'intraday') {
          this.intraday = body.netImportKw;
          this.forward('intraday', body.startUtc, body.netImportKw);
        } else if (body.stage === 'real-time') this.runFeeder(body);
        return;
      case 'stage':
        this.dayStartUtc = body.dayStartUtc;
        if (body.stage === 'day-ahead' && body.phase === 'clear') await this.clearMarket();
        if (body.stage === 'settlement') this.settle();
        return;
      default:
        return;
    }
  }

  private forward(
    stage: 'day-ahead' | 'intraday' | 'real-time',
    startUtc: string,
    kw: readonly number[],
    kvar?: readonly number[],
  ): void {
    const dsoStep = this.o.config.resolutionsMin.dso;
    this.transport.send(this.o.address, this.o.dsoAddress, {
      type: 'measurement',
      stage,
      startUtc,
      stepMin: dsoStep,
      netImportKw: resampleSeries(kw, startUtc, this.step, dsoStep),
      ...(kvar ? { netImportKvar: resampleSeries(kvar, startUtc, this.step, dsoStep) } : {}),
    });
  }

  /** Import/export prices of a location: a member's own when the DSO prices households, else the platform's. */
  private locationPrices(locationId = this.o.feeder.platformId): {
    imp: readonly number[];
    exp: readonly number[];
  } {
    const locations = this.prices!.schedule!.locations;
    const location =
      locations.find((l) => l.locationId === locationId) ??
      locations.find((l) => l.locationId === this.o.feeder.platformId)!;
    return { imp: location.importPriceEurPerKwh, exp: location.exportPriceEurPerKwh };
  }

  /** P2P fee (EUR/kWh, buyer → DSO) between two members per platform interval: the schedule's pair fee. */
  private feeLookup(): (buyerId: string, sellerId: string, k: number) => number {
    const schedule = this.prices!.schedule!;
    const own = new Set(schedule.locations.map((l) => l.locationId));
    const byPair = new Map(
      schedule.fees.map((f) => [`${f.buyerLocationId}\n${f.sellerLocationId}`, f.feeEurPerKwh]),
    );
    const at = (id: string) => (own.has(id) ? id : this.o.feeder.platformId);
    return (buyerId, sellerId, k) => byPair.get(`${at(buyerId)}\n${at(sellerId)}`)?.[k] ?? 0;
  }

  /** Clear the P2P market of each platform interval on the members' day-ahead plans. */
  private async clearMarket(): Promise<void> {
    const plans = this.plans!;
    const n = 1440 / this.step;
    const dt = this.step / 60;
    const feeOf = this.feeLookup();
    const mechanism = createMarketMechanism(this.o.feeder.mechanism);
    const platformFee = this.o.config.tariff.platformFeeEurPerKwh;
    const planned = new Array<number>(n).fill(0);
    this.results.length = 0;
    for (let k = 0; k < n; k++) {
      const agents: MarketAgent[] = [];
      const memberIds: string[] = [];
      for (const m of plans.members) {
        const eKwh = m.netInjectionKw[k] * dt;
        planned[k] -= m.netInjectionKw[k];
        if (Math.abs(eKwh) < 1e-6) continue;
        memberIds.push(m.id);
        agents.push(
          eKwh > 0
            ? {
                id: accountIds.prosumer(m.id),
                eMinKwh: 0,
                eMaxKwh: eKwh,
                costQuadEurPerKwh2: P2P_QUADRATIC_EUR_PER_KWH2,
                costLinEurPerKwh: m.exportPriceEurPerKwh[k],
              }
            : {
                id: accountIds.prosumer(m.id),
                eMinKwh: eKwh,
                eMaxKwh: 0,
                costQuadEurPerKwh2: P2P_QUADRATIC_EUR_PER_KWH2,
                costLinEurPerKwh: m.importPriceEurPerKwh[k] + m.localPremiumEurPerKwh,
              },
        );
      }
      const hasBoth = agents.some((a) => a.eMaxKwh > 0) && agents.some((a) => a.eMinKwh < 0);
      if (this.o.isBaseline || !hasBoth) {
        this.results.push(null);
        continue;
      }
      const book = buildMarketBook(
        agents,
        'all',
        (b, s) => feeOf(memberIds[b], memberIds[s], k) + platformFee,
      );
      const result = await mechanism.clear({
        ...book,
        tradeFeeEurPerKwh: Float64Array.from(book.tradeBuyer, (b, t) =>
          feeOf(memberIds[b], memberIds[book.tradeSeller[t]], k),
        ),
      });
      this.results.push(result.status === 'optimal' || result.status === 'converged' ? result : null);
    }
    this.forward('day-ahead', plans.startUtc, planned);
  }

  /** Feeder power flow per platform interval on metered member injections; report head flow upward. */
  private runFeeder(m: MessageOf<'measurement'>): void {
    const meters = m.members!;
    this.meters = meters;
    const n = 1440 / this.step;
    const busCount = this.powerFlow.busIds.length;
    const headKw = new Array<number>(n).fill(0);
    const headKvar = new Array<number>(n).fill(0);
    const actual = resampleSeries(m.netImportKw, m.startUtc, m.stepMin, this.step);
    const { imp, exp } = this.locationPrices();
    const rec = this.o.recorder;
    const transformer = this.o.feeder.network.branches.findIndex((b) => b.kind === 'transformer');
    for (let k = 0; k < n; k++) {
      const pLoadMw = new Float64Array(busCount);
      const qLoadMvar = new Float64Array(busCount);
      let consumptionKw = 0;
      for (const meter of meters) {
        const spec: ProsumerSpec = this.specs.get(meter.id)!;
        const i = this.busIndex.get(String(spec.bus))!;
        const pKw = -meter.netInjectionKw[k];
        consumptionKw += pKw;
        pLoadMw[i] += kwToMw(pKw);
        qLoadMvar[i] += kwToMw(Math.max(0, pKw) * Math.tan(Math.acos(spec.powerFactor)));
      }
      const r = this.powerFlow.solveArrays({ pLoadMw, qLoadMvar });
      const head = mwToKw(r.pGenMw.reduce((a, b) => a + b, 0));
      headKw[k] = head;
      headKvar[k] = mwToKw(r.qGenMvar.reduce((a, b) => a + b, 0));
      const lossesKw = mwToKw(r.lossesMw);
      let vmMin = Number.POSITIVE_INFINITY;
      let vmMax = 0;
      for (let i = 0; i < busCount; i++) {
        vmMin = Math.min(vmMin, r.vmPu[i]);
        vmMax = Math.max(vmMax, r.vmPu[i]);
      }
      const timeUtc = new Date(Date.parse(m.startUtc) + k * this.step * 60_000).toISOString();
      const rate = transformer >= 0 ? this.o.feeder.network.branches[transformer].rateAMva : 0;
      const trafoLoading =
        transformer >= 0 && rate > 0
          ? (100 * Math.hypot(r.pFromMw[transformer], r.qFromMvar[transformer])) / rate
          : 0;
      const result = this.results[k];
      let p2pKwh = 0;
      for (const t of result?.trades ?? []) p2pKwh += t.eKwh;
      rec.platform.push({
        timeUtc,
        platform: this.o.feeder.platformId,
        replicas: this.o.feeder.replicas,
        plannedImportKw: this.plans!.members.reduce((a, x) => a - x.netInjectionKw[k], 0),
        intradayImportKw: this.intraday?.[k] ?? Number.NaN,
        actualImportKw: actual[k],
        headImportKw: head,
        lossesKw,
        vmMinPu: vmMin,
        vmMaxPu: vmMax,
        transformerLoadingPercent: trafoLoading,
        p2pKwh,
        p2pPriceEurPerKwh: result?.priceEurPerKwh ?? result?.trades[0]?.priceEurPerKwh ?? null,
        importPriceEurPerKwh: imp[k],
        exportPriceEurPerKwh: exp[k],
        wholesaleEurPerKwh: this.prices!.wholesaleEurPerMwh[k] / KW_PER_MW,
      });
      rec.balance.push({
        level: 'platform',
        id: this.o.feeder.platformId,
        timeUtc,
        residualKw: head - consumptionKw - lossesKw,
      });
      if (rec.recordTrades)
        for (const t of result?.trades ?? [])
          rec.trades.push({
            timeUtc,
            platform: this.o.feeder.platformId,
            buyer: t.buyer,
            seller: t.seller,
            eKwh: t.eKwh,
            priceEurPerKwh: t.priceEurPerKwh,
            feeEurPerKwh: t.feeEurPerKwh ?? 0,
          });
    }
    this.forward('real-time', m.startUtc, headKw, headKvar);
  }

  /**
   * Post the day's money: P2P trades (buyer → seller, fee → DSO), the platform fee, and each member's retail
   * bill on its metered energy net of P2P positions (energy part → retailer, network part → DSO). The feeder's
   * replicas are one aggregate customer account paying (replicas − 1) times the members' retail legs and fees.
   */
  private settle(): void {
    const ledger = this.o.ledger;
    const f = this.o.feeder;
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
    const n = 1440 / this.step;
    const dt = this.step / 60;
    const day = this.dayStartUtc.slice(0, 10);
    const wholesale = this.prices!.wholesaleEurPerMwh.map((w) => w / KW_PER_MW);
    const margin = this.o.config.tariff.retailMarginEurPerKwh;
    const platformFee = this.o.config.tariff.platformFeeEurPerKwh;
    const positionKwh = new Map<string, Float64Array>();
    const p2pBoughtKwh = new Map<string, number>();
    const p2pSoldKwh = new Map<string, number>();
    const p2pPaidEur = new Map<string, number>();
    const replicaLegs = new Map<string, number>();
    const addReplica = (account: string, eur: number) =>
      replicaLegs.set(account, (replicaLegs.get(account) ?? 0) + eur * (f.replicas - 1));
    for (let k = 0; k < n; k++) {
      const result = this.results[k];
      if (!result || result.trades.length === 0) continue;
      const mechanism = createMarketMechanism(f.mechanism);
      mechanism.settle(result, ledger, {
        feeRecipientId: dso,
        transactionPrefix: `${day}/${f.platformId}/p2p/${k}/`,
      });
      const feeLegs: { accountId: string; amountEur: number }[] = [];
      let feeTotal = 0;
      for (const t of result.trades) {
        const buyer = t.buyer;
        const seller = t.seller;
        if (!positionKwh.has(buyer)) positionKwh.set(buyer, new Float64Array(n));
        if (!positionKwh.has(seller)) positionKwh.set(seller, new Float64Array(n));
        positionKwh.get(buyer)![k] -= t.eKwh;
        positionKwh.get(seller)![k] += t.eKwh;
        p2pBoughtKwh.set(buyer, (p2pBoughtKwh.get(buyer) ?? 0) + t.eKwh);
        p2pSoldKwh.set(seller, (p2pSoldKwh.get(seller) ?? 0) + t.eKwh);
        const dsoFee = t.feeEurPerKwh ?? 0;
        p2pPaidEur.set(
          buyer,
          (p2pPaidEur.get(buyer) ?? 0) + t.eKwh * (t.priceEurPerKwh + dsoFee + platformFee),
        );
        p2pPaidEur.set(seller, (p2pPaidEur.get(seller) ?? 0) - t.eKwh * t.priceEurPerKwh);
        feeLegs.push({ accountId: buyer, amountEur: -t.eKwh * platformFee });
        feeTotal += t.eKwh * platformFee;
        addReplica(replicaAccount, -t.eKwh * (dsoFee + platformFee));
        addReplica(dso, t.eKwh * dsoFee);
        addReplica(platform, t.eKwh * platformFee);
      }
      feeLegs.push({ accountId: platform, amountEur: feeTotal });
      ledger.postRoundedTransaction(
        `${day}/${f.platformId}/platform-fee/${k}`,
        `platform fee ${platformFee} EUR/kWh on P2P purchases`,
        feeLegs,
      );
    }
    const dayIndex = Math.round((Date.parse(this.dayStartUtc) - this.o.firstDayMs) / 86_400_000);
    for (const meter of this.meters!) {
      const account = ids.prosumer(meter.id);
      const position = positionKwh.get(account);
      const { imp, exp } = this.locationPrices(meter.id);
      let pay = 0;
      let energyPart = 0;
      let billWithoutDer = 0;
      let consumptionKwh = 0;
      for (let k = 0; k < n; k++) {
        const residual = meter.netInjectionKw[k] * dt - (position ? position[k] : 0);
        if (residual < 0) {
          pay += -residual * imp[k];
          energyPart += -residual * (wholesale[k] + margin);
        } else {
          pay -= residual * exp[k];
          energyPart -= residual * (wholesale[k] - margin);
        }
        billWithoutDer += meter.consumptionKw[k] * dt * imp[k];
        consumptionKwh += meter.consumptionKw[k] * dt;
      }
      ledger.postRoundedTransaction(
        `${day}/${f.platformId}/retail/${meter.id}`,
        `retail bill of ${meter.id} on metered energy net of P2P`,
        [
          { accountId: account, amountEur: -pay },
          { accountId: retailer, amountEur: energyPart },
          { accountId: dso, amountEur: pay - energyPart },
        ],
      );
      addReplica(replicaAccount, -pay);
      addReplica(retailer, energyPart);
      addReplica(dso, pay - energyPart);
      const spec = this.specs.get(meter.id)!;
      this.o.recorder.memberDays.push({
        day: dayIndex,
        prosumer: meter.id,
        platform: f.platformId,
        isEnergyPoor: spec.preferences?.isEnergyPoor ?? false,
        pvKwp: spec.pv.reduce((a, p) => a + p.capacityKwp, 0),
        batteryKwh: spec.batteries.reduce((a, b) => a + b.energyKwh, 0),
        billEur: pay + (p2pPaidEur.get(account) ?? 0),
        billWithoutDerEur: billWithoutDer,
        consumptionKwh,
        p2pBoughtKwh: p2pBoughtKwh.get(account) ?? 0,
        p2pSoldKwh: p2pSoldKwh.get(account) ?? 0,
      });
    }
    if (f.replicas > 1)
      ledger.postRoundedTransaction(
        `${day}/${f.platformId}/replicas`,
        `${f.replicas - 1} replica feeders of ${f.platformId}: retail bills and P2P fees`,
        [...replicaLegs].map(([accountId, amountEur]) => ({ accountId, amountEur })),
      );
  }
}
