// TSO controller: hourly DC OPF with the DSOs' aggregate bids as flexible nodes (day-ahead), re-dispatch intraday and in real time.
import { KW_PER_MW, kwToMw, mwToKw } from '../core/units.ts';
import type { Ledger } from '../ledger/ledger.ts';
import {
  type DcOpfFlexibleResult,
  type FlexibleNode,
  solveDcOpfWithFlexibleNodes,
} from '../problems/opf/dc-opf-flexible-nodes.ts';
import type { Envelope, MessageOf } from '../transport/messages.ts';
import type { Transport } from '../transport/transport.ts';
import type { EnvelopeMessage } from './envelope.ts';
import { priceConflicts } from './mediation-costs.ts';
import type { SimulationRecorder } from './recorder.ts';
import { accountIds } from './settlement-accounts.ts';
import type { SimulationConfig } from './simulation-config.ts';
import type { SystemModel } from './system-model.ts';
import { transmissionLoadsMw } from './transmission-loads.ts';

/** Willingness to pay (per MWh) of consumption the DSO could not attach to a bid step. */
const INFLEXIBLE_WTP_PER_MWH = 3000;

interface HourClearing {
  readonly lmpByDso: number[];
  readonly dsoKw: number[];
  readonly generationMw: number[];
  readonly generatorBusLmp: number[];
  readonly aggregateByBus: Map<string, number>;
  readonly systemLoadMw: number;
  readonly lmpByBus: Map<string, number>;
  /** Generation cost of the clearing (objective with fixed nodes; case cost unit per h). */
  readonly costPerH: number;
}

export class TsoController {
  private envelopes = new Map<string, EnvelopeMessage>();
  private counters = new Map<string, MessageOf<'counter'>>();
  private intraday = new Map<string, MessageOf<'measurement'>>();
  private realTime = new Map<string, MessageOf<'measurement'>>();
  private lastAgreedKw: number[][] = [];
  private forecast: HourClearing[] = [];
  private request: HourClearing[] = [];
  private dayAhead: HourClearing[] = [];
  private intradayClearing: HourClearing[] = [];
  private realTimeClearing: HourClearing[] = [];
  private dayStartUtc = '';
  private readonly dsoAddresses: string[];

  constructor(
    private readonly transport: Transport,
    private readonly o: {
      readonly address: string;
      readonly model: SystemModel;
      readonly dsoAddress: (dsoId: string) => string;
      readonly config: SimulationConfig;
      readonly recorder: SimulationRecorder;
      readonly ledger: Ledger;
    },
  ) {
    this.dsoAddresses = o.model.dsos.map((d) => o.dsoAddress(d.id));
    transport.subscribe(o.address, (e) => this.handle(e));
  }

  private get hours(): number {
    return 1440 / this.o.config.resolutionsMin.tso;
  }

  private async handle(envelope: Envelope): Promise<void> {
    const body = envelope.body;
    switch (body.type) {
      case 'stage':
        this.dayStartUtc = body.dayStartUtc;
        if (body.stage === 'day-ahead' && body.phase === 'forecast') await this.sendForecast();
        if (body.stage === 'day-ahead' && body.phase === 'clear') await this.clearDayAhead(false);
        if (body.stage === 'day-ahead' && body.phase === 'final') await this.clearDayAhead(true);
        if (body.stage === 'settlement') this.settle();
        return;
      case 'envelope':
        this.envelopes.set(envelope.from, body);
        this.bands.set(envelope.from, body.bandKw);
        return;
      case 'counter':
        this.counters.set(envelope.from, body);
        return;
      case 'measurement':
        if (body.stage === 'intraday') {
          this.intraday.set(envelope.from, body);
          if (this.intraday.size === this.dsoAddresses.length)
            this.intradayClearing = await this.clearFixed(
              (d, h) => this.intraday.get(this.dsoAddresses[d])!.netImportKw[h],
            );
        } else if (body.stage === 'real-time') {
          this.realTime.set(envelope.from, body);
          if (this.realTime.size === this.dsoAddresses.length) await this.clearRealTime();
        }
        return;
      default:
        return;
    }
  }

  private aggregateLoads(h: number): Map<string, number> {
    return transmissionLoadsMw(this.o.model, h);
  }

  private async solveHour(h: number, nodes: FlexibleNode[]): Promise<HourClearing> {
    const aggregate = this.aggregateLoads(h);
    const r: DcOpfFlexibleResult = await solveDcOpfWithFlexibleNodes(
      this.o.model.transmission,
      nodes,
      aggregate,
    );
    if (r.status !== 'optimal') throw new Error(`TSO OPF hour ${h}: ${r.status} (${r.message ?? ''})`);
    const lmp = new Map(r.buses.map((b) => [String(b.id), b.lmpPerMwh]));
    const dsoKw = r.flexibleNodes.map((f) => mwToKw(f.consumptionMw));
    return {
      lmpByDso: this.o.model.dsos.map((d) => lmp.get(String(d.transmissionBus))!),
      dsoKw,
      generationMw: r.generators.map((g) => g.pMw),
      generatorBusLmp: r.generators.map((g) => lmp.get(String(g.bus))!),
      aggregateByBus: aggregate,
      lmpByBus: lmp,
      costPerH: r.objectivePerH,
      systemLoadMw:
        [...aggregate.values()].reduce((a, b) => a + b, 0) + dsoKw.reduce((a, b) => a + kwToMw(b), 0),
    };
  }

  private fixedNodes(kwOf: (d: number) => number): FlexibleNode[] {
    return this.o.model.dsos.map((d, i) => ({
      id: d.id,
      bus: d.transmissionBus,
      minMw: kwToMw(kwOf(i)),
      blocks: [],
    }));
  }

  private async clearFixed(kwOf: (dso: number, h: number) => number): Promise<HourClearing[]> {
    const out: HourClearing[] = [];
    for (let h = 0; h < this.hours; h++)
      out.push(
        await this.solveHour(
          h,
          this.fixedNodes((d) => kwOf(d, h)),
        ),
      );
    return out;
  }

  private sendPrices(kind: 'forecast' | 'day-ahead', clearing: readonly HourClearing[]): void {
    const step = this.o.config.resolutionsMin.tso;
    this.o.model.dsos.forEach((_, d) => {
      this.transport.send(this.o.address, this.dsoAddresses[d], {
        type: 'prices',
        kind,
        startUtc: this.dayStartUtc,
        stepMin: step,
        wholesaleEurPerMwh: clearing.map((c) => c.lmpByDso[d]),
      });
    });
  }

  /** Price forecast: the OPF with each DSO at its last agreed schedule (first day: its nominal share). */
  private async sendForecast(): Promise<void> {
    const hoursPerShape = this.o.config.resolutionsMin.tso / 60;
    this.forecast = await this.clearFixed((d, h) => {
      const last = this.lastAgreedKw[d];
      if (last) return last[h];
      const dso = this.o.model.dsos[d];
      const busLoad = this.o.model.transmission.loads
        .filter((l) => l.inService && String(l.bus) === String(dso.transmissionBus))
        .reduce((a, l) => a + l.pMw, 0);
      return mwToKw(
        busLoad *
          dso.shareOfBusLoad *
          this.o.config.transmission.loadShape[Math.floor(h * hoursPerShape) % 24],
      );
    });
    this.sendPrices('forecast', this.forecast);
  }

  private flexibleNodes(h: number, bounded: boolean): FlexibleNode[] {
    return this.o.model.dsos.map((d, i) => {
      const e = this.envelopes.get(this.dsoAddresses[i])!;
      let minKw = e.minKw[h];
      let maxKw = e.maxKw[h];
      const counter = bounded ? this.counters.get(this.dsoAddresses[i]) : undefined;
      if (counter) {
        minKw = Math.min(Math.max(minKw, counter.minKw[h]), counter.maxKw[h]);
        maxKw = Math.max(Math.min(maxKw, counter.maxKw[h]), minKw);
      }
      // Blocks in merit order from the cheapest-to-shed consumption upward, trimmed to [minKw, maxKw].
      const steps = e.bids[h]
        .filter((s) => s.kw > 0)
        .map((s) => ({ kw: s.kw, wtp: s.limitPriceEurPerKwh * KW_PER_MW }))
        .sort((a, b) => b.wtp - a.wtp);
      let level = e.minKw[h];
      const blocks: { mw: number; willingnessPerMwh: number }[] = [];
      const take = (kw: number, wtp: number) => {
        const from = Math.max(level, minKw);
        const to = Math.min(level + kw, maxKw);
        if (to > from) blocks.push({ mw: kwToMw(to - from), willingnessPerMwh: wtp });
        level += kw;
      };
      for (const s of steps) take(s.kw, s.wtp);
      if (level < e.maxKw[h]) take(e.maxKw[h] - level, INFLEXIBLE_WTP_PER_MWH);
      // Consumption between e.minKw and minKw is not flexible after mediation.
      return { id: d.id, bus: d.transmissionBus, minMw: kwToMw(minKw), blocks };
    });
  }

  /**
   * Day-ahead clearing; `final` applies DSO counters under distribution-first mediation, prices both rules on the
   * conflicts and publishes the result.
   */
  private async clearDayAhead(final: boolean): Promise<void> {
    const out: HourClearing[] = [];
    const bounded = final && this.o.config.mediation === 'distribution-first';
    for (let h = 0; h < this.hours; h++) out.push(await this.solveHour(h, this.flexibleNodes(h, bounded)));
    const step = this.o.config.resolutionsMin.tso;
    if (!final) {
      this.request = out;
      this.o.model.dsos.forEach((_, d) => {
        this.transport.send(this.o.address, this.dsoAddresses[d], {
          type: 'schedule',
          kind: 'request',
          stage: 'day-ahead',
          startUtc: this.dayStartUtc,
          stepMin: step,
          netImportKw: out.map((c) => c.dsoKw[d]),
        });
      });
      return;
    }
    this.dayAhead = out;
    await this.priceMediation(out);
    this.lastAgreedKw = this.o.model.dsos.map((_, d) => out.map((c) => c.dsoKw[d]));
    this.counters = new Map();
    this.sendPrices('day-ahead', out);
    this.o.model.dsos.forEach((_, d) => {
      this.transport.send(this.o.address, this.dsoAddresses[d], {
        type: 'schedule',
        kind: 'agreed',
        stage: 'day-ahead',
        startUtc: this.dayStartUtc,
        stepMin: step,
        netImportKw: out.map((c) => c.dsoKw[d]),
      });
    });
  }

  /** Both mediation rules' costs on the day's conflicts (mediation-costs.ts), into the recorder. */
  private async priceMediation(final: readonly HourClearing[]): Promise<void> {
    const counters = this.dsoAddresses.map((a) => this.counters.get(a));
    if (counters.every((c) => !c)) return;
    const isDistributionFirst = this.o.config.mediation === 'distribution-first';
    const rows = await priceConflicts({
      rule: this.o.config.mediation,
      dsoIds: this.o.model.dsos.map((d) => d.id),
      counters,
      requestKw: (h, d) => this.request[h].dsoKw[d],
      unbounded: (h) => this.request[h],
      boundedCostPerH: async (h) =>
        isDistributionFirst
          ? final[h].costPerH
          : (await this.solveHour(h, this.flexibleNodes(h, true))).costPerH,
      node: (h, d) => this.flexibleNodes(h, false)[d],
      dtH: this.o.config.resolutionsMin.tso / 60,
      imbalancePenaltyEurPerMwh: this.o.config.imbalancePenaltyEurPerMwh,
      inflexibleEurPerMwh: INFLEXIBLE_WTP_PER_MWH,
      startUtc: this.dayStartUtc,
      stepMin: this.o.config.resolutionsMin.tso,
    });
    this.o.recorder.mediationCosts.push(...rows);
  }

  private async clearRealTime(): Promise<void> {
    this.realTimeClearing = await this.clearFixed(
      (d, h) => this.realTime.get(this.dsoAddresses[d])!.netImportKw[h],
    );
    const step = this.o.config.resolutionsMin.tso;
    for (let h = 0; h < this.hours; h++) {
      const timeUtc = new Date(Date.parse(this.dayStartUtc) + h * step * 60_000).toISOString();
      const rt = this.realTimeClearing[h];
      const generation = rt.generationMw.reduce((a, b) => a + b, 0);
      this.o.model.dsos.forEach((d, i) => {
        const e = this.envelopes.get(this.dsoAddresses[i])!;
        this.o.recorder.tso.push({
          timeUtc,
          dso: d.id,
          bus: String(d.transmissionBus),
          forecastLmpEurPerMwh: this.forecast[h].lmpByDso[i],
          dayAheadLmpEurPerMwh: this.dayAhead[h].lmpByDso[i],
          intradayLmpEurPerMwh: this.intradayClearing[h].lmpByDso[i],
          realTimeLmpEurPerMwh: rt.lmpByDso[i],
          requestedMw: kwToMw(this.request[h].dsoKw[i]),
          dayAheadMw: kwToMw(this.dayAhead[h].dsoKw[i]),
          intradayMw: kwToMw(this.intradayClearing[h].dsoKw[i]),
          realTimeMw: kwToMw(rt.dsoKw[i]),
          bandMw: kwToMw(e.bandKw[h]),
          systemLoadMw: rt.systemLoadMw,
          generationMw: generation,
          generationCostEurPerH: rt.costPerH,
        });
      });
      this.o.recorder.balance.push({
        level: 'tso',
        id: 'tso',
        timeUtc,
        residualKw: mwToKw(generation - rt.systemLoadMw),
      });
    }
    this.envelopes = new Map();
    this.intraday = new Map();
    this.realTime = new Map();
  }

  /**
   * Wholesale settlement per hour and stage: day-ahead at DA LMPs (retailers pay for their DSO's agreed import,
   * aggregate loads for theirs, generators are paid for their output), intraday deviations at ID LMPs, real-time
   * imbalances at RT LMPs plus a penalty on the part outside the agreed uncertainty band. The TSO (market
   * operator) keeps the congestion rent.
   */
  private settle(): void {
    const ledger = this.o.ledger;
    const { tso, generators, aggregateLoads } = accountIds;
    ledger.openAccount(tso, 'grid');
    ledger.openAccount(generators, 'external');
    ledger.openAccount(aggregateLoads, 'external');
    for (const d of this.o.model.dsos) ledger.openAccount(accountIds.retailer(d.id), 'external');
    const dt = this.o.config.resolutionsMin.tso / 60;
    const day = this.dayStartUtc.slice(0, 10);
    const penalty = this.o.config.imbalancePenaltyEurPerMwh;
    for (let h = 0; h < this.hours; h++) {
      const stages: [string, HourClearing, HourClearing | null][] = [
        ['day-ahead', this.dayAhead[h], null],
        ['intraday', this.intradayClearing[h], this.dayAhead[h]],
        ['real-time', this.realTimeClearing[h], this.intradayClearing[h]],
      ];
      for (const [stage, now, before] of stages) {
        const legs: { accountId: string; amountEur: number }[] = [];
        let tsoEur = 0;
        this.o.model.dsos.forEach((d, i) => {
          const mwh = kwToMw(now.dsoKw[i] - (before ? before.dsoKw[i] : 0)) * dt;
          let eur = -mwh * now.lmpByDso[i];
          if (stage === 'real-time') {
            const band = kwToMw(this.bandKw(i, h));
            eur -= Math.max(0, Math.abs(mwh / dt) - band) * dt * penalty;
          }
          legs.push({ accountId: accountIds.retailer(d.id), amountEur: eur });
          tsoEur -= eur;
        });
        let genEur = 0;
        now.generationMw.forEach((g, j) => {
          genEur += (g - (before ? before.generationMw[j] : 0)) * dt * now.generatorBusLmp[j];
        });
        let aggEur = 0;
        if (!before) for (const [bus, mw] of now.aggregateByBus) aggEur += mw * dt * this.lmpAtBus(now, bus);
        legs.push({ accountId: generators, amountEur: genEur });
        legs.push({ accountId: aggregateLoads, amountEur: -aggEur });
        legs.push({ accountId: tso, amountEur: tsoEur + aggEur - genEur });
        ledger.postRoundedTransaction(
          `${day}/tso/${stage}/${h}`,
          `wholesale ${stage} settlement, hour ${h}`,
          legs,
        );
      }
    }
  }

  private readonly bands = new Map<string, number[]>();

  /** The agreed uncertainty band of DSO i in hour h (kW), kept from its day-ahead envelope. */
  private bandKw(i: number, h: number): number {
    return this.bands.get(this.dsoAddresses[i])?.[h] ?? 0;
  }

  private lmpAtBus(c: HourClearing, bus: string): number {
    return c.lmpByBus.get(bus)!;
  }
}
