/**
 * Arquero tables as model data, recognised by shape (`columnNames()`, `numRows()`, `array(name)`) so that
 * core code never imports the library. `array(name)` honours the table's filter and order, so a filtered
 * or sorted table gives the rows the user sees. Arquero has no factors: its columns follow the typing
 * rule of `infer.ts` like rows and plain columns (give `levels` or `types` to make a factor).
 */
import type { Cell } from './table.js';

/** What lmm-wasm needs of an Arquero `ColumnTable` (duck-typed; arquero ≥ 5 has it). */
export interface ArqueroTableLike {
  columnNames(): string[];
  numRows(): number;
  array(name: string): ArrayLike<unknown>;
}

/** Whether a value has the shape of an Arquero table. */
export function isArqueroTable(x: unknown): x is ArqueroTableLike {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<ArqueroTableLike>;
  return typeof t.columnNames === 'function' && typeof t.numRows === 'function' && typeof t.array === 'function';
}

/** The column names, row count and raw cells of an Arquero table, for `tableFromColumns`. */
export function arqueroColumns(table: ArqueroTableLike): {
  names: string[];
  nrow: number;
  cells: (name: string) => ArrayLike<Cell>;
} {
  return {
    names: table.columnNames(),
    nrow: table.numRows(),
    cells: (name) => table.array(name) as ArrayLike<Cell>,
  };
}
