/**
 * Reading a CSV file from disk (Node only). A `NAME.schema.json` next to `NAME.csv` supplies column
 * types and R's level order; options given by the caller override it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, dirname } from 'node:path';
import { DataError } from '../errors.js';
import { parseCsv } from './csv.js';
import { mergeSchemaSpec, validateSchema, type DatasetSchema } from './schema.js';
import type { ColumnSpec, DataTable } from './table.js';

/** The dataset name of a file path: `data/sleepstudy.csv` → `sleepstudy` (what summaries print after "Data:"). */
export function datasetName(path: string): string {
  return basename(path, extname(path));
}

/** The schema next to a CSV file, if there is one. */
export function readSchemaFor(path: string): DatasetSchema | undefined {
  const schemaPath = join(dirname(path), `${datasetName(path)}.schema.json`);
  if (!existsSync(schemaPath)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(schemaPath, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read the schema ${schemaPath}: ${(e as Error).message}`);
  }
  return validateSchema(value, schemaPath);
}

/** Reads a CSV file (with its schema when present) into a `DataTable`. */
export function readDataFile(path: string, spec: ColumnSpec = {}): DataTable {
  if (!existsSync(path)) throw new DataError(`the data file ${path} does not exist`);
  const text = readFileSync(path, 'utf8');
  return parseCsv(text, mergeSchemaSpec(readSchemaFor(path), spec));
}
