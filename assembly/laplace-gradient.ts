// The exact gradient of glmer's Laplace deviance (nAGQ = 1) in (θ, β), as one PIRLS run computes it: the run
// (pirls.ts's steps from η₀), each step kept, then differentiated backward, one adjoint solve per step for
// every direction.
// The derivation is in src/fit/laplace-gradient.ts (the boundary's caller); in short, with A_{j−1} =
// I + Λ'Z'W_{j−1}ZΛ the system of step j, ρ_j = z'_j − ZΛu_j, γ_j = w'ρ_j + Wκ (κ = dz/dη − 1, w' = dW/dη):
//   backward from a_k = d' (dev. residuals' derivative at η_k): λ_j = A_{j−1}⁻¹(Λ'Z'a_j [+ 2u_k at j = k]),
//   e_j = a_j − W ⊙ ZΛλ_j, a_{j−1} = γ_j ⊙ ZΛλ_j [+ c at j − 1 = k − 1], c = w' ⊙ leverage at η_{k−1},
//   ∂f/∂φ = Σ_j [e_j · (X dβ + Z dΛ u_j) + (W ρ_j) · (Z dΛ λ_j)] + 2 Σᵢ Wᵢ (Z dΛ)ᵢ A⁻¹(ZΛ)ᵢ'.
// A is solved by block elimination: the first term's levels (block diagonal A₁₁, p₀×p₀ per level), then the
// other terms' columns as one dense Schur complement S = A₂₂ − A₂₁A₁₁⁻¹A₁₂ (few columns: lme4 orders the
// terms by decreasing levels). The trace term reads A⁻¹ on each row's columns (a selected inverse).
//
// Everything lives in the caller's memory, described by the i32 table `tab` (fields F_* below, mirrored by
// src/wasm/laplace-gradient.ts). A level's block of A₁₂ (and of M = A₁₁⁻¹A₁₂, N = −M S⁻¹) holds its dense
// columns one after another, p₀ values each.

import { getF, getI, setF, setI } from './memory';
import { cholLower, solveRowByLt, solveLtInPlace, dot } from './dense';
import { inverseFromLower } from './triangular-inverse';
import {
  FAMILY_BINOMIAL, LINK_LOGIT, LINK_PROBIT, LINK_CLOGLOG, LINK_CAUCHIT, LINK_LOG, LINK_SQRT, linkinvDeriv, variance, devResid,
} from './glm-family';
// exp as PIRLS computes it (fdlibm's, V8's bits)
import { exp, log } from './fdlibm';

// the table's fields (addresses unless said otherwise)
export const LG_N: i32 = 0; // rows (count)
export const LG_P: i32 = 1; // fixed effects (count)
export const LG_K: i32 = 2; // terms (count)
export const LG_FAMILY: i32 = 3; // FAMILY_* code
export const LG_LINK: i32 = 4; // LINK_* code
export const LG_Y: i32 = 5; // f64[n] response (proportions for binomial)
export const LG_WT: i32 = 6; // f64[n] prior weights
export const LG_X: i32 = 7; // f64[n·p] X, column-major
export const LG_TP: i32 = 8; // i32[k] columns per level of each term
export const LG_TNLEV: i32 = 9; // i32[k] levels of each term
export const LG_TCODES: i32 = 10; // i32[k] address of each term's codes (i32[n])
export const LG_TZ: i32 = 11; // i32[k] address of each term's model matrix (f64[n·p_t], row by row)
export const LG_TLAMBDA: i32 = 12; // i32[k] address of each term's T (f64[p_t²], row-major lower) at θ
export const LG_K2: i32 = 13; // Σ p_t over the terms after the first (count)
export const LG_Q2: i32 = 14; // their columns, the dense block's order (count)
export const LG_BIDX: i32 = 15; // i32[n·k2] dense column of each of a row's k2 entries
export const LG_BPOS: i32 = 16; // i32[n·k2] its position among its first-term level's dense columns
export const LG_COLSTART: i32 = 17; // i32[ℓ₀ + 1] start of each first-term level's dense columns in LG_COLS
export const LG_COLS: i32 = 18; // i32[…] the dense columns each first-term level meets, ascending
export const LG_ROWOFF: i32 = 19; // i32[k] offset of term t's entries in a row's k2 (t ≥ 1)
export const LG_DENSEOFF: i32 = 20; // i32[k] offset of term t's columns in the dense block (t ≥ 1)
export const LG_STEPS: i32 = 21; // i32[7·cap] per replayed step: W, γ, Wρ, B (A₁₁ factors), M, S, u_j
export const LG_CAP: i32 = 22; // steps the table holds (count)
export const LG_OFFSET: i32 = 23; // f64[n] offset + Xβ (input)
export const LG_ETA0: i32 = 24; // f64[n] the run's start η₀ (input)
export const LG_TAKEN: i32 = 25; // steps the last run took (output, count)
export const LG_GRAD: i32 = 26; // f64[nθ + p + 1] the result, then the run's deviance (less aic's constant)
export const LG_WORK: i32 = 27; // f64 scratch: 17n + 2 + 2n(p₀ + k2) + 3q + 2·tot + ℓ₀p₀² + 2q2² + p₀ (tot: Σ_levels p₀ × dense columns)
export const LG_CACHED: i32 = 28; // 1 when the first step's rows at η₀ are still in the scratch (the caller clears it with a new η₀)
export const LG_FIELDS: i32 = 29;

// @ts-ignore: decorator
@inline function fld(tab: usize, f: i32): i32 {
  return getI(tab, f);
}

// @ts-ignore: decorator
@inline function adr(tab: usize, f: i32): usize {
  return <usize>getI(tab, f);
}

// @ts-ignore: decorator
@inline function f64Ptr(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

/** Sizes used throughout one call (set by `laplaceGradient`). */
let n: i32 = 0;
let k: i32 = 0;
let p0: i32 = 0;
let k2: i32 = 0;
let q2: i32 = 0;
let l0: i32 = 0;
let q1: i32 = 0;
let q: i32 = 0;
let tot: i32 = 0; // Σ over first-term levels of p₀ × its dense columns
let T: usize = 0;
let codes0: usize = 0;
let colStart: usize = 0;
let cols: usize = 0;
let bIdx: usize = 0;
let bPos: usize = 0;
let rowA: usize = 0; // f64[n·p₀] ZΛ of the first term per row
let rowB: usize = 0; // f64[n·k2] ZΛ of the others per row

/** d²μ/dη² at η (μ, dμ/dη given), unclamped: the clamps only act where W is negligible. */
function muEtaEta(link: i32, eta: f64, mu: f64, me: f64): f64 {
  switch (link) {
    case LINK_LOGIT: return me * (1.0 - 2.0 * mu);
    case LINK_PROBIT: return -eta * me;
    case LINK_CLOGLOG: return me * (1.0 - exp(eta));
    case LINK_CAUCHIT: {
      const d = 1.0 + eta * eta;
      return (-2.0 * eta) / (Math.PI * d * d);
    }
    case LINK_LOG: return me;
    case LINK_SQRT: return 2.0;
    default: return 0.0;
  }
}

/** μ (into mu) and dμ/dη (into dmu) at η for every row, as PIRLS computes them. */
function linkRows(link: i32, eta: usize, mu: usize, dmu: usize): void {
  for (let i = 0; i < n; i++) setF(mu, i, linkinvDeriv(link, getF(eta, i), f64Ptr(dmu, i)));
}

/** ZΛ row by row (first term into rowA, the others into rowB). */
function rowsOfZLambda(): void {
  for (let t = 0; t < k; t++) {
    const pt = getI(adr(T, LG_TP), t);
    const z = <usize>getI(adr(T, LG_TZ), t);
    const L = <usize>getI(adr(T, LG_TLAMBDA), t);
    const out = t == 0 ? rowA : rowB;
    const stride = t == 0 ? p0 : k2;
    const off = t == 0 ? 0 : getI(adr(T, LG_ROWOFF), t);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < pt; c++) {
        let v = 0.0;
        for (let r = c; r < pt; r++) v += getF(z, i * pt + r) * getF(L, r * pt + c);
        setF(out, i * stride + off + c, v);
      }
    }
  }
}

/**
 * I + Λ'Z' diag(w) ZΛ in blocks, factored: B (per first-term level, p₀×p₀), M = A₁₁⁻¹A₁₂ (per level, its
 * dense columns), S (q2×q2, the Schur complement's factor); a12 is scratch. False when not positive definite.
 */
function system(w: usize, B: usize, M: usize, S: usize, a12: usize): bool {
  const pp = p0 * p0;
  memory.fill(B, 0, (<usize>(l0 * pp)) << 3);
  for (let g = 0; g < l0; g++) for (let d = 0; d < p0; d++) setF(B, g * pp + d * p0 + d, 1.0);
  memory.fill(a12, 0, (<usize>tot) << 3);
  memory.fill(S, 0, (<usize>(q2 * q2)) << 3);
  for (let d = 0; d < q2; d++) setF(S, d * q2 + d, 1.0);
  for (let i = 0; i < n; i++) {
    const wi = getF(w, i);
    const g = getI(codes0, i);
    const o11 = g * pp;
    const o12 = getI(colStart, g) * p0;
    for (let r = 0; r < p0; r++) {
      const ar = wi * getF(rowA, i * p0 + r);
      for (let c = 0; c <= r; c++) setF(B, o11 + r * p0 + c, getF(B, o11 + r * p0 + c) + ar * getF(rowA, i * p0 + c));
      for (let e = 0; e < k2; e++) {
        const at = o12 + getI(bPos, i * k2 + e) * p0 + r;
        setF(a12, at, getF(a12, at) + ar * getF(rowB, i * k2 + e));
      }
    }
    for (let e = 0; e < k2; e++) {
      const be = wi * getF(rowB, i * k2 + e);
      const re = getI(bIdx, i * k2 + e);
      for (let f = 0; f < k2; f++) {
        const cf = getI(bIdx, i * k2 + f);
        if (cf <= re) setF(S, re * q2 + cf, getF(S, re * q2 + cf) + be * getF(rowB, i * k2 + f));
      }
    }
  }
  for (let g = 0; g < l0; g++) {
    const bg = f64Ptr(B, g * pp);
    if (cholLower(bg, p0, p0) != 0) return false;
    const c0 = getI(colStart, g);
    const nc = getI(colStart, g + 1) - c0;
    const o = c0 * p0;
    if (p0 == 1) {
      // a scalar first term: (LL')⁻¹ is two divisions, as cholSolve makes them
      const d = getF(bg, 0);
      for (let e = 0; e < nc; e++) setF(M, o + e, getF(a12, o + e) / d / d);
    } else {
      memory.copy(f64Ptr(M, o), f64Ptr(a12, o), (<usize>(nc * p0)) << 3);
      for (let e = 0; e < nc; e++) cholSolve(bg, p0, f64Ptr(M, o + e * p0));
    }
    // S −= A₂₁A₁₁⁻¹A₁₂ on the level's columns (lower triangle: the level's columns are ascending)
    for (let e = 0; e < nc; e++) {
      const ce = getI(cols, c0 + e);
      for (let f = 0; f <= e; f++) {
        const cf = getI(cols, c0 + f);
        let v = 0.0;
        for (let r = 0; r < p0; r++) v += getF(a12, o + e * p0 + r) * getF(M, o + f * p0 + r);
        setF(S, ce * q2 + cf, getF(S, ce * q2 + cf) - v);
      }
    }
  }
  return q2 == 0 || cholLower(S, q2, q2) == 0;
}

/** log det A from the factors of `system`: 2 Σ log of the diagonals of A₁₁'s blocks and of S's. */
function logDet(B: usize, S: usize): f64 {
  let sum = 0.0;
  const pp = p0 * p0;
  for (let g = 0; g < l0; g++) for (let r = 0; r < p0; r++) sum += log(getF(B, g * pp + r * p0 + r));
  for (let d = 0; d < q2; d++) sum += log(getF(S, d * q2 + d));
  return 2.0 * sum;
}

/** v ← (LL')⁻¹ v for the p×p lower factor L. */
function cholSolve(L: usize, p: i32, v: usize): void {
  solveRowByLt(L, p, p, v);
  solveLtInPlace(L, p, p, v);
}

/** x = A⁻¹ rhs by block elimination with the factors of `system` (r2: q2 doubles of scratch). */
function solve(B: usize, M: usize, S: usize, rhs: usize, x: usize, r2: usize): void {
  const pp = p0 * p0;
  memory.copy(r2, f64Ptr(rhs, q1), (<usize>q2) << 3);
  memory.copy(x, rhs, (<usize>q1) << 3);
  for (let g = 0; g < l0; g++) {
    cholSolve(f64Ptr(B, g * pp), p0, f64Ptr(x, g * p0));
    const c0 = getI(colStart, g);
    const nc = getI(colStart, g + 1) - c0;
    for (let e = 0; e < nc; e++) {
      const ce = getI(cols, c0 + e);
      let v = 0.0;
      for (let r = 0; r < p0; r++) v += getF(M, (c0 + e) * p0 + r) * getF(rhs, g * p0 + r);
      setF(r2, ce, getF(r2, ce) - v);
    }
  }
  if (q2 == 0) return;
  const x2 = f64Ptr(x, q1);
  memory.copy(x2, r2, (<usize>q2) << 3);
  cholSolve(S, q2, x2);
  for (let g = 0; g < l0; g++) {
    const c0 = getI(colStart, g);
    const nc = getI(colStart, g + 1) - c0;
    for (let e = 0; e < nc; e++) {
      const xe = getF(x2, getI(cols, c0 + e));
      const m = f64Ptr(M, (c0 + e) * p0);
      for (let r = 0; r < p0; r++) setF(x, g * p0 + r, getF(x, g * p0 + r) - getF(m, r) * xe);
    }
  }
}

/** out = Λ'Z'v (q values) for a value per row. */
function scatter(v: usize, out: usize): void {
  memory.fill(out, 0, (<usize>q) << 3);
  for (let i = 0; i < n; i++) {
    const vi = getF(v, i);
    const g = getI(codes0, i) * p0;
    for (let r = 0; r < p0; r++) setF(out, g + r, getF(out, g + r) + vi * getF(rowA, i * p0 + r));
    for (let e = 0; e < k2; e++) {
      const at = q1 + getI(bIdx, i * k2 + e);
      setF(out, at, getF(out, at) + vi * getF(rowB, i * k2 + e));
    }
  }
}

/** out = base + ZΛu row by row (base 0: none). */
function rowsTimes(u: usize, base: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const g = getI(codes0, i) * p0;
    let v = base == 0 ? 0.0 : getF(base, i);
    for (let r = 0; r < p0; r++) v += getF(rowA, i * p0 + r) * getF(u, g + r);
    for (let e = 0; e < k2; e++) v += getF(rowB, i * k2 + e) * getF(u, q1 + getI(bIdx, i * k2 + e));
    setF(out, i, v);
  }
}

/** Σ deviance residuals at μ, as assembly/pirls.ts sums them (rows in order). */
function devianceSum(fam: i32, y: usize, wt: usize, mu: usize): f64 {
  let sum = 0.0;
  for (let i = 0; i < n; i++) sum += devResid(fam, getF(y, i), getF(wt, i), getF(mu, i));
  return sum;
}

/**
 * One PIRLS run at the T's in LG_TLAMBDA and the β inside LG_OFFSET, from η₀, as assembly/pirls.ts's pirlsRun
 * takes it (the same steps, the same convergence test on the penalized deviance), kept step by step, and
 * ∂f/∂(θ, β) of its Laplace deviance into LG_GRAD. Returns 0; 1 when a system is not positive definite, the
 * run would halve a step or does not converge in `maxit` steps (the caller falls back to differences of the
 * deviance); 2 when LG_CAP steps are not enough (the caller adds step buffers and calls again).
 */
export function laplaceGradient(tab: usize, maxit: i32, tol: f64): i32 {
  T = tab;
  n = fld(tab, LG_N);
  const p = fld(tab, LG_P);
  k = fld(tab, LG_K);
  const fam = fld(tab, LG_FAMILY);
  const link = fld(tab, LG_LINK);
  const binomial = fam == FAMILY_BINOMIAL;
  const y = adr(tab, LG_Y);
  const wt = adr(tab, LG_WT);
  const tp = adr(tab, LG_TP);
  p0 = getI(tp, 0);
  l0 = getI(adr(tab, LG_TNLEV), 0);
  k2 = fld(tab, LG_K2);
  q2 = fld(tab, LG_Q2);
  q1 = l0 * p0;
  q = q1 + q2;
  colStart = adr(tab, LG_COLSTART);
  cols = adr(tab, LG_COLS);
  tot = getI(colStart, l0) * p0;
  codes0 = <usize>getI(adr(tab, LG_TCODES), 0);
  bIdx = adr(tab, LG_BIDX);
  bPos = adr(tab, LG_BPOS);
  const stepTab = adr(tab, LG_STEPS);
  const offset = adr(tab, LG_OFFSET);
  // scratch, in the order of the size formula at LG_WORK
  const K = p0 + k2;
  let w = adr(tab, LG_WORK);
  const eta = w; w = f64Ptr(w, n);
  const next = w; w = f64Ptr(w, n);
  const zp = w; w = f64Ptr(w, n);
  const adj = w; w = f64Ptr(w, n);
  const kappa = w; w = f64Ptr(w, n);
  const wp = w; w = f64Ptr(w, n);
  const zl = w; w = f64Ptr(w, n);
  const E = w; w = f64Ptr(w, n);
  const c = w; w = f64Ptr(w, n);
  const dp = w; w = f64Ptr(w, n);
  const muBuf = w; w = f64Ptr(w, n);
  const dmuBuf = w; w = f64Ptr(w, n);
  // the first step's rows at η₀ (the same for every call from one η₀): w', κ, η + (y − μ)/μ_η
  const wp0 = w; w = f64Ptr(w, n);
  const kappa0 = w; w = f64Ptr(w, n);
  const zb0 = w; w = f64Ptr(w, n);
  rowA = w; w = f64Ptr(w, n * p0);
  rowB = w; w = f64Ptr(w, n * k2);
  const s = w; w = f64Ptr(w, n * K);
  const rhs = w; w = f64Ptr(w, q);
  const lambda = w; w = f64Ptr(w, q);
  const r2 = w; w = f64Ptr(w, q);
  const a12 = w; w = f64Ptr(w, tot);
  const N = w; w = f64Ptr(w, tot);
  const a11inv = w; w = f64Ptr(w, l0 * p0 * p0);
  const sInv = w; w = f64Ptr(w, q2 * q2);
  const iwork = w; w = f64Ptr(w, q2 * q2);
  const unit = w;

  rowsOfZLambda();
  memory.copy(eta, adr(tab, LG_ETA0), (<usize>n) << 3);
  if (fld(tab, LG_CACHED) != 1) linkRows(link, eta, muBuf, dmuBuf);
  // the run: step j at η_{j−1} (μ, μ_η at it in muBuf, dmuBuf): W, z' = η − offset + (y − μ)/μ_η,
  // u_j = A_{j−1}⁻¹ Λ'Z'W z', η_j = offset + ZΛu_j
  let steps = 0;
  let oldpdev = F64.MAX_VALUE;
  let finalPdev = 0.0;
  for (let j = 0; j < maxit; j++) {
    if (j >= fld(tab, LG_CAP)) return 2;
    const st = stepTab + ((<usize>(7 * j)) << 2);
    const W = <usize>getI(st, 0);
    const gamma = <usize>getI(st, 1);
    const wr = <usize>getI(st, 2);
    const B = <usize>getI(st, 3);
    const M = <usize>getI(st, 4);
    const S = <usize>getI(st, 5);
    const uj = <usize>getI(st, 6);
    const cached = j == 0 && fld(tab, LG_CACHED) == 1;
    const wpj = j == 0 ? wp0 : wp;
    const kj = j == 0 ? kappa0 : kappa;
    if (!cached) {
      for (let i = 0; i < n; i++) {
        const e = getF(eta, i);
        const mu = getF(muBuf, i);
        const me = getF(dmuBuf, i);
        const mee = muEtaEta(link, e, mu, me);
        const V = variance(fam, mu);
        const Vp = binomial ? 1.0 - 2.0 * mu : 1.0;
        const pw = getF(wt, i);
        setF(W, i, (pw * me * me) / V);
        setF(wpj, i, pw * ((2.0 * me * mee) / V - (me * me * me * Vp) / (V * V)));
        setF(kj, i, (-(getF(y, i) - mu) * mee) / (me * me));
        setF(zp, i, e + (getF(y, i) - mu) / me);
      }
      if (j == 0) {
        memory.copy(zb0, zp, (<usize>n) << 3);
        setI(tab, LG_CACHED, 1);
      }
    } else memory.copy(zp, zb0, (<usize>n) << 3);
    for (let i = 0; i < n; i++) {
      const z = getF(zp, i) - getF(offset, i);
      setF(zp, i, z);
      setF(adj, i, getF(W, i) * z);
    }
    if (!system(W, B, M, S, a12)) return 1;
    scatter(adj, rhs);
    solve(B, M, S, rhs, uj, r2);
    rowsTimes(uj, offset, next);
    for (let i = 0; i < n; i++) {
      const rho = getF(zp, i) - (getF(next, i) - getF(offset, i));
      setF(gamma, i, getF(wpj, i) * rho + getF(W, i) * getF(kj, i));
      setF(wr, i, getF(W, i) * rho);
    }
    memory.copy(eta, next, (<usize>n) << 3);
    linkRows(link, eta, muBuf, dmuBuf);
    let sq = 0.0;
    for (let l = 0; l < q; l++) sq += getF(uj, l) * getF(uj, l);
    const pdev = devianceSum(fam, y, wt, muBuf) + sq;
    if (Math.abs((oldpdev - pdev) / pdev) < tol) {
      steps = j + 1;
      finalPdev = pdev;
      break;
    }
    if (isNaN(pdev) || pdev > oldpdev) return 1;
    oldpdev = pdev;
  }
  if (steps == 0) return 1;
  setI(tab, LG_TAKEN, steps);
  // η holds η_k; w' at η_{k−1}:
  const wpLast = steps == 1 ? wp0 : wp;
  const last = stepTab + ((<usize>(7 * (steps - 1))) << 2);
  const uk = <usize>getI(last, 6);
  for (let i = 0; i < n; i++) {
    const mu = getF(muBuf, i);
    setF(dp, i, (-2.0 * getF(wt, i) * (getF(y, i) - mu) * getF(dmuBuf, i)) / variance(fam, mu));
  }
  // A_{k−1}⁻¹ on each row's columns: S⁻¹ (full), per first-term level N = −M S⁻¹ on its dense columns and
  // A⁻¹₁₁ = B⁻¹ − N M'
  const Wl = <usize>getI(last, 0);
  const Bl = <usize>getI(last, 3);
  const Ml = <usize>getI(last, 4);
  const Sl = <usize>getI(last, 5);
  if (q2 > 0) inverseFromLower(Sl, q2, q2, sInv, iwork);
  const pp = p0 * p0;
  for (let g = 0; g < l0; g++) {
    const c0 = getI(colStart, g);
    const nc = getI(colStart, g + 1) - c0;
    for (let f = 0; f < nc; f++) {
      const cf = getI(cols, c0 + f);
      for (let r = 0; r < p0; r++) {
        let v = 0.0;
        for (let e = 0; e < nc; e++) v += getF(Ml, (c0 + e) * p0 + r) * getF(sInv, getI(cols, c0 + e) * q2 + cf);
        setF(N, (c0 + f) * p0 + r, -v);
      }
    }
    for (let cc = 0; cc < p0; cc++) {
      memory.fill(unit, 0, (<usize>p0) << 3);
      setF(unit, cc, 1.0);
      cholSolve(f64Ptr(Bl, g * pp), p0, unit);
      for (let r = 0; r < p0; r++) {
        let v = 0.0;
        for (let e = 0; e < nc; e++) v += getF(N, (c0 + e) * p0 + r) * getF(Ml, (c0 + e) * p0 + cc);
        setF(a11inv, g * pp + r * p0 + cc, getF(unit, r) - v);
      }
    }
  }
  // sᵢ = A⁻¹(ZΛ)ᵢ' on the row's columns (first p₀, then k2), cᵢ = w'ᵢ (ZΛ)ᵢ sᵢ
  for (let i = 0; i < n; i++) {
    const g = getI(codes0, i);
    const c0 = getI(colStart, g);
    let lev = 0.0;
    for (let r = 0; r < p0; r++) {
      let v = 0.0;
      for (let cc = 0; cc < p0; cc++) v += getF(a11inv, g * pp + r * p0 + cc) * getF(rowA, i * p0 + cc);
      for (let e = 0; e < k2; e++) v += getF(N, (c0 + getI(bPos, i * k2 + e)) * p0 + r) * getF(rowB, i * k2 + e);
      setF(s, i * K + r, v);
      lev += v * getF(rowA, i * p0 + r);
    }
    for (let e = 0; e < k2; e++) {
      const ne = f64Ptr(N, (c0 + getI(bPos, i * k2 + e)) * p0);
      const je = getI(bIdx, i * k2 + e) * q2;
      let v = 0.0;
      for (let r = 0; r < p0; r++) v += getF(ne, r) * getF(rowA, i * p0 + r);
      for (let f = 0; f < k2; f++) v += getF(sInv, je + getI(bIdx, i * k2 + f)) * getF(rowB, i * k2 + f);
      setF(s, i * K + p0 + e, v);
      lev += v * getF(rowB, i * k2 + e);
    }
    setF(c, i, getF(wpLast, i) * lev);
  }
  // backward: one solve per step for all directions
  const grad = adr(tab, LG_GRAD);
  let nth = 0;
  for (let t = 0; t < k; t++) nth += (getI(tp, t) * (getI(tp, t) + 1)) >> 1;
  memory.fill(grad, 0, (<usize>(nth + p)) << 3);
  memory.fill(E, 0, (<usize>n) << 3);
  memory.copy(adj, dp, (<usize>n) << 3);
  const ej = kappa; // free again (step 0's κ is kept in kappa0)
  for (let j = steps - 1; j >= 0; j--) {
    const st = stepTab + ((<usize>(7 * j)) << 2);
    const W = <usize>getI(st, 0);
    const wr = <usize>getI(st, 2);
    const uj = <usize>getI(st, 6);
    scatter(adj, rhs);
    if (j == steps - 1) for (let l = 0; l < q; l++) setF(rhs, l, getF(rhs, l) + 2.0 * getF(uk, l));
    solve(<usize>getI(st, 3), <usize>getI(st, 4), <usize>getI(st, 5), rhs, lambda, r2);
    rowsTimes(lambda, 0, zl);
    for (let i = 0; i < n; i++) {
      const e = getF(adj, i) - getF(W, i) * getF(zl, i);
      setF(ej, i, e);
      setF(E, i, getF(E, i) + e);
    }
    // θ: Σᵢ z_{i,t,r} (e_j,i u_j[(t, gᵢ, c)] + Wᵢρ_j,i λ_j[(t, gᵢ, c)])
    thetaSums(grad, ej, uj, wr, lambda, 0);
    if (j > 0) {
      const gamma = <usize>getI(st, 1);
      for (let i = 0; i < n; i++) setF(adj, i, getF(gamma, i) * getF(zl, i) + (j == steps - 1 ? getF(c, i) : 0.0));
    }
  }
  // β: X'E
  const X = adr(tab, LG_X);
  for (let l = 0; l < p; l++) setF(grad, nth + l, dot(f64Ptr(X, l * n), E, n));
  // after the gradient, the run's Laplace deviance less aic's constant: Σ dᵢ + ‖u_k‖² + log det A_{k−1}
  setF(grad, nth + p, finalPdev + logDet(<usize>getI(last, 3), <usize>getI(last, 5)));
  // the trace part: 2 Σᵢ Wᵢ z_{i,t,r} sᵢ[(t, c)] at the last factorization's weights
  thetaSums(grad, Wl, 0, 0, s, K);
  return 0;
}

/**
 * Adds to grad's θ entries, term by term, column c, row r ≥ c: Σᵢ z_{i,t,r} (aᵢ x[(t, gᵢ, c)] + bᵢ y[(t, gᵢ, c)])
 * with x and y indexed by u's columns; or, with `stride` > 0 (the trace part), Σᵢ 2 aᵢ z_{i,t,r} y[i·stride + the
 * row's entry of (t, c)].
 */
function thetaSums(grad: usize, a: usize, x: usize, b: usize, yv: usize, stride: i32): void {
  let at = 0;
  for (let t = 0; t < k; t++) {
    const pt = getI(adr(T, LG_TP), t);
    const codes = <usize>getI(adr(T, LG_TCODES), t);
    const z = <usize>getI(adr(T, LG_TZ), t);
    const uoff = t == 0 ? 0 : q1 + getI(adr(T, LG_DENSEOFF), t);
    const soff = t == 0 ? 0 : p0 + getI(adr(T, LG_ROWOFF), t);
    for (let cc = 0; cc < pt; cc++) {
      for (let r = cc; r < pt; r++) {
        let acc = 0.0;
        for (let i = 0; i < n; i++) {
          const zr = getF(z, i * pt + r);
          if (zr == 0.0) continue;
          if (stride > 0) acc += 2.0 * getF(a, i) * zr * getF(yv, i * stride + soff + cc);
          else {
            const col = uoff + getI(codes, i) * pt + cc;
            acc += zr * (getF(a, i) * getF(x, col) + getF(b, i) * getF(yv, col));
          }
        }
        setF(grad, at, getF(grad, at) + acc);
        at++;
      }
    }
  }
}
