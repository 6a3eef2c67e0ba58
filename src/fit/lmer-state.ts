/**
 * What a fitted lmer keeps private: the prepared design, the random-effects terms, the solution at θ̂ and
 * the engine that inference re-evaluates. Models hold it in a `#` field; inference (profiles, Satterthwaite,
 * type III, lsMeans, refits) reaches it through `lmerState(m)`. This module is not exported from the package
 * entry, so none of it is reachable from a model at run time.
 */
import type { PreparedModel } from '../design/prepare.js';
import type { RandomTermDesign } from '../design/random-terms.js';
import type { ModelFormula } from '../formula/types.js';
import type { DevianceParts } from '../wasm/mixed-engine.js';
import type { EngineLease } from '../wasm/engine-lease.js';
import { conditionalVariances } from './conditional-variance.js';

/** The deviance system at one θ, read in one step (so no answer depends on what was evaluated before). */
export interface ThetaEvaluation {
  parts: DevianceParts;
  /** β̂(θ). */
  beta: Float64Array;
  /** R_X' at θ (lower, row-major p×p). */
  fixedFactor: Float64Array;
}

/**
 * The model's engine, behind calls that each evaluate at the θ they are given before reading anything:
 * the engine's "last evaluated θ" never leaks into an answer.
 */
export interface ThetaEvaluator {
  /** The profiled deviance (REML criterion with `reml`) at θ. */
  devianceAt(theta: ArrayLike<number>, reml: boolean): number;
  /** Deviance parts at θ; null where Λ(θ)'Z'ZΛ(θ) + I is not positive definite. */
  partsAt(theta: ArrayLike<number>): DevianceParts | null;
  /** Deviance parts and R_X' at θ (Satterthwaite's source). */
  factorAt(theta: ArrayLike<number>): { parts: DevianceParts; fixedFactor: Float64Array } | null;
  /**
   * Deviance parts, R_X' and the exact derivatives in θ of the log-determinant part (ldL2, + ldRX2 with
   * `reml`) and of r² at θ (Satterthwaite's Hessian); null where the factorization fails or the engine has
   * no such derivatives (a sparse crossed block).
   */
  derivativesAt(theta: ArrayLike<number>, reml: boolean): ThetaDerivatives | null;
  /** Parts, β̂ and R_X' at θ (profiles of a fixed effect). */
  solutionAt(theta: ArrayLike<number>): ThetaEvaluation | null;
  /** lme4's condVar at (θ, σ): per grouping factor and level, the conditional covariance of b. */
  conditionalVariancesAt(theta: ArrayLike<number>, sigma: number): Record<string, number[][][]>;
}

/** What `derivativesAt` returns. */
export interface ThetaDerivatives {
  parts: DevianceParts;
  fixedFactor: Float64Array;
  /** ∂(ldL2 [+ ldRX2])/∂θ. */
  logDet: Float64Array;
  /** ∂r²/∂θ. */
  pwrss: Float64Array;
}

/** The private state of an LmerModel. */
export interface LmerState {
  readonly prepared: PreparedModel;
  /** The parsed formula (the model's public `formula` is its deparsed text). */
  readonly modelFormula: ModelFormula;
  readonly terms: readonly RandomTermDesign[];
  /** Indices of the kept X columns in the full model matrix. */
  readonly keptColumns: readonly number[];
  readonly beta: Float64Array;
  readonly theta: Float64Array;
  /** Spherical random effects u and b = Λθu, in the order of the terms. */
  readonly u: Float64Array;
  readonly b: Float64Array;
  readonly fitted: Float64Array;
  /** The response (residuals are y − fitted). */
  readonly y: Float64Array;
  /** (R_X'R_X)⁻¹ at θ̂, p×p row-major: Var(β̂) = σ²·this. */
  readonly unscaledVcov: Float64Array;
  /** REML criterion or ML deviance at θ̂. */
  readonly objective: number;
  readonly evaluator: ThetaEvaluator;
}

/**
 * An evaluator over a model's engine: every call sets θ first (and takes the engine afresh from its lease).
 * A class, not an object of closures: closures kept on a model kept the scope that made them reachable, and
 * in a loop of small fits every model then outlived a young collection. Its methods are bound (they hold no
 * scope), so that they can be passed on alone as the interface's functions were.
 */
export class LeaseEvaluator implements ThetaEvaluator {
  constructor(
    private readonly lease: EngineLease,
    private readonly terms: readonly RandomTermDesign[],
  ) {
    this.conditionalVariancesAt = this.conditionalVariancesAt.bind(this);
    this.devianceAt = this.devianceAt.bind(this);
    this.partsAt = this.partsAt.bind(this);
    this.factorAt = this.factorAt.bind(this);
    this.derivativesAt = this.derivativesAt.bind(this);
    this.solutionAt = this.solutionAt.bind(this);
  }

  conditionalVariancesAt(theta: ArrayLike<number>, sigma: number): Record<string, number[][][]> {
    return conditionalVariances(this.lease.engine, this.terms, theta, sigma);
  }

  devianceAt(theta: ArrayLike<number>, reml: boolean): number {
    return this.lease.engine.deviance(theta, reml);
  }

  partsAt(theta: ArrayLike<number>): DevianceParts | null {
    return this.lease.engine.evaluate(theta);
  }

  factorAt(theta: ArrayLike<number>): { parts: DevianceParts; fixedFactor: Float64Array } | null {
    const engine = this.lease.engine;
    const parts = engine.evaluate(theta);
    return parts && { parts, fixedFactor: engine.fixedFactor() };
  }

  derivativesAt(theta: ArrayLike<number>, reml: boolean): ThetaDerivatives | null {
    const engine = this.lease.engine;
    const d = engine.devianceDerivatives(theta, reml);
    return d && { ...d, fixedFactor: engine.fixedFactor() };
  }

  solutionAt(theta: ArrayLike<number>): ThetaEvaluation | null {
    const engine = this.lease.engine;
    const parts = engine.evaluate(theta);
    return parts && { parts, beta: engine.solveBeta(), fixedFactor: engine.fixedFactor() };
  }
}

const states = new WeakMap<object, LmerState>();

/** Records a model's private state (called once, by the model's constructor). */
export function registerLmerState(model: object, state: LmerState): void {
  states.set(model, state);
}

/** The private state of a fitted lmer, for inference code inside the package. */
export function lmerState(model: object): LmerState {
  const s = states.get(model);
  if (!s) throw new TypeError('not a fitted LmerModel');
  return s;
}
