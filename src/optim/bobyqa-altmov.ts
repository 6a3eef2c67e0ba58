/**
 * BOBYQA's geometry step (Powell 2009, section 3; his ALTMOV): a new position for interpolation point
 * `knew` within distance adelt of xopt that keeps the interpolation system well conditioned, i.e.
 * makes |ℓ_knew(x)| (the knew-th Lagrange function) and so the updating formula's denominator large.
 * Two candidates: the best point on the lines through xopt and the other interpolation points, and a
 * constrained Cauchy step of ±ℓ_knew; the main iteration picks one by the denominator they give.
 */
import type { BobyqaModel } from './bobyqa-model.js';

/** The two candidates and what choosing between them needs. */
export interface GeometryStep {
  /** Best point on a line through xopt and another interpolation point. */
  readonly xnew: Float64Array;
  /** The constrained Cauchy point of ±ℓ_knew. */
  readonly xalt: Float64Array;
  /** Ω[knew][knew], the diagonal element of H for the point to move. */
  readonly alpha: number;
  /** ℓ_knew(xalt)², or 0 when there is no useful Cauchy step. */
  readonly cauchy: number;
}

/** Work arrays, reused between calls. */
export class GeometryWork {
  readonly xnew: Float64Array;
  readonly xalt: Float64Array;
  readonly glag: Float64Array;
  readonly hcol: Float64Array;
  readonly w: Float64Array;
  readonly xaltSaved: Float64Array;
  constructor(n: number, npt: number) {
    this.xnew = new Float64Array(n);
    this.xalt = new Float64Array(n);
    this.glag = new Float64Array(n);
    this.hcol = new Float64Array(npt);
    this.w = new Float64Array(n);
    this.xaltSaved = new Float64Array(n);
  }
}

/** Computes the geometry step for point knew within radius adelt. */
export function geometryStep(m: BobyqaModel, knew: number, adelt: number, g: GeometryWork): GeometryStep {
  const { n, npt, nptm, xpt, xopt, bmat, zmat, sl, su, kopt } = m;
  const { xnew, xalt, glag, hcol, w, xaltSaved } = g;
  // column knew of Ω, and the gradient of ℓ_knew at xopt
  hcol.fill(0);
  for (let j = 0; j < nptm; j++) {
    const temp = zmat[knew * nptm + j];
    for (let k = 0; k < npt; k++) hcol[k] += temp * zmat[k * nptm + j];
  }
  const alpha = hcol[knew];
  const ha = 0.5 * alpha;
  for (let i = 0; i < n; i++) glag[i] = bmat[knew * n + i];
  for (let k = 0; k < npt; k++) {
    let temp = 0;
    for (let j = 0; j < n; j++) temp += xpt[k * n + j] * xopt[j];
    temp = hcol[k] * temp;
    for (let i = 0; i < n; i++) glag[i] += temp * xpt[k * n + i];
  }

  // lines through xopt and each other point: the step along each that maximises the predicted
  // denominator, within adelt and the bounds
  let presav = 0;
  let ksav = -1;
  let stpsav = 0;
  let ibdsav = 0;
  for (let k = 0; k < npt; k++) {
    if (k === kopt) continue;
    let dderiv = 0;
    let distsq = 0;
    for (let i = 0; i < n; i++) {
      const temp = xpt[k * n + i] - xopt[i];
      dderiv += glag[i] * temp;
      distsq += temp * temp;
    }
    let subd = adelt / Math.sqrt(distsq);
    let slbd = -subd;
    let ilbd = 0;
    let iubd = 0;
    const sumin = Math.min(1, subd);
    for (let i = 0; i < n; i++) {
      const temp = xpt[k * n + i] - xopt[i];
      if (temp > 0) {
        if (slbd * temp < sl[i] - xopt[i]) {
          slbd = (sl[i] - xopt[i]) / temp;
          ilbd = -(i + 1);
        }
        if (subd * temp > su[i] - xopt[i]) {
          subd = Math.max(sumin, (su[i] - xopt[i]) / temp);
          iubd = i + 1;
        }
      } else if (temp < 0) {
        if (slbd * temp > su[i] - xopt[i]) {
          slbd = (su[i] - xopt[i]) / temp;
          ilbd = i + 1;
        }
        if (subd * temp < sl[i] - xopt[i]) {
          subd = Math.max(sumin, (sl[i] - xopt[i]) / temp);
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
      const temp = subd * (dderiv - subd * diff);
      if (Math.abs(temp) > Math.abs(vlag)) {
        step = subd;
        vlag = temp;
        isbd = iubd;
      }
      const tempd = 0.5 * dderiv;
      const tempa = tempd - diff * slbd;
      const tempb = tempd - diff * subd;
      if (tempa * tempb < 0) {
        const t = (tempd * tempd) / diff;
        if (Math.abs(t) > Math.abs(vlag)) {
          step = tempd / diff;
          vlag = t;
          isbd = 0;
        }
      }
    } else {
      step = slbd;
      vlag = slbd * (1 - slbd);
      isbd = ilbd;
      const temp = subd * (1 - subd);
      if (Math.abs(temp) > Math.abs(vlag)) {
        step = subd;
        vlag = temp;
        isbd = iubd;
      }
      if (subd > 0.5 && Math.abs(vlag) < 0.25) {
        step = 0.5;
        vlag = 0.25;
        isbd = 0;
      }
      vlag *= dderiv;
    }
    const temp = step * (1 - step) * distsq;
    const predsq = vlag * vlag * (vlag * vlag + ha * temp * temp);
    if (predsq > presav) {
      presav = predsq;
      ksav = k;
      stpsav = step;
      ibdsav = isbd;
    }
  }
  for (let i = 0; i < n; i++) {
    const temp = ksav >= 0 ? xopt[i] + stpsav * (xpt[ksav * n + i] - xopt[i]) : xopt[i];
    xnew[i] = Math.max(sl[i], Math.min(su[i], temp));
  }
  if (ibdsav < 0) xnew[-ibdsav - 1] = sl[-ibdsav - 1];
  if (ibdsav > 0) xnew[ibdsav - 1] = su[ibdsav - 1];

  // constrained Cauchy steps along −∇ℓ and then +∇ℓ; keep the one with the larger |ℓ|
  const bigstp = adelt + adelt;
  let cauchy = 0;
  let csave = 0;
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
      const temp = adelt * adelt - wfixsq;
      if (!(temp > 0)) break;
      const wsqsav = wfixsq;
      step = Math.sqrt(temp / ggfree);
      ggfree = 0;
      for (let i = 0; i < n; i++) {
        if (w[i] === bigstp) {
          const t = xopt[i] - step * glag[i];
          if (t <= sl[i]) {
            w[i] = sl[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else if (t >= su[i]) {
            w[i] = su[i] - xopt[i];
            wfixsq += w[i] * w[i];
          } else ggfree += glag[i] * glag[i];
        }
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
      let temp = 0;
      for (let j = 0; j < n; j++) temp += xpt[k * n + j] * w[j];
      curv += hcol[k] * temp * temp;
    }
    if (pass === 1) curv = -curv;
    if (curv > -gw && curv < -(1 + Math.SQRT2) * gw) {
      const scale = -gw / curv;
      for (let i = 0; i < n; i++) xalt[i] = Math.max(sl[i], Math.min(su[i], xopt[i] + scale * w[i]));
      const c = 0.5 * gw * scale;
      cauchy = c * c;
    } else {
      const c = gw + 0.5 * curv;
      cauchy = c * c;
    }
    if (pass === 0) {
      for (let i = 0; i < n; i++) glag[i] = -glag[i];
      xaltSaved.set(xalt);
      csave = cauchy;
    }
  }
  if (csave > cauchy) {
    xalt.set(xaltSaved);
    cauchy = csave;
  }
  return { xnew, xalt, alpha, cauchy };
}
