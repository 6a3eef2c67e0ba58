/**
 * The contract every fitted model keeps (lm, lmer, glmer): the accessors of R's generic functions with
 * plain numbers and arrays, broom's tidy/glance/augment, R's print as `toString()` and plain `toJSON()`.
 * Models are immutable values: state is private (`#` fields) and no engine is reachable from them.
 */
import type { DataInput } from '../data/from-input.js';

/** A named square matrix (vcov): `values[i][j]` belongs to `names[i]`, `names[j]`. */
export interface NamedMatrix {
  names: string[];
  values: number[][];
}

/** One row of broom's tidy(): a fixed effect, or a random-effects parameter (sd__, cor__, sd__Observation). */
export interface TidyRow {
  /** 'fixed' or 'ran_pars' (broom.mixed's effect column); lm rows are 'fixed'. */
  effect: 'fixed' | 'ran_pars';
  /** Grouping factor of a random-effects parameter ('Residual' for sigma); null for fixed effects. */
  group: string | null;
  term: string;
  estimate: number;
  'std.error': number | null;
  /** t (lm, lmer) or z (glmer). */
  statistic: number | null;
  /** Satterthwaite df for lmer, residual df for lm, null for glmer's z tests. */
  df: number | null;
  'p.value': number | null;
}

/** One row of a coefficient table (R's coef(summary(m))); null where R shows NA (aliased columns of lm). */
export interface CoefficientRow {
  term: string;
  estimate: number | null;
  /** Standard error. */
  se: number | null;
  /** t statistic (z for glmer). */
  t: number | null;
  /** Residual df for lm, Satterthwaite df for lmer, null for z tests. */
  df: number | null;
  /** Two-sided p-value. */
  p: number | null;
}

/** One row of broom's glance(): the model's fit criteria. */
export interface GlanceRow {
  nobs: number;
  sigma: number | null;
  logLik: number;
  AIC: number;
  BIC: number;
  deviance: number | null;
  'df.residual': number;
  [criterion: string]: number | null;
}

/** One row of broom's augment(): the model frame's row with .fitted and .resid. */
export interface AugmentRow {
  '.fitted': number;
  '.resid': number;
  [column: string]: number | string | boolean | null;
}

/** What every fitted model answers, as R's generics do. */
export interface FittedModel {
  readonly kind: 'lm' | 'lmer' | 'glmer';
  /** The formula as R deparses it. */
  readonly formula: string;
  /** Observations used (after dropping incomplete rows). */
  readonly nobs: number;
  /** Fixed-effect estimates by name (null where aliased, as R's NA). */
  fixef(): Record<string, number | null>;
  /** Variance–covariance matrix of the fixed effects. */
  vcov(): NamedMatrix;
  fitted(): number[];
  residuals(): number[];
  predict(newData?: DataInput, options?: Record<string, unknown>): number[];
  logLik(): number;
  AIC(): number;
  BIC(): number;
  tidy(): TidyRow[];
  glance(): GlanceRow;
  augment(): AugmentRow[];
  toString(): string;
  toJSON(): unknown;
}
