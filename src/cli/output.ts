// Where CLI commands write: injected so commands can be tested in-process without touching process streams.
import type { Command } from 'commander';
import type { InputIssue } from '../core/errors.ts';

export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars draw only then). */
  readonly isTty: boolean;
}

/** Each command module exports one function that adds its command(s) to the program. */
export type RegisterCommand = (program: Command, output: CliOutput) => void;

/** What `--json` prints when a command does not run to a result (exit 2 or 1). */
export type CliFailure =
  | {
      readonly status: 'invalid_input';
      readonly message: string;
      readonly issues: readonly InputIssue[];
    }
  | { readonly status: 'error'; readonly message: string };

/** Print one JSON object followed by a newline. */
export function writeJson(output: CliOutput, value: unknown): void {
  output.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Render rows as an aligned plain-text table (header row first). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * A number rounded to `digits` decimals for display ('-' when missing or not finite); never prints "-0.000".
 * Commands state the display precision next to their tables; `--json` keeps full precision.
 */
export function formatFixed(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** The money unit of a case's costs for display: its `costCurrency` (EUR, $ …) or, when unstated, a placeholder. */
export function formatCostUnit(costCurrency: string | undefined): string {
  return costCurrency ?? '(case cost unit)';
}

/** Index of the smallest / largest value (the first on ties): the worst step of a time-series summary. */
export const argMin = (a: Float64Array): number => a.reduce((best, v, i) => (v < a[best] ? i : best), 0);
export const argMax = (a: Float64Array): number => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

/** What a balanced or three-phase time-series result shares: status, sizes and per-step voltage extremes. */
interface VoltageSeriesResult<Status extends string, BusId> {
  readonly status: Status;
  readonly stepCount: number;
  readonly busCount: number;
  readonly converged: Uint8Array;
  readonly vmMinPu: Float64Array;
  readonly vmMinBus: readonly BusId[];
  readonly vmMaxPu: Float64Array;
}

/** The common head of a time-series summary: status, sizes, converged steps and the worst voltages. */
export function voltageSeriesSummary<Status extends string, BusId>(r: VoltageSeriesResult<Status, BusId>) {
  const worstV = argMin(r.vmMinPu);
  return {
    status: r.status,
    steps: r.stepCount,
    buses: r.busCount,
    convergedSteps: r.converged.reduce((a, b) => a + b, 0),
    vmMinPu: r.vmMinPu[worstV],
    vmMinStep: worstV,
    vmMinBus: r.vmMinBus[worstV],
    vmMaxPu: Math.max(...r.vmMaxPu),
  };
}
