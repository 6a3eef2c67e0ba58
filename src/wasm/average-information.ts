/**
 * The average-information (AI) matrix of the profiled deviance (ML) or REML criterion in θ (Gilmour,
 * Thompson & Cullis 1995; Johnson & Thompson 1995), from the factor of the last evaluation: the curvature
 * `optimizer: 'newton'` takes its steps on (with its exact second-derivative part, below).
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

/** The engine's factor at the last evaluation, and where its columns sit in u. */
export interface ForwardFactor {
  /** The chain terms' part (its `D` is not read). */
  readonly view: FactorView;
  /** The crossed block's supernodal panels (a dense block: one supernode, its panel D) and its column order. */
  readonly panels: PanelLayout & { readonly values: Float64Array; readonly perm: ArrayLike<number> };
  /** Offset of each engine term in u. */
  readonly uoff: Int32Array;
  /** Each dense row's index in u. */
  readonly denseRowU: Int32Array;
  /** Total random effects q (the right-hand sides hold q entries, then p for X). */
  readonly q: number;
}

/**
 * X = L⁻¹C for the m right-hand sides C = [C_u; C_X] (rows: u in the engine's order, then X's p; row-major,
 * m per row), y's row left out. X holds the chain terms' rows at their places in u and the crossed block's
 * (with X) from q on, in the factor's order: only its columns' inner products are meaningful.
 */
export function forwardSolve(F: ForwardFactor, C: Float64Array, m: number): Float64Array {
  const { view: f, uoff, denseRowU, q } = F;
  const { qD, nD, chainLength: s } = f;
  const ny = nD - 1;
  const x = new Float64Array((q + nD) * m);
  const rD = new Float64Array(nD * m);
  for (let r = 0; r < ny; r++) rD.set(C.subarray((r < qD ? denseRowU[r] : q + r - qD) * m).subarray(0, m), r * m);
  for (let j = 0; j < s; j++) x.set(C.subarray(uoff[j] * m, (uoff[j] + f.terms[j].nlev * f.terms[j].p) * m), uoff[j] * m);
  // x[i] −= l·x[j] over the m columns
  const sub = (x: Float64Array, i: number, l: number, y: Float64Array, j: number): void => {
    for (let k = 0; k < m; k++) x[i * m + k] -= l * y[j * m + k];
  };
  // the chain, column block by column block: solve the level's diagonal block, then take its column of L
  // off the later rows it reaches (its ancestors in later chain terms and its dense rows)
  for (let j = 0; j < s; j++) {
    const pj = f.terms[j].p;
    const { ldiag, rowPtr, rows, ld } = f.chain[j];
    const pairs = f.terms.slice(j + 1, s).map((t, k) => ({ ...f.pair(j + 1 + k, j), pi: t.p, off: uoff[j + 1 + k] }));
    for (let l = 0; l < f.terms[j].nlev; l++) {
      const at = uoff[j] + l * pj;
      const d = l * pj * pj;
      for (let a = 0; a < pj; a++) {
        for (let b = 0; b < a; b++) sub(x, at + a, ldiag[d + a * pj + b], x, at + b);
        for (let k = 0; k < m; k++) x[(at + a) * m + k] /= ldiag[d + a * pj + a];
      }
      for (const { par, lpar, pi, off } of pairs) {
        for (let a = 0; a < pi; a++) for (let b = 0; b < pj; b++) sub(x, off + par[l] * pi + a, lpar[(l * pi + a) * pj + b], x, at + b);
      }
      for (let idx = rowPtr[l]; idx < rowPtr[l + 1]; idx++) {
        for (let b = 0; b < pj; b++) sub(rD, rows[idx], ld[idx * pj + b], x, at + b);
      }
    }
  }
  // the crossed block in its factor's order, supernode by supernode, column by column
  const { first, rowPtr, rows, valOff, values, perm } = F.panels;
  const v = x.subarray(q * m);
  for (let r = 0; r < ny; r++) v.set(rD.subarray(r * m, (r + 1) * m), perm[r] * m);
  for (let sn = 0; sn + 1 < first.length; sn++) {
    const w = first[sn + 1] - first[sn];
    const r0 = rowPtr[sn];
    for (let jl = 0; jl < w; jl++) {
      const j = first[sn] + jl;
      if (j === ny) continue;
      for (let k = 0; k < m; k++) v[j * m + k] /= values[valOff[sn] + jl * w + jl];
      for (let a = jl + 1; a < rowPtr[sn + 1] - r0; a++) sub(v, rows[r0 + a], values[valOff[sn] + a * w + jl], v, j);
    }
  }
  // (y's row took updates; it is not part of the solve)
  v.fill(0, ny * m);
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
  /** L⁻¹C for the m right-hand sides C (rows: u in lme4's order, then X's p; row-major, m per row; see `forwardSolve`). */
  readonly solve: (C: Float64Array, m: number) => Float64Array;
  /** The exact gradient at θ: when given, the exact second-derivative part (see `secondDerivativePart`) is added. */
  readonly gradient?: ArrayLike<number>;
}

/** The profiled AI matrix H (nθ × nθ, row-major) described above. */
export function averageInformation(input: AverageInformationInput): Float64Array {
  const { terms, theta, u, residual: e, X, p, nu, solve } = input;
  const n = e.length;
  const q = u.length;
  // per term: its offset in u and T (row-major, from θ)
  let at = 0;
  let k = 0;
  const parts = terms.map((t) => {
    const T = new Float64Array(t.p * t.p);
    for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) T[r * t.p + c] = theta[k++];
    at += t.nlev * t.p;
    return { t, T, off: at - t.nlev * t.p };
  });
  const zte = new Float64Array(q);
  for (const { t, off } of parts) transposeTimes(t.codes, t.z, t.p, e, zte, off, 1, 0);
  // the working variates w_k = Z_t m_k, per level m_g = e_r û_g[c] + T[:,c] (Z'ẽ)_g[r]
  const M: { t: EngineTerm; m: Float64Array }[] = [];
  for (const { t, T, off } of parts) {
    const pt = t.p;
    for (let c = 0; c < pt; c++) {
      for (let r = c; r < pt; r++) {
        const m = new Float64Array(t.nlev * pt);
        for (let g = 0; g < t.nlev * pt; g += pt) {
          m[g + r] += u[off + g + c];
          for (let a = c; a < pt; a++) m[g + a] += T[a * pt + c] * zte[off + g + r];
        }
        M.push({ t, m });
      }
    }
  }
  // w_k'w_l, w_k'ẽ and the right-hand sides C = [Z'W; X'W] (row-major, a column per θ entry), each pass a
  // small loop of its own (V8 optimises small loops within their first call; one large loop stayed slow for
  // several calls)
  const nt = M.length;
  const W = M.map(({ t, m }) => variate(t.codes, t.z, t.p, m, n));
  const G = new Float64Array(nt * nt);
  for (let k = 0; k < nt; k++) for (let l = 0; l <= k; l++) G[k * nt + l] = dot(W[k], W[l]);
  const ew = W.map((w) => dot(w, e));
  const C = new Float64Array((q + p) * nt);
  W.forEach((w, k) => {
    for (const { t, off } of parts) transposeTimes(t.codes, t.z, t.p, w, C, off, nt, k);
    for (let a = 0; a < p; a++) C[(q + a) * nt + k] = dot(X.subarray(a * n, (a + 1) * n), w);
  });
  // Λ'Z'W: T' per level (row a reads rows b ≥ a only, so in place)
  for (const { t, T, off } of parts) {
    const pt = t.p;
    for (let g = off; g < off + t.nlev * pt; g += pt) {
      for (let a = 0; a < pt; a++) {
        for (let k = 0; k < nt; k++) {
          let v = 0;
          for (let b = a; b < pt; b++) v += T[b * pt + a] * C[(g + b) * nt + k];
          C[(g + a) * nt + k] = v;
        }
      }
    }
  }
  const x = solve(C, nt);
  // less the Gram matrix of L⁻¹C's columns
  for (let i = 0; i < x.length; i += nt) {
    for (let a = 0; a < nt; a++) for (let b = 0; b <= a; b++) G[a * nt + b] -= x[i + a] * x[i + b];
  }
  const r2 = dot(e, e) + dot(u, u);
  const H = new Float64Array(nt * nt);
  for (let a = 0; a < nt; a++) {
    for (let b = 0; b <= a; b++) H[a * nt + b] = H[b * nt + a] = (nu / r2) * (G[a * nt + b] - (ew[a] * ew[b]) / r2);
  }
  if (input.gradient) secondDerivativePart(terms, parts.map((x) => x.T), input.gradient, H);
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

/** Z_t m for m over the term's levels (p per level): one value per observation. */
function variate(codes: Int32Array, z: Float64Array, p: number, m: Float64Array, n: number): Float64Array {
  const w = new Float64Array(n);
  if (p === 1) for (let i = 0; i < n; i++) w[i] = z[i] * m[codes[i]];
  else for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) w[i] += z[i * p + a] * m[codes[i] * p + a];
  return w;
}

/** Column k of out (row-major, `stride` columns), rows off + level·p + a: += Z_t'v. */
function transposeTimes(codes: Int32Array, z: Float64Array, p: number, v: Float64Array, out: Float64Array, off: number, stride: number, k: number): void {
  if (p === 1) for (let i = 0; i < v.length; i++) out[(off + codes[i]) * stride + k] += z[i] * v[i];
  else for (let i = 0; i < v.length; i++) for (let a = 0; a < p; a++) out[(off + codes[i] * p + a) * stride + k] += z[i * p + a] * v[i];
}

function dot(a: Float64Array, b: Float64Array): number {
  let v = 0;
  for (let i = 0; i < a.length; i++) v += a[i] * b[i];
  return v;
}
