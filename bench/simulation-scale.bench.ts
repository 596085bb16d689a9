// System simulation scale benchmark: prosumer-days per second and peak memory at 30-min resolution, worker threads.
//
// System: MATPOWER case118 (4,242 MW load, 9,966 MW generation) as the transmission case; one CIGRE MV network
// (DSO) per group of up to PROSUMERS_PER_DSO prosumers, each hung from a distinct case118 load bus (largest bus
// loads first) and standing for SHARE_OF_BUS_LOAD of that bus's load (the rest stays an aggregate load); under
// each MV network distinct (non-replicated) 55-household IEEE European LV feeders, cycling over the default
// study's five MV buses and DER mixes. Platform and prosumer steps of 30 min; one simulated day of the full engine
// (day-ahead LPs twice, P2P clearing, intraday, real-time feeder/MV power flows, TSO OPFs, settlement) under
// `none`. Goals (issue 7, 2 vCPUs): 10,000 prosumer-days < 2 min, 100,000 < 15 min, memory linear.
//
// Lean mode (default): every P2P trade is cleared and settled through the ledger (balances exact, ledger_total 0),
// but the run keeps neither the ledger's journal nor one `trades` row per trade (a 100,000-prosumer day clears
// ~7 million trades); platform rows keep each interval's P2P energy and price. `--full-records` keeps both (the
// CLI's behaviour). Feeders of the same case share one network and one prepared power flow.
//
// Each size runs in its own child process (node --max-old-space-size=HEAP_MB, default 16384, and
// --max-semi-space-size=SEMI_MB, default 64: a larger young generation promotes fewer short-lived per-interval
// objects, the garbage collector's share at 10,000 prosumers fell from 9.1 % to 5.5 % of CPU), so peak RSS is the
// child's own maximum resident set (process.resourceUsage().maxRSS, worker threads included) and
// kb_per_prosumer is that peak above the child's RSS before the study is built.
//
// usage: npx tsx bench/simulation-scale.bench.ts [--sizes 1000,10000] [--with-100k] [--workers W] [--full-records]
//          [--per-dso 5000] [--heap-mb 16384] [--semi-mb 64] [--phases]
// `--phases` prints, under each row, the wall seconds of every stage phase of the day (a phase with LPs includes
// their solves), the breakdown the README quotes, and the V8 heap in use after each phase of the last day
// (live objects only under `node --expose-gc`; simulate_s leaves those collections out).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createCoordination } from '../src/coordination/index.ts';
import { STAGE_PLAN, simulateSystem } from '../src/hierarchy/engine.ts';
import { SimulationRecorder } from '../src/hierarchy/recorder.ts';
import { Ledger } from '../src/ledger/ledger.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../src/studies/system/index.ts';
import { HOUSEHOLDS_PER_FEEDER, SCALE_TRANSMISSION, SHARE_OF_BUS_LOAD, scaleDsos } from './scale-system.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const workers = Number(arg('workers') ?? availableParallelism());
const fullRecords = process.argv.includes('--full-records');
const perDso = Number(arg('per-dso') ?? 5000);
const heapMb = Number(arg('heap-mb') ?? 16384);
const semiMb = Number(arg('semi-mb') ?? 64);
const showPhases = process.argv.includes('--phases');
const HOUSEHOLDS = HOUSEHOLDS_PER_FEEDER;
const TRANSMISSION = SCALE_TRANSMISSION;

async function runSize(prosumers: number): Promise<string> {
  const baseRss = process.memoryUsage().rss;
  const dsos = scaleDsos(prosumers, perDso);
  const t0 = performance.now();
  const model = resolveSystemStudy(
    buildDefaultSystemStudy({
      transmissionCase: TRANSMISSION,
      dsos,
      households: HOUSEHOLDS,
      platformStepMin: 30,
      prosumerStepMin: 30,
      seed: 2024,
    }),
  );
  const t1 = performance.now();
  const phaseS = new Map<string, number>();
  const phaseHeapMb = new Map<string, string>();
  let phaseStart = t1;
  let measureS = 0;
  const result = await simulateSystem(model, {
    onProgress: (done, _total, label) => {
      const now = performance.now();
      // done = 1 after the planning stage, then 1 + one per STAGE_PLAN phase and day.
      const to = done > 1 ? ` (${STAGE_PLAN[(done - 2) % STAGE_PLAN.length].to})` : '';
      const phase = `${label.replace(/^day \d+\/\d+ /, '')}${to}`;
      phaseS.set(phase, (phaseS.get(phase) ?? 0) + (now - phaseStart) / 1000);
      if (showPhases) {
        // Live heap only when node runs with --expose-gc (that collection is outside the phase timings).
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        phaseHeapMb.set(
          phase,
          `${(m.heapUsed / 2 ** 20).toFixed(0)}+${(m.external / 2 ** 20).toFixed(0)}/${(m.rss / 2 ** 20).toFixed(0)}`,
        );
      }
      phaseStart = performance.now();
      measureS += (phaseStart - now) / 1000;
    },
    coordination: createCoordination('none'),
    workers,
    recordProsumers: false,
    recorder: new SimulationRecorder(false, { recordTrades: fullRecords }),
    ledger: new Ledger({ keepJournal: fullRecords }),
  });
  const t2 = performance.now();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  // Without the collections and memory reads of `--phases`.
  const simulateS = (t2 - t1) / 1000 - measureS;
  const phases = showPhases
    ? `\n  phases_s: ${[...phaseS].map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)}`).join(', ')}` +
      `\n  heap+external/rss_mb_after: ${[...phaseHeapMb].map(([phase, mb]) => `${phase} ${mb}`).join(', ')}`
    : '';
  return `${[
    String(result.prosumerCount).padStart(9),
    String(dsos.reduce((a, d) => a + d.sites.length, 0)).padStart(7),
    String(dsos.length).padStart(13),
    ((t1 - t0) / 1000).toFixed(1).padStart(7),
    simulateS.toFixed(1).padStart(10),
    (result.prosumerCount / simulateS).toFixed(1).padStart(20),
    (peakRss / 2 ** 20).toFixed(0).padStart(12),
    ((peakRss - baseRss) / 1024 / result.prosumerCount).toFixed(1).padStart(15),
    String(result.messageCount).padStart(9),
    String(result.ledger.totalBalance()).padStart(13),
  ].join('  ')}${phases}`;
}

const child = arg('child');
if (child !== undefined) {
  console.log(await runSize(Number(child)));
} else {
  const sizes = (arg('sizes') ?? '1000,10000').split(',').map(Number);
  if (process.argv.includes('--with-100k')) sizes.push(100_000);
  console.log(
    `system simulation scale: ${TRANSMISSION} transmission, one CIGRE MV DSO per ≤${perDso} prosumers at a distinct load bus (share ${SHARE_OF_BUS_LOAD} of its load), 55-household LV feeders; 1 day at 30-min platform/prosumer steps, ${workers} worker threads, node ${process.version}, child heap ${heapMb} MB, semi-space ${semiMb} MB; ${fullRecords ? 'full records (ledger journal, per-trade rows)' : 'lean mode (no ledger journal, no per-trade rows)'}`,
  );
  console.log(
    'prosumers  feeders  mv_networks  setup_s  simulate_s  prosumer_days_per_s  peak_rss_mb  kb_per_prosumer  messages  ledger_total',
  );
  const script = fileURLToPath(import.meta.url);
  for (const prosumers of sizes) {
    const passOn = ['--workers', String(workers), '--per-dso', String(perDso)];
    if (fullRecords) passOn.push('--full-records');
    if (showPhases) passOn.push('--phases');
    const r = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        `--max-old-space-size=${heapMb}`,
        `--max-semi-space-size=${semiMb}`,
        script,
        '--child',
        String(prosumers),
        ...passOn,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) {
      console.error(`${prosumers} prosumers: child exited with ${r.status ?? r.signal}`);
      process.exitCode = 1;
    }
  }
}
