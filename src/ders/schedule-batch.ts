// Batch scheduling of many prosumers: small block-diagonal problems solved in a pool of worker threads.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { solveOptimisation } from '../numeric/optimisation/index.ts';
import { ProblemBuilder } from '../numeric/optimisation/problem.ts';
import { startTsWorker } from '../numeric/optimisation/solver-threads.ts';
import type { ProsumerModel } from './prosumer-model.ts';
import {
  addProsumerToProblem,
  failedSchedule,
  type ProsumerSchedule,
  readSchedule,
  type ScheduleOptions,
} from './schedule-prosumer.ts';
import type { ProsumerTariff } from './tariff.ts';

export interface ScheduleJob {
  readonly model: ProsumerModel;
  readonly tariff: ProsumerTariff;
}

export interface BatchOptions extends ScheduleOptions {
  /** Worker threads; 0 solves in this thread. Default: available CPUs, or 0 for fewer than 64 jobs. */
  readonly workers?: number;
  /** Prosumers per solver call (block-diagonal problem); 1–10 is fastest for day-ahead problems. Default 4. */
  readonly blockSize?: number;
  /** Prosumers per message to a worker (load balancing granularity). Default 200. */
  readonly chunkSize?: number;
  /** Called with the number of prosumers finished so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Solve prosumers in blocks of `blockSize` in this thread. A block that is not optimal is re-solved prosumer by
 * prosumer so each gets its own status.
 */
export async function scheduleProsumersInThread(
  jobs: readonly ScheduleJob[],
  options: ScheduleOptions & { readonly blockSize?: number } = {},
): Promise<ProsumerSchedule[]> {
  const blockSize = Math.max(1, options.blockSize ?? 4);
  const out: ProsumerSchedule[] = [];
  for (let start = 0; start < jobs.length; start += blockSize) {
    const block = jobs.slice(start, start + blockSize);
    const builder = new ProblemBuilder();
    const layouts = block.map((j) => addProsumerToProblem(builder, j.model, j.tariff, options));
    const result = await solveOptimisation(builder.build());
    if (result.status === 'optimal') {
      for (const layout of layouts) out.push(readSchedule(layout, result.status, result.x, result.rowDual));
    } else if (block.length === 1) {
      out.push(failedSchedule(layouts[0], result.status));
    } else {
      out.push(...(await scheduleProsumersInThread(block, { ...options, blockSize: 1 })));
    }
  }
  return out;
}

interface WorkerRequest {
  readonly chunk: number;
  readonly jobs: readonly ScheduleJob[];
  readonly options: ScheduleOptions & { readonly blockSize?: number };
}

interface WorkerReply {
  readonly chunk: number;
  readonly schedules?: ProsumerSchedule[];
  readonly error?: string;
}

const startWorker = () => startTsWorker(new URL('./schedule-worker.ts', import.meta.url));

/**
 * Schedule many prosumers. With workers, jobs go out in chunks to a pool of threads, each solving blocks of
 * `blockSize` prosumers per HiGHS call; results come back in input order. Non-optimal outcomes are statuses.
 */
export async function scheduleProsumers(
  jobs: readonly ScheduleJob[],
  options: BatchOptions = {},
): Promise<ProsumerSchedule[]> {
  const { onProgress, workers: requested, chunkSize: requestedChunk, ...solveOptions } = options;
  const workerCount = Math.min(
    requested ?? (jobs.length < 64 ? 0 : availableParallelism()),
    Math.ceil(jobs.length / 8),
  );
  if (workerCount <= 0) {
    const chunk = requestedChunk ?? 200;
    const out: ProsumerSchedule[] = [];
    for (let start = 0; start < jobs.length; start += chunk) {
      out.push(...(await scheduleProsumersInThread(jobs.slice(start, start + chunk), solveOptions)));
      onProgress?.(out.length, jobs.length);
    }
    return out;
  }
  const chunkSize = Math.max(1, requestedChunk ?? Math.min(200, Math.ceil(jobs.length / (workerCount * 4))));
  const chunkCount = Math.ceil(jobs.length / chunkSize);
  const results: ProsumerSchedule[][] = new Array(chunkCount);
  const pool = Array.from({ length: workerCount }, startWorker);
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      const dispatch = (worker: Worker) => {
        if (next >= chunkCount) {
          if (active === 0) resolve();
          return;
        }
        const chunk = next++;
        active++;
        const request: WorkerRequest = {
          chunk,
          jobs: jobs.slice(chunk * chunkSize, (chunk + 1) * chunkSize),
          options: solveOptions,
        };
        worker.postMessage(request);
      };
      for (const worker of pool) {
        worker.on('message', (reply: WorkerReply) => {
          active--;
          if (reply.error !== undefined || !reply.schedules) {
            reject(new Error(`scheduling worker failed: ${reply.error}`));
            return;
          }
          results[reply.chunk] = reply.schedules;
          done += reply.schedules.length;
          onProgress?.(done, jobs.length);
          dispatch(worker);
        });
        worker.on('error', reject);
        dispatch(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results.flat();
}

export type { WorkerReply, WorkerRequest };
