/**
 * BOBYQA's interpolation set and quadratic model (Powell 2009, sections 2–4), in coordinates that are
 * displacements from a base point `xbase`:
 *
 * - m = 2n + 1 points `xpt` with values `fval`, the best one `xopt` = xpt[kopt];
 * - the model Q(xopt + d) = f(xopt) + gopt·d + ½ d'∇²Q d, whose Hessian is kept as an explicit part
 *   `hq` (packed upper triangle) plus an implicit part Σ_k pq_k x_k x_k';
 * - the inverse H of the KKT matrix of the interpolation conditions, kept as `bmat` (its last n
 *   columns) and `zmat` (a factor of its leading m×m block, Ω = Z Z'), updated when a point moves.
 *
 * Expressions keep the association of Powell's Fortran (as NLopt 2.7.1 translates it) so that the
 * sequence of points, and so the number of evaluations, is that of lme4's optimizer.
 */

/** The state that the trust-region step, the geometry step and the main iteration share. */
export class BobyqaModel {
  readonly n: number;
  readonly npt: number;
  /** npt − n − 1, the number of columns of zmat. */
  readonly nptm: number;
  readonly xbase: Float64Array;
  /** Interpolation points, npt × n row-major (displacements from xbase). */
  readonly xpt: Float64Array;
  readonly fval: Float64Array;
  readonly xopt: Float64Array;
  /** Gradient of the model at xopt. */
  readonly gopt: Float64Array;
  /** Explicit Hessian part, packed upper triangle: (i, j), i ≤ j, at i + j(j+1)/2. */
  readonly hq: Float64Array;
  /** Implicit Hessian part: Σ_k pq_k x_k x_k'. */
  readonly pq: Float64Array;
  /** (npt + n) × n row-major: the last n columns of H. */
  readonly bmat: Float64Array;
  /** npt × nptm row-major: Ω = Z Z' is the leading npt × npt block of H. */
  readonly zmat: Float64Array;
  /** Bounds as displacements from xbase. */
  readonly sl: Float64Array;
  readonly su: Float64Array;
  kopt = 0;

  constructor(n: number) {
    this.n = n;
    this.npt = 2 * n + 1;
    this.nptm = this.npt - n - 1;
    this.xbase = new Float64Array(n);
    this.xpt = new Float64Array(this.npt * n);
    this.fval = new Float64Array(this.npt);
    this.xopt = new Float64Array(n);
    this.gopt = new Float64Array(n);
    this.hq = new Float64Array((n * (n + 1)) / 2);
    this.pq = new Float64Array(this.npt);
    this.bmat = new Float64Array((this.npt + n) * n);
    this.zmat = new Float64Array(this.npt * this.nptm);
    this.sl = new Float64Array(n);
    this.su = new Float64Array(n);
  }

  /**
   * Puts the base at x (moved inside the box so that no bound is nearer than rho unless x is on it,
   * as Powell's BOBYQA requires of the first model) and the bounds relative to it. The box must be
   * at least 2·rho wide in every coordinate.
   */
  setBase(x: Float64Array, xl: Float64Array, xu: Float64Array, rho: number): void {
    const { n, xbase, sl, su } = this;
    for (let j = 0; j < n; j++) {
      const width = xu[j] - xl[j];
      xbase[j] = x[j];
      sl[j] = xl[j] - x[j];
      su[j] = xu[j] - x[j];
      if (sl[j] >= -rho) {
        if (sl[j] >= 0) {
          xbase[j] = xl[j];
          sl[j] = 0;
          su[j] = width;
        } else {
          xbase[j] = xl[j] + rho;
          sl[j] = -rho;
          su[j] = Math.max(xu[j] - xbase[j], rho);
        }
      } else if (su[j] <= rho) {
        if (su[j] <= 0) {
          xbase[j] = xu[j];
          sl[j] = -width;
          su[j] = 0;
        } else {
          xbase[j] = xu[j] - rho;
          sl[j] = Math.min(xl[j] - xbase[j], -rho);
          su[j] = rho;
        }
      }
    }
  }

  /**
   * The first 2n + 1 interpolation points (Powell's PRELIM): the base, a step of rho along each
   * coordinate (away from a bound the base sits on), then a second step along each coordinate
   * (backwards, or twice as far when the base is on a bound). Their positions do not depend on f.
   * Returns them as an npt × n row-major array of displacements; `xpt` is set to the same.
   */
  initialPoints(rho: number): Float64Array {
    const { n, npt, xpt, sl, su } = this;
    xpt.fill(0);
    for (let i = 0; i < n; i++) {
      const stepa = su[i] === 0 ? -rho : rho;
      xpt[(i + 1) * n + i] = stepa;
      let stepb = -rho;
      if (sl[i] === 0) stepb = Math.min(2 * rho, su[i]);
      if (su[i] === 0) stepb = Math.max(-2 * rho, sl[i]);
      xpt[(i + 1 + n) * n + i] = stepb;
    }
    return xpt.slice(0, npt * n);
  }

  /**
   * Builds the first model and H from the values at the initial points (Powell's PRELIM, the part
   * after each evaluation); may swap the two points of a coordinate so that the better one comes first.
   */
  initialModel(values: Float64Array, rho: number): void {
    const { n, nptm, xpt, fval, gopt, hq, pq, bmat, zmat } = this;
    const rhosq = rho * rho;
    gopt.fill(0);
    hq.fill(0);
    pq.fill(0);
    bmat.fill(0);
    zmat.fill(0);
    const fbeg = values[0];
    fval[0] = fbeg;
    this.kopt = 0;
    for (let nf = 1; nf < this.npt; nf++) {
      const f = values[nf];
      fval[nf] = f;
      if (f < fval[this.kopt]) this.kopt = nf;
      if (nf <= n) {
        const i = nf - 1;
        gopt[i] = (f - fbeg) / xpt[nf * n + i];
        continue;
      }
      const i = nf - n - 1;
      const stepa = xpt[(nf - n) * n + i];
      const stepb = xpt[nf * n + i];
      const temp = (f - fbeg) / stepb;
      const diff = stepb - stepa;
      hq[i + (i * (i + 1)) / 2] = (2 * (temp - gopt[i])) / diff;
      gopt[i] = (gopt[i] * stepb - temp * stepa) / diff;
      if (stepa * stepb < 0 && f < fval[nf - n]) {
        fval[nf] = fval[nf - n];
        fval[nf - n] = f;
        if (this.kopt === nf) this.kopt = nf - n;
        xpt[(nf - n) * n + i] = stepb;
        xpt[nf * n + i] = stepa;
      }
      bmat[i] = -(stepa + stepb) / (stepa * stepb);
      bmat[nf * n + i] = -0.5 / xpt[(nf - n) * n + i];
      bmat[(nf - n) * n + i] = -bmat[i] - bmat[nf * n + i];
      zmat[i] = Math.SQRT2 / (stepa * stepb);
      zmat[nf * nptm + i] = Math.SQRT1_2 / rhosq;
      zmat[(nf - n) * nptm + i] = -zmat[i] - zmat[nf * nptm + i];
    }
  }

  /** Copies xpt[kopt] into xopt and returns its squared length. */
  setXopt(): number {
    const { n, xpt, xopt, kopt } = this;
    let xoptsq = 0;
    for (let i = 0; i < n; i++) {
      xopt[i] = xpt[kopt * n + i];
      xoptsq += xopt[i] * xopt[i];
    }
    return xoptsq;
  }

  /** gopt += ∇²Q·v, with the implicit part only when `implicit` (Powell skips it for the first model). */
  addHessianTimes(v: Float64Array, implicit: boolean): void {
    const { n, npt, xpt, pq, hq, gopt } = this;
    let ih = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i <= j; i++) {
        if (i < j) gopt[j] += hq[ih] * v[i];
        gopt[i] += hq[ih] * v[j];
        ih++;
      }
    }
    if (!implicit) return;
    for (let k = 0; k < npt; k++) {
      let temp = 0;
      for (let j = 0; j < n; j++) temp += xpt[k * n + j] * v[j];
      temp = pq[k] * temp;
      for (let i = 0; i < n; i++) gopt[i] += temp * xpt[k * n + i];
    }
  }

  /** out = ∇²Q·s (the explicit part and the nonzero implicit terms). */
  hessianTimes(s: Float64Array, out: Float64Array): void {
    const { n, npt, xpt, pq, hq } = this;
    let ih = 0;
    for (let j = 0; j < n; j++) {
      out[j] = 0;
      for (let i = 0; i <= j; i++) {
        if (i < j) out[j] += hq[ih] * s[i];
        out[i] += hq[ih] * s[j];
        ih++;
      }
    }
    for (let k = 0; k < npt; k++) {
      if (pq[k] === 0) continue;
      let temp = 0;
      for (let j = 0; j < n; j++) temp += xpt[k * n + j] * s[j];
      temp *= pq[k];
      for (let i = 0; i < n; i++) out[i] += temp * xpt[k * n + i];
    }
  }

  /** The k-th diagonal element of Ω = Z Z'. */
  omegaDiagonal(k: number): number {
    const { nptm, zmat } = this;
    let s = 0;
    for (let jj = 0; jj < nptm; jj++) {
      const z = zmat[k * nptm + jj];
      s += z * z;
    }
    return s;
  }

  /**
   * The values at xopt + d of the Lagrange functions (vlag[0..npt)) and the last n components of
   * H·w (vlag[npt..npt+n)), and Powell's β for the step d. Leaves x_k·d in xd (length npt), used for
   * the model's change along d.
   */
  lagrangeValues(d: Float64Array, xoptsq: number, vlag: Float64Array, xd: Float64Array, work: Float64Array): number {
    const { n, npt, nptm, xpt, xopt, bmat, zmat, kopt } = this;
    for (let k = 0; k < npt; k++) {
      let suma = 0;
      let sumb = 0;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        suma += xpt[k * n + j] * d[j];
        sumb += xpt[k * n + j] * xopt[j];
        sum += bmat[k * n + j] * d[j];
      }
      work[k] = suma * (0.5 * suma + sumb);
      vlag[k] = sum;
      xd[k] = suma;
    }
    let beta = 0;
    for (let jj = 0; jj < nptm; jj++) {
      let sum = 0;
      for (let k = 0; k < npt; k++) sum += zmat[k * nptm + jj] * work[k];
      beta -= sum * sum;
      for (let k = 0; k < npt; k++) vlag[k] += sum * zmat[k * nptm + jj];
    }
    let dsq = 0;
    let bsum = 0;
    let dx = 0;
    for (let j = 0; j < n; j++) {
      dsq += d[j] * d[j];
      let sum = 0;
      for (let k = 0; k < npt; k++) sum += work[k] * bmat[k * n + j];
      bsum += sum * d[j];
      const jp = npt + j;
      for (let i = 0; i < n; i++) sum += bmat[jp * n + i] * d[i];
      vlag[jp] = sum;
      bsum += sum * d[j];
      dx += d[j] * xopt[j];
    }
    beta = dx * dx + dsq * (xoptsq + dx + dx + 0.5 * dsq) + beta - bsum;
    vlag[kopt] += 1;
    return beta;
  }

  /**
   * Updates H (bmat, zmat) for moving point `knew` (Powell's UPDATE): Givens rotations put zeros in
   * row knew of zmat beyond its first column, then the rank-two change. vlag is modified.
   */
  updateH(vlag: Float64Array, beta: number, denom: number, knew: number, w: Float64Array): void {
    const { n, npt, nptm, bmat, zmat } = this;
    let ztest = 0;
    for (let i = 0; i < zmat.length; i++) ztest = Math.max(ztest, Math.abs(zmat[i]));
    ztest *= 1e-20;
    for (let j = 1; j < nptm; j++) {
      if (Math.abs(zmat[knew * nptm + j]) > ztest) {
        const a = zmat[knew * nptm];
        const b = zmat[knew * nptm + j];
        const r = Math.sqrt(a * a + b * b);
        const ca = zmat[knew * nptm] / r;
        const cb = zmat[knew * nptm + j] / r;
        for (let i = 0; i < npt; i++) {
          const t = ca * zmat[i * nptm] + cb * zmat[i * nptm + j];
          zmat[i * nptm + j] = ca * zmat[i * nptm + j] - cb * zmat[i * nptm];
          zmat[i * nptm] = t;
        }
      }
      zmat[knew * nptm + j] = 0;
    }
    for (let i = 0; i < npt; i++) w[i] = zmat[knew * nptm] * zmat[i * nptm];
    const alpha = w[knew];
    const tau = vlag[knew];
    vlag[knew] -= 1;
    const sq = Math.sqrt(denom);
    const tb = zmat[knew * nptm] / sq;
    const ta = tau / sq;
    for (let i = 0; i < npt; i++) zmat[i * nptm] = ta * zmat[i * nptm] - tb * vlag[i];
    for (let j = 0; j < n; j++) {
      const jp = npt + j;
      w[jp] = bmat[knew * n + j];
      const tempa = (alpha * vlag[jp] - tau * w[jp]) / denom;
      const tempb = (-beta * w[jp] - tau * vlag[jp]) / denom;
      for (let i = 0; i <= jp; i++) {
        bmat[i * n + j] = bmat[i * n + j] + tempa * vlag[i] + tempb * w[i];
        if (i >= npt) bmat[jp * n + (i - npt)] = bmat[i * n + j];
      }
    }
  }

  /**
   * Moves xbase to xbase + xopt (against cancellation when xopt is far from the base), revising bmat
   * and the Hessian parts exactly; xnew (a displacement) is shifted too.
   */
  shiftBase(xnew: Float64Array, xoptsq: number, work: Float64Array): void {
    const { n, npt, nptm, xpt, xopt, bmat, zmat, pq, hq, xbase, sl, su } = this;
    const fracsq = 0.25 * xoptsq;
    let sumpq = 0;
    const wk = work.subarray(0, npt);
    const wv = work.subarray(npt, npt + n);
    const vl = work.subarray(npt + n, npt + n + Math.max(n, npt));
    for (let k = 0; k < npt; k++) {
      sumpq += pq[k];
      let sum = -0.5 * xoptsq;
      for (let i = 0; i < n; i++) sum += xpt[k * n + i] * xopt[i];
      wk[k] = sum;
      const temp = fracsq - 0.5 * sum;
      for (let i = 0; i < n; i++) {
        wv[i] = bmat[k * n + i];
        vl[i] = sum * xpt[k * n + i] + temp * xopt[i];
        const ip = npt + i;
        for (let j = 0; j <= i; j++) bmat[ip * n + j] = bmat[ip * n + j] + wv[i] * vl[j] + vl[i] * wv[j];
      }
    }
    for (let jj = 0; jj < nptm; jj++) {
      let sumz = 0;
      let sumw = 0;
      for (let k = 0; k < npt; k++) {
        sumz += zmat[k * nptm + jj];
        vl[k] = wk[k] * zmat[k * nptm + jj];
        sumw += vl[k];
      }
      for (let j = 0; j < n; j++) {
        let sum = (fracsq * sumz - 0.5 * sumw) * xopt[j];
        for (let k = 0; k < npt; k++) sum += vl[k] * xpt[k * n + j];
        wv[j] = sum;
        for (let k = 0; k < npt; k++) bmat[k * n + j] += sum * zmat[k * nptm + jj];
      }
      for (let i = 0; i < n; i++) {
        const ip = i + npt;
        const temp = wv[i];
        for (let j = 0; j <= i; j++) bmat[ip * n + j] += temp * wv[j];
      }
    }
    let ih = 0;
    for (let j = 0; j < n; j++) {
      wv[j] = -0.5 * sumpq * xopt[j];
      for (let k = 0; k < npt; k++) {
        wv[j] += pq[k] * xpt[k * n + j];
        xpt[k * n + j] -= xopt[j];
      }
      for (let i = 0; i <= j; i++) {
        hq[ih] = hq[ih] + wv[i] * xopt[j] + xopt[i] * wv[j];
        bmat[(npt + i) * n + j] = bmat[(npt + j) * n + i];
        ih++;
      }
    }
    for (let i = 0; i < n; i++) {
      xbase[i] += xopt[i];
      xnew[i] -= xopt[i];
      sl[i] -= xopt[i];
      su[i] -= xopt[i];
      xopt[i] = 0;
    }
  }

  /**
   * After updateH for point knew: moves the point to xnew with value f and changes the model by
   * diff = f − Q(xnew) times the knew-th Lagrange function (the Hessian part of point knew becomes
   * explicit; gopt is the gradient at the old xopt). Returns false if Ω has overflowed.
   */
  replacePoint(knew: number, xnew: Float64Array, f: number, diff: number, w: Float64Array): boolean {
    const { n, npt, nptm, xpt, xopt, pq, hq, zmat, bmat, fval, gopt } = this;
    const pqold = pq[knew];
    pq[knew] = 0;
    let ih = 0;
    for (let i = 0; i < n; i++) {
      const temp = pqold * xpt[knew * n + i];
      for (let j = 0; j <= i; j++) {
        hq[ih] += temp * xpt[knew * n + j];
        ih++;
      }
    }
    for (let jj = 0; jj < nptm; jj++) {
      const temp = diff * zmat[knew * nptm + jj];
      for (let k = 0; k < npt; k++) pq[k] += temp * zmat[k * nptm + jj];
    }
    fval[knew] = f;
    for (let i = 0; i < n; i++) {
      xpt[knew * n + i] = xnew[i];
      w[i] = bmat[knew * n + i];
    }
    for (let k = 0; k < npt; k++) {
      let suma = 0;
      for (let jj = 0; jj < nptm; jj++) suma += zmat[knew * nptm + jj] * zmat[k * nptm + jj];
      if (suma === Infinity || suma === -Infinity) return false;
      let sumb = 0;
      for (let j = 0; j < n; j++) sumb += xpt[k * n + j] * xopt[j];
      const temp = suma * sumb;
      for (let i = 0; i < n; i++) w[i] += temp * xpt[k * n + i];
    }
    for (let i = 0; i < n; i++) gopt[i] += diff * w[i];
    return true;
  }

  /** Q(xopt + d) − Q(xopt), given x_k·d for every point in xd. */
  modelChange(d: Float64Array, xd: Float64Array): number {
    const { n, npt, gopt, hq, pq } = this;
    let vquad = 0;
    let ih = 0;
    for (let j = 0; j < n; j++) {
      vquad += d[j] * gopt[j];
      for (let i = 0; i <= j; i++) {
        let temp = d[i] * d[j];
        if (i === j) temp = 0.5 * temp;
        vquad += hq[ih] * temp;
        ih++;
      }
    }
    for (let k = 0; k < npt; k++) vquad += 0.5 * pq[k] * (xd[k] * xd[k]);
    return vquad;
  }
}
