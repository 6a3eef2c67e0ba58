// The per-step work of PIRLS (penalized iteratively reweighted least squares) for glmer: each step
// has new working weights W, so the blocks of [ZΛ X z]'W[ZΛ X z] are accumulated again from the rows.
// The rows are weighted in place (√w times the unweighted copies kept here) and setup.ts's one pass
// then runs unchanged on them; factor.ts and solve.ts are used through their usual entry points.

import { getF, getI, setF } from './memory';
import {
  nObs, nFixed, nTerms, nChain, nDense, xPtr, addPtr,
  tf, pf, T_P, T_NLEV, T_Z, T_ADIAG, T_ROWPTR, T_AD, T_CODES, T_UOFF, P_APAR,
} from './model';

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
  for (let j = 0; j < nChain; j++) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    zero(<usize>tf(j, T_ADIAG), lj * pj * pj);
    zero(<usize>tf(j, T_AD), getI(<usize>tf(j, T_ROWPTR), lj) * pj);
    for (let i = j + 1; i < nChain; i++) zero(<usize>pf(i, j, P_APAR), lj * tf(i, T_P) * pj);
  }
  zero(addPtr, nDense * nDense);
}

/** eta (n doubles) = Xβ + Zb from the unweighted rows (solve.ts's computeFitted reads the weighted ones). */
export function computeEta(beta: usize, b: usize, eta: usize): void {
  const n = nObs;
  for (let r = 0; r < n; r++) {
    let s = 0.0;
    for (let col = 0; col < nFixed; col++) s += getF(x0Ptr, col * n + r) * getF(beta, col);
    for (let t = 0; t < nTerms; t++) {
      const pt = tf(t, T_P);
      const g = getI(<usize>tf(t, T_CODES), r);
      const z = <usize>getI(z0Tab, t) + ((<usize>(r * pt)) << 3);
      const bt = tf(t, T_UOFF) + g * pt;
      for (let a = 0; a < pt; a++) s += getF(z, a) * getF(b, bt + a);
    }
    setF(eta, r, s);
  }
}
