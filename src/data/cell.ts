/**
 * Reading one raw cell the way R's `read.csv` (its `type.convert`) reads a field: missing values,
 * numbers and logicals. These are the building blocks of the typing rule in `infer.ts`.
 *
 * Deliberate differences from R, all in the direction of accepting less or being kinder:
 * - surrounding whitespace is ignored when deciding whether a cell is missing, a number or a logical
 *   (R ignores it for numbers too, but keeps `" NA"` as a string); factor labels keep their text as is;
 * - R's quirks `"1e"` (read as 1) and hexadecimal fractions such as `"0x1p3"` are not numbers here;
 * - an empty field is missing in every column (R keeps `""` as a level of a character column).
 */
import type { Cell } from './table.js';

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)(0[xX][0-9a-fA-F]+)$/;
const INFINITE = /^([+-]?)inf(?:inity)?$/i;
const NOT_A_NUMBER = /^[+-]?nan$/i;

/**
 * Whether a cell is missing in any column: `null`, `undefined`, the number NaN, and strings that are
 * empty, blank or `NA` (surrounding whitespace ignored). The string `"NaN"` is not in this list: it is
 * missing in a numeric column (it reads as NaN) but a label like any other in a factor column, as in R.
 */
export function isMissing(cell: unknown): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  if (typeof cell === 'string') {
    const t = cell.trim();
    return t === '' || t === 'NA';
  }
  return false;
}

/**
 * The number a string spells, as R reads numeric fields, or `undefined` when it spells none.
 * Accepted: decimals with optional sign, fraction and exponent (`12`, `-.5`, `5.`, `1e-5`, `+1E5`),
 * hexadecimal integers (`0x1A`), `Inf`/`inf`/`Infinity` with optional sign, and `NaN` (returned as NaN,
 * i.e. a missing value in a numeric column). Decimals are converted by JavaScript's `Number()`, which
 * rounds correctly to the nearest double, so `"249.56"` is exactly the double 249.56.
 * Rejected: `12abc`, `1,5`, `1d5`, `1_000`, `0b101`, an empty string.
 */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (DECIMAL.test(t)) return Number(t);
  const hex = HEX.exec(t);
  if (hex) return (hex[1] === '-' ? -1 : 1) * Number(hex[2]);
  const inf = INFINITE.exec(t);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  if (NOT_A_NUMBER.test(t)) return NaN;
  return undefined;
}

/**
 * The number a cell holds, or `undefined` when it holds none: numbers as they are, strings through
 * {@link parseNumber}. Booleans are not numbers here (a boolean column is a factor, as in R's models).
 */
export function readNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'string') return parseNumber(cell);
  return undefined;
}

/**
 * The logical a cell holds, as R's `type.convert` reads logicals: booleans, and the strings `TRUE`, `T`,
 * `FALSE`, `F` (exactly these spellings; R reads `true` or `True` as text). `undefined` otherwise.
 */
export function readLogical(cell: Cell): boolean | undefined {
  if (typeof cell === 'boolean') return cell;
  if (typeof cell !== 'string') return undefined;
  const t = cell.trim();
  if (t === 'TRUE' || t === 'T') return true;
  if (t === 'FALSE' || t === 'F') return false;
  return undefined;
}

/** Whether a value is a cell at all (number, string, boolean, null or undefined). */
export function isCell(value: unknown): value is Cell {
  const t = typeof value;
  return value === null || t === 'undefined' || t === 'number' || t === 'string' || t === 'boolean';
}

/** A short description of a value for error messages: `"abc"`, `12`, `an object`. */
export function describeCell(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n (a BigInt)`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
