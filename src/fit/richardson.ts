/**
 * Numerical derivatives by central differences with Richardson extrapolation, following the method
 * of R's numDeriv package (Gilbert & Varadhan), which lmerTest uses for the Hessian of the deviance and
 * the Jacobian of Var(β̂). Same step rules and defaults, so our Satterthwaite df agree with lmerTest's.
 *
 * Steps: h_i = |d·x_i| + eps·[|x_i| < zeroTol], halved `r` times; the r difference quotients are
 * combined by Richardson extrapolation (error O(h²) → O(h^{2r})).
 */

/** Options of the Richardson method (numDeriv's `method.args`). */
export interface RichardsonOptions {
  /** Relative step (numDeriv: 0.1 for hessian, 1e-4 for jacobian). */
  d: number;
  /** Absolute step used where |x| < zeroTol. */
  eps?: number;
  zeroTol?: number;
  /** Number of step halvings (extrapolation levels). */
  r?: number;
}

const DEFAULT_EPS = 1e-4;
const DEFAULT_ZERO_TOL = Math.sqrt(2.220446049250313e-16 / 7e-7);
const DEFAULT_R = 4;

function initialSteps(x: ArrayLike<number>, o: RichardsonOptions): Float64Array {
  const eps = o.eps ?? DEFAULT_EPS;
  const zeroTol = o.zeroTol ?? DEFAULT_ZERO_TOL;
  const h = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) h[i] = Math.abs(o.d * x[i]) + (Math.abs(x[i]) < zeroTol ? eps : 0);
  return h;
}

/** Richardson extrapolation of approximations a[0..r-1] computed with steps h, h/2, h/4, ... (in place). */
function extrapolate(a: Float64Array[]): Float64Array {
  const r = a.length;
  for (let m = 1; m < r; m++) {
    const f = 4 ** m;
    for (let k = 0; k < r - m; k++) {
      const next = a[k + 1];
      const cur = a[k];
      for (let e = 0; e < cur.length; e++) cur[e] = (next[e] * f - cur[e]) / (f - 1);
    }
  }
  return a[0];
}

function shifted(x: ArrayLike<number>, i: number, hi: number, j = -1, hj = 0): Float64Array {
  const y = Float64Array.from(x);
  y[i] += hi;
  if (j >= 0) y[j] += hj;
  return y;
}

/**
 * Hessian of a scalar function (numDeriv::hessian, method "Richardson"; default d = 0.1).
 * Returns a row-major n×n symmetric matrix.
 */
export function hessian(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  options: Partial<RichardsonOptions> = {},
): Float64Array {
  const o: RichardsonOptions = { d: 0.1, ...options };
  const r = o.r ?? DEFAULT_R;
  const n = x.length;
  const f0 = f(Float64Array.from(x));
  const h0 = initialSteps(x, o);
  const diag = new Float64Array(n);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const approx: Float64Array[] = [];
    let h = h0[i];
    for (let k = 0; k < r; k++) {
      const f1 = f(shifted(x, i, h));
      const f2 = f(shifted(x, i, -h));
      approx.push(Float64Array.of((f1 - 2 * f0 + f2) / (h * h)));
      h /= 2;
    }
    diag[i] = extrapolate(approx)[0];
    H[i * n + i] = diag[i];
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const approx: Float64Array[] = [];
      let hi = h0[i];
      let hj = h0[j];
      for (let k = 0; k < r; k++) {
        const f1 = f(shifted(x, i, hi, j, hj));
        const f2 = f(shifted(x, i, -hi, j, -hj));
        approx.push(Float64Array.of((f1 - 2 * f0 + f2 - diag[i] * hi * hi - diag[j] * hj * hj) / (2 * hi * hj)));
        hi /= 2;
        hj /= 2;
      }
      const v = extrapolate(approx)[0];
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * Jacobian of a vector function (numDeriv::jacobian, method "Richardson"; default d = 1e-4).
 * Returns one Float64Array per input coordinate: column i holds ∂f/∂x_i.
 */
export function jacobian(
  f: (x: Float64Array) => Float64Array,
  x: ArrayLike<number>,
  options: Partial<RichardsonOptions> = {},
): Float64Array[] {
  const o: RichardsonOptions = { d: 1e-4, ...options };
  const r = o.r ?? DEFAULT_R;
  const n = x.length;
  const h0 = initialSteps(x, o);
  const columns: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const approx: Float64Array[] = [];
    let h = h0[i];
    for (let k = 0; k < r; k++) {
      const f1 = f(shifted(x, i, h));
      const f2 = f(shifted(x, i, -h));
      const q = new Float64Array(f1.length);
      for (let e = 0; e < q.length; e++) q[e] = (f1[e] - f2[e]) / (2 * h);
      approx.push(q);
      h /= 2;
    }
    columns.push(extrapolate(approx));
  }
  return columns;
}
