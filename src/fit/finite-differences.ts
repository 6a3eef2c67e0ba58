/**
 * Gradient and Hessian by central finite differences, reproducing lme4's `deriv12` (lme4 1.1-31,
 * R/deriv.R): step δ = 1e-4 in each coordinate; f at x ± δeᵢ for the gradient and the diagonal, and at
 * the four points x ± δeᵢ ± δeⱼ for each off-diagonal element; the same arithmetic in the same order,
 * so that for the same f the results agree with R's to the last bits.
 *
 * Bounds: lme4 1.1-31 calls `deriv12(fn, opt$par, fx = opt$value)` (optwrap, R/lmer.R) without
 * `lower` / `upper`, so a θ on its bound 0 is differenced at −δ, outside the feasible box (the profiled
 * deviance is defined there). `deriv12` itself accepts bounds: a step that would cross a bound is
 * shortened to end on it (one-sided widths then enter the formulas); both are reproduced here.
 */

/** Options of `deriv12`. */
export interface Deriv12Options {
  /** Step δ (default 1e-4, lme4's). */
  delta?: number;
  /** f(x) if already known (lme4 passes it; otherwise it is evaluated). */
  fx?: number;
  /** Lower bounds (NaN or −∞ = none); lme4's convergence check passes none. */
  lower?: ArrayLike<number>;
  /** Upper bounds (NaN or +∞ = none). */
  upper?: ArrayLike<number>;
}

/** Finite-difference derivatives at x. */
export interface Derivatives {
  /** First derivatives (length n). */
  gradient: Float64Array;
  /** Second derivatives, row-major n×n, symmetric. */
  hessian: Float64Array;
  /** Evaluations of f made (1 + 2n² without fx, 2n² with it). */
  evaluations: number;
}

/**
 * lme4's `deriv12(fun, x, delta, fx, lower, upper)`: central-difference gradient and Hessian of f at x.
 *
 * @example
 * const { gradient, hessian } = deriv12((t) => deviance(t), thetaHat, { fx: devianceAtThetaHat });
 */
export function deriv12(f: (x: Float64Array) => number, x: ArrayLike<number>, options: Deriv12Options = {}): Derivatives {
  const n = x.length;
  if (n < 1) throw new RangeError('deriv12 needs at least one coordinate');
  const delta = options.delta ?? 1e-4;
  let evaluations = 0;
  const at = (y: Float64Array): number => {
    evaluations++;
    return f(y);
  };
  const base = Float64Array.from(x);
  const fx = options.fx ?? at(Float64Array.from(base));

  // xadd = x + δ and xsub = x − δ, pulled back onto a bound they cross (widths udelta / ldelta)
  const xadd = base.map((v) => v + delta);
  const xsub = base.map((v) => v - delta);
  const udelta = new Float64Array(n).fill(delta);
  const ldelta = new Float64Array(n).fill(delta);
  for (let i = 0; i < n; i++) {
    const ub = options.upper ? options.upper[i] : NaN;
    if (!Number.isNaN(ub) && xadd[i] > ub) {
      udelta[i] = ub - base[i];
      xadd[i] = ub;
    }
    const lb = options.lower ? options.lower[i] : NaN;
    if (!Number.isNaN(lb) && xsub[i] < lb) {
      ldelta[i] = base[i] - lb;
      xsub[i] = lb;
    }
  }
  const point = (i: number, vi: number, j = -1, vj = 0): Float64Array => {
    const y = Float64Array.from(base);
    y[i] = vi;
    if (j >= 0) y[j] = vj;
    return y;
  };

  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const fadd = at(point(j, xadd[j]));
    const fsub = at(point(j, xsub[j]));
    const ud = udelta[j];
    const ld = ldelta[j];
    hessian[j * n + j] = fadd / (ud * ud) - (2 * fx) / (ud * ld) + fsub / (ld * ld);
    gradient[j] = (fadd - fsub) / (ud + ld);
    for (let i = 0; i < j; i++) {
      const faa = at(point(i, xadd[i], j, xadd[j]));
      const fas = at(point(i, xadd[i], j, xsub[j]));
      const fsa = at(point(i, xsub[i], j, xadd[j]));
      const fss = at(point(i, xsub[i], j, xsub[j]));
      const w1 = udelta[i] + ud;
      const w2 = udelta[i] + ld;
      const w3 = ldelta[i] + ud;
      const w4 = ldelta[i] + ld;
      const h = faa / (w1 * w1) - fas / (w2 * w2) - fsa / (w3 * w3) + fss / (w4 * w4);
      hessian[i * n + j] = h;
      hessian[j * n + i] = h;
    }
  }
  return { gradient, hessian, evaluations };
}
