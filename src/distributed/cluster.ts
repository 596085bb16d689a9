// The coordinator side of a distributed run: a NATS server (local or given), worker processes that join by
// request, heartbeats, the engine's clock over phase commands with a termination barrier, results merged.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { NegotiationStats } from '../coordination/mechanism.ts';
import { type SimulationResult, STAGE_PLAN } from '../hierarchy/engine.ts';
import { SimulationRecorder } from '../hierarchy/recorder.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';
import { Ledger } from '../ledger/ledger.ts';
import { deleteRunStreams, ensureRunStreams } from '../transport/nats/streams.ts';
import { collectResults } from './collect.ts';
import { connectNats, type LocalNatsServer, startLocalNatsServer } from './nats-server.ts';
import { barrierSubject, heartbeatSubject, ProcessNode } from './process-node.ts';
import type { RunSpec } from './run-spec.ts';
import { mergeResults, type ProcessResult } from './segments.ts';

export const JOIN_SUBJECT = 'gridnest.join';
export const SHUTDOWN_SUBJECT = 'gridnest.shutdown';
export const specSubject = (runId: string) => `gridnest.${runId}.spec`;
/** Characters per spec chunk (ASCII JSON mostly; UTF-8 stays under the 1 MB payload limit). */
const SPEC_CHUNK_CHARS = 256 * 1024;

export type ClusterEvent =
  | { readonly type: 'spawned'; readonly pid: number }
  | { readonly type: 'joined'; readonly rank: number; readonly pid: number; readonly runId: string }
  | { readonly type: 'lost'; readonly rank: number; readonly silentMs: number }
  | { readonly type: 'back'; readonly rank: number };

export interface ClusterOptions {
  /** Worker processes per run. */
  readonly processes: number;
  /** A running server (`nats-server -js`); without it a local one is started on a free loopback port. */
  readonly natsUrl?: string;
  /** Worker processes to start on this machine (default: all of them without `natsUrl`, none with it). */
  readonly localWorkers?: number;
  /** argv of a local worker given the URL (default: this Node with bin/gridnest.js `worker --nats URL`). */
  readonly workerCommand?: (url: string) => readonly string[];
  /** A rank whose heartbeat is silent this long is free for a new worker (default 10 s). */
  readonly heartbeatTimeoutMs?: number;
  readonly onEvent?: (event: ClusterEvent) => void;
}

/** Figures of a distributed run besides the merged result. */
export interface DistributedStats {
  readonly processes: readonly {
    readonly rank: number;
    readonly peakRssBytes: number;
    readonly messages: number;
    readonly natsFrames: number;
    readonly natsBytes: number;
  }[];
  /** Frames the coordinator published (phase commands and TSO messages) per second of the run. */
  readonly coordinatorFramesPerS: number;
  readonly barrierRounds: number;
  readonly lostWorkers: number;
  readonly wallS: number;
}

const defaultWorkerCommand = (url: string): readonly string[] => [
  process.execPath,
  fileURLToPath(new URL('../../bin/gridnest.js', import.meta.url)),
  'worker',
  '--nats',
  url,
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Cluster {
  private readonly children = new Set<ChildProcess>();
  private current:
    | { spec: RunSpec; specChunks: string[]; free: Set<number>; lastSeen: Map<number, number>; lost: number }
    | undefined;
  private readonly subs: Subscription[] = [];
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  /** Local workers that exited during a run and have not been replaced yet. */
  private exitedLocal = 0;

  private constructor(
    private readonly o: ClusterOptions,
    readonly url: string,
    private readonly connection: NatsConnection,
    private readonly server: LocalNatsServer | undefined,
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    if (!Number.isInteger(options.processes) || options.processes < 1)
      throw new Error('processes must be a positive integer');
    const server = options.natsUrl ? undefined : await startLocalNatsServer();
    const url = options.natsUrl ?? server!.url;
    const connection = await connectNats(url);
    const cluster = new Cluster(options, url, connection, server);
    process.on('exit', cluster.killAll);
    cluster.serveJoins();
    const local = options.localWorkers ?? (options.natsUrl ? 0 : options.processes);
    for (let i = 0; i < local; i++) cluster.spawnWorker();
    return cluster;
  }

  private spawnWorker(): void {
    const [cmd, ...args] = (this.o.workerCommand ?? defaultWorkerCommand)(this.url);
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    this.children.add(child);
    child.once('exit', () => {
      this.children.delete(child);
      // A local worker that died mid-run is replaced once its rank is declared lost (heartbeat).
      if (!this.closed && this.current) this.exitedLocal++;
    });
    this.o.onEvent?.({ type: 'spawned', pid: child.pid ?? -1 });
  }

  private serveJoins(): void {
    this.subs.push(
      this.connection.subscribe(JOIN_SUBJECT, {
        callback: (_, m) => {
          const run = this.current;
          const rank = run ? Math.min(...run.free) : Number.POSITIVE_INFINITY;
          if (!run || !Number.isFinite(rank)) return void m.respond(JSON.stringify({ status: 'wait' }));
          run.free.delete(rank);
          run.lastSeen.set(rank, Date.now());
          const pid = Number(m.string() || -1);
          this.o.onEvent?.({ type: 'joined', rank, pid, runId: run.spec.runId });
          m.respond(
            JSON.stringify({ status: 'run', rank, runId: run.spec.runId, parts: run.specChunks.length }),
          );
        },
      }),
    );
  }

  private watch(): void {
    const timeout = this.o.heartbeatTimeoutMs ?? 10_000;
    this.watchdog = setInterval(
      () => {
        const run = this.current;
        if (!run) return;
        for (const [rank, seen] of run.lastSeen) {
          const silentMs = Date.now() - seen;
          if (run.free.has(rank) || silentMs < timeout) continue;
          run.free.add(rank);
          run.lastSeen.delete(rank);
          run.lost++;
          this.o.onEvent?.({ type: 'lost', rank, silentMs });
        }
        // A local worker that exited is replaced while some rank has no live worker.
        if (this.exitedLocal > 0 && run.free.size > 0) {
          this.exitedLocal--;
          this.spawnWorker();
        }
      },
      Math.min(500, timeout / 3),
    );
  }

  /** Run one simulation on the cluster; the result is the in-process engine's, rows in its order. */
  async run(
    model: SystemModel,
    spec: Omit<RunSpec, 'runId' | 'ranks'>,
    onProgress?: (done: number, total: number, label: string) => void,
    processes = this.o.processes,
  ): Promise<
    SimulationResult & { readonly distributed: DistributedStats; readonly negotiation?: NegotiationStats }
  > {
    const started = performance.now();
    const full: RunSpec = {
      ...spec,
      runId: `r${randomBytes(5).toString('hex')}`,
      ranks: processes + 1,
    };
    await ensureRunStreams(this.connection, full.runId);
    const node = await ProcessNode.start(full, 0, this.connection, model);
    const lastSeen = new Map<number, number>();
    const beats = this.connection.subscribe(heartbeatSubject(full.runId, '*'), {
      callback: (_, m) => {
        const rank = Number(m.subject.slice(m.subject.lastIndexOf('.p') + 2));
        const run = this.current;
        if (!run) return;
        // A worker declared lost that beats again (it was only busy) gets its rank back.
        if (run.free.delete(rank)) this.o.onEvent?.({ type: 'back', rank });
        lastSeen.set(rank, Date.now());
      },
    });
    const workers = Array.from({ length: processes }, (_, i) => i + 1);
    // The spec (with the study document) can exceed NATS's 1 MB payload: workers fetch it in chunks.
    const specText = JSON.stringify(full);
    const specChunks = Array.from({ length: Math.ceil(specText.length / SPEC_CHUNK_CHARS) }, (_, i) =>
      specText.slice(i * SPEC_CHUNK_CHARS, (i + 1) * SPEC_CHUNK_CHARS),
    );
    const specs = this.connection.subscribe(specSubject(full.runId), {
      callback: (_, m) => void m.respond(specChunks[Number(m.string())] ?? ''),
    });
    const current = { spec: full, specChunks, free: new Set(workers), lastSeen, lost: 0 };
    this.current = current;
    this.watchdog ?? this.watch();
    let rounds = 0;
    const barrier = async () => {
      let previous = '';
      for (;;) {
        rounds++;
        await node.transport.drain();
        const snaps = [
          node.transport.snapshot(),
          ...(await Promise.all(workers.map((r) => this.probe(full.runId, r)))),
        ];
        const failed = snaps.find((s) => s?.error);
        if (failed) throw new Error(`process ${failed.rank}: ${failed.error}`);
        const ok = snaps.every((s, a) => s?.idle && snaps.every((t, b) => t && s.sent[b] === t.applied[a]));
        const key = ok ? JSON.stringify(snaps.map((s) => [s!.sent, s!.applied])) : '';
        if (ok && key === previous) return;
        previous = key;
        await sleep(ok ? 1 : 5);
      }
    };
    const total = model.days * STAGE_PLAN.length;
    let ordinal = 0;
    for (let day = 0; day < model.days; day++)
      for (let index = 0; index < STAGE_PLAN.length; index++) {
        ordinal++;
        for (let rank = 0; rank <= processes; rank++)
          node.transport.sendControl(rank, { kind: 'phase', ordinal, day, index });
        await barrier();
        const p = STAGE_PLAN[index];
        onProgress?.(ordinal, total, `day ${day + 1}/${model.days} ${p.stage} ${p.phase}`);
      }
    for (const rank of workers) node.transport.sendControl(rank, { kind: 'finish' });
    await node.transport.drain();
    const results: ProcessResult[] = [
      node.result(),
      ...(await collectResults(this.connection, full.runId, workers)),
    ];
    this.current = undefined;
    beats.unsubscribe();
    specs.unsubscribe();
    await node.stop();
    await deleteRunStreams(this.connection, full.runId);
    const recorder = new SimulationRecorder(spec.recordProsumers, {
      recordTrades: spec.recordTrades,
      recordFeederStates: spec.recordFeederStates,
    });
    const ledger = new Ledger({ keepJournal: spec.keepJournal });
    mergeResults(results, recorder, ledger);
    const wallS = (performance.now() - started) / 1000;
    const sum = (f: (r: ProcessResult) => number) => results.reduce((a, r) => a + f(r), 0);
    return {
      coordination: spec.isBaseline
        ? 'baseline'
        : ((spec.coordination as { name?: string }).name ?? String(spec.coordination)),
      isBaseline: spec.isBaseline,
      recorder,
      ledger,
      messageCount: sum((r) => r.messageCount),
      messageBytes: sum((r) => r.messageBytes),
      prosumerCount: model.dsos.reduce((a, d) => a + d.feeders.reduce((b, f) => b + f.members.length, 0), 0),
      failedSchedules: sum((r) => r.failedSchedules),
      negotiation: mergeNegotiation(results),
      distributed: {
        processes: results.map((r) => ({
          rank: r.rank,
          peakRssBytes: r.peakRssBytes,
          messages: r.messageCount,
          natsFrames: r.natsFrames,
          natsBytes: r.natsBytes,
        })),
        coordinatorFramesPerS: results[0].natsFrames / wallS,
        barrierRounds: rounds,
        lostWorkers: current.lost,
        wallS,
      },
    };
  }

  private async probe(runId: string, rank: number) {
    try {
      const m = await this.connection.request(barrierSubject(runId, rank), '', { timeout: 2000 });
      return m.json<ReturnType<ProcessNode['transport']['snapshot']>>();
    } catch {
      return undefined;
    }
  }

  /** On process exit without `close` (an error): no worker or server outlives the coordinator. */
  private readonly killAll = () => {
    for (const child of this.children) child.kill('SIGKILL');
    this.server?.kill();
  };

  /** Tell workers to exit, stop local ones that do not, stop the local server. */
  async close(): Promise<void> {
    this.closed = true;
    process.off('exit', this.killAll);
    if (this.watchdog) clearInterval(this.watchdog);
    this.connection.publish(SHUTDOWN_SUBJECT, '');
    await this.connection.flush();
    const deadline = Date.now() + 3000;
    while (this.children.size > 0 && Date.now() < deadline) await sleep(50);
    for (const child of this.children) child.kill('SIGKILL');
    for (const sub of this.subs) sub.unsubscribe();
    await this.connection.close();
    await this.server?.stop();
  }
}

/** The mechanisms' negotiation figures of all processes: counts added, rounds the largest. */
function mergeNegotiation(results: readonly ProcessResult[]): NegotiationStats | undefined {
  const all = results.flatMap((r) => (r.negotiation ? [r.negotiation] : []));
  if (all.length === 0) return undefined;
  const add = (f: (n: NegotiationStats) => number | undefined) => all.reduce((a, n) => a + (f(n) ?? 0), 0);
  return {
    rounds: Math.max(...all.map((n) => n.rounds)),
    messages: add((n) => n.messages),
    bytes: add((n) => n.bytes),
    ...(all.some((n) => n.gates !== undefined) && { gates: add((n) => n.gates) }),
    ...(all.some((n) => n.notConvergedGates !== undefined) && {
      notConvergedGates: add((n) => n.notConvergedGates),
    }),
  };
}
