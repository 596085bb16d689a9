// Minimal CSV reader for the IEEE European LV package: `#` comment lines, one header row, trimmed cells, line numbers.
import { InputError } from '../../core/errors.ts';

export interface CsvRow {
  /** 1-based line in the file. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
  /** Cell of `row` in the column named `name` (case-insensitive); InputError naming file and line when empty. */
  get(row: CsvRow, name: string): string;
  /** Numeric cell; InputError naming file, line and column when not a finite number. */
  number(row: CsvRow, name: string): number;
}

const splitLine = (text: string) =>
  text.split(',').map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );

/** Parse CSV text whose first non-comment, non-blank line is the header. `file` names the source in errors. */
export function parseCsv(text: string, file: string, requiredColumns: readonly string[] = []): CsvTable {
  let header: string[] | undefined;
  const rows: CsvRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || /^,*$/.test(trimmed)) return;
    const cells = splitLine(raw);
    if (header === undefined) header = cells.map((h) => h.toLowerCase());
    else rows.push({ line: i + 1, cells });
  });
  if (header === undefined) throw InputError.single('csv_format', [file], 'no header row');
  const columns = header;
  for (const name of requiredColumns) {
    if (!columns.includes(name.toLowerCase())) {
      throw InputError.single(
        'csv_format',
        [file],
        `missing column "${name}" (header: ${columns.join(', ')})`,
      );
    }
  }
  const get = (row: CsvRow, name: string) => {
    const value = row.cells[columns.indexOf(name.toLowerCase())] ?? '';
    if (value === '') throw InputError.single('csv_format', [`${file}:line ${row.line}`], `empty "${name}"`);
    return value;
  };
  return {
    file,
    header: columns,
    rows,
    get,
    number: (row, name) => {
      const text = get(row, name);
      const value = Number(text);
      if (!Number.isFinite(value)) {
        throw InputError.single(
          'csv_format',
          [`${file}:line ${row.line}`],
          `"${name}" is not a number: "${text}"`,
        );
      }
      return value;
    },
  };
}
