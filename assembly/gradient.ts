// Exact first derivatives of the profiled deviance (Bates & DebRoy 2004), from the factor of the last
// factorize(). With D = blockdiag(Λθ, I_p), G = [Z X]'[Z X] (the setup blocks, unscaled) and
// Ω = D'GD + blockdiag(I_q, 0), the derivative of log det Ω along θ_k, where ∂Λ/∂θ_k = I ⊗ e_r e_c', is
//     2 · Σ_levels g of the term  [Ω⁻¹ D'G]_{(g,c),(g,r)},
// which needs Ω⁻¹ only where G has entries (a selected inverse: Takahashi's recursion on the blocked
// factor, the dense block fully). ML uses the random-effects part alone (Ω restricted to Z: log|L_Z|²),
// REML the random effects and X (log|L_Z|² + log|R_X|²). The residual part follows from the envelope
// theorem: ∂r²/∂θ_k = −2 Σ_g (Z'r)_{g,r} u_{g,c}, with Z'r = −G_aug (Λu, β, −1) over the setup blocks.
//
// Only the layouts with at most one chain term (a block-diagonal first term and a dense block) are
// handled; gradientParts returns -1 for a longer nesting chain and the caller falls back.

import { getF, getI, setF } from './memory';
import { dot, subtractSyrk, solveRowByLt, solveLtInPlace } from './dense';
import {
  nFixed, nTerms, nChain, nDense, qDense, addPtr, dPtr, denseTermPtr,
  tf, T_P, T_NLEV, T_DOFF, T_UOFF, T_LAMBDA, T_ADIAG, T_LDIAG, T_ROWPTR, T_ROWS, T_AD, T_LD,
} from './model';

// @ts-ignore: decorator
@inline function rowAt(a: usize, ld: i32, i: i32): usize {
  return a + ((<usize>i * <usize>ld) << 3);
}

/** Columns of W per rank update in denseInverse. */
const SYRK_PANEL: i32 = 64;

/**
 * S (m×m, full symmetric, row-major) = (L_m L_m')⁻¹ for L_m the leading m×m of the dense factor.
 * W (m×m) receives L_m⁻¹ transposed (row j = column j of L_m⁻¹), so that S = W W' runs in the SIMD
 * rank-update kernel.
 */
function denseInverse(m: i32, s: usize, w: usize): void {
  const nD = nDense;
  const l = dPtr;
  memory.fill(w, 0, (<usize>m * <usize>m) << 3);
  for (let j = 0; j < m; j++) {
    const wj = rowAt(w, m, j);
    setF(wj, j, 1.0 / getF(l, j * nD + j));
    for (let i = j + 1; i < m; i++) {
      const li = rowAt(l, nD, i);
      // x_i = −(Σ_{k=j}^{i−1} L_ik x_k) / L_ii
      const sum = dot(li + ((<usize>j) << 3), wj + ((<usize>j) << 3), i - j);
      setF(wj, i, -sum / getF(li, i));
    }
  }
  memory.fill(s, 0, (<usize>m * <usize>m) << 3);
  // W is upper triangular: the columns k0..k1 of W meet rows 0..k1 only (a third of the full product)
  for (let k0 = 0; k0 < m; k0 += SYRK_PANEL) {
    const k1 = min<i32>(m, k0 + SYRK_PANEL);
    subtractSyrk(s, m, w + ((<usize>k0) << 3), m, k1 - k0, k1);
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      const v = -getF(s, i * m + j);
      setF(s, i * m + j, v);
      setF(s, j * m + i, v);
    }
  }
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
 * solveBetaU / computeB at the same θ. s and w need m² doubles each; scratch 4·nD·maxP + 8·maxP² + 64.
 * Returns 0, or -1 when the layout has a nesting chain of more than one term (not handled).
 */
export function gradientParts(
  m: i32, s: usize, w: usize, scratch: usize, u: usize, b: usize, beta: usize, outP: usize, outR: usize,
): i32 {
  if (nChain > 1) return -1;
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

  if (nChain == 1) {
    const p0 = tf(0, T_P);
    const l0 = tf(0, T_NLEV);
    const t0 = <usize>tf(0, T_LAMBDA);
    const adiag = <usize>tf(0, T_ADIAG);
    const ldiag = <usize>tf(0, T_LDIAG);
    const rowPtr = <usize>tf(0, T_ROWPTR);
    const rows = <usize>tf(0, T_ROWS);
    const ad = <usize>tf(0, T_AD);
    const ld = <usize>tf(0, T_LD);
    const uoff0 = tf(0, T_UOFF);
    const accP = outP;
    const accR = outR;
    const bb = p0 * p0;
    const sigcc = small;
    const tmp = sigcc + ((<usize>bb) << 3);
    for (let c = 0; c < l0; c++) {
      const i0 = getI(rowPtr, c);
      const i1 = getI(rowPtr, c + 1);
      // rows below m (the list is sorted; X's rows past m and y's row are dropped)
      let k = 0;
      while (i0 + k < i1 && getI(rows, i0 + k) < m) k++;
      const lc = ldiag + ((<usize>(c * bb)) << 3);
      // Σ_{R,c} = −S[R,R] V L_c⁻¹ (k×p0), V the level's rows of L
      for (let x = 0; x < k; x++) {
        const sx = rowAt(s, m, getI(rows, i0 + x));
        const dst = rowAt(sig, p0, x);
        for (let a = 0; a < p0; a++) {
          let acc = 0.0;
          for (let y = 0; y < k; y++) acc += getF(sx, getI(rows, i0 + y)) * getF(ld, (i0 + y) * p0 + a);
          setF(dst, a, acc);
        }
        solveLtInPlace(lc, p0, p0, dst);
        for (let a = 0; a < p0; a++) setF(dst, a, -getF(dst, a));
      }
      // Σ_cc = L_c^{-T} (L_c^{-1} − V' Σ_{R,c}), column by column
      for (let cc = 0; cc < p0; cc++) {
        for (let a = 0; a < p0; a++) setF(tmp, a, a == cc ? 1.0 : 0.0);
        solveRowByLt(lc, p0, p0, tmp); // L_c x = e_cc
        for (let a = 0; a < p0; a++) {
          let acc = 0.0;
          for (let x = 0; x < k; x++) acc += getF(ld, (i0 + x) * p0 + a) * getF(sig, x * p0 + cc);
          setF(tmp, a, getF(tmp, a) - acc);
        }
        solveLtInPlace(lc, p0, p0, tmp);
        for (let a = 0; a < p0; a++) setF(sigcc, a * p0 + cc, getF(tmp, a));
      }
      // B = (D'G)_{R,c}: the level's setup rows, the dense terms' rows scaled by their T'
      for (let x = 0; x < k; ) {
        const d = getI(rows, i0 + x);
        if (d >= qD) {
          for (let a = 0; a < p0; a++) setF(bc, x * p0 + a, getF(ad, (i0 + x) * p0 + a));
          x++;
          continue;
        }
        const th = getI(denseTermPtr, d);
        const ph = tf(th, T_P);
        const tt = <usize>tf(th, T_LAMBDA);
        for (let a = 0; a < ph; a++) {
          for (let r = 0; r < p0; r++) {
            let acc = 0.0;
            for (let a2 = a; a2 < ph; a2++) acc += getF(tt, a2 * ph + a) * getF(ad, (i0 + x + a2) * p0 + r);
            setF(bc, (x + a) * p0 + r, acc);
          }
        }
        x += ph;
      }
      // P_c[cc][rr] = Σ_a Σ_cc[cc][a] (T0' A_cc)[a][rr] + Σ_x Σ_{R,c}[x][cc] B[x][rr]
      const acc0 = adiag + ((<usize>(c * bb)) << 3);
      for (let cc = 0; cc < p0; cc++) {
        for (let rr = 0; rr < p0; rr++) {
          let acc = 0.0;
          for (let a = 0; a < p0; a++) {
            let ta = 0.0;
            for (let a2 = a; a2 < p0; a2++) ta += getF(t0, a2 * p0 + a) * getF(acc0, a2 * p0 + rr);
            acc += getF(sigcc, cc * p0 + a) * ta;
          }
          for (let x = 0; x < k; x++) acc += getF(sig, x * p0 + cc) * getF(bc, x * p0 + rr);
          setF(accP, rr * p0 + cc, getF(accP, rr * p0 + cc) + acc);
        }
      }
      // the dense levels' share through this chain level: Σ_{(g,cc),c} (T0' G_{c,(g,rr)})
      for (let x = 0; x < k; ) {
        const d = getI(rows, i0 + x);
        if (d >= qD) break;
        const th = getI(denseTermPtr, d);
        const ph = tf(th, T_P);
        const dst = outP + ((<usize>accOffset(th)) << 3);
        for (let cc = 0; cc < ph; cc++) {
          for (let rr = 0; rr < ph; rr++) {
            let acc = 0.0;
            for (let a = 0; a < p0; a++) {
              let ta = 0.0;
              for (let a2 = a; a2 < p0; a2++) ta += getF(t0, a2 * p0 + a) * getF(ad, (i0 + x + rr) * p0 + a2);
              acc += getF(sig, (x + cc) * p0 + a) * ta;
            }
            setF(dst, rr * ph + cc, getF(dst, rr * ph + cc) + acc);
          }
        }
        x += ph;
      }
      // residual part: (G v)_c, and the chain's share of (G v) on the dense rows
      const bcv = b + ((<usize>(uoff0 + c * p0)) << 3);
      for (let a = 0; a < p0; a++) {
        let acc = 0.0;
        for (let a2 = 0; a2 < p0; a2++) acc += getF(acc0, a * p0 + a2) * getF(bcv, a2);
        for (let idx = i0; idx < i1; idx++) acc += getF(ad, idx * p0 + a) * getF(v, getI(rows, idx));
        setF(zr, a, -acc);
      }
      for (let idx = i0; idx < i1; idx++) {
        const d = getI(rows, idx);
        if (d >= qD) break;
        setF(col, d, getF(col, d) + dot(ad + ((<usize>(idx * p0)) << 3), bcv, p0));
      }
      const ucv = u + ((<usize>(uoff0 + c * p0)) << 3);
      for (let rr = 0; rr < p0; rr++) {
        for (let cc = 0; cc < p0; cc++) setF(accR, rr * p0 + cc, getF(accR, rr * p0 + cc) + getF(zr, rr) * getF(ucv, cc));
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
