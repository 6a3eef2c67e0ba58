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
 * above is by the same block elimination.
 */
import { inverseFromLowerFactor } from '../linalg/factor-inverse.js';
import type { Family, LinkName } from './family.js';

/** Largest dense block (columns of the terms after the first) the gradient forms; above it callers use deriv12. */
export const MAX_SCHUR_ORDER = 500;

/** One random-effects term as the gradient reads it (the engine's terms, lme4's order). */
export interface GradientTerm {
  readonly nlev: number;
  readonly p: number;
  readonly codes: Int32Array;
  /** n × p, row by row. */
  readonly z: Float64Array;
}

/** What stays fixed across evaluations: the response, the designs. */
export interface LaplaceProblem {
  readonly family: Family;
  readonly y: Float64Array;
  /** Prior weights (× trials for binomial counts). */
  readonly weights: Float64Array;
  /** X column-major (n × p). */
  readonly X: Float64Array;
  readonly p: number;
  readonly terms: readonly GradientTerm[];
}

/** d²μ/dη² of a link at η (its dμ/dη given), unclamped: the clamps only act where W is negligible. */
function muEtaEta(link: LinkName, eta: number, mu: number, muEta: number): number {
  switch (link) {
    case 'logit':
      return muEta * (1 - 2 * mu);
    case 'probit':
      return -eta * muEta;
    case 'cloglog':
      return muEta * (1 - Math.exp(eta));
    case 'cauchit':
      return (-2 * eta) / (Math.PI * (1 + eta * eta) ** 2);
    case 'log':
      return muEta;
    case 'sqrt':
      return 2;
    case 'identity':
      return 0;
  }
}

/**
 * The block system I + Λ'Z' diag(weight) ZΛ split at the first term: A₁₁ per level (p₀×p₀ factors), A₁₂ per
 * level on the dense columns its rows touch, and the Schur complement's factor. Null when not positive definite.
 */
interface BlockSystem {
  /** Per level of the first term: the Cholesky factor of its block (p₀×p₀, level after level). */
  readonly B: Float64Array;
  /** Per level (from LaplaceGradient's mOff): A₁₁⁻¹A₁₂ on the level's dense columns (p₀ × cols, row-major). */
  readonly M: Float64Array;
  /** The Schur complement's Cholesky factor (q₂ × q₂). */
  readonly S: Float64Array;
}

/** The rows' ZΛ and their column layout, shared by the systems and the gradient. */
interface RowLayout {
  readonly n: number;
  /** Columns of the first term per row (p₀), and of the other terms (k₂ = Σ p_t, t ≥ 1). */
  readonly p0: number;
  readonly k2: number;
  readonly q2: number;
  readonly nlev0: number;
  /** ZΛ per row: first term's part (n × p₀), then the others' (n × k₂). */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Dense column (0 … q₂ − 1) of each of a row's k₂ entries, and its position in the level's column list. */
  readonly bIdx: Int32Array;
  readonly bPos: Int32Array;
  /** Per level of the first term: its dense columns. */
  readonly cols: Int32Array[];
  /** Offsets of each term's columns in a row's k₂ (−1 for the first term) and in the dense block. */
  readonly rowOff: Int32Array;
  readonly denseOff: Int32Array;
}

/** Λ_t (p×p, row-major lower) of every term from θ (column by column, lme4's order). */
function lambdas(terms: readonly GradientTerm[], theta: ArrayLike<number>): Float64Array[] {
  let k = 0;
  return terms.map((t) => {
    const L = new Float64Array(t.p * t.p);
    for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) L[r * t.p + c] = theta[k++];
    return L;
  });
}

/** Column structure of the problem (θ-free: which dense columns each level of the first term meets). */
function columnStructure(terms: readonly GradientTerm[], n: number): Pick<RowLayout, 'k2' | 'q2' | 'bIdx' | 'bPos' | 'cols' | 'rowOff' | 'denseOff'> {
  const t0 = terms[0];
  const rowOff = new Int32Array(terms.length).fill(-1);
  const denseOff = new Int32Array(terms.length).fill(-1);
  let k2 = 0;
  let q2 = 0;
  for (let t = 1; t < terms.length; t++) {
    rowOff[t] = k2;
    denseOff[t] = q2;
    k2 += terms[t].p;
    q2 += terms[t].nlev * terms[t].p;
  }
  const bIdx = new Int32Array(n * k2);
  for (let i = 0; i < n; i++) {
    for (let t = 1; t < terms.length; t++) {
      const pt = terms[t].p;
      const base = denseOff[t] + terms[t].codes[i] * pt;
      for (let a = 0; a < pt; a++) bIdx[i * k2 + rowOff[t] + a] = base + a;
    }
  }
  // per level of the first term, its dense columns in first-seen order, and each row entry's position there
  const bPos = new Int32Array(n * k2);
  const lists: number[][] = Array.from({ length: t0.nlev }, () => []);
  const seen = new Int32Array(q2).fill(-1);
  const posOf = new Int32Array(q2);
  const byLevel: number[][] = Array.from({ length: t0.nlev }, () => []);
  for (let i = 0; i < n; i++) byLevel[t0.codes[i]].push(i);
  for (let g = 0; g < t0.nlev; g++) {
    const list = lists[g];
    for (const i of byLevel[g]) {
      for (let k = 0; k < k2; k++) {
        const j = bIdx[i * k2 + k];
        if (seen[j] !== g) {
          seen[j] = g;
          posOf[j] = list.length;
          list.push(j);
        }
        bPos[i * k2 + k] = posOf[j];
      }
    }
  }
  return { k2, q2, bIdx, bPos, cols: lists.map((l) => Int32Array.from(l)), rowOff, denseOff };
}

/** In-place lower Cholesky factor of the p×p block at `off` (lower triangle read); false when not positive definite. */
function choleskyInPlace(A: Float64Array, off: number, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let d = A[off + j * p + j];
    for (let k = 0; k < j; k++) d -= A[off + j * p + k] * A[off + j * p + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[off + j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let v = A[off + i * p + j];
      for (let k = 0; k < j; k++) v -= A[off + i * p + k] * A[off + j * p + k];
      A[off + i * p + j] = v / ljj;
    }
  }
  return true;
}

/** out[at + r·stride] = (LL')⁻¹ b[at + r·stride] for the p×p factor L at `off` (out and b may not overlap). */
function cholSolveInPlace(L: Float64Array, off: number, p: number, out: Float64Array, b: Float64Array, at: number, stride: number): void {
  for (let r = 0; r < p; r++) {
    let v = b[at + r * stride];
    for (let k = 0; k < r; k++) v -= L[off + r * p + k] * out[at + k * stride];
    out[at + r * stride] = v / L[off + r * p + r];
  }
  for (let r = p - 1; r >= 0; r--) {
    let v = out[at + r * stride];
    for (let k = r + 1; k < p; k++) v -= L[off + k * p + r] * out[at + k * stride];
    out[at + r * stride] = v / L[off + r * p + r];
  }
}

/** Dense columns a glmer model's gradient would form: the terms after the first. */
export function schurOrder(terms: readonly GradientTerm[]): number {
  let q2 = 0;
  for (let t = 1; t < terms.length; t++) q2 += terms[t].nlev * terms[t].p;
  return q2;
}

/**
 * Computes the exact Laplace gradient for one problem; built once per fit (the column structure is θ-free),
 * then called after each PIRLS run.
 */
export class LaplaceGradient {
  private readonly problem: LaplaceProblem;
  private readonly structure: ReturnType<typeof columnStructure>;
  private readonly n: number;

  constructor(problem: LaplaceProblem) {
    this.problem = problem;
    this.n = problem.y.length;
    this.structure = columnStructure(problem.terms, this.n);
    const p0 = problem.terms[0].p;
    const cols = this.structure.cols;
    this.mOff = new Int32Array(cols.length + 1);
    for (let g = 0; g < cols.length; g++) this.mOff[g + 1] = this.mOff[g] + p0 * cols[g].length;
  }
  /** Offset of each level's block of A₁₂ and M (p₀ × the level's dense columns). */
  private readonly mOff: Int32Array;
  /**
   * Work arrays kept between calls, by name: large typed arrays allocated per call would make the
   * collector run far more often than the arithmetic needs (their memory lives outside the heap).
   */
  private readonly pool = new Map<string, Float64Array>();

  /** The work array `name` of `len` doubles, zeroed when `zero` (its contents are otherwise stale). */
  private buf(name: string, len: number, zero = false): Float64Array {
    let v = this.pool.get(name);
    if (v === undefined || v.length !== len) {
      v = new Float64Array(len);
      this.pool.set(name, v);
    } else if (zero) v.fill(0);
    return v;
  }

  /** ZΛ row by row at θ. */
  private layout(theta: ArrayLike<number>): RowLayout {
    const { terms } = this.problem;
    const n = this.n;
    const L = lambdas(terms, theta);
    const s = this.structure;
    const p0 = terms[0].p;
    const a = this.buf('a', n * p0);
    const b = this.buf('b', n * s.k2);
    terms.forEach((t, ti) => {
      const pt = t.p;
      const Lt = L[ti];
      const out = ti === 0 ? a : b;
      const stride = ti === 0 ? p0 : s.k2;
      const off = ti === 0 ? 0 : s.rowOff[ti];
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < pt; c++) {
          let v = 0;
          for (let r = c; r < pt; r++) v += t.z[i * pt + r] * Lt[r * pt + c];
          out[i * stride + off + c] = v;
        }
      }
    });
    return { n, p0, nlev0: terms[0].nlev, a, b, ...s };
  }

  /** I + Λ'Z' diag(weight) ZΛ in blocks, factored; null when not positive definite. */
  private system(lay: RowLayout, weight: Float64Array, tag: string): BlockSystem | null {
    const { n, p0, k2, q2, nlev0, a, b, bPos, bIdx, cols } = lay;
    const mOff = this.mOff;
    const codes = this.problem.terms[0].codes;
    const pp = p0 * p0;
    const B = this.buf('B' + tag, nlev0 * pp, true);
    for (let g = 0; g < nlev0; g++) for (let d = 0; d < p0; d++) B[g * pp + d * p0 + d] = 1;
    const A12 = this.buf('A12', mOff[nlev0], true);
    const A22 = this.buf('S' + tag, q2 * q2, true);
    for (let d = 0; d < q2; d++) A22[d * q2 + d] = 1;
    for (let i = 0; i < n; i++) {
      const w = weight[i];
      const g = codes[i];
      const o11 = g * pp;
      const o12 = mOff[g];
      const nc = cols[g].length;
      for (let r = 0; r < p0; r++) {
        const ar = w * a[i * p0 + r];
        for (let c = 0; c <= r; c++) B[o11 + r * p0 + c] += ar * a[i * p0 + c];
        for (let k = 0; k < k2; k++) A12[o12 + r * nc + bPos[i * k2 + k]] += ar * b[i * k2 + k];
      }
      for (let k = 0; k < k2; k++) {
        const bk = w * b[i * k2 + k];
        const rk = bIdx[i * k2 + k] * q2;
        for (let l = 0; l < k2; l++) A22[rk + bIdx[i * k2 + l]] += bk * b[i * k2 + l];
      }
    }
    const M = this.buf('M' + tag, mOff[nlev0]);
    for (let g = 0; g < nlev0; g++) {
      if (!choleskyInPlace(B, g * pp, p0)) return null;
      const nc = cols[g].length;
      const o = mOff[g];
      // M = A₁₁⁻¹A₁₂ column by column (the columns are strided by nc)
      for (let k = 0; k < nc; k++) cholSolveInPlace(B, g * pp, p0, M, A12, o + k, nc);
      // S −= A₂₁ A₁₁⁻¹ A₁₂ on the level's columns (the lower triangle, all the factorization reads)
      const cg = cols[g];
      for (let k = 0; k < nc; k++) {
        const row = cg[k] * q2;
        for (let l = 0; l < nc; l++) {
          const col = cg[l];
          if (col > cg[k]) continue;
          let v = 0;
          for (let r = 0; r < p0; r++) v += A12[o + r * nc + k] * M[o + r * nc + l];
          A22[row + col] -= v;
        }
      }
    }
    if (!choleskyInPlace(A22, 0, q2)) return null;
    return { B, M, S: A22 };
  }

  /** x = (I + Λ'Z' diag(weight) ZΛ)⁻¹ rhs by block elimination (rhs: first term's q₁, then the dense q₂). */
  private solve(lay: RowLayout, sys: BlockSystem, rhs: Float64Array, x: Float64Array): Float64Array {
    const { p0, q2, nlev0, cols } = lay;
    const mOff = this.mOff;
    const q1 = nlev0 * p0;
    const pp = p0 * p0;
    // y₁ = A₁₁⁻¹ r₁ (into x); r₂ − A₂₁ y₁ = r₂ − M' r₁ → S x₂; x₁ = y₁ − M x₂
    const r2 = this.buf('r2', q2);
    r2.set(rhs.subarray(q1));
    for (let g = 0; g < nlev0; g++) {
      cholSolveInPlace(sys.B, g * pp, p0, x, rhs, g * p0, 1);
      const o = mOff[g];
      const cg = cols[g];
      const nc = cg.length;
      for (let k = 0; k < nc; k++) {
        let v = 0;
        for (let r = 0; r < p0; r++) v += sys.M[o + r * nc + k] * rhs[g * p0 + r];
        r2[cg[k]] -= v;
      }
    }
    if (q2 > 0) {
      const x2 = x.subarray(q1);
      cholSolveInPlace(sys.S, 0, q2, x2, r2, 0, 1);
      for (let g = 0; g < nlev0; g++) {
        const o = mOff[g];
        const cg = cols[g];
        const nc = cg.length;
        for (let r = 0; r < p0; r++) {
          let v = x[g * p0 + r];
          for (let k = 0; k < nc; k++) v -= sys.M[o + r * nc + k] * x2[cg[k]];
          x[g * p0 + r] = v;
        }
      }
    }
    return x;
  }

  /** Λ'Z'v (q values, lme4's order of u) for a value per row. */
  private scatter(lay: RowLayout, v: Float64Array, out: Float64Array): Float64Array {
    const { n, p0, k2, nlev0, a, b, bIdx } = lay;
    const q1 = nlev0 * p0;
    const codes0 = this.problem.terms[0].codes;
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      const g = codes0[i];
      for (let r = 0; r < p0; r++) out[g * p0 + r] += vi * a[i * p0 + r];
      for (let k = 0; k < k2; k++) out[q1 + bIdx[i * k2 + k]] += vi * b[i * k2 + k];
    }
    return out;
  }

  /** out = base + ZΛu row by row (base may be null: 0). */
  private rowsTimes(lay: RowLayout, u: ArrayLike<number>, base: ArrayLike<number> | null, out: Float64Array): Float64Array {
    const { n, p0, k2, nlev0, a, b, bIdx } = lay;
    const q1 = nlev0 * p0;
    const codes0 = this.problem.terms[0].codes;
    for (let i = 0; i < n; i++) {
      const g = codes0[i] * p0;
      let v = base === null ? 0 : base[i];
      for (let r = 0; r < p0; r++) v += a[i * p0 + r] * u[g + r];
      for (let k = 0; k < k2; k++) v += b[i * k2 + k] * u[q1 + bIdx[i * k2 + k]];
      out[i] = v;
    }
    return out;
  }

  /**
   * ∂f/∂(θ, β) of the deviance as a PIRLS run of `steps` steps from η₀ computes it, at θ and the β inside
   * `offset` (offset + Xβ, n values); `u` is the run's result, against which the replay is checked. Null when
   * a system is not positive definite or the replay does not reach the run's u (step halving).
   */
  gradient(theta: ArrayLike<number>, offset: ArrayLike<number>, eta0: ArrayLike<number>, steps: number, u: ArrayLike<number>): Float64Array | null {
    const { family, y, weights, X, p, terms } = this.problem;
    const n = this.n;
    const link = family.link;
    const lay = this.layout(theta);
    const { p0, k2, q2, nlev0, a, b, bIdx, bPos, cols } = lay;
    const q1 = nlev0 * p0;
    const q = q1 + q2;
    const codes0 = terms[0].codes;
    const binomial = family.family === 'binomial';
    if (steps < 1) return null;
    // the replay: step j from η_{j−1} (η₀ given): W, the working response z' = η − offset + (y − μ)/μ_η,
    // u_j = A_{j−1}⁻¹ Λ'Z'W z'; kept per step: W, γ = w'ρ + Wκ (ρ = z' − ZΛu_j, κ = dz/dη − 1), the factor, u_j
    const kept: { W: Float64Array; gamma: Float64Array; rho: Float64Array; wp: Float64Array; sys: BlockSystem; u: Float64Array }[] = [];
    let eta: Float64Array = this.buf('etaStart', n);
    eta.set(eta0);
    const wz = this.buf('wz', n);
    const rhs = this.buf('rhs', q);
    for (let j = 1; j <= steps; j++) {
      const W = this.buf('W' + j, n);
      const wp = this.buf('wp' + j, n);
      const kappa = this.buf('kappa', n);
      const zp = this.buf('zp', n);
      for (let i = 0; i < n; i++) {
        const e = eta[i];
        const mu = link.linkinv(e);
        const me = link.muEta(e);
        const mee = muEtaEta(link.name, e, mu, me);
        const V = family.variance(mu);
        const Vp = binomial ? 1 - 2 * mu : 1;
        const pw = weights[i];
        W[i] = (pw * me * me) / V;
        wp[i] = pw * ((2 * me * mee) / V - (me * me * me * Vp) / (V * V));
        kappa[i] = (-(y[i] - mu) * mee) / (me * me);
        zp[i] = e - offset[i] + (y[i] - mu) / me;
        wz[i] = W[i] * zp[i];
      }
      const sys = this.system(lay, W, String(j));
      if (sys === null) return null;
      const uj = this.solve(lay, sys, this.scatter(lay, wz, rhs), this.buf('u' + j, q));
      const gamma = this.buf('gamma' + j, n);
      const rho = this.buf('rho' + j, n);
      const next = this.rowsTimes(lay, uj, offset, this.buf('eta' + j, n));
      for (let i = 0; i < n; i++) {
        rho[i] = zp[i] - (next[i] - offset[i]);
        gamma[i] = wp[i] * rho[i] + W[i] * kappa[i];
      }
      kept.push({ W, gamma, rho, wp, sys, u: uj });
      eta = next;
    }
    const uk = kept[steps - 1].u;
    let scale = 1;
    let diff = 0;
    for (let j = 0; j < q; j++) {
      scale = Math.max(scale, Math.abs(u[j]));
      diff = Math.max(diff, Math.abs(u[j] - uk[j]));
    }
    if (!(diff <= 1e-6 * scale)) return null;
    // d'ᵢ at û = u_k
    const dp = this.buf('dp', n);
    for (let i = 0; i < n; i++) {
      const e = eta[i];
      const mu = link.linkinv(e);
      dp[i] = (-2 * weights[i] * (y[i] - mu) * link.muEta(e)) / family.variance(mu);
    }
    // log det A_{k−1}: A = I + Λ'Z'WZΛ at η_{k−1} (the last factorization); its selected inverse, level by
    // level of the first term: N = −M S⁻¹ on the level's columns, A⁻¹₁₁ = B⁻¹ − N M'
    const last = kept[steps - 1];
    const W = last.W;
    const sysA = last.sys;
    const Sinv = q2 > 0 ? inverseFromLowerFactor(sysA.S, q2) : new Float64Array(0);
    const mOff = this.mOff;
    const pp = p0 * p0;
    const N = this.buf('N', mOff[nlev0]);
    const A11inv = this.buf('A11inv', nlev0 * pp);
    const unit = this.buf('unit', p0);
    const colv = this.buf('colv', p0);
    for (let g = 0; g < nlev0; g++) {
      const cg = cols[g];
      const nc = cg.length;
      const o = mOff[g];
      for (let r = 0; r < p0; r++) {
        for (let l = 0; l < nc; l++) {
          const sl = cg[l];
          let v = 0;
          for (let k = 0; k < nc; k++) v += sysA.M[o + r * nc + k] * Sinv[cg[k] * q2 + sl];
          N[o + r * nc + l] = -v;
        }
      }
      // B⁻¹ column by column, then − N M'
      for (let cc = 0; cc < p0; cc++) {
        unit.fill(0);
        unit[cc] = 1;
        cholSolveInPlace(sysA.B, g * pp, p0, colv, unit, 0, 1);
        for (let r = 0; r < p0; r++) {
          let v = 0;
          for (let k = 0; k < nc; k++) v += N[o + r * nc + k] * sysA.M[o + cc * nc + k];
          A11inv[g * pp + r * p0 + cc] = colv[r] - v;
        }
      }
    }
    // sᵢ = A⁻¹ (ZΛ)ᵢ' on the row's columns (first p₀, then k₂), levᵢ, cᵢ = w'ᵢ levᵢ
    const K = p0 + k2;
    const s = this.buf('s', n * K);
    const c = this.buf('c', n);
    for (let i = 0; i < n; i++) {
      const g = codes0[i];
      const ia = g * pp;
      const on = mOff[g];
      const nc = cols[g].length;
      let lev = 0;
      for (let r = 0; r < p0; r++) {
        let v = 0;
        for (let cc = 0; cc < p0; cc++) v += A11inv[ia + r * p0 + cc] * a[i * p0 + cc];
        for (let k = 0; k < k2; k++) v += N[on + r * nc + bPos[i * k2 + k]] * b[i * k2 + k];
        s[i * K + r] = v;
        lev += v * a[i * p0 + r];
      }
      for (let k = 0; k < k2; k++) {
        const pk = bPos[i * k2 + k];
        const jk = bIdx[i * k2 + k] * q2;
        let v = 0;
        for (let r = 0; r < p0; r++) v += N[on + r * nc + pk] * a[i * p0 + r];
        for (let l = 0; l < k2; l++) v += Sinv[jk + bIdx[i * k2 + l]] * b[i * k2 + l];
        s[i * K + p0 + k] = v;
        lev += v * b[i * k2 + k];
      }
      c[i] = last.wp[i] * lev;
    }
    // The replay's derivatives, in reverse (one solve per step for all directions at once). Forward, each
    // direction φ has du_j = A_{j−1}⁻¹ [dΛ'Z'(W ⊙ ρ_j) − Λ'Z'(W ⊙ δ_j) + Λ'Z'(γ ⊙ dη_{j−1})], dη_j = δ_j + ZΛ du_j,
    // dη₀ = 0, with δ_j = X dβ + Z dΛ u_j (W, γ of step j), and ∂f = d'·dη_k + 2u_k·du_k + c·dη_{k−1} + the trace
    // part. Backward from a_k = d', λ_j = A_{j−1}⁻¹ Λ'Z'a_j (plus 2u_k at j = k), a_{j−1} = γ ⊙ ZΛλ_j (plus c at
    // j − 1 = k − 1): ∂f = Σ_j [e_j·δ_j + (W ⊙ ρ_j)·(Z dΛ λ_j)] + trace part, e_j = a_j − W ⊙ ZΛλ_j.
    let nth = 0;
    for (const t of terms) nth += (t.p * (t.p + 1)) / 2;
    const grad = new Float64Array(nth + p);
    const uoff = new Int32Array(terms.length);
    for (let t = 1; t < terms.length; t++) uoff[t] = q1 + lay.denseOff[t];
    const adj = this.buf('adj', n);
    adj.set(dp);
    const zl = this.buf('zl', n);
    const ej = this.buf('ej', n);
    const E = this.buf('E', n, true);
    const wr = this.buf('wr', n);
    const lrhs = this.buf('lrhs', q);
    for (let j = steps; j >= 1; j--) {
      const st = kept[j - 1];
      this.scatter(lay, adj, lrhs);
      if (j === steps) for (let l = 0; l < q; l++) lrhs[l] += 2 * uk[l];
      const lambda = this.solve(lay, st.sys, lrhs, this.buf('lambda', q));
      this.rowsTimes(lay, lambda, null, zl);
      for (let i = 0; i < n; i++) {
        ej[i] = adj[i] - st.W[i] * zl[i];
        E[i] += ej[i];
        wr[i] = st.W[i] * st.rho[i];
      }
      // θ: Σᵢ z_{i,t,r} (e_j,i u_j[(t, gᵢ, c)] + Wᵢρ_j,i λ_j[(t, gᵢ, c)])
      let k = 0;
      terms.forEach((t, ti) => {
        const pt = t.p;
        for (let cc = 0; cc < pt; cc++) {
          for (let r = cc; r < pt; r++) {
            const base = uoff[ti] + cc;
            let g = 0;
            for (let i = 0; i < n; i++) {
              const zr = t.z[i * pt + r];
              if (zr === 0) continue;
              const col = base + t.codes[i] * pt;
              g += zr * (ej[i] * st.u[col] + wr[i] * lambda[col]);
            }
            grad[k++] += g;
          }
        }
      });
      if (j > 1) {
        // γ of step j multiplies dη_{j−1} in the forward recursion
        const gam = st.gamma;
        for (let i = 0; i < n; i++) adj[i] = gam[i] * zl[i] + (j - 1 === steps - 1 ? c[i] : 0);
      }
    }
    // β: X'E
    for (let l = 0; l < p; l++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += X[l * n + i] * E[i];
      grad[nth + l] = g;
    }
    // the trace part: 2 Σᵢ Wᵢ z_{i,t,r} sᵢ[(t, c)] at the last factorization's weights
    {
      let k = 0;
      terms.forEach((t, ti) => {
        const pt = t.p;
        for (let cc = 0; cc < pt; cc++) {
          const sOff = (ti === 0 ? 0 : p0 + lay.rowOff[ti]) + cc;
          for (let r = cc; r < pt; r++) {
            let g = 0;
            for (let i = 0; i < n; i++) g += W[i] * t.z[i * pt + r] * s[i * K + sOff];
            grad[k++] += 2 * g;
          }
        }
      });
    }
    return grad;
  }
}
