/**
 * Tokens of R's formula language: names (plain or `backticked`), numbers, operators and parentheses.
 * Positions are 0-based offsets into the formula text, for error carets.
 */
import { FormulaSyntaxError } from '../errors.js';

export type TokenKind = 'name' | 'number' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Operator or name text (for numbers the literal as written). */
  readonly text: string;
  readonly pos: number;
}

const OPERATORS = ['||', '**', '%in%', '~', '+', '-', '*', '/', ':', '^', '|'];

function isNameStart(c: string): boolean {
  return /[A-Za-z.]/.test(c) || c.charCodeAt(0) > 127;
}

function isNameChar(c: string): boolean {
  return /[A-Za-z0-9._]/.test(c) || c.charCodeAt(0) > 127;
}

/** Splits formula text into tokens; throws FormulaSyntaxError at the first character it cannot read. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new FormulaSyntaxError(text, i, 'Unterminated backtick name');
      if (close === i + 1) throw new FormulaSyntaxError(text, i, 'Empty backtick name');
      tokens.push({ kind: 'name', text: text.slice(i + 1, close), pos: start });
      i = close + 1;
      continue;
    }
    const numberMatch = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (numberMatch && (c !== '.' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', text: numberMatch[0], pos: start });
      i += numberMatch[0].length;
      if (i < text.length && isNameChar(text[i])) {
        throw new FormulaSyntaxError(text, i, `Unexpected character '${text[i]}' after the number ${numberMatch[0]}`);
      }
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < text.length && isNameChar(text[j])) j++;
      tokens.push({ kind: 'name', text: text.slice(i, j), pos: start });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op === '**' ? '^' : op, pos: start });
      i += op.length;
      continue;
    }
    if (c === '%') throw new FormulaSyntaxError(text, i, "Unknown operator (only %in% is supported)");
    throw new FormulaSyntaxError(text, i, `Unexpected character '${c}'`);
  }
  tokens.push({ kind: 'end', text: '', pos: text.length });
  return tokens;
}
