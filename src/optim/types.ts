/**
 * Shared types of the derivative-free optimizers that minimise the profiled deviance over θ.
 */

/** The function to minimise. Non-finite values count as +∞ (e.g. a failed factorization). */
export type Objective = (x: Float64Array) => number;

/** Stopping rules and limits. */
export interface OptimOptions {
  /** Maximum number of function evaluations. */
  maxEvaluations?: number;
  /** Initial trust-region radius / simplex step. */
  rhoBeg?: number;
  /** Final trust-region radius (BOBYQA's accuracy in x). */
  rhoEnd?: number;
  /** Stop when an iteration changes f by less than this (absolute). */
  ftolAbs?: number;
  /** Stop when an iteration changes f by less than this times |f| (relative). */
  ftolRel?: number;
  /** Stop when every coordinate moves by less than this (absolute). */
  xtolAbs?: number;
  /** Stop when every coordinate moves by less than this times |x_i| (relative). */
  xtolRel?: number;
}

/** The optimizers' common result. */
export interface OptimResult {
  readonly x: Float64Array;
  readonly fx: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly message: string;
  readonly optimizer: string;
}

/** A bound-constrained minimiser. */
export type Optimizer = (
  f: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options?: OptimOptions,
) => OptimResult;
