// `gridnest plan --joint STUDY [--json] [--out DIR]`: joint T&D planning against sequential planning.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliOutput, formatTable, writeJson } from '../output.ts';

const BUNDLED_JOINT_STUDIES: Readonly<Record<string, string>> = {
  'case14-joint': 'planning/case14-joint.json',
};

export async function runJointPlanCommand(
  studyArg: string,
  options: { readonly json?: boolean; readonly out?: string },
  output: CliOutput,
): Promise<void> {
  const { loadCase } = await import('../../io/index.ts');
  const { bundledDataPath } = await import('../../io/bundled-data.ts');
  const { readTextFile } = await import('../../io/read-text-file.ts');
  const { parseJson } = await import('../../io/parse-json.ts');
  const { compareJointPlanning, parseJointStudy } = await import('../../planning/joint/joint-plan.ts');
  const path = Object.hasOwn(BUNDLED_JOINT_STUDIES, studyArg)
    ? bundledDataPath(BUNDLED_JOINT_STUDIES[studyArg])
    : studyArg;
  const study = parseJointStudy(parseJson(readTextFile(path), path), [path]);
  const network = loadCase(study.transmissionCase);
  let stop = () => {};
  let onProgress: ((done: number, total: number) => void) | undefined;
  if (output.isTty && !options.json) {
    const { SingleBar } = await import('cli-progress');
    const bar = new SingleBar({ stream: process.stderr, format: 'joint plan [{bar}] {value}/{total} MILPs' });
    bar.start(3, 0);
    onProgress = (done) => bar.update(done);
    stop = () => bar.stop();
  }
  const started = performance.now();
  const comparison = await compareJointPlanning(study, network, onProgress);
  stop();
  const document = { status: 'ok', wallS: (performance.now() - started) / 1000, ...comparison };
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'joint-plan.json'), `${JSON.stringify(document, null, 2)}\n`);
    const { renderJointPlanHtml } = await import('../../planning/joint/joint-report.ts');
    writeFileSync(join(options.out, 'joint-plan.html'), await renderJointPlanHtml(comparison));
  }
  if (options.json) return writeJson(output, document);
  const row = (name: string, p: typeof comparison.joint, iterations: number) => [
    name,
    p.totalCostEurPerYr.toFixed(0),
    p.capexEurPerYr.toFixed(0),
    p.transmissionUpgrades.join(', ') || 'none',
    p.distributionUpgrades.join(', ') || 'none',
    String(iterations),
  ];
  output.stdout(
    [
      `${study.name}: joint T&D planning (MILP) against sequential (transmission first, then distribution)`,
      formatTable(
        ['plan', 'total EUR/yr', 'capex EUR/yr', 'transmission', 'distribution', 'MILPs'],
        [
          row('sequential', comparison.sequential, comparison.iterations.sequential),
          row('joint', comparison.joint, comparison.iterations.joint),
        ],
      ),
      `joint saves ${comparison.savingEurPerYr.toFixed(0)} EUR/yr`,
      '',
    ].join('\n'),
  );
}
