/**
 * BOBYQA's main iteration (Powell 2009, sections 2 and 6; his BOBYQB) on a box in scaled coordinates.
 * Each iteration either takes a trust-region step (TRSBOX) and replaces the interpolation point that
 * keeps the system best conditioned, or — when the model seems unreliable — moves the farthest point
 * to improve the geometry (ALTMOV). The trust radius Δ follows the ratio of actual to predicted
 * reduction; its lower bound ρ is cut from ρ_beg to ρ_end in steps when the work at one ρ is done.
 *
 * Stopping rules are NLopt 2.7.1's, so that lme4's "nloptwrap" is reproduced: ρ reaching ρ_end
 * (after one last step if it is too short to have been tried), an improving step that improves f by
 * less than ftolAbs (or ftolRel relative), the evaluation budget, or rounding errors.
 *
 * Two departures from Powell's code, both for robustness:
 * - RESCUE (his repair of the interpolation system when rounding errors have destroyed an updating
 *   denominator) is replaced by a restart: the first model is built anew around the best point with
 *   spacing ρ (2n evaluations). Like RESCUE it is used at most once between new evaluations and is
 *   rarely needed; without new evaluations since the last repair the run stops as rounding-limited.
 * - A non-finite f is replaced by a value above every finite value of the interpolation set (the
 *   largest plus the larger of its spread and its magnitude), so that the model steers away from the
 *   point without the huge coefficients that a fixed "very large" value would cause.
 */
import { BobyqaModel } from './bobyqa-model.js';
import { GeometryWork, geometryStep } from './bobyqa-altmov.js';
import { TrustRegionWork, trustRegionStep } from './bobyqa-trsbox.js';
import { BudgetExhausted } from './objective.js';

/** Why the iteration stopped. */
export type BobyqaStop = 'rho' | 'ftol' | 'budget' | 'roundoff' | 'nonfinite';

/** Settings of one run, in scaled coordinates. */
export interface BobyqaSettings {
  readonly rhoBeg: number;
  readonly rhoEnd: number;
  readonly ftolAbs: number;
  readonly ftolRel: number;
  /**
   * Stop at a reduction of ρ when the least f fell by less than this since the previous one (0: never);
   * tested once ρ ≤ ρ_beg / 100 (a start within ρ of the optimum gains little at the first, wide levels).
   */
  readonly levelFtolAbs?: number;
  /**
   * For tests only: treat the denominators of the first trust-region step after this many
   * evaluations as destroyed by rounding, so that the repair (restart) path runs.
   */
  readonly testRescueAfter?: number;
}

/** The outcome: the reason and, for rounding trouble, what happened. */
export interface BobyqaOutcome {
  readonly stop: BobyqaStop;
  readonly detail: string;
  /** Restarts that replaced RESCUE. */
  readonly restarts: number;
}

/** Evaluates f at a point of the scaled box (may throw BudgetExhausted); returns the raw value. */
export type ScaledObjective = (x: Float64Array) => number;

/**
 * Thrown to leave the iteration with its reason and caught by runBobyqa. Not an Error: nothing outside
 * sees it, and an Error would capture a stack trace at every run's end.
 */
class Stopped {
  constructor(readonly stop: BobyqaStop, readonly detail: string) {}
}

/** A value above every finite one in `values` (for a non-finite f); NaN if there is none. */
function barrier(values: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (hi === -Infinity) return NaN;
  const margin = Math.max(hi - lo, Math.abs(hi));
  return hi + (margin > 0 ? margin : 1);
}

/**
 * Minimises f over the box [xl, xu] (scaled coordinates, every width ≥ 2·rhoBeg) from x0 by BOBYQA.
 */
export function runBobyqa(
  f: ScaledObjective,
  x0: Float64Array,
  xl: Float64Array,
  xu: Float64Array,
  settings: BobyqaSettings,
): BobyqaOutcome {
  const solver = new BobyqaSolver(f, xl, xu, settings);
  try {
    solver.iterate(x0);
  } catch (e) {
    if (e instanceof Stopped) return { stop: e.stop, detail: e.detail, restarts: solver.restarts };
    if (e instanceof BudgetExhausted) return { stop: 'budget', detail: e.message, restarts: solver.restarts };
    throw e;
  }
  return { stop: 'rho', detail: 'the trust region radius reached rhoEnd', restarts: solver.restarts };
}

type Label = 'trust' | 'shift' | 'geometry' | 'denominators' | 'evaluate' | 'far' | 'rho' | 'rescue' | 'done';

class BobyqaSolver {
  private readonly m: BobyqaModel;
  private readonly n: number;
  private readonly npt: number;
  private readonly tr: TrustRegionWork;
  private readonly geo: GeometryWork;
  private readonly vlag: Float64Array;
  private readonly xd: Float64Array;
  private readonly work: Float64Array;
  private readonly point: Float64Array;
  /** Views of `work` and `vlag` for the test of the least Frobenius norm model, made once. */
  private readonly fdiff: Float64Array;
  private readonly wz: Float64Array;
  private readonly pqNew: Float64Array;
  private readonly gNew: Float64Array;
  restarts = 0;
  private nf = 0;

  constructor(
    private readonly f: ScaledObjective,
    private readonly xl: Float64Array,
    private readonly xu: Float64Array,
    private readonly s: BobyqaSettings,
  ) {
    const n = xl.length;
    this.n = n;
    this.m = new BobyqaModel(n);
    this.npt = this.m.npt;
    this.tr = new TrustRegionWork(n);
    this.geo = new GeometryWork(n, this.npt);
    this.vlag = new Float64Array(this.npt + n);
    this.xd = new Float64Array(this.npt);
    this.work = new Float64Array(2 * (this.npt + n) + Math.max(n, this.npt));
    this.point = new Float64Array(n);
    const npt = this.npt;
    this.fdiff = this.work.subarray(0, npt);
    this.wz = this.work.subarray(npt, 2 * npt);
    this.pqNew = this.work.subarray(2 * npt, 3 * npt);
    this.gNew = this.vlag.subarray(npt, npt + n);
  }

  /** f at xbase + x (x a displacement), with coordinates that sit on a bound put exactly on it. */
  /**
   * Powell's choice of the interpolation point to drop: the largest denominator β·H_kk + vlag_k² weighted
   * by max(1, (|x_k − center|² / Δ²)²), skipping point `skip`. Also returns the largest weighted vlag_k²,
   * against which the caller judges whether rounding has cancelled the denominators.
   */
  private pointToReplace(center: Float64Array, beta: number, delta: number, skip: number): { knew: number; denom: number; scaden: number; biglsq: number } {
    const { m, n, npt, vlag } = this;
    const xpt = m.xpt;
    const delsq = delta * delta;
    let scaden = 0;
    let biglsq = 0;
    let knew = -1;
    let denom = 0;
    for (let k = 0; k < npt; k++) {
      if (k === skip) continue;
      const den = beta * m.omegaDiagonal(k) + vlag[k] * vlag[k];
      let dist2 = 0;
      for (let j = 0; j < n; j++) {
        const v = xpt[k * n + j] - center[j];
        dist2 += v * v;
      }
      const q = dist2 / delsq;
      const temp = Math.max(1, q * q);
      if (temp * den > scaden) {
        scaden = temp * den;
        knew = k;
        denom = den;
      }
      biglsq = Math.max(biglsq, temp * (vlag[k] * vlag[k]));
    }
    return { knew, denom, scaden, biglsq };
  }

  private evaluateAt(x: Float64Array): number {
    const { n, m, xl, xu, point } = this;
    for (let j = 0; j < n; j++) {
      point[j] = Math.min(Math.max(xl[j], m.xbase[j] + x[j]), xu[j]);
      if (x[j] === m.sl[j]) point[j] = xl[j];
      if (x[j] === m.su[j]) point[j] = xu[j];
    }
    this.nf++;
    return this.f(point);
  }

  /**
   * The first model around `center` with spacing rho (PRELIM). `known` is f at center when it is
   * already known (a restart), so that it is not evaluated again if the base stays there.
   */
  private initialize(center: Float64Array, rho: number, known?: number): number {
    const { n, npt, m } = this;
    m.setBase(center, this.xl, this.xu, rho);
    let sameBase = known !== undefined;
    for (let j = 0; j < n && sameBase; j++) if (m.xbase[j] !== center[j]) sameBase = false;
    const pts = m.initialPoints(rho);
    const values = new Float64Array(npt);
    for (let k = 0; k < npt; k++) {
      values[k] = k === 0 && sameBase ? (known as number) : this.evaluateAt(pts.subarray(k * n, k * n + n));
    }
    const sub = barrier(values);
    if (Number.isNaN(sub)) throw new Stopped('nonfinite', 'f was not finite at any of the initial points');
    for (let k = 0; k < npt; k++) if (!Number.isFinite(values[k])) values[k] = sub;
    m.initialModel(values, rho);
    const xoptsq = m.setXopt();
    // the first model's gradient is at the base: move it to xopt (its Hessian is all explicit)
    if (m.kopt !== 0) m.addHessianTimes(m.xopt, false);
    return xoptsq;
  }

  iterate(x0: Float64Array): void {
    const { n, npt, m, vlag, xd, work } = this;
    const { xpt, fval, xopt, gopt, hq, pq, bmat, zmat, sl, su } = m;
    const nptm = m.nptm;
    const { rhoBeg, rhoEnd, ftolAbs, ftolRel } = this.s;

    let xoptsq = this.initialize(x0, rhoBeg);
    let rho = rhoBeg;
    let delta = rho;
    const levelFtolAbs = this.s.levelFtolAbs ?? 0;
    // the least f when this trust-region level began
    let levelStartF = fval[m.kopt];
    let nresc = this.nf;
    let ntrits = 0;
    let diffa = 0;
    let diffb = 0;
    let diffc = 0;
    let itest = 0;
    let nfsav = this.nf;
    let ratio = 0;
    let knew = 0;
    let adelt = 0;
    let dsq = 0;
    let dnorm = 0;
    let crvmin = 0;
    let distsq = 0;
    let alpha = 0;
    let cauchy = 0;
    let beta = 0;
    let denom = 0;
    let d = this.tr.d;
    let xnew = this.tr.xnew;
    let gnew = this.tr.gnew;
    const dd = new Float64Array(n);
    const xnewAlt = new Float64Array(n);
    let label: Label = 'trust';

    for (;;) {
      switch (label) {
        case 'trust': {
          const step = trustRegionStep(m, delta, this.tr);
          d = step.d;
          xnew = step.xnew;
          gnew = step.gnew;
          dsq = step.dsq;
          crvmin = step.crvmin;
          dnorm = Math.min(delta, Math.sqrt(dsq));
          if (dnorm < 0.5 * rho) {
            // too short to be worth an evaluation: improve the geometry, or finish with this ρ
            ntrits = -1;
            distsq = 10 * rho * (10 * rho);
            if (this.nf <= nfsav + 2) {
              label = 'far';
              break;
            }
            const errbig = Math.max(Math.max(diffa, diffb), diffc);
            const frhosq = rho * 0.125 * rho;
            if (crvmin > 0 && errbig > frhosq * crvmin) {
              label = 'far';
              break;
            }
            const bdtol = errbig / rho;
            label = 'rho';
            for (let j = 0; j < n; j++) {
              let bdtest = bdtol;
              if (xnew[j] === sl[j]) bdtest = gnew[j];
              if (xnew[j] === su[j]) bdtest = -gnew[j];
              if (bdtest < bdtol) {
                let curv = hq[(j * (j + 3)) / 2];
                for (let k = 0; k < npt; k++) {
                  const v = xpt[k * n + j];
                  curv += pq[k] * (v * v);
                }
                bdtest += 0.5 * curv * rho;
                if (bdtest < bdtol) {
                  label = 'far';
                  break;
                }
              }
            }
            break;
          }
          ntrits++;
          label = 'shift';
          break;
        }
        case 'shift': {
          // against cancellation, move the base to xopt when xopt is far from it relative to the step
          if (dsq <= xoptsq * 0.001) {
            m.shiftBase(xnew, xoptsq, work);
            xoptsq = 0;
          }
          label = ntrits === 0 ? 'geometry' : 'denominators';
          break;
        }
        case 'geometry': {
          const g = geometryStep(m, knew, adelt, this.geo);
          alpha = g.alpha;
          cauchy = g.cauchy;
          xnew = xnewAlt;
          xnew.set(g.xnew);
          d = dd;
          for (let i = 0; i < n; i++) d[i] = xnew[i] - xopt[i];
          for (;;) {
            beta = m.lagrangeValues(d, xoptsq, vlag, xd, work);
            denom = vlag[knew] * vlag[knew] + alpha * beta;
            if (denom < cauchy && cauchy > 0) {
              xnew.set(g.xalt);
              for (let i = 0; i < n; i++) d[i] = xnew[i] - xopt[i];
              cauchy = 0;
              continue;
            }
            break;
          }
          if (denom <= 0.5 * (vlag[knew] * vlag[knew])) {
            if (this.nf > nresc) {
              label = 'rescue';
              break;
            }
            throw new Stopped('roundoff', 'rounding errors cancelled the denominator of a geometry step');
          }
          label = 'evaluate';
          break;
        }
        case 'denominators': {
          // the point to replace by the trust-region step: the largest weighted denominator
          beta = m.lagrangeValues(d, xoptsq, vlag, xd, work);
          const pick = this.pointToReplace(xopt, beta, delta, m.kopt);
          knew = pick.knew;
          if (knew >= 0) denom = pick.denom;
          const { scaden, biglsq } = pick;
          const forced = this.s.testRescueAfter !== undefined && this.restarts === 0 && this.nf >= this.s.testRescueAfter;
          if (scaden <= 0.5 * biglsq || forced) {
            if (this.nf > nresc) {
              label = 'rescue';
              break;
            }
            throw new Stopped('roundoff', 'rounding errors cancelled the denominators of a trust-region step');
          }
          label = 'evaluate';
          break;
        }
        case 'evaluate': {
          let f = this.evaluateAt(xnew);
          if (!Number.isFinite(f)) f = barrier(fval);
          if (ntrits === -1) {
            // the last, short step at the final ρ has been tried: done
            label = 'done';
            break;
          }
          const fopt = fval[m.kopt];
          const vquad = m.modelChange(d, xd);
          const diff = f - fopt - vquad;
          diffc = diffb;
          diffb = diffa;
          diffa = Math.abs(diff);
          if (dnorm > rho) nfsav = this.nf;
          if (ntrits > 0) {
            if (vquad >= 0) throw new Stopped('roundoff', 'a trust-region step failed to reduce the model');
            ratio = (f - fopt) / vquad;
            if (ratio <= 0.1) delta = Math.min(0.5 * delta, dnorm);
            else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
            else delta = Math.max(0.5 * delta, dnorm + dnorm);
            if (delta <= rho * 1.5) delta = rho;
            if (f < fopt) {
              // the new point will be xopt: choose the point to drop relative to it
              const pick = this.pointToReplace(xnew, beta, delta, -1);
              if (pick.scaden > 0.5 * pick.biglsq) {
                knew = pick.knew;
                denom = pick.denom;
              }
            }
          }
          m.updateH(vlag, beta, denom, knew, work);
          if (!m.replacePoint(knew, xnew, f, diff, work)) {
            throw new Stopped('roundoff', 'the interpolation system became singular');
          }
          if (f < fopt) {
            m.kopt = knew;
            xoptsq = 0;
            for (let j = 0; j < n; j++) {
              xopt[j] = xnew[j];
              xoptsq += xopt[j] * xopt[j];
            }
            m.addHessianTimes(d, true);
            const change = Math.abs(f - fopt);
            if (change < ftolAbs || change < ftolRel * (Math.abs(f) + Math.abs(fopt)) * 0.5) {
              throw new Stopped('ftol', 'an improving step changed f by less than ftolAbs / ftolRel');
            }
          }
          if (ntrits > 0) {
            // replace the model by the least Frobenius norm interpolant if that has a much smaller
            // (projected) gradient three times running
            const { fdiff, wz, pqNew, gNew } = this;
            for (let k = 0; k < npt; k++) {
              fdiff[k] = fval[k] - fval[m.kopt];
              wz[k] = 0;
            }
            for (let j = 0; j < nptm; j++) {
              let sum = 0;
              for (let k = 0; k < npt; k++) sum += zmat[k * nptm + j] * fdiff[k];
              for (let k = 0; k < npt; k++) wz[k] += sum * zmat[k * nptm + j];
            }
            for (let k = 0; k < npt; k++) {
              let sum = 0;
              for (let j = 0; j < n; j++) sum += xpt[k * n + j] * xopt[j];
              pqNew[k] = wz[k];
              wz[k] = sum * wz[k];
            }
            let gqsq = 0;
            let gisq = 0;
            for (let i = 0; i < n; i++) {
              let sum = 0;
              for (let k = 0; k < npt; k++) sum = sum + bmat[k * n + i] * fdiff[k] + xpt[k * n + i] * wz[k];
              if (xopt[i] === sl[i]) {
                const a = Math.min(0, gopt[i]);
                gqsq += a * a;
                const b = Math.min(0, sum);
                gisq += b * b;
              } else if (xopt[i] === su[i]) {
                const a = Math.max(0, gopt[i]);
                gqsq += a * a;
                const b = Math.max(0, sum);
                gisq += b * b;
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
            label = 'trust';
            break;
          }
          distsq = Math.max(2 * delta * (2 * delta), 10 * rho * (10 * rho));
          label = 'far';
          break;
        }
        case 'far': {
          // is some interpolation point too far from xopt? then move it (geometry step)
          knew = -1;
          for (let k = 0; k < npt; k++) {
            let sum = 0;
            for (let j = 0; j < n; j++) {
              const v = xpt[k * n + j] - xopt[j];
              sum += v * v;
            }
            if (sum > distsq) {
              knew = k;
              distsq = sum;
            }
          }
          if (knew >= 0) {
            const dist = Math.sqrt(distsq);
            if (ntrits === -1) {
              delta = Math.min(0.1 * delta, 0.5 * dist);
              if (delta <= rho * 1.5) delta = rho;
            }
            ntrits = 0;
            adelt = Math.max(Math.min(0.1 * dist, delta), rho);
            dsq = adelt * adelt;
            label = 'shift';
            break;
          }
          if (ntrits === -1) label = 'rho';
          else if (ratio > 0 || Math.max(delta, dnorm) > rho) label = 'trust';
          else label = 'rho';
          break;
        }
        case 'rho': {
          if (rho > rhoEnd && levelFtolAbs > 0) {
            if (rho <= 0.01 * rhoBeg && levelStartF - fval[m.kopt] < levelFtolAbs) throw new Stopped('ftol', 'a trust-region level lowered f by less than levelFtolAbs');
            levelStartF = fval[m.kopt];
          }
          if (rho > rhoEnd) {
            delta = 0.5 * rho;
            ratio = rho / rhoEnd;
            if (ratio <= 16) rho = rhoEnd;
            else if (ratio <= 250) rho = Math.sqrt(ratio) * rhoEnd;
            else rho = 0.1 * rho;
            delta = Math.max(delta, rho);
            ntrits = 0;
            nfsav = this.nf;
            label = 'trust';
            break;
          }
          // one more step at the final ρ if the last trust-region step was too short to be tried
          label = ntrits === -1 ? 'evaluate' : 'done';
          break;
        }
        case 'rescue': {
          this.restarts++;
          const center = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            center[i] = Math.min(Math.max(this.xl[i], m.xbase[i] + xopt[i]), this.xu[i]);
            if (xopt[i] === sl[i]) center[i] = this.xl[i];
            if (xopt[i] === su[i]) center[i] = this.xu[i];
          }
          xoptsq = this.initialize(center, rho, fval[m.kopt]);
          delta = Math.max(delta, rho);
          nresc = this.nf;
          nfsav = this.nf;
          itest = 0;
          label = 'trust';
          break;
        }
        case 'done':
          return;
      }
    }
  }
}
