/**
 * Apache Arrow tables (apache-arrow's `Table`, as DuckDB-wasm, Parquet readers and flechette-compatible
 * code hand them out) as model data, recognised by shape so that core code never imports the library:
 * - a dictionary-encoded column is a factor whose levels are its dictionary, in the dictionary's order
 *   (Arrow's dictionary is what R's levels are); an ordered dictionary gives an ordered factor;
 * - a Float64 column without nulls in one chunk is used as it is (no copy: the table's buffer becomes
 *   the column, so the table must not be mutated while a model uses it, as Arrow data never is);
 *   other integer and float columns are converted to doubles;
 * - nulls are missing values (NaN / code -1);
 * - strings and booleans follow the typing rule of `infer.ts`, as in rows and columns; other types
 *   (dates, decimals, lists, ...) are refused with a DataError naming the column.
 */
import { DataError } from '../errors.js';
import { buildColumn } from './infer.js';
import { isCell } from './cell.js';
import type { Cell, Column, DataTable } from './table.js';

/** The part of an Arrow `DataType` read here. */
export interface ArrowTypeLike {
  readonly typeId: number;
  readonly precision?: number;
  readonly isOrdered?: boolean;
  toString(): string;
}

/** The part of an Arrow `Data` chunk read here. */
export interface ArrowDataLike {
  readonly offset: number;
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap?: Uint8Array | null;
  readonly values: ArrayLike<number | bigint>;
  readonly dictionary?: ArrowVectorLike;
}

/** The part of an Arrow `Vector` read here. */
export interface ArrowVectorLike {
  readonly type: ArrowTypeLike;
  readonly length: number;
  readonly nullCount: number;
  readonly data: readonly ArrowDataLike[];
  get(index: number): unknown;
  isValid(index: number): boolean;
  toArray(): ArrayLike<unknown>;
}

/** What lmm-wasm needs of an Apache Arrow `Table` (duck-typed; apache-arrow ≥ 9 has it). */
export interface ArrowTableLike {
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  readonly numRows: number;
  getChild(name: string): ArrowVectorLike | null;
}

// Arrow's `Type` enum values (apache-arrow src/enum.ts; part of the Arrow format, stable across releases).
const TYPE_INT = 2;
const TYPE_FLOAT = 3;
const TYPE_DICTIONARY = -1;
/** Null, Utf8, Bool, LargeUtf8, Utf8View: values that are already cells (strings, booleans, null). */
const CELL_TYPES = new Set([1, 5, 6, 20, 24]);
const PRECISION_HALF = 0;
const PRECISION_DOUBLE = 2;

/** Whether a value has the shape of an Arrow table (schema fields and `getChild`). */
export function isArrowTable(x: unknown): x is ArrowTableLike {
  if (typeof x !== 'object' || x === null) return false;
  const t = x as Partial<ArrowTableLike>;
  return (
    typeof t.getChild === 'function' &&
    typeof t.numRows === 'number' &&
    typeof t.schema === 'object' &&
    t.schema !== null &&
    Array.isArray(t.schema.fields)
  );
}

/** Whether row `i` of a chunk is null, from its validity bitmap (indexed from the chunk's offset). */
function chunkIsNull(d: ArrowDataLike, i: number): boolean {
  if (d.nullCount <= 0 || !d.nullBitmap || d.nullBitmap.length === 0) return false;
  const bit = d.offset + i;
  return ((d.nullBitmap[bit >> 3] >> (bit & 7)) & 1) === 0;
}

/** A numeric (Int or Float) vector as doubles with NaN for nulls; one null-free Float64 chunk is not copied. */
function numericValues(name: string, v: ArrowVectorLike): Float64Array {
  if (v.type.typeId === TYPE_FLOAT && v.type.precision === PRECISION_DOUBLE && v.nullCount === 0 && v.data.length === 1) {
    const values = v.toArray();
    if (values instanceof Float64Array) return values;
  }
  const out = new Float64Array(v.length);
  if (v.type.typeId === TYPE_FLOAT && v.type.precision === PRECISION_HALF) {
    // half floats are stored as raw uint16 bits: let Arrow decode them
    for (let i = 0; i < v.length; i++) out[i] = v.isValid(i) ? Number(v.get(i)) : NaN;
    return out;
  }
  let row = 0;
  for (const d of v.data) {
    const values = d.values;
    if (values.length < d.length) {
      throw new DataError(`column "${name}": its Arrow ${String(v.type)} buffer holds fewer values than rows`, name);
    }
    for (let i = 0; i < d.length; i++, row++) out[row] = chunkIsNull(d, i) ? NaN : Number(values[i]);
  }
  return out;
}

/** The labels of a dictionary vector, as strings (a factor's levels). */
function dictionaryLabels(name: string, dict: ArrowVectorLike): string[] {
  const labels: string[] = [];
  for (let i = 0; i < dict.length; i++) {
    const x = dict.get(i);
    if (x === null || x === undefined) {
      throw new DataError(`column "${name}": its Arrow dictionary has a null entry (${i + 1}); a factor level cannot be missing`, name);
    }
    labels.push(String(x));
  }
  return labels;
}

/**
 * A dictionary vector as a factor: the levels are the (first) dictionary; chunks with another dictionary
 * (a delta or replacement dictionary) are recoded into it, new labels appended in the order met.
 */
function dictionaryFactor(name: string, v: ArrowVectorLike): Column {
  const levels: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(v.length);
  let seen: ArrowVectorLike | undefined;
  let recode: Int32Array = new Int32Array(0);
  let row = 0;
  for (const d of v.data) {
    const dict = d.dictionary;
    if (!dict) throw new DataError(`column "${name}": an Arrow dictionary chunk has no dictionary`, name);
    if (dict !== seen) {
      const labels = dictionaryLabels(name, dict);
      recode = new Int32Array(labels.length);
      labels.forEach((label, k) => {
        let code = index.get(label);
        if (code === undefined) {
          code = levels.length;
          levels.push(label);
          index.set(label, code);
        }
        recode[k] = code;
      });
      seen = dict;
    }
    const keys = d.values;
    for (let i = 0; i < d.length; i++, row++) {
      if (chunkIsNull(d, i)) {
        codes[row] = -1;
        continue;
      }
      const k = Number(keys[i]);
      if (!(k >= 0 && k < recode.length)) {
        throw new DataError(`column "${name}", row ${row + 1}: Arrow dictionary key ${k} is outside its dictionary of ${recode.length}`, name);
      }
      codes[row] = recode[k];
    }
  }
  return { kind: 'factor', name, levels, codes, ordered: v.type.isOrdered === true };
}

/** A text, boolean or null vector: its values as cells (nulls missing) through `infer.ts`. */
function cellColumn(name: string, v: ArrowVectorLike): Column {
  const cells: Cell[] = new Array<Cell>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v.isValid(i) ? v.get(i) : null;
    if (!isCell(x)) throw new DataError(`column "${name}", row ${i + 1}: Arrow ${String(v.type)} gave a value that is not a cell`, name);
    cells[i] = x;
  }
  return buildColumn(name, cells);
}

/** One Arrow vector as a typed column. */
function arrowColumn(name: string, v: ArrowVectorLike): Column {
  switch (v.type.typeId) {
    case TYPE_DICTIONARY:
      return dictionaryFactor(name, v);
    case TYPE_INT:
    case TYPE_FLOAT:
      return { kind: 'numeric', name, values: numericValues(name, v) };
    default:
      if (CELL_TYPES.has(v.type.typeId)) return cellColumn(name, v);
      // dates and times have no unit a model could assume (R's Date counts days, Arrow's milliseconds)
      throw new DataError(
        `column "${name}" has Arrow type ${String(v.type)}; models take numeric, text, boolean and dictionary ` +
          `columns: convert it first (dates to numbers in the unit you mean, decimals to Float64)`,
        name,
      );
  }
}

/** An Arrow table → a `DataTable` (columns in schema order); see the file comment for the typing. */
export function fromArrowTable(table: ArrowTableLike): DataTable {
  const names = table.schema.fields.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new DataError(`the Arrow table has two columns named "${dup}"; rename one`, dup);
  const columns = new Map<string, Column>();
  for (const name of names) {
    const v = table.getChild(name);
    if (!v) throw new DataError(`the Arrow table's schema lists "${name}" but getChild("${name}") returned nothing`, name);
    if (v.length !== table.numRows) {
      throw new DataError(`Arrow column "${name}" has ${v.length} values for ${table.numRows} rows`, name);
    }
    columns.set(name, arrowColumn(name, v));
  }
  return { names, nrow: table.numRows, columns };
}
