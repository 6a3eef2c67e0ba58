/**
 * Prior weights (R's `weights` argument of lm, lmer and glmer): one non-negative finite number per data
 * row, given as an array or as the name of a numeric column. Validation names the row at fault.
 */
import { DataError } from '../errors.js';
import type { DataTable } from '../data/table.js';

/** How missing weights are treated: glmer drops the row with the rest of the frame; lm and lmer refuse it. */
export interface PriorWeightOptions {
  readonly allowMissing: boolean;
}

/** Values of a per-row option (weights, offset): an array with one per row, or a numeric column's values. */
export function perRowValues(data: DataTable, x: ArrayLike<number> | string, what: string): Float64Array {
  if (typeof x === 'string') {
    const c = data.columns.get(x);
    if (!c) throw new DataError(`the ${what} column "${x}" is not in the data (columns: ${data.names.join(', ')})`, x);
    if (c.kind !== 'numeric') throw new DataError(`the ${what} column "${x}" must be numeric`, x);
    return Float64Array.from(c.values);
  }
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new DataError(`${what} must be a column name or an array with one number per row, not ${x === null ? 'null' : typeof x}`);
  }
  if (x.length !== data.nrow) {
    throw new DataError(`${what} has ${x.length} values but the data has ${data.nrow} rows; give one per row`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number') throw new DataError(`${what} must be numbers (row ${i + 1} has a ${v === null ? 'null' : typeof v})`);
    out[i] = v;
  }
  return out;
}

/** The prior weights on all rows of the data, checked: negative, infinite (or, unless allowed, missing) → DataError. */
export function priorWeights(data: DataTable, weights: ArrayLike<number> | string, options: PriorWeightOptions): Float64Array {
  const w = perRowValues(data, weights, 'weights');
  const column = typeof weights === 'string' ? weights : undefined;
  for (let i = 0; i < w.length; i++) {
    const v = w[i];
    if (Number.isNaN(v)) {
      if (options.allowMissing) continue;
      throw new DataError(`weights must not be missing (row ${i + 1} is NaN); drop the row or give it a weight`, column);
    }
    if (v < 0) throw new DataError(`weights must not be negative (row ${i + 1} has ${v})`, column);
    if (v === Infinity) throw new DataError(`weights must be finite (row ${i + 1} is infinite)`, column);
  }
  return w;
}
