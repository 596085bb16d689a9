// `gridnest scenario new|check`: generate a study file (written atomically) and validate one (exit 2 naming the field).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  generateIeeeLvScenario,
  generateSyntheticScenario,
  loadScenario,
  readScenarioFile,
  type ScenarioInput,
  writeScenarioFile,
} from '../../scenario/index.ts';
import { type CliOutput, writeJson } from '../output.ts';
import { parsePositiveInteger } from './option-parsers.ts';

interface NewOptions {
  households?: number;
  feeders: number;
  seed: number;
  stepMin: number;
  date: string;
  synthetic?: boolean;
  out: string;
  json?: boolean;
}

const parseSeed = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InvalidArgumentError('must be an integer in [0, 2^32)');
  return n;
};

const parseStep = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || 1440 % n !== 0)
    throw new InvalidArgumentError('must be a whole divisor of 1440 minutes');
  return n;
};

const parseDate = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('must be a date YYYY-MM-DD (UTC)');
  }
  return value;
};

export function registerScenarioCommand(program: Command, output: CliOutput): void {
  const scenario = program
    .command('scenario')
    .description('create and validate scenario files (a whole study as JSON)');
  scenario
    .command('new')
    .description(
      'generate a scenario: the IEEE European LV feeder with up to 55 households (default), or with --feeders > 1, ' +
        'more than 55 households or --synthetic, F synthetic LV feeders × N households; DER mix seeded',
    )
    .option(
      '--households <n>',
      'households (per feeder for synthetic systems); default 55',
      parsePositiveInteger,
    )
    .option('--feeders <n>', 'number of LV feeders', parsePositiveInteger, 1)
    .option('--seed <n>', 'master seed of the DER mix and profiles', parseSeed, 1)
    .option('--step-min <minutes>', 'time step of the UTC grid (divides 1440)', parseStep, 30)
    .option('--date <yyyy-mm-dd>', 'UTC day simulated', parseDate, '2024-04-15')
    .option('--synthetic', 'use synthetic feeders even for one feeder of ≤ 55 households')
    .requiredOption(
      '--out <file>',
      'where to write the JSON (written atomically; nothing is written on error)',
    )
    .option('--json', 'print a JSON summary')
    .action((options: NewOptions) => {
      const households = options.households ?? 55;
      const common = { seed: options.seed, stepMin: options.stepMin, dateUtc: options.date };
      const isIeee = !options.synthetic && options.feeders === 1 && households <= 55;
      const doc: ScenarioInput = isIeee
        ? generateIeeeLvScenario({ ...common, households })
        : generateSyntheticScenario({ ...common, feeders: options.feeders, households });
      const written = writeScenarioFile(options.out, doc);
      const summary = {
        status: 'written',
        file: options.out,
        name: written.name,
        networks: written.networks.length,
        prosumers: written.prosumers.length,
        time: written.time,
        seed: options.seed,
      };
      if (options.json) writeJson(output, summary);
      else {
        output.stdout(
          `wrote ${options.out}: ${summary.name}, ${summary.networks} network(s), ${summary.prosumers} prosumers, ` +
            `${written.time.length} × ${written.time.stepMin} min from ${written.time.startUtc}\n`,
        );
      }
    });
  scenario
    .command('check')
    .description(
      'validate a scenario file: schema, references, networks, buses and profiles (exit 2 naming the field)',
    )
    .argument('<file>', 'scenario JSON file')
    .option('--json', 'print a JSON summary')
    .action((file: string, options: { json?: boolean }) => {
      const doc = readScenarioFile(file);
      const loaded = loadScenario(doc, dirnameOf(file));
      const ders = { pv: 0, batteries: 0, evs: 0, heatPumps: 0, shiftableLoads: 0 };
      for (const p of doc.prosumers) {
        ders.pv += p.pv.length;
        ders.batteries += p.batteries.length;
        ders.evs += p.evs.length;
        ders.heatPumps += p.heatPumps.length;
        ders.shiftableLoads += p.shiftableLoads.length;
      }
      const summary = {
        status: 'valid',
        file,
        formatVersion: doc.formatVersion,
        name: doc.name,
        networks: [...loaded.networks].map(([id, n]) => ({
          id,
          buses: n.buses.length,
          branches: n.branches.length,
        })),
        prosumers: doc.prosumers.length,
        ders,
        platforms: doc.hierarchy.platforms.length,
        controllers: doc.hierarchy.controllers.length,
        time: loaded.scenario.time,
      };
      if (options.json) writeJson(output, summary);
      else {
        output.stdout(
          `${file}: valid (format ${doc.formatVersion}) — ${doc.name}: ${summary.networks.length} network(s), ` +
            `${summary.prosumers} prosumers (PV ${ders.pv}, batteries ${ders.batteries}, EVs ${ders.evs}, heat pumps ` +
            `${ders.heatPumps}, shiftable loads ${ders.shiftableLoads}), ${summary.platforms} platform(s), ` +
            `${summary.controllers} controller(s)\n`,
        );
      }
    });
}

function dirnameOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(0, i) || '/' : '.';
}
