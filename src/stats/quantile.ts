/**
 * Sample quantiles as R's quantile.default(x, probs, type = 7) computes them (the residual lines of
 * the summaries print these): index 1 + (n − 1)·p, interpolated as (1 − h)·x[lo] + h·x[hi], bit for bit.
 */

/** R's quantile(x, probs) (type 7; NaN dropped as na.rm = TRUE would). Default probs: Min, 1Q, Median, 3Q, Max. */
export function quantile7(x: ArrayLike<number>, probs: readonly number[] = [0, 0.25, 0.5, 0.75, 1]): number[] {
  const s = Float64Array.from(x)
    .filter((v) => !Number.isNaN(v))
    .sort();
  const n = s.length;
  if (n === 0) return probs.map(() => NaN);
  return probs.map((p) => {
    const index = 1 + (n - 1) * p;
    const lo = Math.floor(index);
    const hi = Math.ceil(index);
    const qs = s[lo - 1];
    const xhi = s[hi - 1];
    if (!(index > lo && xhi !== qs)) return qs;
    const h = index - lo;
    return (1 - h) * qs + h * xhi;
  });
}
