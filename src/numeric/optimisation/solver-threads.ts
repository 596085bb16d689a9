// A pool of worker threads that solve OptimisationProblems (solveOptimisation in each thread), one problem per
// thread at a time, results in the order each caller awaits them. For many independent LPs of a few hundred ms
// (e.g. one joint pool LP per platform): the same solver on the same data, so results equal solving in this thread.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OptimisationProblem, OptimisationResult, SolveOptions } from './problem.ts';

export interface SolveRequest {
  readonly id: number;
  readonly problem: OptimisationProblem;
  readonly options: SolveOptions;
}

export interface SolveReply {
  readonly id: number;
  readonly result?: OptimisationResult;
  readonly error?: string;
}

/**
 * Start a worker thread on a TypeScript entry module. Its TypeScript is loaded through tsx's module hooks,
 * registered inside the worker by a small bootstrap (Node 20 does not apply `--import tsx` from a worker's execArgv
 * to its entry module).
 */
export function startTsWorker(entry: URL): Worker {
  const tsxApi = resolveTsxApi();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

function resolveTsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  }
}

interface Waiting {
  readonly request: SolveRequest;
  readonly resolve: (result: OptimisationResult) => void;
  readonly reject: (error: unknown) => void;
}

/** `count` solver threads; `solve` queues a problem, `close` stops the threads (pending solves are rejected). */
export class SolverThreads {
  private readonly idle: Worker[] = [];
  private readonly queue: Waiting[] = [];
  private readonly running = new Map<number, Waiting>();
  private readonly workers: Worker[];
  private nextId = 0;

  constructor(count: number) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`solver threads: count ${count} < 1`);
    this.workers = Array.from({ length: count }, () => {
      const worker = startTsWorker(new URL('./solve-worker.ts', import.meta.url));
      worker.on('message', (reply: SolveReply) => this.receive(worker, reply));
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
    this.idle.push(...this.workers);
  }

  solve(problem: OptimisationProblem, options: SolveOptions = {}): Promise<OptimisationResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, problem, options }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.failAll(new Error('solver threads closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const waiting = this.queue.shift()!;
      const worker = this.idle.pop()!;
      this.running.set(waiting.request.id, waiting);
      worker.postMessage(waiting.request);
    }
  }

  private receive(worker: Worker, reply: SolveReply): void {
    const waiting = this.running.get(reply.id);
    this.running.delete(reply.id);
    this.idle.push(worker);
    if (waiting) {
      if (reply.result) waiting.resolve(reply.result);
      else waiting.reject(new Error(`solver thread failed: ${reply.error}`));
    }
    this.dispatch();
  }

  private failAll(error: unknown): void {
    for (const w of [...this.running.values(), ...this.queue.splice(0)]) w.reject(error);
    this.running.clear();
  }
}
