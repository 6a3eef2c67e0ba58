/**
 * Prior weights of lm and lmer on the model frame's rows: validated on every data row (frame/prior-weights.ts,
 * missing weights refused), then taken at the rows the frame kept. Null when no weights were given.
 */
import type { PreparedModel } from '../design/prepare.js';
import { DataError } from '../errors.js';
import { priorWeights } from '../frame/prior-weights.js';

/** A prepared model with its weights attached (refits from `prepared` keep them). */
export function withWeights(prepared: PreparedModel, weights: ArrayLike<number> | string | undefined, what: 'lm' | 'lmer'): PreparedModel {
  const w = frameWeights(prepared, weights);
  if (w === null) return prepared;
  if (what === 'lmer') {
    const zero = w.indexOf(0);
    // lme4's criterion subtracts Σ log wᵢ: a zero weight makes it infinite
    if (zero >= 0) {
      throw new DataError(
        `lmer weights must be positive (model row ${zero + 1}, data row ${prepared.frame.rows[zero] + 1}, is 0; lme4's criterion is then infinite): drop the rows of weight 0`,
        typeof weights === 'string' ? weights : undefined,
      );
    }
  }
  return { ...prepared, weights: w, weightsName: typeof weights === 'string' ? weights : 'weights' };
}

/** The weights at the model frame's rows, or null (unweighted). */
export function frameWeights(prepared: PreparedModel, weights: ArrayLike<number> | string | undefined): Float64Array | null {
  if (weights === undefined) return null;
  const all = priorWeights(prepared.data, weights, { allowMissing: false });
  const w = Float64Array.from(prepared.frame.rows, (r) => all[r]);
  if (!w.some((v) => v > 0)) throw new DataError('every weight is 0: there is nothing to fit', typeof weights === 'string' ? weights : undefined);
  return w;
}
