/**
 * Argument checks shared by the optimizers: the start, the bounds and the numeric options.
 */
import { OptionError } from '../errors.js';
import type { OptimOptions } from './types.js';

/** A validated problem: copies of the start and the bounds. */
export interface BoxProblem {
  readonly x0: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Validates x0 and the bounds (same lengths, finite start, lower ≤ upper, start inside the box, no
 * NaN bound) and returns copies as Float64Array. Throws OptionError.
 */
export function checkProblem(x0: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): BoxProblem {
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
    if (Number.isNaN(lo[i]) || Number.isNaN(hi[i])) throw new OptionError(`bound ${i + 1} is NaN`);
    if (!(lo[i] <= hi[i])) throw new OptionError(`lower bound ${i + 1} (${lo[i]}) exceeds the upper bound (${hi[i]})`);
    if (x[i] < lo[i] || x[i] > hi[i]) {
      throw new OptionError(`start value ${i + 1} (${x[i]}) is outside its bounds [${lo[i]}, ${hi[i]}]`);
    }
  }
  return { x0: x, lower: lo, upper: hi };
}

/** Throws OptionError unless every option that is set has a usable value. */
export function checkOptions(options: OptimOptions): void {
  const { maxEvaluations, rhoBeg, rhoEnd, ftolAbs, ftolRel, xtolAbs, xtolRel, levelFtolAbs } = options;
  if (maxEvaluations !== undefined && !(Number.isInteger(maxEvaluations) && maxEvaluations >= 1)) {
    throw new OptionError(`maxEvaluations must be a positive integer (got ${maxEvaluations})`);
  }
  const positive: [string, number | undefined][] = [['rhoBeg', rhoBeg], ['rhoEnd', rhoEnd]];
  for (const [name, v] of positive) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new OptionError(`${name} must be a positive number (got ${v})`);
  }
  const nonNegative: [string, number | undefined][] = [
    ['ftolAbs', ftolAbs],
    ['ftolRel', ftolRel],
    ['xtolAbs', xtolAbs],
    ['xtolRel', xtolRel],
    ['levelFtolAbs', levelFtolAbs],
  ];
  for (const [name, v] of nonNegative) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new OptionError(`${name} must be a number >= 0 (got ${v})`);
  }
}
