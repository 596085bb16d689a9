// Batches prosumer scheduling requests of all pools into one call of the ders batch scheduler (worker threads).
import { baselineSchedule } from '../ders/baseline.ts';
import { type ScheduleJob, scheduleProsumers } from '../ders/schedule-batch.ts';
import type { ProsumerSchedule } from '../ders/schedule-prosumer.ts';
import { clearFlexiblePool, type PoolNetImportLimits, type PoolSolver } from '../markets/flexible-pool.ts';
import type { LpBasis, OptimisationProblem, SolveOptions } from '../numeric/optimisation/problem.ts';
import { SolverThreads } from '../numeric/optimisation/solver-threads.ts';

/** A plan: the LP schedule, or (baseline runs) only the net injection of the no-EMS behaviour. */
export type PlanResult =
  | { readonly kind: 'optimal'; readonly schedule: ProsumerSchedule }
  | {
      readonly kind: 'baseline';
      readonly netInjectionKw: Float64Array;
    };

interface Pending {
  readonly jobs: readonly ScheduleJob[];
  /** Plan the jobs together: one pool clearing over their flexibility (markets/flexible-pool.ts). */
  readonly isJoint: boolean;
  /** Joint plans only: the net position range the platform agreed with its DSO. */
  readonly limits?: PoolNetImportLimits;
  readonly resolve: (plans: PlanResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Pools `submit` during a phase; the engine calls `flush()` after the phase has drained, which solves every
 * submitted job at once (one worker pool for all platforms) and resolves each pool's promise. With
 * `useBaseline` no LP is solved: every prosumer follows the inflexible baseline (ders/baseline.ts). A joint
 * submission (`{ joint: true }`) is one platform's members planned together: a pool clearing over their DER
 * flexibility, so each member's schedule already uses its neighbours' surplus (issue 12).
 */
export class ProsumerScheduler {
  private pending: Pending[] = [];
  /** The last optimal pool LP basis per joint member set (ids in order): a warm start for its next clearing. */
  private readonly bases = new Map<string, LpBasis>();
  solvedCount = 0;
  failedCount = 0;

  constructor(
    private readonly options: {
      readonly workers: number;
      readonly useBaseline: boolean;
      readonly onProgress?: (done: number, total: number) => void;
    },
  ) {}

  submit(
    jobs: readonly ScheduleJob[],
    options: { readonly joint?: boolean; readonly limits?: PoolNetImportLimits } = {},
  ): Promise<PlanResult[]> {
    const isJoint = (options.joint ?? false) && !this.options.useBaseline;
    const limits = options.limits;
    return new Promise((resolve, reject) => this.pending.push({ jobs, isJoint, limits, resolve, reject }));
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    await this.planAllJointly(batch.filter((p) => p.isJoint));
    await this.planEach(batch.filter((p) => !p.isJoint));
  }

  /**
   * The joint submissions' pool LPs, with workers in solver threads (a few in flight per thread, so memory stays
   * bounded), resolved in submission order; the same LPs as in this thread, so the same plans.
   */
  private async planAllJointly(joint: readonly Pending[]): Promise<void> {
    const threadCount = Math.min(this.options.workers, joint.length);
    const threads = threadCount > 1 ? new SolverThreads(threadCount) : undefined;
    const solve = threads ? (p: OptimisationProblem, o: SolveOptions) => threads.solve(p, o) : undefined;
    const outcomes: ({ plans: PlanResult[] } | { error: unknown })[] = new Array(joint.length);
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < joint.length; i = next++) {
        try {
          outcomes[i] = { plans: await this.planJointly(joint[i].jobs, joint[i].limits, solve) };
        } catch (error) {
          outcomes[i] = { error };
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: threads ? 2 * threadCount : 1 }, lane));
    } finally {
      await threads?.close();
    }
    for (const [i, o] of outcomes.entries()) {
      if ('plans' in o) joint[i].resolve(o.plans);
      else joint[i].reject(o.error);
    }
  }

  /** One pool clearing over the jobs' flexibility; members fall back to their baseline if it has no optimum. */
  private async planJointly(
    jobs: readonly ScheduleJob[],
    limits?: PoolNetImportLimits,
    solve?: PoolSolver,
  ): Promise<PlanResult[]> {
    // Warm start from the last basis of the same members (the bid phase's for the plan phase, the day before's).
    const key = jobs.map((j) => j.model.id).join('\n');
    const pool = await clearFlexiblePool(jobs, {}, limits, { solve, basis: this.bases.get(key) });
    if (pool.basis) this.bases.set(key, pool.basis);
    this.solvedCount += jobs.length;
    if (pool.status !== 'optimal') this.failedCount += jobs.length;
    return pool.schedules.map((schedule, i) =>
      pool.status === 'optimal' ? { kind: 'optimal', schedule } : this.fallback(jobs[i]),
    );
  }

  private fallback(job: ScheduleJob): PlanResult {
    return { kind: 'baseline', netInjectionKw: baselineSchedule(job.model, job.tariff).netInjectionKw };
  }

  private async planEach(batch: readonly Pending[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const all = batch.flatMap((p) => p.jobs);
      let plans: PlanResult[];
      if (this.options.useBaseline) {
        plans = all.map((j) => this.fallback(j));
      } else {
        const schedules = await scheduleProsumers(all, {
          workers: this.options.workers,
          onProgress: this.options.onProgress,
        });
        plans = schedules.map(
          (schedule, i): PlanResult =>
            schedule.status === 'optimal' ? { kind: 'optimal', schedule } : this.fallback(all[i]),
        );
        this.solvedCount += schedules.length;
        this.failedCount += schedules.filter((s) => s.status !== 'optimal').length;
      }
      let offset = 0;
      for (const p of batch) {
        p.resolve(plans.slice(offset, offset + p.jobs.length));
        offset += p.jobs.length;
      }
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
