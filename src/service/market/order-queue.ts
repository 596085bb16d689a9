// A platform's job queue: submissions, cancels and call clearings run one at a time in arrival order, and
// consecutive submissions are handed over as one batch (so they are matched and stored in one transaction).
import type { OrderAck, OrderRequest, StoredOrder, StoredTrade } from './records.ts';

export interface ClearingOutcome {
  readonly intervalStartMs: number;
  readonly priceMicroEurPerKwh: number | null;
  readonly energyWh: number;
  readonly trades: readonly StoredTrade[];
  readonly alreadyCleared: boolean;
}

interface Settle<T> {
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}
export interface SubmitJob extends Settle<OrderAck> {
  readonly kind: 'submit';
  readonly request: OrderRequest;
}
export interface CancelJob extends Settle<StoredOrder> {
  readonly kind: 'cancel';
  readonly orderId: number;
  readonly canCancel: (order: StoredOrder) => boolean;
}
export interface ClearJob extends Settle<ClearingOutcome> {
  readonly kind: 'clear';
  readonly intervalStartMs: number;
}
type Job = SubmitJob | CancelJob | ClearJob;

/** Runs the jobs; each settles its own jobs (a runner that throws leaves them pending). */
export interface JobRunner {
  runSubmitBatch(batch: SubmitJob[]): Promise<void>;
  runCancel(job: CancelJob): Promise<void>;
  runClear(job: ClearJob): Promise<void>;
}

/** At most this many consecutive submissions form one batch. */
const MAX_BATCH = 256;

export class OrderQueue {
  private readonly queue: Job[] = [];
  private isDraining = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(private readonly runner: JobRunner) {}

  submit(request: OrderRequest): Promise<OrderAck> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'submit', request, resolve, reject }));
  }

  cancel(orderId: number, canCancel: (order: StoredOrder) => boolean): Promise<StoredOrder> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'cancel', orderId, canCancel, resolve, reject }),
    );
  }

  clear(intervalStartMs: number): Promise<ClearingOutcome> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'clear', intervalStartMs, resolve, reject }),
    );
  }

  /** Resolves when every queued job has finished. */
  drained(): Promise<void> {
    return this.isDraining ? this.idle : Promise.resolve();
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.isDraining) {
      this.isDraining = true;
      this.idle = new Promise((resolve) => {
        this.markIdle = resolve;
      });
      void this.drain();
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0];
        if (first.kind === 'submit') {
          let count = 1;
          while (count < this.queue.length && count < MAX_BATCH && this.queue[count].kind === 'submit')
            count++;
          await this.runner.runSubmitBatch(this.queue.splice(0, count) as SubmitJob[]);
        } else {
          this.queue.shift();
          if (first.kind === 'cancel') await this.runner.runCancel(first);
          else await this.runner.runClear(first);
        }
      }
    } finally {
      this.isDraining = false;
      this.markIdle();
    }
  }
}
