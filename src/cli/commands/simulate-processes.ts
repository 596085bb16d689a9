// `simulate --processes N [--nats URL] [--local-workers K]`: the runs of `simulate` on a cluster of processes.
import { InputError } from '../../core/errors.ts';
import type { SimulateOptions } from '../../hierarchy/engine.ts';
import type { SystemModel } from '../../hierarchy/system-model.ts';

interface ProcessFlags {
  readonly processes?: number;
  readonly nats?: string;
  readonly localWorkers?: number;
}

/** Undefined without --processes; otherwise a runner with `simulateSystem`'s call shape, and its cluster's close. */
export async function distributedRunner(
  flags: ProcessFlags,
  study: {
    readonly document: unknown;
    readonly baseDir: string;
    readonly lvModel: 'balanced' | 'three-phase';
  },
) {
  if (flags.processes === undefined) {
    if (flags.nats !== undefined || flags.localWorkers !== undefined)
      throw InputError.single('bad_option', ['--nats'], '--nats and --local-workers need --processes');
    return undefined;
  }
  if (flags.nats !== undefined && !/^(nats|tls|wss?):\/\//.test(flags.nats))
    throw InputError.single('bad_option', ['--nats'], `not a NATS URL: ${flags.nats}`);
  const { Cluster } = await import('../../distributed/cluster.ts');
  const cluster = await Cluster.start({
    processes: flags.processes,
    natsUrl: flags.nats,
    localWorkers: flags.localWorkers,
  });
  return {
    run: (model: SystemModel, o: SimulateOptions & { readonly coordinationConfig: unknown }) => {
      if (o.plan)
        throw InputError.single('bad_option', ['--plan'], '--plan is not supported with --processes yet');
      return cluster.run(
        model,
        {
          study: {
            document: study.document,
            baseDir: study.baseDir,
            days: model.days,
            lvModel: study.lvModel,
          },
          coordination: o.coordinationConfig,
          isBaseline: o.isBaseline ?? false,
          threads: o.workers ?? 0,
          recordProsumers: o.recordProsumers ?? true,
          recordFeederStates: o.recordFeederStates ?? false,
          recordTrades: true,
          keepJournal: true,
          collect: 'full',
        },
        o.onProgress,
      );
    },
    close: () => cluster.close(),
  };
}
