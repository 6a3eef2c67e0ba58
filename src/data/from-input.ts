/**
 * What the API accepts as data, turned into a typed `DataTable`: rows (an array of objects), columns
 * (an object of equally long arrays, typed arrays allowed), an Apache Arrow or Arquero table (by shape:
 * `from-arrow.ts`, `from-arquero.ts`) or an existing `DataTable`. All inputs share the typing rule of
 * `infer.ts` and the spec handling of `spec.ts`.
 */
import { DataError, ResourceError } from '../errors.js';
import { escapeForMessage } from '../base/escape.js';

/** Most rows a table may have: one double per row already takes 4 GiB at 2^29 rows in wasm32 memory. */
export const MAX_ROWS = 2 ** 29;
import { fromArrowTable, isArrowTable, type ArrowTableLike } from './from-arrow.js';
import { arqueroColumns, isArqueroTable, type ArqueroTableLike } from './from-arquero.js';
import { buildColumn, type RowLabel } from './infer.js';
import { checkOptions } from '../options/validate.js';
import { DATA_SPEC_SCHEMA } from '../options/schemas.js';
import { own } from '../base/own.js';
import { resolveSpec, type DataSpec } from './spec.js';
import type { Cell, Column, ColumnSpec, DataTable } from './table.js';

/** Rows, columns or a table (ours, Arrow's or Arquero's): what `lm`, `lmer` and `toDataTable` accept as data. */
export type DataInput =
  | readonly Record<string, Cell>[]
  | Readonly<Record<string, ArrayLike<Cell>>>
  | DataTable
  | ArrowTableLike
  | ArqueroTableLike;

/** Whether a value is already a `DataTable` (names array, row count and a Map of columns). */
export function isDataTable(x: unknown): x is DataTable {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as DataTable;
  return t.columns instanceof Map && Array.isArray(t.names) && typeof t.nrow === 'number';
}

/** Options of {@link tableFromColumns}. */
export interface TableOptions {
  /** Names a row in error messages (CSV adds line numbers). */
  rowLabel?: RowLabel;
}

/**
 * Types a set of named raw columns, all `nrow` long: resolves the spec (schema, unknown columns,
 * overrides) and builds each column with `buildColumn`. `cells(name)` gives a column's raw cells.
 */
export function tableFromColumns(
  names: readonly string[],
  cells: (name: string) => ArrayLike<Cell>,
  nrow: number,
  spec: DataSpec = {},
  options: TableOptions = {},
): DataTable {
  const resolved = resolveSpec(spec, names, nrow);
  const columns = new Map<string, Column>();
  for (const name of names) {
    columns.set(name, buildColumn(name, cells(name), own(resolved.types, name), own(resolved.levels, name), options));
  }
  return { names: [...names], nrow, columns };
}

function hasSpec(spec: DataSpec): boolean {
  return spec.schema !== undefined || Object.keys(spec.types ?? {}).length + Object.keys(spec.levels ?? {}).length > 0;
}

/**
 * Re-types the columns of an existing table that a spec names; other columns are kept as they are.
 * A factor asked to be `factor`/`ordered` without new levels keeps its level order; a factor given
 * levels keeps being ordered if it was; a factor asked to be numeric converts its labels to numbers.
 */
function retype(table: DataTable, spec: DataSpec): DataTable {
  const resolved: ColumnSpec = resolveSpec(spec, table.names, table.nrow);
  const named = new Set([...Object.keys(resolved.types ?? {}), ...Object.keys(resolved.levels ?? {})]);
  const columns = new Map<string, Column>();
  for (const name of table.names) {
    const col = table.columns.get(name);
    if (!col) throw new DataError(`the table lists the column "${name}" but has no such column`, name);
    if (!named.has(name)) {
      columns.set(name, col);
      continue;
    }
    let type = own(resolved.types, name);
    let levels = own(resolved.levels, name);
    if (col.kind === 'numeric') {
      columns.set(name, buildColumn(name, col.values, type, levels));
      continue;
    }
    const labels: (string | null)[] = Array.from(col.codes, (k) => (k < 0 ? null : col.levels[k]));
    if (type === undefined && col.ordered) type = 'ordered';
    if ((type === 'factor' || type === 'ordered') && levels === undefined) levels = col.levels;
    columns.set(name, buildColumn(name, labels, type, levels));
  }
  return { names: [...table.names], nrow: table.nrow, columns };
}

/** Rows: the union of keys in first-seen order; a key missing from a row is a missing value. */
function fromRows(rows: readonly Record<string, Cell>[], spec: DataSpec): DataTable {
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new DataError(`row ${i + 1} is not an object; give rows as objects like { y: 1.2, g: "a" }`);
    }
    for (const k of Object.keys(row)) {
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  });
  return tableFromColumns(names, (name) => rows.map((r) => own(r, name)), rows.length, spec);
}

/** Columns: an object of equally long arrays (or typed arrays). */
function fromColumns(cols: Readonly<Record<string, ArrayLike<Cell>>>, spec: DataSpec): DataTable {
  const names = Object.keys(cols);
  for (const name of names) {
    const c = cols[name] as unknown;
    if (typeof c !== 'object' || c === null || typeof (c as ArrayLike<Cell>).length !== 'number') {
      throw new DataError(`column "${escapeForMessage(name, 80)}" is not an array; give columns as arrays, e.g. { y: [1.2, 3.4], g: ["a", "b"] }`, name);
    }
    const len = (c as ArrayLike<Cell>).length;
    if (!Number.isSafeInteger(len) || len < 0) {
      throw new DataError(`column "${escapeForMessage(name, 80)}" has the length ${len}, which is not a whole number of rows`, name);
    }
    if (len > MAX_ROWS) {
      throw new ResourceError(
        `column "${escapeForMessage(name, 80)}" has ${len} rows; at most ${MAX_ROWS} fit in the engine's 32-bit memory`,
        len * 8,
      );
    }
  }
  const nrow = names.length > 0 ? cols[names[0]].length : 0;
  const bad = names.filter((n) => cols[n].length !== nrow);
  if (bad.length > 0) {
    throw new DataError(
      `columns have different lengths: ${names[0]} has ${nrow}, ${bad.map((n) => `${n} has ${cols[n].length}`).join(', ')}; ` +
        `every column needs one value per row (use null for a missing value)`,
      bad[0],
    );
  }
  return tableFromColumns(names, (name) => cols[name], nrow, spec);
}

/**
 * Rows, columns or an existing table → a typed `DataTable`.
 * - rows: `[{ y: 1.2, g: 'a' }, ...]`, columns are the union of keys in first-seen order;
 * - columns: `{ y: [1.2, ...], g: ['a', ...] }` or typed arrays, all the same length;
 * - an Apache Arrow table: dictionary columns become factors with the dictionary as levels, nulls are
 *   missing, a null-free Float64 column is used without copying; an Arquero table: its `array()` columns;
 * - a `DataTable` is returned as is, or with the columns the spec names re-typed.
 * `spec` forces types and level orders (and may carry a dataset schema); see `infer.ts` for the rule.
 * Throws `DataError` for malformed input, unequal column lengths, unknown columns in the spec, and
 * values that do not fit a forced type or level list.
 */
export function toDataTable(input: DataInput, spec: DataSpec = {}): DataTable {
  checkOptions('toDataTable', spec, DATA_SPEC_SCHEMA);
  if (isDataTable(input)) return hasSpec(spec) ? retype(input, spec) : input;
  if (isArrowTable(input)) {
    const table = fromArrowTable(input);
    return hasSpec(spec) ? retype(table, spec) : table;
  }
  if (isArqueroTable(input)) {
    const { names, nrow, cells } = arqueroColumns(input);
    return tableFromColumns(names, cells, nrow, spec);
  }
  if (Array.isArray(input)) return fromRows(input as readonly Record<string, Cell>[], spec);
  if (typeof input !== 'object' || input === null) {
    throw new DataError('data must be an array of row objects, an object of column arrays, or a DataTable');
  }
  return fromColumns(input as Readonly<Record<string, ArrayLike<Cell>>>, spec);
}
