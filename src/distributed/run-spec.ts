// What a worker needs to build its part of a run: the study, the mechanism, recording options, its partition.
import { z } from 'zod';
import { ADDRESSES } from '../hierarchy/engine.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';

export const runSpecSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  /** Processes of the run: rank 0 the coordinator (clock, TSO), 1 … ranks − 1 workers. */
  ranks: z.number().int().min(2),
  study: z.object({
    document: z.unknown(),
    baseDir: z.string(),
    days: z.number().int().positive().optional(),
    lvModel: z.enum(['balanced', 'three-phase']).optional(),
  }),
  coordination: z.unknown(),
  isBaseline: z.boolean(),
  /** Worker threads for prosumer LPs in each worker process. */
  threads: z.number().int().nonnegative(),
  recordProsumers: z.boolean(),
  recordFeederStates: z.boolean(),
  recordTrades: z.boolean(),
  keepJournal: z.boolean(),
  /** `summary`: workers return balances and counts only, not their result tables (scale runs). */
  collect: z.enum(['full', 'summary']),
});
export type RunSpec = z.infer<typeof runSpecSchema>;

/** DSO index → worker rank: contiguous DSO ranges with about equal prosumer counts (DSO order kept). */
export function partitionDsos(model: SystemModel, workers: number): number[] {
  const sizes = model.dsos.map((d) => d.feeders.reduce((a, f) => a + f.members.length, 0));
  const total = sizes.reduce((a, b) => a + b, 0);
  let before = 0;
  return sizes.map((size) => {
    const rank = 1 + Math.min(workers - 1, Math.floor(((before + size / 2) * workers) / Math.max(total, 1)));
    before += size;
    return rank;
  });
}

/** The owning rank and hierarchy path (subject tokens) of every controller address. */
export function addressMap(model: SystemModel, dsoRanks: readonly number[]) {
  const rank = new Map<string, number>([[ADDRESSES.tso, 0]]);
  const path = new Map<string, string[]>([[ADDRESSES.tso, ['tso']]]);
  model.dsos.forEach((dso, d) => {
    rank.set(ADDRESSES.dso(dso.id), dsoRanks[d]);
    path.set(ADDRESSES.dso(dso.id), ['tso', dso.id]);
    for (const f of dso.feeders) {
      rank.set(ADDRESSES.platform(f.platformId), dsoRanks[d]);
      rank.set(ADDRESSES.pool(f.platformId), dsoRanks[d]);
      path.set(ADDRESSES.platform(f.platformId), ['tso', dso.id, f.platformId]);
      path.set(ADDRESSES.pool(f.platformId), ['tso', dso.id, f.platformId, 'pool']);
    }
  });
  const rankOf = (address: string): number => {
    const r = rank.get(address);
    if (r === undefined) throw new Error(`no process owns address "${address}"`);
    return r;
  };
  return { rankOf, pathOf: (address: string) => path.get(address) ?? [address] };
}
