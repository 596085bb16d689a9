// `gridnest market clear FILE`: clear a market file in the exchange format with one of the P2P mechanisms.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { parseMarketText } from '../../markets/exchange-format.ts';
import { createMarketMechanism, parseMechanismName } from '../../markets/mechanisms.ts';
import { type CliOutput, formatFixed, formatTable, writeJson } from '../output.ts';

/** Display precision of the printed tables: 1 Wh, 0.0001 EUR/kWh, 1 cent (solver noise such as −33.999992 kWh
 * prints as −34.000); `--json` keeps full precision. */
const formatKwh = (value: number | null) => formatFixed(value, 3);
const formatEurPerKwh = (value: number | null) => formatFixed(value, 4);
const formatEur = (value: number | null) => formatFixed(value, 2);

export function registerMarketCommand(program: Command, output: CliOutput): void {
  const market = program.command('market').description('intra-platform P2P markets');
  market
    .command('clear')
    .description('clear a market file (exchange format, see data/markets/) and print positions and trades')
    .argument('<file>', 'market file (JSON)')
    .option(
      '--mechanism <name>',
      'centralised (alias central), admm, contract-network or double-auction',
      'centralised',
    )
    .option('--json', 'print one JSON object')
    .action(async (file: string, options: { mechanism: string; json?: boolean }) => {
      const name = parseMechanismName(options.mechanism, ['--mechanism']);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw InputError.single('unreadable_file', [file], `cannot read file: ${(error as Error).message}`);
      }
      const book = parseMarketText(text, [file]);
      const result = await createMarketMechanism(name).clear(book);
      if (options.json) {
        writeJson(output, {
          ...result,
          objectiveEur: Number.isNaN(result.objectiveEur) ? null : result.objectiveEur,
          socialWelfareEur: Number.isNaN(result.socialWelfareEur) ? null : result.socialWelfareEur,
        });
        return;
      }
      const lines = [
        `mechanism ${result.mechanism}: ${result.status} after ${result.iterations} iteration(s)`,
        `objective ${formatEur(result.objectiveEur)} EUR, social welfare ${formatEur(result.socialWelfareEur)} EUR, uniform price ${formatEurPerKwh(result.priceEurPerKwh)} EUR/kWh`,
        '',
        formatTable(
          ['agent', 'eKwh'],
          result.agents.map((a) => [a.id, formatKwh(a.eKwh)]),
        ),
        '',
        formatTable(
          ['buyer', 'seller', 'eKwh', 'priceEurPerKwh', 'tradeCostEurPerKwh'],
          result.trades.map((t) => [
            t.buyer,
            t.seller,
            formatKwh(t.eKwh),
            formatEurPerKwh(t.priceEurPerKwh),
            formatEurPerKwh(t.tradeCostEurPerKwh),
          ]),
        ),
        '',
        'rounded to 0.001 kWh, 0.0001 EUR/kWh and 0.01 EUR; --json keeps full precision',
      ];
      output.stdout(`${lines.join('\n')}\n`);
    });
}
