/**
 * Rows (array of objects) and columns (object of arrays) into a typed `DataTable`.
 */
import { DataError } from '../errors.js';
import { buildColumn } from './infer.js';
import type { Cell, Column, ColumnSpec, DataTable } from './table.js';

/** What the API accepts as data. */
export type DataInput = readonly Record<string, Cell>[] | Readonly<Record<string, ArrayLike<Cell>>> | DataTable;

/** Whether a value is already a `DataTable`. */
export function isDataTable(x: unknown): x is DataTable {
  return typeof x === 'object' && x !== null && (x as DataTable).columns instanceof Map && Array.isArray((x as DataTable).names);
}

/** Types a set of named raw columns (equal lengths) with the spec's overrides. */
export function tableFromColumns(
  names: readonly string[],
  cells: (name: string) => ArrayLike<Cell>,
  nrow: number,
  spec: ColumnSpec = {},
): DataTable {
  for (const col of [...Object.keys(spec.types ?? {}), ...Object.keys(spec.levels ?? {})]) {
    if (!names.includes(col)) {
      throw new DataError(`the option names the column "${col}", which is not in the data (columns: ${names.join(', ')})`, col);
    }
  }
  const columns = new Map<string, Column>();
  for (const name of names) {
    columns.set(name, buildColumn(name, cells(name), spec.types?.[name], spec.levels?.[name]));
  }
  return { names: [...names], nrow, columns };
}

/** Rows, columns or an existing table → `DataTable` (an existing table is returned as is unless a spec is given). */
export function toDataTable(input: DataInput, spec: ColumnSpec = {}): DataTable {
  if (isDataTable(input)) {
    const hasSpec = Object.keys(spec.types ?? {}).length + Object.keys(spec.levels ?? {}).length > 0;
    if (!hasSpec) return input;
    const raw = (name: string): Cell[] => {
      const c = input.columns.get(name)!;
      return c.kind === 'numeric' ? Array.from(c.values) : Array.from(c.codes, (k) => (k < 0 ? null : c.levels[k]));
    };
    return tableFromColumns(input.names, raw, input.nrow, spec);
  }
  if (Array.isArray(input)) {
    const rows = input as readonly Record<string, Cell>[];
    const names: string[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      if (typeof row !== 'object' || row === null) throw new DataError('rows must be objects like { y: 1.2, g: "a" }');
      for (const k of Object.keys(row)) if (!seen.has(k)) (seen.add(k), names.push(k));
    }
    return tableFromColumns(names, (name) => rows.map((r) => r[name]), rows.length, spec);
  }
  const cols = input as Readonly<Record<string, ArrayLike<Cell>>>;
  const names = Object.keys(cols);
  const lengths = names.map((n) => cols[n]?.length);
  if (names.some((n, i) => typeof lengths[i] !== 'number')) {
    throw new DataError('columns input must map each column name to an array of values');
  }
  const nrow = lengths[0] ?? 0;
  const bad = names.filter((_, i) => lengths[i] !== nrow);
  if (bad.length > 0) {
    throw new DataError(
      `columns have different lengths: ${names[0]} has ${nrow}, ${bad.map((n) => `${n} has ${cols[n].length}`).join(', ')}`,
      bad[0],
    );
  }
  return tableFromColumns(names, (name) => cols[name], nrow, spec);
}
