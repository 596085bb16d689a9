// Result tables of `gridnest simulate`: CSV (RFC 4180) and Parquet files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Readonly<Record<string, string | number | boolean | null>>;

/** RFC 4180 CSV with a header from the first row's keys; numbers at full precision. */
export function toCsv(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  const cell = (v: Row[string]) => {
    if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${keys.join(',')}\n${rows.map((r) => keys.map((k) => cell(r[k])).join(',')).join('\n')}\n`;
}

/** Write rows as CSV and Parquet (DOUBLE / STRING / BOOLEAN columns, SNAPPY). */
export async function writeTable(dir: string, name: string, rows: readonly Row[]): Promise<string[]> {
  writeFileSync(join(dir, `${name}.csv`), toCsv(rows));
  if (rows.length === 0) return [`${name}.csv`];
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const columnData = Object.keys(rows[0]).map((key) => {
    const sample = rows.find((r) => r[key] !== null)?.[key];
    if (typeof sample === 'string')
      return {
        name: key,
        type: 'STRING' as const,
        data: rows.map((r) => (r[key] === null ? null : String(r[key]))),
        nullable: true,
      };
    if (typeof sample === 'boolean')
      return {
        name: key,
        type: 'BOOLEAN' as const,
        data: rows.map((r) => r[key] as boolean),
        nullable: false,
      };
    return {
      name: key,
      type: 'DOUBLE' as const,
      data: rows.map((r) =>
        typeof r[key] === 'number' && Number.isFinite(r[key]) ? (r[key] as number) : null,
      ),
      nullable: true,
    };
  });
  writeFileSync(join(dir, `${name}.parquet`), new Uint8Array(parquetWriteBuffer({ columnData })));
  return [`${name}.csv`, `${name}.parquet`];
}
