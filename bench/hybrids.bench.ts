// Hybrids in the situations they are made for, on the stressed study (held-out seeds): each hybrid against its parts.
//
// Late or lost negotiation rounds: `negotiation` and `negotiation+mpc` with message loss p and delay d rounds (and
// a short gate deadline), against `mpc`; and a severe case (loss 0.8, delay 8, a 1-min deadline: the gate closes
// after a few rounds with λ still 0). Late DSO prices: `dso-pricing+mpc` whose DSO prices arrive every K hours,
// with the gaps priced by MPC ('mpc') or by the held last DSO price ('hold' = dso-pricing alone with late prices),
// against `mpc`. Prints per seed and mean: welfare (EUR), LV voltage / LV thermal / MV violation intervals, and
// the sum of violation intervals.
//
// usage: npx tsx bench/hybrids.bench.ts [--study stressed] [--seeds 21,22] [--loss 0.4] [--delay 4] [--k 4]
//          [--runs negotiation,dso]   (only the runs whose label starts with one of these)
import { type CoordinationConfig, createCoordination } from '../src/coordination/index.ts';
import { simulateSystem } from '../src/hierarchy/engine.ts';
import { readStudy, resolveSystemStudy } from '../src/studies/system/index.ts';
import { computeCoordinationOutcome, feederVoltageBands } from '../src/value/index.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const study = arg('study', 'stressed');
const seeds = arg('seeds', '21,22').split(',').map(Number);
const loss = Number(arg('loss', '0.4'));
const delay = Number(arg('delay', '4'));
const k = Number(arg('k', '4'));
const unreliable = { lossProbability: loss, maxDelayRounds: delay, gateDeadlineMinutes: 5 };
const severe = { lossProbability: 0.8, maxDelayRounds: 8, gateDeadlineMinutes: 1 };
const allRuns: [string, CoordinationConfig][] = [
  ['mpc', { name: 'mpc' }],
  [`negotiation (loss ${loss}, delay ${delay})`, { name: 'negotiation', ...unreliable }],
  [`negotiation+mpc (loss ${loss}, delay ${delay})`, { name: 'negotiation+mpc', ...unreliable }],
  ['negotiation (loss 0.8, delay 8, 1 min)', { name: 'negotiation', ...severe }],
  ['negotiation+mpc (loss 0.8, delay 8, 1 min)', { name: 'negotiation+mpc', ...severe }],
  [
    `dso-pricing, prices every ${k} h (held)`,
    { name: 'dso-pricing+mpc', priceUpdateHours: k, betweenUpdates: 'hold' },
  ],
  [`dso-pricing+mpc, prices every ${k} h`, { name: 'dso-pricing+mpc', priceUpdateHours: k }],
];
const only = arg('runs', '')
  .split(',')
  .filter((r) => r.length > 0);
const runs = allRuns.filter(([label]) => only.length === 0 || only.some((r) => label.startsWith(r)));
if (runs.length === 0) throw new Error(`--runs ${only.join(',')} matches no run`);
console.log(`hybrids bench: study ${study}, seeds ${seeds.join(',')}, node ${process.version}`);
console.log('run                                          seed   welfareEur  lvV  lvT   mv  total  status');
const totals = new Map<string, { welfare: number; total: number }>();
for (const seed of seeds) {
  const { document, baseDir } = readStudy(study, { seed });
  const model = resolveSystemStudy(document, baseDir);
  const bands = feederVoltageBands(model.dsos.flatMap((d) => d.feeders));
  for (const [label, config] of runs) {
    const mechanism = createCoordination(config);
    const result = await simulateSystem(model, { coordination: mechanism, recordProsumers: false });
    const o = computeCoordinationOutcome(result.recorder, undefined, bands);
    const stats = mechanism.negotiationStats?.();
    const status = stats?.gates
      ? `${stats.gates - (stats.notConvergedGates ?? 0)}/${stats.gates} gates agreed`
      : '';
    const total = o.lvVoltageViolationIntervals + o.lvThermalViolationIntervals + o.mvViolationIntervals;
    const t = totals.get(label) ?? { welfare: 0, total: 0 };
    totals.set(label, {
      welfare: t.welfare + o.welfareEur / seeds.length,
      total: t.total + total / seeds.length,
    });
    console.log(
      `${label.padEnd(44)} ${String(seed).padStart(4)} ${o.welfareEur.toFixed(1).padStart(12)} ${String(o.lvVoltageViolationIntervals).padStart(4)} ${String(o.lvThermalViolationIntervals).padStart(4)} ${String(o.mvViolationIntervals).padStart(4)} ${String(total).padStart(6)}  ${status}`,
    );
  }
}
console.log('mean over seeds:');
for (const [label, t] of totals)
  console.log(
    `${label.padEnd(44)} welfare ${t.welfare.toFixed(1)} EUR, violation intervals ${t.total.toFixed(1)}`,
  );
