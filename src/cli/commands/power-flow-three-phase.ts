// `gridnest pf FILE.dss --three-phase`: the unbalanced phase-domain power flow of an OpenDSS script, as a table or JSON.
import { InputError } from '../../core/errors.ts';
import { readOpenDss } from '../../io/opendss/read-opendss.ts';
import { type PhaseVoltage, threePhaseBusResults } from '../../three-phase/bus-results.ts';
import { solveThreePhasePowerFlow } from '../../three-phase/solve-three-phase-power-flow.ts';
import { type CliOutput, formatFixed, formatTable, writeJson } from '../output.ts';

export function isOpenDssPath(caseName: string): boolean {
  return /\.dss$/i.test(caseName);
}

function phaseJson(phase: PhaseVoltage | undefined) {
  return phase ? { vmPu: phase.vmPu, vaDeg: phase.vaDeg, vLnV: phase.vLnV } : undefined;
}

export function runThreePhasePowerFlow(path: string, json: boolean, output: CliOutput): void {
  if (!isOpenDssPath(path))
    throw InputError.single(
      'unsupported_case',
      ['case'],
      `--three-phase needs an OpenDSS .dss file, got '${path}'`,
    );
  const { network } = readOpenDss(path);
  const result = solveThreePhasePowerFlow(network);
  const buses = threePhaseBusResults(network, result);
  const lossesKw = result.lossesW / 1000;
  if (json) {
    writeJson(output, {
      case: network.name,
      status: result.status,
      iterations: result.iterations,
      controlIterations: result.controlIterations,
      regulatorTapsPu: Object.fromEntries(
        network.regulators.map((r, k) => [r.id, result.regulatorTapsPu[k]]),
      ),
      lossesKw,
      sourceKw: result.sourcePW / 1000,
      loadKw: result.loadPW / 1000,
      buses: buses.map((b) => ({
        id: b.id,
        phases: { a: phaseJson(b.phases.a), b: phaseJson(b.phases.b), c: phaseJson(b.phases.c) },
        vufPct: b.vufPct ?? null,
      })),
    });
    return;
  }
  const cells = (p: PhaseVoltage | undefined) => [formatFixed(p?.vmPu, 5), formatFixed(p?.vaDeg, 2)];
  output.stdout(
    [
      `case ${network.name}: ${buses.length} buses, ${network.lines.length} lines, ${network.transformers.length} transformers, ${network.loads.length} loads (three-phase)`,
      `status ${result.status} after ${result.iterations} iterations, ${result.controlIterations} regulator control passes`,
      `losses ${lossesKw.toFixed(3)} kW; source ${(result.sourcePW / 1000).toFixed(3)} kW, load ${(result.loadPW / 1000).toFixed(3)} kW`,
      '',
      formatTable(
        ['bus', '|Va| [p.u.]', '∠a [deg]', '|Vb| [p.u.]', '∠b [deg]', '|Vc| [p.u.]', '∠c [deg]', 'VUF [%]'],
        buses.map((b) => [
          b.id,
          ...cells(b.phases.a),
          ...cells(b.phases.b),
          ...cells(b.phases.c),
          formatFixed(b.vufPct, 3),
        ]),
      ),
      '',
    ].join('\n'),
  );
}
