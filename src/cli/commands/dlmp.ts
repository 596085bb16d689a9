// `gridnest dlmp CASE [--bids FILE] [--json]`: distribution OPF with DLMPs split into energy/loss/congestion/voltage.
import type { Command } from 'commander';
import type { FlexBidInput } from '../../problems/dlmp/bids.ts';
import { type CliOutput, formatCostUnit, formatFixed, formatTable, writeJson } from '../output.ts';

interface DlmpCommandOptions {
  readonly bids?: string;
  readonly energyPrice?: string;
  readonly lossless?: boolean;
  readonly json?: boolean;
}

export function registerDlmpCommand(program: Command, output: CliOutput): void {
  program
    .command('dlmp')
    .description('distribution OPF on LinDistFlow with DLMPs (per MWh consumed) split into components')
    .argument('<case>', 'case33bw-flex, a bundled radial case (e.g. case33bw) or a path to a .m / .json file')
    .option(
      '--bids <file>',
      'JSON array of flexible bids {id, bus, kind, pMinMw, pMaxMw, c1PerMwh, c2PerMw2H}',
    )
    .option('--energy-price <perMwh>', 'substation energy price (default: the slack generator cost)')
    .option('--lossless', 'lossless LinDistFlow (no loss factors)')
    .option('--json', 'print one JSON object')
    .action(async (caseName: string, options: DlmpCommandOptions) => {
      const [{ InputError }, { loadCase }, { parseJson }, { readTextFile }, dlmp] = await Promise.all([
        import('../../core/errors.ts'),
        import('../../io/case-registry.ts'),
        import('../../io/parse-json.ts'),
        import('../../io/read-text-file.ts'),
        import('../../problems/dlmp/index.ts'),
      ]);
      let energyPricePerMwh: number | undefined;
      if (options.energyPrice !== undefined) {
        energyPricePerMwh = Number(options.energyPrice);
        if (!Number.isFinite(energyPricePerMwh)) {
          throw InputError.single('bad_option', ['--energy-price'], 'must be a finite number');
        }
      }
      const fixture =
        caseName === dlmp.CASE33BW_FLEX ? dlmp.createCase33bwFlex(loadCase('case33bw')) : undefined;
      const network = fixture?.network ?? loadCase(caseName);
      const bids = options.bids
        ? (parseJson(readTextFile(options.bids), options.bids) as unknown as FlexBidInput[])
        : (fixture?.bids ?? []);
      if (!Array.isArray(bids))
        throw InputError.single('bad_bids', ['--bids'], 'must be a JSON array of bids');
      const result = await dlmp.solveDlmp(network, bids, {
        energyPricePerMwh,
        includeLosses: !options.lossless,
      });
      const finite = (v: number) => (Number.isFinite(v) ? v : null);
      const buses = result.buses.map((b) => ({
        id: b.id,
        dlmpPerMwh: finite(b.dlmpPerMwh),
        energyPerMwh: finite(b.energyPerMwh),
        lossPerMwh: finite(b.lossPerMwh),
        congestionPerMwh: finite(b.congestionPerMwh),
        voltagePerMwh: finite(b.voltagePerMwh),
      }));
      if (options.json) {
        writeJson(output, {
          case: network.name,
          status: result.status,
          ...(result.message ? { message: result.message } : {}),
          costCurrency: network.costCurrency ?? null,
          objectivePerH: finite(result.objectivePerH),
          lossesMw: result.lossesMw,
          lossIterations: result.lossIterations,
          lossIterationConverged: result.isLossIterationConverged,
          buses,
          bids: result.bids.map((b) => ({ ...b, pMw: finite(b.pMw) })),
        });
        return;
      }
      const lines = [
        `case ${network.name}: DLMP status ${result.status}${result.message ? ` — ${result.message}` : ''}`,
      ];
      if (result.status === 'optimal') {
        const unit = formatCostUnit(network.costCurrency);
        const f = (v: number | null) => formatFixed(v, 4);
        lines.push(
          `objective ${f(result.objectivePerH)} ${unit}/h, losses ${result.lossesMw.toFixed(6)} MW, ` +
            `${result.lossIterations} loss-factor iteration(s)`,
          '',
          formatTable(
            ['bus', 'DLMP', 'energy', 'loss', 'congestion', 'voltage'],
            buses.map((b) => [
              String(b.id),
              f(b.dlmpPerMwh),
              f(b.energyPerMwh),
              f(b.lossPerMwh),
              f(b.congestionPerMwh),
              f(b.voltagePerMwh),
            ]),
          ),
          `(${unit} per MWh consumed, rounded to 0.0001; --json keeps full precision)`,
        );
      }
      output.stdout(`${lines.join('\n')}\n`);
    });
}
