// Syntax tree of the MATLAB subset of MATPOWER case files: expressions and statements, each with its source line.

export type Expr =
  | { readonly type: 'number'; readonly value: number; readonly line: number }
  | { readonly type: 'string'; readonly value: string; readonly line: number }
  | { readonly type: 'name'; readonly name: string; readonly line: number }
  /** A bare `:` inside an index: every position along that dimension. */
  | { readonly type: 'colon'; readonly line: number }
  /** `end` inside an index: the size along that dimension. */
  | { readonly type: 'end'; readonly line: number }
  | { readonly type: 'unary'; readonly op: string; readonly operand: Expr; readonly line: number }
  | {
      readonly type: 'binary';
      readonly op: string;
      readonly left: Expr;
      readonly right: Expr;
      readonly line: number;
    }
  | { readonly type: 'transpose'; readonly operand: Expr; readonly line: number }
  | {
      readonly type: 'range';
      readonly start: Expr;
      readonly step: Expr | undefined;
      readonly stop: Expr;
      readonly line: number;
    }
  | { readonly type: 'index'; readonly target: Expr; readonly args: readonly Expr[]; readonly line: number }
  | { readonly type: 'field'; readonly target: Expr; readonly name: string; readonly line: number }
  | {
      readonly type: 'matrix';
      readonly rows: readonly (readonly Expr[])[];
      readonly rowLines: readonly number[];
      readonly line: number;
    }
  | { readonly type: 'cell'; readonly rows: readonly (readonly Expr[])[]; readonly line: number };

export type Statement =
  | {
      readonly type: 'function';
      readonly outputs: readonly string[];
      readonly name: string;
      readonly line: number;
    }
  | { readonly type: 'assign'; readonly target: Expr; readonly value: Expr; readonly line: number }
  /** `[A, B, ~] = f` — several outputs of one call; `undefined` marks an ignored output (`~`). */
  | {
      readonly type: 'multi-assign';
      readonly targets: readonly (string | undefined)[];
      readonly value: Expr;
      readonly line: number;
    }
  | { readonly type: 'return'; readonly line: number };
