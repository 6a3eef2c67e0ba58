// PIRLS (penalized iteratively reweighted least squares) for glmer, whole runs in one call: each step
// has new working weights W, so the blocks of [ZΛ X z]'W[ZΛ X z] are accumulated again from the rows.
// When every term is scalar the blocks are accumulated straight from the unweighted rows (scalarSystem);
// otherwise the rows are weighted in place (√w times the unweighted copies kept here) and setup.ts's one
// pass runs unchanged on them. factor.ts and solve.ts are used through their usual entry points, and
// glm-family.ts gives μ, dμ/dη, the variance and the deviance residuals row by row.

import { getF, getI, setF, setI } from './memory';
import { sparseOn } from './sparse';
import { setupChainTerm, setupDense, addGatheredRow, gatherXY, mirrorDense } from './setup';
import { factorBlocks, takeLogDets, ldL2 } from './factor';
import { solveBetaU, computeB } from './solve';
import {
  FAMILY_BINOMIAL, FAMILY_POISSON, LINK_LOGIT, LINK_LOG,
  linkinvDeriv, logitFromExp, logFromExp, logitFromExpX2, logFromExpX2, variance, varianceX2, devResidFromLogs, devResid,
} from './glm-family';
import { simdOn } from './dense';
import { exp as fexp, log1p as flog1p, exp2x, log2x, logInPlace } from './fdlibm';

import {
  nObs, nFixed, nTerms, nChain, nDense, qDense, xPtr, yPtr, addPtr, posPtr, scratchPtr,
  tf, pf, T_P, T_NLEV, T_Z, T_ADIAG, T_ROWPTR, T_ROWS, T_AD, T_CODES, T_UOFF, T_DOFF, T_PERM, T_LEVSTART, P_APAR,
} from './model';

// With the SIMD kernels μ, the deviance and the aic take exp and log two rows at a time (fdlibm.ts's exp2x and
// log2x: the same bits as fexp and flog, fewer operations issued per row).

/** log1p over `n` doubles at `ptr`, in place. */
function log1pInPlace(ptr: usize, n: i32): void {
  for (let i = 0; i < n; i++) setF(ptr, i, flog1p(getF(ptr, i)));
}

let x0Ptr: usize = 0; // f64[n·p] unweighted X, column-major
let z0Tab: usize = 0; // i32[k] address of each term's unweighted model matrix (row by row)

/** Registers the unweighted copies of X and of the terms' model matrices (filled by the TypeScript side). */
export function definePirls(x0: usize, z0: usize): void {
  x0Ptr = x0;
  z0Tab = z0;
}

// @ts-ignore: decorator
@inline function zero(ptr: usize, len: i32): void {
  memory.fill(ptr, 0, (<usize>len) << 3);
}

/**
 * Writes √w times the unweighted rows of X and of every term's Z into the engine's row buffers and
 * clears the accumulated blocks, so that setupChainTerm / setupDense build the weighted system next.
 * The weighted working response (the y buffer) is written by the caller.
 */
export function weightRows(sqrtw: usize): void {
  const n = nObs;
  for (let col = 0; col < nFixed; col++) {
    const off = col * n;
    for (let r = 0; r < n; r++) setF(xPtr, off + r, getF(x0Ptr, off + r) * getF(sqrtw, r));
  }
  for (let t = 0; t < nTerms; t++) {
    const pt = tf(t, T_P);
    const z = <usize>tf(t, T_Z);
    const z0 = <usize>getI(z0Tab, t);
    for (let r = 0; r < n; r++) {
      const s = getF(sqrtw, r);
      for (let a = 0; a < pt; a++) setF(z, r * pt + a, getF(z0, r * pt + a) * s);
    }
  }
  clearBlocks();
}

/** Zeroes every block that setup.ts accumulates into (the chain terms' blocks and the dense block). */
function clearBlocks(): void {
  for (let j = 0; j < nChain; j++) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    zero(<usize>tf(j, T_ADIAG), lj * pj * pj);
    zero(<usize>tf(j, T_AD), getI(<usize>tf(j, T_ROWPTR), lj) * pj);
    for (let i = j + 1; i < nChain; i++) zero(<usize>pf(i, j, P_APAR), lj * tf(i, T_P) * pj);
  }
  zero(addPtr, nDense * nDense);
}

/**
 * eta (n doubles) = Xβ + Zb from the unweighted rows (solve.ts's computeFitted reads the weighted ones).
 * Column by column and term by term over all rows: each row still sums its parts in the same order
 * (X's columns, then the terms), so the bits are those of a row-by-row loop.
 */
export function computeEta(beta: usize, b: usize, eta: usize): void {
  const n = nObs;
  zero(eta, n);
  for (let col = 0; col < nFixed; col++) {
    const x = x0Ptr + ((<usize>(col * n)) << 3);
    const bc = getF(beta, col);
    for (let r = 0; r < n; r++) setF(eta, r, getF(eta, r) + getF(x, r) * bc);
  }
  for (let t = 0; t < nTerms; t++) {
    const pt = tf(t, T_P);
    const codes = <usize>tf(t, T_CODES);
    const z = <usize>getI(z0Tab, t);
    const bt = b + ((<usize>tf(t, T_UOFF)) << 3);
    if (pt == 1) {
      for (let r = 0; r < n; r++) setF(eta, r, getF(eta, r) + getF(z, r) * getF(bt, getI(codes, r)));
      continue;
    }
    for (let r = 0; r < n; r++) {
      const zr = z + ((<usize>(r * pt)) << 3);
      const br = bt + ((<usize>(getI(codes, r) * pt)) << 3);
      let s = getF(eta, r);
      for (let a = 0; a < pt; a++) s += getF(zr, a) * getF(br, a);
      setF(eta, r, s);
    }
  }
}

// ---- the whole PIRLS run (lme4's pwrssUpdate) in one call ----

/** What `pirlsRun` returns besides PIRLS_OK. */
export const PIRLS_OK: i32 = 0;
export const PIRLS_NOT_PD: i32 = 1; // Λ'Z'WZΛ + I (or the y pivot) not positive definite: the deviance is +∞
export const PIRLS_SINGULAR_X: i32 = 2; // R_X lost its rank while factoring
export const PIRLS_NAN: i32 = 3; // step halving ended at NaN
export const PIRLS_HALVING_FAILED: i32 = 4; // (maxstephalfit)
export const PIRLS_MAXIT: i32 = 5; // no convergence in maxit steps

/** Results of the last `pirlsRun`: the Laplace deviance ldL2 + ‖u‖² + aic, its parts, the steps taken. */
export let pirlsLaplace: f64 = 0.0;
export let pirlsPdev: f64 = 0.0;
export let pirlsLdL2: f64 = 0.0;
export let pirlsSqrL: f64 = 0.0;
export let pirlsSteps: i32 = 0;

// the response side (set by defineGlm before each run: several PIRLS states may share one engine)
let famCode: i32 = 0;
let linkCode: i32 = 0;
let gY: usize = 0; // f64[n] response (proportions for binomial)
let gWt: usize = 0; // f64[n] prior weights
let gAic: usize = 0; // f64[4n] per-row aic pieces: the μ-free constant, x, m − x, m (binomial; Poisson: constant only)

/** The family, link, response, prior weights and aic pieces of the next `pirlsRun`s. */
export function defineGlm(family: i32, link: i32, y: usize, wt: usize, aic: usize): void {
  famCode = family;
  linkCode = link;
  gY = y;
  gWt = wt;
  gAic = aic;
}

let logBuf: usize = 0; // f64[2n] arguments and results of the aic's logarithms (the state's scratch)

/** η = offset + lin, μ = g⁻¹(η) and dμ/dη (at `dmu`); returns Σ deviance residuals. */
function updateMu(offset: usize, lin: usize, eta: usize, mu: usize, dmu: usize): f64 {
  if (famCode == FAMILY_BINOMIAL) return updateMuWith(FAMILY_BINOMIAL, offset, lin, eta, mu, dmu);
  return updateMuWith(FAMILY_POISSON, offset, lin, eta, mu, dmu);
}

/** updateMu for one family, one pass over the rows (the usual links each in their own loop). */
// @ts-ignore: decorator
@inline function updateMuWith(fam: i32, offset: usize, lin: usize, eta: usize, mu: usize, dmu: usize): f64 {
  if (linkCode == LINK_LOGIT) return updateMuFromExp(fam, false, offset, lin, eta, mu, dmu);
  if (linkCode == LINK_LOG) return updateMuFromExp(fam, true, offset, lin, eta, mu, dmu);
  const n = nObs;
  const link = linkCode;
  let s = 0.0;
  for (let r = 0; r < n; r++) {
    const v = getF(offset, r) + getF(lin, r);
    setF(eta, r, v);
    const m = linkinvDeriv(link, v, dmu + ((<usize>r) << 3));
    setF(mu, r, m);
    s += devResid(fam, getF(gY, r), getF(gWt, r), m);
  }
  return s;
}

/** updateMu for the logit link (exp(−|η|)) or the log link (exp(η)): with the SIMD kernels two rows at a time. */
function updateMuFromExp(fam: i32, logLink: bool, offset: usize, lin: usize, eta: usize, mu: usize, dmu: usize): f64 {
  const n = nObs;
  let s = 0.0;
  let r = 0;
  if (simdOn()) {
    for (; r + 2 <= n; r += 2) {
      const at = (<usize>r) << 3;
      const v = f64x2.add(v128.load(offset + at), v128.load(lin + at));
      v128.store(eta + at, v);
      const e = exp2x(logLink ? v : f64x2.neg(f64x2.abs(v)));
      const m = logLink ? logFromExpX2(e, dmu + at) : logitFromExpX2(v, e, dmu + at);
      v128.store(mu + at, m);
      s = addDevResidPair(fam, s, r, m);
    }
  }
  for (; r < n; r++) {
    const v = getF(offset, r) + getF(lin, r);
    setF(eta, r, v);
    const m = muFromExp(logLink, v, fexp(logLink ? v : -Math.abs(v)), dmu + ((<usize>r) << 3));
    setF(mu, r, m);
    s += devResid(fam, getF(gY, r), getF(gWt, r), m);
  }
  return s;
}

// @ts-ignore: decorator
@inline function muFromExp(logLink: bool, eta: f64, e: f64, dmu: usize): f64 {
  return logLink ? logFromExp(e, dmu) : logitFromExp(eta, e, dmu);
}

/**
 * Rows r and r + 1's devResid added to `s` in row order, their logarithms two at a time. An argument whose
 * factor is 0 is replaced by 2 (its logarithm is discarded, and log2x takes its fast path only on normal
 * numbers away from 1).
 */
function addDevResidPair(fam: i32, s: f64, r: i32, m: v128): f64 {
  const at = (<usize>r) << 3;
  const y = v128.load(gY + at);
  const zero = f64x2.splat(0.0);
  const two = f64x2.splat(2.0);
  const hasY = f64x2.ne(y, zero);
  const a = v128.bitselect(f64x2.div(y, m), two, hasY);
  let first: v128;
  let second = two;
  if (fam != FAMILY_BINOMIAL) first = log2x(a);
  else {
    const rest = f64x2.sub(f64x2.splat(1.0), y);
    const hasRest = f64x2.ne(rest, zero);
    const b = v128.bitselect(f64x2.div(rest, f64x2.sub(f64x2.splat(1.0), m)), two, hasRest);
    first = log2x(v128.bitselect(a, b, hasY));
    second = first;
    if (v128.any_true(v128.and(hasY, hasRest))) second = log2x(b);
  }
  s += devResidFromLogs(fam, f64x2.extract_lane(y, 0), getF(gWt, r), f64x2.extract_lane(m, 0), f64x2.extract_lane(first, 0), f64x2.extract_lane(second, 0));
  s += devResidFromLogs(fam, f64x2.extract_lane(y, 1), getF(gWt, r + 1), f64x2.extract_lane(m, 1), f64x2.extract_lane(first, 1), f64x2.extract_lane(second, 1));
  return s;
}

/** The weighted working response √w (η − offset + (y − μ)/μ'(η)) into the engine's y and √w (R's glm.fit weights and z). */
function workingSystem(offset: usize, eta: usize, mu: usize, dmu: usize, sqrtw: usize): void {
  if (famCode == FAMILY_BINOMIAL) workingSystemWith(FAMILY_BINOMIAL, offset, eta, mu, dmu, sqrtw);
  else workingSystemWith(FAMILY_POISSON, offset, eta, mu, dmu, sqrtw);
}

// @ts-ignore: decorator
@inline function workingSystemWith(fam: i32, offset: usize, eta: usize, mu: usize, dmu: usize, sqrtw: usize): void {
  const n = nObs;
  let r = 0;
  if (simdOn()) {
    // two rows at a time, one per lane: the same operations as below (so the same bits), half the
    // divisions' and square roots' issue cost
    for (; r + 2 <= n; r += 2) {
      const at = (<usize>r) << 3;
      const m = v128.load(mu + at);
      const d = v128.load(dmu + at);
      const s = f64x2.sqrt(f64x2.div(f64x2.mul(f64x2.mul(v128.load(gWt + at), d), d), varianceX2(fam, m)));
      v128.store(sqrtw + at, s);
      const z = f64x2.add(f64x2.sub(v128.load(eta + at), v128.load(offset + at)), f64x2.div(f64x2.sub(v128.load(gY + at), m), d));
      v128.store(yPtr + at, f64x2.mul(s, z));
    }
  }
  for (; r < n; r++) {
    const m = getF(mu, r);
    const d = getF(dmu, r);
    const s = Math.sqrt((getF(gWt, r) * d * d) / variance(fam, m));
    setF(sqrtw, r, s);
    setF(yPtr, r, s * (getF(eta, r) - getF(offset, r) + (getF(gY, r) - m) / d));
  }
}

// ---- scalar terms: the working system accumulated straight from the unweighted rows ----

/** Whether every random-effects term is scalar (one column per level) on the dense factor: `scalarSystem` applies. */
function scalarTerms(): bool {
  if (sparseOn) return false;
  for (let t = 0; t < nTerms; t++) if (tf(t, T_P) != 1) return false;
  return true;
}

/** i32 entries of the position map `pirlsStart` fills for `scalarSystem` (0 where it does not apply). */
export function pirlsMapLength(): i32 {
  return scalarTerms() ? nChain * nObs * (nTerms - nChain) : 0;
}

/**
 * The position map of scalar terms: for chain term j and row r, where each dense term's level meets row r's
 * level of j in that level's list of dense rows (T_ROWS), at map[(j·n + r)·(k − s) + t − s]. X and y are
 * the last p + 1 entries of every list, so they need no map.
 */
function fillPositionMap(map: usize): void {
  const n = nObs;
  const nDT = nTerms - nChain;
  for (let j = 0; j < nChain; j++) {
    const lj = tf(j, T_NLEV);
    const rowPtr = <usize>tf(j, T_ROWPTR);
    const rows = <usize>tf(j, T_ROWS);
    const perm = <usize>tf(j, T_PERM);
    const levStart = <usize>tf(j, T_LEVSTART);
    for (let c = 0; c < lj; c++) {
      for (let idx = getI(rowPtr, c); idx < getI(rowPtr, c + 1); idx++) setI(posPtr, getI(rows, idx), idx);
      for (let q = getI(levStart, c); q < getI(levStart, c + 1); q++) {
        const r = getI(perm, q);
        for (let t = nChain; t < nTerms; t++) {
          const d = tf(t, T_DOFF) + getI(<usize>tf(t, T_CODES), r);
          setI(map, (j * n + r) * nDT + t - nChain, getI(posPtr, d));
        }
      }
    }
  }
}

/**
 * The working weights and response (`workingSystem`) and the blocks of [ZΛ X z]'W[ZΛ X z] (as weightRows,
 * setupChainTerm and setupDense) for scalar terms, from the unweighted rows: no weighted copies of X and Z,
 * no per-level block calls, one pass over the rows per chain term and one for the dense block. Every block
 * entry receives the same products (√w·x times √w·z) in the same order (a level's rows in row order, as the
 * setup's level-sorted pass visits them), so the bits are the same.
 */
function scalarSystem(offset: usize, eta: usize, mu: usize, dmu: usize, sqrtw: usize, map: usize): void {
  workingSystem(offset, eta, mu, dmu, sqrtw);
  clearBlocks();
  for (let j = 0; j < nChain; j++) scalarChainRows(j, sqrtw, map);
  scalarDenseRows(sqrtw);
}

/** Chain term j's blocks: Z_j'WZ_j (one number per level), Z_i'WZ_j for later chain terms, [Z_dense X z]'WZ_j. */
function scalarChainRows(j: i32, sqrtw: usize, map: usize): void {
  const n = nObs;
  const p = nFixed;
  const s = nChain;
  const nDT = nTerms - s;
  const codes = <usize>tf(j, T_CODES);
  const z0 = <usize>getI(z0Tab, j);
  const diag = <usize>tf(j, T_ADIAG);
  const ad = <usize>tf(j, T_AD);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  for (let r = 0; r < n; r++) {
    const c = getI(codes, r);
    const sw = getF(sqrtw, r);
    const zj = getF(z0, r) * sw;
    setF(diag, c, getF(diag, c) + zj * zj);
    for (let i = j + 1; i < s; i++) {
      const zi = getF(<usize>getI(z0Tab, i), r) * sw;
      const apar = <usize>pf(i, j, P_APAR);
      setF(apar, c, getF(apar, c) + zi * zj);
    }
    const rowMap = map + ((<usize>((j * n + r) * nDT)) << 2);
    for (let t = 0; t < nDT; t++) {
      const zt = getF(<usize>getI(z0Tab, s + t), r) * sw;
      const at = getI(rowMap, t);
      setF(ad, at, getF(ad, at) + zt * zj);
    }
    // X and z are the last p + 1 rows of every level's list
    const last = ad + ((<usize>(getI(rowPtr, c + 1) - p - 1)) << 3);
    for (let col = 0; col < p; col++) {
      const x = getF(x0Ptr, col * n + r) * sw;
      setF(last, col, getF(last, col) + x * zj);
    }
    setF(last, p, getF(last, p) + getF(yPtr, r) * zj);
  }
}

/** The dense block [Z_dense X z]'W[Z_dense X z] as setupDense gathers and accumulates it (lower, then mirrored). */
function scalarDenseRows(sqrtw: usize): void {
  const n = nObs;
  const nD = nDense;
  const gv = scratchPtr;
  const gi = scratchPtr + ((<usize>nD) << 3);
  for (let r = 0; r < n; r++) {
    const sw = getF(sqrtw, r);
    let w = 0;
    for (let t = nChain; t < nTerms; t++) {
      setI(gi, w, tf(t, T_DOFF) + getI(<usize>tf(t, T_CODES), r));
      setF(gv, w, getF(<usize>getI(z0Tab, t), r) * sw);
      w++;
    }
    w = gatherXY(gv, gi, w, x0Ptr, r, sw);
    addGatheredRow(gv, gi, w);
  }
  mirrorDense();
}

// ---- the first step of every run: the same weights (those at η₀) each time ----

/** f64 entries of the first-step cache (`firstScalarSystem`): √w and (y − μ)/μ'(η) at η₀, then every block (0 where it is not used). */
export function pirlsCacheLength(): i32 {
  if (!scalarTerms()) return 0;
  let len = 2 * nObs + nDense * nDense;
  for (let j = 0; j < nChain; j++) {
    const lj = tf(j, T_NLEV);
    len += lj + getI(<usize>tf(j, T_ROWPTR), lj);
    for (let i = j + 1; i < nChain; i++) len += lj;
  }
  return len;
}

/** Copies every block of the scalar system (the ones clearBlocks zeroes) to `cache` (save) or from it. */
function copyBlocks(cache: usize, save: bool): void {
  let at = cache;
  for (let j = 0; j < nChain; j++) {
    const lj = tf(j, T_NLEV);
    at = copyBlock(<usize>tf(j, T_ADIAG), lj, at, save);
    at = copyBlock(<usize>tf(j, T_AD), getI(<usize>tf(j, T_ROWPTR), lj), at, save);
    for (let i = j + 1; i < nChain; i++) at = copyBlock(<usize>pf(i, j, P_APAR), lj, at, save);
  }
  copyBlock(addPtr, nDense * nDense, at, save);
}

// @ts-ignore: decorator
@inline function copyBlock(block: usize, len: i32, at: usize, save: bool): usize {
  const bytes = (<usize>len) << 3;
  if (save) memory.copy(at, block, bytes);
  else memory.copy(block, at, bytes);
  return at + bytes;
}

/** Saves the first step's √w, (y − μ)/μ'(η) and blocks (just accumulated at η₀ by scalarSystem) into `cache`. */
function saveFirstStep(cache: usize, mu: usize, dmu: usize, sqrtw: usize): void {
  const n = nObs;
  memory.copy(cache, sqrtw, (<usize>n) << 3);
  const q0 = cache + ((<usize>n) << 3);
  for (let r = 0; r < n; r++) setF(q0, r, (getF(gY, r) - getF(mu, r)) / getF(dmu, r));
  copyBlocks(cache + ((<usize>(2 * n)) << 3), true);
}

/**
 * scalarSystem at η₀ from the cache: every run's first step has the weights at η₀, so Z'WZ, X'WZ and X'WX are
 * those saved at the first run; only the working response's entries depend on the offset (β in stage 2), and
 * they are accumulated again (the same products in the same order as scalarChainRows and addGatheredRow
 * give them, so the same bits).
 */
function firstScalarSystem(offset: usize, eta: usize, cache: usize): void {
  const n = nObs;
  const p = nFixed;
  const sw0 = cache;
  const q0 = cache + ((<usize>n) << 3);
  for (let r = 0; r < n; r++) setF(yPtr, r, getF(sw0, r) * (getF(eta, r) - getF(offset, r) + getF(q0, r)));
  copyBlocks(cache + ((<usize>(2 * n)) << 3), false);
  // chain terms: the last entry of every level's list is the response's
  for (let j = 0; j < nChain; j++) {
    const lj = tf(j, T_NLEV);
    const rowPtr = <usize>tf(j, T_ROWPTR);
    const ad = <usize>tf(j, T_AD);
    const codes = <usize>tf(j, T_CODES);
    const z0 = <usize>getI(z0Tab, j);
    for (let c = 0; c < lj; c++) setF(ad, getI(rowPtr, c + 1) - 1, 0.0);
    for (let r = 0; r < n; r++) {
      const at = getI(rowPtr, getI(codes, r) + 1) - 1;
      setF(ad, at, getF(ad, at) + getF(yPtr, r) * (getF(z0, r) * getF(sw0, r)));
    }
  }
  // the dense block's last row (the response's), then its mirror in the last column
  const nD = nDense;
  const yRow = addPtr + ((<usize>((nD - 1) * nD)) << 3);
  zero(yRow, nD);
  for (let r = 0; r < n; r++) {
    const yv = getF(yPtr, r);
    if (yv == 0.0) continue; // as addGatheredRow skips a zero value's row
    const sw = getF(sw0, r);
    for (let t = nChain; t < nTerms; t++) {
      const col = tf(t, T_DOFF) + getI(<usize>tf(t, T_CODES), r);
      setF(yRow, col, getF(yRow, col) + yv * (getF(<usize>getI(z0Tab, t), r) * sw));
    }
    for (let col = 0; col < p; col++) {
      setF(yRow, qDense + col, getF(yRow, qDense + col) + yv * (getF(x0Ptr, col * n + r) * sw));
    }
    setF(yRow, nD - 1, getF(yRow, nD - 1) + yv * yv);
  }
  for (let b = 0; b < nD - 1; b++) setF(addPtr, b * nD + nD - 1, getF(yRow, b));
}

// @ts-ignore: decorator
@inline function sumSquares(v: usize, len: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < len; j++) s += getF(v, j) * getF(v, j);
  return s;
}

/** R's family$aic at μ (−2 Σ log f(y|μ) with the prior weights) from the per-row pieces (glm-family.ts's log and log1p). */
function aicAt(mu: usize): f64 {
  const n = nObs;
  let s = 0.0;
  // the logarithms with a nonzero factor only, packed in row order
  const h = logBuf;
  const h2 = h + ((<usize>n) << 3);
  let k = 0;
  let k2 = 0;
  // branch-free in y: each argument is written, and kept where its factor is nonzero
  if (famCode == FAMILY_BINOMIAL) {
    for (let r = 0; r < n; r++) {
      const counts = <i32>!(getF(gAic, 3 * n + r) <= 0.0); // the sum below skips m ≤ 0
      const m = getF(mu, r);
      setF(h, k, m);
      k += counts & <i32>(getF(gAic, n + r) != 0.0);
      setF(h2, k2, -m);
      k2 += counts & <i32>(getF(gAic, 2 * n + r) != 0.0);
    }
    logInPlace(h, k);
    log1pInPlace(h2, k2);
    k = 0;
    k2 = 0;
    for (let r = 0; r < n; r++) {
      const m = getF(gAic, 3 * n + r);
      if (m <= 0.0) continue;
      const x = getF(gAic, n + r);
      const rest = getF(gAic, 2 * n + r);
      const logMu = getF(h, k);
      k += <i32>(x != 0.0);
      const log1mMu = getF(h2, k2);
      k2 += <i32>(rest != 0.0);
      const a = x == 0.0 ? 0.0 : x * logMu;
      const b = rest == 0.0 ? 0.0 : rest * log1mMu;
      s += getF(gAic, r) - (2.0 * getF(gWt, r) * (a + b)) / m;
    }
  } else {
    for (let r = 0; r < n; r++) {
      setF(h, k, getF(mu, r));
      k += <i32>(getF(gY, r) != 0.0);
    }
    logInPlace(h, k);
    k = 0;
    for (let r = 0; r < n; r++) {
      const y = getF(gY, r);
      const m = getF(mu, r);
      const logMu = getF(h, k);
      k += <i32>(y != 0.0);
      s += getF(gAic, r) - 2.0 * getF(gWt, r) * (y == 0.0 ? -m : y * logMu - m);
    }
  }
  return s;
}

/** μ and dμ/dη at η₀ (state as for `pirlsRun`), once for all runs from it. */
export function pirlsStart(state: usize): void {
  const eta0 = <usize>getI(state, 0);
  const mu0 = <usize>getI(state, 11);
  const dmu0 = <usize>getI(state, 12);
  const link = linkCode;
  for (let r = 0; r < nObs; r++) setF(mu0, r, linkinvDeriv(link, getF(eta0, r), dmu0 + ((<usize>r) << 3)));
  if (scalarTerms()) fillPositionMap(<usize>getI(state, 14));
}

/**
 * One PIRLS run at the θ already written into the terms (lme4's pwrssUpdate): from η₀, iterate the
 * weighted penalized least-squares step (√W and the working response, rows re-weighted and re-accumulated,
 * factor, solve for u and β) until the penalized deviance Σ devresid + ‖u‖² changes by less than `tol`
 * relative, halving the step toward the previous iterate while it rises. `state` holds the addresses of
 * η₀, η, μ, Xβ + ZΛu, u, β, the previous u and β, b = Λu, √w, dμ/dη, μ and dμ/dη at η₀ (from `pirlsStart`) and 2n
 * doubles of scratch for the aic's logarithms, the position map of `pirlsMapLength` entries, the first-step cache of
 * `pirlsCacheLength` doubles and whether it is filled (0 at first); `offset` is added to the linear predictor
 * (the base offset, plus Xβ when the engine has no X). Nothing is allocated. Returns a PIRLS_* code.
 */
export function pirlsRun(state: usize, q: i32, offset: usize, maxit: i32, maxHalvings: i32, tol: f64): i32 {
  const eta0 = <usize>getI(state, 0);
  const eta = <usize>getI(state, 1);
  const mu = <usize>getI(state, 2);
  const lin = <usize>getI(state, 3);
  const u = <usize>getI(state, 4);
  const beta = <usize>getI(state, 5);
  const uPrev = <usize>getI(state, 6);
  const betaPrev = <usize>getI(state, 7);
  const b = <usize>getI(state, 8);
  const sqrtw = <usize>getI(state, 9);
  const dmu = <usize>getI(state, 10);
  const mu0 = <usize>getI(state, 11);
  const dmu0 = <usize>getI(state, 12);
  logBuf = <usize>getI(state, 13);
  const map = <usize>getI(state, 14);
  const cache = <usize>getI(state, 15);
  const scalar = scalarTerms();
  const n = nObs;
  const p = nFixed;
  // every run starts from the same η₀: its μ and dμ/dη were computed once by pirlsStart
  memory.copy(eta, eta0, (<usize>n) << 3);
  memory.copy(mu, mu0, (<usize>n) << 3);
  memory.copy(dmu, dmu0, (<usize>n) << 3);
  let oldpdev = F64.MAX_VALUE;
  let pdev = oldpdev;
  let converged = false;
  let steps = 0;
  pirlsSteps = 0;
  for (let it = 0; it < maxit; it++) {
    memory.copy(uPrev, u, (<usize>q) << 3);
    memory.copy(betaPrev, beta, (<usize>p) << 3);
    if (scalar) {
      if (it > 0) scalarSystem(offset, eta, mu, dmu, sqrtw, map);
      else if (getI(state, 16) != 0) firstScalarSystem(offset, eta, cache);
      else {
        scalarSystem(offset, eta, mu, dmu, sqrtw, map);
        saveFirstStep(cache, mu, dmu, sqrtw);
        setI(state, 16, 1);
      }
    } else {
      workingSystem(offset, eta, mu, dmu, sqrtw);
      weightRows(sqrtw);
      for (let j = 0; j < nChain; j++) setupChainTerm(j);
      setupDense();
    }
    // the log-determinant is taken once, from the last step's factor (no later step refactors)
    const status = factorBlocks();
    steps++;
    if (status == -2) return PIRLS_SINGULAR_X;
    if (status != 0) return PIRLS_NOT_PD;
    solveBetaU(beta, u);
    computeB(u, b);
    computeEta(beta, b, lin);
    pdev = updateMu(offset, lin, eta, mu, dmu) + sumSquares(u, q);
    if (Math.abs((oldpdev - pdev) / pdev) < tol) {
      converged = true;
      break;
    }
    if (isNaN(pdev) || pdev > oldpdev) {
      for (let k = 0; k < maxHalvings && (isNaN(pdev) || pdev > oldpdev); k++) {
        for (let j = 0; j < q; j++) setF(u, j, (getF(uPrev, j) + getF(u, j)) / 2.0);
        for (let j = 0; j < p; j++) setF(beta, j, (getF(betaPrev, j) + getF(beta, j)) / 2.0);
        computeB(u, b);
        computeEta(beta, b, lin);
        pdev = updateMu(offset, lin, eta, mu, dmu) + sumSquares(u, q);
      }
      if (isNaN(pdev)) return PIRLS_NAN;
      if (pdev - oldpdev > tol) return PIRLS_HALVING_FAILED;
    }
    oldpdev = pdev;
  }
  pirlsSteps = steps;
  if (!converged) return PIRLS_MAXIT;
  takeLogDets();
  const sqrL = sumSquares(u, q);
  pirlsPdev = pdev;
  pirlsLdL2 = ldL2;
  pirlsSqrL = sqrL;
  pirlsLaplace = ldL2 + sqrL + aicAt(mu);
  return PIRLS_OK;
}
