// Prosumer scheduling benchmark: 10,000 prosumers (synthetic feeders, seeded DER mix), one day at 30-min steps,
// solved as LPs in a pool of worker threads. Prints problem size, wall time, throughput and peak memory.
// Goal (issue 4): under 30 s on a 2-vCPU machine.
//
// usage: npx tsx bench/prosumer-scheduling.bench.ts [--prosumers N] [--workers W] [--block B]
import { availableParallelism } from 'node:os';
import { baselineSchedule } from '../src/ders/baseline.ts';
import { type ScheduleJob, scheduleProsumers } from '../src/ders/schedule-batch.ts';
import { addProsumerToProblem } from '../src/ders/schedule-prosumer.ts';
import { flatTariff } from '../src/ders/tariff.ts';
import { ProblemBuilder } from '../src/numeric/optimisation/problem.ts';
import { generateSyntheticScenario, loadScenario, validateScenario } from '../src/scenario/index.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const prosumerCount = arg('prosumers', 10_000);
const workers = arg('workers', availableParallelism());
const blockSize = arg('block', 4);
const householdsPerFeeder = 50;

const t0 = performance.now();
const doc = generateSyntheticScenario({
  feeders: Math.ceil(prosumerCount / householdsPerFeeder),
  households: householdsPerFeeder,
  seed: 2024,
  stepMin: 30,
});
const loaded = loadScenario(validateScenario(doc));
const models = loaded.prosumers.slice(0, prosumerCount);
const n = loaded.index.length;
// Time-of-use retail tariff (EUR/kWh): night 0.15, day 0.25, evening peak 0.35; export 0.05; P2P price midway
// between import and export plus a 0.02 fee paid by the buyer.
const importPrices = Array.from({ length: n }, (_, k) => (k < 14 ? 0.15 : k >= 34 && k < 40 ? 0.35 : 0.25));
const p2pPrices = importPrices.map((p) => (p + 0.05) / 2);
const tariff = flatTariff(n, importPrices, 0.05, { priceEurPerKwh: p2pPrices, feeEurPerKwh: 0.02 });
const jobs: ScheduleJob[] = models.map((model) => ({ model, tariff }));
const setupS = (performance.now() - t0) / 1000;

let cols = 0;
let rows = 0;
for (const job of jobs) {
  const b = new ProblemBuilder();
  addProsumerToProblem(b, job.model, job.tariff);
  cols += b.numCols;
  rows += b.numRows;
}
const count = (key: 'pv' | 'batteries' | 'evs' | 'heatPumps' | 'shiftableLoads') =>
  models.reduce((a, m) => a + (m[key].length > 0 ? 1 : 0), 0);

console.log('prosumer scheduling benchmark (issue 4)');
console.log(
  `  prosumers ${jobs.length}, intervals ${n} × ${loaded.index.stepMin} min (one day), workers ${workers}, block ${blockSize}`,
);
console.log(
  `  DERs: PV ${count('pv')}, batteries ${count('batteries')}, EVs ${count('evs')}, heat pumps ${count('heatPumps')}, shiftable ${count('shiftableLoads')}`,
);
console.log(
  `  LP size: ${cols} columns, ${rows} rows in total (${(cols / jobs.length).toFixed(0)} × ${(rows / jobs.length).toFixed(0)} per prosumer)`,
);
console.log(`  scenario generation + resolution: ${setupS.toFixed(2)} s (not in the timed part)`);

const start = performance.now();
let lastReport = 0;
const schedules = await scheduleProsumers(jobs, {
  workers,
  blockSize,
  onProgress: (done, total) => {
    if (done - lastReport >= total / 5 || done === total) {
      lastReport = done;
      process.stderr.write(
        `  … ${done}/${total} after ${((performance.now() - start) / 1000).toFixed(1)} s\n`,
      );
    }
  },
});
const elapsedS = (performance.now() - start) / 1000;
const statuses: Record<string, number> = {};
let flexibleEur = 0;
let baselineEur = 0;
schedules.forEach((s, i) => {
  statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  if (s.status === 'optimal') {
    flexibleEur += s.objectiveEur;
    baselineEur += baselineSchedule(jobs[i].model, tariff).energyCostEur;
  }
});
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`  statuses: ${JSON.stringify(statuses)}`);
console.log(
  `  cost: flexible (P2P assumed liquid at its expected price) ${flexibleEur.toFixed(0)} EUR vs inflexible retail-only baseline ${baselineEur.toFixed(0)} EUR (${((1 - flexibleEur / baselineEur) * 100).toFixed(1)} % saved)`,
);
console.log(
  `  time: ${elapsedS.toFixed(2)} s (${((elapsedS * 1000) / jobs.length).toFixed(2)} ms per prosumer; goal < 30 s)`,
);
console.log(`  peak memory (RSS, all threads): ${peakRssMb.toFixed(0)} MB`);
