/**
 * allFit: refits a model with every optimizer (as lme4's allFit) to check that the estimates do not
 * depend on the optimizer ("can I trust these estimates?"). It prints as the tables of lme4's
 * summary(allFit(m)): fixed effects, log-likelihoods, sd/cor and θ per optimizer, and the evaluations.
 */
import { fitPrepared } from './lmer.js';
import type { LmerModel } from './lmer-model.js';
import { lmerState } from './lmer-state.js';
import { optimizers, type OptimizerName } from '../optim/index.js';
import { RResult } from '../result.js';
import { printNumericMatrix } from '../text/coef-table.js';
import { plainJSON, type Json } from '../text/plain-json.js';
import { checkOptions } from '../options/validate.js';
import { NO_OPTIONS_SCHEMA } from '../options/schemas.js';
import { checkModelArgument } from '../options/arguments.js';
import { LmerModel as LmerModelClass } from './lmer-model.js';
import type { GlmerModel } from './glmer-model.js';
import { glmerKind, glmerModelClasses, isGlmerModel } from './glmer-kind.js';

/** One refit. */
export interface AllFitRow {
  optimizer: OptimizerName | 'bobyqa-scaled';
  /** REML criterion or deviance at the optimizer's optimum. */
  objective: number;
  /** log-likelihood (REML for REML fits), as summary(allFit)$llik. */
  logLik: number;
  theta: number[];
  fixef: Record<string, number>;
  /** Standard deviations and correlations in as.data.frame(VarCorr) order, the residual's last. */
  sdcor: number[];
  evaluations: number;
  converged: boolean;
  warnings: string[];
}

/** lme4's allFit(m) with its summary's spreads. */
export class AllFit extends RResult {
  readonly fits: readonly AllFitRow[];
  /** Largest difference of the objective between optimizers. */
  readonly objectiveSpread: number;
  /** Largest relative difference of any fixed effect between optimizers. */
  readonly fixefSpread: number;
  /** Largest absolute difference of any θ between optimizers. */
  readonly thetaSpread: number;
  readonly #fixefNames: readonly string[];
  readonly #sdcorNames: readonly string[];
  readonly #thetaNames: readonly string[];

  constructor(model: LmerModel | GlmerModel, fits: AllFitRow[]) {
    super();
    const spread = (values: number[]): number => Math.max(...values) - Math.min(...values);
    const glmm = isGlmerModel(model);
    const fixefNames = glmm ? Object.keys(model.fixef()) : model.fixefNames;
    const thetaNames = glmm ? Object.keys(model.theta()) : model.thetaNames;
    const varcorr = model.varCorr().rows;
    this.fits = Object.freeze(fits);
    this.objectiveSpread = spread(fits.map((f) => f.objective));
    this.fixefSpread = Math.max(
      0,
      ...fixefNames.map((n) => spread(fits.map((f) => f.fixef[n])) / Math.max(Math.abs(fits[0].fixef[n]), 1e-12)),
    );
    this.thetaSpread = Math.max(0, ...thetaNames.map((_, i) => spread(fits.map((f) => f.theta[i]))));
    this.#fixefNames = fixefNames;
    this.#thetaNames = thetaNames;
    // summary(allFit)'s sdcor names: group.var1 for standard deviations, group.var2.var1 for correlations
    this.#sdcorNames = varcorr.map((r) =>
      r.group === 'Residual' ? 'sigma' : r.var2 === null ? `${r.group}.${r.var1}` : `${r.group}.${r.var2}.${r.var1}`,
    );
    Object.freeze(this);
  }

  /** The tables of summary(allFit(m)), one row per optimizer. */
  toString(): string {
    const rowNames = this.fits.map((f) => f.optimizer);
    const table = (colNames: readonly string[], values: number[][]): string =>
      printNumericMatrix({ rowNames, colNames: [...colNames], values });
    return [
      '$fixef',
      table(this.#fixefNames, this.fits.map((f) => this.#fixefNames.map((n) => f.fixef[n]))),
      '',
      '$llik',
      table(['logLik'], this.fits.map((f) => [f.logLik])),
      '',
      '$sdcor',
      table(this.#sdcorNames, this.fits.map((f) => f.sdcor)),
      '',
      '$theta',
      table(this.#thetaNames, this.fits.map((f) => f.theta)),
      '',
      '$feval',
      table(['evaluations'], this.fits.map((f) => [f.evaluations])),
      '',
    ].join('\n');
  }

  toJSON(): Json {
    return plainJSON({
      fits: this.fits,
      objectiveSpread: this.objectiveSpread,
      fixefSpread: this.fixefSpread,
      thetaSpread: this.thetaSpread,
    });
  }
}

/** A glmer fit's row: the second stage run by each optimizer glmer offers (the first stage is BOBYQA's). */
function glmerFits(model: GlmerModel): AllFitRow[] {
  return (['bobyqa', 'nelder-mead', 'bobyqa-scaled', 'newton'] as const).map((name) => {
    const m = glmerKind().refit(model, name);
    return {
      optimizer: name,
      objective: m.minus2LogLik(),
      logLik: m.logLik(),
      theta: Object.values(m.theta()),
      fixef: m.fixef() as Record<string, number>,
      sdcor: m.varCorr().rows.map((r) => r.sdcor),
      evaluations: m.optimizer.evaluations,
      converged: m.optimizer.converged,
      warnings: [...m.warnings],
    };
  });
}

/** Refits with each optimizer and reports how far the results spread (lmer: every optimizer; glmer: the second stage's). */
export function allFit(model: LmerModel | GlmerModel, options: Record<string, never> = {}): AllFit {
  checkModelArgument('allFit', model, [LmerModelClass, ...glmerModelClasses()], 'a model fitted by lmer() or glmer()');
  checkOptions('allFit', options, NO_OPTIONS_SCHEMA);
  if (isGlmerModel(model)) return new AllFit(model, glmerFits(model));
  const { prepared } = lmerState(model);
  const fits: AllFitRow[] = (Object.keys(optimizers) as OptimizerName[]).map((name) => {
    const m = fitPrepared(prepared, { REML: model.reml, optimizer: name });
    return {
      optimizer: name,
      objective: (m.reml ? m.REMLcrit() : m.deviance()) as number,
      logLik: m.logLik(),
      theta: [...m.theta],
      fixef: m.fixef(),
      sdcor: m.varCorr().rows.map((r) => r.sdcor),
      evaluations: m.optimizer.evaluations,
      converged: m.optimizer.converged,
      warnings: [...m.warnings],
    };
  });
  return new AllFit(model, fits);
}
