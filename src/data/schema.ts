/**
 * Dataset schemas: the `NAME.schema.json` files next to the bundled `NAME.csv` files, recording how R
 * holds each column (type and level order), e.g.
 * `{ "name": "cake", "nrow": 270, "columns": [{ "name": "temperature", "type": "ordered", "levels": ["175", ...] }] }`.
 * Levels are R's level order, which need not be sorted (InstEval's `dept` starts "15", "5", "10").
 */
import { DataError } from '../errors.js';
import { setOwn } from '../base/own.js';
import type { ColumnSpec, ColumnType } from './table.js';

/** One column of a dataset schema. */
export interface SchemaColumn {
  name: string;
  /** `integer` reads as numeric (whole numbers required). */
  type: 'numeric' | 'integer' | 'factor' | 'ordered';
  /** R's level order, for `factor` and `ordered` columns. */
  levels?: string[];
}

/** The format of `NAME.schema.json`. Other fields (e.g. `source`) are allowed and ignored. */
export interface DatasetSchema {
  /** Dataset name (R's object name). */
  name?: string;
  /** Number of data rows; reading checks it. */
  nrow?: number;
  columns: SchemaColumn[];
}

const TYPES: readonly ColumnType[] = ['numeric', 'integer', 'factor', 'ordered'];

/**
 * Checks that a parsed JSON value is a dataset schema and returns it typed. `source` names it in
 * messages (e.g. the file path). Throws `DataError` saying which entry is wrong.
 */
export function validateSchema(value: unknown, source: string): DatasetSchema {
  const s = value as DatasetSchema;
  if (!s || typeof s !== 'object' || !Array.isArray(s.columns)) {
    throw new DataError(`${source} is not a dataset schema: it needs a "columns" array of { name, type, levels? }`);
  }
  if (s.nrow !== undefined && !(Number.isInteger(s.nrow) && s.nrow >= 0)) {
    throw new DataError(`${source}: "nrow" must be a whole number of rows, not ${JSON.stringify(s.nrow)}`);
  }
  const seen = new Set<string>();
  s.columns.forEach((c, i) => {
    if (!c || typeof c.name !== 'string' || c.name === '') {
      throw new DataError(`${source}: column entry ${i + 1} needs a "name"`);
    }
    if (seen.has(c.name)) throw new DataError(`${source}: the column "${c.name}" is listed twice`, c.name);
    seen.add(c.name);
    if (!TYPES.includes(c.type)) {
      throw new DataError(`${source}: column "${c.name}" has the type ${JSON.stringify(c.type)}; use one of ${TYPES.join(', ')}`, c.name);
    }
    if (c.levels !== undefined) {
      if (!Array.isArray(c.levels) || c.levels.some((l) => typeof l !== 'string')) {
        throw new DataError(`${source}: the levels of column "${c.name}" must be an array of strings`, c.name);
      }
      if (c.type !== 'factor' && c.type !== 'ordered') {
        throw new DataError(`${source}: column "${c.name}" has levels but the type ${c.type}; levels need factor or ordered`, c.name);
      }
    }
  });
  return s;
}

/** The column spec a schema implies: every column's type, and the level order of its factors. */
export function schemaToSpec(schema: DatasetSchema): ColumnSpec {
  const types: Record<string, ColumnType> = {};
  const levels: Record<string, readonly string[]> = {};
  for (const c of schema.columns) {
    setOwn(types, c.name, c.type);
    if (c.levels && (c.type === 'factor' || c.type === 'ordered')) setOwn(levels, c.name, c.levels);
  }
  return { types, levels };
}

/**
 * Checks that a schema describes data with these column names and row count: every schema column
 * is present and `nrow`, when given, matches. (Data columns the schema does not list are allowed;
 * their types are inferred.) Throws `DataError` naming the schema and the mismatch.
 */
export function checkSchemaFits(schema: DatasetSchema, names: readonly string[], nrow: number, source: string): void {
  const present = new Set(names);
  const missing = schema.columns.map((c) => c.name).filter((n) => !present.has(n));
  if (missing.length > 0) {
    throw new DataError(
      `${source} lists the column${missing.length === 1 ? '' : 's'} ${missing.map((n) => `"${n}"`).join(', ')}, ` +
        `which the data does not have (columns: ${names.join(', ')}); fix the schema or the data`,
      missing[0],
    );
  }
  if (schema.nrow !== undefined && schema.nrow !== nrow) {
    throw new DataError(
      `${source} says the data has ${schema.nrow} rows, but it has ${nrow}; ` +
        `the file may be truncated or edited: fix it, or correct or remove "nrow" in the schema`,
    );
  }
}
