/**
 * Checks of the positional arguments at the door of the public functions (the formula, the data, a
 * fitted model), so a wrong argument gives a typed error saying what was expected instead of a
 * TypeError from deep inside.
 */
import { DataError, FormulaError, OptionError } from '../errors.js';

/** Longest formula accepted (characters): far above any real model, far below what exhausts the parser. */
export const MAX_FORMULA_LENGTH = 100_000;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The formula argument is a string of bounded length. */
export function checkFormulaArgument(fn: string, formula: unknown): asserts formula is string {
  if (typeof formula !== 'string') {
    throw new FormulaError(`${fn}(): the formula must be a string like 'y ~ x + (1 | g)', got ${describe(formula)}`);
  }
  if (formula.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError(
      `${fn}(): the formula has ${formula.length} characters; the limit is ${MAX_FORMULA_LENGTH} (write the model with fewer terms)`,
    );
  }
}

/** The data argument is rows, columns or a DataTable (an object), not a primitive. */
export function checkDataArgument(fn: string, data: unknown): void {
  if (data === null || typeof data !== 'object') {
    throw new DataError(
      `${fn}(): the data must be an array of row objects, an object of columns or a DataTable, got ${describe(data)}`,
    );
  }
}

/**
 * The model argument is an instance of one of the accepted classes (`names` are said in the message).
 */
export function checkModelArgument(fn: string, model: unknown, classes: readonly (abstract new (...args: never[]) => unknown)[], names: string): void {
  if (!classes.some((c) => model instanceof c)) {
    throw new OptionError(`${fn}(): expected ${names}, got ${describe(model)}`);
  }
}
