// SQL migrations, the same for PGlite and PostgreSQL: applied in order, each in its own transaction, once.
import type { Database } from './database.ts';

/** A numbered schema change. Never edit a released migration: append a new one. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE platforms (
  id text PRIMARY KEY,
  name text NOT NULL,
  market_mode text NOT NULL CHECK (market_mode IN ('continuous', 'call')),
  interval_minutes integer NOT NULL CHECK (interval_minutes > 0),
  gate_closure_minutes integer NOT NULL CHECK (gate_closure_minutes >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
  id text PRIMARY KEY,
  platform_id text NOT NULL REFERENCES platforms(id),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('prosumer', 'operator', 'dso')),
  location_id text NOT NULL,
  bus_id text,
  feeder_id text,
  der jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_platform ON members (platform_id);

-- API credentials: only an HMAC-SHA256 of the key (keyed with the server secret) is stored.
CREATE TABLE credentials (
  key_id text PRIMARY KEY,
  member_id text REFERENCES members(id),
  is_admin boolean NOT NULL DEFAULT false,
  key_hash bytea NOT NULL,
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX credentials_member ON credentials (member_id);

-- Limit orders for one delivery interval. Energy in Wh, prices in micro-euros per kWh (integers).
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  platform_id text NOT NULL REFERENCES platforms(id),
  member_id text NOT NULL REFERENCES members(id),
  client_order_id text NOT NULL,
  side text NOT NULL CHECK (side IN ('buy', 'sell')),
  interval_start_ms bigint NOT NULL,
  energy_wh bigint NOT NULL CHECK (energy_wh > 0),
  limit_price_micro_eur_per_kwh bigint NOT NULL,
  remaining_wh bigint NOT NULL CHECK (remaining_wh >= 0),
  status text NOT NULL CHECK (status IN ('open', 'partially_filled', 'filled', 'cancelled', 'expired')),
  created_at_ms bigint NOT NULL,
  UNIQUE (member_id, client_order_id)
);
CREATE INDEX orders_open ON orders (platform_id, interval_start_ms) WHERE status IN ('open', 'partially_filled');
CREATE INDEX orders_member ON orders (member_id, id);

CREATE TABLE trades (
  id bigint PRIMARY KEY,
  platform_id text NOT NULL REFERENCES platforms(id),
  interval_start_ms bigint NOT NULL,
  buy_order_id bigint NOT NULL REFERENCES orders(id),
  sell_order_id bigint NOT NULL REFERENCES orders(id),
  buyer_id text NOT NULL REFERENCES members(id),
  seller_id text NOT NULL REFERENCES members(id),
  taker_order_id bigint REFERENCES orders(id),
  energy_wh bigint NOT NULL CHECK (energy_wh > 0),
  price_micro_eur_per_kwh bigint NOT NULL,
  created_at_ms bigint NOT NULL
);
CREATE INDEX trades_interval ON trades (platform_id, interval_start_ms);
CREATE INDEX trades_taker ON trades (taker_order_id);

-- Uniform-price call auctions run per (platform, interval), at most once.
CREATE TABLE clearings (
  platform_id text NOT NULL REFERENCES platforms(id),
  interval_start_ms bigint NOT NULL,
  price_micro_eur_per_kwh bigint,
  energy_wh bigint NOT NULL,
  cleared_at_ms bigint NOT NULL,
  PRIMARY KEY (platform_id, interval_start_ms)
);

-- DSO price schedules: each publication is kept; the latest covering an interval applies.
CREATE TABLE price_schedules (
  id bigserial PRIMARY KEY,
  platform_id text NOT NULL REFERENCES platforms(id),
  published_by text NOT NULL REFERENCES members(id),
  schedule jsonb NOT NULL,
  first_interval_ms bigint NOT NULL,
  end_ms bigint NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_schedules_platform ON price_schedules (platform_id, id);

-- Metered energy per member and interval (Wh), as delivered by the metering operator.
CREATE TABLE meter_readings (
  platform_id text NOT NULL REFERENCES platforms(id),
  member_id text NOT NULL REFERENCES members(id),
  interval_start_ms bigint NOT NULL,
  import_wh bigint NOT NULL CHECK (import_wh >= 0),
  export_wh bigint NOT NULL CHECK (export_wh >= 0),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, interval_start_ms)
);
CREATE INDEX meter_readings_interval ON meter_readings (platform_id, interval_start_ms);

CREATE TABLE settlement_runs (
  id bigserial PRIMARY KEY,
  platform_id text NOT NULL REFERENCES platforms(id),
  interval_start_ms bigint NOT NULL,
  price_schedule_id bigint REFERENCES price_schedules(id),
  summary jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (platform_id, interval_start_ms)
);

-- Double-entry ledger (src/ledger rules): positive = the account receives; each transaction sums to zero.
CREATE TABLE ledger_transactions (
  id text PRIMARY KEY,
  platform_id text NOT NULL REFERENCES platforms(id),
  settlement_run_id bigint REFERENCES settlement_runs(id),
  description text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE ledger_postings (
  transaction_id text NOT NULL REFERENCES ledger_transactions(id),
  leg integer NOT NULL,
  platform_id text NOT NULL,
  account_id text NOT NULL,
  amount_micro_eur bigint NOT NULL,
  PRIMARY KEY (transaction_id, leg)
);
CREATE INDEX ledger_postings_account ON ledger_postings (platform_id, account_id);
`,
  },
];

/** Apply every migration newer than the database's version. Safe to call at each start. */
export async function migrateDatabase(db: Database): Promise<number> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  let applied = 0;
  for (const migration of MIGRATIONS) {
    await db.transaction(async (tx) => {
      // Serialise concurrent starters on PostgreSQL; harmless on PGlite.
      await tx.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.rows.length > 0) return;
      await execMultiStatement(tx, migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied++;
    });
  }
  return applied;
}

/** Run a migration script statement by statement (extended-protocol queries take one statement each). */
async function execMultiStatement(
  tx: { query: (sql: string) => Promise<unknown> },
  script: string,
): Promise<void> {
  const withoutComments = script
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  for (const statement of withoutComments.split(';')) {
    if (statement.trim() !== '') await tx.query(statement);
  }
}
