// End-to-end tests of `gridnest serve` on a PostgreSQL server (GRIDNEST_TEST_PG_URL; scripts/start-test-postgres.sh).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, spawnServer } from './service-harness.ts';
import { defineServiceScenarios, runCrashScenario } from './service-scenarios.ts';

const databaseUrl = process.env.GRIDNEST_TEST_PG_URL;
if (!databaseUrl)
  console.warn(
    'service-postgres.test.ts skipped: set GRIDNEST_TEST_PG_URL (e.g. export GRIDNEST_TEST_PG_URL=$(scripts/start-test-postgres.sh))',
  );

describe.skipIf(!databaseUrl)('service on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridnest-e2e-pg-'));
  let server: ServerHandle;
  let adminKey: string;

  beforeAll(async () => {
    // A clean schema per run, so tests do not depend on what earlier runs left.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await client.end();
    server = await spawnServer({ dataDir, databaseUrl });
    adminKey = server.adminKey;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  defineServiceScenarios(() => server);

  it('refuses a second server on the same database', async () => {
    await expect(spawnServer({ dataDir: `${dataDir}-2`, databaseUrl, adminKey })).rejects.toThrow(
      /advisory lock/,
    );
  });

  it('loses or duplicates nothing acknowledged when SIGKILLed during a burst', async () => {
    const { server: restarted, outcome } = await runCrashScenario(server, () =>
      spawnServer({ dataDir, databaseUrl, adminKey }),
    );
    server = restarted;
    expect(outcome.acked).toBeGreaterThanOrEqual(300);
  });
});
