// Distributed runs (issue 21): the same study and seed give the in-process engine's tables, ledger and message
// count with 1, 2 and 4 worker processes, and again after a worker is killed with SIGKILL mid-run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoordination } from '../coordination/index.ts';
import { type SimulationResult, simulateSystem } from '../hierarchy/engine.ts';
import type { SystemModel } from '../hierarchy/system-model.ts';
import { buildDefaultSystemStudy, DEFAULT_SITES, resolveSystemStudy } from '../studies/system/index.ts';
import { Cluster, type ClusterEvent } from './cluster.ts';
import { hasNatsServer } from './nats-server.ts';
import type { RunSpec } from './run-spec.ts';
import { TABLES } from './segments.ts';

// Three CIGRE MV DSOs at case14 buses 4, 9 and 14, two 8-household LV platforms each (replicated twice), 30 min.
const dsos = [4, 9, 14].map((bus, d) => ({
  network: `mv-${d + 1}`,
  transmissionBus: bus,
  shareOfBusLoad: 0.3,
  sites: [0, 1].map((k) => ({
    ...DEFAULT_SITES[(2 * d + k) % DEFAULT_SITES.length],
    replicas: 2,
    id: `lv-${2 * d + k + 1}`,
  })),
}));
const document = buildDefaultSystemStudy({
  dsos,
  households: 8,
  platformStepMin: 30,
  prosumerStepMin: 30,
  seed: 11,
});
const spec: Omit<RunSpec, 'runId' | 'ranks'> = {
  study: { document, baseDir: '.', days: 1 },
  coordination: { name: 'none' },
  isBaseline: false,
  threads: 0,
  recordProsumers: true,
  recordFeederStates: true,
  recordTrades: true,
  keepJournal: true,
  collect: 'full',
};

function expectSameRun(actual: SimulationResult, expected: SimulationResult): void {
  for (const table of TABLES) expect(actual.recorder[table], table).toEqual(expected.recorder[table]);
  expect(actual.ledger.transactions).toEqual(expected.ledger.transactions);
  for (const account of expected.ledger.accounts)
    expect(actual.ledger.balanceOf(account.id)).toBe(expected.ledger.balanceOf(account.id));
  expect(actual.ledger.totalBalance()).toBe(0n);
  expect(actual.messageCount).toBe(expected.messageCount);
}

describe.skipIf(!hasNatsServer())('distributed simulation', () => {
  let model: SystemModel;
  let reference: SimulationResult;
  beforeAll(async () => {
    model = resolveSystemStudy(document, '.', { days: 1 });
    reference = await simulateSystem(model, {
      coordination: createCoordination('none'),
      recordFeederStates: true,
    });
  }, 60_000);

  describe('equivalence', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await Cluster.start({ processes: 4 });
    });
    afterAll(async () => {
      await cluster?.close();
    });
    it.each([1, 2, 4])(
      '%i worker process(es) give the in-process tables, ledger and message count',
      async (n) => {
        const result = await cluster.run(model, spec, undefined, n);
        expect(reference.recorder.platform.length).toBe(3 * 2 * 48);
        expectSameRun(result, reference);
        // Only TSO ↔ DSO messages and phase commands cross processes: 3 DSOs × 13 phases + TSO messages.
        expect(result.distributed.processes).toHaveLength(n + 1);
        expect(result.distributed.processes[0].natsFrames).toBeGreaterThanOrEqual(13 * n);
      },
      60_000,
    );
  });

  it('a worker killed with SIGKILL mid-run is noticed by heartbeat, replaced, replays and the results are unchanged', async () => {
    const events: ClusterEvent[] = [];
    const cluster = await Cluster.start({
      processes: 2,
      heartbeatTimeoutMs: 3000,
      onEvent: (e) => events.push(e),
    });
    try {
      let killed = 0;
      const result = await cluster.run(model, spec, (done) => {
        const victim = events.find((e) => e.type === 'joined' && e.rank === 2);
        if (done === 5 && victim?.type === 'joined') {
          killed = victim.pid;
          process.kill(victim.pid, 'SIGKILL');
        }
      });
      expect(killed).toBeGreaterThan(0);
      // (A worker busy with LPs on a loaded machine may also miss beats; it gets its rank back when it beats again.)
      expect(events.some((e) => e.type === 'lost' && e.rank === 2)).toBe(true);
      const rank2 = events.filter((e) => e.type === 'joined' && e.rank === 2);
      expect(rank2.length).toBeGreaterThanOrEqual(2);
      expect(rank2.map((e) => e.type === 'joined' && e.pid)).not.toContain(-1);
      expect(result.distributed.lostWorkers).toBeGreaterThanOrEqual(1);
      expectSameRun(result, reference);
    } finally {
      await cluster.close();
    }
  }, 90_000);
});
