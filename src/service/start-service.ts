// Start and stop the platform service: data-dir lock, database (PGlite or PostgreSQL), migrations, admin key,
// HTTP/WebSocket server and the gate-closure ticker.
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp, DEFAULT_APP_OPTIONS } from './api/build-app.ts';
import type { RateLimitOptions } from './api/rate-limiter.ts';
import { hashApiKey, issueApiKey, parseApiKey } from './auth/api-keys.ts';
import { loadServerSecret } from './auth/server-secret.ts';
import { type Clock, ManualClock, systemClock } from './clock.ts';
import { createServiceContext, type ServiceContext } from './service-context.ts';
import { acquireDataDirLock, type DataDirLock } from './storage/data-dir-lock.ts';
import type { Database } from './storage/database.ts';
import { migrateDatabase } from './storage/migrations.ts';
import { openPgliteDatabase } from './storage/pglite-database.ts';
import { openPostgresDatabase } from './storage/postgres-database.ts';

export interface ServiceOptions {
  readonly port: number;
  readonly host: string;
  /** Data directory: PGlite files, the lock file and (unless given) the server secret. */
  readonly dataDir: string;
  /** postgres://… to use a PostgreSQL server instead of PGlite. */
  readonly databaseUrl?: string;
  /** Keys the API-key hashes; default: `<dataDir>/server-secret`, created on first start. */
  readonly serverSecret?: string;
  /** A fixed admin key (gn_… format); default: one is generated on first start and printed once. */
  readonly adminKey?: string;
  readonly isManualClock: boolean;
  readonly rateLimit: RateLimitOptions;
  readonly bodyLimitBytes: number;
  readonly log: (line: string) => void;
}

export const DEFAULT_SERVICE_OPTIONS: ServiceOptions = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: '.gridnest-data',
  isManualClock: false,
  rateLimit: DEFAULT_APP_OPTIONS.rateLimit,
  bodyLimitBytes: DEFAULT_APP_OPTIONS.bodyLimitBytes,
  log: (line) => process.stderr.write(`${line}\n`),
};

/** Options from the environment (DATABASE_URL, GRIDNEST_SERVER_SECRET, GRIDNEST_ADMIN_KEY, …) over defaults. */
export function serviceOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<ServiceOptions>,
): ServiceOptions {
  const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
  return {
    ...DEFAULT_SERVICE_OPTIONS,
    databaseUrl: env.DATABASE_URL || undefined,
    serverSecret: env.GRIDNEST_SERVER_SECRET || undefined,
    adminKey: env.GRIDNEST_ADMIN_KEY || undefined,
    isManualClock: env.GRIDNEST_MANUAL_CLOCK === '1',
    rateLimit: {
      ratePerS: number('GRIDNEST_RATE_LIMIT_PER_S', DEFAULT_APP_OPTIONS.rateLimit.ratePerS),
      burst: number('GRIDNEST_RATE_LIMIT_BURST', DEFAULT_APP_OPTIONS.rateLimit.burst),
    },
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}

export interface RunningService {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly context: ServiceContext;
  readonly recoveredStaleLock: boolean;
  close(): Promise<void>;
}

const ADVISORY_LOCK_KEY = 7_419_301_011;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const dataDir = resolve(options.dataDir);
  const cleanups: (() => Promise<void> | void)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  };
  try {
    let lock: DataDirLock | null = null;
    let db: Database;
    if (options.databaseUrl) {
      // One server per database: the order sequencer and id allocation assume a single writer.
      const holder = new pg.Client({ connectionString: options.databaseUrl });
      await holder.connect();
      const taken = await holder.query('SELECT pg_try_advisory_lock($1::int8) AS ok', [ADVISORY_LOCK_KEY]);
      if (!taken.rows[0].ok) {
        await holder.end();
        throw new Error('another gridnest server is using this PostgreSQL database (advisory lock held)');
      }
      cleanups.push(() => holder.end());
      db = await openPostgresDatabase(options.databaseUrl);
      cleanups.push(() => db.close());
      options.log(`gridnest: using PostgreSQL ${redactUrl(options.databaseUrl)}`);
    } else {
      lock = acquireDataDirLock(dataDir);
      const heldLock = lock;
      cleanups.push(() => heldLock.release());
      if (lock.recoveredFrom)
        options.log(
          `gridnest: recovered a stale lock of process ${lock.recoveredFrom.pid} (it did not shut down cleanly)`,
        );
      db = await openPgliteDatabase(join(dataDir, 'pglite'));
      cleanups.push(() => db.close());
      options.log(`gridnest: using embedded PGlite in ${dataDir} (no fsync: see src/service/README.md)`);
    }
    const applied = await migrateDatabase(db);
    if (applied > 0) options.log(`gridnest: applied ${applied} migration(s)`);
    const serverSecret = loadServerSecret(dataDir, options.serverSecret);
    await ensureAdminKey(db, serverSecret, options);
    const clock: Clock = options.isManualClock ? new ManualClock(Date.now()) : systemClock;
    const context = await createServiceContext(db, clock, serverSecret);
    const app = await buildApp(context, {
      bodyLimitBytes: options.bodyLimitBytes,
      rateLimit: options.rateLimit,
      isManualClock: options.isManualClock,
      version: DEFAULT_APP_OPTIONS.version,
    });
    cleanups.push(async () => {
      context.streams.closeAll();
      await app.close();
      await context.drain();
    });
    let isTicking = false;
    const ticker = setInterval(() => {
      if (isTicking) return;
      isTicking = true;
      void context.tick().finally(() => {
        isTicking = false;
      });
    }, 1000);
    ticker.unref();
    cleanups.push(() => clearInterval(ticker));
    await app.listen({ port: options.port, host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host}:${port}`;
    options.log(`gridnest: listening on ${url} (docs ${url}/docs)`);
    let closing: Promise<void> | null = null;
    return {
      url,
      app,
      context,
      recoveredStaleLock: lock?.recoveredFrom != null,
      close: () => (closing ??= runCleanups()),
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/** Install the admin key: the configured one, or a new one printed once when none exists yet. */
async function ensureAdminKey(db: Database, serverSecret: Buffer, options: ServiceOptions): Promise<void> {
  if (options.adminKey) {
    const parsed = parseApiKey(options.adminKey);
    if (!parsed)
      throw new Error(
        'GRIDNEST_ADMIN_KEY must have the form gn_<16 letters/digits>_<43 base64url characters>',
      );
    await db.query(
      `INSERT INTO credentials (key_id, member_id, is_admin, key_hash, label) VALUES ($1, NULL, true, $2, 'admin (configured)')
       ON CONFLICT (key_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, revoked_at = NULL`,
      [parsed.keyId, hashApiKey(serverSecret, options.adminKey)],
    );
    return;
  }
  const existing = await db.query('SELECT 1 FROM credentials WHERE is_admin AND revoked_at IS NULL LIMIT 1');
  if (existing.rows.length > 0) return;
  const key = issueApiKey(serverSecret);
  await db.query(
    `INSERT INTO credentials (key_id, member_id, is_admin, key_hash, label) VALUES ($1, NULL, true, $2, 'admin (generated)')`,
    [key.keyId, key.keyHash],
  );
  options.log(`gridnest: admin API key (shown once, store it now): ${key.apiKey}`);
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** A fresh key in the gn_… format, e.g. for GRIDNEST_ADMIN_KEY. */
export function generateAdminKey(): string {
  return issueApiKey(Buffer.alloc(32)).apiKey;
}
