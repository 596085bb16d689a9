// Prosumer agents of one platform: plan day-ahead (HEMS LP), offer flexibility, re-forecast intraday, act in real time.

import { locationPriceSeries } from '../core/price-schedule.ts';
import { KW_PER_MW } from '../core/units.ts';
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import type { ProsumerSpec } from '../ders/schema.ts';
import type { ProsumerTariff } from '../ders/tariff.ts';
import { imbalancePrices } from '../markets/balancing.ts';
import type { PoolNetImportLimits } from '../markets/flexible-pool.ts';
import { createRandom, deriveSeed, randomMeanOneLogNormal, randomNormal } from '../numeric/random.ts';
import { stepHours, type TimeIndex } from '../time/time-index.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import { SeriesInterner } from './compact-series.ts';
import { resampleSeries } from './envelope.ts';
import { buildMembersEnvelope } from './member-envelope.ts';
import { type MemberPlan, toMemberPlan } from './member-plan.ts';
import { operateMembers, tradeMembersIntraday } from './member-stages.ts';
import type { PlanResult, ProsumerScheduler } from './prosumer-scheduler.ts';
import type { SimulationRecorder } from './recorder.ts';
import type { SimulationConfig } from './simulation-config.ts';
import type { ProsumerResolver } from './system-model.ts';
import { shiftSpecDays } from './system-model.ts';

interface MemberState {
  readonly spec: ProsumerSpec;
  readonly ordinal: number;
  model?: ProsumerModel;
  tariff?: ProsumerTariff;
  plan?: MemberPlan;
  loadActualKw?: Float64Array;
  pvActualKw?: Float64Array;
  batteryEndKwh?: number;
  /** The member's intraday trades (kW per platform interval, + sold), shifting its real-time target. */
  targetShiftKw?: Float64Array;
  /** The last operated day's actual PV available and load (kWh), kept when the day's series are dropped. */
  pvAvailableKwh?: number;
  loadKwh?: number;
}

export interface ProsumerPoolOptions {
  readonly address: string;
  readonly platformAddress: string;
  readonly platformId: string;
  readonly members: readonly ProsumerSpec[];
  readonly resolver: ProsumerResolver;
  readonly scheduler: ProsumerScheduler;
  readonly config: SimulationConfig;
  readonly seed: number;
  /** Seed of the regional weather draw shared by every pool under the same DSO. */
  readonly regionalSeed: number;
  readonly dayIndex: (day: number, stepMin: number) => TimeIndex;
  readonly recorder: SimulationRecorder;
  /** Baseline runs: members have no energy management (batteries idle) and do not trade. */
  readonly isBaseline: boolean;
}

const sum = (a: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i];
  return total;
};

export class ProsumerPool {
  private readonly members: MemberState[];
  private day = 0;
  private prices?: MessageOf<'prices'>;
  /** The net position range the platform agreed with its DSO (negotiation), if any. */
  private agreed?: MessageOf<'limits'>;
  private pendingPlans?: Promise<PlanResult[]>;

  constructor(
    private readonly transport: Transport,
    private readonly o: ProsumerPoolOptions,
  ) {
    this.members = o.members.map((spec, ordinal) => ({ spec, ordinal }));
    transport.subscribe(o.address, (e) => this.handle(e));
  }

  private get platformStep(): number {
    return this.o.config.resolutionsMin.platform;
  }

  private async handle(envelope: Envelope): Promise<void> {
    const body = envelope.body;
    if (body.type === 'prices') {
      this.prices = body;
      return;
    }
    if (body.type === 'limits') {
      this.agreed = body;
      return;
    }
    if (body.type !== 'stage') return;
    this.day = Math.round(
      (Date.parse(body.dayStartUtc) - Date.parse(this.o.dayIndex(0, 60).startUtc)) / 86_400_000,
    );
    if (body.stage === 'day-ahead' && (body.phase === 'bid' || body.phase === 'plan')) this.submitPlans();
    else if (body.stage === 'day-ahead' && body.phase === 'bid-send') await this.sendEnvelope();
    else if (body.stage === 'day-ahead' && body.phase === 'plan-send') await this.sendPlans();
    else if (body.stage === 'intraday') this.sendIntradayForecast();
    else if (body.stage === 'real-time') this.runRealTime();
  }

  /** Resolve members on the day and submit their scheduling jobs under the latest prices. */
  private submitPlans(): void {
    const index = this.o.dayIndex(this.day, this.platformStep);
    const schedule = this.prices?.schedule;
    if (!schedule) throw new Error(`pool ${this.o.address}: no prices for ${this.o.platformId}`);
    const prices = new SeriesInterner();
    for (const m of this.members) {
      // A member's own (household) location when the DSO prices households, else its platform's.
      const location = locationPriceSeries(schedule, m.spec.id, this.o.platformId);
      let spec = shiftSpecDays(m.spec, this.day);
      if (m.batteryEndKwh !== undefined && spec.batteries.length > 0) {
        const capacity = sum(spec.batteries.map((b) => b.energyKwh));
        spec = {
          ...spec,
          batteries: spec.batteries.map((b) => {
            const soc = Math.min(b.socMax, Math.max(b.socMin, m.batteryEndKwh! / capacity));
            return { ...b, socInitial: soc, socFinal: soc };
          }),
        };
      }
      m.model = this.o.resolver.resolve(spec, index, ['prosumers', m.spec.id]);
      m.tariff = {
        importPriceEurPerKwh: prices.series(location.importPriceEurPerKwh),
        exportPriceEurPerKwh: prices.series(location.exportPriceEurPerKwh),
      };
    }
    // Joint planning: the members plan together in one pool clearing over their flexibility, buying from each
    // other at the platform fee on top of the pool price (markets/flexible-pool.ts).
    const isJoint = this.o.config.memberPlanning === 'joint';
    const feeEurPerKwh = new Float64Array(index.length).fill(this.o.config.tariff.platformFeeEurPerKwh);
    this.pendingPlans = this.o.scheduler.submit(
      this.members.map((m) => ({
        model: m.model!,
        tariff: isJoint
          ? { ...m.tariff!, p2p: { priceEurPerKwh: new Float64Array(index.length), feeEurPerKwh } }
          : m.tariff!,
      })),
      { joint: isJoint, limits: isJoint ? this.agreedLimits(index) : undefined },
    );
  }

  /**
   * The agreed range on the platform step (a limit on power holds in every finer interval inside a coarser one),
   * the whole feeder's members' net consumption; undefined when none was agreed for this day.
   */
  private agreedLimits(index: TimeIndex): PoolNetImportLimits | undefined {
    const a = this.agreed;
    if (!a || Date.parse(a.startUtc) !== index.startMs) return undefined;
    const at = (k: number) => Math.min(a.importMaxKw.length - 1, Math.floor((k * index.stepMin) / a.stepMin));
    return {
      maxKw: Float64Array.from({ length: index.length }, (_, k) => a.importMaxKw[at(k)]),
      minKw: Float64Array.from({ length: index.length }, (_, k) => -a.exportMaxKw[at(k)]),
    };
  }

  private async awaitPlans(): Promise<PlanResult[]> {
    const plans = await this.pendingPlans!;
    this.members.forEach((m, i) => {
      m.plan = toMemberPlan(m.model!, plans[i]);
    });
    return plans;
  }

  /** Aggregate flexibility and uncertainty of the members (platform step, kW consumption positive). */
  private async sendEnvelope(): Promise<void> {
    const plans = await this.awaitPlans();
    const index = this.o.dayIndex(this.day, this.platformStep);
    const envelope = buildMembersEnvelope(
      this.members.map((m, i) => ({ model: m.model!, plan: plans[i], tariff: m.tariff! })),
      {
        startUtc: index.startUtc,
        stepMin: this.platformStep,
        wholesaleEurPerMwh: this.prices!.wholesaleEurPerMwh,
        config: this.o.config,
      },
    );
    this.transport.send(this.o.address, this.o.platformAddress, envelope);
  }

  private async sendPlans(): Promise<void> {
    await this.awaitPlans();
    // The full LP schedules are not needed past this point (members keep their MemberPlan arrays).
    this.pendingPlans = undefined;
    const index = this.o.dayIndex(this.day, this.platformStep);
    this.transport.send(this.o.address, this.o.platformAddress, {
      type: 'member-plans',
      startUtc: index.startUtc,
      stepMin: this.platformStep,
      members: this.members.map((m) => ({
        id: m.spec.id,
        netInjectionKw: Array.from(m.plan!.netKw),
        importPriceEurPerKwh: Array.from(m.tariff!.importPriceEurPerKwh),
        exportPriceEurPerKwh: Array.from(m.tariff!.exportPriceEurPerKwh),
        localPremiumEurPerKwh: this.o.isBaseline ? 0 : m.model!.localPremiumEurPerKwh,
      })),
    });
  }

  /**
   * Draw the day's actual load and PV (seeded), then the intraday stage: with intraday trading the members trade
   * their hourly re-forecast deviations until gate closure (`tradeMembersIntraday`) and the platform's position
   * (plan + what members sold to or bought from the DSO) goes up; without, one re-forecast with the learnt share.
   */
  private sendIntradayForecast(): void {
    const index5 = this.o.dayIndex(this.day, this.o.config.resolutionsMin.prosumer);
    const u = this.o.config.uncertainty;
    const regional = randomMeanOneLogNormal(
      createRandom(deriveSeed(this.o.regionalSeed, this.day)),
      u.pvRegionalSigma,
    );
    const r = this.platformStep / index5.stepMin;
    const n = 1440 / this.platformStep;
    const dt = this.platformStep / 60;
    const deviations: Float64Array[] = [];
    for (const m of this.members) {
      const model5 = this.o.resolver.resolve(shiftSpecDays(m.spec, this.day), index5, [
        'prosumers',
        m.spec.id,
      ]);
      const rng = createRandom(deriveSeed(deriveSeed(this.o.seed, this.day), m.ordinal));
      const daily = randomMeanOneLogNormal(rng, u.loadDailySigma);
      m.loadActualKw = Float64Array.from(model5.fixedLoadKw, (v) =>
        Math.max(0, v * daily * (1 + u.loadNoiseSigma * randomNormal(rng))),
      );
      m.pvActualKw = new Float64Array(index5.length);
      for (const pv of model5.pv)
        for (let k = 0; k < index5.length; k++) m.pvActualKw[k] += pv.availableKw[k] * regional;
      const model = m.model!;
      const dev = new Float64Array(n);
      for (let K = 0; K < n; K++) {
        const pvPlan = sum(model.pv.map((p) => p.availableKw[K])) * m.plan!.pvUsedShare[K];
        for (let j = 0; j < r; j++) {
          const k = K * r + j;
          dev[K] +=
            (m.pvActualKw[k] * m.plan!.pvUsedShare[K] - m.loadActualKw[k] - (pvPlan - model.fixedLoadKw[K])) /
            r;
        }
      }
      deviations.push(dev);
    }
    const forecast = new Array<number>(n).fill(0);
    const index = this.o.dayIndex(this.day, this.platformStep);
    const intraday = this.o.config.intraday;
    if (intraday.trading && !this.o.isBaseline) {
      const result = tradeMembersIntraday(
        this.members.map((m, i) => ({
          id: m.spec.id,
          deviationKwh: deviations[i].map((v) => v * dt),
          importPriceEurPerKwh: m.tariff!.importPriceEurPerKwh,
          exportPriceEurPerKwh: m.tariff!.exportPriceEurPerKwh,
        })),
        {
          stepMin: this.platformStep,
          gateClosureMin: intraday.gateClosureMin,
          learnedShare: u.intradayLearnedShare,
          forecastHorizonH: intraday.forecastHorizonH,
        },
      );
      this.members.forEach((m, i) => {
        m.targetShiftKw = Float64Array.from(
          result.peerSoldKwh[i],
          (v, K) => (v + result.dsoSoldKwh[i][K]) / dt,
        );
        for (let K = 0; K < n; K++) forecast[K] -= m.plan!.netKw[K] + result.dsoSoldKwh[i][K] / dt;
      });
      this.transport.send(this.o.address, this.o.platformAddress, {
        type: 'intraday-trades',
        startUtc: index.startUtc,
        stepMin: this.platformStep,
        gateClosureMin: intraday.gateClosureMin,
        members: this.members.map((m, i) => ({
          id: m.spec.id,
          peerSoldKwh: Array.from(result.peerSoldKwh[i]),
          dsoSoldKwh: Array.from(result.dsoSoldKwh[i]),
        })),
        trades: result.trades,
      });
    } else
      this.members.forEach((m, i) => {
        m.targetShiftKw = undefined;
        for (let K = 0; K < n; K++)
          forecast[K] += -m.plan!.netKw[K] - u.intradayLearnedShare * deviations[i][K];
      });
    this.transport.send(this.o.address, this.o.platformAddress, {
      type: 'measurement',
      stage: 'intraday',
      startUtc: index.startUtc,
      stepMin: this.platformStep,
      netImportKw: forecast,
    });
  }

  /**
   * Real time at the prosumer step (`operateMembers`): controllable loads follow the plan, PV is curtailed in the
   * planned share, batteries absorb the deviation from the target (plan + intraday trades); with balancing the
   * platform dispatches the batteries' remaining headroom against its imbalance, in merit order up to the
   * imbalance prices. Sends the members' meters and balancing (platform step) and the aggregate (prosumer step).
   */
  private runRealTime(): void {
    const index5 = this.o.dayIndex(this.day, this.o.config.resolutionsMin.prosumer);
    const n5 = index5.length;
    const r = this.platformStep / index5.stepMin;
    const total = new Array<number>(n5).fill(0);
    const rec = this.o.recorder;
    const balancing = this.o.config.balancing;
    const wholesale = this.prices!.wholesaleEurPerMwh;
    const operated = operateMembers(
      this.members.map((m) => ({
        model: m.model!,
        plan: m.plan!,
        actual: { loadKw: m.loadActualKw!, pvKw: m.pvActualKw! },
        batteryStartKwh: m.batteryEndKwh,
        targetShiftKw: m.targetShiftKw,
        importPriceEurPerKwh: m.tariff!.importPriceEurPerKwh,
        exportPriceEurPerKwh: m.tariff!.exportPriceEurPerKwh,
      })),
      {
        steps: n5,
        dtH: stepHours(index5),
        stepsPerPlanInterval: r,
        ...(balancing.enabled && !this.o.isBaseline
          ? {
              prices: (K: number) =>
                imbalancePrices(wholesale[K] / KW_PER_MW, balancing.imbalanceSpreadEurPerMwh / KW_PER_MW),
            }
          : {}),
      },
    );
    const meters = this.members.map((m, i) => {
      const day = operated.days[i];
      for (let k = 0; k < n5; k++) total[k] -= day.netInjectionKw[k];
      // The prosumer-level balance rows carry no time (one worst row per member-day keeps tables small).
      rec.balance.push({ level: 'prosumer', id: m.spec.id, timeUtc: '', residualKw: day.worstResidualKw });
      if (rec.recordProsumers)
        for (let k = 0; k < n5; k++)
          rec.prosumer.push({
            timeUtc: new Date(index5.startMs + k * index5.stepMin * 60_000).toISOString(),
            prosumer: m.spec.id,
            platform: this.o.platformId,
            netInjectionKw: day.netInjectionKw[k],
            loadKw: m.loadActualKw![k],
            controllableLoadKw: day.controllableKw[k],
            pvKw: day.pvUsedKw[k],
            pvCurtailedKw: m.pvActualKw![k] - day.pvUsedKw[k],
            batteryKw: day.batteryKw[k],
            batteryEnergyKwh: day.batteryEnergyKwh[k],
          });
      if (day.batteryEndKwh !== undefined) m.batteryEndKwh = day.batteryEndKwh;
      const dtH = index5.stepMin / 60;
      m.pvAvailableKwh = sum(m.pvActualKw!) * dtH;
      m.loadKwh = sum(m.loadActualKw!) * dtH;
      return {
        id: m.spec.id,
        netInjectionKw: resampleSeries(
          day.netInjectionKw,
          index5.startUtc,
          index5.stepMin,
          this.platformStep,
        ),
        consumptionKw: resampleSeries(day.consumptionKw, index5.startUtc, index5.stepMin, this.platformStep),
        ...(operated.balancingKwh[i].some((v) => v !== 0)
          ? {
              balancingKwh: Array.from(operated.balancingKwh[i]),
              balancingEur: Array.from(operated.balancingEur[i]),
            }
          : {}),
      };
    });
    // The day is operated: the next one resolves its models again, so drop this day's series.
    for (const m of this.members) {
      m.model = m.tariff = m.plan = m.targetShiftKw = undefined;
      m.loadActualKw = m.pvActualKw = undefined;
    }
    this.transport.send(this.o.address, this.o.platformAddress, {
      type: 'measurement',
      stage: 'real-time',
      startUtc: index5.startUtc,
      stepMin: index5.stepMin,
      netImportKw: total,
      members: meters,
    });
  }

  /** Members' actual PV available and used (kWh) and battery capacity, for value metrics. */
  memberFacts(): { id: string; spec: ProsumerSpec; pvAvailableKwh: number; loadKwh: number }[] {
    return this.members.map((m) => ({
      id: m.spec.id,
      spec: m.spec,
      pvAvailableKwh: m.pvAvailableKwh ?? 0,
      loadKwh: m.loadKwh ?? 0,
    }));
  }
}
