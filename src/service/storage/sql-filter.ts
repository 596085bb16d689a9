// A parameterised WHERE clause built condition by condition: values are bound as $n, never spliced into SQL.

export class SqlFilter {
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  /** Bind a value and return its placeholder ($1, $2, ...). */
  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Add a condition written around the placeholder of `value`, e.g. (p) => `member_id = ${p}`. */
  add(condition: (placeholder: string) => string, value: unknown): void {
    this.conditions.push(condition(this.bind(value)));
  }

  /** The conditions joined with AND (TRUE when there are none). */
  get where(): string {
    return this.conditions.length > 0 ? this.conditions.join(' AND ') : 'TRUE';
  }
}
