// Benchmark: DSO day-ahead probabilistic pricing on the 906-bus IEEE European LV feeder, 48 intervals, 100 scenarios.
// Prints the reduction and decomposition used, wall time, peak resident memory and the QP count.
import { buildLvStudy, priceLvStudy } from '../src/studies/dso-pricing/lv-study.ts';

const scenarios = Number(process.env.SCENARIOS ?? 100);
let peakRssMb = 0;
const sample = () => {
  peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
};
const timer = setInterval(sample, 20);
const t0 = performance.now();
const study = buildLvStudy({ stepMin: 30, pricingScenarios: scenarios, outOfSampleScenarios: 1 });
const t1 = performance.now();
const { schedule, diagnostics } = await priceLvStudy(study, 0.05);
const t2 = performance.now();
sample();
clearInterval(timer);
console.log(
  `network: IEEE European LV, ${diagnostics.originalBusCount} buses → ${diagnostics.reducedBusCount} after reduction`,
);
console.log(`decomposition: ${diagnostics.decomposition}`);
console.log(
  `intervals ${schedule.intervalCount}, scenarios ${diagnostics.scenarioCount}, locations ${schedule.locations.length}, fee pairs ${schedule.fees.length}`,
);
console.log(
  `QPs solved ${diagnostics.qpCount} (largest: one interval, ${diagnostics.reducedBusCount} buses)`,
);
console.log(
  `scenario generation ${((t1 - t0) / 1000).toFixed(2)} s, pricing ${((t2 - t1) / 1000).toFixed(2)} s`,
);
console.log(
  `peak RSS ${peakRssMb.toFixed(0)} MiB (sampled every 20 ms), heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
console.log(
  `max in-sample violation frequency ${Math.max(...diagnostics.intervals.map((i) => i.inSampleViolationFrequency)).toFixed(3)} (risk 0.05)`,
);
