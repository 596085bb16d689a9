// `gridnest market clear FILE`: clear a market file in the exchange format with one of the P2P mechanisms.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { parseMarketText } from '../../markets/exchange-format.ts';
import { createMarketMechanism, parseMechanismName } from '../../markets/mechanisms.ts';
import { type CliOutput, formatTable, writeJson } from '../output.ts';

const formatNumber = (value: number | null, digits: number) =>
  value === null || Number.isNaN(value) ? '-' : value.toFixed(digits);

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
        `objective ${formatNumber(result.objectiveEur, 6)} EUR, social welfare ${formatNumber(result.socialWelfareEur, 6)} EUR, uniform price ${formatNumber(result.priceEurPerKwh, 6)} EUR/kWh`,
        '',
        formatTable(
          ['agent', 'eKwh'],
          result.agents.map((a) => [a.id, formatNumber(a.eKwh, 6)]),
        ),
        '',
        formatTable(
          ['buyer', 'seller', 'eKwh', 'priceEurPerKwh', 'tradeCostEurPerKwh'],
          result.trades.map((t) => [
            t.buyer,
            t.seller,
            formatNumber(t.eKwh, 6),
            formatNumber(t.priceEurPerKwh, 6),
            formatNumber(t.tradeCostEurPerKwh, 6),
          ]),
        ),
      ];
      output.stdout(`${lines.join('\n')}\n`);
    });
}
