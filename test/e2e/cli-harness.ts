// Shared by the CLI end-to-end tests: run the CLI in this process with captured output.
import { runCli } from '../../src/cli/main.ts';

/** Run `gridnest ARGS` in this process (same command tree and exit-code mapping as the binary, no startup cost). */
export async function runGridnest(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTty: false,
  });
  return { code, stdout, stderr };
}
