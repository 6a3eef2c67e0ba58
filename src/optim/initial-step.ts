/**
 * NLopt's default initial step of its derivative-free algorithms (nlopt_set_default_initial_step in
 * NLopt 2.7.1 api/options.c), which lme4's nloptwrap gets because it sets no initial step. Per
 * coordinate: a quarter of a finite box width, shortened to 3/4 of the distance to a bound closer
 * than that; with no finite bound on either side of a coordinate, |x| itself, or 1 when x = 0.
 */

/** The smallest normal double: NLopt treats smaller steps (zero or subnormal) as none. */
const DBL_MIN = 2.2250738585072014e-308;

/** NLopt's default initial step for each coordinate of x in the box [lower, upper]. */
export function defaultInitialStep(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const lb = lower[i];
    const ub = upper[i];
    const xi = x[i];
    let step = Infinity;
    if (Number.isFinite(ub) && Number.isFinite(lb) && (ub - lb) * 0.25 < step && ub > lb) step = (ub - lb) * 0.25;
    if (Number.isFinite(ub) && ub - xi < step && ub > xi) step = (ub - xi) * 0.75;
    if (Number.isFinite(lb) && xi - lb < step && xi > lb) step = (xi - lb) * 0.75;
    if (!Number.isFinite(step)) {
      // no finite bound away from x (NLopt's rule; for x inside the box this gives 0 or leaves ∞)
      if (Number.isFinite(ub) && Math.abs(ub - xi) < Math.abs(step)) step = (ub - xi) * 1.1;
      if (Number.isFinite(lb) && Math.abs(xi - lb) < Math.abs(step)) step = (xi - lb) * 1.1;
    }
    if (!Number.isFinite(step) || Math.abs(step) < DBL_MIN) step = xi;
    if (!Number.isFinite(step) || step === 0) step = 1;
    dx[i] = step;
  }
  return dx;
}
