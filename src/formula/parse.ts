/**
 * Parser of R / lme4 model formulas into an `Expr` tree, with R's operator precedence (lowest first):
 * `~`, `|` `||`, binary `+ -`, `* /`, `%in%`, `:`, unary `+ -`, `^` (right-associative).
 * Function calls (`I(...)`, `log(x)`) and parentheses are primaries.
 */
import { FormulaSyntaxError } from '../errors.js';
import type { Expr } from './types.js';
import { tokenize, type Token } from './lexer.js';

type BinaryOp = Extract<Expr, { kind: 'binary' }>['op'];

class Parser {
  private at = 0;
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
    const e = this.tilde();
    const t = this.peek();
    if (t.kind !== 'end') this.fail(t, t.kind === ')' ? "Unmatched ')'" : undefined);
    return e;
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
      return { kind: 'unary', op: t.text as '+' | '-', operand: this.unary(), pos: t.pos };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    if (this.isOp('^')) {
      const t = this.next();
      const exponent = this.unary();
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
        args.push(this.tilde());
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
      const inner = this.tilde();
      const close = this.next();
      if (close.kind !== ')') {
        this.fail(close, close.kind === 'end' ? `Missing ')' to close the '(' at position ${t.pos + 1}` : undefined);
      }
      return { kind: 'paren', inner, pos: t.pos };
    }
    return this.fail(t);
  }
}

/** Parses formula text into an expression tree; throws FormulaSyntaxError with a caret on bad input. */
export function parseFormula(text: string): Expr {
  const trimmed = text.trim();
  return new Parser(trimmed, tokenize(trimmed)).parseFormula();
}
