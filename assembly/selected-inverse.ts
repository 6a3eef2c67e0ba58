// The selected inverse of the crossed block: the entries of S⁻¹ on the pattern of its factor L, where S is
// the random-effects part of the crossed block after the chain terms are eliminated. S⁻¹ is also the crossed
// block of (Λ'Z'ZΛ + I)⁻¹, which the exact gradient of log|L|² needs (tr(A⁻¹ ∂A/∂θ)) on exactly this pattern.
// Takahashi, Fagan & Chen 1973 / Erisman & Tinney 1975, by supernodes from the last: with J a supernode's
// columns and R its rows below them, Z L = L^{-T} gives
//   Z_RJ = −Z_RR Y,  Z_JJ = L_J^{-T} L_J^{-1} − Z_RJ' Y,  where Y = L_R L_J^{-1},
// and Z_RR lies in the later supernodes' panels (R is a clique of L's pattern), already computed.
// Works on any supernodal layout: the sparse factor's, or the dense block as one supernode. Every product is
// formed as rows against rows (C −= A B') in the SIMD kernels, with Y and Z_RJ kept transposed:
//   W = L_J⁻ᵀ,  Yᵀ = W L_Rᵀ,  Z_RJᵀ = −Yᵀ Z_RR,  Z_JJ = W Wᵀ − Z_RJᵀ Y.

import { getF, getI, setF } from './memory';
import { subtractABtPacked } from './packed-kernels';
import { lowerInverseRows, subtractInverseGram } from './triangular-inverse';

/**
 * Fills z (same layout as lx) with S⁻¹ on the factor's pattern for the columns and rows below `q`
 * (the random-effects columns; X and y, after them, are left out). Scratch: `gather` ≥ m² doubles (m: the
 * most rows of a supernode's panel, its own columns included), `rel` ≥ the most rows below a supernode, i32,
 * `pack` ≥ m × PACK_COLUMNS doubles (assembly/packed-kernels.ts).
 */
export function selectedInverse(
  ns: i32, first: usize, rowPtr: usize, rows: usize, valOff: usize, lx: usize, snodeOf: usize, q: i32,
  z: usize, gather: usize, rel: usize, pack: usize,
): void {
  for (let s = ns - 1; s >= 0; s--) {
    const f = getI(first, s);
    const w = getI(first, s + 1) - f;
    const wq = min<i32>(w, q - f); // this supernode's random-effects columns
    if (wq <= 0) continue;
    const r0 = getI(rowPtr, s);
    const m = getI(rowPtr, s + 1) - r0;
    let nb = 0; // rows below the supernode that are random effects (they come before X and y)
    while (w + nb < m && getI(rows, r0 + w + nb) < q) nb++;
    const panel = lx + ((<usize>getI(valOff, s)) << 3);
    const zp = z + ((<usize>getI(valOff, s)) << 3);
    // scratch: Z_RR (nb × nb, full) | Yᵀ (wq × nb) | Z_RJᵀ (wq × nb) | W (wq × wq): (nb + wq)² doubles
    const zrr = gather;
    const yt = zrr + ((<usize>nb * <usize>nb) << 3);
    const zrjt = yt + ((<usize>nb * <usize>wq) << 3);
    const wInv = zrjt + ((<usize>nb * <usize>wq) << 3);
    gatherLater(rows + ((<usize>(r0 + w)) << 2), nb, rows, first, rowPtr, valOff, snodeOf, z, zrr, rel);
    lowerInverseRows(panel, w, wq, wInv, pack);
    if (nb > 0) {
      // Yᵀ = W L_Rᵀ (formed as −(0 − W L_Rᵀ)), then Z_RJᵀ = 0 − Yᵀ Z_RR (Z_RR symmetric)
      const sizeT = nb * wq;
      memory.fill(yt, 0, (<usize>(2 * sizeT)) << 3);
      subtractABtPacked(yt, nb, wInv, wq, panel + ((<usize>w * <usize>w) << 3), w, wq, wq, nb, false, pack);
      for (let k = 0; k < sizeT; k++) setF(yt, k, -getF(yt, k));
      subtractABtPacked(zrjt, nb, yt, nb, zrr, nb, nb, wq, nb, false, pack);
    }
    // Z_JJ = W Wᵀ − Z_RJᵀ Y in the panel's leading block (lower triangle; zero above it)
    for (let i = 0; i < wq; i++) memory.fill(zp + ((<usize>i * <usize>w) << 3), 0, (<usize>w) << 3);
    subtractInverseGram(zp, w, wInv, wq, pack);
    for (let i = 0; i < wq; i++) {
      const zi = zp + ((<usize>i * <usize>w) << 3);
      for (let j = 0; j <= i; j++) setF(zi, j, -getF(zi, j));
    }
    if (nb > 0) {
      subtractABtPacked(zp, w, zrjt, nb, yt, nb, nb, wq, wq, true, pack);
      for (let a = 0; a < nb; a++) {
        const za = zp + ((<usize>(w + a) * <usize>w) << 3);
        for (let j = 0; j < wq; j++) setF(za, j, getF(zrjt, j * nb + a));
      }
    }
  }
}

/**
 * Z_RR (nb × nb, full) from the supernodal panels of z, for the rows R: nb factor columns, ascending, at
 * `rl`, a clique of the factor's pattern after the supernode being processed. The rows of R from a target
 * supernode's first column down are all among its rows, so their places there are found once by merging
 * the two sorted lists.
 */
export function gatherLater(
  rl: usize, nb: i32, rows: usize, first: usize, rowPtr: usize, valOff: usize, snodeOf: usize, z: usize,
  zrr: usize, rel: usize,
): void {
  let b0 = 0;
  while (b0 < nb) {
    const col = getI(rl, b0);
    const t = getI(snodeOf, col);
    const ft = getI(first, t);
    const lt = getI(first, t + 1);
    const wt = lt - ft;
    let b1 = b0 + 1;
    while (b1 < nb && getI(rl, b1) < lt) b1++;
    const rt = rows + ((<usize>getI(rowPtr, t)) << 2);
    let qq = col - ft; // the target's own columns lead its rows
    for (let a = b0; a < nb; a++) {
      const target = getI(rl, a);
      while (getI(rt, qq) != target) qq++;
      store<i32>(rel + ((<usize>a) << 2), qq);
    }
    const zt = z + ((<usize>getI(valOff, t)) << 3);
    for (let b = b0; b < b1; b++) {
      const lc = getI(rl, b) - ft;
      for (let a = b; a < nb; a++) {
        const v = getF(zt, getI(rel, a) * wt + lc);
        setF(zrr, a * nb + b, v);
        setF(zrr, b * nb + a, v);
      }
    }
    b0 = b1;
  }
}
