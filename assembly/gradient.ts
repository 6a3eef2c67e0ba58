// Exact first derivatives of the profiled deviance (Bates & DebRoy 2004), from the factor of the last
// factorize(). With D = blockdiag(Λθ, I_p), G = [Z X]'[Z X] (the setup blocks, unscaled) and
// Ω = D'GD + blockdiag(I_q, 0), the derivative of log det Ω along θ_k, where ∂Λ/∂θ_k = I ⊗ e_r e_c', is
//     2 · Σ_levels g of the term  [Ω⁻¹ D'G]_{(g,c),(g,r)},
// which needs Ω⁻¹ only where G has entries (a selected inverse: Takahashi's recursion on the blocked
// factor, the dense block fully). ML uses the random-effects part alone (Ω restricted to Z: log|L_Z|²),
// REML the random effects and X (log|L_Z|² + log|R_X|²). The residual part follows from the envelope
// theorem: ∂r²/∂θ_k = −2 Σ_g (Z'r)_{g,r} u_{g,c}, with Z'r = −G_aug (Λu, β, −1) over the setup blocks.
//
// The chain terms (block-diagonal, nested) are processed last to first: a level's column of Σ, on the
// pattern of its column of L (its ancestors in the chain and its dense rows), comes from its ancestors'
// columns and the dense block (Takahashi's recursion on the blocked pattern).

import { getF, getI, setF } from './memory';
import { dot, subtractSyrk, subtractABt, solveRowByLt, solveLtInPlace } from './dense';
import { inverseFromLower } from './triangular-inverse';
import {
  nObs, nFixed, nTerms, nChain, nDense, qDense, addPtr, dPtr, denseTermPtr, xPtr,
  tf, pf, T_P, T_NLEV, T_DOFF, T_UOFF, T_LAMBDA, T_Z, T_CODES, T_ADIAG, T_LDIAG, T_ROWPTR, T_ROWS, T_AD, T_LD,
  P_PAR, P_APAR, P_LPAR,
} from './model';

// @ts-ignore: decorator
@inline function rowAt(a: usize, ld: i32, i: i32): usize {
  return a + ((<usize>i * <usize>ld) << 3);
}

/**
 * S (m×m, full symmetric, row-major) = (L_m L_m')⁻¹ for L_m the leading m×m of the dense factor.
 * W (m×m) receives L_m⁻¹ transposed (row j = column j of L_m⁻¹), so that S = W W' runs in the SIMD
 * rank-update kernel.
 */
function denseInverse(m: i32, s: usize, w: usize): void {
  inverseFromLower(dPtr, nDense, m, s, w);
}

/** Smallest m for which the batched S·V_D is considered. */
const BATCH_MIN: i32 = 64;

/**
 * Levels per chunk when chain term j's products S[R,R]·V_D run as one dense product per chunk (S·V over
 * all m rows, V zero off each level's rows: SIMD, no indexing), or 0 when level by level is cheaper
 * (the levels' rows cover little of S). A chunk's V' and product take m·m/2 doubles each (w holds m²).
 */
function batchLevels(rowPtr: usize, rows: usize, lj: i32, pj: i32, m: i32): i32 {
  if (m < BATCH_MIN || 2 * pj > m) return 0;
  let indexed = 0.0;
  for (let c = 0; c < lj; c++) {
    let k = 0;
    const i0 = getI(rowPtr, c);
    const i1 = getI(rowPtr, c + 1);
    while (i0 + k < i1 && getI(rows, i0 + k) < m) k++;
    indexed += <f64>k * <f64>k;
  }
  // a SIMD multiply-add without indexing costs about a quarter of an indexed scalar one
  if (<f64>lj * <f64>m * <f64>m > 4.0 * indexed) return 0;
  return (m >> 1) / pj;
}

/**
 * For levels [c0, c1) of a chain term: Vt (w, cols × m) holds each level's rows of L_Dj below m, and
 * Yt (after Vt in w) = −Vt·S, so that Y_R of a level is −Yt at its columns and rows (S symmetric).
 */
function batchSV(w: usize, s: usize, m: i32, rowPtr: usize, rows: usize, ld: usize, pj: i32, c0: i32, c1: i32): void {
  const cols = (c1 - c0) * pj;
  const vt = w;
  const yt = w + ((<usize>(((m >> 1) / pj) * pj * m)) << 3);
  memory.fill(vt, 0, (<usize>cols * <usize>m) << 3);
  for (let c = c0; c < c1; c++) {
    const col0 = (c - c0) * pj;
    for (let idx = getI(rowPtr, c); idx < getI(rowPtr, c + 1); idx++) {
      const r = getI(rows, idx);
      if (r >= m) break;
      for (let a = 0; a < pj; a++) setF(vt, (col0 + a) * m + r, getF(ld, idx * pj + a));
    }
  }
  memory.fill(yt, 0, (<usize>cols * <usize>m) << 3);
  subtractABt(yt, m, vt, m, s, m, m, cols, m, false);
}

/** Offsets of each term's p×p accumulator in the output arrays (Σ p_t² before term t). */
function accOffset(t: i32): i32 {
  let off = 0;
  for (let a = 0; a < t; a++) off += tf(a, T_P) * tf(a, T_P);
  return off;
}

/**
 * For each term t, writes two p_t×p_t arrays (row-major, entry [r][c] belonging to θ at T[r][c]):
 *   outP[r][c] = Σ_g [Ω_m⁻¹ D'G]_{(g,c),(g,r)}  (so ∂ log det Ω_m / ∂θ = 2·outP)
 *   outR[r][c] = Σ_g (Z'r)_{g,r} u_{g,c}         (so ∂ r² / ∂θ = −2·outR)
 * where Ω_m uses the random effects and the first m − qDense columns of X (m = qDense for ML,
 * qDense + p for REML). u, b = Λu and β (of the shifted response the engine factors) come from
 * solveBetaU / computeB at the same θ. s and w need m² doubles each; scratch 4·nD·maxP + (s + 8)·maxP² +
 * q_chain + 64 (q_chain: the chain terms' random effects). gTab (i32) points at the chain's Σ blocks:
 * [2j] the diagonal blocks of term j (ℓ_j·p_j²), [2j+1] its dense rows (nnz_j·p_j, like T_LD), and
 * [2s + i·s + j] for i > j the blocks between a level of j and its ancestor in i (ℓ_j·p_i·p_j).
 * Returns 0.
 */
export function gradientParts(
  m: i32, s: usize, w: usize, scratch: usize, u: usize, b: usize, beta: usize, outP: usize, outR: usize, gTab: usize,
): i32 {
  const nD = nDense;
  const qD = qDense;
  let accSize = 0;
  let maxP = 1;
  for (let t = 0; t < nTerms; t++) {
    const pt = tf(t, T_P);
    accSize += pt * pt;
    if (pt > maxP) maxP = pt;
  }
  memory.fill(outP, 0, (<usize>accSize) << 3);
  memory.fill(outR, 0, (<usize>accSize) << 3);
  denseInverse(m, s, w);

  // scratch: v (nD) | col (nD) | sig (nD·maxP) | bc (nD·maxP) | small (8·maxP²)
  const v = scratch;
  const col = v + ((<usize>nD) << 3);
  const sig = col + ((<usize>nD) << 3);
  const bc = sig + ((<usize>(nD * maxP)) << 3);
  const small = bc + ((<usize>(nD * maxP)) << 3);
  const zr = small + ((<usize>(4 * maxP * maxP)) << 3);

  // v = (Λu, β, −1) over the dense rows
  for (let t = nChain; t < nTerms; t++) {
    const size = tf(t, T_NLEV) * tf(t, T_P);
    const doff = tf(t, T_DOFF);
    const uoff = tf(t, T_UOFF);
    for (let a = 0; a < size; a++) setF(v, doff + a, getF(b, uoff + a));
  }
  for (let a = 0; a < nFixed; a++) setF(v, qD + a, getF(beta, a));
  setF(v, nD - 1, -1.0);
  // (G v) on the dense Z rows from the dense block; the chain's part is added below
  for (let d = 0; d < qD; d++) setF(col, d, dot(rowAt(addPtr, nD, d), v, nD));

  // chain terms, last to first (Takahashi: a level's column of Σ needs its ancestors' columns)
  const gv = zr + ((<usize>maxP) << 3); // (G v) on the chain's random effects, q_chain doubles
  const qChain = nChain > 0 ? tf(nChain - 1, T_UOFF) + tf(nChain - 1, T_NLEV) * tf(nChain - 1, T_P) : 0;
  memory.fill(gv, 0, (<usize>qChain) << 3);
  const yAnc = gv + ((<usize>qChain) << 3); // Y rows of the ancestors: Σ p_i × p_j ≤ s·maxP²
  for (let j = nChain - 1; j >= 0; j--) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    const tj = <usize>tf(j, T_LAMBDA);
    const adiag = <usize>tf(j, T_ADIAG);
    const ldiag = <usize>tf(j, T_LDIAG);
    const rowPtr = <usize>tf(j, T_ROWPTR);
    const rows = <usize>tf(j, T_ROWS);
    const ad = <usize>tf(j, T_AD);
    const ld = <usize>tf(j, T_LD);
    const uoffJ = tf(j, T_UOFF);
    const sigDiagJ = <usize>getI(gTab, 2 * j);
    const sigDJ = <usize>getI(gTab, 2 * j + 1);
    const accJ = outP + ((<usize>accOffset(j)) << 3);
    const bb = pj * pj;
    const sigcc = small;
    const tmp = sigcc + ((<usize>bb) << 3);
    // levels per chunk of the batched S·V_D (0: level by level), and the current chunk
    const chunkLevels = batchLevels(rowPtr, rows, lj, pj, m);
    let chunk0 = 0;
    let chunk1 = 0;
    for (let c = 0; c < lj; c++) {
      const i0 = getI(rowPtr, c);
      const i1 = getI(rowPtr, c + 1);
      let k = 0;
      while (i0 + k < i1 && getI(rows, i0 + k) < m) k++;
      const lc = ldiag + ((<usize>(c * bb)) << 3);
      // Y_R = S[R,R] V_D + Σ_i Σ_{R,e_i} V_i  (k × pj), into sig
      if (chunkLevels > 0) {
        if (c >= chunk1) {
          chunk0 = c;
          chunk1 = min<i32>(lj, c + chunkLevels);
          batchSV(w, s, m, rowPtr, rows, ld, pj, chunk0, chunk1);
        }
        const yt = w + ((<usize>(chunkLevels * pj * m)) << 3);
        const col0 = (c - chunk0) * pj;
        for (let x = 0; x < k; x++) {
          const r = getI(rows, i0 + x);
          for (let a = 0; a < pj; a++) setF(sig, x * pj + a, -getF(yt, (col0 + a) * m + r));
        }
      }
      for (let x = 0; x < k && chunkLevels == 0; x++) {
        const sx = rowAt(s, m, getI(rows, i0 + x));
        const dst = sig + ((<usize>(x * pj)) << 3);
        memory.fill(dst, 0, (<usize>pj) << 3);
        // one row of S times the level's rows of L, row by row (contiguous p-wide updates)
        for (let y = 0; y < k; y++) {
          const sv = getF(sx, getI(rows, i0 + y));
          const vy = ld + ((<usize>((i0 + y) * pj)) << 3);
          for (let a = 0; a < pj; a++) setF(dst, a, getF(dst, a) + sv * getF(vy, a));
        }
      }
      let ancOff = 0;
      for (let i = j + 1; i < nChain; i++) {
        const pi = tf(i, T_P);
        const e = getI(<usize>pf(i, j, P_PAR), c);
        const vi = <usize>pf(i, j, P_LPAR) + ((<usize>(c * pi * pj)) << 3);
        const rowPtrI = <usize>tf(i, T_ROWPTR);
        const rowsI = <usize>tf(i, T_ROWS);
        const sigDI = <usize>getI(gTab, 2 * i + 1);
        const ya = yAnc + ((<usize>ancOff) << 3);
        memory.fill(ya, 0, (<usize>(pi * pj)) << 3);
        // R_c ⊆ R_e, both sorted: walk them together
        let pos = getI(rowPtrI, e);
        for (let x = 0; x < k; x++) {
          const row = getI(rows, i0 + x);
          while (getI(rowsI, pos) != row) pos++;
          const se = sigDI + ((<usize>(pos * pi)) << 3); // Σ_{row, e} (1 × pi)
          for (let a = 0; a < pj; a++) {
            let acc = 0.0;
            for (let b2 = 0; b2 < pi; b2++) acc += getF(se, b2) * getF(vi, b2 * pj + a);
            setF(sig, x * pj + a, getF(sig, x * pj + a) + acc);
          }
          // Y_i += Σ_{e,R} V_D
          for (let b2 = 0; b2 < pi; b2++) {
            for (let a = 0; a < pj; a++) setF(ya, b2 * pj + a, getF(ya, b2 * pj + a) + getF(se, b2) * getF(ld, (i0 + x) * pj + a));
          }
        }
        // Y_i += Σ_{i'} Σ_{e_i, e_i'} V_i'
        for (let i2 = j + 1; i2 < nChain; i2++) {
          const pi2 = tf(i2, T_P);
          const e2 = getI(<usize>pf(i2, j, P_PAR), c);
          const vi2 = <usize>pf(i2, j, P_LPAR) + ((<usize>(c * pi2 * pj)) << 3);
          for (let b2 = 0; b2 < pi; b2++) {
            for (let b3 = 0; b3 < pi2; b3++) {
              let sv: f64;
              if (i2 == i) sv = getF(<usize>getI(gTab, 2 * i), e * pi * pi + b2 * pi + b3);
              else if (i2 > i) sv = getF(<usize>getI(gTab, 2 * nChain + i2 * nChain + i), e * pi2 * pi + b3 * pi + b2);
              else sv = getF(<usize>getI(gTab, 2 * nChain + i * nChain + i2), e2 * pi * pi2 + b2 * pi2 + b3);
              if (sv == 0.0) continue;
              for (let a = 0; a < pj; a++) setF(ya, b2 * pj + a, getF(ya, b2 * pj + a) + sv * getF(vi2, b3 * pj + a));
            }
          }
        }
        ancOff += pi * pj;
      }
      // Σ_{struct,c} = −Y L_c⁻¹, row by row
      for (let x = 0; x < k; x++) {
        const dst = sig + ((<usize>(x * pj)) << 3);
        solveLtInPlace(lc, pj, pj, dst);
        for (let a = 0; a < pj; a++) {
          setF(dst, a, -getF(dst, a));
          setF(sigDJ, (i0 + x) * pj + a, getF(dst, a));
        }
      }
      ancOff = 0;
      for (let i = j + 1; i < nChain; i++) {
        const pi = tf(i, T_P);
        const ya = yAnc + ((<usize>ancOff) << 3);
        const sp = <usize>getI(gTab, 2 * nChain + i * nChain + j) + ((<usize>(c * pi * pj)) << 3);
        for (let b2 = 0; b2 < pi; b2++) {
          const row = ya + ((<usize>(b2 * pj)) << 3);
          solveLtInPlace(lc, pj, pj, row);
          for (let a = 0; a < pj; a++) setF(sp, b2 * pj + a, -getF(row, a));
        }
        ancOff += pi * pj;
      }
      // Σ_cc = L_c^{-T} (L_c^{-1} − V_D' Σ_{R,c} − Σ_i V_i' Σ_{e_i,c}), column by column
      for (let cc = 0; cc < pj; cc++) {
        for (let a = 0; a < pj; a++) setF(tmp, a, a == cc ? 1.0 : 0.0);
        solveRowByLt(lc, pj, pj, tmp); // L_c x = e_cc
        for (let a = 0; a < pj; a++) {
          let acc = 0.0;
          for (let x = 0; x < k; x++) acc += getF(ld, (i0 + x) * pj + a) * getF(sig, x * pj + cc);
          for (let i = j + 1; i < nChain; i++) {
            const pi = tf(i, T_P);
            const vi = <usize>pf(i, j, P_LPAR) + ((<usize>(c * pi * pj)) << 3);
            const sp = <usize>getI(gTab, 2 * nChain + i * nChain + j) + ((<usize>(c * pi * pj)) << 3);
            for (let b2 = 0; b2 < pi; b2++) acc += getF(vi, b2 * pj + a) * getF(sp, b2 * pj + cc);
          }
          setF(tmp, a, getF(tmp, a) - acc);
        }
        solveLtInPlace(lc, pj, pj, tmp);
        for (let a = 0; a < pj; a++) {
          setF(sigcc, a * pj + cc, getF(tmp, a));
          setF(sigDiagJ, c * bb + a * pj + cc, getF(tmp, a));
        }
      }
      // B = (D'G)_{R,c}: the level's setup rows, the dense terms' rows scaled by their T'
      for (let x = 0; x < k; ) {
        const d = getI(rows, i0 + x);
        if (d >= qD) {
          for (let a = 0; a < pj; a++) setF(bc, x * pj + a, getF(ad, (i0 + x) * pj + a));
          x++;
          continue;
        }
        const th = getI(denseTermPtr, d);
        const ph = tf(th, T_P);
        const tt = <usize>tf(th, T_LAMBDA);
        for (let a = 0; a < ph; a++) {
          for (let r = 0; r < pj; r++) {
            let acc = 0.0;
            for (let a2 = a; a2 < ph; a2++) acc += getF(tt, a2 * ph + a) * getF(ad, (i0 + x + a2) * pj + r);
            setF(bc, (x + a) * pj + r, acc);
          }
        }
        x += ph;
      }
      // P_c[cc][rr] = Σ_cc (T_j' A_cc) + Σ_{R,c}' B + Σ_i Σ_{e_i,c}' (T_i' A_{e_i,c})
      const acc0 = adiag + ((<usize>(c * bb)) << 3);
      // T_j' A_cc once per level (not once per cc: a merged term's p is large), summed in the same order
      const tac = tmp + ((<usize>pj) << 3);
      for (let a = 0; a < pj; a++) {
        for (let rr = 0; rr < pj; rr++) {
          let ta = 0.0;
          for (let a2 = a; a2 < pj; a2++) ta += getF(tj, a2 * pj + a) * getF(acc0, a2 * pj + rr);
          setF(tac, a * pj + rr, ta);
        }
      }
      for (let cc = 0; cc < pj; cc++) {
        for (let rr = 0; rr < pj; rr++) {
          let acc = 0.0;
          for (let a = 0; a < pj; a++) acc += getF(sigcc, cc * pj + a) * getF(tac, a * pj + rr);
          for (let x = 0; x < k; x++) acc += getF(sig, x * pj + cc) * getF(bc, x * pj + rr);
          for (let i = j + 1; i < nChain; i++) {
            const pi = tf(i, T_P);
            const ti = <usize>tf(i, T_LAMBDA);
            const apar = <usize>pf(i, j, P_APAR) + ((<usize>(c * pi * pj)) << 3);
            const sp = <usize>getI(gTab, 2 * nChain + i * nChain + j) + ((<usize>(c * pi * pj)) << 3);
            for (let b2 = 0; b2 < pi; b2++) {
              let ta = 0.0;
              for (let b3 = b2; b3 < pi; b3++) ta += getF(ti, b3 * pi + b2) * getF(apar, b3 * pj + rr);
              acc += getF(sp, b2 * pj + cc) * ta;
            }
          }
          setF(accJ, rr * pj + cc, getF(accJ, rr * pj + cc) + acc);
        }
      }
      // the ancestors' share through this level: Σ_{e_i,c} (T_j' A_{c,e_i})
      for (let i = j + 1; i < nChain; i++) {
        const pi = tf(i, T_P);
        const apar = <usize>pf(i, j, P_APAR) + ((<usize>(c * pi * pj)) << 3);
        const sp = <usize>getI(gTab, 2 * nChain + i * nChain + j) + ((<usize>(c * pi * pj)) << 3);
        const accI = outP + ((<usize>accOffset(i)) << 3);
        for (let cc = 0; cc < pi; cc++) {
          for (let rr = 0; rr < pi; rr++) {
            let acc = 0.0;
            for (let a = 0; a < pj; a++) {
              let ta = 0.0;
              for (let a2 = a; a2 < pj; a2++) ta += getF(tj, a2 * pj + a) * getF(apar, rr * pj + a2);
              acc += getF(sp, cc * pj + a) * ta;
            }
            setF(accI, rr * pi + cc, getF(accI, rr * pi + cc) + acc);
          }
        }
      }
      // the dense levels' share through this level: Σ_{(g,cc),c} (T_j' G_{c,(g,rr)})
      for (let x = 0; x < k; ) {
        const d = getI(rows, i0 + x);
        if (d >= qD) break;
        const th = getI(denseTermPtr, d);
        const ph = tf(th, T_P);
        const dst = outP + ((<usize>accOffset(th)) << 3);
        // (T_j' G_{c,(g,rr)})_a once per rr (bc is free again), then the products with Σ's rows
        for (let rr = 0; rr < ph; rr++) {
          for (let a = 0; a < pj; a++) {
            let ta = 0.0;
            for (let a2 = a; a2 < pj; a2++) ta += getF(tj, a2 * pj + a) * getF(ad, (i0 + x + rr) * pj + a2);
            setF(bc, rr * pj + a, ta);
          }
        }
        for (let cc = 0; cc < ph; cc++) {
          for (let rr = 0; rr < ph; rr++) {
            let acc = 0.0;
            for (let a = 0; a < pj; a++) acc += getF(sig, (x + cc) * pj + a) * getF(bc, rr * pj + a);
            setF(dst, rr * ph + cc, getF(dst, rr * ph + cc) + acc);
          }
        }
        x += ph;
      }
      // residual part: (G v) on this level, its ancestors and the dense rows
      const bcv = b + ((<usize>(uoffJ + c * pj)) << 3);
      const gvc = gv + ((<usize>(uoffJ + c * pj)) << 3);
      for (let a = 0; a < pj; a++) {
        let acc = 0.0;
        for (let a2 = 0; a2 < pj; a2++) acc += getF(acc0, a * pj + a2) * getF(bcv, a2);
        for (let idx = i0; idx < i1; idx++) acc += getF(ad, idx * pj + a) * getF(v, getI(rows, idx));
        setF(gvc, a, getF(gvc, a) + acc);
      }
      for (let i = j + 1; i < nChain; i++) {
        const pi = tf(i, T_P);
        const e = getI(<usize>pf(i, j, P_PAR), c);
        const apar = <usize>pf(i, j, P_APAR) + ((<usize>(c * pi * pj)) << 3);
        const be = b + ((<usize>(tf(i, T_UOFF) + e * pi)) << 3);
        const gve = gv + ((<usize>(tf(i, T_UOFF) + e * pi)) << 3);
        for (let a = 0; a < pj; a++) {
          let acc = 0.0;
          for (let b2 = 0; b2 < pi; b2++) acc += getF(apar, b2 * pj + a) * getF(be, b2);
          setF(gvc, a, getF(gvc, a) + acc);
        }
        for (let b2 = 0; b2 < pi; b2++) setF(gve, b2, getF(gve, b2) + dot(apar + ((<usize>(b2 * pj)) << 3), bcv, pj));
      }
      for (let idx = i0; idx < i1; idx++) {
        const d = getI(rows, idx);
        if (d >= qD) break;
        setF(col, d, getF(col, d) + dot(ad + ((<usize>(idx * pj)) << 3), bcv, pj));
      }
    }
  }
  // ∂r² part on the chain: (Z'r)_{c,rr} u_{c,cc} with Z'r = −G v
  for (let j = 0; j < nChain; j++) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    const uoffJ = tf(j, T_UOFF);
    const accR = outR + ((<usize>accOffset(j)) << 3);
    for (let c = 0; c < lj; c++) {
      for (let rr = 0; rr < pj; rr++) {
        const z = -getF(gv, uoffJ + c * pj + rr);
        for (let cc = 0; cc < pj; cc++) setF(accR, rr * pj + cc, getF(accR, rr * pj + cc) + z * getF(u, uoffJ + c * pj + cc));
      }
    }
  }

  // dense levels: Σ_i S[(g,cc), i] (D'G)_{i,(g,rr)} over the dense rows i < m, and the residual part
  const dg = sig; // m doubles (reuses the chain's scratch)
  for (let t = nChain; t < nTerms; t++) {
    const pt = tf(t, T_P);
    const lt = tf(t, T_NLEV);
    const doff = tf(t, T_DOFF);
    const uoff = tf(t, T_UOFF);
    const dstP = outP + ((<usize>accOffset(t)) << 3);
    const dstR = outR + ((<usize>accOffset(t)) << 3);
    for (let g = 0; g < lt; g++) {
      for (let rr = 0; rr < pt; rr++) {
        const j = doff + g * pt + rr;
        // (D'G)_{i,j} for i < m: the dense terms' rows scaled by their T', X's rows as they are
        for (let i = 0; i < m; ) {
          if (i >= qD) {
            setF(dg, i, getF(addPtr, i * nD + j));
            i++;
            continue;
          }
          const th = getI(denseTermPtr, i);
          const ph = tf(th, T_P);
          const tt = <usize>tf(th, T_LAMBDA);
          if (ph == 1) {
            setF(dg, i, getF(tt, 0) * getF(addPtr, i * nD + j));
            i++;
            continue;
          }
          for (let a = 0; a < ph; a++) {
            let acc = 0.0;
            for (let a2 = a; a2 < ph; a2++) acc += getF(tt, a2 * ph + a) * getF(addPtr, (i + a2) * nD + j);
            setF(dg, i + a, acc);
          }
          i += ph;
        }
        for (let cc = 0; cc < pt; cc++) {
          const val = dot(rowAt(s, m, doff + g * pt + cc), dg, m);
          setF(dstP, rr * pt + cc, getF(dstP, rr * pt + cc) + val);
        }
      }
      for (let rr = 0; rr < pt; rr++) {
        const zrv = -getF(col, doff + g * pt + rr);
        for (let cc = 0; cc < pt; cc++) {
          setF(dstR, rr * pt + cc, getF(dstR, rr * pt + cc) + zrv * getF(u, uoff + g * pt + cc));
        }
      }
    }
  }
  return 0;
}

/**
 * The per-observation trace of the sparse path's gradient (src/wasm/sparse-gradient.ts): for each
 * observation i, term j and column c, Σ_y (row i of [ZΛ X])_y · A⁻¹[y, (g,c)] (A⁻¹ read at the plan's
 * positions obsPos: below nz in the selected inverse's panels z, from nz on in the chain term's entries
 * chainOut) times Z_{i,(g,r)} into acc (each term's p×p, row-major, terms one after another), and Z'r into
 * zr (q doubles). `reml`: X's columns enter the row (Ω⁻¹ over X too). Scratch va: Σp + p_X doubles.
 */
export function sparseTrace(
  obsPos: usize, nz: i32, z: usize, chainOut: usize, residual: usize, reml: i32, va: usize, acc: usize, zr: usize,
): void {
  const n = nObs;
  const pX = reml ? nFixed : 0;
  let width = 0;
  let accSize = 0;
  let q = 0;
  for (let j = 0; j < nTerms; j++) {
    const p = tf(j, T_P);
    width += p;
    accSize += p * p;
    q += tf(j, T_NLEV) * p;
  }
  memory.fill(acc, 0, <usize>accSize << 3);
  memory.fill(zr, 0, <usize>q << 3);
  const all = width + pX;
  let at = 0;
  for (let i = 0; i < n; i++) {
    // the observation's row of ZΛ: (ZΛ)_{i,(g,a)} = Σ_b Z_{i,(g,b)} T[b][a]
    let x = 0;
    for (let j = 0; j < nTerms; j++) {
      const p = tf(j, T_P);
      const zi = <usize>tf(j, T_Z) + ((<usize>(i * p)) << 3);
      const tt = <usize>tf(j, T_LAMBDA);
      for (let a = 0; a < p; a++) {
        let s = 0.0;
        for (let b = a; b < p; b++) s += getF(zi, b) * getF(tt, b * p + a);
        setF(va, x++, s);
      }
    }
    for (let a = 0; a < pX; a++) setF(va, width + a, getF(xPtr, a * n + i));
    const ri = getF(residual, i);
    let accOff = 0;
    for (let j = 0; j < nTerms; j++) {
      const p = tf(j, T_P);
      const zi = <usize>tf(j, T_Z) + ((<usize>(i * p)) << 3);
      for (let c = 0; c < p; c++) {
        let s = 0.0;
        for (let y = 0; y < all; y++) {
          const pos = getI(obsPos, at++);
          s += getF(va, y) * (pos < nz ? getF(z, pos) : getF(chainOut, pos - nz));
        }
        for (let r = 0; r < p; r++) setF(acc, accOff + r * p + c, getF(acc, accOff + r * p + c) + s * getF(zi, r));
      }
      const base = tf(j, T_UOFF) + getI(<usize>tf(j, T_CODES), i) * p;
      for (let r = 0; r < p; r++) setF(zr, base + r, getF(zr, base + r) + getF(zi, r) * ri);
      accOff += p * p;
    }
  }
}
