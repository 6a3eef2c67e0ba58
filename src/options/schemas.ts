/**
 * The options every public function accepts, one schema per function, checked by `checkOptions` at
 * the function's door. Adding an option to a function means adding its line here.
 */
import { OPTIMIZER_NAMES } from './optimizer-names.js';
import type { Rule, Schema } from './validate.js';

// per-column types and levels are checked (with DataErrors naming the column) by data/spec.ts
const columnTypes: Rule = { kind: 'any', describe: "'numeric', 'integer', 'factor' or 'ordered'" };
const levelOrders: Rule = { kind: 'record', of: { kind: 'any', describe: 'an array of level names' } };
const level: Rule = { kind: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true };

/** Column types and level orders (every data entry point). */
export const COLUMN_SPEC_SCHEMA: Schema = {
  types: { kind: 'record', of: columnTypes },
  levels: levelOrders,
};

/** parseCsv and toDataTable: a column spec plus a dataset schema. */
export const DATA_SPEC_SCHEMA: Schema = {
  ...COLUMN_SPEC_SCHEMA,
  schema: { kind: 'any', describe: 'a dataset schema object' },
  schemaSource: { kind: 'string' },
};

/** readDataFile: as parseCsv, plus the size limit of the file. */
export const READ_FILE_SCHEMA: Schema = {
  ...DATA_SPEC_SCHEMA,
  maxBytes: { kind: 'number', min: 1, integer: true },
};

/** Options about the data that every model function takes (DataOptions). */
export const DATA_OPTIONS_SCHEMA: Schema = {
  levels: levelOrders,
  factors: { kind: 'strings' },
  contrasts: {
    kind: 'record',
    of: { kind: 'any', describe: "'treatment', 'sum', 'helmert', 'poly' or { matrix, names }" },
  },
  dataName: { kind: 'string' },
};

/** glmer (the family's links are checked against the family by fit/family.ts). */
export const GLMER_SCHEMA: Schema = {
  ...DATA_OPTIONS_SCHEMA,
  family: { kind: 'enum', values: ['binomial', 'poisson', 'Gamma', 'inverse.gaussian', 'gaussian'] },
  link: { kind: 'enum', values: ['logit', 'probit', 'cloglog', 'cauchit', 'log', 'sqrt', 'identity', 'inverse', '1/mu^2'] },
  weights: { kind: 'any', describe: 'a column name or one number per row' },
  offset: { kind: 'any', describe: 'a column name or one number per row' },
  nAGQ: { kind: 'number', min: 0, max: 100, integer: true },
  checkConvergence: { kind: 'boolean' },
  optimizer: { kind: 'enum', values: ['nelder-mead', 'bobyqa', 'bobyqa-scaled', 'newton'] },
};

/** lm. */
export const LM_SCHEMA: Schema = { ...DATA_OPTIONS_SCHEMA, weights: { kind: 'any', describe: 'a column name or one number per row' } };

/** lme4's `.makeCC` actions of a convergence check. */
export const CHECK_ACTIONS = ['ignore', 'warning', 'message', 'stop'] as const;
/** One check.conv.* setting: an action, or { action, tol }. */
export const CHECK_RULE: Rule = { kind: 'any', describe: "'ignore', 'warning', 'message', 'stop' or { action, tol }" };

/** NLopt's BOBYQA controls as lme4's nloptwrap names them. */
export const BOBYQA_CONTROL_SCHEMA: Schema = {
  ftol_abs: { kind: 'number', min: 0 },
  ftol_rel: { kind: 'number', min: 0 },
  xtol_abs: { kind: 'number', min: 0 },
  xtol_rel: { kind: 'number', min: 0 },
  maxeval: { kind: 'number', min: 1, integer: true },
};

/** lme4's Nelder_Mead controls. */
export const NELDER_MEAD_CONTROL_SCHEMA: Schema = {
  maxfun: { kind: 'number', min: 1, integer: true },
  FtolAbs: { kind: 'number', min: 0 },
  FtolRel: { kind: 'number', min: 0 },
  XtolRel: { kind: 'number', min: 0 },
};

/** lmer's `control`, with lme4's lmerControl vocabulary. */
/** optCtrl for 'newton' (BFGS on the exact gradient): its evaluation budget and relative f tolerance. */
export const NEWTON_CONTROL_SCHEMA: Schema = {
  maxeval: { kind: 'number', min: 1, integer: true },
  ftol_rel: { kind: 'number', min: 0 },
};

export const LMER_CONTROL_SCHEMA: Schema = {
  optimizer: { kind: 'enum', values: OPTIMIZER_NAMES },
  optCtrl: { kind: 'any', describe: 'an object of optimizer controls' },
  'calc.derivs': { kind: 'boolean' },
  'check.conv.grad': CHECK_RULE,
  'check.conv.singular': CHECK_RULE,
  'check.conv.hess': CHECK_RULE,
};

/** lmer. */
export const LMER_SCHEMA: Schema = {
  ...DATA_OPTIONS_SCHEMA,
  weights: { kind: 'any', describe: 'a column name or one positive number per row' },
  REML: { kind: 'boolean' },
  optimizer: { kind: 'enum', values: OPTIMIZER_NAMES },
  start: { kind: 'numbers' },
  theta: { kind: 'numbers' },
  checkConvergence: { kind: 'boolean' },
  control: { kind: 'object', schema: LMER_CONTROL_SCHEMA },
  onProgress: { kind: 'function' },
  signal: { kind: 'signal' },
};

/** summary. */
export const SUMMARY_SCHEMA: Schema = { satterthwaite: { kind: 'boolean' } };
/** lsMeans. */
export const LS_MEANS_SCHEMA: Schema = { pairwise: { kind: 'boolean' }, level };
/** confint. */
export const CONFINT_SCHEMA: Schema = {
  level,
  method: { kind: 'enum', values: ['profile', 'Wald'] },
  oldNames: { kind: 'boolean' },
  parm: { kind: 'any', describe: "a parameter name, 'theta_', 'beta_' or an array of names or 1-based indices" },
};
/** predict of an lmer fit. */
export const PREDICT_LMER_SCHEMA: Schema = { re: { kind: 'boolean' } };
/** predict of an lm fit. */
export const PREDICT_LM_SCHEMA: Schema = {};
/** allFit, anova, ranova (no options yet: any key is a mistake). */
export const NO_OPTIONS_SCHEMA: Schema = {};

/** ranef(m, options). */
export const RANEF_SCHEMA: Schema = { condVar: { kind: 'boolean' } };
