// Test data tables from R-generated fixtures: numeric columns as number arrays (null = missing),
// factors as their levels (R's order) and values, typed by the package's own toDataTable.
import { toDataTable } from '../../src/data/from-input.js';
import type { Cell, ColumnType, DataTable } from '../../src/data/table.js';

/** A factor column as the fixtures write it. */
export type FactorData = { levels: string[]; values: (string | null)[]; ordered?: boolean };

/** A DataTable from numeric columns and factors with their level order. */
export function makeTable(data: Record<string, (number | null)[] | FactorData>): DataTable {
  const columns: Record<string, Cell[]> = {};
  const types: Record<string, ColumnType> = {};
  const levels: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(data)) {
    if (Array.isArray(v)) {
      columns[name] = v;
      types[name] = 'numeric';
    } else {
      columns[name] = v.values;
      types[name] = v.ordered ? 'ordered' : 'factor';
      levels[name] = v.levels;
    }
  }
  return toDataTable(columns, { types, levels });
}
