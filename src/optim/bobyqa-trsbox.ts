/**
 * BOBYQA's trust-region step (Powell 2009, section 3; his TRSBOX): an approximate minimiser of the
 * quadratic model within the ball ‖d‖ ≤ Δ and the bounds. Truncated conjugate gradients run on the
 * free variables, fixing a variable when the path reaches its bound; if the path reaches the ball's
 * surface, the step is then improved by rotations on the surface in the plane of d and the reduced
 * gradient (each rotation angle chosen from a few trial angles refined by a parabola).
 */
import type { BobyqaModel } from './bobyqa-model.js';

/** The step, the point it reaches and what the main iteration needs to know about it. */
export interface TrustRegionStep {
  /** xopt + d, with coordinates that reached a bound set exactly onto it. */
  readonly xnew: Float64Array;
  /** The step, xnew − xopt. */
  readonly d: Float64Array;
  /** Gradient of the model at xnew (used in the test for leaving ρ). */
  readonly gnew: Float64Array;
  /** ‖d‖². */
  readonly dsq: number;
  /** Least curvature seen along a conjugate-gradient direction; 0 if the ball was reached, −1 if none. */
  readonly crvmin: number;
}

/** Work arrays of length n, reused between calls. */
export class TrustRegionWork {
  readonly xnew: Float64Array;
  readonly d: Float64Array;
  readonly gnew: Float64Array;
  readonly xbdi: Float64Array;
  readonly s: Float64Array;
  readonly hs: Float64Array;
  readonly hred: Float64Array;
  constructor(n: number) {
    this.xnew = new Float64Array(n);
    this.d = new Float64Array(n);
    this.gnew = new Float64Array(n);
    this.xbdi = new Float64Array(n);
    this.s = new Float64Array(n);
    this.hs = new Float64Array(n);
    this.hred = new Float64Array(n);
  }
}

/** Computes the trust-region step of radius delta from xopt. */
export function trustRegionStep(m: BobyqaModel, delta: number, w: TrustRegionWork): TrustRegionStep {
  const { n, xopt, gopt, sl, su } = m;
  const { d, gnew, xbdi, s, hs } = w;
  // xbdi: −1 / +1 for a variable fixed at its lower / upper bound, 0 for a free one
  let nact = 0;
  for (let i = 0; i < n; i++) {
    xbdi[i] = 0;
    if (xopt[i] <= sl[i]) {
      if (gopt[i] >= 0) xbdi[i] = -1;
    } else if (xopt[i] >= su[i]) {
      if (gopt[i] <= 0) xbdi[i] = 1;
    }
    if (xbdi[i] !== 0) nact++;
    d[i] = 0;
    gnew[i] = gopt[i];
  }
  let delsq = delta * delta;
  let qred = 0;
  let crvmin = -1;
  let iterc = 0;
  let itermax = 0;
  let gredsq = 0;
  let ggsav = 0;
  let beta = 0;
  let onSurface = false;

  // conjugate gradients, restarted (beta = 0) whenever a variable is fixed at a bound
  cg: for (;;) {
    let stepsq = 0;
    for (let i = 0; i < n; i++) {
      if (xbdi[i] !== 0) s[i] = 0;
      else if (beta === 0) s[i] = -gnew[i];
      else s[i] = beta * s[i] - gnew[i];
      stepsq += s[i] * s[i];
    }
    if (stepsq === 0) break cg;
    if (beta === 0) {
      gredsq = stepsq;
      itermax = iterc + n - nact;
    }
    if (gredsq * delsq <= qred * 1e-4 * qred) break cg;
    m.hessianTimes(s, hs);
    let resid = delsq;
    let ds = 0;
    let shs = 0;
    for (let i = 0; i < n; i++) {
      if (xbdi[i] === 0) {
        resid -= d[i] * d[i];
        ds += s[i] * d[i];
        shs += s[i] * hs[i];
      }
    }
    if (resid <= 0) {
      onSurface = true;
      break cg;
    }
    const temp = Math.sqrt(stepsq * resid + ds * ds);
    const blen = ds < 0 ? (temp - ds) / stepsq : resid / (temp + ds);
    let stplen = blen;
    if (shs > 0) stplen = Math.min(blen, gredsq / shs);
    // the first bound on the path
    let iact = -1;
    for (let i = 0; i < n; i++) {
      if (s[i] !== 0) {
        const xsum = xopt[i] + d[i];
        const t = s[i] > 0 ? (su[i] - xsum) / s[i] : (sl[i] - xsum) / s[i];
        if (t < stplen) {
          stplen = t;
          iact = i;
        }
      }
    }
    let sdec = 0;
    if (stplen > 0) {
      iterc++;
      const curv = shs / stepsq;
      if (iact === -1 && curv > 0) {
        crvmin = Math.min(crvmin, curv);
        if (crvmin === -1) crvmin = curv;
      }
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
      if (delsq <= 0) {
        onSurface = true;
        break cg;
      }
      beta = 0;
      continue;
    }
    if (stplen < blen) {
      if (iterc === itermax || sdec <= qred * 0.01) break cg;
      beta = gredsq / ggsav;
      continue;
    }
    onSurface = true;
    break;
  }

  if (onSurface) {
    crvmin = 0;
    rotations(m, w, qred, nact, iterc);
  }
  return finish(m, w, crvmin);
}

/** Rotations of d on the trust-region surface (Powell's TRSBOX from label 90). */
function rotations(m: BobyqaModel, w: TrustRegionWork, qredIn: number, nactIn: number, itercIn: number): void {
  const { n, xopt, sl, su } = m;
  const { d, gnew, xbdi, s, hs, hred } = w;
  let qred = qredIn;
  let nact = nactIn;
  let iterc = itercIn;
  for (;;) {
    // (re)start with the current set of fixed variables
    if (nact >= n - 1) return;
    let dredsq = 0;
    let dredg = 0;
    let gredsq = 0;
    for (let i = 0; i < n; i++) {
      if (xbdi[i] === 0) {
        dredsq += d[i] * d[i];
        dredg += d[i] * gnew[i];
        gredsq += gnew[i] * gnew[i];
        s[i] = d[i];
      } else s[i] = 0;
    }
    m.hessianTimes(s, hred);
    let restart = false;
    while (!restart) {
      iterc++;
      let temp = gredsq * dredsq - dredg * dredg;
      if (temp <= qred * 1e-4 * qred) return;
      temp = Math.sqrt(temp);
      for (let i = 0; i < n; i++) s[i] = xbdi[i] === 0 ? (dredg * d[i] - dredsq * gnew[i]) / temp : 0;
      const sredg = -temp;
      // the largest angle before a free variable reaches a bound
      let angbd = 1;
      let iact = -1;
      let xsav = 0;
      for (let i = 0; i < n; i++) {
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
        const lo = xopt[i] - sl[i];
        let t = ssq - lo * lo;
        if (t > 0) {
          t = Math.sqrt(t) - s[i];
          if (angbd * t > tempa) {
            angbd = tempa / t;
            iact = i;
            xsav = -1;
          }
        }
        const hi = su[i] - xopt[i];
        t = ssq - hi * hi;
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
      m.hessianTimes(s, hs);
      let shs = 0;
      let dhs = 0;
      let dhd = 0;
      for (let i = 0; i < n; i++) {
        if (xbdi[i] === 0) {
          shs += s[i] * hs[i];
          dhs += d[i] * hs[i];
          dhd += d[i] * hred[i];
        }
      }
      // reduction of the model at equally spaced tan(θ/2) in (0, angbd], refined by a parabola
      let redmax = 0;
      let isav = 0;
      let redsav = 0;
      let rdprev = 0;
      let rdnext = 0;
      const iu = Math.trunc(angbd * 17 + 3.1);
      for (let i = 1; i <= iu; i++) {
        const angt = (angbd * i) / iu;
        const sth = (angt + angt) / (1 + angt * angt);
        const tq = shs + angt * (angt * dhd - dhs - dhs);
        const rednew = sth * (angt * dredg - sredg - 0.5 * sth * tq);
        if (rednew > redmax) {
          redmax = rednew;
          isav = i;
          rdprev = redsav;
        } else if (i === isav + 1) rdnext = rednew;
        redsav = rednew;
      }
      if (isav === 0) return;
      let angt = 0;
      if (isav < iu) {
        const t = (rdnext - rdprev) / (redmax + redmax - rdprev - rdnext);
        angt = (angbd * (isav + 0.5 * t)) / iu;
      } else angt = (angbd * isav) / iu;
      const cth = (1 - angt * angt) / (1 + angt * angt);
      const sth = (angt + angt) / (1 + angt * angt);
      const tq = shs + angt * (angt * dhd - dhs - dhs);
      const sdec = sth * (angt * dredg - sredg - 0.5 * sth * tq);
      if (sdec <= 0) return;
      dredg = 0;
      gredsq = 0;
      for (let i = 0; i < n; i++) {
        gnew[i] = gnew[i] + (cth - 1) * hred[i] + sth * hs[i];
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
      if (sdec <= qred * 0.01) return;
    }
  }
}

/** xnew = xopt + d within the bounds (exactly on those that were reached), d = xnew − xopt. */
function finish(m: BobyqaModel, w: TrustRegionWork, crvmin: number): TrustRegionStep {
  const { n, xopt, sl, su } = m;
  const { d, xnew, gnew, xbdi } = w;
  let dsq = 0;
  for (let i = 0; i < n; i++) {
    xnew[i] = Math.max(Math.min(xopt[i] + d[i], su[i]), sl[i]);
    if (xbdi[i] === -1) xnew[i] = sl[i];
    if (xbdi[i] === 1) xnew[i] = su[i];
    d[i] = xnew[i] - xopt[i];
    dsq += d[i] * d[i];
  }
  return { xnew, d, gnew, dsq, crvmin };
}
