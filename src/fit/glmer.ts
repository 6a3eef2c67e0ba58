/**
 * `glmer`: generalized linear mixed models (binomial, Poisson) as lme4 1.1-31 fits them. The data flow:
 * formula + data → response / weights / offset (frame/glm-response.ts) → model frame, X, terms →
 * WASM engine in glm mode → PIRLS (pirls.ts) inside the deviance → stage 1: θ alone with β inside PIRLS
 * (nAGQ = 0), BOBYQA → stage 2: θ and β together with the Laplace deviance, BOBYQA in scaled coordinates
 * (or lme4's Nelder–Mead) → convergence checks and the finite-difference Hessian (vcov) → GlmerModel.
 */
import { DataError, ModelError, NumericalError, OptionError } from '../errors.js';
import { checkDataArgument, checkFormulaArgument } from '../options/arguments.js';
import { checkOptions } from '../options/validate.js';
import { GLMER_SCHEMA } from '../options/schemas.js';
import { toDataTable, type DataInput } from '../data/from-input.js';
import type { DataOptions, PreparedModel } from '../design/prepare.js';
import { buildModelFrame, pick as pickRows } from '../frame/model-frame.js';
import { glmResponse } from '../frame/glm-response.js';
import { modelMatrix, columnMajor } from '../design/model-matrix.js';
import { checkRank, rankDeficiencyMessage } from '../design/rank.js';
import { engineTerms, randomTermDesigns } from '../design/random-terms.js';
import { MixedEngine } from '../wasm/mixed-engine.js';
import { inverseFromLowerFactor } from '../linalg/factor-inverse.js';
import { choleskyLower } from '../linalg/symmetric.js';
import { bobyqa } from '../optim/index.js';
import { nelderMeadLme4 } from '../optim/nelder-mead-lme4.js';
import { checkConvergence, confirmWithRestart, isSingular, SINGULAR_TOL, type ConvergenceReport } from './convergence.js';
import { makeFamily, type Family } from './family.js';
import { Pirls } from './pirls.js';
import { gaussHermite } from './gauss-hermite.js';
import { thetaLower, thetaNames } from './theta.js';
import { GlmerModel, type GlmerStage2Optimizer } from './glmer-model.js';
import { conditionalVariances } from './conditional-variance.js';
import { FixedPredictor } from './fixed-predictor.js';
import { constantGroupsWarning, findSeparation, separationWarning } from './separation.js';
import { laplaceGradient, type LaplaceGradientFn } from './laplace-gradient.js';
import { betaSteps, scaledBobyqa, scaledNewton, thetaSteps } from './glmer-stage2.js';

/** Options of `glmer`. */
export interface GlmerOptions extends DataOptions {
  /** 'binomial' (default link logit) or 'poisson' (default link log). */
  family: string;
  /** The link: binomial logit, probit, cloglog, cauchit, log; Poisson log, sqrt, identity. */
  link?: string;
  /** Prior weights, one per data row, or a column name (binomial proportions: the trials). */
  weights?: ArrayLike<number> | string;
  /** An offset added to the linear predictor, one per data row, or a column name. */
  offset?: ArrayLike<number> | string;
  /**
   * Quadrature points: 1 (Laplace, default), 0 (β estimated inside PIRLS, θ alone optimized), or up
   * to 100 (adaptive Gauss–Hermite, for a single scalar random-effects term only, as lme4).
   */
  nAGQ?: number;
  /** Compute lme4's finite-difference derivatives, convergence checks and Hessian-based vcov (default true). */
  checkConvergence?: boolean;
  /**
   * The optimizer of the second stage (θ and β together): 'newton' (default: BFGS on the engine's exact
   * Laplace gradient, in the scaled coordinates below; where the model has no exact gradient (nAGQ > 1, more
   * columns in its dense block than laplace-gradient.ts's MAX_DENSE_ORDER) or it fails at the start, 'bobyqa-scaled' runs
   * instead and the result names it), 'bobyqa-scaled' (BOBYQA in coordinates where β is measured in stage
   * 1's standard errors along its correlations and θ in steps scaled to its term's columns; Nelder–Mead
   * takes over where it stalls), 'nelder-mead' (lme4's default, Nelder_Mead step for step: lme4's point to
   * the printed digits) or 'bobyqa' (glmerControl(optimizer = c("bobyqa", "bobyqa"))). The first stage is
   * BOBYQA, as lme4's.
   */
  optimizer?: GlmerStage2Optimizer;
}

/**
 * Stage 1's stop where it only starts the scaled stage 2: a trust-region level that lowers the deviance by
 * less than this. Stage 2 runs PIRLS from stage 1's η, so a looser stage 1 moves where stage 2 ends; at this
 * gain every golden still ends at lme4's optimum or within 1e-8 relative of it (bench/glmer-goldens.ts).
 */
const STAGE1_LEVEL_GAIN = 1e-4;

/** A response with no contrast (all 0, or all 1 for binomial, on every row with weight) has nothing to fit. */
function refuseConstantResponse(data: { family: 'binomial' | 'poisson'; y: Float64Array; weights: Float64Array }, label: string): void {
  let zeros = 0;
  let ones = 0;
  let used = 0;
  for (let i = 0; i < data.y.length; i++) {
    if (!(data.weights[i] > 0)) continue;
    used++;
    if (data.y[i] === 0) zeros++;
    else if (data.family === 'binomial' && data.y[i] === 1) ones++;
  }
  if (used === 0) throw new DataError(`no row of ${label} has a positive weight (or trials): there is nothing to fit`, label);
  const what = zeros === used ? (data.family === 'poisson' ? 'a zero count' : '0 (failure)') : ones === used ? '1 (success)' : null;
  if (what !== null) {
    throw new DataError(
      `the response ${label} is ${what} on every one of the ${used} rows: the intercept has no finite estimate and there is nothing to fit`,
      label,
    );
  }
}

/** a + b element by element, in a new array (a mapped `Float64Array.from` boxes every element: garbage per fit). */
function plus(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** lme4's boundary check (check.boundary): parameters within 1e-5 of a bound move onto it if that lowers f. */
function checkBoundary(f: (x: Float64Array) => number, x: Float64Array, lower: Float64Array, fval: number) {
  let par = Float64Array.from(x);
  let changed = false;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - lower[i];
    if (d > 0 && d < 1e-5) {
      const trial = Float64Array.from(par);
      trial[i] = lower[i];
      if (f(trial) < fval) {
        par[i] = lower[i];
        changed = true;
      }
    }
  }
  if (!changed) return { x, fval };
  return { x: par, fval: f(par) };
}

/**
 * Fits a generalized linear mixed model, as lme4's `glmer(formula, data, family, nAGQ = 1)`.
 *
 * @example
 * const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial' });
 * console.log(String(summary(m)));
 */
export function glmer(formulaText: string, data: DataInput, options: GlmerOptions): GlmerModel {
  return fitGlmer(formulaText, data, options, {});
}

/** Internal switches of a glmer fit, for the benches and tests (not part of the public options). */
export interface GlmerInternals {
  /**
   * The convergence check's and vcov's derivatives at the Laplace optimum: 'exact' (default where it
   * applies: the Hessian by central differences of the engine's exact gradient, and lme4's differences of
   * the deviance for the gradient, both from the 2m gradients' runs, instead of deriv12's 2m² deviances) or lme4's 'deriv12'
   * (always for nAGQ ≠ 1, where the exact one does not apply, and where lme4's checks warn about convergence).
   */
  derivatives?: 'exact' | 'deriv12';
  /** Called with stage 2's deviance, its exact gradient (null where unavailable) and the optimum. */
  inspect?: (devfun: (x: Float64Array) => number, gradient: LaplaceGradientFn | null, x: Float64Array) => void;
}

/** `glmer` with internal switches (see GlmerInternals). */
export function fitGlmer(formulaText: string, data: DataInput, options: GlmerOptions, internals: GlmerInternals): GlmerModel {
  const engines: { release(): void }[] = [];
  try {
    return fitWithEngines(formulaText, data, options, internals, engines);
  } finally {
    // the model keeps no engine: their instances (and touched memory) serve the next fit, also after a failure
    for (const e of engines) e.release();
  }
}

/** glmer's fit; every engine it makes goes into `engines` (released by the caller). */
function fitWithEngines(
  formulaText: string,
  data: DataInput,
  options: GlmerOptions,
  internals: GlmerInternals,
  engines: { release(): void }[],
): GlmerModel {
  checkFormulaArgument('glmer', formulaText);
  checkDataArgument('glmer', data);
  checkOptions('glmer', options, GLMER_SCHEMA);
  const t0 = performance.now();
  if (!options || typeof options.family !== 'string') {
    throw new OptionError('glmer needs a family: { family: "binomial" } or { family: "poisson" }');
  }
  const family: Family = makeFamily(options.family, options.link);
  const nAGQ = options.nAGQ ?? 1;
  const stage2Optimizer = options.optimizer ?? 'newton';
  if (!Number.isInteger(nAGQ) || nAGQ < 0 || nAGQ > 100) throw new OptionError(`nAGQ must be an integer from 0 to 100, not ${nAGQ}`);

  const table = toDataTable(data, { levels: options.levels });
  const resp = glmResponse(formulaText, table, { family: family.family, weights: options.weights, offset: options.offset });
  const formula = resp.formula;
  if (formula.random.length === 0) {
    throw new ModelError('no random effects terms specified in formula: glmer needs at least one (… | …) term');
  }
  const frame = buildModelFrame(resp.data, formula, { factors: options.factors });
  const contrasts = { ...(options.contrasts ?? {}) };
  const X = modelMatrix(frame, formula.fixed, contrasts);
  // X column-major once: the rank check's input, and the engines' X when no column is dropped
  const Xall = columnMajor(X);
  const rank = checkRank(X, undefined, Xall);
  const prepared: PreparedModel = { data: resp.data, formula, frame, X, rank, contrasts, dataName: options.dataName ?? 'data' };
  const messages: string[] = [];
  if (rank.dropped.length > 0) messages.push(rankDeficiencyMessage(rank.dropped.length));
  const kept = rank.kept;
  const n = frame.n;
  const p = kept.length;
  const pick = (v: Float64Array): Float64Array => pickRows(v, frame.rows, new Float64Array(n));
  const y = pick(resp.y);
  const weights = pick(resp.weights);
  const trials = pick(resp.trials);
  const offset = pick(resp.offset);
  const glmData = { family, y, weights, trials };

  const terms = randomTermDesigns(frame, contrasts, { allowN: true });
  const sepData = { family: family.family, y, weights };
  refuseConstantResponse(sepData, resp.label);
  const separation = findSeparation(X, kept, formula.fixed, sepData, resp.label);
  const separationWarnings = separation.map(separationWarning);
  for (const t of terms) {
    const w = constantGroupsWarning(t.group, t.codes, t.levels.length, sepData, resp.label);
    if (w !== null && !separationWarnings.includes(w)) separationWarnings.push(w);
  }
  // PIRLS fails on a separated response as lme4's does; the error then names the separation
  const explain = (e: unknown): unknown =>
    e instanceof NumericalError && separationWarnings.length > 0
      ? new ModelError(`the fit failed (${e.message}) because of ${separationWarnings.join('; ')}`)
      : e;
  const runPirls = (pirls: Pirls, theta: ArrayLike<number>, off: Float64Array) => {
    try {
      return pirls.run(theta, off);
    } catch (e) {
      throw explain(e);
    }
  };
  if (nAGQ > 1 && (terms.length !== 1 || terms[0].columns.length !== 1)) {
    throw new ModelError('nAGQ > 1 is only available for models with a single, scalar random-effects term');
  }
  const rule = nAGQ > 1 ? gaussHermite(nAGQ) : null;
  const blocks = terms.map((t) => ({ group: t.group, columns: t.columns }));
  const zTerms = engineTerms(terms);
  const Xc = kept.length === X.columns.length ? Xall : columnMajor(X, kept);
  const lowerTheta = thetaLower(blocks);
  const nth = lowerTheta.length;
  const theta0 = lowerTheta.map((l) => (l === 0 ? 1 : 0));

  // initial PIRLS at θ = start with β free, from R's mustart (lme4's mkGlmerDevfun)
  // the glm engines: with X (the initial fit, stage 1: β inside PIRLS) or without (stage 2: β in the offset)
  const glmEngine = (withX: boolean): MixedEngine =>
    new MixedEngine(withX ? { n, p, X: Xc, y, terms: zTerms, glm: true } : { n, p: 0, X: new Float64Array(0), y, terms: zTerms, glm: true });
  const engineX = glmEngine(true);
  engines.push(engineX);
  const etaStart = new Float64Array(n);
  for (let i = 0; i < n; i++) etaStart[i] = offset[i] + family.link.linkfun(family.muStart(y[i], weights[i]));
  const pirls0 = new Pirls(engineX, glmData, etaStart);
  if (!runPirls(pirls0, theta0, offset)) throw new ModelError('the initial PIRLS fit failed (the random-effects system is not positive definite)');
  const lp0 = Float64Array.from(pirls0.linPred);
  const pirls1 = new Pirls(engineX, glmData, plus(lp0, offset));
  pirls1.u.set(pirls0.u);
  pirls1.beta.set(pirls0.beta);
  const dev0 = (theta: Float64Array): number => {
    const r = runPirls(pirls1, theta, offset);
    return r ? r.laplace : Infinity;
  };
  const tOpt = performance.now();
  const upperTheta = new Float64Array(nth).fill(Infinity);
  // lme4's stage 1; where our scaled stage 2 follows, only its start: it stops once a trust-region level
  // gains less than STAGE1_LEVEL_GAIN (lme4's own stage 2 gets lme4's stage 1, for its evaluation counts)
  const asStart = nAGQ >= 1 && (stage2Optimizer === 'newton' || stage2Optimizer === 'bobyqa-scaled');
  const stage1Control = { rhoBeg: 0.2, rhoEnd: 2e-7, ftolAbs: 0, xtolRel: 0, levelFtolAbs: asStart ? STAGE1_LEVEL_GAIN : 0 };
  const opt1 = bobyqa(dev0, theta0, lowerTheta, upperTheta, stage1Control);
  let thetaHat: Float64Array = Float64Array.from(opt1.x);
  let fval = dev0(thetaHat); // lme4 evaluates once more at the optimum; its state starts stage 2
  let betaHat: Float64Array = Float64Array.from(pirls1.beta);
  let optimizerName = 'bobyqa';
  let evaluations = opt1.evaluations;
  let converged = opt1.converged;
  let optMessage = opt1.message;
  let stage2: {
    pirls: Pirls;
    eta0: Float64Array;
    Xbeta: (x: ArrayLike<number>, from: number, out: Float64Array) => Float64Array;
    /** The stage-2 deviance of (θ, β) on a PIRLS state (the fit's, or a profile's own). */
    deviance: (pirls: Pirls) => (x: Float64Array) => number;
  } | null = null;
  let lower = lowerTheta;
  let params: Float64Array = thetaHat;

  let devfun: (x: Float64Array) => number = dev0;
  // the Laplace deviance's exact gradient in (θ, β) (stage 2, nAGQ = 1); null: lme4's deriv12
  let gradfun: LaplaceGradientFn | null = null;
  // the last stage's optimizer run again from a point (the convergence check's second opinion)
  let restartFrom = (x: Float64Array): { theta: Float64Array; fval: number } => {
    const r = bobyqa(dev0, x, lowerTheta, upperTheta, stage1Control);
    return { theta: Float64Array.from(r.x), fval: r.fx };
  };
  if (nAGQ >= 1) {
    // stage 2: θ and β together (scaled BOBYQA, or lme4's Nelder–Mead); β enters PIRLS as an offset (u alone is solved)
    const unsc = inverseFromLowerFactor(engineX.fixedFactor(), p);
    const engineU = glmEngine(false);
    engines.push(engineU);
    const lpStage = plus(pirls1.linPred, offset);
    const pirls2 = new Pirls(engineU, glmData, lpStage);
    pirls2.u.set(pirls1.u);
    // Xβ + offset for β = x[from], x[from + 1], …
    const predictor = new FixedPredictor(Xc, n, p, offset);
    const Xbeta = (x: ArrayLike<number>, from: number, out: Float64Array): Float64Array => predictor.into(x, from, out);
    // Xβ + offset is written straight into the engine's offset buffer (no copy per evaluation)
    const stage2Deviance = (pirls: Pirls) => (x: Float64Array): number => {
      const off = Xbeta(x, nth, pirls.offsetBuffer());
      const r = runPirls(pirls, x.subarray(0, nth), off);
      if (!r) return Infinity;
      return rule ? pirls.agq(rule, terms[0].codes, off, r.ldL2) : r.laplace;
    };
    stage2 = { pirls: pirls2, eta0: lpStage, Xbeta, deviance: stage2Deviance };
    devfun = stage2Deviance(pirls2);
    if (rule === null && internals.derivatives !== 'deriv12') {
      const rows = { family: family.family, link: family.link.name, y, weights, X: Xc, p, terms: zTerms };
      const gradientOffset = new Float64Array(n);
      gradfun = laplaceGradient(rows, lpStage, nth, (x) => Xbeta(x, nth, gradientOffset), engines);
    }
    lower = Float64Array.from([...lowerTheta, ...new Array(p).fill(-Infinity)]);
    const upper = new Float64Array(nth + p).fill(Infinity);
    const start = Float64Array.from([...thetaHat, ...betaHat]);
    // lme4's optwrap steps: 0.1 for θ, min(SD(β), 10) for β, all × 0.2; xt = 5e-4 · step
    const xst = Float64Array.from([...new Array(nth).fill(0.02), ...Array.from({ length: p }, (_, a) => 0.2 * Math.min(Math.sqrt(unsc[a * p + a]), 10))]);
    const stage2Control = { xst, xt: xst.map((v) => v * 5e-4) };
    const stage2Lower = lower;
    // the scaled coordinates of both scaled stage-2 optimizers (glmer-stage2.ts)
    const thetaScale = thetaSteps(terms);
    const betaRoot = betaSteps(unsc, p);
    const nelderMead = (x: Float64Array) => ({ ...nelderMeadLme4(devfun, x, stage2Lower, upper, stage2Control), name: 'Nelder_Mead' });
    // on a deviance too flat or too rough for it (its evaluation budget spent), BOBYQA hands over to Nelder–Mead
    const scaledThenNelderMead = (x: Float64Array) => {
      const r = scaledBobyqa(devfun, x, stage2Lower, upper, thetaScale, betaRoot);
      if (r.converged) return r;
      const nm = nelderMead(Float64Array.from(r.x));
      return { ...nm, evaluations: r.evaluations + nm.evaluations, name: 'bobyqa-scaled' };
    };
    // BFGS on the exact gradient where the engine has one; scaled BOBYQA where it has not
    const quasiNewton = (x: Float64Array) =>
      (gradfun !== null ? scaledNewton(devfun, gradfun, x, stage2Lower, thetaScale, betaRoot) : null) ?? scaledThenNelderMead(x);
    const runStage2 = (x: Float64Array) =>
      stage2Optimizer === 'newton'
        ? quasiNewton(x)
        : stage2Optimizer === 'bobyqa'
        ? { ...bobyqa(devfun, x, stage2Lower, upper), name: 'bobyqa' }
        : stage2Optimizer === 'bobyqa-scaled'
          ? scaledThenNelderMead(x)
          : nelderMead(x);
    const opt2 = runStage2(start);
    restartFrom = (x: Float64Array) => {
      // the scaled BOBYQA's second opinion is lme4's Nelder–Mead: a different method, for its rare failures
      const r = stage2Optimizer === 'bobyqa-scaled' ? nelderMead(x) : stage2Optimizer === 'newton' ? scaledThenNelderMead(x) : runStage2(x);
      return { theta: Float64Array.from(r.x), fval: r.fx };
    };
    params = Float64Array.from(opt2.x);
    fval = opt2.fx;
    optimizerName = opt2.name;
    evaluations = opt2.evaluations;
    converged = opt2.converged;
    optMessage = opt2.message;
  }
  const optimizeMs = performance.now() - tOpt;
  internals.inspect?.(devfun, gradfun, params);
  // lme4's checks at x: the Hessian from the exact gradient, the gradient from lme4's differences of the
  // deviance, read off the gradients' own runs. Where they say the optimizer has not converged, all from
  // deriv12 as lme4's, so that the warning's max|grad| (which the Hessian scales) carries lme4's number.
  const checkAt = (x: Float64Array, fx: number) => {
    const check = gradfun !== null ? checkConvergence(devfun, x, lower, fx, { hessianGradient: gradfun, gradientDeviance: gradfun.devianceAt }) : null;
    return check !== null && !check.details.some((d) => d.aboutConvergence) ? check : checkConvergence(devfun, x, lower, fx);
  };

  let convergence: ConvergenceReport;
  // a singular fit is checked too: lme4's checks then stop at the singular message, but its derivatives are
  // still taken, and its vcov is the Hessian's (the RX one differs by a few per cent there)
  if (options.checkConvergence === false) {
    const singular = isSingular(params.subarray(0, nth), lowerTheta, SINGULAR_TOL);
    convergence = { gradient: new Float64Array(0), hessian: new Float64Array(0), singular, messages: [], warnings: [], code: null };
  } else {
    let check = checkAt(params, fval);
    // as for lmer (lmer.ts): a restart from the optimum tests lme4's "failed to converge" warnings;
    // if it lowers the deviance, its point is taken and checked again
    if (check.details.some((d) => d.aboutConvergence)) {
      check = confirmWithRestart(check, fval, params, restartFrom);
      const second = check.secondOpinion;
      if (second?.confirmed) {
        params = Float64Array.from(second.theta);
        fval = second.fval;
        check = { ...checkAt(params, fval), secondOpinion: second };
      }
    }
    convergence = check;
  }
  const bnd = checkBoundary(devfun, params, lower, fval);
  params = Float64Array.from(bnd.x);
  fval = devfun(params); // final state at the optimum
  thetaHat = params.slice(0, nth);
  const finalPirls = stage2 ? stage2.pirls : pirls1;
  // lme4's condVar for a GLMM: Λ (Λ'Z'WZΛ + I)⁻¹ Λ' per level (σ = 1) with W the final PIRLS weights.
  // Computed when asked (ranef(condVar), plots): a fresh engine and PIRLS state from the last stage's η₀
  // repeat the final run bit for bit (every run starts from η₀), and no engine stays reachable from the model
  const condTheta = Float64Array.from(thetaHat);
  const condOffset = stage2 ? stage2.Xbeta(params, nth, new Float64Array(n)) : offset;
  const condEta0 = stage2 ? stage2.eta0 : plus(lp0, offset);
  const condVar = (): Record<string, number[][][]> => {
    const engine = glmEngine(stage2 === null);
    try {
      if (!new Pirls(engine, glmData, condEta0).run(condTheta, condOffset)) {
        throw new NumericalError('the random-effects factor is not positive definite at this theta: no conditional variances');
      }
      return conditionalVariances(engine, terms, condTheta, 1);
    } finally {
      engine.release();
    }
  };
  // the stage-2 deviance on a fresh engine from the same η₀, for profiles (glmer-profile.ts): it repeats
  // the fit's evaluations bit for bit, and the caller releases the engine
  const stage2Fn = stage2?.deviance;
  const profileDeviance = stage2Fn
    ? () => {
        const engine = glmEngine(false);
        return { devfun: stage2Fn(new Pirls(engine, glmData, condEta0)), release: () => engine.release() };
      }
    : null;
  betaHat = stage2 ? params.slice(nth) : Float64Array.from(pirls1.beta);
  const warnings = [...convergence.warnings, ...separationWarnings];
  if (!converged) warnings.unshift(`convergence failure of ${optimizerName}: ${optMessage}`);
  messages.push(...convergence.messages);
  if (convergence.singular && !messages.some((m) => m.startsWith('boundary'))) messages.push("boundary (singular) fit: see help('isSingular')");

  // vcov: lme4's Hessian-based one (2·H⁻¹, β block) when available and positive definite, else the RX one
  let vcov: Float64Array;
  if (nAGQ === 0) vcov = inverseFromLowerFactor(engineX.fixedFactor(), p);
  else {
    const hasHessian = convergence.hessian.length === (nth + p) * (nth + p);
    const hv = hasHessian ? hessianVcov(convergence.hessian, nth, p) : null;
    if (hv) vcov = hv;
    else {
      // lme4's vcov() warns in this case (its text, on one line); without a Hessian it falls back silently
      if (hasHessian) warnings.push(VCOV_FALLBACK_WARNING);
      // refresh the RX factor at the optimum: a β-free PIRLS at θ̂ would move β, so take RX from one
      // weighted solve at the final weights (only here: a factorization with X, n rows, per fit)
      finalPirls.refreshFactor(engineX, thetaHat);
      vcov = inverseFromLowerFactor(engineX.fixedFactor(), p);
    }
  }
  const eta = Float64Array.from(finalPirls.eta);
  const mu = Float64Array.from(finalPirls.mu);
  const u = Float64Array.from(finalPirls.u);
  return new GlmerModel({
    prepared,
    printedFormula: resp.printed,
    offsetTerms: resp.offsetTerms,
    keptColumns: kept,
    family,
    nAGQ,
    terms,
    fixefNames: kept.map((j) => X.names[j]),
    theta: thetaHat,
    thetaNames: thetaNames(blocks),
    lower: lowerTheta,
    beta: betaHat,
    u,
    eta,
    mu,
    offset,
    y,
    weights,
    trials,
    devianceLaplace: fval,
    condVar,
    profileDeviance,
    vcov,
    optimizer: { name: optimizerName, evaluations, converged, message: optMessage, stage1Evaluations: opt1.evaluations },
    convergence,
    messages,
    warnings,
    pirlsSteps: pirls0.totalSteps + pirls1.totalSteps + (stage2 ? stage2.pirls.totalSteps : 0),
    timings: { optimizeMs },
    fitMs: performance.now() - t0,
    refit: (optimizer) => fitGlmer(formulaText, table, { ...options, optimizer }, internals),
  });
}

const VCOV_FALLBACK_WARNING =
  'variance-covariance matrix computed from finite-difference Hessian is not positive definite or contains NA values: falling back to var-cov estimated from RX';

/** 2·H⁻¹ restricted to β (lme4's calc.vcov.hess), or null when H is singular or the result not positive definite. */
function hessianVcov(H: Float64Array, nth: number, p: number): Float64Array | null {
  const m = nth + p;
  // Gauss–Jordan inverse with partial pivoting (m is small: θ and β)
  const a = Float64Array.from(H);
  const inv = new Float64Array(m * m);
  for (let i = 0; i < m; i++) inv[i * m + i] = 1;
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[piv * m + c])) piv = r;
    if (a[piv * m + c] === 0 || !Number.isFinite(a[piv * m + c])) return null;
    if (piv !== c) {
      for (let k = 0; k < m; k++) {
        [a[c * m + k], a[piv * m + k]] = [a[piv * m + k], a[c * m + k]];
        [inv[c * m + k], inv[piv * m + k]] = [inv[piv * m + k], inv[c * m + k]];
      }
    }
    const d = a[c * m + c];
    for (let k = 0; k < m; k++) {
      a[c * m + k] /= d;
      inv[c * m + k] /= d;
    }
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = a[r * m + c];
      if (f === 0) continue;
      for (let k = 0; k < m; k++) {
        a[r * m + k] -= f * a[c * m + k];
        inv[r * m + k] -= f * inv[c * m + k];
      }
    }
  }
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) out[i * p + j] = inv[(nth + i) * m + nth + j] + inv[(nth + j) * m + nth + i];
  }
  // lme4 falls back where this is not positive definite
  return choleskyLower(out, p) === null ? null : out;
}
