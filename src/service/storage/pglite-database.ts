// Embedded PostgreSQL (PGlite, WebAssembly) behind the storage port; one connection, transactions serialised.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult, SqlClient } from './database.ts';

/**
 * Open (creating on first use) a PGlite database in `directory`. The caller must hold the data-directory lock:
 * PGlite takes none itself, so a `postmaster.pid` left by a killed process is stale by construction and removed
 * here (otherwise the next open can abort).
 */
export async function openPgliteDatabase(directory: string): Promise<Database> {
  mkdirSync(directory, { recursive: true });
  const stalePid = join(directory, 'postmaster.pid');
  if (existsSync(stalePid)) rmSync(stalePid);
  const db = await PGlite.create(directory);
  const client = (q: Pick<PGlite, 'query'>): SqlClient => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await q.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  });
  const root = client(db);
  return {
    kind: 'pglite',
    query: root.query,
    transaction: (work) => db.transaction((tx) => work(client(tx))),
    close: () => db.close(),
  };
}
