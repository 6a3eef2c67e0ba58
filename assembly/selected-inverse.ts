// The selected inverse of the crossed block: the entries of S⁻¹ on the pattern of its factor L, where S is
// the random-effects part of the crossed block after the chain terms are eliminated. S⁻¹ is also the crossed
// block of (Λ'Z'ZΛ + I)⁻¹, which the exact gradient of log|L|² needs (tr(A⁻¹ ∂A/∂θ)) on exactly this pattern.
// Takahashi, Fagan & Chen 1973 / Erisman & Tinney 1975, by supernodes from the last: with J a supernode's
// columns and R its rows below them, Z L = L^{-T} gives
//   Z_RJ = −Z_RR Y,  Z_JJ = L_J^{-T} L_J^{-1} − Z_RJ' Y,  where Y = L_R L_J^{-1},
// and Z_RR lies in the later supernodes' panels (R is a clique of L's pattern), already computed.
// Works on any supernodal layout: the sparse factor's, or the dense block as one supernode.

import { getF, getI, setF } from './memory';

/**
 * Fills z (same layout as lx) with S⁻¹ on the factor's pattern for the columns and rows below `q`
 * (the random-effects columns; X and y, after them, are left out). Scratch: `gather` ≥ (maxRows + maxCols)²
 * doubles (maxRows: rows below a supernode, maxCols: its columns), `rel` ≥ maxRows i32.
 */
export function selectedInverse(
  ns: i32, first: usize, rowPtr: usize, rows: usize, valOff: usize, lx: usize, snodeOf: usize, q: i32,
  z: usize, gather: usize, rel: usize,
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
    const zrr = gather; // nb × nb, full
    const y = gather + ((<usize>nb * <usize>nb) << 3); // nb × wq
    const zrj = y + ((<usize>nb * <usize>wq) << 3); // nb × wq
    // Z_RR from the later supernodes: the rows of R from a target's first column down are among its rows
    let b0 = 0;
    while (b0 < nb) {
      const col = getI(rows, r0 + w + b0);
      const t = getI(snodeOf, col);
      const ft = getI(first, t);
      const lt = getI(first, t + 1);
      const wt = lt - ft;
      let b1 = b0 + 1;
      while (b1 < nb && getI(rows, r0 + w + b1) < lt) b1++;
      const rt = rows + ((<usize>getI(rowPtr, t)) << 2);
      let qq = 0;
      for (let a = b0; a < nb; a++) {
        const target = getI(rows, r0 + w + a);
        while (getI(rt, qq) != target) qq++;
        store<i32>(rel + ((<usize>a) << 2), qq);
      }
      const zt = z + ((<usize>getI(valOff, t)) << 3);
      for (let b = b0; b < b1; b++) {
        const lc = getI(rows, r0 + w + b) - ft;
        for (let a = b; a < nb; a++) {
          const v = getF(zt, getI(rel, a) * wt + lc);
          setF(zrr, a * nb + b, v);
          setF(zrr, b * nb + a, v);
        }
      }
      b0 = b1;
    }
    // Y = L_R L_J^{-1}: each row solves y L_J = l (back substitution with L_J')
    for (let a = 0; a < nb; a++) {
      const la = panel + ((<usize>(w + a) * <usize>w) << 3);
      const ya = y + ((<usize>a * <usize>wq) << 3);
      for (let j = wq - 1; j >= 0; j--) {
        let sum = getF(la, j);
        for (let k = j + 1; k < wq; k++) sum -= getF(ya, k) * getF(panel, k * w + j);
        setF(ya, j, sum / getF(panel, j * w + j));
      }
    }
    // Z_RJ = −Z_RR Y
    for (let a = 0; a < nb; a++) {
      for (let j = 0; j < wq; j++) {
        let sum = 0.0;
        for (let k = 0; k < nb; k++) sum += getF(zrr, a * nb + k) * getF(y, k * wq + j);
        setF(zrj, a * wq + j, -sum);
      }
    }
    // Z_JJ = L_J^{-T} L_J^{-1} − Z_RJ' Y, the first term column by column from the inverse of L_J, held
    // for now in the panel's upper triangle of z (rows 0..wq-1), then the lower triangle written
    for (let j = 0; j < wq; j++) {
      // column j of L_J^{-1} by forward substitution, kept in z's row j (entries j..wq-1 as a row vector)
      const inv = zp + ((<usize>j * <usize>w) << 3);
      for (let i = 0; i < j; i++) setF(inv, i, 0.0);
      for (let i = j; i < wq; i++) {
        let sum = i == j ? 1.0 : 0.0;
        for (let k = j; k < i; k++) sum -= getF(panel, i * w + k) * getF(inv, k);
        setF(inv, i, sum / getF(panel, i * w + i));
      }
    }
    // (L_J^{-T} L_J^{-1})[i][j] = Σ_k W[k][i] W[k][j] with W = L_J^{-1} (W[k][i] = column i's entry k, in row i)
    for (let i = 0; i < wq; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = 0.0;
        for (let k = i; k < wq; k++) sum += getF(zp, i * w + k) * getF(zp, j * w + k);
        for (let a = 0; a < nb; a++) sum -= getF(zrj, a * wq + i) * getF(y, a * wq + j);
        // stored transposed for now: (j, i) is above the diagonal, never read again by this loop after use
        setF(gather + ((<usize>(nb * nb + 2 * nb * wq)) << 3), i * wq + j, sum);
      }
    }
    const zjj = gather + ((<usize>(nb * nb + 2 * nb * wq)) << 3);
    for (let i = 0; i < wq; i++) {
      for (let j = 0; j < w; j++) setF(zp, i * w + j, j <= i ? getF(zjj, i * wq + j) : 0.0);
    }
    for (let a = 0; a < nb; a++) {
      for (let j = 0; j < wq; j++) setF(zp, (w + a) * w + j, getF(zrj, a * wq + j));
    }
  }
}
