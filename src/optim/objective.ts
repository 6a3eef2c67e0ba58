/**
 * The optimizers' view of f: every call is counted, the budget is enforced, the point is clamped into
 * the box (so f is never evaluated outside it, whatever rounding did to the optimizer's coordinates),
 * and the best finite value is remembered with its point.
 */
import type { Objective } from './types.js';

/** Thrown (and caught inside the optimizers) when the evaluation budget is spent. */
export class BudgetExhausted extends Error {
  constructor(readonly evaluations: number) {
    super(`stopped after ${evaluations} evaluations (maxEvaluations)`);
  }
}

/** A counted, bounded wrapper around an objective. */
export class CountedObjective {
  /** Evaluations so far. */
  evaluations = 0;
  /** Evaluations that returned NaN or ±∞. */
  nonFinite = 0;
  /** The least finite value so far (+∞ before the first). */
  bestF = Infinity;
  /** The point of bestF (a copy of what f received). */
  bestX: Float64Array;

  constructor(
    private readonly f: Objective,
    private readonly lower: Float64Array,
    private readonly upper: Float64Array,
    private readonly maxEvaluations: number,
  ) {
    this.bestX = new Float64Array(lower.length);
    this.point = new Float64Array(lower.length);
  }

  /** The clamped point of the current evaluation (f gets a copy: it may keep what it receives). */
  private readonly point: Float64Array;

  /** True when no further evaluation is allowed. */
  exhausted(): boolean {
    return this.evaluations >= this.maxEvaluations;
  }

  /**
   * f at x clamped into the box; the raw value (possibly non-finite). Throws BudgetExhausted instead
   * of evaluating once maxEvaluations evaluations have been made.
   */
  evaluate(x: ArrayLike<number>): number {
    if (this.evaluations >= this.maxEvaluations) throw new BudgetExhausted(this.evaluations);
    const n = this.lower.length;
    const point = this.point;
    for (let i = 0; i < n; i++) point[i] = Math.min(Math.max(x[i], this.lower[i]), this.upper[i]);
    this.evaluations++;
    const v = this.f(new Float64Array(point));
    if (!Number.isFinite(v)) {
      this.nonFinite++;
      return v;
    }
    if (v < this.bestF) {
      this.bestF = v;
      this.bestX = new Float64Array(point);
    }
    return v;
  }
}
