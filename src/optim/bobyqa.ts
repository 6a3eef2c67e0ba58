/**
 * BOBYQA (Powell 2009, "The BOBYQA algorithm for bound constrained optimization without
 * derivatives", DAMTP 2009/NA06) with the set-up of NLopt 2.7.1's NLOPT_LN_BOBYQA, which lme4's
 * default optimizer "nloptwrap" calls through nloptr:
 *
 * - m = 2n + 1 interpolation points (NLopt's choice), also for n = 1 (NLopt accepts it, and lme4
 *   uses it for one-parameter models such as `(1 | g)`);
 * - variables with lower = upper are removed before anything else (NLopt's "elimdim");
 * - NLopt's default initial step per coordinate (see initial-step.ts) and its rescaling: when the
 *   steps differ, coordinate i is divided by s_i = step_i / step_1, so the step is the same, |step_1|,
 *   in every coordinate; ρ_beg = |step_1|;
 * - ρ_end = max(xtolRel · ρ_beg, max_i xtolAbs / |s_i|) (NLopt derives it so from the x tolerances);
 * - stops as NLopt's: ρ reaching ρ_end, an improving step that changes f by less than ftolAbs (or
 *   ftolRel relative), maxEvaluations.
 *
 * Defaults are lme4 1.1-31's: `lme4:::nloptwrap` fills in `xtol_abs = 1e-8, ftol_abs = 1e-8,
 * maxeval = 1e5` (its `defaultControl`) and nloptr 2.0.3 adds its default `xtol_rel = 1e-4`.
 *
 * Where NLopt would refuse a box narrower than 2·ρ_beg (possible only with an explicit rhoBeg),
 * ρ_beg is reduced to half the narrowest width instead. The objective is never evaluated outside the
 * box, even where rounding in the rescaling would put a coordinate a hair beyond its bound.
 */
import { runBobyqa, type BobyqaStop } from './bobyqa-solver.js';
import { defaultInitialStep } from './initial-step.js';
import { BudgetExhausted, CountedObjective } from './objective.js';
import { checkOptions, checkProblem } from './problem.js';
import type { Objective, OptimOptions, OptimResult } from './types.js';

/** lme4's nloptwrap settings for NLOPT_LN_BOBYQA (see the module comment). */
export const BOBYQA_DEFAULTS = {
  maxEvaluations: 100000,
  ftolAbs: 1e-8,
  ftolRel: 0,
  xtolAbs: 1e-8,
  xtolRel: 1e-4,
} as const;

const MESSAGES: Record<BobyqaStop, string> = {
  rho: 'converged: the trust region radius reached rhoEnd (xtolRel / xtolAbs)',
  ftol: 'converged: an improving step changed f by less than ftolAbs / ftolRel',
  budget: 'stopped',
  roundoff: 'stopped: rounding errors limit progress',
  nonfinite: 'stopped: f was not finite at any initial point',
};

/**
 * Minimises f over the box [lower, upper] (±Infinity for no bound) from x0 by BOBYQA. `rhoBeg`
 * overrides NLopt's initial step (the same in every coordinate, no rescaling); `rhoEnd` overrides the
 * final radius derived from xtolRel / xtolAbs. Throws OptionError for a bad start, bounds or options.
 */
export function bobyqa(
  objective: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: OptimOptions = {},
): OptimResult {
  checkOptions(options);
  const { x0: x, lower: lo, upper: hi } = checkProblem(x0, lower, upper);
  const o = { ...BOBYQA_DEFAULTS, ...definedOnly(options) };
  const counted = new CountedObjective(objective, lo, hi, o.maxEvaluations);
  const result = (converged: boolean, message: string): OptimResult => ({
    x: counted.evaluations > 0 && Number.isFinite(counted.bestF) ? counted.bestX : x,
    fx: counted.bestF,
    evaluations: counted.evaluations,
    converged,
    message,
    optimizer: 'bobyqa',
  });

  // fixed variables (lower = upper) are not optimized
  const free: number[] = [];
  for (let i = 0; i < x.length; i++) if (lo[i] < hi[i]) free.push(i);
  const n = free.length;
  if (n === 0) {
    counted.evaluate(x);
    const ok = Number.isFinite(counted.bestF);
    return result(ok, ok ? 'converged: every variable is fixed by its bounds' : MESSAGES.nonfinite);
  }
  const xf = new Float64Array(n);
  const lf = new Float64Array(n);
  const uf = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    xf[k] = x[free[k]];
    lf[k] = lo[free[k]];
    uf[k] = hi[free[k]];
  }

  // NLopt's initial step and rescaling
  const dx = options.rhoBeg !== undefined ? new Float64Array(n).fill(options.rhoBeg) : defaultInitialStep(xf, lf, uf);
  const scale = new Float64Array(n).fill(1);
  if (n > 1 && dx.some((v) => v !== dx[0])) for (let i = 1; i < n; i++) scale[i] = dx[i] / dx[0];
  let rhoBeg = Math.abs(dx[0] / scale[0]);
  let rhoEnd = o.xtolRel * rhoBeg;
  for (let j = 0; j < n; j++) rhoEnd = Math.max(rhoEnd, o.xtolAbs / Math.abs(scale[j]));
  if (options.rhoEnd !== undefined) rhoEnd = options.rhoEnd;
  const xs = new Float64Array(n);
  const ls = new Float64Array(n);
  const us = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = xf[i] / scale[i];
    const a = lf[i] / scale[i];
    const b = uf[i] / scale[i];
    ls[i] = Math.min(a, b);
    us[i] = Math.max(a, b);
    rhoBeg = Math.min(rhoBeg, (us[i] - ls[i]) / 2);
  }
  rhoEnd = Math.min(rhoEnd, rhoBeg);

  const full = Float64Array.from(x);
  const f = (y: Float64Array): number => {
    for (let i = 0; i < n; i++) full[free[i]] = y[i] * scale[i];
    return counted.evaluate(full);
  };
  let outcome;
  try {
    outcome = runBobyqa(f, xs, ls, us, { rhoBeg, rhoEnd, ftolAbs: o.ftolAbs, ftolRel: o.ftolRel, levelFtolAbs: o.levelFtolAbs });
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    outcome = { stop: 'budget' as const, detail: e.message, restarts: 0 };
  }
  const { stop, detail, restarts } = outcome;
  const note = restarts > 0 ? `; the interpolation set was rebuilt ${restarts} time${restarts > 1 ? 's' : ''} after rounding errors` : '';
  if (stop === 'budget') return result(false, `stopped after ${counted.evaluations} evaluations (maxEvaluations)${note}`);
  if (stop === 'roundoff') return result(false, `${MESSAGES.roundoff} (${detail})${note}`);
  if (stop === 'nonfinite') return result(false, MESSAGES.nonfinite);
  return result(true, MESSAGES[stop] + note);
}

/** The options that are set (so that an explicit `undefined` does not hide a default). */
function definedOnly(options: OptimOptions): OptimOptions {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v as number;
  return out as OptimOptions;
}
