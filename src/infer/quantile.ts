/**
 * Sample quantiles as R's quantile(x, probs, type = 7) computes them (summary tables print these).
 */

/** Type-7 quantiles of x at probabilities `probs`. */
export function quantile7(x: ArrayLike<number>, probs: readonly number[]): number[] {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  if (n === 0) return probs.map(() => NaN);
  return probs.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h + 4 * Number.EPSILON);
    const hi = Math.min(lo + 1, n - 1);
    const frac = h - lo;
    return frac <= 4 * Number.EPSILON ? s[lo] : s[lo] + frac * (s[hi] - s[lo]);
  });
}
