// Aggregation-effect benchmark: reserve (95 % quantile of the upward net-load forecast error) per household for
// groups of 1, 10, 55 and 1,000 households, from the 100 IEEE European LV load profiles and the OpenDSS PV shape
// with the error model of src/uncertainty/forecast-error.ts. Prints the table, time and peak memory.
//
// usage: npx tsx bench/aggregation-effect.bench.ts [--scenarios N] [--seed S]

import { BundledProfiles } from '../src/io/bundled-profiles.ts';
import { dayTimeIndex } from '../src/time/time-index.ts';
import { type AggregationEffectRow, aggregationEffect } from '../src/uncertainty/aggregation-effect.ts';
import { buildLoadErrorModel, buildPvErrorModel } from '../src/uncertainty/forecast-error.ts';

const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const scenarios = option('scenarios', 500);
const seed = option('seed', 2024);
const groupSizes = [1, 10, 55, 1000];

const start = performance.now();
const bundled = new BundledProfiles();
const index = dayTimeIndex('2024-04-15', 30);
const donors = Array.from({ length: 100 }, (_, i) => bundled.ieeeLvLoad(i + 1));
const load = buildLoadErrorModel(donors, 1, index);
const pv = buildPvErrorModel(bundled.pvShape(), 1, index);
const loadOnly = aggregationEffect(load, { groupSizes, scenarios, seed });
const withPv = aggregationEffect(load, {
  groupSizes,
  scenarios,
  seed,
  pv: { model: pv, share: 0.4, capacityKwp: 4 },
});
const elapsedS = (performance.now() - start) / 1000;

const table = (title: string, rows: AggregationEffectRow[]) => {
  console.log(`\n  ${title}`);
  console.log(
    '  group size | reserve [kW] | reserve per household [kW] | worst-interval per household [kW] | vs single | 1/√N',
  );
  console.log(
    '  ---------- | ------------ | -------------------------- | --------------------------------- | --------- | -----',
  );
  for (const r of rows) {
    console.log(
      `  ${String(r.groupSize).padStart(10)} | ${r.reserveKw.toFixed(2).padStart(12)} | ${r.reservePerHouseholdKw.toFixed(3).padStart(26)} | ${r.peakIntervalReservePerHouseholdKw.toFixed(3).padStart(33)} | ${r.relativeToSingle.toFixed(3).padStart(9)} | ${(1 / Math.sqrt(r.groupSize)).toFixed(3)}`,
    );
  }
};
console.log('aggregation-effect benchmark (issue 4, M8)');
console.log(
  `  donors: 100 IEEE European LV 1-min load profiles (mean ${(load.donorEnergiesKwh.reduce((a, b) => a + b, 0) / 100).toFixed(2)} kWh/day); time grid 48 × 30 min; ${scenarios} scenarios per group; seed ${seed}`,
);
console.log(
  '  reserve = 95 % quantile of (actual − forecast) group net load, pooled over scenarios and intervals',
);
table('household load only (forecast: class profile × expected energy)', loadOnly);
table('load with PV on 40 % of homes (4 kWp; regional PV error shared, log-sd 0.15)', withPv);
console.log(
  `\n  time: ${elapsedS.toFixed(2)} s; peak memory (RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
