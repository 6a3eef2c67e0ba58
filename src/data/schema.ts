/**
 * Dataset schemas (`NAME.schema.json` next to `NAME.csv`): column types and R's level order, e.g.
 * `{ "columns": [{ "name": "temperature", "type": "ordered", "levels": ["175", "185", ...] }] }`.
 */
import { DataError } from '../errors.js';
import type { ColumnSpec, ColumnType } from './table.js';

/** The schema file's format. */
export interface DatasetSchema {
  name?: string;
  nrow?: number;
  columns: { name: string; type: ColumnType; levels?: string[] }[];
}

const TYPES: readonly ColumnType[] = ['numeric', 'integer', 'factor', 'ordered'];

/** Checks a parsed schema object and returns it typed. */
export function validateSchema(value: unknown, source: string): DatasetSchema {
  const s = value as DatasetSchema;
  if (!s || typeof s !== 'object' || !Array.isArray(s.columns)) {
    throw new DataError(`${source} is not a dataset schema (it needs a "columns" array)`);
  }
  for (const c of s.columns) {
    if (typeof c?.name !== 'string' || !TYPES.includes(c.type)) {
      throw new DataError(`${source}: every column needs a name and a type among ${TYPES.join(', ')}`);
    }
  }
  return s;
}

/** The column spec a schema implies; `user` (explicit options) wins over the schema. */
export function mergeSchemaSpec(schema: DatasetSchema | undefined, user: ColumnSpec = {}): ColumnSpec {
  const types: Record<string, ColumnType> = {};
  const levels: Record<string, readonly string[]> = {};
  for (const c of schema?.columns ?? []) {
    types[c.name] = c.type;
    if (c.levels && (c.type === 'factor' || c.type === 'ordered')) levels[c.name] = c.levels;
  }
  for (const [k, v] of Object.entries(user.types ?? {})) {
    types[k] = v;
    if (v === 'numeric' || v === 'integer') delete levels[k];
  }
  for (const [k, v] of Object.entries(user.levels ?? {})) {
    levels[k] = v;
    if (types[k] === 'numeric' || types[k] === 'integer') types[k] = 'factor';
  }
  return { types, levels };
}
