// Prosumer agents of one platform: plan day-ahead (HEMS LP), offer flexibility, re-forecast intraday, act in real time.

import { KW_PER_MW } from '../core/units.ts';
import { flexibilityOffer } from '../ders/flexibility.ts';
import type { ProsumerModel } from '../ders/prosumer-model.ts';
import type { ProsumerSpec } from '../ders/schema.ts';
import type { ProsumerTariff } from '../ders/tariff.ts';
import { createRandom, deriveSeed, randomMeanOneLogNormal, randomNormal } from '../numeric/random.ts';
import { stepHours, type TimeIndex } from '../time/time-index.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import { type BidStep, compressBids, resampleSeries, withBand } from './envelope.ts';
import type { PlanResult, ProsumerScheduler } from './prosumer-scheduler.ts';
import type { SimulationRecorder } from './recorder.ts';
import type { SimulationConfig } from './simulation-config.ts';
import type { ProsumerResolver } from './system-model.ts';
import { shiftSpecDays } from './system-model.ts';

/** A member's plan at the platform step, in the pieces real-time control needs. */
interface MemberPlan {
  readonly netKw: Float64Array;
  readonly batteryKw: Float64Array;
  /** EV + heat pump + shiftable load power (kW). */
  readonly controllableKw: Float64Array;
  /** Share of available PV used (1 = no curtailment). */
  readonly pvUsedShare: Float64Array;
}

interface MemberState {
  readonly spec: ProsumerSpec;
  readonly ordinal: number;
  model?: ProsumerModel;
  tariff?: ProsumerTariff;
  plan?: MemberPlan;
  loadActualKw?: Float64Array;
  pvActualKw?: Float64Array;
  batteryEndKwh?: number;
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
    const locations = this.prices?.schedule?.locations ?? [];
    const platform = locations.find((l) => l.locationId === this.o.platformId);
    if (!platform) throw new Error(`pool ${this.o.address}: no prices for ${this.o.platformId}`);
    for (const m of this.members) {
      // A member's own (household) location when the DSO prices households, else its platform's.
      const location = locations.find((l) => l.locationId === m.spec.id) ?? platform;
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
        importPriceEurPerKwh: Float64Array.from(location.importPriceEurPerKwh),
        exportPriceEurPerKwh: Float64Array.from(location.exportPriceEurPerKwh),
      };
    }
    this.pendingPlans = this.o.scheduler.submit(
      this.members.map((m) => ({ model: m.model!, tariff: m.tariff! })),
    );
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
    const n = 1440 / this.platformStep;
    const u = this.o.config.uncertainty;
    const loadSigmaRel = Math.hypot(u.loadDailySigma, u.loadNoiseSigma);
    const base = new Array<number>(n).fill(0);
    const min = new Array<number>(n).fill(0);
    const max = new Array<number>(n).fill(0);
    const ind2 = new Array<number>(n).fill(0);
    const corr = new Array<number>(n).fill(0);
    const bids: BidStep[][] = Array.from({ length: n }, () => []);
    const wholesale = this.prices!.wholesaleEurPerMwh;
    const spread = this.o.config.bidSpreadEurPerKwh;
    this.members.forEach((m, i) => {
      const model = m.model!;
      const plan = plans[i];
      for (let k = 0; k < n; k++) {
        const pv = sum(model.pv.map((p) => p.availableKw[k]));
        ind2[k] += (loadSigmaRel * model.fixedLoadKw[k]) ** 2;
        corr[k] += u.pvRegionalSigma * pv;
      }
      if (plan.kind !== 'optimal') {
        for (let k = 0; k < n; k++) {
          base[k] -= plan.netInjectionKw[k];
          min[k] -= plan.netInjectionKw[k];
          max[k] -= plan.netInjectionKw[k];
        }
        return;
      }
      const offer = flexibilityOffer(model, plan.schedule);
      for (let k = 0; k < n; k++) {
        base[k] -= offer.baseKw[k];
        min[k] -= offer.maxKw[k];
        max[k] -= offer.minKw[k];
        // Wholesale-equivalent limit price: marginal value minus the retail adders the member sees.
        const retail =
          offer.baseKw[k] < 0 ? m.tariff!.importPriceEurPerKwh[k] : m.tariff!.exportPriceEurPerKwh[k];
        const w = wholesale[k] / KW_PER_MW;
        const mv = offer.marginalValueEurPerKwh[k];
        const limit = Number.isFinite(mv) ? mv - (retail - w) : w;
        const down = offer.maxKw[k] - offer.baseKw[k];
        const up = offer.baseKw[k] - offer.minKw[k];
        for (let j = 0; j < 4; j++) {
          if (down > 1e-6)
            bids[k].push({ side: 'sell', kw: down / 4, limitPriceEurPerKwh: limit + (spread * j) / 3 });
          if (up > 1e-6)
            bids[k].push({ side: 'buy', kw: up / 4, limitPriceEurPerKwh: limit - (spread * j) / 3 });
        }
      }
    });
    const index = this.o.dayIndex(this.day, this.platformStep);
    this.transport.send(
      this.o.address,
      this.o.platformAddress,
      withBand({
        type: 'envelope',
        startUtc: index.startUtc,
        stepMin: this.platformStep,
        baseKw: base,
        minKw: min,
        maxKw: max,
        bandProbability: u.bandProbability,
        independentSigmaKw: ind2.map(Math.sqrt),
        correlatedSigmaKw: corr,
        bids: bids.map((b) => compressBids(b)),
      }),
    );
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

  /** Draw the day's actual load and PV (seeded), then send the intraday re-forecast of net consumption. */
  private sendIntradayForecast(): void {
    const index5 = this.o.dayIndex(this.day, this.o.config.resolutionsMin.prosumer);
    const u = this.o.config.uncertainty;
    const regional = randomMeanOneLogNormal(
      createRandom(deriveSeed(this.o.regionalSeed, this.day)),
      u.pvRegionalSigma,
    );
    const r = this.platformStep / index5.stepMin;
    const n = 1440 / this.platformStep;
    const forecast = new Array<number>(n).fill(0);
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
      for (let K = 0; K < n; K++) {
        const pvPlan = sum(model.pv.map((p) => p.availableKw[K])) * m.plan!.pvUsedShare[K];
        let dev = 0;
        for (let j = 0; j < r; j++) {
          const k = K * r + j;
          dev +=
            (m.pvActualKw[k] * m.plan!.pvUsedShare[K] - m.loadActualKw[k] - (pvPlan - model.fixedLoadKw[K])) /
            r;
        }
        forecast[K] += -m.plan!.netKw[K] - u.intradayLearnedShare * dev;
      }
    }
    const index = this.o.dayIndex(this.day, this.platformStep);
    this.transport.send(this.o.address, this.o.platformAddress, {
      type: 'measurement',
      stage: 'intraday',
      startUtc: index.startUtc,
      stepMin: this.platformStep,
      netImportKw: forecast,
    });
  }

  /**
   * Real-time control at the prosumer step: controllable loads follow the plan, PV is curtailed in the planned
   * share, and the battery absorbs the deviation from the planned net power within its power and energy limits.
   * Sends the members' metered net injections (platform step) and the aggregate at the prosumer step.
   */
  private runRealTime(): void {
    const index5 = this.o.dayIndex(this.day, this.o.config.resolutionsMin.prosumer);
    const n5 = index5.length;
    const dt = stepHours(index5);
    const r = this.platformStep / index5.stepMin;
    const total = new Array<number>(n5).fill(0);
    const meters: { id: string; netInjectionKw: number[]; consumptionKw: number[] }[] = [];
    const rec = this.o.recorder;
    for (const m of this.members) {
      const model = m.model!;
      const plan = m.plan!;
      const bat = equivalentBattery(model);
      let energy = bat ? (m.batteryEndKwh ?? bat.initialKwh) : 0;
      if (bat) energy = Math.min(bat.maxKwh, Math.max(bat.minKwh, energy));
      const net5 = new Float64Array(n5);
      const consumption5 = new Float64Array(n5);
      for (let k = 0; k < n5; k++) {
        const K = Math.floor(k / r);
        const pvUsed = m.pvActualKw![k] * plan.pvUsedShare[K];
        const load = m.loadActualKw![k];
        const controllable = plan.controllableKw[K];
        const withoutBattery = pvUsed - load - controllable;
        let battery = 0;
        if (bat) {
          const plannedWithout = plan.netKw[K] - plan.batteryKw[K];
          const wanted = plan.batteryKw[K] - (withoutBattery - plannedWithout);
          const maxDischarge = Math.min(bat.dischargeKw, ((energy - bat.minKwh) * bat.etaDischarge) / dt);
          const maxCharge = Math.min(bat.chargeKw, (bat.maxKwh - energy) / (bat.etaCharge * dt));
          battery = Math.min(Math.max(wanted, -Math.max(0, maxCharge)), Math.max(0, maxDischarge));
          energy += battery >= 0 ? (-battery / bat.etaDischarge) * dt : -battery * bat.etaCharge * dt;
        }
        net5[k] = withoutBattery + battery;
        consumption5[k] = load + controllable;
        total[k] -= net5[k];
        rec.balance.push({
          level: 'prosumer',
          id: m.spec.id,
          timeUtc: '',
          residualKw: net5[k] - (pvUsed + battery - load - controllable),
        });
        if (rec.recordProsumers)
          rec.prosumer.push({
            timeUtc: new Date(index5.startMs + k * index5.stepMin * 60_000).toISOString(),
            prosumer: m.spec.id,
            platform: this.o.platformId,
            netInjectionKw: net5[k],
            loadKw: load,
            controllableLoadKw: controllable,
            pvKw: pvUsed,
            pvCurtailedKw: m.pvActualKw![k] - pvUsed,
            batteryKw: battery,
            batteryEnergyKwh: bat ? energy : 0,
          });
      }
      if (bat) m.batteryEndKwh = energy;
      meters.push({
        id: m.spec.id,
        netInjectionKw: resampleSeries(net5, index5.startUtc, index5.stepMin, this.platformStep),
        consumptionKw: resampleSeries(consumption5, index5.startUtc, index5.stepMin, this.platformStep),
      });
    }
    // The prosumer-level balance rows carry no time (one summary row per member-day keeps tables small).
    compactBalance(rec, this.members.length, n5);
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
    const dt = this.o.config.resolutionsMin.prosumer / 60;
    return this.members.map((m) => ({
      id: m.spec.id,
      spec: m.spec,
      pvAvailableKwh: sum(m.pvActualKw ?? []) * dt,
      loadKwh: sum(m.loadActualKw ?? []) * dt,
    }));
  }
}

/** Replace the last `count·steps` prosumer balance rows by one max-|residual| row per member. */
function compactBalance(rec: SimulationRecorder, count: number, steps: number): void {
  const rows = rec.balance.splice(rec.balance.length - count * steps, count * steps);
  for (let i = 0; i < count; i++) {
    let worst = 0;
    for (let k = 0; k < steps; k++) {
      const v = rows[i * steps + k].residualKw;
      if (Math.abs(v) > Math.abs(worst)) worst = v;
    }
    rec.balance.push({ ...rows[i * steps], residualKw: worst });
  }
}

interface EquivalentBattery {
  readonly minKwh: number;
  readonly maxKwh: number;
  readonly initialKwh: number;
  readonly chargeKw: number;
  readonly dischargeKw: number;
  readonly etaCharge: number;
  readonly etaDischarge: number;
}

/** All of a member's batteries as one (sums of energies and powers, the first battery's efficiencies). */
function equivalentBattery(model: ProsumerModel): EquivalentBattery | null {
  if (model.batteries.length === 0) return null;
  const s = (f: (b: ProsumerModel['batteries'][number]) => number) =>
    model.batteries.reduce((a, b) => a + f(b), 0);
  return {
    minKwh: s((b) => b.energyMinKwh),
    maxKwh: s((b) => b.energyMaxKwh),
    initialKwh: s((b) => b.energyInitialKwh),
    chargeKw: s((b) => b.chargeKw),
    dischargeKw: s((b) => b.dischargeKw),
    etaCharge: model.batteries[0].chargeEfficiency,
    etaDischarge: model.batteries[0].dischargeEfficiency,
  };
}

function toMemberPlan(model: ProsumerModel, plan: PlanResult): MemberPlan {
  const n = model.length;
  const pvAvail = new Float64Array(n);
  for (const pv of model.pv) for (let k = 0; k < n; k++) pvAvail[k] += pv.availableKw[k];
  if (plan.kind === 'baseline') {
    const controllable = Float64Array.from(
      plan.netInjectionKw,
      (net, k) => pvAvail[k] - model.fixedLoadKw[k] - net,
    );
    return {
      netKw: plan.netInjectionKw,
      batteryKw: new Float64Array(n),
      controllableKw: controllable,
      pvUsedShare: new Float64Array(n).fill(1),
    };
  }
  const s = plan.schedule;
  const add = (records: Record<string, Float64Array>, out: Float64Array, sign = 1) => {
    for (const series of Object.values(records)) for (let k = 0; k < n; k++) out[k] += sign * series[k];
  };
  const battery = new Float64Array(n);
  add(s.batteryKw, battery);
  const controllable = new Float64Array(n);
  add(s.evChargeKw, controllable);
  add(s.heatPumpKw, controllable);
  add(s.shiftableKw, controllable);
  const pvUsed = new Float64Array(n);
  add(s.pvKw, pvUsed);
  return {
    netKw: s.netInjectionKw,
    batteryKw: battery,
    controllableKw: controllable,
    pvUsedShare: Float64Array.from(pvAvail, (a, k) => (a > 1e-9 ? Math.min(1, pvUsed[k] / a) : 1)),
  };
}
