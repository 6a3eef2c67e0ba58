/**
 * Node-only additions: reading CSV files (with their `NAME.schema.json`) from disk.
 */
export * from './index.js';
export { readDataFile, datasetName, readSchemaFor, type ReadFileOptions } from './data/read-file.js';
export type { DatasetSchema, SchemaColumn } from './data/schema.js';
