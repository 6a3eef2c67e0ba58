/**
 * From a parsed formula to a `ModelFormula`: R's `terms()` rules for the fixed part (intercept flag,
 * `+ - * / : %in% ^`, terms ordered by interaction order then appearance, variables within a term in
 * order of first appearance) and lme4's rules for random-effects terms (`||` split into uncorrelated
 * terms, `(1 | a/b)` into `(1 | b:a)` and `(1 | a)`).
 */
import { FormulaError } from '../errors.js';
import { deparse } from './deparse.js';
import { parseFormula } from './parse.js';
import type { Expr, LinearPredictor, ModelFormula, RandomTerm, Term, Variable } from './types.js';

/** Functions a formula may apply to numeric columns (inside I() too). */
export const FORMULA_FUNCTIONS = new Set(['I', 'log', 'exp', 'sqrt']);

/** The variables of a formula, numbered in order of first appearance. */
class Variables {
  readonly list: Variable[] = [];
  private readonly byLabel = new Map<string, number>();

  index(e: Expr): number {
    const label = deparse(e);
    let i = this.byLabel.get(label);
    if (i === undefined) {
      i = this.list.length;
      this.byLabel.set(label, i);
      this.list.push({ label, expr: e, columns: columnsOf(e) });
    }
    return i;
  }
}

function columnsOf(e: Expr): string[] {
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

/** A term as a sorted list of variable indices. */
type Bits = number[];

interface Expansion {
  terms: Bits[];
  /** true: `+ 1`, false: `+ 0` / `- 1`, null: not mentioned. */
  intercept: boolean | null;
}

const key = (b: Bits): string => b.join(',');

function union(a: Bits, b: Bits): Bits {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function merge(a: Bits[], b: Bits[]): Bits[] {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((t) => !seen.has(key(t)) && (seen.add(key(t)), true))];
}

function interact(a: Bits[], b: Bits[]): Bits[] {
  const out: Bits[] = [];
  for (const ta of a) for (const tb of b) out.push(union(ta, tb));
  return merge([], out);
}

function checkVariableExpr(e: Expr, formula: string): void {
  if (e.kind === 'call') {
    if (!FORMULA_FUNCTIONS.has(e.fn)) {
      throw new FormulaError(
        `unsupported function ${e.fn}() in the term ${deparse(e)} of "${formula}": ` +
          'use I(), log(), exp() or sqrt() of numeric columns',
      );
    }
    if (e.args.length !== 1) throw new FormulaError(`${e.fn}() takes one argument in the term ${deparse(e)}`);
    const inner = (x: Expr): void => {
      if (x.kind === 'call') checkVariableExpr(x, formula);
      else if (x.kind === 'binary') {
        if (!['+', '-', '*', '/', '^'].includes(x.op)) {
          throw new FormulaError(`operator ${x.op} is not arithmetic inside ${deparse(e)}`);
        }
        inner(x.left);
        inner(x.right);
      } else if (x.kind === 'unary') inner(x.operand);
      else if (x.kind === 'paren') inner(x.inner);
      else if (x.kind === 'formula') throw new FormulaError(`'~' is not allowed inside ${deparse(e)}`);
    };
    e.args.forEach(inner);
  }
}

function expand(e: Expr, vars: Variables, formula: string): Expansion {
  switch (e.kind) {
    case 'name':
      return { terms: [[vars.index(e)]], intercept: null };
    case 'call':
      checkVariableExpr(e, formula);
      return { terms: [[vars.index(e)]], intercept: null };
    case 'number':
      if (e.value === 1) return { terms: [], intercept: true };
      if (e.value === 0) return { terms: [], intercept: false };
      throw new FormulaError(`the number ${e.text} is not a term of "${formula}": only 0 and 1 (intercept) are`);
    case 'paren':
      if (e.inner.kind === 'binary' && (e.inner.op === '|' || e.inner.op === '||')) {
        throw new FormulaError(`the random-effects term (${deparse(e.inner)}) must be added with '+' at the top level`);
      }
      return expand(e.inner, vars, formula);
    case 'unary': {
      if (e.op === '+') return expand(e.operand, vars, formula);
      const inner = expand(e.operand, vars, formula);
      if (inner.terms.length === 0 && inner.intercept !== null) return { terms: [], intercept: !inner.intercept };
      throw new FormulaError(`unary minus of ${deparse(e.operand)} in "${formula}": write the removal as "... - term"`);
    }
    case 'formula':
      throw new FormulaError(`a formula cannot contain a second '~' ("${formula}")`);
    case 'binary': {
      const { op } = e;
      if (op === '|' || op === '||') {
        throw new FormulaError(`random-effects terms need parentheses: (${deparse(e)}) in "${formula}"`);
      }
      const A = expand(e.left, vars, formula);
      if (op === '^') {
        if (e.right.kind !== 'number' || !Number.isInteger(e.right.value) || e.right.value < 1) {
          throw new FormulaError(`the power in ${deparse(e)} must be a positive integer`);
        }
        let result = A.terms;
        for (let i = 1; i < e.right.value; i++) result = merge(result, interact(result, A.terms));
        return { terms: result, intercept: null };
      }
      const B = expand(e.right, vars, formula);
      switch (op) {
        case '+':
          return { terms: merge(A.terms, B.terms), intercept: B.intercept ?? A.intercept };
        case '-': {
          const drop = new Set(B.terms.map(key));
          const intercept = B.intercept === null ? A.intercept : !B.intercept;
          return { terms: A.terms.filter((t) => !drop.has(key(t))), intercept };
        }
        case ':':
        case '%in%':
          return { terms: interact(A.terms, B.terms), intercept: null };
        case '*':
          return { terms: merge(merge(A.terms, B.terms), interact(A.terms, B.terms)), intercept: B.intercept ?? A.intercept };
        case '/': {
          const all = A.terms.reduce<Bits>((acc, t) => union(acc, t), []);
          return { terms: merge(A.terms, interact([all], B.terms)), intercept: A.intercept };
        }
      }
    }
  }
  throw new FormulaError(`cannot interpret ${deparse(e)} in "${formula}"`);
}

function toPredictor(x: Expansion, vars: Variables): LinearPredictor {
  const sorted = x.terms
    .map((bits, i) => ({ bits, i }))
    .sort((a, b) => a.bits.length - b.bits.length || a.i - b.i)
    .map(({ bits }) => bits);
  const terms: Term[] = sorted.map((bits) => {
    const variables = bits.map((v) => vars.list[v].label);
    return { label: variables.join(':'), variables };
  });
  return { intercept: x.intercept ?? true, terms };
}

/** Splits the right-hand side at top-level `+` into fixed parts and parenthesized bar terms. */
function splitBars(e: Expr): { fixed: Expr | null; bars: Extract<Expr, { kind: 'binary' }>[] } {
  if (e.kind === 'paren' && e.inner.kind === 'binary' && (e.inner.op === '|' || e.inner.op === '||')) {
    return { fixed: null, bars: [e.inner] };
  }
  if (e.kind === 'binary' && (e.op === '+' || e.op === '-')) {
    const l = splitBars(e.left);
    if (e.op === '-') return { fixed: l.fixed ? { ...e, left: l.fixed } : { ...e, left: { kind: 'number', value: 1, text: '1', pos: e.pos } }, bars: l.bars };
    const r = splitBars(e.right);
    const fixed = l.fixed && r.fixed ? { ...e, left: l.fixed, right: r.fixed } : (l.fixed ?? r.fixed);
    return { fixed, bars: [...l.bars, ...r.bars] };
  }
  return { fixed: e, bars: [] };
}

const ONE: Expr = { kind: 'number', value: 1, text: '1', pos: 0 };
const ZERO: Expr = { kind: 'number', value: 0, text: '0', pos: 0 };

/** lme4's expandSlash: `a/b` → [b:a, a]; `a/b/c` → [c:(b:a), b:a, a]. Plain groups are returned as is. */
function expandGroups(g: Expr): Expr[] {
  if (g.kind === 'binary' && g.op === '/') {
    const left = expandGroups(g.left);
    const inner: Expr = { kind: 'binary', op: ':', left: g.right, right: left[0], pos: g.pos };
    return [inner, ...left];
  }
  return [g];
}

/** Grouping variables of `a:b` (order of level construction: first varies slowest). */
function groupingVariables(g: Expr, vars: Variables, formula: string): string[] {
  if (g.kind === 'binary' && g.op === ':') return [...groupingVariables(g.left, vars, formula), ...groupingVariables(g.right, vars, formula)];
  if (g.kind === 'paren') return groupingVariables(g.inner, vars, formula);
  if (g.kind === 'name') return [vars.list[vars.index(g)].label];
  throw new FormulaError(`the grouping factor ${deparse(g)} in "${formula}" must be a column name or an interaction a:b`);
}

/** lme4's expansion of one bar term into random-effects terms (and its printed form). */
function expandBar(
  bar: Extract<Expr, { kind: 'binary' }>,
  vars: Variables,
  formula: string,
): { terms: RandomTerm[]; printed: Expr } {
  const groups = expandGroups(bar.right);
  const lhs = toPredictor(expand(bar.left, vars, formula), vars);
  if (!lhs.intercept && lhs.terms.length === 0) {
    throw new FormulaError(`the random-effects term (${deparse(bar)}) has no effects: use (1 | g) or (x | g)`);
  }
  const terms: RandomTerm[] = [];
  const printedParts: Expr[] = [];
  for (const g of groups) {
    const grouping = groupingVariables(g, vars, formula);
    const groupLabel = deparse(g);
    if (bar.op === '|') {
      const node: Expr = { kind: 'binary', op: '|', left: bar.left, right: g, pos: bar.pos };
      terms.push({ text: deparse(node), effects: lhs, grouping, groupLabel });
      printedParts.push({ kind: 'paren', inner: node, pos: bar.pos });
      continue;
    }
    // `||`: one uncorrelated term per effect, the intercept first
    if (lhs.intercept) {
      const node: Expr = { kind: 'binary', op: '|', left: ONE, right: g, pos: bar.pos };
      terms.push({ text: deparse(node), effects: { intercept: true, terms: [] }, grouping, groupLabel });
      printedParts.push({ kind: 'paren', inner: node, pos: bar.pos });
    }
    for (const t of lhs.terms) {
      const effectExpr: Expr = t.variables
        .map((label) => vars.list.find((v) => v.label === label)!.expr)
        .reduce((acc, x) => ({ kind: 'binary', op: ':', left: acc, right: x, pos: bar.pos }));
      const node: Expr = {
        kind: 'binary',
        op: '|',
        left: { kind: 'binary', op: '+', left: ZERO, right: effectExpr, pos: bar.pos },
        right: g,
        pos: bar.pos,
      };
      terms.push({ text: deparse(node), effects: { intercept: false, terms: [t] }, grouping, groupLabel });
      printedParts.push({ kind: 'paren', inner: node, pos: bar.pos });
    }
  }
  // lme4 rewrites only `||` in the formula it keeps (a/b stays as written)
  const sum = printedParts.reduce((acc, x) => ({ kind: 'binary', op: '+', left: acc, right: x, pos: bar.pos }));
  const printed: Expr =
    bar.op === '||' ? { kind: 'paren', inner: sum, pos: bar.pos } : { kind: 'paren', inner: bar, pos: bar.pos };
  return { terms, printed };
}

/** Replaces bar terms in an expression by their printed expansion (for the "Formula:" line). */
function replaceBars(e: Expr, printed: Map<Expr, Expr>): Expr {
  if (e.kind === 'paren' && printed.has(e.inner)) {
    const p = printed.get(e.inner)!;
    return p;
  }
  if (e.kind === 'binary') return { ...e, left: replaceBars(e.left, printed), right: replaceBars(e.right, printed) };
  if (e.kind === 'formula') return { ...e, rhs: replaceBars(e.rhs, printed) };
  return e;
}

/** Expands formula text (or a parsed tree) into the model description. */
export function expandFormula(input: string | Expr): ModelFormula {
  const tree = typeof input === 'string' ? parseFormula(input) : input;
  const text = typeof input === 'string' ? input.trim() : deparse(input);
  const formula = tree.kind === 'formula' ? tree : ({ kind: 'formula', lhs: null, rhs: tree, pos: 0 } as const);
  const vars = new Variables();
  let response: Variable | null = null;
  if (formula.lhs) {
    if (formula.lhs.kind !== 'name' && formula.lhs.kind !== 'call') {
      throw new FormulaError(`the response of "${text}" must be a column or a function of one, not ${deparse(formula.lhs)}`);
    }
    checkVariableExpr(formula.lhs, text);
    response = vars.list[vars.index(formula.lhs)];
  }
  const { fixed, bars } = splitBars(formula.rhs);
  const fixedExpansion = fixed ? expand(fixed, vars, text) : { terms: [], intercept: null };
  const fixedPart = toPredictor(fixedExpansion, vars);
  if (response) {
    const responseIndex = 0;
    for (const t of fixedPart.terms) {
      if (t.variables.includes(vars.list[responseIndex].label)) {
        throw new FormulaError(`the response ${response.label} also appears on the right-hand side of "${text}"`);
      }
    }
  }
  const random: RandomTerm[] = [];
  const printedBars = new Map<Expr, Expr>();
  for (const bar of bars) {
    const { terms, printed } = expandBar(bar, vars, text);
    random.push(...terms);
    printedBars.set(bar, printed);
  }
  const variables = new Map(vars.list.map((v) => [v.label, v]));
  const expr = replaceBars(formula, printedBars);
  return {
    text,
    printed: deparse(expr),
    expr,
    response,
    fixed: fixedPart,
    random,
    variables,
  };
}
