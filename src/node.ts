/**
 * Node-only additions: reading CSV files (with their `NAME.schema.json`) from disk.
 */
export * from './index.js';
export { readDataFile, datasetName, readSchemaFor } from './data/read-file.js';
