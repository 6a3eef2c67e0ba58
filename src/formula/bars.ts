/**
 * lme4's handling of random-effects ("bar") terms, re-implemented: `expandDoubleVerts` turns
 * `(x || g)` into `((1 | g) + (0 + x | g))`, `noBars` is the fixed part (lme4's nobars), `findBars`
 * lists the bar terms left to right with `g/h` grouping expanded as lme4's expandSlash does
 * (`(1 | a/b)` → `1 | b:a`, `1 | a`).
 */
import { FormulaError } from '../errors.js';
import { deparse } from './deparse.js';
import { expandTerms } from './terms.js';
import type { Expr } from './types.js';

/** A `|` or `||` node. */
export type BarExpr = Extract<Expr, { kind: 'binary' }> & { op: '|' | '||' };

/** Whether `e` is a bare `|` / `||` node. */
export function isBarNode(e: Expr): e is BarExpr {
  return e.kind === 'binary' && (e.op === '|' || e.op === '||');
}

/** Whether `e` is a bar term: a `|` / `||` node, possibly in parentheses. */
function isBarTerm(e: Expr): boolean {
  if (e.kind === 'paren') return isBarTerm(e.inner);
  return isBarNode(e);
}

/** Whether `e` holds a bar anywhere. */
export function hasBars(e: Expr): boolean {
  switch (e.kind) {
    case 'binary':
      return isBarNode(e) || hasBars(e.left) || hasBars(e.right);
    case 'paren':
      return hasBars(e.inner);
    case 'unary':
      return hasBars(e.operand);
    case 'call':
      return e.args.some(hasBars);
    case 'formula':
      return (e.lhs !== null && hasBars(e.lhs)) || hasBars(e.rhs);
    case 'name':
    case 'number':
      return false;
  }
}

/**
 * Checks that bar terms sit where lme4 gives them a meaning we support: in parentheses, joined to the
 * rest of the right-hand side by `+` (or on the left of a `-`). lme4 would silently drop bars found
 * inside `*`, `:` or function calls from the fixed part; we refuse with a message.
 */
export function checkBarPlacement(rhs: Expr, formula: string): void {
  const walk = (e: Expr): void => {
    if (e.kind === 'paren') {
      if (isBarNode(e.inner)) {
        checkBarSides(e.inner, formula);
        return;
      }
      walk(e.inner);
      return;
    }
    if (isBarNode(e)) {
      throw new FormulaError(
        `random-effects terms need parentheses: write (${deparse(e)}) in "${formula}"`,
      );
    }
    if (e.kind === 'binary' && e.op === '+') {
      walk(e.left);
      walk(e.right);
      return;
    }
    if (e.kind === 'binary' && e.op === '-') {
      walk(e.left);
      if (hasBars(e.right)) {
        throw new FormulaError(`random-effects terms cannot be subtracted in "${formula}": add them with '+', as in y ~ x + (1 | g)`);
      }
      return;
    }
    if (hasBars(e)) {
      throw new FormulaError(
        `random-effects terms must be added with '+' at the top level of "${formula}", as in y ~ x + (1 | g), ` +
          `not used inside ${deparse(e)}`,
      );
    }
  };
  walk(rhs);
}

function checkBarSides(bar: BarExpr, formula: string): void {
  if (hasBars(bar.left) || hasBars(bar.right)) {
    throw new FormulaError(`the random-effects term (${deparse(bar)}) in "${formula}" holds another '|'`);
  }
}

/** lme4's nobars of a right-hand side: the bar terms removed (null when nothing is left). */
export function noBars(e: Expr): Expr | null {
  if (!hasBars(e)) return e;
  if (isBarTerm(e)) return null;
  switch (e.kind) {
    case 'paren': {
      const inner = noBars(e.inner);
      return inner === null ? null : { ...e, inner };
    }
    case 'unary': {
      const operand = noBars(e.operand);
      return operand === null ? null : { ...e, operand };
    }
    case 'binary': {
      const left = noBars(e.left);
      const right = noBars(e.right);
      if (left === null) return right;
      if (right === null) return left;
      return { ...e, left, right };
    }
    default:
      return e;
  }
}

const number = (value: 0 | 1, pos: number): Expr => ({ kind: 'number', value, text: String(value), pos });
const paren = (inner: Expr): Expr => ({ kind: 'paren', inner, pos: inner.pos });
const binary = (op: BarExpr['op'] | '+' | ':', left: Expr, right: Expr, pos: number): Expr => ({ kind: 'binary', op, left, right, pos });

/**
 * lme4's expansion of one `(effects || g)`: `(1 | g)` if the effects have an intercept, then
 * `(0 + t | g)` for each term t of the effects in R's term order, summed left to right.
 */
function expandDoubleVert(bar: BarExpr, formula: string): Expr {
  const { predictor, variables } = expandTerms(bar.left, formula);
  const parts: Expr[] = [];
  if (predictor.intercept) parts.push(paren(binary('|', number(1, bar.pos), bar.right, bar.pos)));
  for (const term of predictor.terms) {
    const effect = term.variables
      .map((label) => variables.get(label).expr)
      .reduce((acc, x) => binary(':', acc, x, bar.pos));
    parts.push(paren(binary('|', binary('+', number(0, bar.pos), effect, bar.pos), bar.right, bar.pos)));
  }
  if (parts.length === 0) {
    throw new FormulaError(`the random-effects term (${deparse(bar)}) in "${formula}" has no effects: use (1 || g) or (x || g)`);
  }
  return parts.reduce((acc, p) => binary('+', acc, p, bar.pos));
}

/** lme4's expandDoubleVerts: every `||` term replaced by its uncorrelated `|` terms. */
export function expandDoubleVerts(e: Expr, formula: string): Expr {
  switch (e.kind) {
    case 'binary':
      if (e.op === '||') return expandDoubleVert(e as BarExpr, formula);
      return { ...e, left: expandDoubleVerts(e.left, formula), right: expandDoubleVerts(e.right, formula) };
    case 'paren':
      return { ...e, inner: expandDoubleVerts(e.inner, formula) };
    case 'unary':
      return { ...e, operand: expandDoubleVerts(e.operand, formula) };
    case 'call':
      return { ...e, args: e.args.map((a) => expandDoubleVerts(a, formula)) };
    case 'formula':
      return { ...e, rhs: expandDoubleVerts(e.rhs, formula) };
    case 'name':
    case 'number':
      return e;
  }
}

/**
 * lme4's expandSlash of a grouping expression: `a/b` → [`b:a`, `a`], `a/b/c` → [`c:(b:a)`, `b:a`, `a`];
 * anything else is returned as is.
 */
export function expandSlash(group: Expr, formula: string): Expr[] {
  if (group.kind === 'binary' && group.op === '/') {
    const left = expandSlash(group.left, formula);
    if (hasSlash(group.right)) {
      throw new FormulaError(`cannot read the grouping factor ${deparse(group)} in "${formula}": nest as a/b/c`);
    }
    return [binary(':', group.right, left[0], group.pos), ...left];
  }
  if (hasSlash(group)) throw new FormulaError(`cannot read the grouping factor ${deparse(group)} in "${formula}": nest as a/b/c`);
  return [group];
}

function hasSlash(e: Expr): boolean {
  if (e.kind === 'binary') return e.op === '/' || hasSlash(e.left) || hasSlash(e.right);
  if (e.kind === 'paren') return hasSlash(e.inner);
  if (e.kind === 'unary') return hasSlash(e.operand);
  if (e.kind === 'call') return e.args.some(hasSlash);
  return false;
}

/**
 * lme4's findbars on a right-hand side whose `||` terms were expanded: the `|` terms left to right,
 * each grouping `a/b` split by {@link expandSlash} into one bar per grouping factor.
 */
export function findBars(rhs: Expr, formula: string): BarExpr[] {
  const found: BarExpr[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'binary':
        if (e.op === '|') {
          found.push(e as BarExpr);
          return;
        }
        if (e.op === '||') throw new FormulaError(`internal: unexpanded || in "${formula}"`);
        walk(e.left);
        walk(e.right);
        return;
      case 'paren':
        walk(e.inner);
        return;
      case 'unary':
        walk(e.operand);
        return;
      case 'call':
        e.args.forEach(walk);
        return;
      default:
        return;
    }
  };
  walk(rhs);
  return found.flatMap((bar) =>
    expandSlash(bar.right, formula).map((g) => (g === bar.right ? bar : (binary('|', bar.left, g, bar.pos) as BarExpr))),
  );
}
