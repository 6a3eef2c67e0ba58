/**
 * The exact gradient of glmer's Laplace deviance (nAGQ = 1) in (θ, β), as one PIRLS run computes it.
 *
 * lme4's objective is f(θ, β) = Σ dᵢ(μᵢ) + ‖u‖² + log det A (up to a constant), η = offset + Xβ + ZΛu,
 * A = Λ'Z'WZΛ + I with the Fisher weights W = pw μ_η²/V(μ). In the limit u = û, the minimizer of
 * h(u) = Σ dᵢ + ‖u‖², the gradient follows from the envelope theorem (no dû in ∂h), d log det A = tr(A⁻¹dA)
 * and dû = −H⁻¹ ∂²h/∂u∂φ. But f as evaluated (here and in lme4) is a PIRLS run of k steps from a fixed η₀
 * (lme4's lp0): log det A is taken at the weights of the last factorization, at u_{k−1}, and u_{k−1} depends
 * on the parameters differently from û to first order in |η₀ − η̂|. At cbpp's optimum that moves the
 * gradient by 0.01 and lme4's Hessian-based standard errors by 1% — so the run itself is differentiated:
 *
 * Replay. Step j (j = 1 … k) takes W and the working response z' = η − offset + (y − μ)/μ_η at η_{j−1}
 * (η₀ given) and solves A_{j−1} u_j = Λ'Z'Wz'; then η_j = offset + Xβ + ZΛu_j. The run's k (from the engine)
 * is replayed and its u_k checked against the engine's (a run with step halving does not replay: null).
 * Differentiating one step along φ (θ_k: dΛ = ∂Λ/∂θ_k; β_j: X dβ), with ρ_j = z' − ZΛu_j, κ = dz/dη − 1 =
 * −(y − μ)μ_ηη/μ_η², w' = dW/dη = pw (2 μ_η μ_ηη / V − μ_η³ V'/V²), γ = w'ρ_j + Wκ and δ_j = X dβ + Z dΛ u_j:
 *     du_j = A_{j−1}⁻¹ [dΛ'Z'(W ⊙ ρ_j) − Λ'Z'(W ⊙ δ_j) + Λ'Z'(γ ⊙ dη_{j−1})],  dη_j = δ_j + ZΛ du_j,  dη₀ = 0.
 * The deviance's parts: d(Σ dᵢ + ‖u_k‖²) = d'·dη_k + 2u_k·du_k with d'ᵢ = −2 pw (y − μ) μ_η / V at η_k, and
 *     d log det A_{k−1} = 2 Σᵢ Wᵢ (Z dΛ)ᵢ · sᵢ + Σᵢ cᵢ dη_{k−1,i},
 * sᵢ = A_{k−1}⁻¹ (ZΛ)ᵢ', cᵢ = w'ᵢ levᵢ, levᵢ = (ZΛ)ᵢ A_{k−1}⁻¹ (ZΛ)ᵢ' (weights at η_{k−1}). The recursion runs
 * backward (adjoints) so that one solve per step serves every direction: a_k = d', λ_j = A_{j−1}⁻¹ Λ'Z'a_j
 * (+ 2u_k at j = k), a_{j−1} = γ ⊙ ZΛλ_j (+ c at j − 1 = k − 1), and with e_j = a_j − W ⊙ ZΛλ_j
 *     ∂f/∂φ = Σ_j [e_j · δ_j + (W ⊙ ρ_j) · (Z dΛ λ_j)] + 2 Σᵢ Wᵢ (Z dΛ)ᵢ · sᵢ.
 * For θ_k = Λ_t[r][c], (Z dΛ v)ᵢ = z_{i,t,r} v at column (t, level of row i, c).
 *
 * A⁻¹ is needed only where a row has two nonzero columns of ZΛ (a selected inverse). The first term's
 * levels give A a block-diagonal leading block A₁₁; the other terms' columns (few: lme4 orders terms by
 * decreasing levels) form a dense block, so the Schur complement S = A₂₂ − A₂₁A₁₁⁻¹A₁₂ is small and
 * A⁻¹₂₂ = S⁻¹, A⁻¹₁₂ = −A₁₁⁻¹A₁₂S⁻¹, A⁻¹₁₁ = A₁₁⁻¹ + A₁₁⁻¹A₁₂S⁻¹A₂₁A₁₁⁻¹, read level by level. Every solve
 * above is by the same block elimination. The replay runs in the engine (assembly/laplace-gradient.ts).
 */
import { EngineLaplaceGradient, denseOrder, type LaplaceRows } from '../wasm/laplace-gradient.js';
import { PIRLS_MAXIT, PIRLS_TOL } from './pirls.js';

/**
 * Largest dense block (columns of the terms after the first) for which the exact route is used. Each
 * replayed step factors that block, and the trace part inverts it: past a few dozen columns (grouseticks'
 * 181) a gradient costs more than the 2m − 1 extra deviances per gradient that deriv12 spends.
 */
export const MAX_DENSE_ORDER = 64;

/** The exact gradient, and the deviance of its runs. */
export interface LaplaceGradientFn {
  /** ∂f/∂(θ, β) at x (θ: the first nth entries), or null where the run halves a step or fails. */
  (x: Float64Array): Float64Array | null;
  /**
   * The Laplace deviance of the gradient's run at x (an array the gradient was called with), less the
   * family's aic constant (Σ dᵢ + ‖u‖² + log det A: its differences are the deviance's); undefined
   * where the gradient was not computed at that array.
   */
  devianceAt(x: Float64Array): number | undefined;
}

/**
 * The exact gradient of the Laplace deviance of a PIRLS run from η₀ `eta0` (θ: the first `nth` entries of
 * x; `offsetAt(x)`: offset + Xβ), or null where the problem does not suit it (see MAX_DENSE_ORDER). The
 * engine runs PIRLS itself (the steps and the convergence test of PirlsState.run), so a gradient costs no
 * separate deviance evaluation, and it gives that run's deviance too. Its instance is built on first use and
 * pushed onto `owned` (the caller releases it).
 */
export function laplaceGradient(
  rows: LaplaceRows,
  eta0: Float64Array,
  nth: number,
  offsetAt: (x: Float64Array) => Float64Array,
  owned: { release(): void }[],
): LaplaceGradientFn | null {
  if (denseOrder(rows.terms) > MAX_DENSE_ORDER) return null;
  let engine: EngineLaplaceGradient | null = null;
  const deviances = new WeakMap<Float64Array, number>();
  const gradient = (x: Float64Array): Float64Array | null => {
    if (engine === null) {
      engine = new EngineLaplaceGradient(rows);
      owned.push(engine);
    }
    const g = engine.gradient(x.subarray(0, nth), offsetAt(x), eta0, PIRLS_MAXIT, PIRLS_TOL);
    if (g !== null) deviances.set(x, engine.deviance);
    else deviances.delete(x);
    return g;
  };
  return Object.assign(gradient, { devianceAt: (x: Float64Array) => deviances.get(x) });
}
