// The running service's state: database, clock, id allocation, one order engine per platform, streams, auth.
import { CredentialResolver } from './auth/principal.ts';
import type { Clock } from './clock.ts';
import {
  type EngineListener,
  type IdAllocator,
  PlatformEngine,
  type PlatformSettings,
} from './market/platform-engine.ts';
import { toBookView, toTradeView } from './market/records.ts';
import type { Database } from './storage/database.ts';
import { StreamHub } from './streams.ts';

export interface ServiceContext {
  readonly db: Database;
  readonly clock: Clock;
  readonly serverSecret: Buffer;
  readonly credentials: CredentialResolver;
  readonly streams: StreamHub;
  readonly startedAtMs: number;
  /** The order engine of a platform (loaded on first use), or null when the platform does not exist. */
  engine(platformId: string): Promise<PlatformEngine | null>;
  /** Let every engine clear due call auctions and drop closed books. */
  tick(): Promise<void>;
  /** Wait for queued order work to finish (shutdown). */
  drain(): Promise<void>;
}

/** Sequential ids from the current maxima; valid because one process owns the database at a time. */
async function createIdAllocator(db: Database): Promise<IdAllocator> {
  const result = await db.query(
    'SELECT (SELECT coalesce(max(id), 0) FROM orders) AS o, (SELECT coalesce(max(id), 0) FROM trades) AS t',
  );
  let orderId = Number(result.rows[0].o);
  let tradeId = Number(result.rows[0].t);
  return { nextOrderId: () => ++orderId, nextTradeId: () => ++tradeId };
}

export function mapPlatformSettings(row: Record<string, unknown>): PlatformSettings {
  return {
    id: String(row.id),
    marketMode: row.market_mode as PlatformSettings['marketMode'],
    intervalMinutes: Number(row.interval_minutes),
    gateClosureMinutes: Number(row.gate_closure_minutes),
  };
}

export async function createServiceContext(
  db: Database,
  clock: Clock,
  serverSecret: Buffer,
): Promise<ServiceContext> {
  const ids = await createIdAllocator(db);
  const streams = new StreamHub();
  const engines = new Map<string, Promise<PlatformEngine | null>>();
  const listener: EngineListener = {
    onTrades(platformId, trades) {
      streams.publish(platformId, 'trades', trades);
    },
    onBookChanged(platformId, intervalStartMs) {
      const engine = engines.get(platformId);
      void engine?.then((e) => {
        if (e)
          streams.publish(
            platformId,
            'book',
            toBookView(platformId, intervalStartMs, e.bookLevels(intervalStartMs)),
          );
      });
    },
  };
  const loadEngine = async (platformId: string): Promise<PlatformEngine | null> => {
    const result = await db.query(
      'SELECT id, market_mode, interval_minutes, gate_closure_minutes FROM platforms WHERE id = $1',
      [platformId],
    );
    if (result.rows.length === 0) return null;
    return PlatformEngine.load(db, mapPlatformSettings(result.rows[0]), clock, ids, listener);
  };
  const context: ServiceContext = {
    db,
    clock,
    serverSecret,
    credentials: new CredentialResolver(db, serverSecret),
    streams,
    startedAtMs: Date.now(),
    engine(platformId) {
      let engine = engines.get(platformId);
      if (!engine) {
        engine = loadEngine(platformId);
        engines.set(platformId, engine);
        // A missing platform may be created later: do not cache the miss.
        void engine.then(
          (e) => {
            if (!e) engines.delete(platformId);
          },
          () => engines.delete(platformId),
        );
      }
      return engine;
    },
    async tick() {
      for (const engine of engines.values()) {
        const e = await engine.catch(() => null);
        if (e) await e.onTick();
      }
    },
    async drain() {
      for (const engine of engines.values()) {
        const e = await engine.catch(() => null);
        if (e) await e.drained();
      }
    },
  };
  // Call-mode platforms must clear at gate closure even when nobody touches them after a restart.
  const platforms = await db.query("SELECT id FROM platforms WHERE market_mode = 'call'");
  for (const row of platforms.rows) await context.engine(String(row.id));
  return context;
}

export { toTradeView };
