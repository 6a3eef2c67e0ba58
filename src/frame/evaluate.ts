/**
 * Values of formula variables on a data table: a column as it is, or an arithmetic expression of
 * numeric columns (`log(x)`, `I(x^2)`, `sqrt(x + 1)`), evaluated elementwise.
 */
import { DataError, FormulaError } from '../errors.js';
import type { Column, DataTable } from '../data/table.js';
import type { Expr, Variable } from '../formula/types.js';
import { deparse } from '../formula/deparse.js';

/** A variable's values on all rows: numeric (NaN = missing) or a factor (code −1 = missing). */
export type VariableValues =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'factor'; readonly codes: Int32Array; readonly levels: readonly string[]; readonly ordered: boolean };

/** Looks a column up, with an error naming it and the available columns. */
export function getColumn(data: DataTable, name: string, where: string): Column {
  const c = data.columns.get(name);
  if (!c) {
    throw new DataError(
      `the column "${name}" used in ${where} is not in the data (columns: ${data.names.join(', ')})`,
      name,
    );
  }
  return c;
}

function numericOperand(data: DataTable, e: Expr, whole: string): Float64Array {
  switch (e.kind) {
    case 'name': {
      const c = getColumn(data, e.name, whole);
      if (c.kind !== 'numeric') {
        throw new DataError(`${whole} needs a numeric column, but "${e.name}" is a factor`, e.name);
      }
      return c.values;
    }
    case 'number':
      return new Float64Array(data.nrow).fill(e.value);
    case 'paren':
      return numericOperand(data, e.inner, whole);
    case 'unary': {
      const v = numericOperand(data, e.operand, whole);
      return e.op === '-' ? v.map((x) => -x) : v;
    }
    case 'call': {
      const v = numericOperand(data, e.args[0], whole);
      switch (e.fn) {
        case 'I':
          return v;
        case 'log':
          return v.map(Math.log);
        case 'exp':
          return v.map(Math.exp);
        case 'sqrt':
          return v.map(Math.sqrt);
      }
      throw new FormulaError(`unsupported function ${e.fn}() in ${whole}`);
    }
    case 'binary': {
      const a = numericOperand(data, e.left, whole);
      const b = numericOperand(data, e.right, whole);
      const out = new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        switch (e.op) {
          case '+': out[i] = a[i] + b[i]; break;
          case '-': out[i] = a[i] - b[i]; break;
          case '*': out[i] = a[i] * b[i]; break;
          case '/': out[i] = a[i] / b[i]; break;
          case '^': out[i] = a[i] ** b[i]; break;
          default: throw new FormulaError(`operator ${e.op} is not arithmetic in ${whole}`);
        }
      }
      return out;
    }
    case 'formula':
      throw new FormulaError(`'~' inside ${whole}`);
  }
}

/** Evaluates a formula variable on every row of the table. */
export function evaluateVariable(data: DataTable, v: Variable): VariableValues {
  if (v.expr.kind === 'name') {
    const c = getColumn(data, v.expr.name, 'the formula');
    return c.kind === 'numeric'
      ? { kind: 'numeric', values: c.values }
      : { kind: 'factor', codes: c.codes, levels: c.levels, ordered: c.ordered };
  }
  const whole = deparse(v.expr);
  const values = numericOperand(data, v.expr, `the term ${whole}`);
  // Missing inputs stay missing (NaN); a finite input giving a non-finite value is an error, not a silent NaN.
  const inputs = v.columns.map((name) => (getColumn(data, name, whole) as { values: Float64Array }).values);
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) continue;
    if (inputs.some((col) => Number.isNaN(col[i]))) continue;
    throw new DataError(
      `the term ${whole} is not finite on row ${i + 1} (${v.columns.map((n, k) => `${n} = ${inputs[k][i]}`).join(', ')}); ` +
        'transform the data or drop such rows',
      v.columns[0],
    );
  }
  return { kind: 'numeric', values };
}
