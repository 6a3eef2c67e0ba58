/**
 * Argument checks shared by the optimizers, and the counting wrapper that maps non-finite values to +∞.
 */
import { OptionError } from '../errors.js';
import type { Objective } from './types.js';

/** Validates x0 and the bounds; returns copies as Float64Array. */
export function checkProblem(
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): { x: Float64Array; lo: Float64Array; hi: Float64Array } {
  const n = x0.length;
  if (n === 0) throw new OptionError('the optimizer needs at least one parameter');
  if (lower.length !== n || upper.length !== n) {
    throw new OptionError(`bounds have lengths ${lower.length} and ${upper.length}; the start has ${n} parameters`);
  }
  const x = Float64Array.from(x0);
  const lo = Float64Array.from(lower);
  const hi = Float64Array.from(upper);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new OptionError(`start value ${i + 1} is not finite (${x[i]})`);
    if (!(lo[i] <= hi[i])) throw new OptionError(`lower bound ${i + 1} (${lo[i]}) exceeds the upper bound (${hi[i]})`);
    if (x[i] < lo[i] || x[i] > hi[i]) {
      throw new OptionError(`start value ${i + 1} (${x[i]}) is outside its bounds [${lo[i]}, ${hi[i]}]`);
    }
  }
  return { x, lo, hi };
}

/** Wraps f to count evaluations and to treat NaN/±∞ as +∞. */
export function counted(f: Objective): { f: Objective; count: () => number } {
  let evaluations = 0;
  return {
    f: (x) => {
      evaluations++;
      const v = f(x);
      return Number.isFinite(v) ? v : Infinity;
    },
    count: () => evaluations,
  };
}
