/**
 * R's terms() of a bar-free right-hand side: the intercept flag and the terms, each an interaction of
 * variables. It follows R's algorithm (src/library/stats/src/model.c, re-implemented): terms are sets
 * of variables; `a + b` appends, `a:b` crosses, `a*b` is `a + b + a:b`, `a/b` is `a + (all of a):b`,
 * `a %in% b` is `a:(all of b)`, `(…)^k` crosses k − 1 times, `- t` removes terms; `1` and `0` set the
 * intercept (flipped inside a removal), the last one met winning. Duplicates keep their first place;
 * terms are then ordered by their number of variables, keeping that order among equals. Variables
 * within a term follow the order in which they first appear in the formula.
 */
import { FormulaError } from '../errors.js';
import { deparse } from './deparse.js';
import type { Expr, LinearPredictor, Term } from './types.js';
import { collectVariables, VariableList } from './variables.js';

/** A term as the sorted indices of its variables. */
type Bits = readonly number[];

const keyOf = (b: Bits): string => b.join(',');

function union(a: Bits, b: Bits): Bits {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** R's TrimRepeats: drops empty terms and repeats, keeping first occurrences. */
function trim(terms: readonly Bits[]): Bits[] {
  const seen = new Set<string>();
  const out: Bits[] = [];
  for (const t of terms) {
    const k = keyOf(t);
    if (t.length === 0 || seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}

/** Every term of `a` joined with every term of `b` (`a` outer). */
function cross(a: readonly Bits[], b: readonly Bits[]): Bits[] {
  const out: Bits[] = [];
  for (const ta of a) for (const tb of b) out.push(union(ta, tb));
  return trim(out);
}

/** R's EncodeVars with its intercept and parity state. */
class TermEncoder {
  intercept = true;
  private parity = true;

  constructor(
    private readonly vars: VariableList,
    private readonly formula: string,
  ) {}

  encode(e: Expr): Bits[] {
    switch (e.kind) {
      case 'name':
      case 'call':
        return [[this.vars.add(e)]];
      case 'number':
        if (e.value === 1) this.intercept = this.parity;
        else if (e.value === 0) this.intercept = !this.parity;
        else {
          throw new FormulaError(
            `the number ${e.text} is not a term of "${this.formula}": only 0 and 1 are (no intercept / intercept); ` +
              'write arithmetic inside I(), e.g. I(2 * x)',
          );
        }
        return [];
      case 'paren':
        return this.encode(e.inner);
      case 'unary':
        return e.op === '+' ? this.encode(e.operand) : this.remove([], e.operand);
      case 'formula':
        throw new FormulaError(`a formula has one '~': "${this.formula}"`);
      case 'binary':
        return this.binary(e);
    }
  }

  private remove(left: Bits[], right: Expr): Bits[] {
    this.parity = !this.parity;
    const drop = new Set(this.encode(right).map(keyOf));
    this.parity = !this.parity;
    return left.filter((t) => !drop.has(keyOf(t)));
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Bits[] {
    switch (e.op) {
      case '+':
        return trim([...this.encode(e.left), ...this.encode(e.right)]);
      case '-':
        return this.remove(this.encode(e.left), e.right);
      case ':':
        return cross(this.encode(e.left), this.encode(e.right));
      case '*': {
        const a = this.encode(e.left);
        const b = this.encode(e.right);
        return trim([...a, ...b, ...cross(a, b)]);
      }
      case '/': {
        const a = this.encode(e.left);
        const b = this.encode(e.right);
        const all = a.reduce<Bits>(union, []);
        return trim([...a, ...b.map((t) => union(all, t))]);
      }
      case '%in%': {
        const a = this.encode(e.left);
        const all = this.encode(e.right).reduce<Bits>(union, []);
        return trim(a.map((t) => union(t, all)));
      }
      case '^': {
        const k = e.right.kind === 'number' ? e.right.value : NaN;
        if (!Number.isInteger(k) || k < 2) {
          throw new FormulaError(
            `the power in ${deparse(e)} (in "${this.formula}") must be a whole number of at least 2, as in (a + b + c)^2`,
          );
        }
        const a = this.encode(e.left);
        let result: Bits[] = a;
        for (let i = 1; i < k; i++) result = cross(a, result);
        return result;
      }
      case '|':
      case '||':
        throw new FormulaError(
          `the random-effects term ${deparse(e)} in "${this.formula}" must be in parentheses and added with '+', as in y ~ x + (1 | g)`,
        );
    }
  }
}

/** The expansion of a right-hand side: the linear predictor and the variables in R's order. */
export interface TermsExpansion {
  readonly predictor: LinearPredictor;
  /** Variables in order of first appearance (the response first when given). */
  readonly variables: VariableList;
}

/**
 * R's terms() of `rhs` (which must hold no `|`): intercept flag and terms in R's order, labelled as R
 * labels them. `response`, when given, is variable number one (it orders nothing else but must not be
 * a term). `formula` is the text named in errors.
 */
export function expandTerms(rhs: Expr, formula: string, response: Expr | null = null): TermsExpansion {
  const vars = new VariableList();
  if (response) collectVariables(response, vars, formula);
  collectVariables(rhs, vars, formula);
  const encoder = new TermEncoder(vars, formula);
  const bits = encoder.encode(rhs);
  const ordered = bits
    .map((b, i) => ({ b, i }))
    .sort((x, y) => x.b.length - y.b.length || x.i - y.i)
    .map(({ b }) => b);
  const terms: Term[] = ordered.map((b) => {
    const variables = b.map((v) => vars.list[v].label);
    return { label: variables.join(':'), variables };
  });
  if (response) {
    const label = deparse(response);
    const bad = terms.find((t) => t.variables.includes(label));
    if (bad) {
      throw new FormulaError(
        `the response ${label} is also on the right-hand side of "${formula}" (term ${bad.label}); remove it from the right-hand side`,
      );
    }
  }
  return { predictor: { intercept: encoder.intercept, terms }, variables: vars };
}
