// `gridnest timeseries SCENARIO`: time-series power flow of each LV network of a scenario with its prosumers' net load.
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { baselineSchedule } from '../../ders/baseline.ts';
import { scheduleProsumers } from '../../ders/schedule-batch.ts';
import { flatTariff } from '../../ders/tariff.ts';
import { solveTimeSeriesPowerFlow } from '../../problems/time-series-power-flow.ts';
import { loadScenario, prosumerBusLoads, readScenarioFile } from '../../scenario/index.ts';
import {
  argMax,
  type CliOutput,
  formatFixed,
  formatTable,
  voltageSeriesSummary,
  writeJson,
} from '../output.ts';
import { parsePositiveInteger } from './option-parsers.ts';
import { threePhaseNetworkSummary } from './timeseries-three-phase.ts';

interface TimeseriesOptions {
  net: 'baseline' | 'scheduled';
  method?: 'bfs' | 'nr';
  importPrice: number;
  exportPrice: number;
  json?: boolean;
  violations: number;
  lvModel: 'balanced' | 'three-phase';
}

const parsePrice = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
  return n;
};

export function registerTimeseriesCommand(program: Command, output: CliOutput): void {
  program
    .command('timeseries')
    .description(
      'time-series power flow of every network with prosumers over the scenario time grid; voltage and thermal ' +
        'violations per step (progress bar on stderr when it is a terminal)',
    )
    .argument('<scenario>', 'scenario JSON file')
    .addOption(
      new Option('--net <kind>', 'prosumer net load: baseline (no energy management) or scheduled (HEMS LP)')
        .choices(['baseline', 'scheduled'])
        .default('baseline'),
    )
    .addOption(
      new Option('--method <method>', 'power flow method (default: bfs for radial feeders, else nr)').choices(
        ['bfs', 'nr'],
      ),
    )
    .option('--import-price <eurPerKwh>', 'flat import price for --net scheduled', parsePrice, 0.25)
    .option('--export-price <eurPerKwh>', 'flat export price for --net scheduled', parsePrice, 0.05)
    .addOption(
      new Option(
        '--lv-model <model>',
        'LV feeders balanced (positive sequence) or three-phase (unbalanced, VUF)',
      )
        .choices(['balanced', 'three-phase'])
        .default('balanced'),
    )
    .option('--violations <n>', 'violations listed per network in JSON', parsePositiveInteger, 1000)
    .option('--json', 'print one JSON object')
    .action(async (file: string, options: TimeseriesOptions) => {
      const loaded = loadScenario(readScenarioFile(file), dirnameOf(file));
      const { index, scenario } = loaded;
      const tariff = flatTariff(index.length, options.importPrice, options.exportPrice);
      const net = new Map<string, Float64Array>();
      const statuses: Record<string, number> = {};
      if (options.net === 'scheduled') {
        const schedules = await scheduleProsumers(loaded.prosumers.map((model) => ({ model, tariff })));
        for (const s of schedules) {
          statuses[s.status] = (statuses[s.status] ?? 0) + 1;
          net.set(s.id, s.netInjectionKw);
        }
      } else {
        for (const m of loaded.prosumers) net.set(m.id, baselineSchedule(m, tariff).netInjectionKw);
      }
      const withProsumers = scenario.networks.filter((n) =>
        scenario.prosumers.some((p) => p.network === n.id),
      );
      const totalSteps = withProsumers.length * index.length;
      const bar = output.isTty
        ? new SingleBar({ stream: process.stderr, format: 'power flow [{bar}] {value}/{total} steps {eta}s' })
        : undefined;
      bar?.start(totalSteps, 0);
      let offset = 0;
      const started = performance.now();
      const stepH = index.stepMin / 60;
      const networks = withProsumers.map((entry) => {
        const loads = prosumerBusLoads(scenario, entry.id, net, index.length);
        const onStep = (step: number) => {
          if (bar && (step % 20 === 0 || step === index.length)) bar.update(offset + step);
        };
        const balanced = loaded.networks.get(entry.id)!;
        const position = scenario.networks.indexOf(entry);
        const summary =
          options.lvModel === 'three-phase' && entry.level === 'lv'
            ? threePhaseNetworkSummary(
                entry,
                position,
                balanced,
                loads,
                index.length,
                stepH,
                options.violations,
                onStep,
              )
            : balancedSummary(
                entry.id,
                solveTimeSeriesPowerFlow(balanced, index, loads, { method: options.method, onStep }),
                stepH,
                options.violations,
              );
        offset += index.length;
        return summary;
      });
      bar?.stop();
      const elapsedMs = performance.now() - started;
      const status = networks.every((n) => n.status === 'converged') ? 'converged' : 'not_converged';
      const threePhase = options.lvModel === 'three-phase';
      if (options.json) {
        writeJson(output, {
          status,
          scenario: scenario.name,
          net: options.net,
          lvModel: options.lvModel,
          ...(options.net === 'scheduled' ? { scheduleStatuses: statuses } : {}),
          time: scenario.time,
          elapsedMs,
          networks,
        });
        return;
      }
      output.stdout(
        [
          `${scenario.name}: ${networks.length} network(s) × ${index.length} steps of ${index.stepMin} min, net load ${options.net}, status ${status} (${elapsedMs.toFixed(0)} ms)`,
          '',
          formatTable(
            [
              'network',
              'converged',
              'min vm [p.u.]',
              'at step',
              'max vm [p.u.]',
              'max loading [%]',
              ...(threePhase ? ['max VUF [%]'] : []),
              'losses [kWh]',
              'steps w/ violations',
              threePhase ? 'under/over/thermal/unbalance' : 'under/over/thermal',
            ],
            networks.map((n) => {
              const k = n.violationsByKind;
              const vuf = 'vufMaxPct' in n ? n.vufMaxPct : undefined;
              const unbalance = 'unbalance' in k ? `/${k.unbalance}` : threePhase ? '/-' : '';
              return [
                n.id,
                `${n.convergedSteps}/${n.steps}`,
                n.vmMinPu.toFixed(4),
                String(n.vmMinStep),
                n.vmMaxPu.toFixed(4),
                formatFixed(n.maxLoadingPercent, 1),
                ...(threePhase ? [formatFixed(vuf, 3)] : []),
                n.lossesKwh.toFixed(2),
                String(n.stepsWithViolations),
                `${k.undervoltage}/${k.overvoltage}/${k.thermal}${unbalance}`,
              ];
            }),
          ),
          '',
        ].join('\n'),
      );
    });
}

/** Summary of one balanced time series (the JSON shape the three-phase summary extends). */
function balancedSummary(
  id: string,
  r: ReturnType<typeof solveTimeSeriesPowerFlow>,
  stepH: number,
  violationLimit: number,
) {
  const worstLoading = argMax(r.maxLoadingPercent);
  const byKind = { undervoltage: 0, overvoltage: 0, thermal: 0 };
  for (const v of r.violations) byKind[v.kind]++;
  return {
    id,
    ...voltageSeriesSummary(r),
    maxLoadingPercent: r.maxLoadingPercent[worstLoading],
    maxLoadingBranch: r.maxLoadingBranch[worstLoading],
    lossesKwh: r.lossesKw.reduce((a, b) => a + b, 0) * stepH,
    importKwh: r.slackKw.reduce((a, b) => a + Math.max(0, b), 0) * stepH,
    exportKwh: r.slackKw.reduce((a, b) => a + Math.max(0, -b), 0) * stepH,
    stepsWithViolations: r.violationCount.reduce((a, c) => a + (c > 0 ? 1 : 0), 0),
    violationsByKind: byKind,
    perStep: {
      vmMinPu: Array.from(r.vmMinPu),
      vmMaxPu: Array.from(r.vmMaxPu),
      maxLoadingPercent: Array.from(r.maxLoadingPercent),
      lossesKw: Array.from(r.lossesKw),
      violationCount: Array.from(r.violationCount),
    },
    violations: r.violations.slice(0, violationLimit),
  };
}

function dirnameOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(0, i) || '/' : '.';
}
