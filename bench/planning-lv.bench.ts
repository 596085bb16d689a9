// Benchmark: the bundled european-lv-planning study (906-bus IEEE European LV feeder) by the heuristic with P2P:
// LP size, lower bound, gap, wall time (limit 10 min) and peak memory.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { bundledDataPath } from '../src/io/bundled-data.ts';
import { loadCase } from '../src/io/index.ts';
import { buildLowerLevel } from '../src/planning/lower-level.ts';
import { preparePlanningInstance } from '../src/planning/prepare-study.ts';
import { runPlan } from '../src/planning/run-plan.ts';
import { parsePlanningStudy } from '../src/planning/study-schema.ts';

const study = parsePlanningStudy(
  JSON.parse(readFileSync(bundledDataPath('planning/european-lv-planning.json'), 'utf8')),
);
const network = loadCase('ieee-european-lv');
let peakRssMb = 0;
const sampler = setInterval(() => {
  peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
}, 50);
const lower = buildLowerLevel(preparePlanningInstance(study, network), { isP2pAllowed: true });
console.log(
  `load average at start ${loadavg()[0].toFixed(1)} on 2 cores (wall times grow with it; CPU s = this process's user + system time); lower-level LP ${lower.problem.numCols} columns × ` +
    `${lower.problem.numRows} rows; ${study.candidates.length} candidates (${2 ** study.candidates.length} upgrade sets)`,
);
const cpuStart = process.cpuUsage();
const result = await runPlan(study, network, { method: 'heuristic', isP2pAllowed: true });
const cpu = process.cpuUsage(cpuStart);
peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
console.log(
  `european-lv-planning heuristic p2p=true: ${network.buses.length} buses, ${study.profiles.representativeDays} days × ` +
    `${study.profiles.stepsPerDay} steps; ${result.status} ${result.objectiveEur.toFixed(2)} EUR/yr, lower bound ` +
    `${result.lowerBoundEur?.toFixed(2)} EUR/yr, gap ${result.gapPct.toFixed(4)} %, upgrades [${result.upgrades.join(', ')}]; ` +
    `${result.wallS.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s (limit 600 s); peak RSS ${peakRssMb.toFixed(0)} MB`,
);
clearInterval(sampler);
