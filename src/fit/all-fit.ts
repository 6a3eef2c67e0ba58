/**
 * allFit: refits a model with every optimizer (as lme4's allFit) to check that the estimates do not
 * depend on the optimizer ("can I trust these estimates?").
 */
import { fitPrepared } from './lmer.js';
import type { LmerModel } from './lmer-model.js';
import { optimizers, type OptimizerName } from '../optim/index.js';
import { checkOptions } from '../options/validate.js';
import { NO_OPTIONS_SCHEMA } from '../options/schemas.js';
import { checkModelArgument } from '../options/arguments.js';
import { LmerModel as LmerModelClass } from './lmer-model.js';

/** One refit. */
export interface AllFitRow {
  optimizer: OptimizerName;
  /** REML criterion or deviance at the optimizer's optimum. */
  objective: number;
  theta: Float64Array;
  fixef: Record<string, number>;
  sdcor: number[];
  evaluations: number;
  converged: boolean;
  warnings: string[];
}

/** Refits with each optimizer and reports how far the results spread. */
export function allFit(model: LmerModel, options: Record<string, never> = {}): {
  fits: AllFitRow[];
  /** Largest difference of the objective between optimizers. */
  objectiveSpread: number;
  /** Largest relative difference of any fixed effect between optimizers. */
  fixefSpread: number;
  /** Largest absolute difference of any θ between optimizers. */
  thetaSpread: number;
} {
  checkModelArgument('allFit', model, [LmerModelClass], 'a model fitted by lmer()');
  checkOptions('allFit', options, NO_OPTIONS_SCHEMA);
  const fits: AllFitRow[] = (Object.keys(optimizers) as OptimizerName[]).map((name) => {
    const m = fitPrepared(model.prepared, { REML: model.reml, optimizer: name });
    return {
      optimizer: name,
      objective: (m.reml ? m.REMLcrit : m.deviance) as number,
      theta: m.theta,
      fixef: m.fixef(),
      sdcor: m.varCorr().map((r) => r.sdcor),
      evaluations: m.optimizer.evaluations,
      converged: m.optimizer.converged,
      warnings: [...m.warnings],
    };
  });
  const spread = (values: number[]): number => Math.max(...values) - Math.min(...values);
  const objectiveSpread = spread(fits.map((f) => f.objective));
  const fixefSpread = Math.max(
    0,
    ...model.fixefNames.map((n) => spread(fits.map((f) => f.fixef[n])) / Math.max(Math.abs(fits[0].fixef[n]), 1e-12)),
  );
  const thetaSpread = Math.max(0, ...Array.from(model.theta, (_, i) => spread(fits.map((f) => f.theta[i]))));
  return { fits, objectiveSpread, fixefSpread, thetaSpread };
}
