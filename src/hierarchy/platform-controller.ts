// Feeder P2P platform: a message handler that aggregates members up, clears its P2P market, runs the feeder grid.
import { createFeeLookup, locationPriceSeries, type PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { MarketResult } from '../markets/book.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import {
  compactIntraday,
  compactMeters,
  compactPlans,
  type IntradayTrades,
  type MemberPlans,
  type Meter,
} from './compact-series.ts';
import { resampleEnvelope, resampleSeries } from './envelope.ts';
import { FeederGrid } from './feeder-grid.ts';
import { clearPlatformMarket } from './platform-market.ts';
import {
  newP2pDayTotals,
  openPlatformAccounts,
  type P2pDayTotals,
  settleP2pInterval,
  settlePlatformDay,
} from './platform-settlement.ts';
import type { SimulationRecorder } from './recorder.ts';
import { accountIds } from './settlement-accounts.ts';
import type { SimulationConfig } from './simulation-config.ts';
import {
  newStageSettlement,
  platformImbalanceKwh,
  type StageSettlement,
  settleIntradayPeerTrades,
} from './stage-settlement.ts';
import type { FeederModel } from './system-model.ts';

export class PlatformController {
  private prices?: MessageOf<'prices'>;
  private plans?: MemberPlans;
  private intraday?: number[];
  private intradayTrades?: IntradayTrades;
  private results: (MarketResult | null)[] = [];
  /**
   * Lean runs (no ledger journal, no trade rows): each interval's P2P trades and the intraday fills are posted
   * when they clear or arrive, and only their sums are kept (a 1,000,000-prosumer day clears ~200 million).
   */
  private readonly lean: boolean;
  private p2p?: P2pDayTotals;
  private peersSettled?: StageSettlement;
  /** Per platform interval: P2P energy and price of the day-ahead clearing (platform rows). */
  private p2pKwh: Float64Array = new Float64Array(0);
  private p2pPrice: (number | null)[] = [];
  private meters?: Meter[];
  private readonly grid: FeederGrid;
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
    this.grid = new FeederGrid(o.feeder);
    this.lean = !o.ledger.keepsJournal && !o.recorder.recordTrades;
    transport.subscribe(o.address, (e) => this.handle(e));
  }

  private get step(): number {
    return this.o.config.resolutionsMin.platform;
  }

  /** The platform's part of the DSO's latest PriceSchedule. */
  private get schedule(): PriceSchedule {
    return this.prices!.schedule!;
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
        this.plans = compactPlans(body);
        this.intradayTrades = undefined;
        return;
      case 'intraday-trades':
        this.intradayTrades = compactIntraday(body, !this.lean);
        if (this.lean) {
          this.peersSettled = newStageSettlement(1440 / this.step);
          openPlatformAccounts(this.o.ledger, this.o.feeder);
          settleIntradayPeerTrades(this.o.ledger, this.settlementPrefix, body.trades, this.peersSettled);
        }
        return;
      case 'limits':
        // An agreed (negotiated) range binds the members' joint plan; network limits are informational.
        if (body.kind === 'agreed') this.transport.send(this.o.address, this.o.poolAddress, body);
        return;
      case 'schedule':
        // Platforms follow prices; agreed shares are informational here (coordination decides prices).
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

  /** Clear the P2P market of each platform interval on the members' day-ahead plans; planned import to the DSO. */
  private async clearMarket(): Promise<void> {
    const plans = this.plans!;
    const day = await clearPlatformMarket(
      this.o.feeder,
      plans,
      createFeeLookup(this.schedule, this.o.feeder.platformId),
      { platformFeeEurPerKwh: this.o.config.tariff.platformFeeEurPerKwh, isBaseline: this.o.isBaseline },
    );
    this.results = day.results;
    const n = day.results.length;
    this.p2pKwh = new Float64Array(n);
    this.p2pPrice = day.results.map((r) => r?.priceEurPerKwh ?? r?.trades[0]?.priceEurPerKwh ?? null);
    day.results.forEach((r, k) => {
      for (const t of r?.trades ?? []) this.p2pKwh[k] += t.eKwh;
    });
    this.p2p = undefined;
    this.peersSettled = undefined;
    if (this.lean) {
      openPlatformAccounts(this.o.ledger, this.o.feeder);
      this.p2p = newP2pDayTotals();
      const interval = {
        feeder: this.o.feeder,
        day: this.dayStartUtc.slice(0, 10),
        stepMin: this.step,
        platformFeeEurPerKwh: this.o.config.tariff.platformFeeEurPerKwh,
      };
      day.results.forEach((r, k) => {
        settleP2pInterval(this.o.ledger, interval, k, r, this.p2p!);
      });
      this.results = [];
    }
    this.forward('day-ahead', plans.startUtc, day.plannedImportKw);
  }

  /** Feeder power flow per platform interval on metered member injections; report head flow upward. */
  private runFeeder(m: MessageOf<'measurement'>): void {
    const meters = compactMeters(m.members!);
    this.meters = meters;
    const n = 1440 / this.step;
    const headKw = new Array<number>(n).fill(0);
    const headKvar = new Array<number>(n).fill(0);
    const actual = resampleSeries(m.netImportKw, m.startUtc, m.stepMin, this.step);
    const prices = locationPriceSeries(this.schedule, this.o.feeder.platformId);
    const rec = this.o.recorder;
    const platformId = this.o.feeder.platformId;
    if (rec.recordFeederStates && !rec.feederTopologies.has(platformId))
      rec.feederTopologies.set(platformId, this.grid.topology());
    for (let k = 0; k < n; k++) {
      const s = this.grid.solve(meters, k, rec.recordFeederStates);
      headKw[k] = s.headKw;
      headKvar[k] = s.headKvar;
      const timeUtc = new Date(Date.parse(m.startUtc) + k * this.step * 60_000).toISOString();
      const result = this.results[k];
      rec.platform.push({
        timeUtc,
        platform: platformId,
        replicas: this.o.feeder.replicas,
        plannedImportKw: this.plans!.members.reduce((a, x) => a - x.netInjectionKw[k], 0),
        intradayImportKw: this.intraday?.[k] ?? Number.NaN,
        actualImportKw: actual[k],
        imbalanceKwh: platformImbalanceKwh(meters, this.plans!, this.intradayTrades, k),
        balancingKwh: meters.reduce((a, x) => a + (x.balancingKwh?.[k] ?? 0), 0),
        headImportKw: s.headKw,
        lossesKw: s.lossesKw,
        vmMinPu: s.vmMinPu,
        vmMaxPu: s.vmMaxPu,
        transformerLoadingPercent: s.transformerLoadingPercent,
        vufMaxPct: s.vufMaxPct,
        p2pKwh: this.p2pKwh[k],
        p2pPriceEurPerKwh: this.p2pPrice[k],
        importPriceEurPerKwh: prices.importPriceEurPerKwh[k],
        exportPriceEurPerKwh: prices.exportPriceEurPerKwh[k],
        wholesaleEurPerKwh: this.prices!.wholesaleEurPerMwh[k] / KW_PER_MW,
      });
      if (s.busVmPu && s.branchFlowFromKva)
        rec.feederStates.push({
          timeUtc,
          platform: platformId,
          vmPu: s.busVmPu,
          flowFromKva: s.branchFlowFromKva,
        });
      rec.balance.push({
        level: 'platform',
        id: platformId,
        timeUtc,
        residualKw: s.headKw - s.consumptionKw - s.lossesKw,
      });
      if (rec.recordTrades)
        for (const t of result?.trades ?? [])
          rec.trades.push({
            timeUtc,
            platform: platformId,
            buyer: t.buyer,
            seller: t.seller,
            eKwh: t.eKwh,
            priceEurPerKwh: t.priceEurPerKwh,
            feeEurPerKwh: t.feeEurPerKwh ?? 0,
            stage: 'day-ahead',
          });
    }
    if (rec.recordTrades)
      for (const t of this.intradayTrades?.trades ?? [])
        rec.trades.push({
          timeUtc: new Date(Date.parse(m.startUtc) + t.interval * this.step * 60_000).toISOString(),
          platform: platformId,
          buyer: accountIds.prosumer(t.buyer),
          seller: accountIds.prosumer(t.seller),
          eKwh: t.eKwh,
          priceEurPerKwh: t.priceEurPerKwh,
          feeEurPerKwh: 0,
          stage: 'intraday',
        });
    this.forward('real-time', m.startUtc, headKw, headKvar);
  }

  private get settlementPrefix(): string {
    return `${this.dayStartUtc.slice(0, 10)}/${this.o.feeder.platformId}`;
  }

  private settle(): void {
    const rows = settlePlatformDay(this.o.ledger, {
      feeder: this.o.feeder,
      day: this.dayStartUtc.slice(0, 10),
      ...(this.p2p ? { p2p: this.p2p } : {}),
      dayIndex: Math.round((Date.parse(this.dayStartUtc) - this.o.firstDayMs) / 86_400_000),
      stepMin: this.step,
      results: this.results,
      meters: this.meters!,
      schedule: this.schedule,
      wholesalePriceEurPerMwh: this.prices!.wholesaleEurPerMwh,
      tariff: this.o.config.tariff,
      ...(this.o.isBaseline
        ? {}
        : {
            stages: {
              plans: this.plans!,
              intraday: this.intradayTrades,
              imbalanceSpreadEurPerMwh: this.o.config.balancing.imbalanceSpreadEurPerMwh,
              ...(this.peersSettled ? { peersSettled: this.peersSettled } : {}),
            },
          }),
    });
    this.o.recorder.memberDays.push(...rows);
  }
}
