// The storage port: one SQL interface over the embedded PGlite database and a PostgreSQL server.

/** One parameterised SQL statement runner. Parameters are always bound ($1, $2 …), never spliced into SQL text. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface QueryResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

/** Which engine sits behind the port; durability guarantees differ (see src/service/README.md). */
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends SqlClient {
  readonly kind: DatabaseKind;
  /** Run `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. Resolves after COMMIT. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
