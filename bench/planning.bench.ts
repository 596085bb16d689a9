// Benchmark: the bundled case33bw-planning study by the single-level MILP — size, wall time and peak memory.
import { readFileSync } from 'node:fs';
import { bundledDataPath } from '../src/io/bundled-data.ts';
import { loadCase } from '../src/io/index.ts';
import { runPlan } from '../src/planning/run-plan.ts';
import { parsePlanningStudy } from '../src/planning/study-schema.ts';

const study = parsePlanningStudy(
  JSON.parse(readFileSync(bundledDataPath('planning/case33bw-planning.json'), 'utf8')),
);
const network = loadCase('case33bw');
let peakRssMb = 0;
const sampler = setInterval(() => {
  peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
}, 50);
for (const isP2pAllowed of [true, false]) {
  const result = await runPlan(study, network, { method: 'bilevel', isP2pAllowed });
  peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
  console.log(
    `case33bw-planning bilevel p2p=${isP2pAllowed}: ${network.buses.length} buses, ${study.candidates.length} candidates, ` +
      `${study.profiles.representativeDays} days × ${study.profiles.stepsPerDay} steps; ${result.status} ` +
      `${result.objectiveEur.toFixed(2)} EUR/yr, upgrades [${result.upgrades.join(', ')}]; ` +
      `${result.wallS.toFixed(1)} s (limit 60 s); peak RSS ${peakRssMb.toFixed(0)} MB`,
  );
}
clearInterval(sampler);
