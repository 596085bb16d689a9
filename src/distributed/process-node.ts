import { randomBytes } from 'node:crypto';
// One process of a distributed run: its part of the controller tree on a NatsTransport, the engine's phase
// commands, the termination probe, heartbeats, and its results published to the settlements stream.
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CoordinationConfig, CoordinationMechanism, NegotiationStats } from '../coordination/index.ts';
import { createCoordination } from '../coordination/index.ts';
import { STAGE_PLAN, wireControllers } from '../hierarchy/engine.ts';
import { ProsumerScheduler } from '../hierarchy/prosumer-scheduler.ts';
import { SimulationRecorder } from '../hierarchy/recorder.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';
import { Ledger } from '../ledger/ledger.ts';
import { NatsTransport } from '../transport/nats/nats-transport.ts';
import { messageSubject } from '../transport/nats/subjects.ts';
import { encodeResult } from './codec.ts';
import { addressMap, partitionDsos, type RunSpec } from './run-spec.ts';
import { type ProcessResult, processResult, SegmentLog } from './segments.ts';

/** Engine → process commands on the control stream. */
export type Command =
  | { readonly kind: 'phase'; readonly ordinal: number; readonly day: number; readonly index: number }
  | { readonly kind: 'finish' };

/** Tells this process's results apart from those of an earlier process of the same rank. */
export const PROCESS_INSTANCE = randomBytes(6).toString('hex');

export const CHUNK_BYTES = 512 * 1024;
export const HEARTBEAT_MS = 250;

export const barrierSubject = (runId: string, rank: number) => `gridnest.${runId}.barrier.p${rank}`;
export const heartbeatSubject = (runId: string, rank: number | '*') =>
  `gridnest.${runId}.heartbeat.${rank === '*' ? '*' : `p${rank}`}`;

/** Day start and the phase's clock time (ISO UTC) of phase `index` of day `day`. */
export function phaseTimes(model: SystemModel, day: number, index: number) {
  const dayStartMs = Date.parse(`${model.firstDayUtc}T00:00:00Z`) + day * 86_400_000;
  return {
    dayStartUtc: new Date(dayStartMs).toISOString(),
    nowUtc: new Date(dayStartMs + STAGE_PLAN[index].atH * 3_600_000).toISOString(),
  };
}

export class ProcessNode {
  readonly recorder: SimulationRecorder;
  readonly ledger: Ledger;
  transport!: NatsTransport;
  private readonly log: SegmentLog;
  private messageCount = 0;
  private messageBytes = 0;
  private readonly stops: (() => void)[] = [];
  private targets: ReturnType<typeof wireControllers> | undefined;
  private readonly scheduler: ProsumerScheduler;
  private readonly mechanism: CoordinationMechanism;
  private resolveFinished: () => void = () => undefined;
  /** Resolves once this process has published its results (workers leave the run then). */
  readonly finished = new Promise<void>((resolve) => {
    this.resolveFinished = resolve;
  });
  private constructor(
    readonly spec: RunSpec,
    readonly rank: number,
    private readonly connection: NatsConnection,
    private readonly model: SystemModel,
  ) {
    this.recorder = new SimulationRecorder(spec.recordProsumers, {
      recordTrades: spec.recordTrades,
      recordFeederStates: spec.recordFeederStates,
    });
    this.ledger = new Ledger({ keepJournal: spec.keepJournal });
    this.log = new SegmentLog(this.recorder, this.ledger);
    this.scheduler = new ProsumerScheduler({ workers: spec.threads, useBaseline: spec.isBaseline });
    this.mechanism = createCoordination(spec.coordination as CoordinationConfig, [
      'simulation',
      'coordination',
    ]);
  }

  /** Build this rank's controllers and start reading the run's streams (which the coordinator created). */
  static async start(
    spec: RunSpec,
    rank: number,
    connection: NatsConnection,
    model: SystemModel,
  ): Promise<ProcessNode> {
    const dsoRanks = partitionDsos(model, spec.ranks - 1);
    const { rankOf, pathOf } = addressMap(model, dsoRanks);
    const node = new ProcessNode(spec, rank, connection, model);
    const transport = await NatsTransport.open({
      connection,
      runId: spec.runId,
      rank,
      ranks: spec.ranks,
      rankOf,
      pathOf,
      onDeliver: (_, bytes) => node.count(bytes),
      afterHandle: (depth) => node.log.mark(depth),
      onControl: (body) => node.command(body as Command),
    });
    node.transport = transport;
    node.targets = wireControllers(
      model,
      transport,
      {
        coordination: node.mechanism,
        isBaseline: spec.isBaseline,
        recorder: node.recorder,
        ledger: node.ledger,
        scheduler: node.scheduler,
      },
      { tso: rank === 0, dso: (d) => dsoRanks[d] === rank },
    );
    if (rank > 0) node.serveProbes();
    return node;
  }

  private count(bytes: number): void {
    this.messageCount++;
    this.messageBytes += bytes;
  }

  private serveProbes(): void {
    const sub = this.connection.subscribe(barrierSubject(this.spec.runId, this.rank), {
      callback: (_, m) => void m.respond(JSON.stringify(this.transport.snapshot())),
    });
    const beat = setInterval(
      () => this.connection.publish(heartbeatSubject(this.spec.runId, this.rank), String(process.pid)),
      HEARTBEAT_MS,
    );
    this.connection.publish(heartbeatSubject(this.spec.runId, this.rank), String(process.pid));
    this.stops.push(
      () => sub.unsubscribe(),
      () => clearInterval(beat),
    );
  }

  private async command(cmd: Command): Promise<void> {
    if (cmd.kind === 'finish') return this.publishResult();
    const phase = STAGE_PLAN[cmd.index];
    const { dayStartUtc, nowUtc } = phaseTimes(this.model, cmd.day, cmd.index);
    this.log.phase = cmd.ordinal;
    this.log.round = 0;
    this.transport.setClock(nowUtc);
    for (const to of this.targets![phase.to])
      this.transport.send('engine', to, {
        type: 'stage',
        stage: phase.stage,
        phase: phase.phase,
        dayStartUtc,
      });
    if (phase.flush)
      this.transport.whenIdle(async () => {
        await this.scheduler.flush();
        this.log.mark(0);
        this.log.round = 1;
      });
  }

  /** This process's result: tables (unless `collect: summary`), balances and counts. */
  result(): ProcessResult {
    const traffic = this.transport.published;
    return processResult(
      this.rank,
      this.recorder,
      this.ledger,
      this.log,
      {
        messageCount: this.messageCount,
        messageBytes: this.messageBytes,
        failedSchedules: this.scheduler.failedCount,
        natsFrames: traffic.frames,
        natsBytes: traffic.bytes,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        negotiation: this.mechanism.negotiationStats?.(),
      },
      this.spec.collect === 'summary',
    );
  }

  private async publishResult(): Promise<void> {
    const instance = PROCESS_INSTANCE;
    const data = Buffer.from(encodeResult(this.result()));
    const parts = Math.max(1, Math.ceil(data.length / CHUNK_BYTES));
    const js = jetstream(this.connection);
    for (let p = 0; p < parts; p++)
      await js.publish(
        messageSubject(this.spec.runId, 'settlements', [`p${this.rank}`, instance, String(p), String(parts)]),
        data.subarray(p * CHUNK_BYTES, (p + 1) * CHUNK_BYTES),
        { msgID: `result-${this.rank}-${instance}-${p}` },
      );
    this.resolveFinished();
  }

  async stop(): Promise<void> {
    for (const stop of this.stops) stop();
    await this.transport.close();
  }
}

export type { NegotiationStats };
