/**
 * Reading a CSV file from disk (Node only; everything else in `data/` runs in browsers). A
 * `NAME.schema.json` next to `NAME.csv` supplies column types, R's level order and the row count;
 * types and levels given by the caller override it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DataError } from '../errors.js';
import { parseCsv } from './csv.js';
import { validateSchema, type DatasetSchema } from './schema.js';
import type { DataSpec } from './spec.js';
import type { DataTable } from './table.js';

/** The dataset name of a file path, its file name without extension: `data/sleepstudy.csv` → `sleepstudy` (printed after "Data:"). */
export function datasetName(path: string): string {
  return basename(path, extname(path));
}

/** The path of the schema that belongs to a CSV file: `data/cake.csv` → `data/cake.schema.json`. */
export function schemaPathFor(path: string): string {
  return join(dirname(path), `${datasetName(path)}.schema.json`);
}

/** The schema next to a CSV file, or `undefined` when there is none. Throws `DataError` if it is not valid JSON or not a schema. */
export function readSchemaFor(path: string): DatasetSchema | undefined {
  const schemaPath = schemaPathFor(path);
  if (!existsSync(schemaPath)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(schemaPath, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read the schema ${schemaPath}: ${(e as Error).message}`);
  }
  return validateSchema(value, schemaPath);
}

/**
 * Reads a CSV file (UTF-8) into a `DataTable`, applying `NAME.schema.json` when it exists next to the
 * file; `spec.types`/`spec.levels` override the schema, and `spec.schema` replaces the file's schema.
 * Throws `DataError` when the file does not exist or cannot be read, and for everything `parseCsv` rejects.
 */
export function readDataFile(path: string, spec: DataSpec = {}): DataTable {
  if (!existsSync(path)) throw new DataError(`the data file ${path} does not exist; check the path`);
  if (statSync(path).isDirectory()) throw new DataError(`the data file ${path} is a directory; give the path of a CSV file`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read the data file ${path}: ${(e as Error).message}`);
  }
  const schema = spec.schema ?? readSchemaFor(path);
  const schemaSource = spec.schema ? spec.schemaSource : schema ? schemaPathFor(path) : undefined;
  return parseCsv(text, { ...spec, schema, schemaSource });
}
