/**
 * The average-information (AI) matrix of the profiled deviance (ML) or REML criterion in θ (Gilmour,
 * Thompson & Cullis 1995; Johnson & Thompson 1995), from the factor of the last evaluation: the curvature
 * `optimizer: 'newton'` starts from.
 *
 * With V = σ²Ṽ, Ṽ = I + ZΛΛ'Z', Ṽ_k = ∂Ṽ/∂θ_k = Z(Λ_kΛ' + ΛΛ_k')Z', and P̃ the projection of the
 * penalized least-squares fit (P̃w = the residual of w regressed on [ZΛ X] with the penalty ‖u‖²), the
 * data part of the Hessian in θ and σ² is the Gram matrix of the "working variates" w_k = Ṽ_k ẽ
 * (ẽ = P̃y = y − Xβ̂ − ZΛû) under P̃. Profiling σ² out (a Schur complement of the (θ, σ²) matrix at
 * σ̂² = r²/ν, ν = n or n − p) gives
 *     H_ij = (ν / r²) [w_i'P̃w_j − (w_i'ẽ)(w_j'ẽ) / r²],
 * positive semi-definite, equal in expectation to the Hessian where V is linear in the parameters. No
 * trace is needed: w_i'P̃w_j = w_i'w_j − x_i'x_j with x_i = L⁻¹[Λ'Z'w_i; X'w_i], one forward solve with
 * the factor L of [Λ'Z'ZΛ + I, Λ'Z'X; X'ZΛ, X'X] per θ entry. On term t with ∂T_t/∂θ_k = e_r e_c', an
 * observation i at level g gets w_k[i] = z_i[r]·û_g[c] + (z_i'T_t[:,c])·(Z'ẽ)_g[r], since T_t'(Z'ẽ)_g = û_g
 * (the normal equations).
 */
import type { FactorView } from './conditional-variance.js';
import type { EngineTerm } from './mixed-engine.js';
import type { PanelLayout } from './sparse-gradient.js';

/** The crossed block's factor when it is factored sparse: the supernodal panels and its column order. */
export interface SparseFactorView extends PanelLayout {
  /** The panels (supernode s at valOff[s], rows × columns row-major). */
  readonly values: Float64Array;
  /** Each dense row's column in the factor's order. */
  readonly perm: Int32Array;
}

/** The engine's factor at the last evaluation, and where its columns sit in u. */
export interface ForwardFactor {
  readonly view: FactorView;
  /** The sparse crossed block, or null when `view.D` holds it dense. */
  readonly sparse: SparseFactorView | null;
  /** Offset of each engine term in u. */
  readonly uoff: Int32Array;
  /** Each dense row's index in u. */
  readonly denseRowU: Int32Array;
  /** Total random effects q (the right-hand sides hold q entries, then p for X). */
  readonly q: number;
}

/**
 * x = L⁻¹c for c = [c_u; c_X] (u in the engine's order, then X's p entries), y's row left out. The result
 * holds the chain terms' part at their places in u and the crossed block's (with X) from q on, in the
 * factor's order: only its inner products are meaningful.
 */
export function forwardSolve(F: ForwardFactor, c: Float64Array): Float64Array {
  const { view: f, sparse, uoff, denseRowU, q } = F;
  const { qD, nD, chainLength: s } = f;
  const ny = nD - 1;
  const x = new Float64Array(q + ny);
  const rD = x.subarray(q);
  for (let r = 0; r < ny; r++) rD[r] = r < qD ? c[denseRowU[r]] : c[q + r - qD];
  for (let j = 0; j < s; j++) {
    const off = uoff[j];
    const pj = f.terms[j].p;
    for (let a = off; a < off + f.terms[j].nlev * pj; a++) x[a] = c[a];
  }
  // the chain, column block by column block: solve the level's diagonal block, then take its column of L
  // off the later rows it reaches (its ancestors in later chain terms and its dense rows)
  for (let j = 0; j < s; j++) {
    const pj = f.terms[j].p;
    const { ldiag, rowPtr, rows, ld } = f.chain[j];
    const pairs: { par: Int32Array; lpar: Float64Array; pi: number; off: number }[] = [];
    for (let i = j + 1; i < s; i++) pairs.push({ ...f.pair(i, j), pi: f.terms[i].p, off: uoff[i] });
    for (let l = 0; l < f.terms[j].nlev; l++) {
      const at = uoff[j] + l * pj;
      const d = l * pj * pj;
      for (let a = 0; a < pj; a++) {
        let v = x[at + a];
        for (let b = 0; b < a; b++) v -= ldiag[d + a * pj + b] * x[at + b];
        x[at + a] = v / ldiag[d + a * pj + a];
      }
      for (let k = 0; k < pairs.length; k++) {
        const { par, lpar, pi, off } = pairs[k];
        const ai = off + par[l] * pi;
        const blk = l * pi * pj;
        for (let a = 0; a < pi; a++) {
          let v = 0;
          for (let b = 0; b < pj; b++) v += lpar[blk + a * pj + b] * x[at + b];
          x[ai + a] -= v;
        }
      }
      if (pj === 1) {
        const xa = x[at];
        for (let idx = rowPtr[l]; idx < rowPtr[l + 1]; idx++) {
          const r = rows[idx];
          if (r < ny) rD[r] -= ld[idx] * xa;
        }
        continue;
      }
      for (let idx = rowPtr[l]; idx < rowPtr[l + 1]; idx++) {
        const r = rows[idx];
        if (r >= ny) continue;
        let v = 0;
        for (let b = 0; b < pj; b++) v += ld[idx * pj + b] * x[at + b];
        rD[r] -= v;
      }
    }
  }
  if (sparse === null) {
    const D = f.D;
    for (let r = 0; r < ny; r++) {
      let v = rD[r];
      const row = r * nD;
      for (let k = 0; k < r; k++) v -= D[row + k] * rD[k];
      rD[r] = v / D[row + r];
    }
    return x;
  }
  // the sparse block in its factor's order, supernode by supernode, column by column
  const { first, rowPtr, rows, valOff, values, perm } = sparse;
  const v = new Float64Array(nD);
  for (let r = 0; r < ny; r++) v[perm[r]] = rD[r];
  for (let sn = 0; sn + 1 < first.length; sn++) {
    const f0 = first[sn];
    const w = first[sn + 1] - f0;
    const r0 = rowPtr[sn];
    const m = rowPtr[sn + 1] - r0;
    const panel = valOff[sn];
    for (let jl = 0; jl < w; jl++) {
      const j = f0 + jl;
      if (j === ny) continue;
      const xj = (v[j] /= values[panel + jl * w + jl]);
      for (let a = jl + 1; a < m; a++) {
        const r = rows[r0 + a];
        if (r !== ny) v[r] -= values[panel + a * w + jl] * xj;
      }
    }
  }
  rD.set(v.subarray(0, ny));
  return x;
}

/** What the AI matrix reads besides the factor, all at the θ of the last evaluation (lme4's order of terms and u). */
export interface AverageInformationInput {
  readonly terms: readonly EngineTerm[];
  readonly theta: ArrayLike<number>;
  readonly u: Float64Array;
  /** ẽ = y − Xβ̂ − ZΛû. */
  readonly residual: Float64Array;
  /** X, column-major n × p. */
  readonly X: Float64Array;
  readonly p: number;
  /** ν: n (ML) or n − p (REML). */
  readonly nu: number;
  /** L⁻¹[c_u; c_X] for c_u in lme4's order of u (see `forwardSolve`). */
  readonly solve: (c: Float64Array) => Float64Array;
  /** The exact gradient at θ: when given, the exact second-derivative part (see `secondDerivativePart`) is added. */
  readonly gradient?: ArrayLike<number>;
}

/** The profiled AI matrix H (nθ × nθ, row-major) described above. */
export function averageInformation(input: AverageInformationInput): Float64Array {
  const { terms, theta, u, residual: e, X, p, nu, solve } = input;
  const n = e.length;
  const q = u.length;
  const uoff: number[] = [];
  let at = 0;
  for (const t of terms) {
    uoff.push(at);
    at += t.nlev * t.p;
  }
  // T_t row-major from θ, and Z'ẽ
  const T: Float64Array[] = [];
  let k0 = 0;
  for (const t of terms) {
    const m = new Float64Array(t.p * t.p);
    for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) m[r * t.p + c] = theta[k0++];
    T.push(m);
  }
  const zte = new Float64Array(q);
  for (let j = 0; j < terms.length; j++) {
    const { p: pt, codes, z } = terms[j];
    for (let i = 0; i < n; i++) {
      const g = uoff[j] + codes[i] * pt;
      for (let a = 0; a < pt; a++) zte[g + a] += z[i * pt + a] * e[i];
    }
  }
  // the working variates w_k, and x_k = L⁻¹[Λ'Z'w_k; X'w_k]
  const W: Float64Array[] = [];
  const xs: Float64Array[] = [];
  const ew: number[] = [];
  for (let j = 0; j < terms.length; j++) {
    const t = terms[j];
    const pt = t.p;
    const Tt = T[j];
    for (let c = 0; c < pt; c++) {
      for (let r = c; r < pt; r++) {
        // per level: w = Z_t m with m_g = e_r û_g[c] + T[:,c] (Z'ẽ)_g[r]
        const mv = new Float64Array(t.nlev * pt);
        for (let l = 0; l < t.nlev; l++) {
          const g = uoff[j] + l * pt;
          mv[l * pt + r] += u[g + c];
          for (let a = c; a < pt; a++) mv[l * pt + a] += Tt[a * pt + c] * zte[g + r];
        }
        const w = new Float64Array(n);
        spread(t, mv, w);
        const ewk = dotN(w, e);
        const rhs = new Float64Array(q + p);
        for (let js = 0; js < terms.length; js++) lambdaTimesZt(terms[js], T[js], uoff[js], w, rhs);
        for (let a = 0; a < p; a++) {
          let v = 0;
          for (let i = 0; i < n; i++) v += X[a * n + i] * w[i];
          rhs[q + a] = v;
        }
        W.push(w);
        xs.push(solve(rhs));
        ew.push(ewk);
      }
    }
  }
  let r2 = 0;
  for (let i = 0; i < n; i++) r2 += e[i] * e[i];
  for (let a = 0; a < q; a++) r2 += u[a] * u[a];
  const m = W.length;
  const H = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let v = 0;
      const wa = W[a];
      const wb = W[b];
      for (let i = 0; i < n; i++) v += wa[i] * wb[i];
      const xa = xs[a];
      const xb = xs[b];
      for (let i = 0; i < xa.length; i++) v -= xa[i] * xb[i];
      H[a * m + b] = H[b * m + a] = (nu / r2) * (v - (ew[a] * ew[b]) / r2);
    }
  }
  if (input.gradient) secondDerivativePart(terms, T, input.gradient, H);
  return H;
}

/**
 * Adds the part of the Hessian that the AI matrix leaves out where Ṽ is not linear in θ: the terms in
 * ∂²Ṽ/∂θ_i∂θ_j = Z(I ⊗ (E_iE_j' + E_jE_i'))Z', non-zero for θ_i, θ_j in one column c of one T (then
 * E_iE_j' = e_{r_i}e_{r_j}'). Each derivative enters the deviance through one linear functional
 * F(S) = tr(M Z(I⊗S)Z') − (ν/r²) ẽ'Z(I⊗S)Z'ẽ = Σ K_ab S_ab (M = Ṽ⁻¹ by ML, P̃ by REML) of a symmetric
 * p × p K per term, so ∂d/∂θ_k = F(E_kT' + TE_k') = 2(KT)[r_k][c_k] and the part left out is
 * 2K[r_i][r_j]. K comes from the exact gradient by back-substitution through T (which needs T's diagonal
 * non-zero; a column with a zero diagonal gets nothing). This is the AI matrix taken in the parameters
 * Ṽ is linear in (Σ = TT') and carried to θ by the chain rule: for a scalar term it adds g_k/θ_k, the
 * curvature the AI matrix alone misses where θ_k tends to 0. Away from the optimum it may be negative.
 */
function secondDerivativePart(terms: readonly EngineTerm[], T: Float64Array[], g: ArrayLike<number>, H: Float64Array): void {
  const m = g.length;
  let k0 = 0;
  for (let j = 0; j < terms.length; j++) {
    const p = terms[j].p;
    const Tt = T[j];
    // index of θ entry (r, c) of this term
    const idx = (r: number, c: number): number => k0 + c * p - (c * (c - 1)) / 2 + (r - c);
    const K = new Float64Array(p * p);
    const usable = new Uint8Array(p);
    for (let c = p - 1; c >= 0; c--) {
      const t = Tt[c * p + c];
      if (t === 0) continue;
      usable[c] = 1;
      for (let r = p - 1; r >= c; r--) {
        let v = g[idx(r, c)] / 2;
        for (let b = c + 1; b < p; b++) v -= K[r * p + b] * Tt[b * p + c];
        K[r * p + c] = K[c * p + r] = v / t;
      }
    }
    for (let c = 0; c < p; c++) {
      if (!usable[c]) continue;
      for (let ri = c; ri < p; ri++) {
        for (let rj = c; rj < p; rj++) H[idx(ri, c) * m + idx(rj, c)] += 2 * K[ri * p + rj];
      }
    }
    k0 += (p * (p + 1)) / 2;
  }
}

/** out[term's part] += T'Z'w, level by level ((T'z_i)_a = Σ_{b ≥ a} T[b][a] z_i[b]). */
function lambdaTimesZt(t: EngineTerm, T: Float64Array, off: number, w: Float64Array, out: Float64Array): void {
  const { p, codes, z } = t;
  const n = w.length;
  if (p === 1) {
    const t00 = T[0];
    for (let i = 0; i < n; i++) out[off + codes[i]] += t00 * z[i] * w[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = off + codes[i] * p;
    const wi = w[i];
    for (let a = 0; a < p; a++) {
      let v = 0;
      for (let b = a; b < p; b++) v += T[b * p + a] * z[i * p + b];
      out[g + a] += v * wi;
    }
  }
}

/** w = Z_t m for m over the term's levels (p per level). */
function spread(t: EngineTerm, m: Float64Array, w: Float64Array): void {
  const { p, codes, z } = t;
  const n = w.length;
  if (p === 1) {
    for (let i = 0; i < n; i++) w[i] = z[i] * m[codes[i]];
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = codes[i] * p;
    let v = 0;
    for (let a = 0; a < p; a++) v += z[i * p + a] * m[g + a];
    w[i] = v;
  }
}

function dotN(a: Float64Array, b: Float64Array): number {
  let v = 0;
  for (let i = 0; i < a.length; i++) v += a[i] * b[i];
  return v;
}
