/**
 * Reading a CSV file from disk (Node only; everything else in `data/` runs in browsers). A
 * `NAME.schema.json` next to `NAME.csv` supplies column types, R's level order and the row count;
 * types and levels given by the caller override it.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { DataError, ResourceError } from '../errors.js';
import { checkOptions } from '../options/validate.js';
import { READ_FILE_SCHEMA } from '../options/schemas.js';
import { escapeForMessage } from '../base/escape.js';
import { decodeUtf8 } from './encoding.js';
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

/** Default largest data file `readDataFile` reads (bytes); raise it with the `maxBytes` option. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Options of {@link readDataFile}: those of parseCsv plus the size limit. */
export interface ReadFileOptions extends DataSpec {
  /** Largest file read, in bytes (default `DEFAULT_MAX_FILE_BYTES`). */
  maxBytes?: number;
}

function readRegularFile(path: string, maxBytes: number): Uint8Array {
  const shown = escapeForMessage(path);
  if (!existsSync(path)) throw new DataError(`the data file ${shown} does not exist; check the path`);
  if (statSync(path).isDirectory()) throw new DataError(`the data file ${shown} is a directory; give the path of a CSV file`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(`cannot read the data file ${shown}: ${(e as Error).message}`);
  }
  try {
    // the type and size of what was opened, not of what the path named a moment before
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new DataError(`the data file ${shown} is not a regular file (a device, pipe or socket); give the path of a CSV file`);
    }
    if (st.size > maxBytes) {
      throw new ResourceError(
        `the data file ${shown} has ${st.size} bytes, more than the limit of ${maxBytes}; raise it with the maxBytes option (CLI: --max-bytes)`,
        st.size,
      );
    }
    const buf = new Uint8Array(st.size);
    let at = 0;
    while (at < buf.length) {
      const got = readSync(fd, buf, at, buf.length - at, at);
      if (got === 0) break;
      at += got;
    }
    return buf.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a CSV file (UTF-8) into a `DataTable`, applying `NAME.schema.json` when it exists next to the
 * file; `spec.types`/`spec.levels` override the schema, and `spec.schema` replaces the file's schema.
 * Only regular files are read, up to `maxBytes` (256 MiB unless raised). Throws `DataError` when the
 * file does not exist, is not a regular file, is not UTF-8 text (UTF-16, binary), and for everything
 * `parseCsv` rejects; `ResourceError` when it is larger than the limit.
 */
export function readDataFile(path: string, spec: ReadFileOptions = {}): DataTable {
  if (typeof path !== 'string' || path === '') throw new DataError('readDataFile(): the path must be a non-empty string');
  checkOptions('readDataFile', spec, READ_FILE_SCHEMA);
  const { maxBytes = DEFAULT_MAX_FILE_BYTES, ...csvSpec } = spec;
  const text = decodeUtf8(readRegularFile(path, maxBytes), `the data file ${escapeForMessage(path)}`);
  const schema = csvSpec.schema ?? readSchemaFor(path);
  const schemaSource = csvSpec.schema ? csvSpec.schemaSource : schema ? schemaPathFor(path) : undefined;
  return parseCsv(text, { ...csvSpec, schema, schemaSource });
}
