// `gridnest pf CASE`: runs a power flow on a bundled case or a file and prints a table or one JSON object.
import { type Command, Option } from 'commander';
import {
  POWER_FLOW_METHODS,
  type PowerFlowMethod,
  preparePowerFlow,
} from '../../problems/power-flow/index.ts';
import { loadCaseWithWarnings } from '../case-warnings.ts';
import { type CliOutput, formatTable, writeJson } from '../output.ts';
import { parsePositiveInteger } from './option-parsers.ts';
import { isOpenDssPath, runThreePhasePowerFlow } from './power-flow-three-phase.ts';

interface PowerFlowCommandOptions {
  method: PowerFlowMethod;
  repeat?: number;
  enforceQLimits?: boolean;
  json?: boolean;
  threePhase?: boolean;
}

export function registerPowerFlowCommand(program: Command, output: CliOutput): void {
  program
    .command('pf')
    .description(
      'run a power flow (losses are series losses Σ I²R / I²X; voltages in p.u., angles in degrees)',
    )
    .argument(
      '<case>',
      'bundled case name (e.g. case33bw) or path to a .m / .json / OpenDSS .dss file or an IEEE LV CSV folder',
    )
    .addOption(
      new Option(
        '--method <method>',
        'nr: Newton–Raphson, bfs: backward/forward sweep (radial), dc: DC power flow',
      )
        .choices(POWER_FLOW_METHODS)
        .default('nr'),
    )
    .option(
      '--repeat <n>',
      'solve n times with structures built once and report timing.medianMs',
      parsePositiveInteger,
    )
    .option(
      '--enforce-q-limits',
      'switch PV buses to PQ at generator reactive limits (off by default, as MATPOWER)',
    )
    .option('--json', 'print one JSON object')
    .option('--three-phase', 'unbalanced phase-domain power flow of an OpenDSS .dss file (implied by .dss)')
    .action((caseName: string, options: PowerFlowCommandOptions) => {
      if (options.threePhase || isOpenDssPath(caseName))
        return runThreePhasePowerFlow(caseName, options.json ?? false, output);
      const { network, warnings } = loadCaseWithWarnings(caseName, output);
      const prepared = preparePowerFlow(network, {
        method: options.method,
        enforceQLimits: options.enforceQLimits ?? false,
      });
      const result = prepared.solve();
      const timing = options.repeat ? timeSolves(() => prepared.solveArrays(), options.repeat) : undefined;
      if (options.json) {
        writeJson(output, {
          case: network.name,
          status: result.status,
          converged: result.converged,
          method: result.method,
          iterations: result.iterations,
          maxMismatchPu: result.maxMismatchPu,
          ...(result.message ? { message: result.message } : {}),
          lossesMw: result.lossesMw,
          lossesMvar: result.lossesMvar,
          totals: result.totals,
          buses: result.buses.map(({ id, vmPu, vaDeg }) => ({ id, vmPu, vaDeg })),
          branches: result.branches,
          generators: result.generators,
          ...(timing ? { timing } : {}),
          warnings,
        });
        return;
      }
      const lowest = result.buses.reduce((a, b) => (b.vmPu < a.vmPu ? b : a));
      output.stdout(
        [
          `case ${network.name}: ${result.buses.length} buses, ${result.branches.length} branches, method ${result.method}`,
          `status ${result.status} after ${result.iterations} iterations (max mismatch ${result.maxMismatchPu.toExponential(2)} p.u.)${result.message ? ` — ${result.message}` : ''}`,
          `series losses ${result.lossesMw.toFixed(6)} MW / ${result.lossesMvar.toFixed(6)} MVAr; generation ${result.totals.generationMw.toFixed(4)} MW, load ${result.totals.loadMw.toFixed(4)} MW`,
          `lowest voltage ${lowest.vmPu.toFixed(6)} p.u. at bus ${lowest.id}`,
          ...(timing
            ? [`median solve time ${timing.medianMs.toFixed(3)} ms over ${timing.repeat} warm solves`]
            : []),
          '',
          formatTable(
            ['bus', 'vm [p.u.]', 'va [deg]', 'p inj [MW]', 'q inj [MVAr]'],
            result.buses.map((b) => [
              String(b.id),
              b.vmPu.toFixed(6),
              b.vaDeg.toFixed(4),
              b.pInjectionMw.toFixed(4),
              b.qInjectionMvar.toFixed(4),
            ]),
          ),
          '',
        ].join('\n'),
      );
    });
}

/** Median and minimum wall time of repeated calls (ms). */
function timeSolves(
  solve: () => unknown,
  repeat: number,
): { repeat: number; medianMs: number; minMs: number } {
  const times: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const start = performance.now();
    solve();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(repeat / 2);
  const medianMs = repeat % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { repeat, medianMs, minMs: times[0] };
}
