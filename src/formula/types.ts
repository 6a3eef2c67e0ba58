/**
 * What the formula layer produces. `formula/parse.ts` turns text into an `Expr` tree;
 * `formula/expand.ts` turns the tree into a `ModelFormula`: the response, the fixed-effects terms in
 * R's order and the random-effects terms in lme4's form. Later stages (model frame, design) only
 * read `ModelFormula`.
 */

/** A node of the parsed formula. `pos` is the 0-based offset of the node's first character. */
export type Expr =
  | { kind: 'formula'; lhs: Expr | null; rhs: Expr; pos: number }
  | { kind: 'name'; name: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'call'; fn: string; args: Expr[]; pos: number }
  | { kind: 'unary'; op: '+' | '-'; operand: Expr; pos: number }
  | {
      kind: 'binary';
      op: '+' | '-' | '*' | '/' | ':' | '^' | '|' | '||' | '%in%';
      left: Expr;
      right: Expr;
      pos: number;
    }
  | { kind: 'paren'; inner: Expr; pos: number };

/**
 * A variable of the model frame: a data column (`x`) or a function of columns (`log(x)`, `I(x^2)`),
 * labelled as R deparses it. `columns` are the data columns it reads.
 */
export interface Variable {
  readonly label: string;
  readonly expr: Expr;
  readonly columns: readonly string[];
}

/**
 * One term of a linear predictor: an interaction of variables (labels in R's variable order),
 * labelled as R labels it (`'Condition:Hemisphere'`). Never empty: the intercept is a flag.
 */
export interface Term {
  readonly label: string;
  readonly variables: readonly string[];
}

/** A linear predictor: intercept flag plus terms in R's order (by interaction order, then appearance). */
export interface LinearPredictor {
  readonly intercept: boolean;
  readonly terms: readonly Term[];
}

/**
 * A random-effects term in lme4's form `(effects | grouping)` after `||` and `/` were expanded:
 * `(x || g)` became `(1 | g)` and `(0 + x | g)`; `(1 | a/b)` became `(1 | b:a)` and `(1 | a)` (in that
 * order, as lme4's findbars lists them).
 */
export interface RandomTerm {
  /** lme4's deparse of the term, e.g. `'1 + Days | Subject'`. */
  readonly text: string;
  /** The left-hand side as a linear predictor (its model matrix gives the term's columns). */
  readonly effects: LinearPredictor;
  /**
   * Variable labels whose interaction is the grouping factor, first varying slowest, e.g.
   * `['dept', 'service']` for `dept:service`, `['cask', 'batch']` for `cask:batch`.
   */
  readonly grouping: readonly string[];
  /** The grouping factor's name as lme4 prints it, e.g. `'dept:service'`, `'cask:batch'`. */
  readonly groupLabel: string;
}

/** A whole model formula, ready for the model frame. */
export interface ModelFormula {
  /** The formula as given (trimmed). */
  readonly text: string;
  /** The formula as R deparses it after lme4 expanded `||` (what summaries print after "Formula:"). */
  readonly printed: string;
  /** The expression behind `printed` (for R's line-broken deparse). */
  readonly expr: Expr;
  /** The response variable, or null for a one-sided formula. */
  readonly response: Variable | null;
  readonly fixed: LinearPredictor;
  /** Random-effects terms in formula order (lme4 reorders them later by number of levels). */
  readonly random: readonly RandomTerm[];
  /** Every variable the model uses (response, fixed, random effects, grouping), by label. */
  readonly variables: ReadonlyMap<string, Variable>;
}
