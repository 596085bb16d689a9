// Arithmetic on real matrices for the MATPOWER subset: + - .* ./ .^ elementwise with scalar expansion, the matrix
// product *, and / and ^ where MATLAB's meaning is elementwise (a scalar divisor, scalar powers).
import { type FailAtLine, type MatrixValue, mapMatrix, matrix, scalar } from './values.ts';

/** `a op b` for a binary operator of the subset; other operators and non-scalar `/`, `^` fail as unsupported. */
export function applyBinaryOperator(
  op: string,
  a: MatrixValue,
  b: MatrixValue,
  fail: FailAtLine,
): MatrixValue {
  const isScalar = (m: MatrixValue) => m.rows === 1 && m.cols === 1;
  switch (op) {
    case '+':
      return elementwise(a, b, (x, y) => x + y, op, fail);
    case '-':
      return elementwise(a, b, (x, y) => x - y, op, fail);
    case '.*':
      return elementwise(a, b, (x, y) => x * y, op, fail);
    case './':
      return elementwise(a, b, (x, y) => x / y, op, fail);
    case '.^':
      return elementwise(a, b, (x, y) => x ** y, op, fail);
    case '*':
      if (isScalar(a) || isScalar(b)) return elementwise(a, b, (x, y) => x * y, op, fail);
      return matrixProduct(a, b, fail);
    case '/':
      if (isScalar(b)) return elementwise(a, b, (x, y) => x / y, op, fail);
      return fail('matrix right division by a non-scalar is not supported', 'matpower_unsupported');
    case '^':
      if (isScalar(a) && isScalar(b)) return scalar(a.data[0] ** b.data[0]);
      return fail('matrix power "^" of a non-scalar is not supported (use ".^")', 'matpower_unsupported');
    default:
      return fail(`unsupported operator "${op}"`, 'matpower_unsupported');
  }
}

function elementwise(
  a: MatrixValue,
  b: MatrixValue,
  f: (x: number, y: number) => number,
  op: string,
  fail: FailAtLine,
): MatrixValue {
  if (a.rows === 1 && a.cols === 1) return mapMatrix(b, (y) => f(a.data[0], y));
  if (b.rows === 1 && b.cols === 1) return mapMatrix(a, (x) => f(x, b.data[0]));
  if (a.rows !== b.rows || a.cols !== b.cols) {
    fail(`dimension mismatch for "${op}": ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  }
  return matrix(
    a.rows,
    a.cols,
    Float64Array.from(a.data, (x, k) => f(x, b.data[k])),
  );
}

function matrixProduct(a: MatrixValue, b: MatrixValue, fail: FailAtLine): MatrixValue {
  if (a.cols !== b.rows) fail(`dimension mismatch for "*": ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      for (let j = 0; j < b.cols; j++) out[i * b.cols + j] += aik * b.data[k * b.cols + j];
    }
  }
  return matrix(a.rows, b.cols, out);
}
