// Benchmark: the bundled case33bw-planning study by the single-level MILP with and without P2P (limit 60 s each),
// checked against enumeration (objective to 1e-6 relative, same upgrades); size, wall time and peak memory.
// `--skip-enumerate` leaves out the (slow) reference.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { bundledDataPath } from '../src/io/bundled-data.ts';
import { loadCase } from '../src/io/index.ts';
import { deferralNpvEur } from '../src/planning/plan-comparison.ts';
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
const isEnumerated = !process.argv.includes('--skip-enumerate');
console.log(
  `load average at start ${loadavg()[0].toFixed(1)} on 2 cores (wall times grow with it; CPU s = this process's user + system time)`,
);
const upgrades: Record<string, readonly string[]> = {};
for (const isP2pAllowed of [true, false]) {
  const cpuStart = process.cpuUsage();
  const result = await runPlan(study, network, { method: 'bilevel', isP2pAllowed });
  const cpu = process.cpuUsage(cpuStart);
  upgrades[String(isP2pAllowed)] = result.upgrades;
  peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
  console.log(
    `case33bw-planning bilevel p2p=${isP2pAllowed}: ${network.buses.length} buses, ${study.candidates.length} candidates, ` +
      `${study.profiles.representativeDays} days × ${study.profiles.stepsPerDay} steps; ${result.status} ` +
      `${result.objectiveEur.toFixed(2)} EUR/yr, upgrades [${result.upgrades.join(', ')}]; ` +
      `${result.wallS.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s (limit 60 s); peak RSS ${peakRssMb.toFixed(0)} MB`,
  );
  if (isEnumerated) {
    const reference = await runPlan(study, network, { method: 'enumerate', isP2pAllowed });
    const relative =
      Math.abs(result.objectiveEur - reference.objectiveEur) / Math.abs(reference.objectiveEur);
    const isSame = result.upgrades.join() === reference.upgrades.join();
    console.log(
      `  enumerate p2p=${isP2pAllowed}: ${reference.objectiveEur.toFixed(2)} EUR/yr, upgrades [${reference.upgrades.join(', ')}] in ` +
        `${reference.wallS.toFixed(1)} s; |bilevel − enumerate| / enumerate = ${relative.toExponential(2)} ` +
        `(≤ 1e-6: ${relative <= 1e-6}), same upgrades: ${isSame}`,
    );
  }
}
for (const id of upgrades.false.filter((u) => !upgrades.true.includes(u))) {
  const c = study.candidates.find((x) => x.id === id)!;
  console.log(
    `deferred by P2P: ${id} (capex ${c.capexEur} EUR, r ${c.discountRate}); NPV of one year's deferral ${deferralNpvEur(c.capexEur, c.discountRate, 1).toFixed(0)} EUR`,
  );
}
clearInterval(sampler);
