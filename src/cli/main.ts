// gridnest CLI entry: builds the command tree and maps outcomes to exit codes (0 ran, 2 bad input/usage, 1 internal).
import { Command, CommanderError } from 'commander';
import { InputError, type InputIssue } from '../core/errors.ts';
import { COMMANDS } from './commands/index.ts';
import { type CliFailure, type CliOutput, writeJson } from './output.ts';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_INPUT = 2;

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stderr.isTTY),
};

/**
 * Run the CLI with the given arguments (without `node gridnest`). Resolves to the process exit code.
 * When the invoked command takes `--json` and it was given, every failure also prints one JSON object with a
 * `status` on stdout (`invalid_input` with `issues`, or `error`); the human-readable message stays on stderr.
 */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  const program = new Command('gridnest')
    .description('gridnest: system-wide peer-to-peer energy trading coupled with grid physics')
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr })
    .showHelpAfterError();
  for (const register of COMMANDS) register(program, output);
  const isJson = isJsonRequested(program, argv);
  const fail = (code: number, failure: CliFailure): number => {
    if (isJson) writeJson(output, failure);
    return code;
  };
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
      const issue = usageIssue(error);
      return fail(EXIT_INPUT, { status: 'invalid_input', message: issue.message, issues: [issue] });
    }
    if (error instanceof InputError) {
      output.stderr(`gridnest: invalid input\n${indent(error.message)}\n`);
      return fail(EXIT_INPUT, { status: 'invalid_input', message: error.message, issues: error.issues });
    }
    const message = error instanceof Error ? error.message : String(error);
    output.stderr(`gridnest: internal error: ${message}\n`);
    if (process.env.GRIDNEST_DEBUG && error instanceof Error) output.stderr(`${error.stack}\n`);
    return fail(EXIT_INTERNAL, { status: 'error', message });
  }
}

/** Whether argv invokes a command that has a `--json` option and passes it (before any `--`). */
function isJsonRequested(program: Command, argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  let command = program;
  for (const arg of args) {
    if (arg.startsWith('-') || command.commands.length === 0) continue;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    command = sub;
  }
  return command.options.some((o) => o.long === '--json') && args.includes('--json');
}

/** A commander usage error as one issue: code `unknown_option` etc., path the option or argument it names. */
function usageIssue(error: CommanderError): InputIssue {
  const message = error.message.replace(/^error: /, '');
  const named =
    /option '(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? /argument '([\w-]+)'/.exec(message)?.[1];
  const code = error.code.replace(/^commander\./, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return { code, path: named ? [named] : [], message };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
