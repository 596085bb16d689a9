// gridnest CLI entry: builds the command tree and maps outcomes to exit codes (0 ran, 2 bad input/usage, 1 internal).
import { Command, CommanderError } from 'commander';
import { InputError } from '../core/errors.ts';
import { COMMANDS } from './commands/index.ts';
import type { CliOutput } from './output.ts';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INPUT = 2;

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stderr.isTTY),
};

/** Run the CLI with the given arguments (without `node gridnest`). Resolves to the process exit code. */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  const program = new Command('gridnest')
    .description('gridnest: system-wide peer-to-peer energy trading coupled with grid physics')
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr })
    .showHelpAfterError();
  for (const register of COMMANDS) register(program, output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      ) {
        return EXIT_OK;
      }
      return EXIT_INPUT;
    }
    if (error instanceof InputError) {
      output.stderr(`gridnest: invalid input\n${indent(error.message)}\n`);
      return EXIT_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.stderr(`gridnest: internal error: ${message}\n`);
    if (process.env.GRIDNEST_DEBUG && error instanceof Error) output.stderr(`${error.stack}\n`);
    return EXIT_INTERNAL;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
