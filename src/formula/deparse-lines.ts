/**
 * R's deparse() with its line breaking (width.cutoff = 60): a line is ended after a binary operator with
 * spaces (`~ + - * | ||`) or after the ", " between call arguments, once it is longer than the cutoff;
 * continuation lines are indented by 4 spaces per open break. Used for "Call:" and "Formula:" lines.
 */
import type { Expr } from './types.js';
import { deparse, deparseNumber, isSyntacticName } from './deparse.js';
import { parseFormula } from './parse.js';

/** A deparse tree: what R's deparse2buff walks. */
export type Doc =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; left: Doc; op: string; right: Doc; spaced: boolean }
  | { kind: 'paren'; inner: Doc }
  | { kind: 'call'; fn: string; args: { name?: string; value: Doc }[] };

const SPACED = new Set(['~', '+', '-', '*', '|', '||', '%in%']);

/** The Doc of a formula expression (same text as `deparse`, with R's break points). */
export function exprDoc(e: Expr): Doc {
  switch (e.kind) {
    case 'formula':
      return e.lhs
        ? { kind: 'binary', left: exprDoc(e.lhs), op: '~', right: exprDoc(e.rhs), spaced: true }
        : { kind: 'text', text: deparse(e) };
    case 'binary':
      if (!SPACED.has(e.op)) return { kind: 'text', text: deparse(e) };
      return { kind: 'binary', left: exprDoc(e.left), op: e.op, right: exprDoc(e.right), spaced: true };
    case 'paren':
      return { kind: 'paren', inner: exprDoc(e.inner) };
    case 'call':
      return { kind: 'call', fn: e.fn, args: e.args.map((a) => ({ value: exprDoc(a) })) };
    case 'name':
      return { kind: 'text', text: isSyntacticName(e.name) ? e.name : `\`${e.name}\`` };
    case 'number':
      return { kind: 'text', text: deparseNumber(e.value) };
    case 'unary':
      return { kind: 'text', text: deparse(e) };
  }
}

/** Text leaf. */
export const text = (s: string): Doc => ({ kind: 'text', text: s });

/** Deparses a Doc into lines as R's deparse(width.cutoff = cutoff) would. */
export function deparseLines(doc: Doc, cutoff = 60): string[] {
  const lines: string[] = [];
  let cur = '';
  let indent = 0;
  const write = (s: string): void => {
    if (cur === '' && indent > 0) {
      for (let i = 1; i <= indent; i++) cur += i <= 4 ? '    ' : '  ';
    }
    cur += s;
  };
  const linebreak = (state: { broke: boolean }): void => {
    if (cur.length > cutoff) {
      if (!state.broke) {
        state.broke = true;
        indent++;
      }
      lines.push(cur);
      cur = '';
    }
  };
  const walk = (d: Doc): void => {
    switch (d.kind) {
      case 'text':
        write(d.text);
        return;
      case 'paren':
        write('(');
        walk(d.inner);
        write(')');
        return;
      case 'binary': {
        walk(d.left);
        const state = { broke: false };
        write(` ${d.op} `);
        linebreak(state);
        walk(d.right);
        if (state.broke) indent--;
        return;
      }
      case 'call': {
        write(`${d.fn}(`);
        const state = { broke: false };
        d.args.forEach((a, i) => {
          if (a.name !== undefined) write(`${a.name} = `);
          walk(a.value);
          if (i < d.args.length - 1) {
            write(', ');
            linebreak(state);
          }
        });
        if (state.broke) indent--;
        write(')');
        return;
      }
    }
  };
  walk(doc);
  lines.push(cur);
  return lines;
}

/** The Doc of R source text: parsed with the formula grammar when it can be, else kept as one leaf. */
export function sourceDoc(source: string): Doc {
  try {
    return exprDoc(parseFormula(source));
  } catch {
    return text(source);
  }
}

/**
 * R's deparse() lines of a call `fn(name = value, ...)`, e.g. `lm(formula = y ~ x, data = d)`, where
 * each value is R source text (formulas and arithmetic are re-deparsed with R's spacing and break
 * points; anything the formula grammar cannot read is kept verbatim).
 */
export function deparseCall(fn: string, args: readonly { name?: string; value: string }[], cutoff = 60): string[] {
  return deparseLines({ kind: 'call', fn, args: args.map((a) => ({ name: a.name, value: sourceDoc(a.value) })) }, cutoff);
}

/** R's deparse() lines of a formula given as text (lme4's "Formula:" line without `||` expansion). */
export function deparseFormulaLines(formula: string, cutoff = 60): string[] {
  return deparseLines(sourceDoc(formula), cutoff);
}
