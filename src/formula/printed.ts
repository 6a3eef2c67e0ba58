/**
 * The formula lme4 keeps and prints after "Formula:": the formula with every `||` term expanded by
 * lme4's expandDoubleVerts, deparsed as R does. `Reaction ~ Days + (Days || Subject)` prints as
 * `Reaction ~ Days + ((1 | Subject) + (0 + Days | Subject))`; a formula without `||` prints as R's
 * deparse of it (`y~x+(1|g)` → `y ~ x + (1 | g)`).
 */
import { expandDoubleVerts } from './bars.js';
import { deparse } from './deparse.js';
import { parseFormula } from './parse.js';
import type { Expr } from './types.js';

/** The formula expression lme4 keeps: `||` terms expanded, everything else as written. */
export function printedFormulaExpr(input: string | Expr): Expr {
  const tree = typeof input === 'string' ? parseFormula(input) : input;
  const text = typeof input === 'string' ? input.trim() : deparse(input);
  return expandDoubleVerts(tree, text);
}

/** The text lme4 prints after "Formula:" (on one line; see formula/deparse-lines.ts for line breaks). */
export function printedFormula(input: string | Expr): string {
  return deparse(printedFormulaExpr(input));
}
