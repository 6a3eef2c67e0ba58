/**
 * The variables of a formula (R's `attr(terms, "variables")`): data columns and functions of columns
 * (`log(x)`, `I(x^2)`), each labelled by its deparse and numbered in order of first appearance.
 */
import { FormulaError } from '../errors.js';
import { deparse } from './deparse.js';
import type { Expr, Variable } from './types.js';

/** Functions a formula may apply to numeric columns (inside `I()` too). */
export const FORMULA_FUNCTIONS: ReadonlySet<string> = new Set(['I', 'log', 'exp', 'sqrt']);

/** Operators that build terms (R's formula operators), as opposed to variables. */
const TERM_OPERATORS = new Set(['+', '-', '*', '/', ':', '^', '%in%']);

/** The data columns an expression reads, in order of appearance. */
export function columnsOf(e: Expr): string[] {
  const out: string[] = [];
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'name':
        if (!out.includes(x.name)) out.push(x.name);
        break;
      case 'call':
        x.args.forEach(walk);
        break;
      case 'unary':
        walk(x.operand);
        break;
      case 'binary':
        walk(x.left);
        walk(x.right);
        break;
      case 'paren':
        walk(x.inner);
        break;
      case 'formula':
      case 'number':
        break;
    }
  };
  walk(e);
  return out;
}

/**
 * Checks a function-call variable: a supported function of one argument whose inside is arithmetic
 * (`+ - * / ^`, numbers, columns, nested supported functions). `formula` is named in errors.
 */
export function checkFunctionVariable(e: Extract<Expr, { kind: 'call' }>, formula: string): void {
  const whole = deparse(e);
  if (!FORMULA_FUNCTIONS.has(e.fn)) {
    throw new FormulaError(
      `unsupported function ${e.fn}() in the term ${whole} of "${formula}": ` +
        'only I(), log(), exp() and sqrt() of numeric columns are available; compute other transformations in the data',
    );
  }
  if (e.args.length !== 1) {
    throw new FormulaError(`${e.fn}() takes exactly one argument, but the term ${whole} of "${formula}" gives ${e.args.length}`);
  }
  const inner = (x: Expr): void => {
    switch (x.kind) {
      case 'call':
        checkFunctionVariable(x, formula);
        return;
      case 'binary':
        if (!['+', '-', '*', '/', '^'].includes(x.op)) {
          throw new FormulaError(
            `the operator ${x.op} inside ${whole} (in "${formula}") is not arithmetic: use + - * / ^ inside ${e.fn}()`,
          );
        }
        inner(x.left);
        inner(x.right);
        return;
      case 'unary':
        inner(x.operand);
        return;
      case 'paren':
        inner(x.inner);
        return;
      case 'formula':
        throw new FormulaError(`'~' is not allowed inside ${whole} (in "${formula}")`);
      case 'name':
        if (x.name === '.') throw new FormulaError(`'.' is not a column inside ${whole} (in "${formula}")`);
        return;
      case 'number':
        return;
    }
  };
  e.args.forEach(inner);
}

/** Variables in order of first appearance, by label. */
export class VariableList {
  readonly list: Variable[] = [];
  private readonly byLabel = new Map<string, number>();

  /** Index of the variable of `e` (a name or a call), adding it when new. */
  add(e: Expr): number {
    const label = deparse(e);
    let i = this.byLabel.get(label);
    if (i === undefined) {
      i = this.list.length;
      this.byLabel.set(label, i);
      this.list.push({ label, expr: e, columns: columnsOf(e) });
    }
    return i;
  }

  /** Index of the variable labelled `label`, if present. */
  indexOf(label: string): number | undefined {
    return this.byLabel.get(label);
  }

  /** The variable labelled `label` (it must be present). */
  get(label: string): Variable {
    const i = this.byLabel.get(label);
    if (i === undefined) throw new FormulaError(`internal: unknown variable ${label}`);
    return this.list[i];
  }
}

/**
 * R's ExtractVars: adds the variables of a term expression (no `|` inside) to `vars` in order of
 * appearance, checking function calls and numbers. Variables of removed terms (`- z`) count too, as in R.
 */
export function collectVariables(e: Expr, vars: VariableList, formula: string): void {
  switch (e.kind) {
    case 'name':
      if (e.name === '.') {
        throw new FormulaError(
          `'.' (all other columns) is not supported in "${formula}": list the columns you want, e.g. y ~ a + b`,
        );
      }
      vars.add(e);
      return;
    case 'call':
      checkFunctionVariable(e, formula);
      vars.add(e);
      return;
    case 'number':
      return;
    case 'paren':
      collectVariables(e.inner, vars, formula);
      return;
    case 'unary':
      collectVariables(e.operand, vars, formula);
      return;
    case 'binary':
      if (!TERM_OPERATORS.has(e.op)) {
        throw new FormulaError(
          `the random-effects term ${deparse(e)} in "${formula}" must be in parentheses and added with '+', as in y ~ x + (1 | g)`,
        );
      }
      collectVariables(e.left, vars, formula);
      if (e.op !== '^') collectVariables(e.right, vars, formula);
      return;
    case 'formula':
      throw new FormulaError(`a formula has one '~': "${formula}"`);
  }
}
