/**
 * Typed errors of lmm-wasm. Every error a user can cause is one of these classes, with a stable
 * `code` and a message that names the column / term / position at fault and says what to do.
 * Messages are part of the API: tests match them, so change them only on purpose.
 */

/** Base class of every error lmm-wasm throws on purpose. */
export class LmmError extends Error {
  /** Stable machine-readable code, e.g. `'FORMULA_SYNTAX'`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A formula that does not parse. `position` is the 0-based character offset in `formula`;
 * the message ends with the formula and a caret under the offending character.
 */
export class FormulaSyntaxError extends LmmError {
  readonly formula: string;
  readonly position: number;
  constructor(formula: string, position: number, what: string) {
    const pos = Math.max(0, Math.min(position, formula.length));
    super('FORMULA_SYNTAX', `${what} at position ${pos + 1} of the formula:\n  ${formula}\n  ${' '.repeat(pos)}^`);
    this.formula = formula;
    this.position = pos;
  }
}

/** A formula that parses but cannot describe a model (e.g. no response for lm, `|` outside parentheses). */
export class FormulaError extends LmmError {
  constructor(message: string) {
    super('FORMULA', message);
  }
}

/** Input data that cannot be used: unknown column, non-numeric response, empty data, bad CSV. */
export class DataError extends LmmError {
  /** The column at fault, when there is one. */
  readonly column: string | undefined;
  constructor(message: string, column?: string) {
    super('DATA', message);
    this.column = column;
  }
}

/** A model that cannot be fitted as specified (e.g. a grouping factor with one level). */
export class ModelError extends LmmError {
  constructor(message: string) {
    super('MODEL', message);
  }
}

/** Bad options passed to the API or the CLI. */
export class OptionError extends LmmError {
  constructor(message: string) {
    super('OPTION', message);
  }
}

/** A numerical failure that the input did not obviously cause (e.g. a non-finite deviance). */
export class NumericalError extends LmmError {
  constructor(message: string) {
    super('NUMERICAL', message);
  }
}

/**
 * The JavaScript engine cannot run the WebAssembly engine: no WebAssembly, no WebAssembly SIMD, or a page's
 * Content-Security-Policy that forbids compiling it (codes NO_WASM, NO_WASM_SIMD, WASM_CSP, BAD_WASM_MODULE).
 */
export class EnvironmentError extends LmmError {}
