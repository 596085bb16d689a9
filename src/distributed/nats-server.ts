// Start a throw-away local nats-server (JetStream, loopback, free port, temporary store) for one run or test.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const NATS_INSTALL_HINT =
  'nats-server is not installed: install it with `apt-get install -y nats-server` (Debian/Ubuntu) or pass --nats URL of a running server started with -js';

export interface LocalNatsServer {
  readonly url: string;
  stop(): Promise<void>;
  /** Synchronous SIGKILL for exit handlers (the store directory stays behind in the temp dir). */
  kill(): void;
}

/** Whether `nats-server` is on PATH. */
export function hasNatsServer(): boolean {
  const r = spawnSync('nats-server', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Connect, retrying while a server starts (up to `timeoutMs`). */
export async function connectNats(url: string, timeoutMs = 10_000): Promise<NatsConnection> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Start `nats-server -a 127.0.0.1 -p PORT -js -sd TMP`; throws with the install command when it is missing. */
export async function startLocalNatsServer(): Promise<LocalNatsServer> {
  if (!hasNatsServer()) throw new Error(NATS_INSTALL_HINT);
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'gridnest-nats-'));
  const child: ChildProcess = spawn(
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir],
    {
      stdio: 'ignore',
    },
  );
  const url = `nats://127.0.0.1:${port}`;
  const probe = await connectNats(url);
  await probe.close();
  return {
    url,
    kill: () => void child.kill('SIGKILL'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
