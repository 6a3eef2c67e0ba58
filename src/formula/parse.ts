/**
 * Parser of R / lme4 model formulas into an `Expr` tree, with R's operator precedence (lowest first):
 * `~`, `|` `||`, binary `+ -`, `* /`, `%in%`, `:`, unary `+ -`, `^` (right-associative).
 * Function calls (`I(...)`, `log(x)`) and parentheses are primaries.
 */
import { FormulaSyntaxError } from '../errors.js';
import type { Expr } from './types.js';
import { tokenize, type Token } from './lexer.js';
import { checkFormulaArgument } from '../options/arguments.js';

type BinaryOp = Extract<Expr, { kind: 'binary' }>['op'];

/**
 * Deepest nesting the parser accepts: parentheses, function calls, unary signs and `^` chains each
 * add a level. Real formulas nest a few levels; the limit keeps every recursive walk of the tree
 * (expansion, deparse, encoders) far from the call-stack limit.
 */
export const MAX_FORMULA_DEPTH = 100;

/**
 * Most operators a formula may have (`+ - * / : ^ | ||` and `%in%`, `~` aside). Chains such as
 * `a + b + …` build left-deep trees that the tree walks recurse along, so together with the nesting
 * limit this bounds the tree's depth; 1000 is far beyond any model written by hand.
 */
export const MAX_FORMULA_OPERATORS = 1000;

class Parser {
  private at = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.at];
  }

  private next(): Token {
    return this.tokens[this.at++];
  }

  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t.kind === 'op' && ops.includes(t.text);
  }

  private fail(token: Token, what?: string): never {
    if (what) throw new FormulaSyntaxError(this.text, token.pos, what);
    if (token.kind === 'end') throw new FormulaSyntaxError(this.text, token.pos, 'Unexpected end of formula');
    throw new FormulaSyntaxError(this.text, token.pos, `Unexpected '${token.text}'`);
  }

  parseFormula(): Expr {
    if (this.peek().kind === 'end') this.fail(this.peek(), 'Empty formula');
    let operators = 0;
    for (const t of this.tokens) {
      if (t.kind === 'op' && t.text !== '~' && ++operators > MAX_FORMULA_OPERATORS) {
        this.fail(t, `The formula has more than ${MAX_FORMULA_OPERATORS} operators; fit fewer terms`);
      }
    }
    const e = this.tilde();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t, t.kind === ')' ? "Unmatched ')'" : undefined);
    return e;
  }

  /** Runs `f` one nesting level deeper, refusing past MAX_FORMULA_DEPTH at `token`. */
  private nested<T>(token: Token, f: () => T): T {
    if (++this.depth > MAX_FORMULA_DEPTH) {
      this.fail(token, `The formula nests deeper than ${MAX_FORMULA_DEPTH} levels (parentheses, calls, signs or ^); simplify it`);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private tilde(): Expr {
    if (this.isOp('~')) {
      const t = this.next();
      if (this.isOp('~')) this.fail(this.peek(), "A formula has one '~'");
      return { kind: 'formula', lhs: null, rhs: this.bar(), pos: t.pos };
    }
    const left = this.bar();
    if (this.isOp('~')) {
      const t = this.next();
      if (this.isOp('~')) this.fail(this.peek(), "A formula has one '~'");
      return { kind: 'formula', lhs: left, rhs: this.bar(), pos: t.pos };
    }
    return left;
  }

  private binaryLevel(ops: string[], operand: () => Expr): Expr {
    let left = operand();
    while (this.isOp(...ops)) {
      const t = this.next();
      const right = operand();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
    return left;
  }

  private bar(): Expr {
    return this.binaryLevel(['|', '||'], () => this.sum());
  }

  private sum(): Expr {
    return this.binaryLevel(['+', '-'], () => this.product());
  }

  private product(): Expr {
    return this.binaryLevel(['*', '/'], () => this.special());
  }

  private special(): Expr {
    return this.binaryLevel(['%in%'], () => this.colon());
  }

  private colon(): Expr {
    return this.binaryLevel([':'], () => this.unary());
  }

  private unary(): Expr {
    if (this.isOp('+', '-')) {
      const t = this.next();
      return { kind: 'unary', op: t.text as '+' | '-', operand: this.nested(t, () => this.unary()), pos: t.pos };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (this.isOp('^')) {
      const t = this.next();
      const exponent = this.nested(t, () => this.unary());
      return { kind: 'binary', op: '^', left: base, right: exponent, pos: t.pos };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text), text: t.text, pos: t.pos };
    if (t.kind === 'name') {
      if (this.peek().kind !== '(') return { kind: 'name', name: t.text, pos: t.pos };
      this.next();
      const args: Expr[] = [];
      if (this.peek().kind === ')') this.fail(this.peek(), `${t.text}() needs an argument`);
      for (;;) {
        args.push(this.nested(t, () => this.tilde()));
        if (this.peek().kind === ',') {
          this.next();
          continue;
        }
        if (this.peek().kind === ')') {
          this.next();
          break;
        }
        this.fail(this.peek(), this.peek().kind === 'end' ? `Missing ')' to close ${t.text}(` : undefined);
      }
      return { kind: 'call', fn: t.text, args, pos: t.pos };
    }
    if (t.kind === '(') {
      if (this.peek().kind === ')') this.fail(this.peek(), 'Empty parentheses');
      const inner = this.nested(t, () => this.tilde());
      const close = this.next();
      if (close.kind !== ')') {
        this.fail(close, close.kind === 'end' ? `Missing ')' to close the '(' at position ${t.pos + 1}` : undefined);
      }
      return { kind: 'paren', inner, pos: t.pos };
    }
    return this.fail(t);
  }
}

/**
 * Parses formula text into an expression tree; throws FormulaSyntaxError with a caret on bad input,
 * and past `MAX_FORMULA_DEPTH` levels of nesting or `MAX_FORMULA_OPERATORS` operators.
 */
export function parseFormula(text: string): Expr {
  checkFormulaArgument('parseFormula', text);
  const trimmed = text.trim();
  return new Parser(trimmed, tokenize(trimmed)).parseFormula();
}
