#!/usr/bin/env node
// gridnest command-line entry: loads the TypeScript sources through tsx and runs the CLI in this process, so
// SIGINT/SIGTERM reach the command's own handlers; under npx it also stops when the npm launcher is killed.
import { register } from 'tsx/esm/api';

register();
const { stopWithLauncher } = await import('../src/cli/launcher-watch.ts');
stopWithLauncher();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
