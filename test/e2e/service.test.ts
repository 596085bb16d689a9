// End-to-end tests of `gridnest serve` on the embedded PGlite database: one data directory for the whole file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type ServerHandle, spawnServer } from './service-harness.ts';
import { defineServiceScenarios, runCrashScenario } from './service-scenarios.ts';

describe('service on embedded PGlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridnest-e2e-'));
  let server: ServerHandle;
  let adminKey: string;

  beforeAll(async () => {
    server = await spawnServer({ dataDir });
    adminKey = server.adminKey;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  defineServiceScenarios(() => server);

  it('refuses a second server on the same data directory', async () => {
    await expect(spawnServer({ dataDir, adminKey })).rejects.toThrow(/in use by process/);
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
  });

  it('keeps acknowledged orders across SIGKILL, recovering the stale lock and postmaster.pid', async () => {
    const { server: restarted, outcome } = await runCrashScenario(server, async () => {
      const next = await spawnServer({ dataDir, adminKey });
      expect(next.stderr()).toMatch(/recovered a stale lock/);
      return next;
    });
    server = restarted;
    expect(outcome.acked).toBeGreaterThanOrEqual(300);
  });

  it('treats a lock left by a dead process as stale after a clean restart', async () => {
    expect(await server.stop()).toBe(0);
    const lockPath = join(dataDir, 'gridnest.lock');
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: 2_147_483_000, hostname: hostname(), startTicks: '1', startedAt: 'x' }),
    );
    server = await spawnServer({ dataDir, adminKey });
    expect(server.stderr()).toMatch(/recovered a stale lock of process 2147483000/);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(server.process.pid);
  });
});
