/**
 * A diagonal first guess at the inverse Hessian of the profiled deviance in θ, for optimizer 'newton''s
 * first step (without it, steepest descent in θ moves mostly the θ with the largest gradient, by far too
 * much, and the line search spends evaluations halving it).
 *
 * Why 4q/θ²: a term's q random effects, were they observed, would enter the deviance as
 * q·log σ_b² + Σ b²/σ_b², whose second derivative in σ_b at its minimum is 4q/σ_b²; θ is σ_b/σ, so in θ
 * it is 4q/θ² (the expected information of a variance component, Searle, Casella & McCulloch 1992,
 * ch. 6). Seen only through the data, the effects carry less information than that, so this curvature is
 * an upper bound and the step it gives is no longer than Newton's. The bound is for scalar terms; with a
 * term of several columns (whose θ mixes variances and correlations) there is no such guide, and the
 * optimizer starts from the identity.
 */
import type { ThetaBlock } from './theta.js';

/**
 * θₜ² / (4 qₜ) for each term t (qₜ: its levels), or undefined when some term has several columns or a θₜ
 * that is not positive (no scale there).
 */
export function thetaInverseInformation(blocks: readonly ThetaBlock[], levels: readonly number[], theta: ArrayLike<number>): Float64Array | undefined {
  if (theta.length !== blocks.length || blocks.some((b) => b.columns.length !== 1)) return undefined;
  const out = new Float64Array(theta.length);
  for (let t = 0; t < blocks.length; t++) {
    if (!(theta[t] > 0) || !(levels[t] > 0)) return undefined;
    out[t] = (theta[t] * theta[t]) / (4 * levels[t]);
  }
  return out;
}
