/**
 * The variances behind lme4's starting θ on the engine (assembly/r-moments.ts): var(y) and, per grouping,
 * var(ave(y, g)) and their sum, rounded as R computes them in long double (test/helpers/r-moments.ts is the
 * reference the tests hold them to), at WebAssembly speed: the passes over the rows are most of the start's
 * cost on large data.
 */
import { acquireInstance, releaseInstance } from './instance-pool.js';
import { integerCodes } from '../frame/model-frame.js';

/** One grouping: each row's level code and the number of levels. */
export interface StartGroupingCodes {
  readonly codes: Int32Array;
  readonly nlev: number;
}

/** var(y), var(ave(y, g)) for each grouping g (as R's var) and sumV = sum(v) (as R's sum). */
export function startVariances(y: Float64Array, groupings: readonly StartGroupingCodes[]): { vy: number; v: Float64Array; sumV: number } {
  const n = y.length;
  const k = groupings.length;
  let maxLev = 1;
  for (const g of groupings) maxLev = Math.max(maxLev, g.nlev);
  // var(y) rounds each distinct value's deviation and square once: whole-number responses have few
  const whole = integerCodes(y);
  const yValues = whole ? whole.distinct : y;
  const w = acquireInstance();
  try {
    const yPtr = w.allocF64(n);
    const yValuesPtr = whole ? w.allocF64(yValues.length) : yPtr;
    const yCodesPtr = whole ? w.allocI32(n) : 0;
    const codePtrs = groupings.map(() => w.allocI32(n));
    const tab = w.allocI32(Math.max(1, k));
    const nlevs = w.allocI32(Math.max(1, k));
    const out = w.allocF64(k + 2);
    // the tables of var(y)'s deviations and squares (one row per distinct value or per row), of each
    // grouping's (one per level) and the rows of each level in turn
    const scratch = w.allocF64(4 * Math.max(n, maxLev));
    const means = w.allocF64(maxLev);
    const counts = w.allocI32(maxLev);
    w.f64(yPtr, n).set(y);
    if (whole) {
      w.f64(yValuesPtr, yValues.length).set(yValues);
      w.i32(yCodesPtr, n).set(whole.codes);
    }
    groupings.forEach((g, j) => w.i32(codePtrs[j], n).set(g.codes));
    w.i32(tab, k).set(codePtrs);
    w.i32(nlevs, k).set(groupings.map((g) => g.nlev));
    (w.exports as unknown as { startVariances(...args: number[]): void }).startVariances(yPtr, n, yValuesPtr, yCodesPtr, yValues.length, k, tab, nlevs, out, scratch, means, counts);
    const v = w.f64(out, k + 2).slice();
    return { vy: v[0], v: v.subarray(1, k + 1), sumV: v[k + 1] };
  } finally {
    releaseInstance(w);
  }
}
