/**
 * Prior weights of lm and lmer on the model frame's rows: validated on every data row (frame/prior-weights.ts,
 * missing weights refused), then taken at the rows the frame kept. Null when no weights were given.
 */
import type { PreparedModel } from '../design/prepare.js';
import { DataError } from '../errors.js';
import { priorWeights } from '../frame/prior-weights.js';

/** The weights at the model frame's rows, or null (unweighted). */
export function frameWeights(prepared: PreparedModel, weights: ArrayLike<number> | string | undefined): Float64Array | null {
  if (weights === undefined) return null;
  const all = priorWeights(prepared.data, weights, { allowMissing: false });
  const w = Float64Array.from(prepared.frame.rows, (r) => all[r]);
  if (!w.some((v) => v > 0)) throw new DataError('every weight is 0: there is nothing to fit', typeof weights === 'string' ? weights : undefined);
  return w;
}
