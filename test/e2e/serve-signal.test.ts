// End-to-end: SIGTERM/SIGINT to the process a user started (`node bin/gridnest.js serve` or `npx gridnest serve`)
// stops the server: the port is closed, the data-directory lock released and no process of the tree is left.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/gridnest.js');
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The environment a user's shell would have: without the test runner's own variables. */
const userEnvironment = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(VITEST|NODE_CHANNEL|TEST$)/.test(key)),
  );

interface Started {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function start(command: string, args: string[], dataDir: string): Started {
  const child = spawn(command, [...args, 'serve', '--port', '0', '--data', dataDir], {
    cwd: ROOT,
    env: { ...userEnvironment(), GRIDNEST_MANUAL_CLOCK: '1', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /(http:\/\/\S+)\n/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

const portIsClosed = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('gridnest serve stops on a signal to the launched process', () => {
  const cases: [string, string, string[], NodeJS.Signals][] = [
    ['node bin/gridnest.js, SIGTERM', process.execPath, [BIN], 'SIGTERM'],
    ['node bin/gridnest.js, SIGINT', process.execPath, [BIN], 'SIGINT'],
    ['npx gridnest, SIGTERM', 'npx', ['--no-install', 'gridnest'], 'SIGTERM'],
  ];
  it.each(cases)(
    '%s',
    async (_name, command, args, signal) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gridnest-signal-'));
      dirs.push(dataDir);
      const { child, url, stderr, exited } = start(command, args, dataDir);
      const serverUrl = await url;
      expect(await portIsClosed(serverUrl)).toBe(false);
      expect(existsSync(join(dataDir, 'gridnest.lock'))).toBe(true);
      child.kill(signal);
      expect(await eventually(() => portIsClosed(serverUrl))).toBe(true);
      expect(await eventually(() => !existsSync(join(dataDir, 'gridnest.lock'))), stderr()).toBe(true);
      expect(stderr()).toMatch(new RegExp(`${signal} received, shutting down[\\s\\S]*stopped`));
      if (command === process.execPath) expect(await exited).toBe(0);
    },
    120_000,
  );

  it('a second signal during shutdown does not kill it before the lock is released', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridnest-signal-'));
    dirs.push(dataDir);
    const { child, url, stderr, exited } = start(process.execPath, [BIN], dataDir);
    const serverUrl = await url;
    child.kill('SIGINT');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await portIsClosed(serverUrl)).toBe(true);
    expect(existsSync(join(dataDir, 'gridnest.lock'))).toBe(false);
    // Both signals are pending at once, so the process may take either first (the kernel and libuv do not
    // promise an order); it must shut down once and stop cleanly.
    expect(stderr()).toMatch(/(SIGINT|SIGTERM) received, shutting down[\s\S]*stopped/);
    expect(stderr().match(/received, shutting down/g)).toHaveLength(1);
  }, 120_000);
});
