/**
 * R's deparse of formula expressions (R 4.2): spaces around `~ + - * | ||` and `%in%`, none around
 * `/ : ^`, unary minus glued to its operand, parentheses as written (and where a built tree needs them
 * to keep its grouping), numbers with 15 significant digits in R's fixed-or-scientific choice,
 * backticks around non-syntactic names.
 */
import { doubleLabel } from '../data/number-label.js';
import type { Expr } from './types.js';

/** Binary operators R's deparse writes with a space on each side. */
export const SPACED_OPERATORS: ReadonlySet<string> = new Set(['~', '+', '-', '*', '|', '||', '%in%']);

/** R's binding strength of binary operators (higher binds tighter). */
const PRECEDENCE: Record<string, number> = { '|': 1, '||': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%in%': 4, ':': 5, '^': 7 };
const UNARY_PRECEDENCE = 6;

/** Words R reserves: as names they need backticks. */
const RESERVED = new Set([
  'if', 'else', 'repeat', 'while', 'function', 'for', 'next', 'break', 'in', 'TRUE', 'FALSE', 'NULL', 'Inf', 'NaN',
  'NA', 'NA_integer_', 'NA_real_', 'NA_character_', 'NA_complex_',
]);

function precedenceOf(e: Expr): number {
  if (e.kind === 'binary') return PRECEDENCE[e.op];
  if (e.kind === 'unary') return UNARY_PRECEDENCE;
  if (e.kind === 'formula') return 0;
  return 10;
}

/**
 * Deparse of an operand, parenthesized where the tree's grouping differs from R's default parse
 * (R's needsparens: a unary minus on the right of an operator never is, `x^-1`).
 */
function operand(child: Expr, parent: number, right: boolean, rightAssoc: boolean): string {
  if (right && child.kind === 'unary') return deparse(child);
  const p = precedenceOf(child);
  const needs = p < parent || (p === parent && (right ? !rightAssoc : rightAssoc));
  return needs ? `(${deparse(child)})` : deparse(child);
}

/**
 * R's rendering of a double (deparse / as.character, 15 significant digits): the fewest significant
 * digits that give the value to 15 digits, written fixed unless scientific notation is narrower
 * (`100000` → `1e+05`, `0.0001` → `1e-04`, `123456` → `123456`, `1/3` → `0.333333333333333`).
 */
export function deparseNumber(value: number): string {
  return doubleLabel(value);
}

/** R's syntactic names on ASCII: the same pattern with \p{L} = [A-Za-z] and \p{N} = [0-9] there. */
const SYNTACTIC_ASCII = /^((\.[A-Za-z._]|[A-Za-z])[A-Za-z0-9._]*|\.)$/;
const SYNTACTIC_UNICODE = /^((\.[\p{L}._]|\p{L})[\p{L}\p{N}._]*|\.)$/u;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Whether R would print this name without backticks (letters as in a UTF-8 locale). ASCII names take the
 * ASCII pattern: V8 compiles a pattern to machine code on its second use, and the Unicode classes' code
 * costs about 13 ms to compile, once per process (a first model fit's deparse).
 */
export function isSyntacticName(name: string): boolean {
  if (RESERVED.has(name)) return false;
  return (ASCII.test(name) ? SYNTACTIC_ASCII : SYNTACTIC_UNICODE).test(name);
}

/** A name as R deparses it: backticked unless syntactic. */
export function deparseName(name: string): string {
  return isSyntacticName(name) ? name : `\`${name}\``;
}

/** R's deparse of an expression on one line (`log(x)`, `I(x^2)`, `1 + Days | Subject`). */
export function deparse(e: Expr): string {
  switch (e.kind) {
    case 'formula':
      return e.lhs ? `${deparse(e.lhs)} ~ ${deparse(e.rhs)}` : `~${deparse(e.rhs)}`;
    case 'name':
      return deparseName(e.name);
    case 'number':
      return deparseNumber(e.value);
    case 'call':
      return `${e.fn}(${e.args.map(deparse).join(', ')})`;
    case 'unary':
      return `${e.op}${operand(e.operand, UNARY_PRECEDENCE, true, true)}`;
    case 'paren':
      return `(${deparse(e.inner)})`;
    case 'binary': {
      const p = PRECEDENCE[e.op];
      const rightAssoc = e.op === '^';
      const l = operand(e.left, p, false, rightAssoc);
      const r = operand(e.right, p, true, rightAssoc);
      return SPACED_OPERATORS.has(e.op) ? `${l} ${e.op} ${r}` : `${l}${e.op}${r}`;
    }
  }
}
