// Time-series power flow benchmark: the IEEE European LV feeder (906 LV buses) with its 55 households' net load
// (bundled default scenario, baseline behaviour) over 1,440 one-minute steps. Goal (issue 4): under 2 s.
//
// usage: npx tsx bench/timeseries-power-flow.bench.ts [--method bfs|nr] [--seed S]
import { baselineSchedule } from '../src/ders/baseline.ts';
import { flatTariff } from '../src/ders/tariff.ts';
import type { PowerFlowMethod } from '../src/problems/power-flow/index.ts';
import { solveTimeSeriesPowerFlow } from '../src/problems/time-series-power-flow.ts';
import {
  generateIeeeLvScenario,
  loadScenario,
  prosumerBusLoads,
  validateScenario,
} from '../src/scenario/index.ts';

const option = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const method = (option('method') ?? 'bfs') as PowerFlowMethod;
const seed = Number(option('seed') ?? 1);

const loaded = loadScenario(validateScenario(generateIeeeLvScenario({ seed, stepMin: 1 })));
const network = loaded.networks.get('ieee-lv')!;
const tariff = flatTariff(loaded.index.length, 0.25, 0.05);
const net = new Map(loaded.prosumers.map((m) => [m.id, baselineSchedule(m, tariff).netInjectionKw]));
const loads = prosumerBusLoads(loaded.scenario, 'ieee-lv', net, loaded.index.length);

// Warm-up on a short horizon (JIT), then the timed day.
solveTimeSeriesPowerFlow(
  network,
  { ...loaded.index, length: 10 },
  loads.map((l) => ({ ...l, pKw: Array.from(l.pKw).slice(0, 10), qKvar: Array.from(l.qKvar).slice(0, 10) })),
  { method },
);
const start = performance.now();
const r = solveTimeSeriesPowerFlow(network, loaded.index, loads, { method });
const elapsedS = (performance.now() - start) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const argMin = (a: Float64Array) => a.reduce((best, v, i) => (v < a[best] ? i : best), 0);
const worst = argMin(r.vmMinPu);
const iterations = r.iterations.reduce((a, b) => a + b, 0);
const count = (kind: string) => r.violations.filter((v) => v.kind === kind).length;
console.log('time-series power flow benchmark (issue 4)');
console.log(
  `  network ieee-european-lv: ${r.busCount} buses, ${r.branchCount} branches; ${loads.length} load buses (55 households, seed ${seed})`,
);
console.log(
  `  steps ${r.stepCount} × ${loaded.index.stepMin} min, method ${method}, ${iterations} iterations in total`,
);
console.log(
  `  converged ${r.converged.reduce((a, b) => a + b, 0)}/${r.stepCount}; min |V| ${r.vmMinPu[worst].toFixed(4)} p.u. at bus ${r.vmMinBus[worst]} (step ${worst}); max |V| ${Math.max(...r.vmMaxPu).toFixed(4)} p.u.; max loading ${Math.max(...r.maxLoadingPercent).toFixed(1)} %`,
);
console.log(
  `  violations: undervoltage ${count('undervoltage')}, overvoltage ${count('overvoltage')}, thermal ${count('thermal')}; losses ${(r.lossesKw.reduce((a, b) => a + b, 0) / 60).toFixed(2)} kWh`,
);
console.log(
  `  time: ${elapsedS.toFixed(3)} s (${((elapsedS * 1000) / r.stepCount).toFixed(3)} ms per step; goal < 2 s)`,
);
console.log(`  peak memory (RSS): ${peakRssMb.toFixed(0)} MB`);
