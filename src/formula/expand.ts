/**
 * From a parsed formula to a `ModelFormula`, as R and lme4 read it: lme4 first expands `||` terms
 * (expandDoubleVerts); the fixed part is the formula without its bar terms (nobars) read by R's terms()
 * rules; the random-effects terms are the bars left to right (findbars, with `a/b` split into `b:a` and
 * `a`), each with its effects read by terms() on its own and its grouping factor.
 */
import { FormulaError } from '../errors.js';
import { checkBarPlacement, expandDoubleVerts, findBars, hasBars, isBarNode, noBars, type BarExpr } from './bars.js';
import { deparse, deparseName } from './deparse.js';
import { parseFormula } from './parse.js';
import { expandTerms } from './terms.js';
import type { Expr, ModelFormula, RandomTerm, Variable } from './types.js';
import { checkFunctionVariable, collectVariables, VariableList } from './variables.js';

export { FORMULA_FUNCTIONS } from './variables.js';

/** Column names of a grouping expression `g`, `a:b`, `c:(b:a)` in level-construction order (first slowest). */
function groupingNames(g: Expr, formula: string): string[] {
  if (g.kind === 'binary' && g.op === ':') return [...groupingNames(g.left, formula), ...groupingNames(g.right, formula)];
  if (g.kind === 'paren') return groupingNames(g.inner, formula);
  if (g.kind === 'name' && g.name !== '.') return [g.name];
  throw new FormulaError(
    `the grouping factor ${deparse(g)} in "${formula}" must be a column, an interaction a:b or a nesting a/b`,
  );
}

/** The names of a grouping expression as written (before `/` is expanded), for the variable list. */
function groupingNamesAsWritten(g: Expr, formula: string): string[] {
  if (g.kind === 'binary' && (g.op === '/' || g.op === ':')) {
    return [...groupingNamesAsWritten(g.left, formula), ...groupingNamesAsWritten(g.right, formula)];
  }
  return groupingNames(g, formula);
}

/** lme4's model-frame variables (subbars): response, then the right-hand side left to right, bars as sums. */
function collectAll(e: Expr, vars: VariableList, formula: string): void {
  if (isBarNode(e)) {
    collectVariables(e.left, vars, formula);
    for (const name of groupingNamesAsWritten(e.right, formula)) vars.add({ kind: 'name', name, pos: e.right.pos });
    return;
  }
  if (e.kind === 'paren') return collectAll(e.inner, vars, formula);
  if (e.kind === 'binary' && hasBars(e)) {
    collectAll(e.left, vars, formula);
    collectAll(e.right, vars, formula);
    return;
  }
  collectVariables(e, vars, formula);
}

function randomTerm(bar: BarExpr, formula: string): RandomTerm {
  const { predictor } = expandTerms(bar.left, formula);
  if (!predictor.intercept && predictor.terms.length === 0) {
    throw new FormulaError(`the random-effects term (${deparse(bar)}) in "${formula}" has no effects: use (1 | g) or (x | g)`);
  }
  return {
    text: deparse(bar),
    effects: predictor,
    grouping: groupingNames(bar.right, formula).map(deparseName),
    // lme4 names the factor by deparsing the grouping expression: a lone name without backticks
    groupLabel: bar.right.kind === 'name' ? bar.right.name : deparse(bar.right),
  };
}

/**
 * Formulas expanded from text, by text, most recently used last: a loop of fits of one model parses its
 * formula once. Entries are deeply frozen, so every fit shares one immutable description.
 */
const expanded = new Map<string, ModelFormula>();
/** Formula texts kept expanded at most. */
const EXPANDED_KEPT = 32;

/** Freezes an expansion's objects and arrays (and the values of its maps) all the way down. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
  else for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

/**
 * Expands formula text (or a parsed tree) into the model description. An expansion of text is frozen,
 * cached and shared by every model of that formula.
 */
export function expandFormula(input: string | Expr): ModelFormula {
  if (typeof input !== 'string') return expand(input);
  const hit = expanded.get(input);
  if (hit !== undefined) {
    expanded.delete(input);
    expanded.set(input, hit);
    return hit;
  }
  const formula = deepFreeze(expand(input)); // a formula that fails to expand throws and is not kept
  if (expanded.size >= EXPANDED_KEPT) expanded.delete(expanded.keys().next().value as string);
  expanded.set(input, formula);
  return formula;
}

function expand(input: string | Expr): ModelFormula {
  const tree = typeof input === 'string' ? parseFormula(input) : input;
  const text = typeof input === 'string' ? input.trim() : deparse(input);
  const formula: Extract<Expr, { kind: 'formula' }> =
    tree.kind === 'formula' ? tree : { kind: 'formula', lhs: null, rhs: tree, pos: 0 };
  const lhs = formula.lhs;
  if (lhs) {
    if (lhs.kind === 'call') checkFunctionVariable(lhs, text);
    else if (lhs.kind !== 'name' || lhs.name === '.') {
      throw new FormulaError(
        `the response of "${text}" must be a column or a function of one (e.g. log(y)), not ${deparse(lhs)}`,
      );
    }
  }
  checkBarPlacement(formula.rhs, text);
  const rhs = expandDoubleVerts(formula.rhs, text);
  const fixedRhs = noBars(rhs) ?? { kind: 'number', value: 1, text: '1', pos: formula.rhs.pos };
  const fixed = expandTerms(fixedRhs, text, lhs).predictor;
  const random = findBars(rhs, text).map((bar) => randomTerm(bar, text));

  const all = new VariableList();
  if (lhs) collectVariables(lhs, all, text);
  collectAll(rhs, all, text);
  const variables = new Map<string, Variable>(all.list.map((v) => [v.label, v]));
  const response = lhs ? all.get(deparse(lhs)) : null;
  const expr: Expr = { ...formula, rhs };
  return { text, printed: deparse(expr), expr, response, fixed, random, variables };
}
