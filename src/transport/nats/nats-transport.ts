// Transport over NATS JetStream: local addresses delivered in-process, remote ones through durable streams, each
// link (sender process → receiver process) numbered so nothing is lost, reordered or applied twice.
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { InputError, parseInput } from '../../core/errors.ts';
import { type Envelope, envelopeSchema, type MessageBody } from '../messages.ts';
import type { MessageHandler, Transport } from '../transport.ts';
import { familyOf, messageSubject, STREAM_FAMILIES, type StreamFamily, streamName } from './subjects.ts';

export interface NatsTransportOptions {
  readonly connection: NatsConnection;
  readonly runId: string;
  /** This process's rank and the number of processes of the run (ranks 0 … ranks − 1). */
  readonly rank: number;
  readonly ranks: number;
  /** The process that owns an address, and the address's hierarchy path (its subject). */
  readonly rankOf: (address: string) => number;
  readonly pathOf: (address: string) => readonly string[];
  /** Called with every envelope as it is handled here (message counts). */
  readonly onDeliver?: (envelope: Envelope, bytes: number) => void;
  /** Called after each handled item with its causal depth (0: sent outside any handler). */
  readonly afterHandle?: (depth: number) => void;
  /** Handles control commands (`sendControl`), in link order with the sender's messages. */
  readonly onControl?: (body: unknown) => void | Promise<void>;
}

/** A frame on a stream: sender and receiver rank, link sequence number, causal depth, an envelope or a command. */
interface Frame {
  readonly r: number;
  readonly t: number;
  readonly l: number;
  readonly d: number;
  readonly e?: Envelope;
  readonly c?: unknown;
}

type Item =
  | { readonly kind: 'envelope'; readonly text: string; readonly depth: number }
  | { readonly kind: 'control'; readonly body: unknown; readonly depth: number };

/** What the coordinator's termination check reads from every process. */
export interface LinkSnapshot {
  readonly rank: number;
  readonly idle: boolean;
  /** Frames sent to each rank / applied from each rank (link sequence numbers reached). */
  readonly sent: readonly number[];
  readonly applied: readonly number[];
  readonly duplicates: number;
  readonly error?: string;
}

/** Frames published by this process and their bytes. */
export interface NatsTraffic {
  readonly frames: number;
  readonly bytes: number;
}

/**
 * The `Transport` of one process of a distributed run. Envelopes to local addresses go through a FIFO queue
 * (serialised and validated like the in-process transport); envelopes to other processes are published to the
 * family's stream on the recipient's hierarchy subject with a per-link sequence number and a dedup id. Every
 * process reads each stream of the run with an ordered consumer from its first message, applies frames addressed
 * to it in link order (buffering early ones, dropping ones already applied), so a restarted process that reads
 * the streams again rebuilds its state and the messages it re-sends are dropped by their receivers.
 */
export class NatsTransport implements Transport {
  private readonly handlers = new Map<string, MessageHandler>();
  private readonly js: JetStreamClient;
  private queue: Item[] = [];
  private head = 0;
  /** Frames from other processes (and own commands), taken one at a time when the local queue is empty. */
  private readonly inbox: Item[] = [];
  private readonly idleTasks: (() => Promise<void>)[] = [];
  private readonly sentTo: number[];
  private readonly nextFrom: number[];
  private readonly early: Map<number, Frame>[];
  private readonly pending = new Set<Promise<unknown>>();
  private seq = 0;
  private nowUtc = '1970-01-01T00:00:00.000Z';
  private depth = -1;
  private pumping: Promise<void> | undefined;
  private failure: unknown;
  private duplicates = 0;
  private readonly traffic = { frames: 0, bytes: 0 };
  private readonly stops: (() => void)[] = [];

  private constructor(private readonly o: NatsTransportOptions) {
    this.js = jetstream(o.connection);
    this.sentTo = new Array(o.ranks).fill(0);
    this.nextFrom = new Array(o.ranks).fill(1);
    this.early = Array.from({ length: o.ranks }, () => new Map());
  }

  /** Open the transport: start reading every stream of the run (they must exist, see `ensureRunStreams`). */
  static async open(options: NatsTransportOptions): Promise<NatsTransport> {
    const t = new NatsTransport(options);
    for (const family of STREAM_FAMILIES) if (family !== 'settlements') await t.read(family);
    return t;
  }

  private async read(family: StreamFamily): Promise<void> {
    const consumer = await this.js.consumers.get(streamName(this.o.runId, family));
    const messages = await consumer.consume();
    this.stops.push(() => void messages.stop());
    void (async () => {
      for await (const m of messages) {
        const frame = m.json<Frame>();
        if (frame.t === this.o.rank) this.accept(frame);
      }
    })().catch((error) => this.fail(error));
  }

  private accept(frame: Frame): void {
    const next = this.nextFrom[frame.r];
    if (frame.l < next || this.early[frame.r].has(frame.l)) {
      this.duplicates++;
      return;
    }
    this.early[frame.r].set(frame.l, frame);
    for (let f = this.early[frame.r].get(this.nextFrom[frame.r]); f; ) {
      this.early[frame.r].delete(f.l);
      this.nextFrom[frame.r]++;
      this.inbox.push(
        f.e
          ? { kind: 'envelope', text: JSON.stringify(f.e), depth: f.d }
          : { kind: 'control', body: f.c, depth: f.d },
      );
      f = this.early[frame.r].get(this.nextFrom[frame.r]);
    }
    this.kick();
  }

  private publish(to: number, family: StreamFamily, path: readonly string[], frame: Frame): void {
    const data = JSON.stringify(frame);
    this.traffic.frames++;
    this.traffic.bytes += data.length;
    const p = this.js
      .publish(messageSubject(this.o.runId, family, path), data, { msgID: `${frame.r}-${to}-${frame.l}` })
      .catch((error) => this.fail(error))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  send(from: string, to: string, body: MessageBody): Envelope {
    this.seq += 1;
    const envelope: Envelope = { seq: this.seq, from, to, sentAtUtc: this.nowUtc, body };
    const depth = this.depth + 1;
    const rank = this.o.rankOf(to);
    if (rank === this.o.rank) this.queue.push({ kind: 'envelope', text: JSON.stringify(envelope), depth });
    else {
      const l = ++this.sentTo[rank];
      this.publish(rank, familyOf(body), this.o.pathOf(to), {
        r: this.o.rank,
        t: rank,
        l,
        d: depth,
        e: envelope,
      });
    }
    return envelope;
  }

  /** Send a command to the process of rank `to` (on the control stream, ordered with this process's messages). */
  sendControl(to: number, body: unknown): void {
    if (to === this.o.rank) {
      this.inbox.push({ kind: 'control', body, depth: 0 });
      this.kick();
      return;
    }
    const l = ++this.sentTo[to];
    this.publish(to, 'control', ['engine', `p${to}`], { r: this.o.rank, t: to, l, d: 0, c: body });
  }

  subscribe(address: string, handler: MessageHandler): void {
    if (this.handlers.has(address))
      throw InputError.single('duplicate_address', ['address'], `"${address}" already has a handler`);
    this.handlers.set(address, handler);
  }

  /** Run `task` once this process has handled everything queued (e.g. the scheduler's flush after a phase). */
  whenIdle(task: () => Promise<void>): void {
    this.idleTasks.push(task);
    this.kick();
  }

  /** Resolve once this process is idle: nothing queued, nothing handled, every publish acknowledged. */
  async drain(): Promise<void> {
    for (;;) {
      this.kick();
      if (this.pumping) await this.pumping;
      if (this.pending.size > 0) await Promise.all([...this.pending]);
      if (this.failure) throw this.failure;
      if (this.isIdle()) return;
    }
  }

  setClock(utc: string): void {
    this.nowUtc = new Date(Date.parse(utc)).toISOString();
  }

  snapshot(): LinkSnapshot {
    return {
      rank: this.o.rank,
      idle: this.isIdle(),
      sent: [...this.sentTo],
      applied: this.nextFrom.map((n) => n - 1),
      duplicates: this.duplicates,
      ...(this.failure !== undefined && { error: String((this.failure as Error).message ?? this.failure) }),
    };
  }

  get published(): NatsTraffic {
    return { ...this.traffic };
  }

  /** Stop reading the streams (publishes already made are awaited). */
  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    await Promise.all([...this.pending]);
  }

  private isIdle(): boolean {
    return (
      this.head >= this.queue.length &&
      this.idleTasks.length === 0 &&
      !this.pumping &&
      this.pending.size === 0
    );
  }

  private fail(error: unknown): void {
    this.failure ??= error;
  }

  private kick(): void {
    if (this.pumping || this.failure) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.head < this.queue.length || this.idleTasks.length > 0 || this.inbox.length > 0) this.kick();
    });
  }

  private async pump(): Promise<void> {
    await Promise.resolve();
    try {
      for (;;) {
        if (this.head < this.queue.length) {
          const item = this.queue[this.head++];
          if (this.head > 4096 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
          }
          await this.handle(item);
          continue;
        }
        const task = this.idleTasks.shift();
        if (task) {
          await task();
          continue;
        }
        // One frame from outside at a time, only once everything it could follow has been handled: a process
        // that replays its streams after a restart handles them in the same order as the first time.
        const next = this.inbox.shift();
        if (!next) return;
        await this.handle(next);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private async handle(item: Item): Promise<void> {
    // Sends made while handling a command (the phase's stage messages) are at depth 0, like the engine's.
    this.depth = item.kind === 'control' ? -1 : item.depth;
    try {
      if (item.kind === 'control') await this.o.onControl?.(item.body);
      else {
        const envelope = parseInput(envelopeSchema, JSON.parse(item.text), ['envelope']);
        const handler = this.handlers.get(envelope.to);
        if (!handler)
          throw InputError.single('unknown_address', ['to'], `no controller listens on "${envelope.to}"`);
        this.o.onDeliver?.(envelope, item.text.length);
        await handler(envelope);
      }
      this.o.afterHandle?.(item.depth);
    } finally {
      this.depth = -1;
    }
  }
}
