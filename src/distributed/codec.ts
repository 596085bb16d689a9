// JSON that keeps what plain JSON loses in result tables: NaN/±Infinity/−0, Float32Array columns and bigint money.

const replacer = (_key: string, value: unknown): unknown => {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
    return { $num: Object.is(value, -0) ? '-0' : String(value) };
  if (typeof value === 'bigint') return { $big: value.toString() };
  if (value instanceof Float32Array) return { $f32: Array.from(value) };
  return value;
};

const reviver = (_key: string, value: unknown): unknown => {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.$num === 'string') return Number(v.$num);
    if (typeof v.$big === 'string') return BigInt(v.$big);
    if (Array.isArray(v.$f32)) return Float32Array.from(v.$f32 as number[]);
  }
  return value;
};

export const encodeResult = (value: unknown): string => JSON.stringify(value, replacer);
export const decodeResult = <T>(text: string): T => JSON.parse(text, reviver) as T;
