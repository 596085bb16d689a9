// Power flow benchmark: warm per-solve time and peak memory on bundled and synthetic networks, side by side with
// the SciPy reference Newton–Raphson (bench/reference/newton_power_flow.py) run on the same data in the same run.
//
// usage: npx tsx bench/power-flow.bench.ts            (all cases; each case runs in its own process for peak RSS)
//        npx tsx bench/power-flow.bench.ts --only case2383wp,case9241pegase   (a subset of the table)
//        npx tsx bench/power-flow.bench.ts --case NAME --method nr|bfs --repeat N   (one measurement, JSON)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Network } from '../src/grid/schema.ts';
import { createSyntheticMeshedGrid, createSyntheticRadialFeeder } from '../src/grid/synthetic-networks.ts';
import { loadCase } from '../src/io/case-registry.ts';
import { networkToJson } from '../src/io/network-json.ts';
import { type PowerFlowMethod, preparePowerFlow } from '../src/problems/power-flow/index.ts';

const CASES: { name: string; methods: PowerFlowMethod[]; repeat: number }[] = [
  { name: 'case9', methods: ['nr'], repeat: 500 },
  { name: 'case118', methods: ['nr'], repeat: 200 },
  { name: 'case33bw', methods: ['nr', 'bfs'], repeat: 500 },
  { name: 'case69', methods: ['nr', 'bfs'], repeat: 500 },
  { name: 'radial-10000', methods: ['bfs', 'nr'], repeat: 30 },
  { name: 'meshed-2000', methods: ['nr'], repeat: 30 },
  // Published large cases (MATPOWER's Polish winter peak and PEGASE European network, negative R/X included).
  { name: 'case2383wp', methods: ['nr'], repeat: 20 },
  { name: 'case9241pegase', methods: ['nr'], repeat: 10 },
];

function buildNetwork(name: string): Network {
  if (name === 'radial-10000') return createSyntheticRadialFeeder(10_000, 7);
  if (name === 'meshed-2000') return createSyntheticMeshedGrid(40, 50, 7);
  return loadCase(name);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One measurement in this process: build once, warm up, then time `repeat` solves. */
function measure(name: string, method: PowerFlowMethod, repeat: number) {
  const network = buildNetwork(name);
  const prepared = preparePowerFlow(network, { method });
  const first = prepared.solveArrays();
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    prepared.solveArrays();
    times.push(performance.now() - start);
  }
  return {
    buses: prepared.busIds.length,
    branches: prepared.indexed.branchCount,
    converged: first.outcome.converged,
    iterations: first.outcome.iterations,
    medianMs: median(times),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    vmPu: Array.from(first.vmPu),
  };
}

function runChild(args: string[]) {
  const here = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--import', 'tsx', here, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`benchmark child failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function runReference(network: Network, repeat: number, dir: string) {
  const file = join(dir, `${network.name}.json`);
  writeFileSync(file, networkToJson(network));
  const script = fileURLToPath(new URL('./reference/newton_power_flow.py', import.meta.url));
  const run = spawnSync('python3', [script, file, '--repeat', String(repeat)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) return undefined;
  return JSON.parse(run.stdout) as {
    iterations: number;
    medianMs: number;
    peakRssMb: number;
    vmPu: number[];
  };
}

const argv = process.argv.slice(2);
if (argv.includes('--case')) {
  const value = (flag: string) => argv[argv.indexOf(flag) + 1];
  process.stdout.write(
    JSON.stringify(measure(value('--case'), value('--method') as PowerFlowMethod, Number(value('--repeat')))),
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-bench-'));
  const header = [
    'case',
    'buses',
    'method',
    'iter',
    'gridnest ms',
    'gridnest MB',
    'SciPy NR ms',
    'SciPy MB',
    'ratio',
    'max|ΔV| p.u.',
  ];
  const rows: string[][] = [];
  console.log(
    `power flow, warm solves (structures built once), median per solve; node ${process.version}, ${new Date().toISOString()}`,
  );
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : undefined;
  for (const { name, methods, repeat } of CASES.filter((c) => !only || only.includes(c.name))) {
    const reference = runReference(buildNetwork(name), Math.max(5, Math.round(repeat / 5)), dir);
    for (const method of methods) {
      const ours = runChild(['--case', name, '--method', method, '--repeat', String(repeat)]);
      const deviation = reference
        ? Math.max(...ours.vmPu.map((v: number, i: number) => Math.abs(v - reference.vmPu[i])))
        : Number.NaN;
      rows.push([
        name,
        String(ours.buses),
        method,
        `${ours.iterations}${ours.converged ? '' : '!'}`,
        ours.medianMs.toFixed(3),
        ours.peakRssMb.toFixed(0),
        reference ? reference.medianMs.toFixed(3) : 'n/a',
        reference ? reference.peakRssMb.toFixed(0) : 'n/a',
        reference ? (ours.medianMs / reference.medianMs).toFixed(2) : 'n/a',
        deviation.toExponential(1),
      ]);
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c])).join('  ');
  console.log([line(header), ...rows.map(line)].join('\n'));
  console.log('ratio = gridnest / SciPy per-solve time (< 1: gridnest faster). Peak MB = process max RSS.');
}
