/**
 * lmer's `control` option in lme4's lmerControl vocabulary, resolved into what the optimizer and the
 * convergence checks take: the optimizer by name, its controls (NLopt's names for BOBYQA, lme4's
 * Nelder_Mead names) mapped onto `OptimOptions`, whether derivatives are computed, and for each
 * convergence check an action ('ignore' | 'warning' | 'message' | 'stop') and a tolerance.
 */
import { OptionError } from '../errors.js';
import type { OptimOptions } from '../optim/types.js';
import type { OptimizerName } from '../options/optimizer-names.js';
import {
  BOBYQA_CONTROL_SCHEMA,
  CHECK_ACTIONS,
  NELDER_MEAD_CONTROL_SCHEMA,
  NEWTON_CONTROL_SCHEMA,
} from '../options/schemas.js';
import { checkOptions, nearestName, type Schema } from '../options/validate.js';
import { GRADIENT_TOL, HESSIAN_TOL, SINGULAR_TOL } from './convergence.js';

/** What to do when a convergence check fires (lme4's `.makeCC` actions): 'ignore', 'warning', 'message' or 'stop'. */
export type CheckAction = (typeof CHECK_ACTIONS)[number];

/** One convergence check: an action, or the action with its tolerance. */
export type CheckSetting = CheckAction | { action?: CheckAction; tol?: number };

/**
 * lme4's lmerControl, as far as this engine has the corresponding knob.
 *
 * @example
 * lmer(f, data, { control: { optimizer: 'bobyqa', optCtrl: { maxeval: 500 }, 'check.conv.singular': 'ignore' } })
 */
export interface LmerControl {
  /** 'bobyqa' (lme4's default nloptwrap) or 'nelder-mead' (lme4's Nelder_Mead). */
  optimizer?: OptimizerName;
  /**
   * Optimizer controls as lme4 names them. BOBYQA: `ftol_abs` (1e-8), `ftol_rel` (0), `xtol_abs` (1e-8),
   * `xtol_rel` (1e-4), `maxeval` (100000). Nelder–Mead: `maxfun` (10000), `FtolAbs`, `FtolRel`, `XtolRel`.
   */
  optCtrl?: Record<string, number>;
  /** Compute the finite-difference gradient and Hessian for the convergence checks (default true). */
  'calc.derivs'?: boolean;
  /** Scaled-gradient check (default 'warning', tol 0.002). */
  'check.conv.grad'?: CheckSetting;
  /** Singular-fit check (default 'message', tol 1e-4). */
  'check.conv.singular'?: CheckSetting;
  /** Hessian checks (default 'warning', tol 1e-6). */
  'check.conv.hess'?: CheckSetting;
}

/** One check resolved. */
export interface ResolvedCheck {
  action: CheckAction;
  tol: number;
}

/** `control` resolved for the fit. */
export interface ResolvedControl {
  optimizer: OptimizerName;
  optim: OptimOptions;
  calcDerivs: boolean;
  grad: ResolvedCheck;
  singular: ResolvedCheck;
  hess: ResolvedCheck;
}

function resolveCheck(name: string, value: unknown, defaults: ResolvedCheck): ResolvedCheck {
  if (value === undefined) return defaults;
  const actions: readonly string[] = CHECK_ACTIONS;
  const badAction = (a: unknown): never => {
    const near = typeof a === 'string' ? nearestName(a, actions) : undefined;
    throw new OptionError(
      `lmer(): control['${name}'] must be one of ${actions.map((x) => `'${x}'`).join(', ')} or { action, tol }, got ${JSON.stringify(a) ?? typeof a}${near ? `: did you mean '${near}'?` : ''}`,
    );
  };
  if (typeof value === 'string') {
    if (!actions.includes(value)) badAction(value);
    return { ...defaults, action: value as CheckAction };
  }
  checkOptions('lmer', value, { action: { kind: 'any' }, tol: { kind: 'number', min: 0 } }, `control['${name}'].`);
  const v = value as { action?: unknown; tol?: number };
  if (v.action !== undefined && (typeof v.action !== 'string' || !actions.includes(v.action))) badAction(v.action);
  return { action: (v.action as CheckAction | undefined) ?? defaults.action, tol: v.tol ?? defaults.tol };
}

const OPTCTRL: Record<OptimizerName, { schema: Schema; map: Record<string, keyof OptimOptions> }> = {
  bobyqa: {
    schema: BOBYQA_CONTROL_SCHEMA,
    map: { ftol_abs: 'ftolAbs', ftol_rel: 'ftolRel', xtol_abs: 'xtolAbs', xtol_rel: 'xtolRel', maxeval: 'maxEvaluations' },
  },
  'nelder-mead': {
    schema: NELDER_MEAD_CONTROL_SCHEMA,
    map: { maxfun: 'maxEvaluations', FtolAbs: 'ftolAbs', FtolRel: 'ftolRel', XtolRel: 'xtolRel' },
  },
  newton: {
    schema: NEWTON_CONTROL_SCHEMA,
    map: { maxeval: 'maxEvaluations', ftol_rel: 'ftolRel' },
  },
};

/**
 * Resolves lmer's `optimizer` and `control` options (already checked against LMER_SCHEMA). The
 * optimizer may be named in either place, not differently in both; `optCtrl` is checked against the
 * chosen optimizer's vocabulary.
 */
export function resolveControl(optimizer: OptimizerName | undefined, control: LmerControl = {}): ResolvedControl {
  if (optimizer !== undefined && control.optimizer !== undefined && optimizer !== control.optimizer) {
    throw new OptionError(
      `lmer(): optimizer '${optimizer}' and control.optimizer '${control.optimizer}' disagree; give the optimizer once`,
    );
  }
  const name = control.optimizer ?? optimizer ?? 'bobyqa';
  const spec = OPTCTRL[name];
  const optim: OptimOptions = {};
  if (control.optCtrl !== undefined) {
    if (control.optCtrl !== null && typeof control.optCtrl === 'object') {
      for (const key of Object.keys(control.optCtrl)) {
        const owner = (Object.keys(OPTCTRL) as OptimizerName[]).find((o) => o !== name && Object.hasOwn(OPTCTRL[o].schema, key));
        if (owner && !Object.hasOwn(spec.schema, key)) {
          throw new OptionError(
            `lmer(): control.optCtrl.${key} is a control of ${owner}, but the optimizer is ${name} (its controls: ${Object.keys(spec.schema).join(', ')})`,
          );
        }
      }
    }
    checkOptions('lmer', control.optCtrl, spec?.schema ?? {}, 'control.optCtrl.');
    for (const [key, value] of Object.entries(control.optCtrl)) {
      if (value !== undefined) (optim as Record<string, number>)[spec.map[key]] = value;
    }
  }
  return {
    optimizer: name,
    optim,
    calcDerivs: control['calc.derivs'] ?? true,
    grad: resolveCheck('check.conv.grad', control['check.conv.grad'], { action: 'warning', tol: GRADIENT_TOL }),
    singular: resolveCheck('check.conv.singular', control['check.conv.singular'], { action: 'message', tol: SINGULAR_TOL }),
    hess: resolveCheck('check.conv.hess', control['check.conv.hess'], { action: 'warning', tol: HESSIAN_TOL }),
  };
}
