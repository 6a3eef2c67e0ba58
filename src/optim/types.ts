/**
 * Shared types of the derivative-free optimizers that minimise the profiled deviance over θ.
 */

/**
 * The function to minimise. It receives a fresh array it may keep. A non-finite value (NaN, ±∞, as a
 * failed factorization gives) never stops an optimizer: BOBYQA replaces it by a value above every
 * finite value seen so far, Nelder–Mead by +∞.
 */
export type Objective = (x: Float64Array) => number;

/**
 * Stopping rules and limits. Names follow NLopt's (`maxeval`, `xtol_rel`, …) in camel case; every one
 * is optional and each optimizer documents its defaults (those of lme4 1.1-31 for the same optimizer).
 */
export interface OptimOptions {
  /** Largest number of evaluations of f; reaching it stops with `converged = false`. */
  maxEvaluations?: number;
  /**
   * Initial step: BOBYQA's initial trust-region radius ρ_beg (the same in every coordinate, which
   * turns off NLopt's per-coordinate rescaling), Nelder–Mead's initial simplex edge (lme4's `xst`).
   */
  rhoBeg?: number;
  /** BOBYQA's final trust-region radius ρ_end; overrides the value derived from xtolRel / xtolAbs. */
  rhoEnd?: number;
  /** Stop when an improving step changes f by less than this (absolute). */
  ftolAbs?: number;
  /** Stop when an improving step changes f by less than this times the mean of the two |f| values. */
  ftolRel?: number;
  /**
   * BOBYQA: stop when the least f found fell by less than this over a whole trust-region level (from one
   * reduction of ρ to the next, once ρ ≤ ρ_beg / 100): for a solve that only starts another method.
   */
  levelFtolAbs?: number;
  /** Absolute x tolerance: BOBYQA's ρ_end is at least this (per coordinate); Nelder–Mead's `xt`. */
  xtolAbs?: number;
  /** Relative x tolerance: BOBYQA's ρ_end is at least xtolRel·ρ_beg (NLopt's rule). */
  xtolRel?: number;
  /**
   * The exact gradient of f at x (null where it is unavailable), for gradient-based optimizers
   * ('newton'); the derivative-free ones ignore it.
   */
  gradient?: (x: Float64Array) => Float64Array | null;
  /**
   * An approximation of f's Hessian at x (n × n, row-major, symmetric; 'newton' regularises it until it is
   * positive definite), asked only right after `gradient(x)`: 'newton' takes its steps from it (lmer: the
   * average-information matrix); null where unavailable.
   */
  curvature?: (x: Float64Array) => Float64Array | null;
  /**
   * 'newton': how many leading entries of x are θ (default: all). The entries after them (glmer's β) have
   * no bounds and no sign symmetry, so no column of T extends into them.
   */
  thetaLength?: number;
}

/** The optimizers' common result. */
export interface OptimResult {
  /** The best point evaluated (always within the bounds). */
  readonly x: Float64Array;
  /** f at `x` (the least finite value seen; +∞ only if f was never finite). */
  readonly fx: number;
  /** Number of evaluations of f. */
  readonly evaluations: number;
  /** True when a tolerance was met; false on maxEvaluations, rounding trouble or no finite value. */
  readonly converged: boolean;
  /** Why the optimizer stopped, in words. */
  readonly message: string;
  /** The optimizer's registry name. */
  readonly optimizer: string;
}

/** A bound-constrained minimiser; lower/upper use ±Infinity for "no bound". */
export type Optimizer = (
  f: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options?: OptimOptions,
) => OptimResult;
