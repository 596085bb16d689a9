// PostgreSQL server (node-postgres pool) behind the storage port: durable commits (fsync, WAL) by the server.
import pg from 'pg';
import type { Database, QueryResult, SqlClient } from './database.ts';

// int8 (20) and numeric (1700) as JS strings would leak into the app; every int8 the service stores fits 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

/** Connect a pool to `url` (postgres://…) and check the connection with one round trip. */
export async function openPostgresDatabase(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    // An idle client lost its connection (server restart); the pool replaces it on the next query.
  });
  await pool.query('SELECT 1');
  const wrap = (q: pg.Pool | pg.PoolClient): SqlClient => ({
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
      const result = await q.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
  });
  const root = wrap(pool);
  return {
    kind: 'postgres',
    query: root.query,
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const value = await work(wrap(conn));
        await conn.query('COMMIT');
        return value;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
