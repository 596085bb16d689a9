// Test harness for the service e2e tests: spawn `gridnest serve` as a child process, talk HTTP and WebSocket.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { generateAdminKey } from '../../src/service/start-service.ts';

const BIN = fileURLToPath(new URL('../../bin/gridnest.js', import.meta.url));

export interface ServerHandle {
  readonly url: string;
  readonly adminKey: string;
  readonly process: ChildProcess;
  readonly stderr: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit (crash). */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly adminKey?: string;
  readonly serverSecret?: string;
  readonly env?: Record<string, string>;
}

/** Start a server on a free port with a manual clock; resolves once it prints its URL. */
export async function spawnServer(options: SpawnOptions): Promise<ServerHandle> {
  const adminKey = options.adminKey ?? generateAdminKey();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', options.dataDir], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl ?? '',
      GRIDNEST_ADMIN_KEY: adminKey,
      GRIDNEST_SERVER_SECRET: options.serverSecret ?? 'test-secret-test-secret-test-secret-0123',
      GRIDNEST_MANUAL_CLOCK: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const match = /(http:\/\/\S+)\n/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${stderr}`)));
    setTimeout(() => reject(new Error(`server did not start in 60 s:\n${stderr}`)), 60_000).unref();
  });
  return {
    url,
    adminKey,
    process: child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** JSON request helper; `key` is sent as a bearer token when given. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; rawBody?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (docs page)
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** Open a stream and collect its messages. */
export function openStream(
  baseUrl: string,
  platformId: string,
  key: string | undefined,
  channels = 'book,trades,prices',
): Promise<{ socket: WebSocket; messages: any[]; closed: Promise<number> }> {
  const wsUrl = `${baseUrl.replace('http', 'ws')}/v1/platforms/${platformId}/stream?channels=${channels}`;
  const socket = new WebSocket(wsUrl, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const messages: any[] = [];
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ socket, messages, closed }));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.on('error', reject);
  });
}

/** Next quarter-hour boundary at least `aheadMs` from now (UTC). */
export function nextIntervalStart(aheadMs: number, intervalMinutes = 15): number {
  const stepMs = intervalMinutes * 60_000;
  return Math.ceil((Date.now() + aheadMs) / stepMs) * stepMs;
}

export const isoOf = (ms: number): string => new Date(ms).toISOString();

export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
