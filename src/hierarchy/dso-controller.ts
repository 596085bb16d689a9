// DSO controller: aggregates its feeders up to the TSO, prices its platforms, mediates TSO requests, runs the MV power flow.
import type {
  CoordinationMechanism,
  DsoPricingInput,
  FeederPricingInput,
  MemberForecast,
} from '../coordination/mechanism.ts';
import { flatPriceSchedule } from '../coordination/none.ts';
import { mediateTsoRequest } from '../coordination/tso-dso-mediation.ts';
import type { PriceSchedule } from '../core/price-schedule.ts';
import { KW_PER_MW, kwToMw, mwToKw } from '../core/units.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { deriveSeed } from '../numeric/random.ts';
import { type PreparedPowerFlow, preparePowerFlow } from '../problems/power-flow/index.ts';
import { createTimeIndex, type TimeIndex } from '../time/time-index.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import { type EnvelopeMessage, resampleEnvelope, resampleSeries, sumEnvelopes } from './envelope.ts';
import type { SimulationRecorder } from './recorder.ts';
import { accountIds } from './settlement-accounts.ts';
import type { SimulationConfig } from './simulation-config.ts';
import { type DsoModel, type ProsumerResolver, shiftSpecDays } from './system-model.ts';

/** Reactive consumption per kW assumed for planning flows (power factor 0.95). */
const PLANNING_TAN_PHI = 0.33;

interface MvState {
  readonly gspKw: number;
  readonly lossesKw: number;
  readonly branchPKw: Float64Array;
  readonly vmMin: number;
  readonly vmMax: number;
  readonly maxLoadingPercent: number;
}

export class DsoController {
  private readonly powerFlow: PreparedPowerFlow;
  private readonly busIndex: Map<string, number>;
  private readonly rateKw: Float64Array;
  private envelopes = new Map<string, EnvelopeMessage>();
  private measurements = new Map<string, MessageOf<'measurement'>>();
  private dayStartUtc = '';
  private rangeTso?: { minKw: number[]; maxKw: number[] };
  /** Per feeder (all replicas), what it may import / export without breaking distribution limits (kW). */
  private limits: { importKw: Float64Array; exportKw: Float64Array }[] = [];
  private wholesaleDa?: number[];
  private lossesPlanKw: number[] = [];
  /** Per feeder, ∂P_branch/∂P_feeder-bus (dimensionless), from a perturbed power flow. */
  private sensitivity: Float64Array[] = [];
  private fixedKwDay: number[] = [];
  private actualLossesKw: number[] = [];

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
    },
  ) {
    this.powerFlow = preparePowerFlow(o.dso.network, { method: 'nr' });
    this.busIndex = new Map(this.powerFlow.busIds.map((id, i) => [String(id), i]));
    const inService = o.dso.network.branches.filter((b) => b.inService);
    this.rateKw = Float64Array.from(inService, (b) =>
      b.rateAMva > 0 ? mwToKw(b.rateAMva) * o.config.activePowerRatingShare : Number.POSITIVE_INFINITY,
    );
    transport.subscribe(o.address, (e) => this.handle(e));
  }

  private get step(): number {
    return this.o.config.resolutionsMin.dso;
  }

  private get n(): number {
    return 1440 / this.step;
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

  private fixedLoadKw(k: number): { pKw: Map<string, number>; qKvar: Map<string, number> } {
    const hour = Math.floor((k * this.step) / 60);
    const shape = this.o.dso.loadShape[hour % 24];
    const pKw = new Map<string, number>();
    const qKvar = new Map<string, number>();
    for (const l of this.o.dso.fixedLoads) {
      const bus = String(l.bus);
      pKw.set(bus, (pKw.get(bus) ?? 0) + mwToKw(l.pMw) * shape);
      qKvar.set(bus, (qKvar.get(bus) ?? 0) + mwToKw(l.qMvar) * shape);
    }
    return { pKw, qKvar };
  }

  /** MV power flow with fixed loads and feeder heads (kW per replica, multiplied by replicas). */
  private solveMv(k: number, feederKw: readonly number[], feederKvar: readonly number[]): MvState {
    const size = this.powerFlow.busIds.length;
    const pLoadMw = new Float64Array(size);
    const qLoadMvar = new Float64Array(size);
    const fixed = this.fixedLoadKw(k);
    for (const [bus, p] of fixed.pKw) pLoadMw[this.busIndex.get(bus)!] += kwToMw(p);
    for (const [bus, q] of fixed.qKvar) qLoadMvar[this.busIndex.get(bus)!] += kwToMw(q);
    this.o.dso.feeders.forEach((f, j) => {
      const i = this.busIndex.get(String(f.parentBus))!;
      pLoadMw[i] += kwToMw(feederKw[j] * f.replicas);
      qLoadMvar[i] += kwToMw(feederKvar[j] * f.replicas);
    });
    const r = this.powerFlow.solveArrays({ pLoadMw, qLoadMvar });
    let vmMin = Number.POSITIVE_INFINITY;
    let vmMax = 0;
    for (let i = 0; i < size; i++) {
      vmMin = Math.min(vmMin, r.vmPu[i]);
      vmMax = Math.max(vmMax, r.vmPu[i]);
    }
    let maxLoading = 0;
    const branches = this.o.dso.network.branches.filter((b) => b.inService);
    branches.forEach((b, m) => {
      if (b.rateAMva > 0)
        maxLoading = Math.max(
          maxLoading,
          (100 * Math.max(Math.hypot(r.pFromMw[m], r.qFromMvar[m]), Math.hypot(r.pToMw[m], r.qToMvar[m]))) /
            b.rateAMva,
        );
    });
    return {
      gspKw: mwToKw(r.pGenMw.reduce((a, b) => a + b, 0)),
      lossesKw: mwToKw(r.lossesMw),
      branchPKw: Float64Array.from(r.pFromMw, mwToKw),
      vmMin,
      vmMax,
      maxLoadingPercent: maxLoading,
    };
  }

  /** Sum the platforms (× replicas) and fixed MV loads, derive the distribution-feasible range, bid to the TSO. */
  private aggregateUp(): void {
    const feeders = this.o.dso.feeders;
    const env = feeders.map((f) => this.envelopes.get(this.o.platformAddresses.get(f.platformId)!)!);
    this.envelopes = new Map();
    const n = this.n;
    const fixedKw: number[] = [];
    for (let k = 0; k < n; k++)
      fixedKw.push([...this.fixedLoadKw(k).pKw.values()].reduce((a, b) => a + b, 0));
    this.fixedKwDay = fixedKw;
    // Sensitivities at the interval of highest planned load.
    const peak = env[0].baseKw.reduce(
      (best, _, k) => (sumAt(env, feeders, k) > sumAt(env, feeders, best) ? k : best),
      0,
    );
    const baseAt = (k: number) => env.map((e) => e.baseKw[k]);
    const qAt = (k: number) => env.map((e) => Math.max(0, e.baseKw[k]) * PLANNING_TAN_PHI);
    const reference = this.solveMv(peak, baseAt(peak), qAt(peak));
    const deltaKw = 100;
    this.sensitivity = feeders.map((f, j) => {
      const p = baseAt(peak);
      p[j] += deltaKw / f.replicas;
      const s = this.solveMv(peak, p, qAt(peak));
      return Float64Array.from(s.branchPKw, (v, m) => (v - reference.branchPKw[m]) / deltaKw);
    });
    const lo: number[] = [];
    const hi: number[] = [];
    const importLimits = feeders.map(() => new Float64Array(n));
    const exportLimits = feeders.map(() => new Float64Array(n));
    this.lossesPlanKw = [];
    for (let k = 0; k < n; k++) {
      const state = this.solveMv(k, baseAt(k), qAt(k));
      this.lossesPlanKw.push(state.lossesKw);
      const up = env.map((e, j) => (e.maxKw[k] - e.baseKw[k]) * feeders[j].replicas);
      const down = env.map((e, j) => (e.baseKw[k] - e.minKw[k]) * feeders[j].replicas);
      const upTotal = up.reduce((a, b) => a + b, 0);
      const downTotal = down.reduce((a, b) => a + b, 0);
      let dHi = upTotal;
      let dLo = -downTotal;
      // Branch limits with the change Δ shared pro rata to flexibility (per direction).
      state.branchPKw.forEach((p, m) => {
        const limit = this.rateKw[m];
        if (!Number.isFinite(limit)) return;
        const sUp =
          upTotal > 0 ? feeders.reduce((a, _, j) => a + (this.sensitivity[j][m] * up[j]) / upTotal, 0) : 0;
        const sDown =
          downTotal > 0
            ? feeders.reduce((a, _, j) => a + (this.sensitivity[j][m] * down[j]) / downTotal, 0)
            : 0;
        if (Math.abs(sUp) > 1e-6) dHi = Math.min(dHi, Math.max((limit - p) / sUp, (-limit - p) / sUp));
        if (Math.abs(sDown) > 1e-6) dLo = Math.max(dLo, Math.min((limit - p) / sDown, (-limit - p) / sDown));
      });
      // Feeder transformers.
      feeders.forEach((f, j) => {
        const baseLoc = env[j].baseKw[k] * f.replicas;
        if (up[j] > 0) dHi = Math.min(dHi, ((f.transformerLimitKw * f.replicas - baseLoc) * upTotal) / up[j]);
        if (down[j] > 0)
          dLo = Math.max(dLo, ((-f.transformerLimitKw * f.replicas - baseLoc) * downTotal) / down[j]);
      });
      const base = state.gspKw;
      hi.push(base + dHi);
      lo.push(Math.min(base + dLo, base + dHi));
      // Location limits for pricing: overloaded branches shed their excess pro rata to downstream imports.
      feeders.forEach((f, j) => {
        const loc = env[j].baseKw[k] * f.replicas;
        let imp = f.transformerLimitKw * f.replicas;
        let exp = f.transformerLimitKw * f.replicas;
        state.branchPKw.forEach((p, m) => {
          const s = this.sensitivity[j][m];
          if (Math.abs(s) < 0.5 || Math.abs(p) <= this.rateKw[m]) return;
          const excess = Math.abs(p) - this.rateKw[m];
          const downstream = feeders.reduce(
            (a, g, i) =>
              a + (Math.abs(this.sensitivity[i][m]) >= 0.5 ? Math.abs(env[i].baseKw[k] * g.replicas) : 0),
            0,
          );
          const cut = downstream > 0 ? (excess * Math.abs(loc)) / downstream : 0;
          if (Math.sign(p) === Math.sign(s)) imp = Math.min(imp, loc - cut);
          else exp = Math.min(exp, -loc - cut);
        });
        importLimits[j][k] = imp;
        exportLimits[j][k] = exp;
      });
    }
    this.limits = feeders.map((_, j) => ({ importKw: importLimits[j], exportKw: exportLimits[j] }));
    const extra = fixedKw.map((v, k) => v + this.lossesPlanKw[k]);
    let total = sumEnvelopes(
      env.map((e, j) => ({ envelope: e, multiplicity: feeders[j].replicas })),
      extra,
    );
    if (this.o.coordination.clipsBidsToDistributionLimits) total = clipEnvelope(total, lo, hi);
    const tsoStep = this.o.config.resolutionsMin.tso;
    this.rangeTso = {
      minKw: resampleSeries(lo, total.startUtc, this.step, tsoStep),
      maxKw: resampleSeries(hi, total.startUtc, this.step, tsoStep),
    };
    this.rangeDso = { lo, hi };
    this.transport.send(this.o.address, this.o.tsoAddress, resampleEnvelope(total, tsoStep));
  }

  private rangeDso?: { lo: number[]; hi: number[] };

  private mediate(request: MessageOf<'schedule'>): void {
    const range = this.rangeTso!;
    const outcome = mediateTsoRequest(request.netImportKw, range.minKw, range.maxKw, this.o.config.mediation);
    for (const c of outcome.conflicts)
      this.o.recorder.mediation.push({
        ...c,
        dso: this.o.dso.id,
        rule: outcome.rule,
        timeUtc: new Date(Date.parse(request.startUtc) + c.interval * request.stepMin * 60_000).toISOString(),
      });
    if (outcome.needsCounter)
      this.transport.send(this.o.address, this.o.tsoAddress, {
        type: 'counter',
        startUtc: request.startUtc,
        stepMin: request.stepMin,
        minKw: range.minKw,
        maxKw: range.maxKw,
        conflictIntervals: outcome.conflicts.map((c) => c.interval),
      });
  }

  /** Prices to platforms: wholesale (TSO step) refined to the platform step, with the DSO's PriceSchedule. */
  private async sendPrices(prices: MessageOf<'prices'>): Promise<void> {
    const platformStep = this.o.config.resolutionsMin.platform;
    const wholesale = resampleSeries(
      prices.wholesaleEurPerMwh,
      prices.startUtc,
      prices.stepMin,
      platformStep,
    );
    const wholesaleDso = resampleSeries(
      prices.wholesaleEurPerMwh,
      prices.startUtc,
      prices.stepMin,
      this.step,
    );
    const index = createTimeIndex({ startUtc: prices.startUtc, stepMin: this.step, length: this.n });
    const day = Math.round((index.startMs - this.o.firstDayMs) / 86_400_000);
    const u = this.o.config.uncertainty;
    const input: DsoPricingInput = {
      dsoId: this.o.dso.id,
      index,
      wholesaleEurPerMwh: Float64Array.from(wholesaleDso),
      tariff: this.o.config.tariff,
      locations: this.o.dso.feeders.map((f) => ({ locationId: f.platformId, replicas: f.replicas })),
      feeders:
        prices.kind === 'day-ahead' && this.o.coordination.pricesHouseholds
          ? this.memberForecasts(index)
          : [],
      forecastError: {
        loadDailySigma: u.loadDailySigma,
        // The prosumer-step noise averaged over one DSO interval.
        loadNoiseSigma: u.loadNoiseSigma / Math.sqrt(this.step / this.o.config.resolutionsMin.prosumer),
        pvRegionalSigma: u.pvRegionalSigma,
      },
      seed: deriveSeed(this.o.seed, day),
    };
    const dsoSchedule =
      prices.kind === 'forecast' ? flatPriceSchedule(input) : await this.o.coordination.priceSchedule(input);
    if (prices.kind === 'day-ahead') {
      this.wholesaleDa = wholesaleDso;
    }
    for (const f of this.o.dso.feeders)
      this.transport.send(this.o.address, this.o.platformAddresses.get(f.platformId)!, {
        type: 'prices',
        kind: prices.kind,
        startUtc: prices.startUtc,
        stepMin: platformStep,
        wholesaleEurPerMwh: wholesale,
        schedule: refineSchedule(platformSchedule(dsoSchedule, f), platformStep),
      });
    if (prices.kind === 'day-ahead' && this.rangeDso)
      this.o.dso.feeders.forEach((f, j) => {
        this.transport.send(this.o.address, this.o.platformAddresses.get(f.platformId)!, {
          type: 'limits',
          startUtc: prices.startUtc,
          stepMin: this.step,
          importMaxKw: Array.from(this.limits[j].importKw, (v) => (Number.isFinite(v) ? v : 1e12)),
          exportMaxKw: Array.from(this.limits[j].exportKw, (v) => (Number.isFinite(v) ? v : 1e12)),
        });
      });
  }

  /**
   * The DSO's day-ahead point forecast of every household on its feeders (DSO step): uncontrollable load and
   * available PV from the members' profiles, and EV charging flexibility — the charger's power while plugged in and
   * the power that spreads each session's required energy evenly over it (the expected behaviour at flat prices).
   */
  private memberForecasts(index: TimeIndex): FeederPricingInput[] {
    const day = Math.round((index.startMs - this.o.firstDayMs) / 86_400_000);
    const n = index.length;
    const stepH = index.stepMin / 60;
    return this.o.dso.feeders.map((f) => ({
      platformId: f.platformId,
      network: f.network,
      members: f.members.map((spec): MemberForecast => {
        const model = this.o.resolver.resolve(shiftSpecDays(spec, day), index, ['prosumers', spec.id]);
        const pvKw = new Float64Array(n);
        for (const pv of model.pv) for (let k = 0; k < n; k++) pvKw[k] += pv.availableKw[k];
        const flexibleMaxKw = new Float64Array(n);
        const flexibleExpectedKw = new Float64Array(n);
        for (const ev of model.evs)
          for (const session of ev.sessions) {
            const first = Math.max(0, session.firstStep);
            const end = Math.min(n, session.endStep);
            if (end <= first) continue;
            const needKwh =
              Math.max(0, session.energyEndMinKwh - session.energyStartKwh) / ev.chargeEfficiency;
            const expected = Math.min(ev.chargerKw, needKwh / ((end - first) * stepH));
            for (let k = first; k < end; k++) {
              flexibleMaxKw[k] += ev.chargerKw;
              flexibleExpectedKw[k] += expected;
            }
          }
        return {
          locationId: spec.id,
          bus: spec.bus,
          loadKw: model.fixedLoadKw,
          pvKw,
          flexibleMaxKw,
          flexibleExpectedKw,
        };
      }),
    }));
  }

  private feederSeries(stage: string, field: 'netImportKw' | 'netImportKvar'): number[][] {
    return this.o.dso.feeders.map((f) => {
      const m = this.measurements.get(`${stage}:${this.o.platformAddresses.get(f.platformId)}`)!;
      return m[field] ?? m.netImportKw.map((p) => Math.max(0, p) * PLANNING_TAN_PHI);
    });
  }

  private sendIntraday(): void {
    const kw = this.feederSeries('intraday', 'netImportKw');
    const startUtc = this.measurements.get(
      `intraday:${this.o.platformAddresses.get(this.o.dso.feeders[0].platformId)}`,
    )!.startUtc;
    const total = this.fixedKwDay.map(
      (fixed, k) =>
        fixed + this.lossesPlanKw[k] + this.o.dso.feeders.reduce((a, f, j) => a + kw[j][k] * f.replicas, 0),
    );
    const tsoStep = this.o.config.resolutionsMin.tso;
    this.transport.send(this.o.address, this.o.tsoAddress, {
      type: 'measurement',
      stage: 'intraday',
      startUtc,
      stepMin: tsoStep,
      netImportKw: resampleSeries(total, startUtc, this.step, tsoStep),
    });
  }

  /** Real-time MV power flow on the feeders' measured head flows; grid-supply-point measurement to the TSO. */
  private runMv(): void {
    const kw = this.feederSeries('real-time', 'netImportKw');
    const kvar = this.feederSeries('real-time', 'netImportKvar');
    const startUtc = this.measurements.get(
      `real-time:${this.o.platformAddresses.get(this.o.dso.feeders[0].platformId)}`,
    )!.startUtc;
    this.measurements = new Map();
    const gsp: number[] = [];
    this.actualLossesKw = [];
    for (let k = 0; k < this.n; k++) {
      const s = this.solveMv(
        k,
        kw.map((v) => v[k]),
        kvar.map((v) => v[k]),
      );
      gsp.push(s.gspKw);
      this.actualLossesKw.push(s.lossesKw);
      const feedersKw = this.o.dso.feeders.reduce((a, f, j) => a + kw[j][k] * f.replicas, 0);
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
        rangeMinKw: this.rangeDso?.lo[k] ?? Number.NaN,
        rangeMaxKw: this.rangeDso?.hi[k] ?? Number.NaN,
      });
      this.o.recorder.balance.push({
        level: 'dso',
        id: this.o.dso.id,
        timeUtc,
        residualKw: s.gspKw - this.fixedKwDay[k] - feedersKw - s.lossesKw,
      });
    }
    const tsoStep = this.o.config.resolutionsMin.tso;
    this.transport.send(this.o.address, this.o.tsoAddress, {
      type: 'measurement',
      stage: 'real-time',
      startUtc,
      stepMin: tsoStep,
      netImportKw: resampleSeries(gsp, startUtc, this.step, tsoStep),
    });
  }

  /** MV customers pay retail (energy → retailer, network charge → DSO); the DSO buys its losses from the retailer. */
  private settle(): void {
    const ledger = this.o.ledger;
    const dso = accountIds.dso(this.o.dso.id);
    const retailer = accountIds.retailer(this.o.dso.id);
    const mv = accountIds.mvLoads(this.o.dso.id);
    ledger.openAccount(dso, 'fee');
    ledger.openAccount(retailer, 'external');
    ledger.openAccount(mv, 'external');
    const dt = this.step / 60;
    const t = this.o.config.tariff;
    let energy = 0;
    let network = 0;
    let losses = 0;
    for (let k = 0; k < this.n; k++) {
      const w = this.wholesaleDa![k] / KW_PER_MW;
      energy += this.fixedKwDay[k] * dt * (w + t.retailMarginEurPerKwh);
      network += this.fixedKwDay[k] * dt * t.networkChargeEurPerKwh;
      losses += this.actualLossesKw[k] * dt * w;
    }
    const day = this.dayStartUtc.slice(0, 10);
    ledger.postRoundedTransaction(
      `${day}/${this.o.dso.id}/mv-loads`,
      'MV customers: retail energy and network charge',
      [
        { accountId: mv, amountEur: -(energy + network) },
        { accountId: retailer, amountEur: energy },
        { accountId: dso, amountEur: network },
      ],
    );
    ledger.postRoundedTransaction(
      `${day}/${this.o.dso.id}/losses`,
      'MV network losses bought at the day-ahead wholesale price',
      [
        { accountId: dso, amountEur: -losses },
        { accountId: retailer, amountEur: losses },
      ],
    );
  }
}

function sumAt(env: readonly EnvelopeMessage[], feeders: DsoModel['feeders'], k: number): number {
  return env.reduce((a, e, j) => a + e.baseKw[k] * feeders[j].replicas, 0);
}

/** Clip an aggregate envelope to [lo, hi] (kW per interval), scaling bid steps to the remaining range. */
function clipEnvelope(e: EnvelopeMessage, lo: readonly number[], hi: readonly number[]): EnvelopeMessage {
  const minKw = e.minKw.map((v, k) => Math.min(Math.max(v, lo[k]), hi[k]));
  const maxKw = e.maxKw.map((v, k) => Math.max(Math.min(v, hi[k]), minKw[k]));
  const baseKw = e.baseKw.map((v, k) => Math.min(Math.max(v, minKw[k]), maxKw[k]));
  const bids = e.bids.map((steps, k) => {
    const sell = steps.filter((s) => s.side === 'sell').reduce((a, s) => a + s.kw, 0);
    const buy = steps.filter((s) => s.side === 'buy').reduce((a, s) => a + s.kw, 0);
    const sellScale = sell > 0 ? (baseKw[k] - minKw[k]) / sell : 0;
    const buyScale = buy > 0 ? (maxKw[k] - baseKw[k]) / buy : 0;
    return steps.map((s) => ({ ...s, kw: s.kw * (s.side === 'sell' ? sellScale : buyScale) }));
  });
  return { ...e, minKw, maxKw, baseKw, bids };
}

/** The part of the DSO's schedule a platform needs: its own location, its members' locations and their fees. */
function platformSchedule(schedule: PriceSchedule, feeder: DsoModel['feeders'][number]): PriceSchedule {
  const members = new Set(feeder.members.map((m) => m.id));
  return {
    ...schedule,
    locations: schedule.locations.filter(
      (l) => l.locationId === feeder.platformId || members.has(l.locationId),
    ),
    fees: schedule.fees.filter((f) => members.has(f.buyerLocationId) && members.has(f.sellerLocationId)),
  };
}

/** Repeat a schedule's per-interval values onto a finer step (prices are intensive; nothing to conserve). */
function refineSchedule(schedule: PriceSchedule, stepMin: number): PriceSchedule {
  const r = schedule.intervalMinutes / stepMin;
  if (r === 1) return schedule;
  const refine = (v: readonly number[]) => v.flatMap((x) => new Array<number>(r).fill(x));
  return {
    ...schedule,
    intervalMinutes: stepMin,
    intervalCount: schedule.intervalCount * r,
    locations: schedule.locations.map((l) => ({
      ...l,
      importPriceEurPerKwh: refine(l.importPriceEurPerKwh),
      exportPriceEurPerKwh: refine(l.exportPriceEurPerKwh),
    })),
    fees: schedule.fees.map((f) => ({ ...f, feeEurPerKwh: refine(f.feeEurPerKwh) })),
  };
}
