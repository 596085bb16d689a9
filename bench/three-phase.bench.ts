// Three-phase time-series benchmark (issue 17): the IEEE European LV feeder (906 LV buses, 905 lines, Dyn 11/0.416 kV
// transformer, 55 single-phase households on their phases) over 1,440 one-minute steps of its load profiles,
// unbalanced phase-domain power flow each step. Goal: < 3 s. Y is factorised once; each step iterates the load-node
// voltages (Z-bus compensation) from the previous step and makes one sparse solve for all nodes.
//
// usage: npx tsx bench/three-phase.bench.ts
import { bundledDataPath } from '../src/io/bundled-data.ts';
import { readIeeeEuropeanLvLoadProfiles } from '../src/io/ieee-european-lv/load-profiles.ts';
import { loadProfilesOfFeeder } from '../src/io/opendss/load-shapes.ts';
import { readOpenDss } from '../src/io/opendss/read-opendss.ts';
import { solveThreePhaseTimeSeries } from '../src/three-phase/three-phase-time-series.ts';

const feeder = readOpenDss(bundledDataPath('opendss/european-lv/Master.dss'));
const profiles = loadProfilesOfFeeder(feeder, readIeeeEuropeanLvLoadProfiles().shapes);
const tanPhi = Math.tan(Math.acos(0.95));
const series = feeder.network.loads.map((load, i) => {
  const pKw = Float64Array.from(profiles[i] ?? [], (m) => m * load.pKw);
  return { bus: load.bus, pKw, qKvar: pKw.map((p) => p * tanPhi) };
});
const steps = 1440;
const nodes = feeder.network.buses.length;

// Warm-up (JIT) on a short horizon, then the timed day.
solveThreePhaseTimeSeries(feeder.network, series, 30);
const start = performance.now();
const cpuStart = process.cpuUsage();
const r = solveThreePhaseTimeSeries(feeder.network, series, steps);
const elapsedS = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuS = (cpu.user + cpu.system) / 1e6;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const argMax = (a: Float64Array) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);
const argMin = (a: Float64Array) => a.reduce((best, v, i) => (v < a[best] ? i : best), 0);
const worstV = argMin(r.vmMinPu);
const worstVuf = argMax(r.vufMaxPct);
const count = (kind: string) => r.violations.filter((v) => v.kind === kind).length;
console.log('three-phase time-series benchmark (issue 17)');
console.log(
  `  network ieee-european-lv (OpenDSS script): ${nodes} buses (906 LV + source), ${feeder.network.lines.length} lines, ${r.busCount} buses with a base; ${series.length} single-phase loads`,
);
console.log(
  `  steps ${r.stepCount} × 1 min, ${r.iterations.reduce((a, b) => a + b, 0)} load-node iterations in total; converged ${r.converged.reduce((a, b) => a + b, 0)}/${r.stepCount}`,
);
console.log(
  `  min |V| ${r.vmMinPu[worstV].toFixed(4)} p.u. at bus ${r.vmMinBus[worstV]} (step ${worstV}); max |V| ${Math.max(...r.vmMaxPu).toFixed(4)} p.u.; max VUF ${r.vufMaxPct[worstVuf].toFixed(3)} % at bus ${r.vufMaxBus[worstVuf]} (step ${worstVuf})`,
);
console.log(
  `  violations: undervoltage ${count('undervoltage')}, overvoltage ${count('overvoltage')}, unbalance > 2 % ${count('unbalance')}; losses ${(r.lossesKw.reduce((a, b) => a + b, 0) / 60).toFixed(2)} kWh`,
);
console.log(
  `  time: ${elapsedS.toFixed(3)} s wall, ${cpuS.toFixed(3)} s CPU (${((elapsedS * 1000) / steps).toFixed(3)} ms per step; goal < 3 s)`,
);
console.log(`  peak memory (RSS): ${peakRssMb.toFixed(0)} MB`);
