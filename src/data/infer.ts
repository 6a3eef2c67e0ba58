/**
 * Turning raw cells into typed columns, the one rule shared by CSV, rows and columns input:
 * numeric when every non-missing value is a number (or a string that reads as one), otherwise a factor
 * whose levels are the distinct values sorted by code point (R's sort in the C locale). A requested
 * type or level order overrides the inference.
 */
import { DataError } from '../errors.js';
import type { Cell, Column, ColumnType, FactorColumn, NumericColumn } from './table.js';

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether a cell is missing: null, undefined, NaN, '' and 'NA' (also with surrounding blanks). */
export function isMissing(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  if (typeof cell === 'string') {
    const t = cell.trim();
    return t === '' || t === 'NA' || t === 'NaN';
  }
  return false;
}

/** The number a cell reads as, or undefined when it is not numeric (`Inf`/`-Inf` read as ±Infinity). */
export function readNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell !== 'string') return undefined;
  const t = cell.trim();
  if (NUMBER_PATTERN.test(t)) return Number(t);
  if (t === 'Inf' || t === '+Inf') return Infinity;
  if (t === '-Inf') return -Infinity;
  return undefined;
}

/** The label of a cell as a factor level (R's as.character for numbers and logicals). */
export function levelLabel(cell: Cell): string {
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (typeof cell === 'string') return cell;
  return String(cell);
}

function codePointCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function numericColumn(name: string, cells: ArrayLike<Cell>, strict: boolean): NumericColumn | undefined {
  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (isMissing(c)) {
      values[i] = NaN;
      continue;
    }
    const v = readNumber(c);
    if (v === undefined) {
      if (!strict) return undefined;
      throw new DataError(
        `column "${name}" must be numeric, but row ${i + 1} holds "${levelLabel(c)}"; fix the value or drop the type override`,
        name,
      );
    }
    values[i] = v;
  }
  return { kind: 'numeric', name, values };
}

function factorColumn(
  name: string,
  cells: ArrayLike<Cell>,
  ordered: boolean,
  levels: readonly string[] | undefined,
): FactorColumn {
  // numbers (and numeric strings) become R-style labels of the number: "0.50" → "0.5"
  let allNumeric = true;
  for (let i = 0; i < cells.length && allNumeric; i++) {
    const c = cells[i];
    if (!isMissing(c) && (typeof c === 'boolean' || readNumber(c) === undefined)) allNumeric = false;
  }
  const labelOf = (c: Cell): string => (allNumeric ? String(readNumber(c)) : levelLabel(c));
  let levelList: string[];
  if (levels) {
    levelList = [...levels];
    const dup = levelList.find((l, i) => levelList.indexOf(l) !== i);
    if (dup !== undefined) throw new DataError(`the levels given for "${name}" repeat "${dup}"`, name);
  } else {
    const distinct = new Map<string, number>();
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (!isMissing(c)) distinct.set(labelOf(c), allNumeric ? (readNumber(c) as number) : 0);
    }
    levelList = allNumeric
      ? [...distinct.entries()].sort((a, b) => a[1] - b[1]).map(([l]) => l)
      : [...distinct.keys()].sort(codePointCompare);
  }
  const index = new Map(levelList.map((l, i) => [l, i]));
  const codes = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (isMissing(c)) {
      codes[i] = -1;
      continue;
    }
    const code = index.get(levelLabel(c)) ?? index.get(labelOf(c));
    if (code === undefined) {
      throw new DataError(
        `column "${name}" has the value "${levelLabel(c)}" (row ${i + 1}), which is not among the levels given: ` +
          `${levelList.join(', ')}; add it to the levels or fix the data`,
        name,
      );
    }
    codes[i] = code;
  }
  return { kind: 'factor', name, levels: levelList, codes, ordered };
}

/** Builds a typed column from raw cells; `type` and `levels` override the inference. */
export function buildColumn(
  name: string,
  cells: ArrayLike<Cell>,
  type?: ColumnType,
  levels?: readonly string[],
): Column {
  if (type === 'numeric' || type === 'integer') {
    if (levels) throw new DataError(`column "${name}" cannot be numeric and have levels`, name);
    return numericColumn(name, cells, true) as NumericColumn;
  }
  if (type === 'factor' || type === 'ordered' || levels) return factorColumn(name, cells, type === 'ordered', levels);
  return numericColumn(name, cells, false) ?? factorColumn(name, cells, false, undefined);
}
