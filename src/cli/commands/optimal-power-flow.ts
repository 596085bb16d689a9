// `gridnest opf CASE --dc`: DC optimal power flow with LMPs, printed as a table or one JSON object.
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { solveDcOpf } from '../../problems/opf/dc-opf.ts';
import { loadCaseWithWarnings } from '../case-warnings.ts';
import { type CliOutput, formatCostUnit, formatTable, writeJson } from '../output.ts';

export function registerOptimalPowerFlowCommand(program: Command, output: CliOutput): void {
  program
    .command('opf')
    .description('run an optimal power flow (objective in the case cost unit per hour, LMPs per MWh)')
    .argument('<case>', 'bundled case name (e.g. case9) or path to a .m / .json file')
    .option('--dc', 'DC OPF (lossless B-θ model with branch limits); currently the only OPF formulation')
    .option('--json', 'print one JSON object')
    .action(async (caseName: string, options: { dc?: boolean; json?: boolean }) => {
      if (!options.dc) {
        throw InputError.single('bad_option', ['--dc'], 'only the DC OPF is available: add --dc');
      }
      const { network, warnings } = loadCaseWithWarnings(caseName, output);
      const result = await solveDcOpf(network);
      if (options.json) {
        writeJson(output, {
          case: network.name,
          status: result.status,
          ...(result.message ? { message: result.message } : {}),
          costCurrency: network.costCurrency ?? null,
          objectivePerH: Number.isFinite(result.objectivePerH) ? result.objectivePerH : null,
          buses: result.buses.map(({ id, lmpPerMwh, vaDeg }) => ({ id, lmpPerMwh, vaDeg })),
          generators: result.generators.map(({ id, bus, pMw }) => ({ id, bus, pMw })),
          branches: result.branches,
          warnings,
        });
        return;
      }
      const lines = [
        `case ${network.name}: DC OPF status ${result.status}${result.message ? ` — ${result.message}` : ''}`,
      ];
      if (result.status === 'optimal') {
        const unit = formatCostUnit(network.costCurrency);
        lines.push(
          `objective ${result.objectivePerH.toFixed(6)} ${unit}/h`,
          '',
          formatTable(
            ['generator', 'bus', 'p [MW]'],
            result.generators.map((g) => [String(g.id), String(g.bus), g.pMw.toFixed(4)]),
          ),
          '',
          formatTable(
            ['bus', `LMP [${unit}/MWh]`],
            result.buses.map((b) => [String(b.id), b.lmpPerMwh.toFixed(4)]),
          ),
        );
      }
      output.stdout(`${lines.join('\n')}\n`);
    });
}
