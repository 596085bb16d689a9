// Batches prosumer scheduling requests of all pools into one call of the ders batch scheduler (worker threads).
import { baselineSchedule } from '../ders/baseline.ts';
import { type ScheduleJob, scheduleProsumers } from '../ders/schedule-batch.ts';
import type { ProsumerSchedule } from '../ders/schedule-prosumer.ts';

/** A plan: the LP schedule, or (baseline runs) only the net injection of the no-EMS behaviour. */
export type PlanResult =
  | { readonly kind: 'optimal'; readonly schedule: ProsumerSchedule }
  | {
      readonly kind: 'baseline';
      readonly netInjectionKw: Float64Array;
    };

interface Pending {
  readonly jobs: readonly ScheduleJob[];
  readonly resolve: (plans: PlanResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Pools `submit` during a phase; the engine calls `flush()` after the phase has drained, which solves every
 * submitted job at once (one worker pool for all platforms) and resolves each pool's promise. With
 * `useBaseline` no LP is solved: every prosumer follows the inflexible baseline (ders/baseline.ts).
 */
export class ProsumerScheduler {
  private pending: Pending[] = [];
  solvedCount = 0;
  failedCount = 0;

  constructor(
    private readonly options: {
      readonly workers: number;
      readonly useBaseline: boolean;
      readonly onProgress?: (done: number, total: number) => void;
    },
  ) {}

  submit(jobs: readonly ScheduleJob[]): Promise<PlanResult[]> {
    return new Promise((resolve, reject) => this.pending.push({ jobs, resolve, reject }));
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const all = batch.flatMap((p) => p.jobs);
      let plans: PlanResult[];
      if (this.options.useBaseline) {
        plans = all.map((j) => ({
          kind: 'baseline',
          netInjectionKw: baselineSchedule(j.model, j.tariff).netInjectionKw,
        }));
      } else {
        const schedules = await scheduleProsumers(all, {
          workers: this.options.workers,
          onProgress: this.options.onProgress,
        });
        plans = schedules.map(
          (schedule, i): PlanResult =>
            schedule.status === 'optimal'
              ? { kind: 'optimal', schedule }
              : {
                  kind: 'baseline',
                  netInjectionKw: baselineSchedule(all[i].model, all[i].tariff).netInjectionKw,
                },
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
