// One evaluation at θ: scale the blocks of A by Λθ, add I to the random-effects part, and compute the
// blocked Cholesky factor L of Λ'Z'ZΛ + I bordered by X and y (Bates et al. 2015, eqs. 18–19; the
// blocked form of MixedModels.jl). Reads only the setup blocks, never the observations.
// Results: ldL2 = log|L_Z|², ldRX2 = log|R_X|², pwrss = r²(θ) (the squared last diagonal element).

import { getF, getI, setF, setI } from './memory';
import { log } from './libm';
import { cholLower, solveRowByLt, logDet2, dot, subtractSyrk, subtractSyrkTiles, simdOn } from './dense';
import { scaleBlock, subABt, rowTimesLower } from './small';
import { sparseOn, sparseFactor, sparseDiagonal } from './sparse';
import {
  nFixed, nTerms, nChain, nDense, qDense, addPtr, dPtr, denseTermPtr, posPtr, scratchPtr,
  tf, pf, T_P, T_NLEV, T_DOFF, T_LAMBDA, T_ADIAG, T_LDIAG, T_ROWPTR, T_ROWS, T_AD, T_LD, T_WIDE,
  T_NGROUP, T_GSTART, T_GORDER, T_GW, T_GDST, T_GSTRIDE, groupScratchPtr, rowScalePtr, scalarDense, P_PAR, P_APAR, P_LPAR, P_CHSTART, P_CHILD, P_SAME,
} from './model';

export let ldL2: f64 = 0.0; // log-determinant of L_Z squared
export let ldRX2: f64 = 0.0; // log-determinant of R_X squared
export let pwrss: f64 = 0.0; // penalized weighted residual sum of squares r²(θ)

// @ts-ignore: decorator
@inline function blockAt(base: usize, index: i32, size: i32): usize {
  return base + ((<usize>index * <usize>size) << 3);
}

/** Diagonal blocks of chain term j: T'AT + I minus the children's L_jm L_jm', then Cholesky. */
function factorChainDiagonal(j: i32): i32 {
  const pj = tf(j, T_P);
  const lj = tf(j, T_NLEV);
  const tj = <usize>tf(j, T_LAMBDA);
  const adiag = <usize>tf(j, T_ADIAG);
  const ldiag = <usize>tf(j, T_LDIAG);
  const bb = pj * pj;
  const tmp = scratchPtr;
  if (pj == 1) return factorScalarDiagonal(j);
  for (let c = 0; c < lj; c++) {
    const blk = blockAt(ldiag, c, bb);
    scaleBlock(blk, blockAt(adiag, c, bb), tj, pj, tj, pj, tmp);
    for (let a = 0; a < pj; a++) setF(blk, a * pj + a, getF(blk, a * pj + a) + 1.0);
  }
  for (let m = 0; m < j; m++) {
    const pm = tf(m, T_P);
    const lm = tf(m, T_NLEV);
    const par = <usize>pf(j, m, P_PAR);
    const lpar = <usize>pf(j, m, P_LPAR);
    for (let e = 0; e < lm; e++) {
      const le = blockAt(lpar, e, pj * pm);
      subABt(blockAt(ldiag, getI(par, e), bb), le, le, pj, pj, pm);
    }
  }
  for (let c = 0; c < lj; c++) {
    if (cholLower(blockAt(ldiag, c, bb), pj, pj) != 0) return -1;
  }
  return 0;
}

/**
 * factorChainDiagonal for a scalar term: each level's 1×1 block t·a·t + 1, less its children's squares, and its
 * square root, as vector passes (the operations of scaleBlock, subABt and cholLower on 1×1 blocks, so the same bits).
 */
function factorScalarDiagonal(j: i32): i32 {
  const lj = tf(j, T_NLEV);
  const t = getF(<usize>tf(j, T_LAMBDA), 0);
  const adiag = <usize>tf(j, T_ADIAG);
  const ldiag = <usize>tf(j, T_LDIAG);
  for (let c = 0; c < lj; c++) setF(ldiag, c, t * getF(adiag, c) * t + 1.0);
  for (let m = 0; m < j; m++) {
    const pm = tf(m, T_P);
    const lm = tf(m, T_NLEV);
    const par = <usize>pf(j, m, P_PAR);
    const lpar = <usize>pf(j, m, P_LPAR);
    if (pm == 1) {
      for (let e = 0; e < lm; e++) {
        const l = getF(lpar, e);
        const c = getI(par, e);
        setF(ldiag, c, getF(ldiag, c) - (0.0 + l * l));
      }
      continue;
    }
    for (let e = 0; e < lm; e++) {
      const le = blockAt(lpar, e, pm);
      subABt(blockAt(ldiag, getI(par, e), 1), le, le, 1, 1, pm);
    }
  }
  for (let c = 0; c < lj; c++) {
    const d = getF(ldiag, c) - 0.0;
    if (!(d > 0.0)) return -1;
    setF(ldiag, c, Math.sqrt(d));
  }
  return 0;
}

/** L_ij for a later chain term i: (T_i' A_ij T_j − Σ_m L_im L_jm') L_jj^{-T}, one block per level of j. */
function factorChainPair(i: i32, j: i32): void {
  const pi = tf(i, T_P);
  const pj = tf(j, T_P);
  const lj = tf(j, T_NLEV);
  const ti = <usize>tf(i, T_LAMBDA);
  const tj = <usize>tf(j, T_LAMBDA);
  const apar = <usize>pf(i, j, P_APAR);
  const lpar = <usize>pf(i, j, P_LPAR);
  const ldiag = <usize>tf(j, T_LDIAG);
  const sz = pi * pj;
  // two scalar terms: the 1×1 operations of scaleBlock, subABt and solveRowByLt inline (the same bits)
  const scalar = sz == 1;
  if (scalar) {
    const t = getF(ti, 0);
    const u = getF(tj, 0);
    for (let c = 0; c < lj; c++) setF(lpar, c, t * getF(apar, c) * u);
  } else {
    for (let c = 0; c < lj; c++) scaleBlock(blockAt(lpar, c, sz), blockAt(apar, c, sz), ti, pi, tj, pj, scratchPtr);
  }
  for (let m = 0; m < j; m++) {
    const pm = tf(m, T_P);
    const lm = tf(m, T_NLEV);
    const parJ = <usize>pf(j, m, P_PAR);
    const lim = <usize>pf(i, m, P_LPAR);
    const ljm = <usize>pf(j, m, P_LPAR);
    if (scalar && pm == 1) {
      for (let e = 0; e < lm; e++) {
        const c = getI(parJ, e);
        setF(lpar, c, getF(lpar, c) - (0.0 + getF(lim, e) * getF(ljm, e)));
      }
      continue;
    }
    for (let e = 0; e < lm; e++) {
      subABt(blockAt(lpar, getI(parJ, e), sz), blockAt(lim, e, pi * pm), blockAt(ljm, e, pj * pm), pi, pj, pm);
    }
  }
  if (scalar) {
    for (let c = 0; c < lj; c++) setF(lpar, c, getF(lpar, c) / getF(ldiag, c));
    return;
  }
  for (let c = 0; c < lj; c++) {
    const blk = blockAt(lpar, c, sz);
    const lc = blockAt(ldiag, c, pj * pj);
    for (let r = 0; r < pi; r++) solveRowByLt(lc, pj, pj, blk + ((<usize>(r * pj)) << 3));
  }
}

/** Fills rowScalePtr's dense-term rows with each scalar dense term's T (1×1) at this θ. */
function denseRowScales(): void {
  for (let t = nChain; t < nTerms; t++) {
    const s = getF(<usize>tf(t, T_LAMBDA), 0);
    const doff = tf(t, T_DOFF);
    for (let r = doff; r < doff + tf(t, T_NLEV); r++) setF(rowScalePtr, r, s);
  }
}

/**
 * factorChainDenseRows for the first chain term (no children) when every dense term is scalar: the
 * copy, both scalings and the solve by L_c' in one pass over each level's rows (same operations, same
 * order, so the same bits as the general path).
 */
function factorFirstDenseRows(pj: i32): void {
  const lj = tf(0, T_NLEV);
  const tj = <usize>tf(0, T_LAMBDA);
  const rowPtr = <usize>tf(0, T_ROWPTR);
  const rows = <usize>tf(0, T_ROWS);
  const ad = <usize>tf(0, T_AD);
  const ld = <usize>tf(0, T_LD);
  const ldiag = <usize>tf(0, T_LDIAG);
  const gdst = <usize>tf(0, T_GDST);
  const gstride = <usize>tf(0, T_GSTRIDE);
  const scale = rowScalePtr;
  const vector = simdOn();
  const t00 = getF(tj, 0);
  for (let c = 0; c < lj; c++) {
    const i0 = getI(rowPtr, c);
    const i1 = getI(rowPtr, c + 1);
    // a grouped level also writes its rows into its group's W (row stride = the group's columns)
    let dst: usize = gdst != 0 ? <usize>getI(gdst, c) : 0;
    const step: usize = dst != 0 ? (<usize>getI(gstride, c)) << 3 : 0;
    if (pj == 1) {
      const inv = 1.0 / getF(ldiag, c);
      for (let idx = i0; idx < i1; idx++) {
        const x = ((getF(ad, idx) * t00) * getF(scale, getI(rows, idx))) * inv;
        setF(ld, idx, x);
        if (dst != 0) {
          store<f64>(dst, x);
          dst += step;
        }
      }
      continue;
    }
    const t10 = getF(tj, 2);
    const t11 = getF(tj, 3);
    const lc = blockAt(ldiag, c, 4);
    const l00 = getF(lc, 0);
    const l10 = getF(lc, 2);
    const l11 = getF(lc, 3);
    let idx = i0;
    if (vector) {
      // two rows at a time, one per lane: the same operations as below, so the same bits, with
      // half the divisions' latency
      const T00 = f64x2.splat(t00), T10 = f64x2.splat(t10), T11 = f64x2.splat(t11);
      const L00 = f64x2.splat(l00), L10 = f64x2.splat(l10), L11 = f64x2.splat(l11);
      for (; idx + 2 <= i1; idx += 2) {
        const a = v128.load(ad + ((<usize>idx) << 4)); // v0, v1 of row idx
        const b = v128.load(ad + ((<usize>idx) << 4), 16); // v0, v1 of row idx + 1
        const v0 = v128.shuffle<f64>(a, b, 0, 2);
        const v1 = v128.shuffle<f64>(a, b, 1, 3);
        let rs = f64x2.splat(getF(scale, getI(rows, idx)));
        rs = f64x2.replace_lane(rs, 1, getF(scale, getI(rows, idx + 1)));
        const x0 = f64x2.div(f64x2.mul(f64x2.add(f64x2.mul(v0, T00), f64x2.mul(v1, T10)), rs), L00);
        const x1 = f64x2.div(f64x2.sub(f64x2.mul(f64x2.mul(v1, T11), rs), f64x2.mul(L10, x0)), L11);
        const ra = v128.shuffle<f64>(x0, x1, 0, 2);
        const rb = v128.shuffle<f64>(x0, x1, 1, 3);
        v128.store(ld + ((<usize>idx) << 4), ra);
        v128.store(ld + ((<usize>idx) << 4), rb, 16);
        if (dst != 0) {
          v128.store(dst, ra);
          v128.store(dst + step, rb);
          dst += step << 1;
        }
      }
    }
    for (; idx < i1; idx++) {
      const rs = getF(scale, getI(rows, idx));
      const v0 = getF(ad, 2 * idx);
      const v1 = getF(ad, 2 * idx + 1);
      const x0 = ((v0 * t00 + v1 * t10) * rs) / l00;
      const x1 = ((v1 * t11) * rs - l10 * x0) / l11;
      setF(ld, 2 * idx, x0);
      setF(ld, 2 * idx + 1, x1);
      if (dst != 0) {
        store<f64>(dst, x0);
        store<f64>(dst, x1, 8);
        dst += step;
      }
    }
  }
}

/** Copies the rows of chain term j's grouped levels from T_LD into their groups' W. */
function spreadGroupedRows(j: i32): void {
  const gdst = <usize>tf(j, T_GDST);
  if (gdst == 0) return;
  const pj = tf(j, T_P);
  const lj = tf(j, T_NLEV);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  const ld = <usize>tf(j, T_LD);
  const gstride = <usize>tf(j, T_GSTRIDE);
  for (let c = 0; c < lj; c++) {
    let dst = <usize>getI(gdst, c);
    if (dst == 0) continue;
    const step = (<usize>getI(gstride, c)) << 3;
    for (let idx = getI(rowPtr, c); idx < getI(rowPtr, c + 1); idx++) {
      memory.copy(dst, blockAt(ld, idx, pj), (<usize>pj) << 3);
      dst += step;
    }
  }
}

/** The dense rows below chain term j: scaled A rows, minus the children's contributions, times L_jj^{-T}. */
function factorChainDenseRows(j: i32): void {
  const pj = tf(j, T_P);
  const lj = tf(j, T_NLEV);
  const tj = <usize>tf(j, T_LAMBDA);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  const rows = <usize>tf(j, T_ROWS);
  const ad = <usize>tf(j, T_AD);
  const ld = <usize>tf(j, T_LD);
  const ldiag = <usize>tf(j, T_LDIAG);
  const tmp = scratchPtr;
  const end = getI(rowPtr, lj);
  // copy and scale the columns by T_j (v ← v·T_j), specialised for the common p = 1 and p = 2
  if (pj == 1) {
    const t00 = getF(tj, 0);
    for (let idx = 0; idx < end; idx++) setF(ld, idx, getF(ad, idx) * t00);
  } else if (pj == 2) {
    const t00 = getF(tj, 0);
    const t10 = getF(tj, 2);
    const t11 = getF(tj, 3);
    for (let idx = 0; idx < end; idx++) {
      const v0 = getF(ad, 2 * idx);
      const v1 = getF(ad, 2 * idx + 1);
      setF(ld, 2 * idx, v0 * t00 + v1 * t10);
      setF(ld, 2 * idx + 1, v1 * t11);
    }
  } else {
    memory.copy(ld, ad, (<usize>end * <usize>pj) << 3);
    for (let idx = 0; idx < end; idx++) rowTimesLower(blockAt(ld, idx, pj), tj, pj, tmp);
  }
  // scale the row groups of dense terms by T_t' (the rows of one level of term t come together)
  for (let idx = 0; qDense > 0 && idx < end; ) {
    const d = getI(rows, idx);
    if (d >= qDense) {
      idx++;
      continue;
    }
    const t = getI(denseTermPtr, d);
    const pt = tf(t, T_P);
    const tt = <usize>tf(t, T_LAMBDA);
    if (pt == 1) {
      const s = getF(tt, 0);
      for (let b = 0; b < pj; b++) setF(ld, idx * pj + b, getF(ld, idx * pj + b) * s);
      idx++;
      continue;
    }
    for (let b = 0; b < pj; b++) {
      for (let a = 0; a < pt; a++) {
        let s = 0.0;
        for (let m = a; m < pt; m++) s += getF(tt, m * pt + a) * getF(ld, (idx + m) * pj + b);
        setF(tmp, a, s);
      }
      for (let a = 0; a < pt; a++) setF(ld, (idx + a) * pj + b, getF(tmp, a));
    }
    idx += pt;
  }
  // subtract L_Dm L_jm' for earlier chain terms m (their rows are subsets of the parent's rows)
  for (let m = 0; m < j; m++) {
    const pm = tf(m, T_P);
    const rowPtrM = <usize>tf(m, T_ROWPTR);
    const rowsM = <usize>tf(m, T_ROWS);
    const ldM = <usize>tf(m, T_LD);
    const chStart = <usize>pf(j, m, P_CHSTART);
    const child = <usize>pf(j, m, P_CHILD);
    const ljm = <usize>pf(j, m, P_LPAR);
    if (pf(j, m, P_SAME) != 0) {
      // the same grouping: level c's only child is c, on the same rows (same order of operations as below)
      subtractSameGrouping(ld, ldM, ljm, rowPtr, lj, pj, pm);
      continue;
    }
    for (let c = 0; c < lj; c++) {
      const c0 = getI(rowPtr, c);
      const c1 = getI(rowPtr, c + 1);
      for (let idx = c0; idx < c1; idx++) setI(posPtr, getI(rows, idx), idx);
      for (let q = getI(chStart, c); q < getI(chStart, c + 1); q++) {
        const e = getI(child, q);
        const le = blockAt(ljm, e, pj * pm);
        if (pj == 1 && pm == 1) {
          // subABt on 1×1 blocks, inline; a child's rows are a subset of its parent's, both sorted, so as
          // many rows are the same rows (no look-up)
          const l = getF(le, 0);
          const e0 = getI(rowPtrM, e);
          const e1 = getI(rowPtrM, e + 1);
          const same = e1 - e0 == c1 - c0;
          for (let idx = e0; idx < e1; idx++) {
            const at = same ? c0 + idx - e0 : getI(posPtr, getI(rowsM, idx));
            setF(ld, at, getF(ld, at) - (0.0 + getF(ldM, idx) * l));
          }
          continue;
        }
        for (let idx = getI(rowPtrM, e); idx < getI(rowPtrM, e + 1); idx++) {
          const target = blockAt(ld, getI(posPtr, getI(rowsM, idx)), pj);
          subABt(target, blockAt(ldM, idx, pm), le, 1, pj, pm);
        }
      }
    }
  }
  // V_c ← V_c L_c^{-T}, specialised for p = 1 and p = 2
  for (let c = 0; c < lj; c++) {
    const lc = blockAt(ldiag, c, pj * pj);
    const i0 = getI(rowPtr, c);
    const i1 = getI(rowPtr, c + 1);
    if (pj == 1) {
      const inv = 1.0 / getF(lc, 0);
      for (let idx = i0; idx < i1; idx++) setF(ld, idx, getF(ld, idx) * inv);
    } else if (pj == 2) {
      const l00 = getF(lc, 0);
      const l10 = getF(lc, 2);
      const l11 = getF(lc, 3);
      for (let idx = i0; idx < i1; idx++) {
        const x0 = getF(ld, 2 * idx) / l00;
        setF(ld, 2 * idx, x0);
        setF(ld, 2 * idx + 1, (getF(ld, 2 * idx + 1) - l10 * x0) / l11);
      }
    } else {
      for (let idx = i0; idx < i1; idx++) solveRowByLt(lc, pj, pj, blockAt(ld, idx, pj));
    }
  }
}

/**
 * L_Dj -= L_Dm L_jm' for chain terms m < j with the same grouping: row idx of level c in L_Dj and L_Dm is the
 * same dense row, and L_jm's block for level c is pj×pm.
 */
function subtractSameGrouping(ld: usize, ldM: usize, ljm: usize, rowPtr: usize, lj: i32, pj: i32, pm: i32): void {
  for (let c = 0; c < lj; c++) {
    const i0 = getI(rowPtr, c);
    const i1 = getI(rowPtr, c + 1);
    const le = blockAt(ljm, c, pj * pm);
    if (pj == 1 && pm == 1) {
      const l = getF(le, 0);
      for (let idx = i0; idx < i1; idx++) setF(ld, idx, getF(ld, idx) - getF(ldM, idx) * l);
      continue;
    }
    for (let idx = i0; idx < i1; idx++) subABt(blockAt(ld, idx, pj), blockAt(ldM, idx, pm), le, 1, pj, pm);
  }
}

/** D = Λ_D' A_DD Λ_D (+ I on the random-effects rows) − Σ_j L_Dj L_Dj'. */
function formDense(): void {
  const nD = nDense;
  const d = dPtr;
  memory.copy(d, addPtr, (<usize>nD * <usize>nD) << 3);
  const tmp = scratchPtr;
  // scale columns (right multiplication by Λ_D) and then rows (left multiplication by Λ_D')
  for (let t = nChain; t < nTerms; t++) {
    const pt = tf(t, T_P);
    const lt = tf(t, T_NLEV);
    const doff = tf(t, T_DOFF);
    const tt = <usize>tf(t, T_LAMBDA);
    if (pt == 1) {
      const s = getF(tt, 0);
      for (let r = 0; r < nD; r++) {
        const row = blockAt(d, r, nD);
        for (let c = doff; c < doff + lt; c++) setF(row, c, getF(row, c) * s);
      }
      for (let r = doff; r < doff + lt; r++) {
        const row = blockAt(d, r, nD);
        for (let c = 0; c < nD; c++) setF(row, c, getF(row, c) * s);
      }
    } else {
      for (let r = 0; r < nD; r++) {
        const row = blockAt(d, r, nD);
        for (let g = 0; g < lt; g++) rowTimesLower(row + ((<usize>(doff + g * pt)) << 3), tt, pt, tmp);
      }
      for (let g = 0; g < lt; g++) {
        const r0 = doff + g * pt;
        for (let c = 0; c < nD; c++) {
          for (let a = 0; a < pt; a++) {
            let s = 0.0;
            for (let m = a; m < pt; m++) s += getF(tt, m * pt + a) * getF(d, (r0 + m) * nD + c);
            setF(tmp, a, s);
          }
          for (let a = 0; a < pt; a++) setF(d, (r0 + a) * nD + c, getF(tmp, a));
        }
      }
    }
  }
  for (let r = 0; r < qDense; r++) setF(d, r * nD + r, getF(d, r * nD + r) + 1.0);
  // Schur complements of the chain terms: D[R_c, R_c] -= V_c V_c' (lower triangle).
  // Terms whose levels meet most dense rows: one dense rank-(ℓ·p) update D -= W W' (SIMD kernel).
  // Levels that meet the same rows (a subject seeing the same regions as others): one rank update per group.
  for (let j = 0; j < nChain; j++) {
    if (tf(j, T_WIDE) != 0) wideSchur(j);
    else groupSchur(j);
  }
  // The others, level by level: the rows of D are processed in tiles that stay in cache (each level's
  // contribution to a tile is found by binary search in its sorted row list), because the levels' row
  // sets are scattered over all of D.
  const tileRows = max<i32>(8, 65536 / nD);
  for (let r0 = 0; r0 < nD; r0 += tileRows) {
    const r1 = min<i32>(nD, r0 + tileRows);
    for (let j = 0; j < nChain; j++) {
      if (tf(j, T_WIDE) != 0) continue;
      const pj = tf(j, T_P);
      const lj = tf(j, T_NLEV);
      const rowPtr = <usize>tf(j, T_ROWPTR);
      const rows = <usize>tf(j, T_ROWS);
      const ld = <usize>tf(j, T_LD);
      const grouped = <usize>tf(j, T_GDST);
      for (let c = 0; c < lj; c++) {
        if (grouped != 0 && getI(grouped, c) != 0) continue;
        const i0 = getI(rowPtr, c);
        const i1 = getI(rowPtr, c + 1);
        if (getI(rows, i1 - 1) < r0 || getI(rows, i0) >= r1) continue;
        const a0 = r0 == 0 ? i0 : lowerBound(rows, i0, i1, r0);
        const a1 = r1 == nD ? i1 : lowerBound(rows, a0, i1, r1);
        for (let a = a0; a < a1; a++) schurRow(d, nD, rows, ld, pj, i0, a);
      }
    }
  }
}

/** Columns of W per pass of the rank update, so that the rows being combined stay in cache. */
const WIDE_CHUNK: i32 = 256;

/**
 * D -= W W' for chain term j, W (nD × ℓ·p, row-major) holding each level's rows of L_Dj in its own
 * p columns. Entries outside the levels' row lists are zero from the setup and never written.
 */
function wideSchur(j: i32): void {
  const pj = tf(j, T_P);
  const lj = tf(j, T_NLEV);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  const rows = <usize>tf(j, T_ROWS);
  const ld = <usize>tf(j, T_LD);
  const w = <usize>tf(j, T_WIDE);
  const K = lj * pj;
  for (let c = 0; c < lj; c++) {
    for (let idx = getI(rowPtr, c); idx < getI(rowPtr, c + 1); idx++) {
      const dst = w + ((<usize>getI(rows, idx) * <usize>K + <usize>(c * pj)) << 3);
      for (let b = 0; b < pj; b++) setF(dst, b, getF(ld, idx * pj + b));
    }
  }
  for (let k0 = 0; k0 < K; k0 += WIDE_CHUNK) {
    subtractSyrk(dPtr, nDense, w + ((<usize>k0) << 3), K, min<i32>(WIDE_CHUNK, K - k0), nDense);
  }
}

/**
 * D[R,R] -= W W' for each group of chain term j's levels sharing the dense rows R, W (|R| × levels·p,
 * filled when the levels' rows of L_Dj were computed) holding those rows side by side: the SIMD kernel
 * forms S = −W W' (|R|×|R| padded to whole tiles, lower) in scratch, which is added into D.
 */
function groupSchur(j: i32): void {
  const ng = tf(j, T_NGROUP);
  if (ng == 0) return;
  const pj = tf(j, T_P);
  const rowPtr = <usize>tf(j, T_ROWPTR);
  const rows = <usize>tf(j, T_ROWS);
  const gstart = <usize>tf(j, T_GSTART);
  const gorder = <usize>tf(j, T_GORDER);
  const gw = <usize>tf(j, T_GW);
  const s = groupScratchPtr;
  for (let g = 0; g < ng; g++) {
    const lead = getI(gorder, getI(gstart, g));
    const first = getI(rowPtr, lead);
    const k = getI(rowPtr, lead + 1) - first;
    const k4 = (k + 3) & ~3; // the padding rows of W are zero
    const K = (getI(gstart, g + 1) - getI(gstart, g)) * pj;
    memory.fill(s, 0, (<usize>k4 * <usize>k4) << 3);
    subtractSyrkTiles(s, k4, <usize>getI(gw, g), K, K, k4);
    for (let a = 0; a < k; a++) {
      const row = blockAt(dPtr, getI(rows, first + a), nDense);
      for (let b = 0; b <= a; b++) {
        const col = getI(rows, first + b);
        setF(row, col, getF(row, col) + getF(s, a * k4 + b));
      }
    }
  }
}

/** First index in rows[lo, hi) whose value is ≥ key (rows sorted ascending). */
function lowerBound(rows: usize, lo: i32, hi: i32, key: i32): i32 {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (getI(rows, mid) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** D[rows[a]][rows[b]] -= V[a]·V[b] for b in [i0, a]: one row of a level's rank-p update. */
// @ts-ignore: decorator
@inline function schurRow(d: usize, nD: i32, rows: usize, ld: usize, pj: i32, i0: i32, a: i32): void {
  const row = blockAt(d, getI(rows, a), nD);
  const va = blockAt(ld, a, pj);
  if (pj == 1) {
    const x = getF(va, 0);
    for (let b = i0; b <= a; b++) {
      const col = getI(rows, b);
      setF(row, col, getF(row, col) - x * getF(ld, b));
    }
  } else if (pj == 2) {
    const x0 = getF(va, 0);
    const x1 = getF(va, 1);
    for (let b = i0; b <= a; b++) {
      const col = getI(rows, b);
      const vb = ld + ((<usize>(b << 1)) << 3);
      setF(row, col, getF(row, col) - (x0 * getF(vb, 0) + x1 * getF(vb, 1)));
    }
  } else {
    for (let b = i0; b <= a; b++) {
      const col = getI(rows, b);
      setF(row, col, getF(row, col) - dot(va, blockAt(ld, b, pj), pj));
    }
  }
}

/**
 * Factors the whole system at the θ written into the terms' T_LAMBDA blocks, and takes its log-determinants.
 * Returns 0, or a negative code when a pivot is not positive (-1: random effects, -2: X, -3: y).
 */
export function factorize(): i32 {
  const status = factorBlocks();
  if (status == 0) takeLogDets();
  return status;
}

/**
 * `factorize` without the log-determinants (ldL2, ldRX2, pwrss keep their old values): PIRLS needs them
 * only from its last factor, which nothing overwrites before `takeLogDets` reads it.
 */
export function factorBlocks(): i32 {
  if (scalarDense) denseRowScales();
  for (let j = 0; j < nChain; j++) {
    if (factorChainDiagonal(j) != 0) return -1;
    for (let i = j + 1; i < nChain; i++) factorChainPair(i, j);
    const pj = tf(j, T_P);
    if (j == 0 && scalarDense && pj <= 2) factorFirstDenseRows(pj);
    else {
      factorChainDenseRows(j);
      spreadGroupedRows(j);
    }
  }
  if (sparseOn) {
    const status = sparseFactor();
    return status != 0 ? failureCode(status) : 0;
  }
  formDense();
  const nD = nDense;
  const status = cholLower(dPtr, nD, nD);
  return status != 0 ? failureCode(status) : 0;
}

/** ldL2, ldRX2 and pwrss from the diagonal of the last successful `factorBlocks`. */
export function takeLogDets(): void {
  let l2 = chainLogDet();
  let rx2 = 0.0;
  for (let r = 0; r < qDense; r++) l2 += 2.0 * log(denseDiagonal(r));
  for (let r = qDense; r < qDense + nFixed; r++) rx2 += 2.0 * log(denseDiagonal(r));
  const last = denseDiagonal(nDense - 1);
  ldL2 = l2;
  ldRX2 = rx2;
  pwrss = last * last;
}

/** The dense (or sparse) block's factor's diagonal entry r. */
function denseDiagonal(r: i32): f64 {
  return sparseOn ? sparseDiagonal(r) : getF(dPtr, r * nDense + r);
}

/** The factor's failing pivot as `factorize` reports it: -1 in Λ'Z'ZΛ + I, -2 in R_X, -3 at y (an exact fit). */
function failureCode(status: i32): i32 {
  if (status <= qDense) return -1;
  if (status <= qDense + nFixed) return -2;
  return -3;
}

/** log|L_jj|² summed over the chain terms' diagonal blocks. */
function chainLogDet(): f64 {
  let l2 = 0.0;
  for (let j = 0; j < nChain; j++) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    const ldiag = <usize>tf(j, T_LDIAG);
    for (let c = 0; c < lj; c++) l2 += logDet2(blockAt(ldiag, c, pj * pj), pj, pj);
  }
  return l2;
}

/**
 * Profiled deviance (Bates et al. 2015, eq. 34 for ML, eq. 41 for REML) from the last factorize():
 * ML: ldL2 + n(1 + log(2π r²/n)); REML: ldL2 + ldRX2 + (n−p)(1 + log(2π r²/(n−p))).
 */
export function profiledDeviance(n: i32, reml: bool): f64 {
  const nmp = reml ? <f64>(n - nFixed) : <f64>n;
  const base = ldL2 + nmp * (1.0 + log((2.0 * Math.PI * pwrss) / nmp));
  return reml ? base + ldRX2 : base;
}
