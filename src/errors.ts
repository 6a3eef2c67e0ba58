/**
 * Typed errors of lmm-wasm. Every error a user can cause is one of these classes, with a stable
 * `code` and a message that names the column / term / position at fault and says what to do.
 * Messages are part of the API: tests match them, so change them only on purpose.
 */

import { escapeControl, escapeForMessage } from './base/escape.js';

/** Longest message an error carries (characters); longer ones (echoing huge input) are cut. */
export const MAX_MESSAGE_LENGTH = 4000;

/**
 * Base class of every error lmm-wasm throws on purpose. Control characters in the message are
 * escaped (it may echo user text and is shown on a terminal) and its length is capped.
 */
export class LmmError extends Error {
  // Every class states its name: the bundles minify class names, and `name` is API (the CLI prints it, the
  // worker transfers errors by it, users test it, Node's console shows the class by it).
  static override name = 'LmmError';
  /** Stable machine-readable code, e.g. `'FORMULA_SYNTAX'`. */
  readonly code: string;
  constructor(code: string, message: string) {
    const safe = escapeControl(message);
    super(safe.length > MAX_MESSAGE_LENGTH ? `${safe.slice(0, MAX_MESSAGE_LENGTH)}… (message cut at ${MAX_MESSAGE_LENGTH} characters)` : safe);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A formula that cannot describe a model (e.g. no response for lm, `|` outside parentheses), or one
 * that does not parse ({@link FormulaSyntaxError}, a subclass).
 */
export class FormulaError extends LmmError {
  static override name = 'FormulaError';
  constructor(message: string, code = 'FORMULA') {
    super(code, message);
  }
}

/**
 * A formula that does not parse. `position` is the 0-based character offset in `formula`;
 * the message ends with the formula and a caret under the offending character.
 */
export class FormulaSyntaxError extends FormulaError {
  static override name = 'FormulaSyntaxError';
  readonly formula: string;
  readonly position: number;
  constructor(formula: string, position: number, what: string) {
    const pos = Math.max(0, Math.min(position, formula.length));
    // a window of the formula around the position (a long formula is not echoed whole), its control
    // characters made visible, with the caret under the escaped text's column
    const from = Math.max(0, pos - 60);
    const to = Math.min(formula.length, pos + 60);
    const lead = (from > 0 ? '…' : '') + escapeForMessage(formula.slice(from, pos), Infinity);
    const shown = lead + escapeForMessage(formula.slice(pos, to), Infinity) + (to < formula.length ? '…' : '');
    super(`${what} at position ${pos + 1} of the formula:\n  ${shown}\n  ${' '.repeat(lead.length)}^`, 'FORMULA_SYNTAX');
    this.formula = formula;
    this.position = pos;
  }
}

/** Input data that cannot be used: unknown column, non-numeric response, empty data, bad CSV. */
export class DataError extends LmmError {
  static override name = 'DataError';
  /** The column at fault, when there is one. */
  readonly column: string | undefined;
  constructor(message: string, column?: string) {
    super('DATA', message);
    this.column = column;
  }
}

/** A model that cannot be fitted as specified (e.g. a grouping factor with one level). */
export class ModelError extends LmmError {
  static override name = 'ModelError';
  constructor(message: string) {
    super('MODEL', message);
  }
}

/** Bad options passed to the API or the CLI. */
export class OptionError extends LmmError {
  static override name = 'OptionError';
  constructor(message: string) {
    super('OPTION', message);
  }
}

/** A numerical failure that the input did not obviously cause (e.g. a non-finite deviance). */
export class NumericalError extends LmmError {
  static override name = 'NumericalError';
  constructor(message: string) {
    super('NUMERICAL', message);
  }
}

/**
 * A model or input too large for the resources at hand: a file above the size limit, a model whose
 * matrices would not fit in WebAssembly's 32-bit memory. `bytesNeeded` is the estimate behind it.
 */
export class ResourceError extends LmmError {
  static override name = 'ResourceError';
  readonly bytesNeeded: number | undefined;
  constructor(message: string, bytesNeeded?: number) {
    super('RESOURCE', message);
    this.bytesNeeded = bytesNeeded;
  }
}

/**
 * The JavaScript engine cannot run the WebAssembly engine: no WebAssembly, no WebAssembly SIMD, or a page's
 * Content-Security-Policy that forbids compiling it (codes NO_WASM, NO_WASM_SIMD, WASM_CSP, BAD_WASM_MODULE).
 */
export class EnvironmentError extends LmmError {
  static override name = 'EnvironmentError';
}
