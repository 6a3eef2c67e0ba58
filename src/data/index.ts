/**
 * Getting data in: CSV text, rows and columns into a typed `DataTable` (browser-safe). Reading files
 * from disk is Node-only and lives in `./read-file.js` (exported from the package's `node` entry).
 */
export type { Cell, Column, ColumnSpec, ColumnType, DataTable, FactorColumn, NumericColumn } from './table.js';
export { parseCsv, type CsvOptions } from './csv.js';
export { toDataTable, tableFromColumns, isDataTable, type DataInput, type TableOptions } from './from-input.js';
export { buildColumn, type BuildOptions, type RowLabel } from './infer.js';
export { checkSpec, mergeSpecs, resolveSpec, COLUMN_TYPES, type DataSpec } from './spec.js';
export { validateSchema, schemaToSpec, checkSchemaFits, type DatasetSchema, type SchemaColumn } from './schema.js';
export { isMissing, parseNumber, readNumber, readLogical } from './cell.js';
export { compareCodePoints } from './code-point-order.js';
export { numberLabel, doubleLabel, isRInteger } from './number-label.js';
