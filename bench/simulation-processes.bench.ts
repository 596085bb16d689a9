// Distributed system simulation scale (issue 21): the simulation-scale study (case118, one CIGRE MV DSO per
// ≤ PER_DSO prosumers, 55-household LV feeders, 1 day at 30 min, `none`) on a local nats-server with 1 or 2 worker
// processes, lean mode (no journal, no per-trade rows, workers return balances and counts only).
// Prints wall time, peak RSS of every process (coordinator first), messages handled, NATS frames and bytes, the
// coordinator's frame rate and the ledger total (must be 0); worker_kb_per_prosumer is each worker's peak RSS
// (its fixed start-up share included) over the prosumers of the DSOs it owns (`partitionDsos`; `-` owns none).
//
// usage: npx tsx bench/simulation-processes.bench.ts [--sizes 1000,10000] [--processes 1,2] [--per-dso 5000]
//          [--threads 0] [--system case118|case14]
import { Cluster } from '../src/distributed/cluster.ts';
import { partitionDsos } from '../src/distributed/run-spec.ts';
import { buildDefaultSystemStudy, DEFAULT_SITES, resolveSystemStudy } from '../src/studies/system/index.ts';
import { HOUSEHOLDS_PER_FEEDER, SCALE_TRANSMISSION, scaleDsos } from './scale-system.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg('sizes', '1000,10000').split(',').map(Number);
const processCounts = arg('processes', '1,2').split(',').map(Number);
const perDso = Number(arg('per-dso', '5000'));
const threads = Number(arg('threads', '0'));
// `--system case14`: three CIGRE MV DSOs at case14 buses 4, 9, 14 (share 0.3) with the feeders split evenly — the
// case118 system stops at the TSO's first OPF hour on today's main (README, compare benchmark).
const system = arg('system', 'case118');
const DEFAULT_BUSES = [4, 9, 14];
const dsosFor = (prosumers: number) => {
  if (system !== 'case14') return scaleDsos(prosumers, perDso);
  const feeders = Math.ceil(prosumers / HOUSEHOLDS_PER_FEEDER);
  const first = (d: number) => Math.floor((d * feeders) / DEFAULT_BUSES.length);
  return DEFAULT_BUSES.map((bus, d) => ({
    network: `mv-${d + 1}`,
    transmissionBus: bus,
    shareOfBusLoad: 0.3,
    sites: Array.from({ length: first(d + 1) - first(d) }, (_, k) => ({
      ...DEFAULT_SITES[k % DEFAULT_SITES.length],
      replicas: 1,
      id: `lv-${first(d) + k + 1}`,
    })),
  }));
};

console.log(
  `distributed simulation scale: ${system === 'case14' ? 'case14, three CIGRE MV DSOs at buses 4, 9, 14' : `${SCALE_TRANSMISSION}, one CIGRE MV DSO per ≤${perDso} prosumers`}, ${HOUSEHOLDS_PER_FEEDER}-household feeders, 1 day at 30 min, none, lean; ${threads} LP threads per worker; node ${process.version}`,
);
console.log(
  'prosumers  processes  setup_s  simulate_s  prosumer_days_per_s  peak_rss_mb(coord,workers…)  worker_kb_per_prosumer  messages  nats_frames  nats_kb  coord_frames_per_s  ledger_total',
);
for (const prosumers of sizes) {
  const t0 = performance.now();
  const document = buildDefaultSystemStudy({
    transmissionCase: system === 'case14' ? 'case14' : SCALE_TRANSMISSION,
    dsos: dsosFor(prosumers),
    households: HOUSEHOLDS_PER_FEEDER,
    platformStepMin: 30,
    prosumerStepMin: 30,
    seed: 2024,
  });
  const model = resolveSystemStudy(document);
  const setupS = (performance.now() - t0) / 1000;
  for (const processes of processCounts) {
    const cluster = await Cluster.start({ processes, heartbeatTimeoutMs: 120_000 });
    const r = await cluster.run(model, {
      study: { document, baseDir: '.', days: 1 },
      coordination: { name: 'none' },
      isBaseline: false,
      threads,
      recordProsumers: false,
      recordFeederStates: false,
      recordTrades: false,
      keepJournal: false,
      collect: 'summary',
    });
    await cluster.close();
    const d = r.distributed;
    const ranks = partitionDsos(model, processes);
    const owned = (rank: number) =>
      model.dsos.reduce(
        (a, dso, i) => a + (ranks[i] === rank ? dso.feeders.reduce((b, f) => b + f.members.length, 0) : 0),
        0,
      );
    console.log(
      [
        String(r.prosumerCount).padStart(9),
        String(processes).padStart(9),
        setupS.toFixed(1).padStart(7),
        d.wallS.toFixed(1).padStart(10),
        (r.prosumerCount / d.wallS).toFixed(1).padStart(19),
        d.processes
          .map((p) => (p.peakRssBytes / 2 ** 20).toFixed(0))
          .join(',')
          .padStart(28),
        d.processes
          .filter((p) => p.rank > 0)
          .map((p) => (owned(p.rank) > 0 ? (p.peakRssBytes / 1024 / owned(p.rank)).toFixed(1) : '-'))
          .join(',')
          .padStart(22),
        String(r.messageCount).padStart(8),
        String(d.processes.reduce((a, p) => a + p.natsFrames, 0)).padStart(11),
        (d.processes.reduce((a, p) => a + p.natsBytes, 0) / 1024).toFixed(0).padStart(7),
        d.coordinatorFramesPerS.toFixed(1).padStart(18),
        String(r.ledger.totalBalance()).padStart(12),
      ].join('  '),
    );
  }
}
