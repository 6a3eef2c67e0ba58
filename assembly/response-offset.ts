// The least-squares offset's per-observation passes (src/wasm/mixed-engine.ts, leastSquaresOffset): X'X, X'y
// and y − Xb. They run here rather than in JavaScript because the engine's setup runs them once per process on
// its first fit, before the JIT has compiled them: interpreted, they were the largest part of a large model's
// first setup. Every sum runs over the observations in order, one accumulator each, as the JavaScript did.

import { getF, setF } from './memory';

/** X'X (p×p, both triangles) and X'y of column-major X (n×p). */
export function crossProducts(x: usize, y: usize, n: i32, p: i32, xtx: usize, xty: usize): void {
  for (let a = 0; a < p; a++) {
    const xa = x + (<usize>a * <usize>n << 3);
    for (let b = 0; b <= a; b++) {
      const xb = x + (<usize>b * <usize>n << 3);
      let s = 0.0;
      for (let r = 0; r < n; r++) s += getF(xa, r) * getF(xb, r);
      setF(xtx, a * p + b, s);
      setF(xtx, b * p + a, s);
    }
    let s = 0.0;
    for (let r = 0; r < n; r++) s += getF(xa, r) * getF(y, r);
    setF(xty, a, s);
  }
}

/** y ← y − X·coef in place; sums[0] = y'y before, sums[1] after. */
export function shiftResponse(x: usize, y: usize, n: i32, p: i32, coef: usize, sums: usize): void {
  let yy = 0.0;
  let rr = 0.0;
  for (let r = 0; r < n; r++) {
    let fit = 0.0;
    for (let a = 0; a < p; a++) fit += getF(x, a * n + r) * getF(coef, a);
    const v = getF(y, r);
    const shifted = v - fit;
    setF(y, r, shifted);
    yy += v * v;
    rr += shifted * shifted;
  }
  setF(sums, 0, yy);
  setF(sums, 1, rr);
}
