/**
 * What a fitted lm keeps private: the prepared design, the QR's pieces and the per-row vectors. Models hold
 * it in a `#` field; printing and inference inside the package reach it through `lmState(m)` (this module
 * is not exported from the package entry).
 */
import type { PreparedModel } from '../design/prepare.js';
import type { ModelFormula } from '../formula/types.js';

/** The private state of an LmModel. */
export interface LmState {
  readonly prepared: PreparedModel;
  readonly modelFormula: ModelFormula;
  /** Indices of the non-aliased X columns, in X's order. */
  readonly keptColumns: readonly number[];
  /** Coefficients in X's column order; NaN for aliased columns. */
  readonly coefficients: Float64Array;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  /** |diag(R)| of the QR of the kept columns (the REML log-likelihood of an lm needs it). */
  readonly rDiagonal: Float64Array;
  /** (X'X)⁻¹ over the kept columns (rank × rank, row-major): Var(β̂) = σ²·this. */
  readonly unscaledVcov: Float64Array;
  /** Var(β̂) of the kept coefficients (rank × rank, row-major). */
  readonly vcov: Float64Array;
  /** The weights as the printed call names them (`weights = w`), or null for an unweighted fit. */
  readonly weightsName: string | null;
}

const states = new WeakMap<object, LmState>();

/** Records a model's private state (called once, by the model's constructor). */
export function registerLmState(model: object, state: LmState): void {
  states.set(model, state);
}

/** The private state of a fitted lm, for code inside the package. */
export function lmState(model: object): LmState {
  const s = states.get(model);
  if (!s) throw new TypeError('not a fitted LmModel');
  return s;
}
