// `gridnest study list | show NAME`: the bundled system studies, printed so users can copy and edit them.
import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import type { CliOutput } from '../output.ts';

export function registerStudyCommand(program: Command, output: CliOutput): void {
  const study = program
    .command('study')
    .description('bundled system studies (data/studies/) to copy and edit');
  study
    .command('list')
    .description('list the bundled studies and their files')
    .action(async () => {
      const { BUNDLED_STUDIES, bundledStudyPath } = await import('../../studies/system/index.ts');
      output.stdout(`${BUNDLED_STUDIES.map((n) => `${n}\t${bundledStudyPath(n)}`).join('\n')}\n`);
    });
  study
    .command('show')
    .description('print a bundled study file (e.g. `gridnest study show default > my-study.json`)')
    .argument('<name>', 'bundled study name')
    .action(async (name: string) => {
      const { BUNDLED_STUDIES, bundledStudyPath } = await import('../../studies/system/index.ts');
      const { readTextFile } = await import('../../io/read-text-file.ts');
      const known = BUNDLED_STUDIES.find((n) => n === name);
      if (!known)
        throw InputError.single('unknown_study', ['name'], `bundled studies: ${BUNDLED_STUDIES.join(', ')}`);
      output.stdout(readTextFile(bundledStudyPath(known)));
    });
}
