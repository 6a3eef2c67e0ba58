/**
 * lmm-wasm: R's lm, lme4's lmer, lmerTest's Satterthwaite tests and anova for JavaScript, with the
 * linear algebra in WebAssembly. Runs in Node, browsers and Web Workers (this entry uses no Node API;
 * `lmm-wasm/node` adds file reading).
 *
 * @example
 * import { lmer, summary, anova } from 'lmm-wasm';
 * const m = lmer('Reaction ~ Days + (Days | Subject)', rows);
 * console.log(summary(m));
 */
import { LmModel } from './fit/lm.js';
import { LmerModel } from './fit/lmer-model.js';
import { anovaLRT, type AnovaTable, type ComparableModel } from './infer/anova-lrt.js';
import { formatAnovaLRT } from './print/anova-lrt.js';
import { summaryLm, summaryLmer, type LmerSummaryOptions } from './print/summary.js';
import { anovaType3, type Type3Row } from './infer/anova-type3.js';
import { ranova as ranovaTable, type RanovaTable } from './infer/ranova.js';
import { formatRanova } from './print/ranova.js';
import { lsMeans as lsMeansRows, type LsMeansRow } from './infer/ls-means.js';
import { formatLsMeans } from './print/ls-means.js';
import { confintWald, type Interval } from './infer/confint.js';
import { confintProfile } from './infer/profile.js';
import { printConfint } from './print/summary.js';
import { formatAnovaType3 } from './print/anova-type3.js';

export { lm, LmModel, type LmOptions, type CoefficientRow } from './fit/lm.js';
export { lmer, type LmerOptions } from './fit/lmer.js';
export { allFit, type AllFitRow } from './fit/all-fit.js';
export { LmerModel, type VarCorrRow, type RanefTable } from './fit/lmer-model.js';
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
export * from './errors.js';

/** The printed text R shows for print(summary(m)). */
export function summary(model: LmModel | LmerModel, options: LmerSummaryOptions = {}): string {
  return model instanceof LmerModel ? summaryLmer(model, options) : summaryLm(model);
}

/** A likelihood-ratio comparison that prints as lme4's anova table. */
export interface AnovaResult extends AnovaTable {
  toString(): string;
}

/** lmerTest's type III table of one lmer fit, printable as R prints it. */
export interface Type3Result {
  rows: Type3Row[];
  toString(): string;
}

/**
 * anova() as in R with lme4 + lmerTest: one lmer fit gives lmerTest's type III F tests with
 * Satterthwaite df; several models (or an object mapping names to models) give the likelihood-ratio
 * comparison of lme4's anova(m1, m2, ...) — REML fits are refitted by ML first.
 */
export function anova(model: LmerModel): Type3Result;
export function anova(...models: ComparableModel[] | [Record<string, ComparableModel>]): AnovaResult;
export function anova(...models: ComparableModel[] | [Record<string, ComparableModel>]): AnovaResult | Type3Result {
  const first = models[0];
  if (models.length === 1 && first instanceof LmerModel) {
    const rows = anovaType3(first);
    return { rows, toString: () => formatAnovaType3(rows).join('\n') };
  }
  const input = models.length === 1 && !(first instanceof LmModel) && !(first instanceof LmerModel)
    ? (first as Record<string, ComparableModel>)
    : (models as ComparableModel[]);
  const table = anovaLRT(input);
  return { ...table, toString: () => formatAnovaLRT(table).join('\n') };
}

/** lmerTest's ranova(m): likelihood-ratio tests dropping (or reducing) each random-effects term. */
export function ranova(model: LmerModel): RanovaTable & { toString(): string } {
  const t = ranovaTable(model);
  return { ...t, toString: () => formatRanova(t).join('\n') };
}

/** lmerTest's ls_means(m, pairwise): least-squares means (or their differences) with Satterthwaite df. */
export function lsMeans(model: LmerModel, options: { pairwise?: boolean; level?: number } = {}): { rows: LsMeansRow[]; toString(): string } {
  const rows = lsMeansRows(model, options);
  return { rows, toString: () => formatLsMeans(rows, options.level).join('\n') };
}

/**
 * lme4's confint(m): profile-likelihood intervals for every parameter (the default, as lme4; REML fits are
 * profiled on the ML deviance as lme4 does), or `method: 'Wald'` for β̂ ± z·SE of the fixed effects only.
 * `oldNames: false` names the variance parameters sd_(Intercept)|g, cor_…|g, sigma instead of .sig01, …, .sigma.
 */
export function confint(
  model: LmerModel,
  options: { level?: number; method?: 'profile' | 'Wald'; oldNames?: boolean } = {},
): { rows: Interval[]; toString(): string } {
  const rows =
    options.method === 'Wald' ? confintWald(model, options.level) : confintProfile(model, options.level, options.oldNames ?? true);
  return { rows, toString: () => printConfint(rows, options.level) };
}

/** Fixed effects by name (lme4's fixef / coef of an lm). */
export function fixef(model: LmModel | LmerModel): Record<string, number | null> {
  if (model instanceof LmerModel) return model.fixef();
  return Object.fromEntries(model.coefNames.map((n, i) => [n, Number.isNaN(model.coefficients[i]) ? null : model.coefficients[i]]));
}

/** Conditional modes of the random effects per grouping factor (lme4's ranef). */
export function ranef(model: LmerModel): ReturnType<LmerModel['ranef']> {
  return model.ranef();
}

/** Variance components as rows of lme4's as.data.frame(VarCorr(m)). */
export function VarCorr(model: LmerModel): ReturnType<LmerModel['varCorr']> {
  return model.varCorr();
}
export { init, engineModule } from './wasm/instance.js';
export type { FitProgress, ProgressOptions } from './fit/progress.js';
export { progressLine, type ProgressStream, type ProgressLineOptions } from './print/progress-line.js';
