// System simulation scale benchmark: prosumer-days per second and peak memory at 30-min resolution, worker threads.
//
// Builds the default system (case14 → CIGRE MV → IEEE European LV platforms) with enough distinct (non-replicated)
// 55-household feeders for N prosumers, platform and prosumer steps of 30 min, and runs one simulated day of the
// full engine (day-ahead LPs twice, P2P clearing, intraday, real-time feeder/MV power flows, TSO OPFs, settlement)
// under `none`. Goals (issue 7, 2 vCPUs): 10,000 prosumer-days < 2 min, 100,000 < 15 min, memory linear.
//
// Every P2P trade is cleared and settled through the ledger (balances exact, ledger_total 0), but the run keeps
// neither the ledger's journal nor one `trades` row per trade (a 100,000-prosumer day clears ~7 million trades);
// platform rows keep each interval's P2P energy and price. `--full-records` keeps both (the CLI's behaviour).
// Feeders of the same case share one network and one prepared power flow.
//
// usage: npx tsx bench/simulation-scale.bench.ts [--sizes 1000,10000] [--with-100k] [--workers W] [--full-records]
import { availableParallelism } from 'node:os';
import { createCoordination } from '../src/coordination/index.ts';
import {
  buildDefaultSystemStudy,
  DEFAULT_SITES,
  type SystemSite,
} from '../src/hierarchy/default-system-scenario.ts';
import { simulateSystem } from '../src/hierarchy/engine.ts';
import { SimulationRecorder } from '../src/hierarchy/recorder.ts';
import { resolveSystemStudy } from '../src/hierarchy/system-study.ts';
import { Ledger } from '../src/ledger/ledger.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('sizes') ?? '1000,10000').split(',').map(Number);
if (process.argv.includes('--with-100k')) sizes.push(100_000);
const workers = Number(arg('workers') ?? availableParallelism());
const fullRecords = process.argv.includes('--full-records');
const HOUSEHOLDS = 55;
// Peak RSS per prosumer is measured above the process's RSS before the first study is built.
const baseRss = process.memoryUsage().rss;
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

console.log(
  `system simulation scale, 1 day at 30-min platform/prosumer steps, ${workers} worker threads, node ${process.version}${fullRecords ? ', full records' : ''}`,
);
console.log(
  'prosumers  feeders  setup_s  simulate_s  prosumer_days_per_s  peak_rss_mb  kb_per_prosumer  messages  ledger_total',
);
for (const prosumers of sizes) {
  const feeders = Math.ceil(prosumers / HOUSEHOLDS);
  const buses = DEFAULT_SITES.map((s) => s.bus);
  const sites: SystemSite[] = Array.from({ length: feeders }, (_, f) => ({
    ...DEFAULT_SITES[f % DEFAULT_SITES.length],
    bus: buses[f % buses.length],
    replicas: 1,
    id: `lv-${f + 1}`,
  }));
  peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const model = resolveSystemStudy(
    buildDefaultSystemStudy({
      sites,
      households: HOUSEHOLDS,
      platformStepMin: 30,
      prosumerStepMin: 30,
      seed: 2024,
    }),
  );
  const t1 = performance.now();
  const result = await simulateSystem(model, {
    coordination: createCoordination('none'),
    workers,
    recordProsumers: false,
    recorder: new SimulationRecorder(false, { recordTrades: fullRecords }),
    ledger: new Ledger({ keepJournal: fullRecords }),
  });
  const t2 = performance.now();
  const simulateS = (t2 - t1) / 1000;
  console.log(
    [
      String(result.prosumerCount).padStart(9),
      String(feeders).padStart(7),
      ((t1 - t0) / 1000).toFixed(1).padStart(7),
      simulateS.toFixed(1).padStart(10),
      (result.prosumerCount / simulateS).toFixed(1).padStart(20),
      (peakRss / 2 ** 20).toFixed(0).padStart(12),
      ((peakRss - baseRss) / 1024 / result.prosumerCount).toFixed(1).padStart(15),
      String(result.messageCount).padStart(9),
      String(result.ledger.totalBalance()).padStart(13),
    ].join('  '),
  );
}
clearInterval(sampler);
