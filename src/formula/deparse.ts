/**
 * R's deparse of formula expressions: spaces around `~ + - * | ||` and `%in%`, none around `/ : ^`,
 * unary minus glued to its operand, backticks around non-syntactic names.
 */
import type { Expr } from './types.js';

const SPACED = new Set(['+', '-', '*', '|', '||', '%in%']);

/** R's binding strength of binary operators (higher binds tighter). */
const PRECEDENCE: Record<string, number> = { '|': 1, '||': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%in%': 4, ':': 5, '^': 7 };
const UNARY_PRECEDENCE = 6;

function precedenceOf(e: Expr): number {
  if (e.kind === 'binary') return PRECEDENCE[e.op];
  if (e.kind === 'unary') return UNARY_PRECEDENCE;
  if (e.kind === 'formula') return 0;
  return 10;
}

/** Deparse of an operand, parenthesized where the tree's grouping differs from R's default parse. */
function operand(child: Expr, parent: number, right: boolean, rightAssoc: boolean): string {
  const p = precedenceOf(child);
  const needs = p < parent || (p === parent && (right ? !rightAssoc : rightAssoc));
  return needs ? `(${deparse(child)})` : deparse(child);
}

/** R's rendering of a number literal (15 significant digits, R's choice of fixed or scientific). */
export function deparseNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const fixed = String(Number(value.toPrecision(15)));
  if (!fixed.includes('e')) return fixed;
  const [m, e] = fixed.split('e');
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Whether R would print this name without backticks. */
export function isSyntacticName(name: string): boolean {
  return /^((\.[A-Za-z._]|[A-Za-z])[A-Za-z0-9._]*|\.)$/.test(name) && !/^\.\d/.test(name);
}

/** R's deparse of an expression. */
export function deparse(e: Expr): string {
  switch (e.kind) {
    case 'formula':
      return e.lhs ? `${deparse(e.lhs)} ~ ${deparse(e.rhs)}` : `~${deparse(e.rhs)}`;
    case 'name':
      return isSyntacticName(e.name) ? e.name : `\`${e.name}\``;
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
      return SPACED.has(e.op) ? `${l} ${e.op} ${r}` : `${l}${e.op}${r}`;
    }
  }
}
