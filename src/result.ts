/**
 * The one shape of every printable result (summaries, anova tables, ranova, lsMeans, confint, VarCorr,
 * allFit, fitted models): the numbers as plain fields, `toString()` gives what R prints, `toJSON()` plain
 * JSON, and Node's inspect hook makes `console.log(x)` show the R text instead of the object's fields.
 * It depends on nothing, so every layer may build results on it.
 */

/** The symbol Node's util.inspect (and so console.log) looks up; browsers ignore it. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** Base class of every result: R's text, plain JSON, and the inspect hook. */
export abstract class RResult {
  /** The text R prints for this result. */
  abstract toString(): string;
  /** Plain JSON: numbers, strings, arrays, objects and null only (no typed arrays, no NaN). */
  abstract toJSON(): unknown;
  /** `console.log(result)` in Node prints R's text. */
  [inspectSymbol](): string {
    return this.toString();
  }
}
