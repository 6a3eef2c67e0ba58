/**
 * The in-memory data table every model is built from: typed columns, missing values marked.
 * Rows (array of objects), columns (object of arrays) and CSV text all become a `DataTable`
 * (see `data/from-input.ts` and `data/csv.ts`).
 */

/** A numeric column; missing values are NaN. */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * A factor column: integer codes into `levels` (R's level order), -1 for missing.
 * `ordered` marks R's ordered factors (contr.poly by default).
 */
export interface FactorColumn {
  readonly kind: 'factor';
  readonly name: string;
  readonly levels: readonly string[];
  readonly codes: Int32Array;
  readonly ordered: boolean;
}

export type Column = NumericColumn | FactorColumn;

/** A table of equally long, typed columns. */
export interface DataTable {
  /** Column names in input order. */
  readonly names: readonly string[];
  readonly nrow: number;
  readonly columns: ReadonlyMap<string, Column>;
}

/** One cell as a user may supply it; `null`, `undefined`, `NaN`, `''` and `'NA'` are missing. */
export type Cell = number | string | boolean | null | undefined;

/** Column types, as in a dataset's `.schema.json` (`integer` reads as numeric). */
export type ColumnType = 'numeric' | 'integer' | 'factor' | 'ordered';

/** How to type the columns of raw input. Anything not given is inferred. */
export interface ColumnSpec {
  /** Force a type per column (e.g. `{ Days: 'factor' }`). */
  types?: Record<string, ColumnType>;
  /** Factor level order per column (e.g. `{ Condition: ['W', 'S'] }`); makes the column a factor. */
  levels?: Record<string, readonly string[]>;
}
