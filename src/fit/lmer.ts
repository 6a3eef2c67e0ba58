/**
 * `lmer`: linear mixed models by REML (default, as lme4) or ML. The data flow:
 * formula + data → model frame → X and the random-effects terms → WASM engine (one setup pass) →
 * optimizer over θ of the profiled deviance → final solve at θ̂ → convergence checks → LmerModel.
 */
import { ModelError, OptionError } from '../errors.js';
import type { DataInput } from '../data/from-input.js';
import { prepareModel, type DataOptions, type PreparedModel } from '../design/prepare.js';
import { columnMajor } from '../design/model-matrix.js';
import { engineTerms, randomTermDesigns } from '../design/random-terms.js';
import { rankDeficiencyMessage } from '../design/rank.js';
import { MixedEngine, type EngineInput } from '../wasm/mixed-engine.js';
import { EngineLease } from '../wasm/engine-lease.js';
import { inverseFromLowerFactor } from '../linalg/factor-inverse.js';
import { optimizers, type OptimizerName } from '../optim/index.js';
import { checkOptions } from '../options/validate.js';
import { checkDataArgument, checkFormulaArgument } from '../options/arguments.js';
import { LMER_SCHEMA } from '../options/schemas.js';
import { checkConvergence, confirmWithRestart, copyReport, isSingular, SINGULAR_MESSAGE, type ConvergenceReport } from './convergence.js';
import { resolveControl, type LmerControl, type ResolvedControl } from './control.js';
import { LmerModel } from './lmer-model.js';
import { thetaLower, thetaNames, thetaStart } from './theta.js';
import { watchObjective, type ProgressOptions } from './progress.js';
import { withWeights } from './frame-weights.js';

/**
 * Scales the rows of X, y and every term's Z by √wᵢ in place (copies: the model frame's arrays are
 * left alone) and returns Σ log wᵢ.
 */
function scaleRows(input: { n: number; p: number; X: Float64Array; y: Float64Array; terms: { p: number; z: Float64Array }[] }, w: Float64Array): number {
  const { n, p } = input;
  let ldW = 0;
  const sw = Float64Array.from(w, (v) => {
    ldW += Math.log(v);
    return Math.sqrt(v);
  });
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) input.X[j * n + i] *= sw[i];
  input.y = Float64Array.from(input.y, (v, i) => v * sw[i]);
  input.terms = input.terms.map((t) => ({ ...t, z: Float64Array.from(t.z, (v, k) => v * sw[Math.floor(k / t.p)]) }));
  return ldW;
}

/** What the engine is built from (kept by the model's lease to rebuild it). */
interface EngineRecipe {
  n: number;
  p: number;
  X: PreparedModel['X'];
  kept: readonly number[];
  y: Float64Array;
  terms: ReturnType<typeof randomTermDesigns>;
  w: Float64Array | null;
}

/** The engine's input (rows scaled by √wᵢ when weighted) and Σ log wᵢ. */
function engineInput(r: EngineRecipe): { input: EngineInput; ldW: number } {
  const input = { n: r.n, p: r.p, X: columnMajor(r.X, r.kept), y: r.y, terms: engineTerms(r.terms) };
  return { input, ldW: r.w ? scaleRows(input, r.w) : 0 };
}

/**
 * The lease's rebuild, made outside fitPrepared: a closure made there would keep the fit's whole scope
 * (optimizer state, the first engine's setup) reachable from the model, and in a loop of small fits every
 * model then outlived a young collection.
 */
function rebuildEngine(recipe: EngineRecipe): () => MixedEngine {
  return () => new MixedEngine(engineInput(recipe).input);
}

/**
 * The deviance and gradient a singular fit's convergence report computes when first read, made outside
 * fitPrepared for the same reason as rebuildEngine: they live as long as the model.
 */
function deferredDerivatives(lease: EngineLease, reml: boolean, ldW: number, exact: boolean) {
  return {
    f: (t: Float64Array) => lease.engine.deviance(t, reml) - ldW,
    gradient: exact ? (t: Float64Array) => lease.engine.devianceGradient(t, reml) : undefined,
  };
}

/** Options of `lmer`. */
export interface LmerOptions extends DataOptions, ProgressOptions {
  /** Restricted maximum likelihood (default true, as lme4); false for maximum likelihood. */
  REML?: boolean;
  /**
   * 'bobyqa' (default, as lme4's nloptwrap), 'nelder-mead', or 'newton' (quasi-Newton on the exact
   * gradient of the profiled deviance: far fewer evaluations, an optimum as low as BOBYQA's or lower).
   */
  optimizer?: OptimizerName;
  /** Starting θ (lme4's order); default T = I for every term. */
  start?: ArrayLike<number>;
  /** Evaluate the model at this θ instead of optimizing (lme4's order); for profiles and comparisons. */
  theta?: ArrayLike<number>;
  /** Compute lme4's finite-difference convergence checks (default true). */
  checkConvergence?: boolean;
  /** lme4's lmerControl: optimizer, optCtrl, calc.derivs, check.conv.grad / singular / hess (see {@link LmerControl}). */
  control?: LmerControl;
  /**
   * Prior weights (lme4's `weights`): one positive number per data row, or a numeric column's name. Row i's
   * residual variance is σ²/wᵢ.
   */
  weights?: ArrayLike<number> | string;
}

/**
 * lme4's wording when the optimizer spent its evaluation budget (optwrap's "convergence code" warning
 * for nloptwrap, Nelder_Mead's own warning).
 */
function budgetWarning(optimizer: string, evaluations: number): string {
  return optimizer === 'bobyqa'
    ? 'convergence code 5 from nloptwrap: NLOPT_MAXEVAL_REACHED: Optimization stopped because maxeval (above) was reached.'
    : `failure to converge in ${evaluations} evaluations (maximum evaluations reached)`;
}

/**
 * Applies the check.conv.* actions to what the checks found: 'ignore' drops a finding, 'message' and
 * 'warning' file it there, 'stop' throws. The singular finding is lme4's message; the gradient
 * finding is the one with code −1; the rest come from the Hessian checks.
 */
function applyCheckActions(report: ConvergenceReport, details: readonly { text: string; codes: number[] }[], ctl: ResolvedControl): ConvergenceReport {
  const messages: string[] = [];
  const warnings: string[] = [];
  const file = (text: string, action: ResolvedControl['grad']['action']): void => {
    if (action === 'stop') throw new ModelError(`${text} (control check.conv.* action 'stop')`);
    if (action === 'message') messages.push(text);
    else if (action === 'warning') warnings.push(text);
  };
  for (const m of report.messages) file(m, m === SINGULAR_MESSAGE ? ctl.singular.action : 'message');
  for (const w of report.warnings) {
    const d = details.find((x) => x.text === w);
    file(w, d && d.codes[0] === -1 ? ctl.grad.action : ctl.hess.action);
  }
  return copyReport(report, { messages, warnings });
}

/** lme4's boundary check: θ within 1e-5 of its bound is set onto it when that does not raise the deviance
 * (lme4 requires a strict decrease; near a bound the deviance is flat to rounding, so we accept ties). */
function snapToBoundary(
  f: (t: Float64Array) => number,
  theta: Float64Array,
  lower: Float64Array,
  fval: number,
): { theta: Float64Array; fval: number } {
  const out = Float64Array.from(theta);
  let changed = false;
  for (let i = 0; i < out.length; i++) {
    const d = theta[i] - lower[i];
    if (d > 0 && d < 1e-5) {
      const trial = Float64Array.from(out);
      trial[i] = lower[i];
      if (f(trial) <= fval) {
        out[i] = lower[i];
        changed = true;
      }
    }
  }
  return changed ? { theta: out, fval: f(out) } : { theta, fval };
}

/**
 * What a gradient costs on the dense path, in deviance evaluations (it needs more than the factor: a
 * solve per random-effects column of the dense block); a round figure above what the kernels take.
 */
const DENSE_GRADIENT_COST = 8;
/**
 * The same on the sparse path: the factorization, the selected inverse (about one more), the chain
 * term's Takahashi step and the trace; a round figure above what InstEval and the banded designs take.
 */
const SPARSE_GRADIENT_COST = 4;
/**
 * The same when every term is scalar (the diagonal of the selected inverse suffices): the factorization
 * and the selected inverse, whose root supernode dominates; a round figure above InstEval's.
 */
const SCALAR_GRADIENT_COST = 3;

/**
 * The exact gradient for lme4's derivative checks, or undefined to take lme4's own deriv12 on the
 * deviance. The exact Hessian costs 2n + 1 gradients, deriv12 2n² + 1 deviances (two per coordinate, four
 * per pair: finite-differences.ts): the gradient is taken when it is the cheaper, which on every route
 * needs several θ (the sparse trace's first gradient also builds its plan, which deriv12 never needs).
 */
function checkGradient<G>(engine: MixedEngine, nTheta: number, gradient: G): G | undefined {
  const route = engine.gradientRoute;
  const cost = route === 'dense' ? DENSE_GRADIENT_COST : route === 'sparse-trace' ? SPARSE_GRADIENT_COST : SCALAR_GRADIENT_COST;
  const deriv12 = 2 * nTheta * nTheta + 1;
  return deriv12 > cost * (2 * nTheta + 1) ? gradient : undefined;
}

/**
 * What one multiply-add of the average-information matrix (passes in JavaScript over the observations, forward
 * solves) costs in the factorization's (the engine's SIMD kernels), with the AI code's first, unoptimised calls
 * in a fresh process: a round figure that keeps the curvature where it made whole fits faster in a fresh
 * process (InstEval, a random crossed design) and off where it did not (kb07 `||`, a banded design).
 */
const AI_WORK_WEIGHT = 6;

/** Fits a prepared model (used by `lmer` and by refits in anova). */
export function fitPrepared(prepared: PreparedModel, options: LmerOptions = {}, t0 = performance.now()): LmerModel {
  const made: MixedEngine[] = [];
  try {
    return fitWithEngine(prepared, options, t0, made);
  } catch (e) {
    // a failed or cancelled fit gives its engine's instance back to the pool (a model keeps it otherwise)
    for (const engine of made) engine.release();
    throw e;
  }
}

/** fitPrepared's fit; the engine it makes goes into `made`. */
function fitWithEngine(prepared: PreparedModel, options: LmerOptions, t0: number, made: MixedEngine[]): LmerModel {
  const reml = options.REML ?? true;
  const { formula, frame, X, rank } = prepared;
  if (formula.random.length === 0) {
    throw new ModelError('no random effects terms specified in formula: use lm() for a model without (… | …) terms');
  }
  if (!frame.response) throw new ModelError('lmer needs a response: write the formula as y ~ …');
  const messages: string[] = [];
  const kept = rank.kept;
  if (rank.dropped.length > 0) messages.push(rankDeficiencyMessage(rank.dropped.length));
  const terms = randomTermDesigns(frame, prepared.contrasts);
  const n = frame.n;
  const p = kept.length;
  if (reml && n <= p) throw new ModelError(`REML needs more observations (${n}) than fixed effects (${p})`);
  const tSetup = performance.now();
  // prior weights as lme4's: X, Z and y scaled by √wᵢ; the criterion then less Σ log wᵢ (lmerResp's ldW)
  const w = prepared.weights ?? null;
  const y = frame.response;
  const recipe: EngineRecipe = { n, p, X, kept, y, terms, w };
  const { input, ldW } = engineInput(recipe);
  const engine = new MixedEngine(input);
  made.push(engine);
  const setupMs = performance.now() - tSetup;
  const blocks = terms.map((t) => ({ group: t.group, columns: t.columns }));
  const lower = thetaLower(blocks);
  const upper = new Float64Array(lower.length).fill(Infinity);
  const start = options.start
    ? Float64Array.from(options.start)
    : thetaStart(blocks, frame.response, terms.map((t) => ({ codes: t.codes, nlev: t.levels.length })));
  if (start.length !== lower.length) {
    throw new OptionError(`start has ${start.length} values; this model has ${lower.length} covariance parameters`);
  }
  // A gradient factors the system at θ; the deviance there comes with it (gradient-based optimizers ask
  // for the gradient first), so the same θ is not factored twice.
  let factoredAt: { theta: Float64Array; f: number } | null = null;
  // the θ the engine is factored at when its last factorization was a gradient's (newton's curvature reads that factor)
  let gradientAt: { theta: Float64Array; g: Float64Array } | null = null;
  const deviance = watchObjective((theta: Float64Array): number => {
    if (factoredAt !== null && factoredAt.theta.every((v, i) => v === theta[i])) return factoredAt.f;
    gradientAt = null;
    return engine.deviance(theta, reml) - ldW;
  }, options);
  const ctl = resolveControl(options.optimizer, options.control);
  const name = ctl.optimizer;
  const optimizer = optimizers[name];
  if (!optimizer) throw new OptionError(`unknown optimizer "${name}" (use ${Object.keys(optimizers).join(' or ')})`);
  // the exact gradient for gradient-based optimizers (the derivative-free ones ignore it)
  const gradient = (theta: Float64Array): Float64Array | null => {
    const g = engine.devianceGradient(theta, reml);
    factoredAt = g === null ? null : { theta: Float64Array.from(theta), f: engine.lastDeviance(reml) - ldW };
    gradientAt = g === null ? null : { theta: factoredAt!.theta, g };
    return g;
  };
  // newton's curvature: the average-information matrix, from the factor the gradient at θ left; only where
  // it costs well below a factorization (else the evaluations it saves cost less than it does: many rows,
  // few levels, sparse bands, or tiny models)
  const curvature = AI_WORK_WEIGHT * engine.averageInformationWork <= engine.factorWork
    ? (theta: Float64Array): Float64Array | null =>
        gradientAt !== null && gradientAt.theta.every((v, i) => v === theta[i]) ? engine.averageInformation(theta, reml, gradientAt.g) : null
    : undefined;
  const optimize = (f: typeof deviance, x0: Float64Array, lo: Float64Array, hi: Float64Array) => optimizer(f, x0, lo, hi, { ...ctl.optim, gradient, curvature });
  const tOpt = performance.now();
  const opt = options.theta
    ? (() => {
        const x = Float64Array.from(options.theta);
        if (x.length !== lower.length) throw new OptionError(`theta has ${x.length} values; this model has ${lower.length}`);
        return { x, fx: deviance(x), evaluations: 1, converged: true, message: 'theta given: not optimized', optimizer: name };
      })()
    : optimize(deviance, start, lower, upper);
  const optimizeMs = performance.now() - tOpt;
  const tChecks = performance.now();
  // lme4's order: derivatives at the optimizer's θ, then the boundary snap, whose θ the singular test reads
  let optX = opt.x;
  let optF = opt.fx;
  let snapped = snapToBoundary(deviance, optX, lower, optF);
  let convergence: ConvergenceReport;
  // inference re-evaluates through a lease: this engine while it is live, else one rebuilt from the data
  const lease = new EngineLease(engine, rebuildEngine(recipe));
  const exactCheck = checkGradient(engine, lower.length, gradient);
  // at a singular θ̂ lme4's messages read no derivative: they are computed when first read, through the lease
  const deferWhenSingular = deferredDerivatives(lease, reml, ldW, exactCheck !== undefined);
  const tols = { gradientTol: ctl.grad.tol, singularTol: ctl.singular.tol, hessianTol: ctl.hess.tol, gradient: exactCheck, deferWhenSingular };
  if (options.checkConvergence === false || !ctl.calcDerivs) {
    const singular = isSingular(snapped.theta, lower, ctl.singular.tol);
    // calc.derivs = FALSE skips the derivatives, not lme4's singular test; checkConvergence: false skips both
    const messages = singular && options.checkConvergence !== false ? [SINGULAR_MESSAGE] : [];
    convergence = applyCheckActions(
      { gradient: new Float64Array(0), hessian: new Float64Array(0), singular, messages, warnings: [], code: null },
      [],
      ctl,
    );
  } else {
    let check = checkConvergence(deviance, optX, lower, optF, { ...tols, reportedTheta: snapped.theta });
    // A second opinion on lme4's "failed to converge" warnings: restart the optimizer from θ̂. If it
    // cannot lower the deviance, the warning is false (lme4's absolute gradient tolerance is too strict
    // for large n) and moves to lme4Warnings; if it can, take its θ and check again.
    if (!options.theta && check.details.some((d) => d.aboutConvergence)) {
      const restart = (t: Float64Array): { theta: Float64Array; fval: number } => {
        const r = optimize(deviance, t, lower, upper);
        return { theta: r.x, fval: r.fx };
      };
      check = confirmWithRestart(check, optF, optX, restart);
      if (check.secondOpinion?.confirmed) {
        optX = check.secondOpinion.theta;
        optF = check.secondOpinion.fval;
        snapped = snapToBoundary(deviance, optX, lower, optF);
        check = { ...checkConvergence(deviance, optX, lower, optF, { ...tols, reportedTheta: snapped.theta }), secondOpinion: check.secondOpinion };
      }
    }
    convergence = applyCheckActions(check, check.details, ctl);
  }
  const theta = snapped.theta;
  const warnings = [...convergence.warnings];
  if (!opt.converged) {
    const budget = ctl.optim.maxEvaluations !== undefined && opt.evaluations >= ctl.optim.maxEvaluations;
    warnings.unshift(budget ? budgetWarning(opt.optimizer, opt.evaluations) : `convergence failure of ${opt.optimizer}: ${opt.message}`);
  }
  messages.push(...convergence.messages);

  // final state at θ̂
  const parts = engine.evaluate(theta);
  if (!parts) throw new ModelError('the random-effects system is not positive definite at the optimum');
  const objective = engine.lastDeviance(reml) - ldW;
  const sol = engine.solve();
  // the engine's fitted values are √wᵢ·(Xβ + Zb)ᵢ
  const fitted = w ? Float64Array.from(sol.fitted, (f, i) => f / Math.sqrt(w[i])) : sol.fitted;
  const sigma = Math.sqrt(parts.pwrss / (reml ? n - p : n));
  const checksMs = performance.now() - tChecks;
  return new LmerModel({
    prepared,
    terms,
    fixefNames: kept.map((j) => X.names[j]),
    keptColumns: kept,
    reml,
    theta,
    thetaNames: thetaNames(blocks),
    lower,
    beta: sol.beta,
    u: sol.u,
    b: sol.b,
    fitted,
    y: frame.response,
    ldL2: parts.ldL2,
    ldRX2: parts.ldRX2,
    pwrss: parts.pwrss,
    sigma,
    unscaledVcov: inverseFromLowerFactor(engine.fixedFactor(), p),
    objective,
    optimizer: { name: opt.optimizer, evaluations: opt.evaluations, converged: opt.converged, message: opt.message },
    convergence,
    messages,
    warnings,
    fitMs: performance.now() - t0,
    timings: { setupMs, optimizeMs, checksMs, denseOrder: engine.denseOrder, memoryBytes: engine.memoryBytes },
    engine: lease,
  });
}

/**
 * Fits a linear mixed model, as lme4's `lmer(formula, data, REML = TRUE)`.
 *
 * @example
 * const m = lmer('Reaction ~ Days + (Days | Subject)', rows);
 * console.log(summary(m));
 */
export function lmer(formula: string, data: DataInput, options: LmerOptions = {}): LmerModel {
  const t0 = performance.now();
  checkFormulaArgument('lmer', formula);
  checkDataArgument('lmer', data);
  checkOptions('lmer', options, LMER_SCHEMA);
  return fitPrepared(withWeights(prepareModel(formula, data, options), options.weights, 'lmer'), options, t0);
}
