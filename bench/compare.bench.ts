// Wall time per simulated day of every coordination (and the baseline) at 1k and 10k prosumers.
//
// System: bench/scale-system.ts (case118, one CIGRE MV DSO per ≤5,000 prosumers, distinct 55-household IEEE European
// LV feeders), 30-min DSO, platform and prosumer steps (as simulation-scale), one day, lean records (no ledger journal, no
// per-trade or per-prosumer rows), `workers` threads for the prosumer LPs. Per coordination: wall time of the whole
// simulated day (all stages), its own coordination messages (negotiation offers/counter-offers; 0 for mpc and rl),
// violation intervals and the process's peak RSS so far (cumulative). Reference ratio: wall time / none's.
//
// With --study NAME the bundled study is timed instead (its own size; `--sizes` ignored). On main of 2026-12-03 the
// case118 scale system stops at the TSO's first OPF hour (bench/simulation-scale fails the same way), so the
// study mode is what gives numbers today.
//
// usage: npx tsx bench/compare.bench.ts [--sizes 1000,10000] [--study stressed] [--coordinations all] [--workers W]
import { availableParallelism } from 'node:os';
import { cliCoordination, parseCoordinationList } from '../src/cli/commands/coordination-list.ts';
import { createCoordination } from '../src/coordination/index.ts';
import { simulateSystem } from '../src/hierarchy/engine.ts';
import { SimulationRecorder } from '../src/hierarchy/recorder.ts';
import { Ledger } from '../src/ledger/ledger.ts';
import { buildDefaultSystemStudy, readStudy, resolveSystemStudy } from '../src/studies/system/index.ts';
import { computeCoordinationOutcome } from '../src/value/index.ts';
import { HOUSEHOLDS_PER_FEEDER, SCALE_TRANSMISSION, scaleDsos } from './scale-system.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('sizes') ?? '1000,10000').split(',').map(Number);
const names = parseCoordinationList(arg('coordinations') ?? 'all');
const workers = Number(arg('workers') ?? availableParallelism());

const study = arg('study');
console.log(
  study
    ? `coordination comparison per simulated day: bundled study ${study} (its own steps), ${workers} workers, node ${process.version}`
    : `coordination comparison per simulated day: ${SCALE_TRANSMISSION}, one CIGRE MV DSO per ≤5000 prosumers, ${HOUSEHOLDS_PER_FEEDER}-household LV feeders, DSO, platform and prosumer steps 30 min, ${workers} workers, node ${process.version}`,
);
console.log(
  'prosumers  coordination       wall_s_per_day  ratio_to_none  coord_messages  violations  peak_rss_mb',
);
const models = study
  ? [() => resolveSystemStudy(readStudy(study).document, readStudy(study).baseDir)]
  : sizes.map((prosumers) => () => scaleModel(prosumers));
function scaleModel(prosumers: number) {
  return resolveSystemStudy(
    buildDefaultSystemStudy({
      transmissionCase: SCALE_TRANSMISSION,
      dsos: scaleDsos(prosumers, 5000),
      households: HOUSEHOLDS_PER_FEEDER,
      platformStepMin: 30,
      prosumerStepMin: 30,
      seed: 2024,
    }),
  );
}
for (const build of models) {
  const model = build();
  let noneS = Number.NaN;
  for (const name of ['baseline', ...names] as const) {
    const mechanism = createCoordination(name === 'baseline' ? 'none' : cliCoordination(name));
    const t0 = performance.now();
    const result = await simulateSystem(model, {
      coordination: mechanism,
      isBaseline: name === 'baseline',
      workers,
      recordProsumers: false,
      recorder: new SimulationRecorder(false, { recordTrades: false }),
      ledger: new Ledger({ keepJournal: false }),
    });
    const wallS = (performance.now() - t0) / 1000 / model.days;
    if (name === 'none') noneS = wallS;
    const o = computeCoordinationOutcome(result.recorder);
    const violations = o.lvVoltageViolationIntervals + o.lvThermalViolationIntervals + o.mvViolationIntervals;
    console.log(
      [
        String(result.prosumerCount).padStart(9),
        name.padEnd(17),
        wallS.toFixed(1).padStart(14),
        (wallS / noneS).toFixed(2).padStart(13),
        String(mechanism.negotiationStats?.().messages ?? 0).padStart(14),
        String(violations).padStart(10),
        ((process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0).padStart(11),
      ].join('  '),
    );
  }
}
