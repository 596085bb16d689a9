// `gridnest train --coordination rl`: offline training of the rl policy in the simulator (seeded ES).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { type CliOutput, writeJson } from '../output.ts';
import { parsePositiveInteger } from './option-parsers.ts';

interface TrainCliOptions {
  coordination: string;
  study: string;
  days: number;
  seed: number;
  iterations?: number;
  out: string;
  json?: boolean;
}

const parseSeed = (value: string): number => {
  if (!/^\d+$/.test(value))
    throw InputError.single('bad_option', ['--seed'], 'must be a non-negative integer');
  return Number(value);
};

export function registerTrainCommand(program: Command, output: CliOutput): void {
  program
    .command('train')
    .description(
      'train the rl coordination policy offline in the simulator (seeded evolution strategy, each candidate ' +
        'scored by full runs of the study against none); write the policy JSON to --out and its learning curve ' +
        'next to it (<out>.learning-curve.csv and .svg)',
    )
    .requiredOption('--coordination <name>', 'the coordination to train (rl)')
    .option('--study <name|file>', 'bundled study (default, stressed) or a study file', 'stressed')
    .option('--days <n>', 'training days from the study’s first day', parsePositiveInteger, 2)
    .option('--seed <s>', 'master seed of the training scenarios and of the evolution strategy', parseSeed, 1)
    .option('--iterations <n>', 'evolution-strategy iterations (default 8)', parsePositiveInteger)
    .requiredOption('--out <file>', 'policy JSON to write')
    .option('--json', 'print a JSON summary')
    .action(async (options: TrainCliOptions) => {
      if (options.coordination !== 'rl')
        throw InputError.single('bad_option', ['--coordination'], 'only rl is trained offline');
      const { readStudy, resolveSystemStudy } = await import('../../studies/system/index.ts');
      const { simulatorFitness } = await import('../../studies/rl-training.ts');
      const { TRAIN_DEFAULTS, trainPolicy } = await import('../../coordination/rl/train.ts');
      const { renderChartSvg } = await import('../../value/render-chart-svg.ts');
      const { document, baseDir } = readStudy(options.study, { seed: options.seed });
      const model = resolveSystemStudy(document, baseDir, { days: options.days });
      const iterations = options.iterations ?? TRAIN_DEFAULTS.iterations;
      const { SingleBar } = await import('cli-progress');
      // A bar on a terminal (one step per simulation run); otherwise one stderr line per iteration, so a
      // redirected or CI run still shows that it is alive and how far it got.
      const bar = output.isTty
        ? new SingleBar({
            stream: process.stderr,
            format: 'train [{bar}] {value}/{total} simulations, elite reward {reward} EUR, {duration}s',
          })
        : undefined;
      const total = 2 + iterations * 2 * TRAIN_DEFAULTS.pairs;
      let done = 0;
      let reward = '';
      const started = performance.now();
      bar?.start(total, 0, { reward });
      const { fitness: simulate, reference } = await simulatorFitness(
        model,
        TRAIN_DEFAULTS.hidden,
        TRAIN_DEFAULTS.scaleEurPerMwh,
      );
      const step = () => {
        done++;
        bar?.update(done, { reward });
      };
      step();
      const fitness: typeof simulate = async (parameters) => {
        const f = await simulate(parameters);
        step();
        return f;
      };
      const { policy, curve } = await trainPolicy(fitness, {
        ...TRAIN_DEFAULTS,
        iterations,
        seed: options.seed,
        onIteration: (p) => {
          reward = p.eliteRewardEur.toFixed(1);
          bar?.update(done, { reward });
          if (!bar && !options.json)
            output.stderr(
              `train: iteration ${p.iteration}/${iterations}, ${done}/${total} simulations, elite reward ${reward} EUR, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
            );
        },
      });
      bar?.stop();
      const wallS = (performance.now() - started) / 1000;
      const evaluations = curve[curve.length - 1].evaluations;
      const trained = {
        ...policy,
        training: {
          study: options.study,
          days: options.days,
          seed: options.seed,
          iterations,
          evaluations,
          noneWelfareEur: reference.welfareEur,
          noneViolationIntervals: reference.violationIntervals,
          command: `gridnest train --coordination rl --study ${options.study} --days ${options.days} --seed ${options.seed} --iterations ${iterations} --out ${options.out}`,
        },
      };
      mkdirSync(dirname(options.out) || '.', { recursive: true });
      writeFileSync(options.out, `${JSON.stringify(trained, null, 1)}\n`);
      const base = options.out.replace(/\.json$/, '');
      writeFileSync(
        `${base}.learning-curve.csv`,
        `iteration,evaluations,eliteRewardEur,sampleBestRewardEur\n${curve.map((p) => `${p.iteration},${p.evaluations},${p.eliteRewardEur},${p.sampleBestRewardEur}`).join('\n')}\n`,
      );
      writeFileSync(
        `${base}.learning-curve.svg`,
        renderChartSvg(
          {
            title: {
              text: 'rl training: reward against none per iteration (EUR, higher is better)',
              textStyle: { fontSize: 13 },
            },
            grid: { left: 80, right: 20, top: 50, bottom: 40 },
            xAxis: { type: 'value', name: 'iteration' },
            yAxis: { type: 'value', scale: true },
            legend: { top: 24 },
            series: [
              { name: 'elite', type: 'line', data: curve.map((p) => [p.iteration, p.eliteRewardEur]) },
              {
                name: 'best sample',
                type: 'scatter',
                data: curve.map((p) => [p.iteration, p.sampleBestRewardEur]),
              },
            ],
          },
          760,
          320,
          'train',
        ),
      );
      const summary = {
        status: 'ok',
        out: options.out,
        iterations,
        evaluations,
        noneWelfareEur: reference.welfareEur,
        noneViolationIntervals: reference.violationIntervals,
        eliteRewardEur: curve[curve.length - 1].eliteRewardEur,
        wallS,
      };
      if (options.json) writeJson(output, summary);
      else
        output.stdout(
          `trained rl with ${evaluations} simulations of ${options.days} day(s) in ${wallS.toFixed(1)} s: reward against none ${summary.eliteRewardEur.toFixed(1)} EUR; wrote ${options.out}, ${join(base)}.learning-curve.csv/.svg\n`,
        );
    });
}
