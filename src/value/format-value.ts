// Display formatting of value metrics and their differences to the baseline (report and CLI share these rules).

/** Unit of a metric that counts events: shown as integers. */
export const COUNT_UNIT = 'count';

/**
 * A metric value for display: counts as integers, other values with three significant decimals below 10, one
 * below 1000 and none above; '–' when not available (NaN: the run has nothing to measure).
 */
export function formatMetricValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  const digits = unit === COUNT_UNIT ? 0 : Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 1 : 3;
  return withoutNegativeZero(value.toFixed(digits));
}

/** Unit of a difference: a difference of percentages is in percentage points. */
export function deltaUnit(unit: string): string {
  return unit === '%' ? 'pp' : unit;
}

/** Whether a difference is zero up to floating-point noise relative to the values compared. */
export function isZeroDelta(deltaValue: number, ...values: readonly number[]): boolean {
  return Math.abs(deltaValue) <= 1e-9 * Math.max(1, ...values.map(Math.abs));
}

/**
 * A difference run − baseline with its sign ("+2", "−0.35", "+4.2e-5"): like formatMetricValue, but small
 * non-zero differences keep two significant digits instead of printing as 0.000.
 */
export function formatMetricDelta(deltaValue: number, unit: string): string {
  if (!Number.isFinite(deltaValue)) return '–';
  const magnitude = Math.abs(deltaValue);
  const text =
    unit === COUNT_UNIT || magnitude >= 1000
      ? magnitude.toFixed(0)
      : magnitude >= 10
        ? magnitude.toFixed(1)
        : magnitude >= 0.001 || magnitude === 0
          ? magnitude.toFixed(3)
          : magnitude.toPrecision(2);
  return /^[0.]+$/.test(text) ? text : `${deltaValue < 0 ? '−' : '+'}${text}`;
}

const withoutNegativeZero = (text: string) => (/^-0(\.0*)?$/.test(text) ? text.slice(1) : text);
