/**
 * BOBYQA (Powell 2009, "The BOBYQA algorithm for bound constrained optimization without derivatives",
 * DAMTP 2009/NA06): a trust-region method on quadratic models that interpolate f at m = 2n + 1 points,
 * the remaining freedom taken up by the least Frobenius norm change of the model's Hessian. The inverse
 * of the interpolation (KKT) matrix is kept as H = [ZZ' B'; B ...] (matrices Z and B below) and updated
 * when a point is replaced (Powell's eq. 4.11 of NEWUOA).
 *
 * Defaults reproduce lme4's optimizer "nloptwrap" (NLopt's BOBYQA with xtol_abs = 1e-8, ftol_abs = 1e-8,
 * and nloptr's xtol_rel = 1e-4): NLopt's initial step heuristic and per-coordinate rescaling, ρ_end from
 * the x tolerances, and a stop as soon as an improving step improves f by less than ftol_abs.
 * Powell's RESCUE procedure is not included: where BOBYQA would call it (rounding has destroyed a
 * denominator), this implementation stops and reports it.
 */
import { checkProblem, counted } from './bounds.js';
import type { Objective, OptimOptions, OptimResult } from './types.js';

const DEFAULTS = { maxEvaluations: 100000, ftolAbs: 1e-8, ftolRel: 0, xtolAbs: 1e-8, xtolRel: 1e-4 };

class Stop extends Error {
  constructor(readonly reason: string, readonly converged: boolean) {
    super(reason);
  }
}

/** The algorithm's state in scaled coordinates (all points are displacements from xbase). */
class Bobyqa {
  readonly n: number;
  readonly npt: number;
  readonly nptm: number;
  readonly xbase: Float64Array;
  /** Interpolation points, npt × n row-major. */
  readonly xpt: Float64Array;
  readonly fval: Float64Array;
  readonly xopt: Float64Array;
  /** Gradient of the quadratic model at xopt. */
  readonly gopt: Float64Array;
  /** Explicit part of the model Hessian, packed upper triangle (i ≤ j at i + j(j+1)/2). */
  readonly hq: Float64Array;
  /** Implicit part of the model Hessian: Σ_k pq_k x_k x_k'. */
  readonly pq: Float64Array;
  /** Last n columns of H, (npt + n) × n row-major. */
  readonly bmat: Float64Array;
  /** Factor of the leading npt × npt block of H (= Z Z'), npt × (npt − n − 1) row-major. */
  readonly zmat: Float64Array;
  /** Bounds as displacements from xbase. */
  readonly sl: Float64Array;
  readonly su: Float64Array;
  kopt = 0;
  nf = 0;

  constructor(
    private readonly f: (x: Float64Array) => number,
    x0: Float64Array,
    private readonly xl: Float64Array,
    private readonly xu: Float64Array,
    private readonly rhobeg: number,
    private readonly rhoend: number,
    private readonly maxfun: number,
    private readonly ftolAbs: number,
    private readonly ftolRel: number,
  ) {
    const n = x0.length;
    this.n = n;
    this.npt = 2 * n + 1;
    this.nptm = this.npt - n - 1;
    this.xbase = Float64Array.from(x0);
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
    // Move the start so that no bound is closer than rhobeg unless it is active (Powell's BOBYQA).
    for (let j = 0; j < n; j++) {
      const width = xu[j] - xl[j];
      this.sl[j] = xl[j] - this.xbase[j];
      this.su[j] = xu[j] - this.xbase[j];
      if (this.sl[j] >= -rhobeg) {
        if (this.sl[j] >= 0) {
          this.xbase[j] = xl[j];
          this.sl[j] = 0;
          this.su[j] = width;
        } else {
          this.xbase[j] = xl[j] + rhobeg;
          this.sl[j] = -rhobeg;
          this.su[j] = Math.max(xu[j] - this.xbase[j], rhobeg);
        }
      } else if (this.su[j] <= rhobeg) {
        if (this.su[j] <= 0) {
          this.xbase[j] = xu[j];
          this.sl[j] = -width;
          this.su[j] = 0;
        } else {
          this.xbase[j] = xu[j] - rhobeg;
          this.sl[j] = Math.min(xl[j] - this.xbase[j], -rhobeg);
          this.su[j] = rhobeg;
        }
      }
    }
  }

  private hqIndex(i: number, j: number): number {
    return i <= j ? i + (j * (j + 1)) / 2 : j + (i * (i + 1)) / 2;
  }

  /** f at xbase + x, with coordinates that sit on a bound set exactly onto it. */
  private evaluate(x: Float64Array): { f: number; point: Float64Array } {
    if (this.nf >= this.maxfun) throw new Stop(`stopped after ${this.nf} evaluations (maxEvaluations)`, false);
    const point = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) {
      point[j] = Math.min(Math.max(this.xl[j], this.xbase[j] + x[j]), this.xu[j]);
      if (x[j] === this.sl[j]) point[j] = this.xl[j];
      if (x[j] === this.su[j]) point[j] = this.xu[j];
    }
    this.nf++;
    return { f: this.f(point), point };
  }

  /** H·s for the model Hessian H = HQ + Σ pq_k x_k x_k'. */
  private hessTimes(s: Float64Array, out: Float64Array): void {
    const { n, npt, xpt, pq, hq } = this;
    out.fill(0);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i <= j; i++) {
        const h = hq[i + (j * (j + 1)) / 2];
        if (i < j) out[j] += h * s[i];
        out[i] += h * s[j];
      }
    }
    for (let k = 0; k < npt; k++) {
      if (pq[k] === 0) continue;
      let t = 0;
      for (let j = 0; j < n; j++) t += xpt[k * n + j] * s[j];
      t *= pq[k];
      for (let i = 0; i < n; i++) out[i] += t * xpt[k * n + i];
    }
  }

  /** The first 2n + 1 points x0, x0 ± ρ e_i and the initial quadratic model (Powell's PRELIM). */
  initialize(): void {
    const { n, npt, nptm, xpt, fval, gopt, hq, bmat, zmat, sl, su, rhobeg } = this;
    const rhosq = rhobeg * rhobeg;
    let fbeg = 0;
    let stepa = 0;
    let stepb = 0;
    for (let nf = 0; nf < npt; nf++) {
      if (nf >= 1 && nf <= n) {
        const i = nf - 1;
        stepa = su[i] === 0 ? -rhobeg : rhobeg;
        xpt[nf * n + i] = stepa;
      } else if (nf > n) {
        const i = nf - n - 1;
        stepa = xpt[(nf - n) * n + i];
        stepb = -rhobeg;
        if (sl[i] === 0) stepb = Math.min(2 * rhobeg, su[i]);
        if (su[i] === 0) stepb = Math.max(-2 * rhobeg, sl[i]);
        xpt[nf * n + i] = stepb;
      }
      const { f } = this.evaluate(xpt.subarray(nf * n, nf * n + n));
      fval[nf] = f;
      if (nf === 0) {
        fbeg = f;
        this.kopt = 0;
      } else if (f < fval[this.kopt]) this.kopt = nf;
      if (nf >= 1 && nf <= n) {
        gopt[nf - 1] = (f - fbeg) / stepa;
      } else if (nf > n) {
        const i = nf - n - 1;
        const temp = (f - fbeg) / stepb;
        const diff = stepb - stepa;
        hq[this.hqIndex(i, i)] = (2 * (temp - gopt[i])) / diff;
        gopt[i] = (gopt[i] * stepb - temp * stepa) / diff;
        if (stepa * stepb < 0 && f < fval[nf - n]) {
          fval[nf] = fval[nf - n];
          fval[nf - n] = f;
          if (this.kopt === nf) this.kopt = nf - n;
          xpt[(nf - n) * n + i] = stepb;
          xpt[nf * n + i] = stepa;
        }
        bmat[0 * n + i] = -(stepa + stepb) / (stepa * stepb);
        bmat[nf * n + i] = -0.5 / xpt[(nf - n) * n + i];
        bmat[(nf - n) * n + i] = -bmat[i] - bmat[nf * n + i];
        zmat[0 * nptm + i] = Math.SQRT2 / (stepa * stepb);
        zmat[nf * nptm + i] = Math.SQRT1_2 / rhosq;
        zmat[(nf - n) * nptm + i] = -zmat[i] - zmat[nf * nptm + i];
      }
    }
  }

  /**
   * Trust-region step (Powell's TRSBOX): truncated conjugate gradients on the model within the ball of
   * radius delta and the bounds, then rotations on the ball boundary in the span of d and the gradient.
   */
  trustRegionStep(delta: number): { d: Float64Array; xnew: Float64Array; gnew: Float64Array; dsq: number; crvmin: number } {
    const { n, xopt, gopt, sl, su } = this;
    const xbdi = new Float64Array(n);
    const d = new Float64Array(n);
    const gnew = Float64Array.from(gopt);
    const s = new Float64Array(n);
    const hs = new Float64Array(n);
    const hred = new Float64Array(n);
    let nact = 0;
    for (let i = 0; i < n; i++) {
      if (xopt[i] <= sl[i] && gopt[i] >= 0) xbdi[i] = -1;
      else if (xopt[i] >= su[i] && gopt[i] <= 0) xbdi[i] = 1;
      if (xbdi[i] !== 0) nact++;
    }
    let delsq = delta * delta;
    let qred = 0;
    let crvmin = -1;
    let iterc = 0;
    let itermax = 0;
    let gredsq = 0;
    let beta = 0;
    let ggsav = 0;
    // conjugate gradient phase
    cg: for (;;) {
      let stepsq = 0;
      for (let i = 0; i < n; i++) {
        s[i] = xbdi[i] !== 0 ? 0 : beta === 0 ? -gnew[i] : beta * s[i] - gnew[i];
        stepsq += s[i] * s[i];
      }
      if (stepsq === 0) return this.finishStep(d, xbdi, gnew, crvmin);
      if (beta === 0) {
        gredsq = stepsq;
        itermax = iterc + n - nact;
      }
      if (gredsq * delsq <= 1e-4 * qred * qred) return this.finishStep(d, xbdi, gnew, crvmin);
      this.hessTimes(s, hs);
      let resid = delsq;
      let ds = 0;
      let shs = 0;
      for (let i = 0; i < n; i++) {
        if (xbdi[i] !== 0) continue;
        resid -= d[i] * d[i];
        ds += s[i] * d[i];
        shs += s[i] * hs[i];
      }
      if (resid <= 0) break cg;
      const root = Math.sqrt(stepsq * resid + ds * ds);
      const blen = ds < 0 ? (root - ds) / stepsq : resid / (root + ds);
      let stplen = shs > 0 ? Math.min(blen, gredsq / shs) : blen;
      let iact = -1;
      for (let i = 0; i < n; i++) {
        if (s[i] === 0) continue;
        const xsum = xopt[i] + d[i];
        const t = s[i] > 0 ? (su[i] - xsum) / s[i] : (sl[i] - xsum) / s[i];
        if (t < stplen) {
          stplen = t;
          iact = i;
        }
      }
      let sdec = 0;
      if (stplen > 0) {
        iterc++;
        const curv = shs / stepsq;
        if (iact === -1 && curv > 0) crvmin = crvmin === -1 ? curv : Math.min(crvmin, curv);
        ggsav = gredsq;
        gredsq = 0;
        for (let i = 0; i < n; i++) {
          gnew[i] += stplen * hs[i];
          if (xbdi[i] === 0) gredsq += gnew[i] * gnew[i];
          d[i] += stplen * s[i];
        }
        sdec = Math.max(stplen * (ggsav - 0.5 * stplen * shs), 0);
        qred += sdec;
      }
      if (iact >= 0) {
        nact++;
        xbdi[iact] = s[iact] < 0 ? -1 : 1;
        delsq -= d[iact] * d[iact];
        if (delsq <= 0) break cg;
        beta = 0;
        continue;
      }
      if (stplen < blen) {
        if (iterc === itermax || sdec <= 0.01 * qred) return this.finishStep(d, xbdi, gnew, crvmin);
        beta = gredsq / ggsav;
        continue;
      }
      break;
    }
    // the step reached the trust-region boundary: improve it by rotations on the boundary
    crvmin = 0;
    for (;;) {
      if (nact >= n - 1) return this.finishStep(d, xbdi, gnew, crvmin);
      let dredsq = 0;
      let dredg = 0;
      gredsq = 0;
      for (let i = 0; i < n; i++) {
        if (xbdi[i] === 0) {
          dredsq += d[i] * d[i];
          dredg += d[i] * gnew[i];
          gredsq += gnew[i] * gnew[i];
          s[i] = d[i];
        } else s[i] = 0;
      }
      this.hessTimes(s, hred);
      let restart = false;
      while (!restart) {
        iterc++;
        let temp = gredsq * dredsq - dredg * dredg;
        if (temp <= 1e-4 * qred * qred) return this.finishStep(d, xbdi, gnew, crvmin);
        temp = Math.sqrt(temp);
        for (let i = 0; i < n; i++) s[i] = xbdi[i] === 0 ? (dredg * d[i] - dredsq * gnew[i]) / temp : 0;
        const sredg = -temp;
        let angbd = 1;
        let iact = -1;
        let xsav = 0;
        for (let i = 0; i < n && !restart; i++) {
          if (xbdi[i] !== 0) continue;
          const tempa = xopt[i] + d[i] - sl[i];
          const tempb = su[i] - xopt[i] - d[i];
          if (tempa <= 0) {
            nact++;
            xbdi[i] = -1;
            restart = true;
            break;
          } else if (tempb <= 0) {
            nact++;
            xbdi[i] = 1;
            restart = true;
            break;
          }
          const ssq = d[i] * d[i] + s[i] * s[i];
          let t = ssq - (xopt[i] - sl[i]) ** 2;
          if (t > 0) {
            t = Math.sqrt(t) - s[i];
            if (angbd * t > tempa) {
              angbd = tempa / t;
              iact = i;
              xsav = -1;
            }
          }
          t = ssq - (su[i] - xopt[i]) ** 2;
          if (t > 0) {
            t = Math.sqrt(t) + s[i];
            if (angbd * t > tempb) {
              angbd = tempb / t;
              iact = i;
              xsav = 1;
            }
          }
        }
        if (restart) break;
        this.hessTimes(s, hs);
        let shs = 0;
        let dhs = 0;
        let dhd = 0;
        for (let i = 0; i < n; i++) {
          if (xbdi[i] !== 0) continue;
          shs += s[i] * hs[i];
          dhs += d[i] * hs[i];
          dhd += d[i] * hred[i];
        }
        // largest reduction over equally spaced tan(θ/2) in [0, angbd], refined by a parabola
        let redmax = 0;
        let isav = 0;
        let redsav = 0;
        let rdprev = 0;
        let rdnext = 0;
        const iu = Math.floor(angbd * 17 + 3.1);
        let angt = 0;
        for (let i = 1; i <= iu; i++) {
          angt = (angbd * i) / iu;
          const sth = (2 * angt) / (1 + angt * angt);
          const tq = shs + angt * (angt * dhd - dhs - dhs);
          const rednew = sth * (angt * dredg - sredg - 0.5 * sth * tq);
          if (rednew > redmax) {
            redmax = rednew;
            isav = i;
            rdprev = redsav;
          } else if (i === isav + 1) rdnext = rednew;
          redsav = rednew;
        }
        if (isav === 0) return this.finishStep(d, xbdi, gnew, crvmin);
        if (isav < iu) {
          const t = (rdnext - rdprev) / (redmax + redmax - rdprev - rdnext);
          angt = (angbd * (isav + 0.5 * t)) / iu;
        }
        const cth = (1 - angt * angt) / (1 + angt * angt);
        const sth = (2 * angt) / (1 + angt * angt);
        const tq = shs + angt * (angt * dhd - dhs - dhs);
        const sdec = sth * (angt * dredg - sredg - 0.5 * sth * tq);
        if (sdec <= 0) return this.finishStep(d, xbdi, gnew, crvmin);
        dredg = 0;
        gredsq = 0;
        for (let i = 0; i < n; i++) {
          gnew[i] += (cth - 1) * hred[i] + sth * hs[i];
          if (xbdi[i] === 0) {
            d[i] = cth * d[i] + sth * s[i];
            dredg += d[i] * gnew[i];
            gredsq += gnew[i] * gnew[i];
          }
          hred[i] = cth * hred[i] + sth * hs[i];
        }
        qred += sdec;
        if (iact >= 0 && isav === iu) {
          nact++;
          xbdi[iact] = xsav;
          restart = true;
          break;
        }
        if (sdec <= 0.01 * qred) return this.finishStep(d, xbdi, gnew, crvmin);
      }
    }
  }

  private finishStep(
    d: Float64Array,
    xbdi: Float64Array,
    gnew: Float64Array,
    crvmin: number,
  ): { d: Float64Array; xnew: Float64Array; gnew: Float64Array; dsq: number; crvmin: number } {
    const { n, xopt, sl, su } = this;
    const xnew = new Float64Array(n);
    let dsq = 0;
    for (let i = 0; i < n; i++) {
      xnew[i] = Math.max(Math.min(xopt[i] + d[i], su[i]), sl[i]);
      if (xbdi[i] === -1) xnew[i] = sl[i];
      if (xbdi[i] === 1) xnew[i] = su[i];
      d[i] = xnew[i] - xopt[i];
      dsq += d[i] * d[i];
    }
    return { d, xnew, gnew, dsq, crvmin };
  }

  /**
   * A geometry-improving position for point `knew` (Powell's ALTMOV): xnew on a line through xopt and
   * another point, maximising the predicted denominator; xalt a constrained Cauchy step of the knew-th
   * Lagrange function. Returns alpha = H[knew][knew] and cauchy = the Lagrange value² at xalt.
   */
  geometryStep(knew: number, adelt: number): { xnew: Float64Array; xalt: Float64Array; alpha: number; cauchy: number } {
    const { n, npt, nptm, xpt, xopt, bmat, zmat, sl, su, kopt } = this;
    const hcol = new Float64Array(npt);
    for (let j = 0; j < nptm; j++) {
      const t = zmat[knew * nptm + j];
      for (let k = 0; k < npt; k++) hcol[k] += t * zmat[k * nptm + j];
    }
    const alpha = hcol[knew];
    const ha = 0.5 * alpha;
    const glag = new Float64Array(n);
    for (let i = 0; i < n; i++) glag[i] = bmat[knew * n + i];
    for (let k = 0; k < npt; k++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += xpt[k * n + j] * xopt[j];
      t *= hcol[k];
      for (let i = 0; i < n; i++) glag[i] += t * xpt[k * n + i];
    }
    let presav = 0;
    let ksav = -1;
    let stpsav = 0;
    let ibdsav = 0;
    for (let k = 0; k < npt; k++) {
      if (k === kopt) continue;
      let dderiv = 0;
      let distsq = 0;
      for (let i = 0; i < n; i++) {
        const t = xpt[k * n + i] - xopt[i];
        dderiv += glag[i] * t;
        distsq += t * t;
      }
      let subd = adelt / Math.sqrt(distsq);
      let slbd = -subd;
      let ilbd = 0;
      let iubd = 0;
      const sumin = Math.min(1, subd);
      for (let i = 0; i < n; i++) {
        const t = xpt[k * n + i] - xopt[i];
        if (t > 0) {
          if (slbd * t < sl[i] - xopt[i]) {
            slbd = (sl[i] - xopt[i]) / t;
            ilbd = -(i + 1);
          }
          if (subd * t > su[i] - xopt[i]) {
            subd = Math.max(sumin, (su[i] - xopt[i]) / t);
            iubd = i + 1;
          }
        } else if (t < 0) {
          if (slbd * t > su[i] - xopt[i]) {
            slbd = (su[i] - xopt[i]) / t;
            ilbd = i + 1;
          }
          if (subd * t < sl[i] - xopt[i]) {
            subd = Math.max(sumin, (sl[i] - xopt[i]) / t);
            iubd = -(i + 1);
          }
        }
      }
      let step: number;
      let vlag: number;
      let isbd: number;
      if (k === knew) {
        const diff = dderiv - 1;
        step = slbd;
        vlag = slbd * (dderiv - slbd * diff);
        isbd = ilbd;
        const t = subd * (dderiv - subd * diff);
        if (Math.abs(t) > Math.abs(vlag)) {
          step = subd;
          vlag = t;
          isbd = iubd;
        }
        const tempd = 0.5 * dderiv;
        const tempa = tempd - diff * slbd;
        const tempb = tempd - diff * subd;
        if (tempa * tempb < 0) {
          const tt = (tempd * tempd) / diff;
          if (Math.abs(tt) > Math.abs(vlag)) {
            step = tempd / diff;
            vlag = tt;
            isbd = 0;
          }
        }
      } else {
        step = slbd;
        vlag = slbd * (1 - slbd);
        isbd = ilbd;
        const t = subd * (1 - subd);
        if (Math.abs(t) > Math.abs(vlag)) {
          step = subd;
          vlag = t;
          isbd = iubd;
        }
        if (subd > 0.5 && Math.abs(vlag) < 0.25) {
          step = 0.5;
          vlag = 0.25;
          isbd = 0;
        }
        vlag *= dderiv;
      }
      const t = step * (1 - step) * distsq;
      const predsq = vlag * vlag * (vlag * vlag + ha * t * t);
      if (predsq > presav) {
        presav = predsq;
        ksav = k;
        stpsav = step;
        ibdsav = isbd;
      }
    }
    const xnew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = ksav >= 0 ? xopt[i] + stpsav * (xpt[ksav * n + i] - xopt[i]) : xopt[i];
      xnew[i] = Math.max(sl[i], Math.min(su[i], t));
    }
    if (ibdsav < 0) xnew[-ibdsav - 1] = sl[-ibdsav - 1];
    if (ibdsav > 0) xnew[ibdsav - 1] = su[ibdsav - 1];

    // constrained Cauchy steps of the Lagrange function, downhill and uphill; keep the larger |value|
    const bigstp = adelt + adelt;
    const xalt = new Float64Array(n);
    const w = new Float64Array(n);
    let cauchy = 0;
    let csave = 0;
    let xaltSave: Float64Array | null = null;
    for (let pass = 0; pass < 2; pass++) {
      let wfixsq = 0;
      let ggfree = 0;
      for (let i = 0; i < n; i++) {
        w[i] = 0;
        const tempa = Math.min(xopt[i] - sl[i], glag[i]);
        const tempb = Math.max(xopt[i] - su[i], glag[i]);
        if (tempa > 0 || tempb < 0) {
          w[i] = bigstp;
          ggfree += glag[i] * glag[i];
        }
      }
      if (ggfree === 0) return { xnew, xalt, alpha, cauchy: 0 };
      let step = 0;
      for (;;) {
        const t = adelt * adelt - wfixsq;
        if (!(t > 0)) break;
        const wsqsav = wfixsq;
        step = Math.sqrt(t / ggfree);
        ggfree = 0;
        for (let i = 0; i < n; i++) {
          if (w[i] !== bigstp) continue;
          const x = xopt[i] - step * glag[i];
          if (x <= sl[i]) {
            w[i] = sl[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else if (x >= su[i]) {
            w[i] = su[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else ggfree += glag[i] * glag[i];
        }
        if (!(wfixsq > wsqsav && ggfree > 0)) break;
      }
      let gw = 0;
      for (let i = 0; i < n; i++) {
        if (w[i] === bigstp) {
          w[i] = -step * glag[i];
          xalt[i] = Math.max(sl[i], Math.min(su[i], xopt[i] + w[i]));
        } else if (w[i] === 0) xalt[i] = xopt[i];
        else if (glag[i] > 0) xalt[i] = sl[i];
        else xalt[i] = su[i];
        gw += glag[i] * w[i];
      }
      let curv = 0;
      for (let k = 0; k < npt; k++) {
        let t = 0;
        for (let j = 0; j < n; j++) t += xpt[k * n + j] * w[j];
        curv += hcol[k] * t * t;
      }
      if (pass === 1) curv = -curv;
      if (curv > -gw && curv < -(1 + Math.SQRT2) * gw) {
        const scale = -gw / curv;
        for (let i = 0; i < n; i++) xalt[i] = Math.max(sl[i], Math.min(su[i], xopt[i] + scale * w[i]));
        cauchy = (0.5 * gw * scale) ** 2;
      } else cauchy = (gw + 0.5 * curv) ** 2;
      if (pass === 0) {
        for (let i = 0; i < n; i++) glag[i] = -glag[i];
        xaltSave = Float64Array.from(xalt);
        csave = cauchy;
      }
    }
    if (xaltSave && csave > cauchy) {
      xalt.set(xaltSave);
      cauchy = csave;
    }
    return { xnew, xalt, alpha, cauchy };
  }

  /** Updates Z and B when point `knew` is replaced (Powell's UPDATE); vlag is modified. */
  updateInverse(vlag: Float64Array, beta: number, denom: number, knew: number): void {
    const { n, npt, nptm, bmat, zmat } = this;
    let ztest = 0;
    for (let i = 0; i < zmat.length; i++) ztest = Math.max(ztest, Math.abs(zmat[i]));
    ztest *= 1e-20;
    for (let j = 1; j < nptm; j++) {
      if (Math.abs(zmat[knew * nptm + j]) > ztest) {
        const a = zmat[knew * nptm];
        const b = zmat[knew * nptm + j];
        const r = Math.sqrt(a * a + b * b);
        const ca = a / r;
        const cb = b / r;
        for (let i = 0; i < npt; i++) {
          const t = ca * zmat[i * nptm] + cb * zmat[i * nptm + j];
          zmat[i * nptm + j] = ca * zmat[i * nptm + j] - cb * zmat[i * nptm];
          zmat[i * nptm] = t;
        }
      }
      zmat[knew * nptm + j] = 0;
    }
    const w = new Float64Array(npt + n);
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
        bmat[i * n + j] += tempa * vlag[i] + tempb * w[i];
        if (i >= npt) bmat[jp * n + (i - npt)] = bmat[i * n + j];
      }
    }
  }

  /** Moves xbase to xbase + xopt, revising B and the model's second derivatives (cancellation guard). */
  shiftBase(xnew: Float64Array): void {
    const { n, npt, nptm, xpt, xopt, bmat, zmat, pq, hq } = this;
    let xoptsq = 0;
    for (let i = 0; i < n; i++) xoptsq += xopt[i] * xopt[i];
    const fracsq = 0.25 * xoptsq;
    let sumpq = 0;
    const wk = new Float64Array(npt);
    const wv = new Float64Array(n);
    const vl = new Float64Array(Math.max(n, npt));
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
        for (let j = 0; j <= i; j++) bmat[ip * n + j] += wv[i] * vl[j] + vl[i] * wv[j];
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
        for (let j = 0; j <= i; j++) bmat[ip * n + j] += wv[i] * wv[j];
      }
    }
    for (let j = 0; j < n; j++) {
      wv[j] = -0.5 * sumpq * xopt[j];
      for (let k = 0; k < npt; k++) {
        wv[j] += pq[k] * xpt[k * n + j];
        xpt[k * n + j] -= xopt[j];
      }
      for (let i = 0; i <= j; i++) {
        hq[i + (j * (j + 1)) / 2] += wv[i] * xopt[j] + xopt[i] * wv[j];
        bmat[(npt + i) * n + j] = bmat[(npt + j) * n + i];
      }
    }
    for (let i = 0; i < n; i++) {
      this.xbase[i] += xopt[i];
      xnew[i] -= xopt[i];
      this.sl[i] -= xopt[i];
      this.su[i] -= xopt[i];
      xopt[i] = 0;
    }
  }

  /** Runs the main iteration (Powell's BOBYQB); returns why it stopped. */
  run(): { reason: string; converged: boolean } {
    try {
      return this.iterate();
    } catch (e) {
      if (e instanceof Stop) return { reason: e.reason, converged: e.converged };
      throw e;
    }
  }

  private iterate(): { reason: string; converged: boolean } {
    const { n, npt, nptm, xpt, fval, xopt, gopt, hq, pq, bmat, zmat, sl, su } = this;
    this.initialize();
    let xoptsq = 0;
    for (let i = 0; i < n; i++) {
      xopt[i] = xpt[this.kopt * n + i];
      xoptsq += xopt[i] * xopt[i];
    }
    if (this.kopt !== 0) {
      // the initial model's gradient is at xbase: move it to xopt
      for (let j = 0; j < n; j++) {
        for (let i = 0; i <= j; i++) {
          const h = hq[i + (j * (j + 1)) / 2];
          if (i < j) gopt[j] += h * xopt[i];
          gopt[i] += h * xopt[j];
        }
      }
    }
    let rho = this.rhobeg;
    let delta = rho;
    let ntrits = 0;
    let diffa = 0;
    let diffb = 0;
    let diffc = 0;
    let itest = 0;
    let nfsav = this.nf;
    let ratio = 0;
    let knew = -1;
    let adelt = 0;
    let dsq = 0;
    let dnorm = 0;
    let crvmin = 0;
    let d: Float64Array = new Float64Array(n);
    let xnew: Float64Array = new Float64Array(n);
    let gnew: Float64Array = new Float64Array(n);
    let alpha = 0;
    let cauchy = 0;
    let denom = 0;
    let distsq = 0;
    const vlag = new Float64Array(npt + n);
    const wlag = new Float64Array(2 * npt);
    type Label = 'TR' | 'SHIFT' | 'ALT' | 'VLAG' | 'EVAL' | 'FAR' | 'RHO' | 'DONE';
    let label: Label = 'TR';
    let doneReason = '';
    let converged = true;

    const hdiag = (k: number): number => {
      let s = 0;
      for (let jj = 0; jj < nptm; jj++) s += zmat[k * nptm + jj] ** 2;
      return s;
    };

    for (;;) {
      switch (label) {
        case 'TR': {
          const tr = this.trustRegionStep(delta);
          d = tr.d;
          xnew = tr.xnew;
          gnew = tr.gnew;
          dsq = tr.dsq;
          crvmin = tr.crvmin;
          dnorm = Math.min(delta, Math.sqrt(dsq));
          if (dnorm < 0.5 * rho) {
            ntrits = -1;
            distsq = (10 * rho) ** 2;
            if (this.nf <= nfsav + 2) {
              label = 'FAR';
              break;
            }
            const errbig = Math.max(diffa, diffb, diffc);
            const frhosq = 0.125 * rho * rho;
            if (crvmin > 0 && errbig > frhosq * crvmin) {
              label = 'FAR';
              break;
            }
            const bdtol = errbig / rho;
            let far = false;
            for (let j = 0; j < n && !far; j++) {
              let bdtest = bdtol;
              if (xnew[j] === sl[j]) bdtest = gnew[j];
              if (xnew[j] === su[j]) bdtest = -gnew[j];
              if (bdtest < bdtol) {
                let curv = hq[j + (j * (j + 1)) / 2];
                for (let k = 0; k < npt; k++) curv += pq[k] * xpt[k * n + j] ** 2;
                bdtest += 0.5 * curv * rho;
                if (bdtest < bdtol) far = true;
              }
            }
            label = far ? 'FAR' : 'RHO';
            break;
          }
          ntrits++;
          label = 'SHIFT';
          break;
        }
        case 'SHIFT': {
          if (dsq <= 1e-3 * xoptsq) {
            this.shiftBase(xnew);
            xoptsq = 0;
          }
          label = ntrits === 0 ? 'ALT' : 'VLAG';
          break;
        }
        case 'ALT': {
          const g = this.geometryStep(knew, adelt);
          xnew = g.xnew;
          alpha = g.alpha;
          cauchy = g.cauchy;
          for (let i = 0; i < n; i++) d[i] = xnew[i] - xopt[i];
          // VLAG computed next; the Cauchy alternative may replace xnew
          let useAlt = true;
          for (;;) {
            const beta = this.lagrangeValues(d, xoptsq, vlag, wlag);
            denom = vlag[knew] * vlag[knew] + alpha * beta;
            if (useAlt && denom < cauchy && cauchy > 0) {
              xnew = g.xalt;
              for (let i = 0; i < n; i++) d[i] = xnew[i] - xopt[i];
              cauchy = 0;
              useAlt = false;
              continue;
            }
            if (denom <= 0.5 * vlag[knew] * vlag[knew]) {
              throw new Stop('rounding errors destroyed the interpolation denominator (no RESCUE in this implementation)', true);
            }
            this.pendingBeta = beta;
            break;
          }
          label = 'EVAL';
          break;
        }
        case 'VLAG': {
          const beta = this.lagrangeValues(d, xoptsq, vlag, wlag);
          const delsq = delta * delta;
          let scaden = 0;
          let biglsq = 0;
          knew = -1;
          for (let k = 0; k < npt; k++) {
            if (k === this.kopt) continue;
            const den = beta * hdiag(k) + vlag[k] * vlag[k];
            let dist2 = 0;
            for (let j = 0; j < n; j++) dist2 += (xpt[k * n + j] - xopt[j]) ** 2;
            const temp = Math.max(1, (dist2 / delsq) ** 2);
            if (temp * den > scaden) {
              scaden = temp * den;
              knew = k;
              denom = den;
            }
            biglsq = Math.max(biglsq, temp * vlag[k] * vlag[k]);
          }
          if (scaden <= 0.5 * biglsq || knew < 0) {
            throw new Stop('rounding errors destroyed the interpolation denominator (no RESCUE in this implementation)', true);
          }
          this.pendingBeta = beta;
          label = 'EVAL';
          break;
        }
        case 'EVAL': {
          const beta = this.pendingBeta;
          const { f, point } = this.evaluate(xnew);
          if (ntrits === -1) {
            // the final short Newton step
            if (f < fval[this.kopt]) {
              this.finalPoint = point;
              this.finalF = f;
            }
            return { reason: 'trust region radius reached rhoEnd (x tolerance)', converged: true };
          }
          const fopt = fval[this.kopt];
          let vquad = 0;
          for (let j = 0; j < n; j++) {
            vquad += d[j] * gopt[j];
            for (let i = 0; i <= j; i++) {
              const t = i === j ? 0.5 * d[i] * d[j] : d[i] * d[j];
              vquad += hq[i + (j * (j + 1)) / 2] * t;
            }
          }
          for (let k = 0; k < npt; k++) vquad += 0.5 * pq[k] * wlag[npt + k] * wlag[npt + k];
          const diff = f - fopt - vquad;
          diffc = diffb;
          diffb = diffa;
          diffa = Math.abs(diff);
          if (dnorm > rho) nfsav = this.nf;
          if (ntrits > 0) {
            if (vquad >= 0) throw new Stop('a trust-region step failed to reduce the model (rounding limited)', true);
            ratio = (f - fopt) / vquad;
            if (ratio <= 0.1) delta = Math.min(0.5 * delta, dnorm);
            else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
            else delta = Math.max(0.5 * delta, dnorm + dnorm);
            if (delta <= 1.5 * rho) delta = rho;
            if (f < fopt) {
              const ksav = knew;
              const densav = denom;
              const delsq = delta * delta;
              let scaden = 0;
              let biglsq = 0;
              knew = -1;
              for (let k = 0; k < npt; k++) {
                const den = beta * hdiag(k) + vlag[k] * vlag[k];
                let dist2 = 0;
                for (let j = 0; j < n; j++) dist2 += (xpt[k * n + j] - xnew[j]) ** 2;
                const temp = Math.max(1, (dist2 / delsq) ** 2);
                if (temp * den > scaden) {
                  scaden = temp * den;
                  knew = k;
                  denom = den;
                }
                biglsq = Math.max(biglsq, temp * vlag[k] * vlag[k]);
              }
              if (scaden <= 0.5 * biglsq || knew < 0) {
                knew = ksav;
                denom = densav;
              }
            }
          }
          this.updateInverse(vlag, beta, denom, knew);
          const pqold = pq[knew];
          pq[knew] = 0;
          for (let i = 0; i < n; i++) {
            const t = pqold * xpt[knew * n + i];
            for (let j = 0; j <= i; j++) hq[j + (i * (i + 1)) / 2] += t * xpt[knew * n + j];
          }
          for (let jj = 0; jj < nptm; jj++) {
            const t = diff * zmat[knew * nptm + jj];
            for (let k = 0; k < npt; k++) pq[k] += t * zmat[k * nptm + jj];
          }
          fval[knew] = f;
          const w = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            xpt[knew * n + i] = xnew[i];
            w[i] = bmat[knew * n + i];
          }
          for (let k = 0; k < npt; k++) {
            let suma = 0;
            for (let jj = 0; jj < nptm; jj++) suma += zmat[knew * nptm + jj] * zmat[k * nptm + jj];
            if (!Number.isFinite(suma)) throw new Stop('the interpolation system became singular (rounding limited)', true);
            let sumb = 0;
            for (let j = 0; j < n; j++) sumb += xpt[k * n + j] * xopt[j];
            const t = suma * sumb;
            for (let i = 0; i < n; i++) w[i] += t * xpt[k * n + i];
          }
          for (let i = 0; i < n; i++) gopt[i] += diff * w[i];
          if (f < fopt) {
            this.kopt = knew;
            xoptsq = 0;
            for (let j = 0; j < n; j++) {
              xopt[j] = xnew[j];
              xoptsq += xopt[j] * xopt[j];
              for (let i = 0; i <= j; i++) {
                const h = hq[i + (j * (j + 1)) / 2];
                if (i < j) gopt[j] += h * d[i];
                gopt[i] += h * d[j];
              }
            }
            for (let k = 0; k < npt; k++) {
              let t = 0;
              for (let j = 0; j < n; j++) t += xpt[k * n + j] * d[j];
              t *= pq[k];
              for (let i = 0; i < n; i++) gopt[i] += t * xpt[k * n + i];
            }
            if (Math.abs(f - fopt) < this.ftolAbs || Math.abs(f - fopt) < (this.ftolRel * (Math.abs(f) + Math.abs(fopt))) / 2) {
              return { reason: 'an improving step changed f by less than ftolAbs (f tolerance)', converged: true };
            }
          }
          if (ntrits > 0) {
            // replace the model by the least Frobenius norm interpolant when that has a much smaller gradient
            const vl = new Float64Array(npt);
            const wz = new Float64Array(npt);
            for (let k = 0; k < npt; k++) vl[k] = fval[k] - fval[this.kopt];
            for (let j = 0; j < nptm; j++) {
              let sum = 0;
              for (let k = 0; k < npt; k++) sum += zmat[k * nptm + j] * vl[k];
              for (let k = 0; k < npt; k++) wz[k] += sum * zmat[k * nptm + j];
            }
            const pqNew = Float64Array.from(wz);
            for (let k = 0; k < npt; k++) {
              let sum = 0;
              for (let j = 0; j < n; j++) sum += xpt[k * n + j] * xopt[j];
              wz[k] *= sum;
            }
            let gqsq = 0;
            let gisq = 0;
            const gNew = new Float64Array(n);
            for (let i = 0; i < n; i++) {
              let sum = 0;
              for (let k = 0; k < npt; k++) sum += bmat[k * n + i] * vl[k] + xpt[k * n + i] * wz[k];
              if (xopt[i] === sl[i]) {
                gqsq += Math.min(0, gopt[i]) ** 2;
                gisq += Math.min(0, sum) ** 2;
              } else if (xopt[i] === su[i]) {
                gqsq += Math.max(0, gopt[i]) ** 2;
                gisq += Math.max(0, sum) ** 2;
              } else {
                gqsq += gopt[i] * gopt[i];
                gisq += sum * sum;
              }
              gNew[i] = sum;
            }
            itest++;
            if (gqsq < 10 * gisq) itest = 0;
            if (itest >= 3) {
              gopt.set(gNew);
              pq.set(pqNew);
              hq.fill(0);
              itest = 0;
            }
          }
          if (ntrits === 0 || f <= fopt + 0.1 * vquad) {
            label = 'TR';
            break;
          }
          distsq = Math.max((2 * delta) ** 2, (10 * rho) ** 2);
          label = 'FAR';
          break;
        }
        case 'FAR': {
          knew = -1;
          for (let k = 0; k < npt; k++) {
            let sum = 0;
            for (let j = 0; j < n; j++) sum += (xpt[k * n + j] - xopt[j]) ** 2;
            if (sum > distsq) {
              knew = k;
              distsq = sum;
            }
          }
          if (knew >= 0) {
            const dist = Math.sqrt(distsq);
            if (ntrits === -1) {
              delta = Math.min(0.1 * delta, 0.5 * dist);
              if (delta <= 1.5 * rho) delta = rho;
            }
            ntrits = 0;
            adelt = Math.max(Math.min(0.1 * dist, delta), rho);
            dsq = adelt * adelt;
            label = 'SHIFT';
            break;
          }
          if (ntrits === -1) {
            label = 'RHO';
            break;
          }
          if (ratio > 0 || Math.max(delta, dnorm) > rho) {
            label = 'TR';
            break;
          }
          label = 'RHO';
          break;
        }
        case 'RHO': {
          if (rho > this.rhoend) {
            delta = 0.5 * rho;
            ratio = rho / this.rhoend; // (Powell reuses this variable; FAR's test then sees it)
            if (ratio <= 16) rho = this.rhoend;
            else if (ratio <= 250) rho = Math.sqrt(ratio) * this.rhoend;
            else rho = 0.1 * rho;
            delta = Math.max(delta, rho);
            ntrits = 0;
            nfsav = this.nf;
            label = 'TR';
            break;
          }
          if (ntrits === -1) {
            // one more Newton–Raphson step, too short to have been tried before
            label = 'EVAL';
            break;
          }
          doneReason = 'trust region radius reached rhoEnd (x tolerance)';
          label = 'DONE';
          break;
        }
        case 'DONE':
          return { reason: doneReason, converged };
      }
    }
  }

  private pendingBeta = 0;
  finalPoint: Float64Array | null = null;
  finalF = Infinity;

  /** Values of the Lagrange functions at xopt + d (vlag) and Powell's beta; wlag keeps x_k·d in [npt, 2npt). */
  private lagrangeValues(d: Float64Array, xoptsq: number, vlag: Float64Array, wlag: Float64Array): number {
    const { n, npt, nptm, xpt, xopt, bmat, zmat } = this;
    for (let k = 0; k < npt; k++) {
      let suma = 0;
      let sumb = 0;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        suma += xpt[k * n + j] * d[j];
        sumb += xpt[k * n + j] * xopt[j];
        sum += bmat[k * n + j] * d[j];
      }
      wlag[k] = suma * (0.5 * suma + sumb);
      vlag[k] = sum;
      wlag[npt + k] = suma;
    }
    let beta = 0;
    for (let jj = 0; jj < nptm; jj++) {
      let sum = 0;
      for (let k = 0; k < npt; k++) sum += zmat[k * nptm + jj] * wlag[k];
      beta -= sum * sum;
      for (let k = 0; k < npt; k++) vlag[k] += sum * zmat[k * nptm + jj];
    }
    let dsq = 0;
    let bsum = 0;
    let dx = 0;
    for (let j = 0; j < n; j++) {
      dsq += d[j] * d[j];
      let sum = 0;
      for (let k = 0; k < npt; k++) sum += wlag[k] * bmat[k * n + j];
      bsum += sum * d[j];
      const jp = npt + j;
      for (let i = 0; i < n; i++) sum += bmat[jp * n + i] * d[i];
      vlag[jp] = sum;
      bsum += sum * d[j];
      dx += d[j] * xopt[j];
    }
    beta = dx * dx + dsq * (xoptsq + dx + dx + 0.5 * dsq) + beta - bsum;
    vlag[this.kopt] += 1;
    return beta;
  }

  /** The best point found (in the caller's coordinates before rescaling) and its value. */
  best(): { x: Float64Array; f: number } {
    if (this.finalPoint) return { x: this.finalPoint, f: this.finalF };
    const x = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      x[i] = Math.min(Math.max(this.xl[i], this.xbase[i] + this.xopt[i]), this.xu[i]);
      if (this.xopt[i] === this.sl[i]) x[i] = this.xl[i];
      if (this.xopt[i] === this.su[i]) x[i] = this.xu[i];
    }
    return { x, f: this.fval[this.kopt] };
  }
}

/** NLopt's default initial step for derivative-free methods, per coordinate. */
export function defaultInitialStep(x: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  return x.map((xi, i) => {
    const lb = lower[i];
    const ub = upper[i];
    let step = Infinity;
    if (Number.isFinite(ub) && Number.isFinite(lb) && (ub - lb) * 0.25 < step && ub > lb) step = (ub - lb) * 0.25;
    if (Number.isFinite(ub) && ub - xi < step && ub > xi) step = (ub - xi) * 0.75;
    if (Number.isFinite(lb) && xi - lb < step && xi > lb) step = (xi - lb) * 0.75;
    if (!Number.isFinite(step)) {
      if (Number.isFinite(ub) && Math.abs(ub - xi) < Math.abs(step)) step = (ub - xi) * 1.1;
      if (Number.isFinite(lb) && Math.abs(xi - lb) < Math.abs(step)) step = (xi - lb) * 1.1;
    }
    if (!Number.isFinite(step) || Math.abs(step) < 1e-300) step = xi;
    if (!Number.isFinite(step) || step === 0) step = 1;
    return step;
  });
}

/**
 * Minimises f over the box [lower, upper] from x0 by BOBYQA. `rhoBeg` overrides NLopt's initial step
 * (then no per-coordinate rescaling is done); `rhoEnd` overrides the final radius.
 */
export function bobyqa(
  objective: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: OptimOptions = {},
): OptimResult {
  const o = { ...DEFAULTS, ...options };
  const { x, lo, hi } = checkProblem(x0, lower, upper);
  const n = x.length;
  // NLopt: steps dx, rescaling so that every coordinate's step is the same
  const dx = options.rhoBeg !== undefined ? new Float64Array(n).fill(options.rhoBeg) : defaultInitialStep(x, lo, hi);
  const allEqual = dx.every((v) => v === dx[0]);
  const scale = n === 1 || allEqual ? new Float64Array(n).fill(1) : Float64Array.from(dx);
  const rhobeg = Math.abs(dx[0] / scale[0]);
  let rhoend = options.rhoEnd ?? o.xtolRel * rhobeg;
  if (options.rhoEnd === undefined) for (let j = 0; j < n; j++) rhoend = Math.max(rhoend, o.xtolAbs / Math.abs(scale[j]));
  const xs = x.map((v, i) => v / scale[i]);
  const ls = lo.map((v, i) => v / scale[i]);
  const us = hi.map((v, i) => v / scale[i]);
  for (let j = 0; j < n; j++) {
    if (us[j] - ls[j] < 2 * rhobeg) {
      return {
        x,
        fx: objective(x),
        evaluations: 1,
        converged: false,
        message: `bounds of parameter ${j + 1} are closer than twice the initial step; BOBYQA cannot work in that box`,
        optimizer: 'bobyqa',
      };
    }
  }
  const { f, count } = counted(objective);
  const unscaled = (y: Float64Array): Float64Array => y.map((v, i) => v * scale[i]);
  const solver = new Bobyqa((y) => f(unscaled(y)), xs, ls, us, rhobeg, Math.min(rhoend, rhobeg), o.maxEvaluations, o.ftolAbs, o.ftolRel);
  const { reason, converged } = solver.run();
  const best = solver.best();
  return { x: unscaled(best.x), fx: best.f, evaluations: count(), converged, message: reason, optimizer: 'bobyqa' };
}
