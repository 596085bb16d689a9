// Stressed study benchmark (issue 13 point 3): `gridnest simulate --study stressed` under `none` and `dso-pricing`.
// Prints per run: LV voltage / LV thermal violation intervals (platform intervals × simulated feeders whose feeder
// power flow leaves the buses' vm limits or loads the LV transformer over 100 %), MV violation intervals (DSO
// intervals with a CIGRE MV branch over 100 % or a bus outside its vm limits), LV + MV losses (value table), wall time
// CPU time of this process (the wall time on an idle machine with --workers 0) and peak RSS. usage: npx tsx bench/stressed-study.bench.ts [--study stressed] [--workers 0]
import { createCoordination } from '../src/coordination/index.ts';
import { simulateSystem } from '../src/hierarchy/engine.ts';
import { readStudy, resolveSystemStudy } from '../src/studies/system/index.ts';
import { computeRunMetrics } from '../src/value/index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const t0 = performance.now();
const { document, baseDir } = readStudy(arg('study') ?? 'stressed');
const model = resolveSystemStudy(document, baseDir);
const feeders = model.dsos.flatMap((d) => d.feeders);
/** Tightest bus limits of a network (the recorder keeps each interval's extreme voltages). */
const limitsOf = (buses: readonly { vmMinPu: number; vmMaxPu: number }[]) => ({
  min: Math.max(...buses.map((b) => b.vmMinPu)),
  max: Math.min(...buses.map((b) => b.vmMaxPu)),
});
const lvLimits = new Map(feeders.map((f) => [f.platformId, limitsOf(f.network.buses)]));
const mvLimits = new Map(model.dsos.map((d) => [d.id, limitsOf(d.network.buses)]));
console.log(
  `${model.scenario.name}: ${feeders.length} simulated LV feeders (${feeders.reduce((a, f) => a + f.members.length, 0)} prosumers), ` +
    `${model.days} day(s); study resolved in ${((performance.now() - t0) / 1000).toFixed(1)} s; node ${process.version}`,
);
const rows: string[] = [];
let correlations = '';
rows.push(
  'coordination  lv_voltage_intervals  lv_thermal_intervals  mv_intervals  losses_mwh  wall_s  cpu_s  peak_rss_mb',
);
for (const name of ['none', 'dso-pricing'] as const) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const { recorder } = await simulateSystem(model, {
    coordination: createCoordination(name),
    workers: Number(arg('workers') ?? 0),
  });
  const wallS = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  const lvVoltage = recorder.platform.filter((r) => {
    const l = lvLimits.get(r.platform)!;
    return r.vmMinPu < l.min || r.vmMaxPu > l.max;
  }).length;
  const lvThermal = recorder.platform.filter((r) => r.transformerLoadingPercent > 100).length;
  const mv = recorder.dso.filter((r) => {
    const l = mvLimits.get(r.dso)!;
    return r.maxLoadingPercent > 100 || r.vmMinPu < l.min || r.vmMaxPu > l.max;
  }).length;
  if (name === 'none') correlations = feederCorrelations(recorder.platform);
  const metrics = computeRunMetrics({
    recorder,
    replicasByPlatform: new Map(feeders.map((f) => [f.platformId, f.replicas])),
    days: model.days,
    prosumerStepMin: model.config.resolutionsMin.prosumer,
  });
  rows.push(
    `${name.padEnd(12)}  ${`${lvVoltage} / ${recorder.platform.length}`.padStart(20)}  ${`${lvThermal} / ${recorder.platform.length}`.padStart(20)}  ${`${mv} / ${recorder.dso.length}`.padStart(12)}  ${metrics.lossesMwh.toFixed(2).padStart(10)}  ${wallS.toFixed(1).padStart(6)}  ${cpuS.toFixed(1).padStart(5)}  ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(11)}`,
  );
}
console.log(rows.join('\n'));
console.log(`feeders' net import, pairwise Pearson correlation over the day (none): ${correlations}`);

/** Min / median / max over feeder pairs of the correlation of their actual net import series. */
function feederCorrelations(platformRows: readonly { platform: string; actualImportKw: number }[]): string {
  const byPlatform = new Map<string, number[]>();
  for (const r of platformRows)
    byPlatform.set(r.platform, [...(byPlatform.get(r.platform) ?? []), r.actualImportKw]);
  const series = [...byPlatform.values()];
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const pearson = (x: number[], y: number[]) => {
    const [mx, my] = [mean(x), mean(y)];
    let [sxy, sxx, syy] = [0, 0, 0];
    for (let k = 0; k < x.length; k++) {
      sxy += (x[k] - mx) * (y[k] - my);
      sxx += (x[k] - mx) ** 2;
      syy += (y[k] - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  const r = series.flatMap((x, i) => series.slice(i + 1).map((y) => pearson(x, y))).sort((a, b) => a - b);
  return `min ${r[0].toFixed(2)}, median ${r[Math.floor(r.length / 2)].toFixed(2)}, max ${r[r.length - 1].toFixed(2)} (${r.length} pairs)`;
}
