/**
 * The typing rule shared by CSV text, rows and columns: raw cells → one typed column.
 *
 * Without a requested type a column is
 * - numeric when every non-missing cell is a number or a string that reads as one (`cell.ts`);
 * - otherwise a factor of the logicals `FALSE`/`TRUE` when every non-missing cell is a boolean or one of
 *   the strings `TRUE`, `T`, `FALSE`, `F` (R's `read.csv` reads such a column as logical, and models
 *   treat a logical like a factor with levels "FALSE", "TRUE");
 * - otherwise a factor whose levels are the distinct non-missing labels sorted by code point (R's
 *   `sort()` in the C locale); numbers in such a column are labelled as R's `as.character` does.
 * A column with no values at all is numeric (all NaN).
 *
 * Requested types (`ColumnSpec.types`) and level orders (`ColumnSpec.levels`) override this: `factor`
 * and `ordered` on a numeric column give levels sorted by value and labelled as R labels them
 * (`number-label.ts`); `numeric` and `integer` demand numbers; a level order makes the column a factor
 * and requires every value to be one of the levels (levels that never occur are kept).
 */
import { DataError } from '../errors.js';
import { describeCell, isCell, isMissing, readLogical, readNumber } from './cell.js';
import { compareCodePoints } from './code-point-order.js';
import { isRInteger, numberLabel } from './number-label.js';
import type { Cell, Column, ColumnType, FactorColumn, NumericColumn } from './table.js';

/** How a row is named in error messages, from its 0-based index (default: `row 3` for index 2). */
export type RowLabel = (index: number) => string;

/** Options of {@link buildColumn} besides the type and levels. */
export interface BuildOptions {
  /** Names a row in messages; CSV input adds the line number. */
  rowLabel?: RowLabel;
}

/** What the cells of a column are, before any requested type. */
type Kind = 'numeric' | 'logical' | 'text';

const defaultRowLabel: RowLabel = (i) => `row ${i + 1}`;

/** Checks that every cell is a number, string, boolean, null or undefined. */
function checkCells(name: string, cells: ArrayLike<unknown>, rowLabel: RowLabel): void {
  if (ArrayBuffer.isView(cells)) {
    if (cells instanceof BigInt64Array || cells instanceof BigUint64Array) {
      throw new DataError(`column "${name}" is a BigInt array; convert it to numbers (e.g. Float64Array.from(x, Number))`, name);
    }
    return;
  }
  for (let i = 0; i < cells.length; i++) {
    if (!isCell(cells[i])) {
      throw new DataError(
        `column "${name}", ${rowLabel(i)}: holds ${describeCell(cells[i])}; cells must be numbers, strings, booleans, null or undefined`,
        name,
      );
    }
  }
}

/**
 * The kind of the cells and, when numeric, their values (NaN where missing, including the string
 * "NaN"). Typed arrays are numeric without looking.
 */
function classify(cells: ArrayLike<Cell>): { kind: Kind; values?: Float64Array } {
  if (ArrayBuffer.isView(cells)) return { kind: 'numeric', values: Float64Array.from(cells as ArrayLike<number>) };
  const values = new Float64Array(cells.length);
  let numeric = true;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    // a number first: no missing value reads as one, and most cells of a large numeric column are numbers
    const v = readNumber(c);
    if (v !== undefined) {
      values[i] = v;
      continue;
    }
    if (isMissing(c)) {
      values[i] = NaN;
      continue;
    }
    numeric = false;
    break;
  }
  if (numeric) return { kind: 'numeric', values };
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (!isMissing(c) && readLogical(c) === undefined) return { kind: 'text' };
  }
  return { kind: 'logical' };
}

/** A numeric column, for a requested `numeric` or `integer` type. */
function forcedNumeric(name: string, cells: ArrayLike<Cell>, integer: boolean, rowLabel: RowLabel): NumericColumn {
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (isMissing(c)) {
      values[i] = NaN;
      continue;
    }
    const v = typeof c === 'boolean' ? Number(c) : readNumber(c);
    if (v === undefined) {
      throw new DataError(
        `column "${name}" must be numeric, but ${rowLabel(i)} holds ${describeCell(c)}; ` +
          `fix the value, mark it missing (empty or NA), or do not ask for a numeric type`,
        name,
      );
    }
    if (integer && !Number.isNaN(v) && !Number.isInteger(v)) {
      throw new DataError(
        `column "${name}" must hold whole numbers (type integer), but ${rowLabel(i)} holds ${describeCell(c)}; ` +
          `fix the value or use the type numeric`,
        name,
      );
    }
    values[i] = v;
  }
  return { kind: 'numeric', name, values };
}

/** A factor column: labels per cell by kind, default or given levels, codes. */
function factorColumn(
  name: string,
  cells: ArrayLike<Cell>,
  kind: Kind,
  numbers: Float64Array | undefined,
  ordered: boolean,
  levels: readonly string[] | undefined,
  rowLabel: RowLabel,
): FactorColumn {
  const n = cells.length;
  const missing = (i: number): boolean => (numbers ? Number.isNaN(numbers[i]) : isMissing(cells[i]));
  let integerColumn = true;
  if (numbers) for (let i = 0; i < n && integerColumn; i++) if (!Number.isNaN(numbers[i]) && !isRInteger(numbers[i])) integerColumn = false;
  const labelOf = (i: number): string => {
    if (numbers) return numberLabel(numbers[i], integerColumn);
    const c = cells[i];
    if (kind === 'logical') return readLogical(c) ? 'TRUE' : 'FALSE';
    if (typeof c === 'boolean') return c ? 'TRUE' : 'FALSE';
    if (typeof c === 'number') return numberLabel(c, true);
    return String(c);
  };

  let levelList: readonly string[];
  if (levels) {
    levelList = levels;
  } else if (numbers) {
    const byLabel = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (missing(i)) continue;
      const label = labelOf(i);
      if (!byLabel.has(label)) byLabel.set(label, numbers[i]);
    }
    levelList = [...byLabel.entries()].sort((a, b) => a[1] - b[1]).map(([label]) => label);
  } else {
    const distinct = new Set<string>();
    for (let i = 0; i < n; i++) if (!missing(i)) distinct.add(labelOf(i));
    levelList = [...distinct].sort(compareCodePoints);
  }

  const index = new Map<string, number>();
  levelList.forEach((l, k) => index.set(l, k));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (missing(i)) {
      codes[i] = -1;
      continue;
    }
    const c = cells[i];
    // A given level may be spelt as in the data ("0.50") or as R labels the value ("0.5").
    let code = typeof c === 'string' ? index.get(c) : undefined;
    if (code === undefined) code = index.get(labelOf(i));
    if (code === undefined) {
      throw new DataError(
        `column "${name}" has the value ${describeCell(typeof c === 'string' ? c : labelOf(i))} (${rowLabel(i)}), ` +
          `which is not among the levels given (${levelList.join(', ')}); add it to the levels or fix the data`,
        name,
      );
    }
    codes[i] = code;
  }
  return { kind: 'factor', name, levels: [...levelList], codes, ordered };
}

/**
 * Builds a typed column from raw cells. `type` forces the type; `levels` (a level order) makes the
 * column a factor with exactly these levels, in this order. Throws `DataError` (naming the column,
 * the value and its row) for cells that are not cells, values that do not fit a forced numeric type,
 * and values outside given levels. The spec itself (unknown types, repeated levels, levels with a
 * numeric type) is checked in `spec.ts` before this is called.
 */
export function buildColumn(
  name: string,
  cells: ArrayLike<Cell>,
  type?: ColumnType,
  levels?: readonly string[],
  options: BuildOptions = {},
): Column {
  const rowLabel = options.rowLabel ?? defaultRowLabel;
  checkCells(name, cells, rowLabel);
  if (type === 'numeric' || type === 'integer') {
    if (levels) throw new DataError(`column "${name}" cannot have both the type ${type} and a level order`, name);
    return forcedNumeric(name, cells, type === 'integer', rowLabel);
  }
  const { kind, values } = classify(cells);
  if (kind === 'numeric' && type === undefined && levels === undefined) {
    return { kind: 'numeric', name, values: values! };
  }
  return factorColumn(name, cells, kind, values, type === 'ordered', levels, rowLabel);
}
