/**
 * The public API without glmer: lm, lmer, the data readers, the engine's init() and the generic functions
 * (summary, anova, confint, ...), which accept glmer fits too once glmer-api.ts has loaded (fit/glmer-kind.ts
 * says why they do not import it). `lmm-wasm` (index.ts) is this and glmer-api.ts; the browser build's
 * main file (browser.ts) is this alone, its glmer file (browser-glmer.ts) both.
 */
import { LmModel } from './fit/lm.js';
import { LmerModel } from './fit/lmer-model.js';
import type { VarCorr as VarCorrResult } from './fit/varcorr.js';
import type { GlmerModel } from './fit/glmer-model.js';
import type { GlmerSummary } from './print/glmer-summary.js';
import { glmerKind, glmerModelClasses, isGlmerModel } from './fit/glmer-kind.js';
import { anovaLRT, type LrtModel } from './infer/anova-lrt.js';
import { ModelSummary, type LmerSummaryOptions } from './print/summary.js';
import { anovaType3 } from './infer/anova-type3.js';
import { ranova as ranovaTable } from './infer/ranova.js';
import { lsMeans as lsMeansRows } from './infer/ls-means.js';
import { confintWald } from './infer/confint.js';
import { confintProfile } from './infer/profile.js';
import { selectParameters, type ParmSelection } from './optim/profile-search.js';
import { AnovaLRT, AnovaType3, Confint, LsMeans, Ranova } from './print/results.js';
import { checkOptions } from './options/validate.js';
import { OptionError } from './errors.js';
import { checkModelArgument } from './options/arguments.js';
import { CONFINT_SCHEMA, LS_MEANS_SCHEMA, NO_OPTIONS_SCHEMA, RANEF_SCHEMA, SUMMARY_SCHEMA } from './options/schemas.js';

// glmer's class only once glmer is loaded (fit/glmer-kind.ts)
const MODELS = () => [LmModel, LmerModel, ...glmerModelClasses()];
const LMER = [LmerModel] as const;
const MIXED_MODELS = () => [LmerModel, ...glmerModelClasses()];

export { lm, LmModel, type LmOptions, type GoodnessOfFit } from './fit/lm.js';
export { lmer, type LmerOptions } from './fit/lmer.js';
export { allFit, AllFit, type AllFitRow } from './fit/all-fit.js';
export { LmerModel, type RanefTable, type LmerCoefficientRow, type OptimizerInfo, type FitTimings } from './fit/lmer-model.js';
export { VarCorr as VarCorrTable, type VarCorrRow } from './fit/varcorr.js';
export type { FittedModel, NamedMatrix, TidyRow, GlanceRow, AugmentRow, CoefficientRow } from './fit/model.js';
export { RResult } from './result.js';
export { ModelSummary, type LmerSummaryOptions } from './print/summary.js';
export { AnovaLRT, AnovaType3, Ranova, LsMeans, Confint } from './print/results.js';
export { parseCsv } from './data/csv.js';
export { toDataTable, type DataInput } from './data/from-input.js';
export type { DataTable, Column, ColumnSpec, Cell } from './data/table.js';
export type { ContrastSpec } from './frame/contrasts.js';
export { expandFormula } from './formula/expand.js';
export { parseFormula } from './formula/parse.js';
export { lmJSON, lmerJSON, anovaJSON } from './print/json.js';
export type { AnovaTable, AnovaRow } from './infer/anova-lrt.js';
export type { Type3Row } from './infer/anova-type3.js';
export type { RanovaTable, RanovaRow } from './infer/ranova.js';
export type { LsMeansRow } from './infer/ls-means.js';
export type { Interval } from './infer/confint.js';
export { printVarCorr, printFixef, printCoefTable } from './print/summary.js';
// types the signatures above use, exported so a consumer (and the API reference) can name them
export type { NumericColumn, FactorColumn, ColumnType } from './data/table.js';
export type { DataSpec } from './data/spec.js';
export type { ArrowTableLike, ArrowVectorLike, ArrowDataLike, ArrowTypeLike } from './data/from-arrow.js';
export type { ArqueroTableLike } from './data/from-arquero.js';
export type { DataOptions } from './design/prepare.js';
export type { ModelFormula, Expr, LinearPredictor, RandomTerm, Variable, Term } from './formula/types.js';
export type { LmerControl, CheckSetting, CheckAction } from './fit/control.js';
export type { ConvergenceReport, SecondOpinionInfo } from './fit/convergence.js';
export type { SatterthwaiteBasis } from './fit/satterthwaite.js';
export type { VarCorrTerm } from './text/varcorr.js';
export type { Json } from './text/plain-json.js';
export type { LrtModel, ComparableModel } from './infer/anova-lrt.js';
export * from './errors.js';

/**
 * summary(m): R's summary object of an lm or lmer fit. Its numbers are fields; `String(summary(m))` and
 * `console.log(summary(m))` give the text R prints for print(summary(m)); `JSON.stringify` plain JSON.
 */
export function summary(model: LmModel | LmerModel, options?: LmerSummaryOptions): ModelSummary;
export function summary(model: GlmerModel): GlmerSummary;
export function summary(model: LmModel | LmerModel | GlmerModel, options: LmerSummaryOptions = {}): ModelSummary | GlmerSummary {
  checkModelArgument('summary', model, MODELS(), 'a model fitted by lm(), lmer() or glmer()');
  if (isGlmerModel(model)) {
    checkOptions('summary', options, NO_OPTIONS_SCHEMA);
    return glmerKind().summary(model) as GlmerSummary;
  }
  checkOptions('summary', options, SUMMARY_SCHEMA);
  return new ModelSummary(model, options);
}

/**
 * anova() as in R with lme4 + lmerTest: one lmer fit gives lmerTest's type III F tests with
 * Satterthwaite df; several models (or an object mapping names to models) give the likelihood-ratio
 * comparison of lme4's anova(m1, m2, ...) — REML fits are refitted by ML first.
 */
export function anova(model: LmerModel): AnovaType3;
export function anova(...models: LrtModel[] | [Record<string, LrtModel>]): AnovaLRT;
export function anova(...models: LrtModel[] | [Record<string, LrtModel>]): AnovaLRT | AnovaType3 {
  const first = models[0];
  if (models.length === 0) throw new OptionError('anova(): give one lmer fit, or two or more models to compare');
  if (models.length > 1) for (const m of models) checkModelArgument('anova', m, MODELS(), 'models fitted by lm(), lmer() or glmer()');
  else if (!(first instanceof LmModel) && !(first instanceof LmerModel) && !isGlmerModel(first)) {
    if (first === null || typeof first !== 'object' || Object.values(first).length === 0) {
      throw new OptionError('anova(): expected an lmer fit, models to compare, or an object mapping names to models');
    }
    for (const m of Object.values(first)) checkModelArgument('anova', m, MODELS(), 'models fitted by lm(), lmer() or glmer()');
  }
  if (models.length === 1 && first instanceof LmerModel) return new AnovaType3(anovaType3(first));
  const input = models.length === 1 && !(first instanceof LmModel) && !(first instanceof LmerModel) && !isGlmerModel(first)
    ? (first as Record<string, LrtModel>)
    : (models as LrtModel[]);
  return new AnovaLRT(anovaLRT(input));
}

/** lmerTest's ranova(m): likelihood-ratio tests dropping (or reducing) each random-effects term. */
export function ranova(model: LmerModel, options: Record<string, never> = {}): Ranova {
  checkModelArgument('ranova', model, LMER, 'a model fitted by lmer()');
  checkOptions('ranova', options, NO_OPTIONS_SCHEMA);
  return new Ranova(ranovaTable(model));
}

/** lmerTest's ls_means(m, pairwise): least-squares means (or their differences) with Satterthwaite df. */
export function lsMeans(model: LmerModel, options: { pairwise?: boolean; level?: number } = {}): LsMeans {
  checkModelArgument('lsMeans', model, LMER, 'a model fitted by lmer()');
  checkOptions('lsMeans', options, LS_MEANS_SCHEMA);
  return new LsMeans(lsMeansRows(model, options), options.level ?? 0.95);
}

/**
 * lme4's confint(m): profile-likelihood intervals for every parameter (the default, as lme4; REML fits are
 * profiled on the ML deviance as lme4 does), or `method: 'Wald'` for β̂ ± z·SE of the fixed effects only.
 * `oldNames: false` names the variance parameters sd_(Intercept)|g, cor_…|g, sigma instead of .sig01, …, .sigma.
 * `parm` picks rows as lme4's does (names, 1-based indices, 'theta_', 'beta_'): only those are profiled.
 * A glmer fit's profile is lme4's for GLMMs: sds and correlations (no σ) and β, each with all others
 * re-optimized on the fit's Laplace (or nAGQ) deviance; a fit with nAGQ = 0 cannot be profiled.
 */
export function confint(
  model: LmerModel | GlmerModel,
  options: { level?: number; method?: 'profile' | 'Wald'; oldNames?: boolean; parm?: ParmSelection } = {},
): Confint {
  checkModelArgument('confint', model, MIXED_MODELS(), 'a model fitted by lmer() or glmer()');
  checkOptions('confint', options, CONFINT_SCHEMA);
  const level = options.level ?? 0.95;
  const method = options.method ?? 'profile';
  const { parm } = options;
  if (parm !== undefined && typeof parm !== 'string' && !Array.isArray(parm)) {
    throw new OptionError(`confint(): option parm must be a parameter name, 'theta_', 'beta_' or an array of names or 1-based indices`);
  }
  if (method === 'Wald') {
    const rows = confintWald(model, level);
    const nVar = rows.filter((r) => r.lower === null).length;
    const chosen = selectParameters(parm, rows.map((r) => r.name), nVar);
    return new Confint(chosen.map((i) => rows[i]), level, method);
  }
  const oldNames = options.oldNames ?? true;
  if (isGlmerModel(model)) {
    const profile = glmerKind().profile(model, { level, oldNames, parm });
    return new Confint(profile.intervals, level, method, profile.warnings);
  }
  return new Confint(confintProfile(model as LmerModel, level, oldNames, undefined, parm), level, method);
}

/** Fixed effects by name (lme4's fixef; for an lm, R's coef with null where aliased). */
export function fixef(model: LmModel | LmerModel | GlmerModel): Record<string, number | null> {
  checkModelArgument('fixef', model, MODELS(), 'a model fitted by lm(), lmer() or glmer()');
  return model.fixef();
}

/**
 * Conditional modes of the random effects per grouping factor (lme4's ranef); with `condVar: true` each
 * table also carries every level's conditional covariance matrix (lme4's postVar).
 */
export function ranef(model: LmerModel | GlmerModel, options: { condVar?: boolean } = {}): ReturnType<LmerModel['ranef']> {
  checkModelArgument('ranef', model, MIXED_MODELS(), 'a model fitted by lmer() or glmer()');
  checkOptions('ranef', options, RANEF_SCHEMA);
  return model.ranef(options);
}

/** lme4's VarCorr(m) of an lmer or glmer fit: rows of as.data.frame(VarCorr(m)) as `rows`; prints as print(VarCorr(m)). */
export function varCorr(model: LmerModel | GlmerModel): VarCorrResult {
  checkModelArgument('varCorr', model, MIXED_MODELS(), 'a model fitted by lmer() or glmer()');
  return model.varCorr();
}

/** @deprecated Renamed `varCorr` (0.2.0); this alias goes in 0.3.0. */
export const VarCorr = varCorr;

export { init, engineModule } from './wasm/instance.js';
export type { FitProgress, ProgressOptions } from './fit/progress.js';
export type { ParmSelection } from './optim/profile-search.js';
export { progressLine, type ProgressStream, type ProgressLineOptions } from './print/progress-line.js';
