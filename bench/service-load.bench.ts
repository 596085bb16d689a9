// Load benchmark of `gridnest serve` on loopback: an open-loop generator (orders scheduled at a fixed arrival
// rate, latency measured from the scheduled time, so queueing counts) with 100 and 1,000 concurrent clients,
// on embedded PGlite and on PostgreSQL (GRIDNEST_TEST_PG_URL). Goal on PostgreSQL: ≥ 1,000 orders/s, p99 < 50 ms
// at 100 clients, 0 lost. Run: npx tsx bench/service-load.bench.ts [--rate 1000] [--seconds 10]

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPgliteDatabase } from '../src/service/storage/pglite-database.ts';
import { call, isoOf, nextIntervalStart, spawnServer } from '../test/e2e/service-harness.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RATE_PER_S = arg('rate', 1000);
const DURATION_S = arg('seconds', 10);
const CLIENT_COUNTS = [100, 1000];

interface RunResult {
  readonly database: string;
  readonly clients: number;
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  readonly stored: number;
  readonly elapsedS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function post(agent: Agent, url: URL, path: string, key: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

async function runLoad(
  database: 'pglite' | 'postgres',
  clients: number,
  databaseUrl?: string,
): Promise<RunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridnest-bench-'));
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await c.end();
  }
  const server = await spawnServer({
    dataDir,
    databaseUrl,
    env: { GRIDNEST_RATE_LIMIT_PER_S: '100000', GRIDNEST_RATE_LIMIT_BURST: '100000' },
  });
  const created = await call(server.url, 'POST', '/v1/platforms', {
    key: server.adminKey,
    body: { name: 'bench', operator: { name: 'op', locationId: 'f1' } },
  });
  const platformId: string = created.body.platform.id;
  const operatorKey: string = created.body.credential.apiKey;
  const keys: string[] = [];
  for (let i = 0; i < clients; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, clients - i) }, (_, j) =>
        call(server.url, 'POST', `/v1/platforms/${platformId}/members`, {
          key: operatorKey,
          body: { name: `p${i + j}`, role: 'prosumer', locationId: 'f1' },
        }),
      ),
    );
    for (const res of batch) keys.push(res.body.credential.apiKey);
  }
  const base = new URL(server.url);
  const agents = keys.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const t0 = nextIntervalStart(3_600_000);
  const total = RATE_PER_S * DURATION_S;
  const latencies = new Float64Array(total);
  let acked = 0;
  let failed = 0;
  const path = `/v1/platforms/${platformId}/orders`;
  const startedMs = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduledMs = startedMs + (i * 1000) / RATE_PER_S;
    const waitMs = scheduledMs - performance.now();
    if (waitMs > 1) await new Promise((r) => setTimeout(r, waitMs));
    const client = i % clients;
    const isSell = i % 2 === 0;
    const body = JSON.stringify({
      clientOrderId: `o${i}`,
      side: isSell ? 'sell' : 'buy',
      intervalStart: isoOf(t0 + (i % 4) * 900_000),
      energyKwh: 1 + (i % 5) * 0.5,
      limitPriceEurPerKwh: isSell ? 0.1 + (i % 11) * 0.01 : 0.12 + (i % 13) * 0.01,
    });
    inflight.push(
      post(agents[client], base, path, keys[client], body).then((status) => {
        latencies[i] = performance.now() - scheduledMs;
        if (status === 201) acked++;
        else failed++;
      }),
    );
  }
  await Promise.all(inflight);
  const elapsedS = (performance.now() - startedMs) / 1000;
  for (const agent of agents) agent.destroy();
  await server.stop();
  // Count what the database holds, with the server stopped: acknowledged orders must all be there.
  let stored: number;
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    stored = Number(
      (await c.query('SELECT count(*) AS n FROM orders WHERE platform_id = $1', [platformId])).rows[0].n,
    );
    await c.end();
  } else {
    const db = await openPgliteDatabase(join(dataDir, 'pglite'));
    stored = Number(
      (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE platform_id = $1', [
          platformId,
        ])
      ).rows[0].n,
    );
    await db.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  return {
    database,
    clients,
    sent: total,
    acked,
    failed,
    stored,
    elapsedS,
    p50Ms: q(0.5),
    p99Ms: q(0.99),
    maxMs: sorted[sorted.length - 1],
  };
}

const results: RunResult[] = [];
const pgUrl = process.env.GRIDNEST_TEST_PG_URL;
for (const database of ['pglite', 'postgres'] as const) {
  if (database === 'postgres' && !pgUrl) {
    console.log('postgres: skipped (set GRIDNEST_TEST_PG_URL, e.g. $(scripts/start-test-postgres.sh))');
    continue;
  }
  for (const clients of CLIENT_COUNTS) {
    const result = await runLoad(database, clients, database === 'postgres' ? pgUrl : undefined);
    results.push(result);
    console.log(JSON.stringify(result));
  }
}
console.log(
  `\nopen-loop arrival rate ${RATE_PER_S} orders/s for ${DURATION_S} s, loopback, ${(await import('node:os')).cpus().length} CPUs`,
);
console.log('database  clients  sent    acked   failed  stored  lost  orders/s  p50 ms  p99 ms  max ms');
for (const r of results)
  console.log(
    `${r.database.padEnd(8)}  ${String(r.clients).padStart(7)}  ${String(r.sent).padStart(6)}  ${String(r.acked).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.stored).padStart(6)}  ${String(r.acked - Math.min(r.acked, r.stored)).padStart(4)}  ${(r.acked / r.elapsedS).toFixed(0).padStart(8)}  ${r.p50Ms.toFixed(1).padStart(6)}  ${r.p99Ms.toFixed(1).padStart(6)}  ${r.maxMs.toFixed(1).padStart(6)}`,
  );
