// DSO controller: a message handler that aggregates feeders up to the TSO, prices platforms, mediates, runs the MV grid.
import type { CoordinationMechanism, PlatformObservation, UpstreamView } from '../coordination/mechanism.ts';
import { flatPriceSchedule } from '../coordination/none.ts';
import { resampleSchedule, restrictScheduleToLocations } from '../core/price-schedule.ts';
import type { Network } from '../grid/schema.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { createTimeIndex } from '../time/time-index.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import { computeDistributionRange, type DistributionRange } from './distribution-limits.ts';
import { mediateRequest, type TsoStepRange } from './dso-mediation.ts';
import { buildDsoPricingInput } from './dso-pricing-input.ts';
import { settleDsoDay } from './dso-settlement.ts';
import {
  clipEnvelope,
  type EnvelopeMessage,
  resampleEnvelope,
  resampleSeries,
  sumEnvelopes,
} from './envelope.ts';
import { settleInterPlatformDay } from './inter-platform-settlement.ts';
import { MvGrid, PLANNING_TAN_PHI } from './mv-grid.ts';
import { computeMvRows } from './mv-rows.ts';
import type { SimulationRecorder } from './recorder.ts';
import type { SimulationConfig } from './simulation-config.ts';
import type { DsoModel, ProsumerResolver } from './system-model.ts';

/** Sent instead of an infinite location limit (kW). */
const UNLIMITED_KW = 1e12;

export class DsoController {
  private readonly grid: MvGrid;
  private envelopes = new Map<string, EnvelopeMessage>();
  private measurements = new Map<string, MessageOf<'measurement'>>();
  private dayStartUtc = '';
  private rangeTso?: TsoStepRange;
  private range?: DistributionRange;
  /** The feeders' planned positions of the day (envelope bases, kW per replica, DSO step). */
  private plannedKw: number[][] = [];
  /** Day-ahead wholesale price at the DSO step (EUR/MWh). */
  private wholesaleDa?: number[];
  private fixedKwDay: number[] = [];
  private actualLossesKw: number[] = [];
  /** Each feeder's committed (day-ahead planned) and metered head import of the day (kW, DSO step). */
  private committedKw: number[][] = [];
  private actualKw: number[][] = [];

  constructor(
    private readonly transport: Transport,
    private readonly o: {
      readonly address: string;
      readonly tsoAddress: string;
      readonly platformAddresses: ReadonlyMap<string, string>;
      readonly dso: DsoModel;
      readonly coordination: CoordinationMechanism;
      readonly config: SimulationConfig;
      readonly recorder: SimulationRecorder;
      readonly ledger: Ledger;
      /** Resolves members' specs into day-ahead forecasts (household pricing). */
      readonly resolver: ProsumerResolver;
      readonly firstDayMs: number;
      /** Seed of the DSO's pricing scenario draws. */
      readonly seed: number;
      /** The TSO's network and its other loads per TSO interval (MW), for a negotiation with the TSO. */
      readonly transmission?: {
        readonly network: Network;
        readonly loadsMw: (tsoInterval: number) => ReadonlyMap<string, number>;
      };
    },
  ) {
    this.grid = new MvGrid(o.dso, this.step, o.config.activePowerRatingShare);
    transport.subscribe(o.address, (e) => this.handle(e));
  }

  private get step(): number {
    return this.o.config.resolutionsMin.dso;
  }

  private get n(): number {
    return 1440 / this.step;
  }

  private get tsoStep(): number {
    return this.o.config.resolutionsMin.tso;
  }

  private async handle(envelope: Envelope): Promise<void> {
    const body = envelope.body;
    const from = envelope.from;
    switch (body.type) {
      case 'stage':
        this.dayStartUtc = body.dayStartUtc;
        if (body.stage === 'settlement') this.settle();
        return;
      case 'prices':
        if (body.kind === 'forecast' || body.kind === 'day-ahead') await this.sendPrices(body);
        return;
      case 'envelope':
        this.envelopes.set(from, body);
        if (this.envelopes.size === this.o.platformAddresses.size) this.aggregateUp();
        return;
      case 'schedule':
        if (body.kind === 'request') this.mediate(body);
        return;
      case 'measurement': {
        const key = `${body.stage}:${from}`;
        this.measurements.set(key, body);
        const count = [...this.measurements.keys()].filter((k) => k.startsWith(`${body.stage}:`)).length;
        if (count < this.o.platformAddresses.size) return;
        if (body.stage === 'intraday') this.sendIntraday();
        if (body.stage === 'real-time') this.runMv();
        return;
      }
      default:
        return;
    }
  }

  private platformAddress(platformId: string): string {
    return this.o.platformAddresses.get(platformId)!;
  }

  /** Sum the platforms (× replicas) and fixed MV loads, derive the distribution-feasible range, bid to the TSO. */
  private aggregateUp(): void {
    const feeders = this.o.dso.feeders;
    const env = feeders.map((f) => this.envelopes.get(this.platformAddress(f.platformId))!);
    this.envelopes = new Map();
    this.fixedKwDay = this.grid.fixedLoadTotalsKw(this.n);
    const range = computeDistributionRange(this.grid, feeders, env, this.n);
    this.range = range;
    this.plannedKw = env.map((e) => e.baseKw);
    const extra = this.fixedKwDay.map((v, k) => v + range.lossesPlanKw[k]);
    let total = sumEnvelopes(
      env.map((e, j) => ({ envelope: e, multiplicity: feeders[j].replicas })),
      extra,
    );
    if (this.o.coordination.clipsBidsToDistributionLimits) total = clipEnvelope(total, range.lo, range.hi);
    this.rangeTso = {
      minKw: resampleSeries(range.lo, total.startUtc, this.step, this.tsoStep),
      maxKw: resampleSeries(range.hi, total.startUtc, this.step, this.tsoStep),
    };
    this.transport.send(this.o.address, this.o.tsoAddress, resampleEnvelope(total, this.tsoStep));
  }

  private mediate(request: MessageOf<'schedule'>): void {
    const { conflicts, counter } = mediateRequest(
      request,
      this.rangeTso!,
      this.o.config.mediation,
      this.o.dso.id,
    );
    this.o.recorder.mediation.push(...conflicts);
    if (counter) this.transport.send(this.o.address, this.o.tsoAddress, counter);
  }

  /** Prices to platforms: wholesale (TSO step) refined to the platform step, with the DSO's PriceSchedule. */
  private async sendPrices(prices: MessageOf<'prices'>): Promise<void> {
    const platformStep = this.o.config.resolutionsMin.platform;
    const series = (stepMin: number) =>
      resampleSeries(prices.wholesaleEurPerMwh, prices.startUtc, prices.stepMin, stepMin);
    const wholesale = series(platformStep);
    const wholesaleDso = series(this.step);
    const index = createTimeIndex({ startUtc: prices.startUtc, stepMin: this.step, length: this.n });
    const dayAhead = prices.kind === 'day-ahead';
    const households = dayAhead && this.o.coordination.pricesHouseholds;
    const input = {
      ...buildDsoPricingInput(this.o, index, wholesaleDso, households),
      networkRows:
        households && this.plannedKw.length > 0
          ? computeMvRows(this.grid, this.o.dso.feeders, this.plannedKw, this.n)
          : undefined,
      upstream: households ? this.upstreamView() : undefined,
    };
    const dsoSchedule = dayAhead ? await this.o.coordination.priceSchedule(input) : flatPriceSchedule(input);
    if (dayAhead) this.wholesaleDa = wholesaleDso;
    for (const f of this.o.dso.feeders) {
      const locations = new Set([f.platformId, ...f.members.map((m) => m.id)]);
      this.transport.send(this.o.address, this.platformAddress(f.platformId), {
        type: 'prices',
        kind: prices.kind,
        startUtc: prices.startUtc,
        stepMin: platformStep,
        wholesaleEurPerMwh: wholesale,
        schedule: resampleSchedule(restrictScheduleToLocations(dsoSchedule, locations), platformStep),
      });
    }
    if (dayAhead && this.range)
      this.o.dso.feeders.forEach((f, j) => {
        const finite = (v: number) => (Number.isFinite(v) ? v : UNLIMITED_KW);
        // A negotiated range is what the platform committed to; otherwise the network's limits, for information.
        const agreed = this.o.coordination.agreedRange?.(f.platformId);
        this.transport.send(this.o.address, this.platformAddress(f.platformId), {
          type: 'limits',
          startUtc: agreed?.startUtc ?? prices.startUtc,
          stepMin: agreed?.stepMin ?? this.step,
          importMaxKw: Array.from(agreed?.maxKw ?? this.range!.limits[j].importKw, finite),
          exportMaxKw: agreed
            ? Array.from(agreed.minKw, (v) => finite(-v))
            : Array.from(this.range!.limits[j].exportKw, finite),
          kind: agreed ? 'agreed' : 'informational',
        });
      });
  }

  /** What the DSO negotiates with the TSO from: the TSO's network and loads, fixed MV loads + planned losses. */
  private upstreamView(): UpstreamView | undefined {
    const t = this.o.transmission;
    if (!t || !this.range) return undefined;
    const hours = 1440 / this.tsoStep;
    return {
      network: t.network,
      dsoBus: this.o.dso.transmissionBus,
      stepMin: this.tsoStep,
      loadsMw: Array.from({ length: hours }, (_, h) => t.loadsMw(h)),
      gspOffsetKw: Float64Array.from(this.fixedKwDay, (v, k) => v + this.range!.lossesPlanKw[k]),
    };
  }

  /** The feeders' measured (or re-forecast) head flows of a stage (kW or kVAr per replica), and their start. */
  private feederSeries(stage: string, field: 'netImportKw' | 'netImportKvar'): number[][] {
    return this.o.dso.feeders.map((f) => {
      const m = this.measurements.get(`${stage}:${this.platformAddress(f.platformId)}`)!;
      return m[field] ?? m.netImportKw.map((p) => Math.max(0, p) * PLANNING_TAN_PHI);
    });
  }

  private stageStartUtc(stage: string): string {
    return this.measurements.get(`${stage}:${this.platformAddress(this.o.dso.feeders[0].platformId)}`)!
      .startUtc;
  }

  private feedersTotalKw(kw: readonly number[][], k: number): number {
    return this.o.dso.feeders.reduce((a, f, j) => a + kw[j][k] * f.replicas, 0);
  }

  private sendMeasurement(stage: 'intraday' | 'real-time', startUtc: string, kw: readonly number[]): void {
    this.transport.send(this.o.address, this.o.tsoAddress, {
      type: 'measurement',
      stage,
      startUtc,
      stepMin: this.tsoStep,
      netImportKw: resampleSeries(kw, startUtc, this.step, this.tsoStep),
    });
  }

  private sendIntraday(): void {
    const kw = this.feederSeries('intraday', 'netImportKw');
    const total = this.fixedKwDay.map(
      (fixed, k) => fixed + this.range!.lossesPlanKw[k] + this.feedersTotalKw(kw, k),
    );
    this.sendMeasurement('intraday', this.stageStartUtc('intraday'), total);
  }

  /** Real-time MV power flow on the feeders' measured head flows; grid-supply-point measurement to the TSO. */
  private runMv(): void {
    const kw = this.feederSeries('real-time', 'netImportKw');
    const kvar = this.feederSeries('real-time', 'netImportKvar');
    const startUtc = this.stageStartUtc('real-time');
    this.committedKw = this.feederSeries('day-ahead', 'netImportKw');
    this.actualKw = kw;
    this.measurements = new Map();
    const gsp: number[] = [];
    this.actualLossesKw = [];
    for (let k = 0; k < this.n; k++) {
      const s = this.grid.solve(
        k,
        kw.map((v) => v[k]),
        kvar.map((v) => v[k]),
      );
      gsp.push(s.gspKw);
      this.actualLossesKw.push(s.lossesKw);
      const feedersKw = this.feedersTotalKw(kw, k);
      const timeUtc = new Date(Date.parse(startUtc) + k * this.step * 60_000).toISOString();
      this.o.recorder.dso.push({
        timeUtc,
        dso: this.o.dso.id,
        gspImportKw: s.gspKw,
        fixedLoadKw: this.fixedKwDay[k],
        feedersImportKw: feedersKw,
        lossesKw: s.lossesKw,
        vmMinPu: s.vmMin,
        vmMaxPu: s.vmMax,
        maxLoadingPercent: s.maxLoadingPercent,
        rangeMinKw: this.range?.lo[k] ?? Number.NaN,
        rangeMaxKw: this.range?.hi[k] ?? Number.NaN,
      });
      this.o.recorder.balance.push({
        level: 'dso',
        id: this.o.dso.id,
        timeUtc,
        residualKw: s.gspKw - this.fixedKwDay[k] - feedersKw - s.lossesKw,
      });
    }
    this.sendMeasurement('real-time', startUtc, gsp);
  }

  private settle(): void {
    this.observePlatforms();
    const rows = settleInterPlatformDay(this.o.ledger, {
      dsoId: this.o.dso.id,
      day: this.dayStartUtc.slice(0, 10),
      stepMin: this.step,
      platforms: this.o.dso.feeders.map((f, j) => ({
        platformId: f.platformId,
        replicas: f.replicas,
        committedKw: this.committedKw[j],
        actualKw: this.actualKw[j],
      })),
    });
    this.o.recorder.interPlatform.push(...rows);
    settleDsoDay(this.o.ledger, {
      dsoId: this.o.dso.id,
      day: this.dayStartUtc.slice(0, 10),
      stepMin: this.step,
      fixedLoadKw: this.fixedKwDay,
      lossesKw: this.actualLossesKw,
      wholesalePriceEurPerMwh: this.wholesaleDa!,
      tariff: this.o.config.tariff,
    });
  }

  /** Hand the day's metered platform intervals to mechanisms that learn from them (`observe`, e.g. mpc). */
  private observePlatforms(): void {
    const observe = this.o.coordination.observe;
    if (!observe) return;
    const ids = new Set(this.o.dso.feeders.map((f) => f.platformId));
    const dayMs = Date.parse(this.dayStartUtc);
    const rows = this.o.recorder.platform;
    const day: PlatformObservation[] = [];
    for (let i = rows.length - 1; i >= 0 && Date.parse(rows[i].timeUtc) >= dayMs; i--) {
      const r = rows[i];
      if (ids.has(r.platform))
        day.push({
          platformId: r.platform,
          timeUtc: r.timeUtc,
          netPositionKw: r.actualImportKw,
          vmMinPu: r.vmMinPu,
          vmMaxPu: r.vmMaxPu,
          transformerLoadingPercent: r.transformerLoadingPercent,
        });
    }
    observe(day.reverse());
  }
}
