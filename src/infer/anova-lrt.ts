/**
 * Likelihood-ratio comparison of nested models, as lme4's anova(m1, m2, ...): REML fits are refitted
 * by ML first, models are sorted by their number of parameters, and each is tested against the previous
 * one with Chisq = 2·Δ logLik (clipped at 0), Df = Δ npar and the upper χ² tail.
 */
import { ModelError } from '../errors.js';
import { LmModel } from '../fit/lm.js';
import { fitPrepared } from '../fit/lmer.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { pUpperChisq } from '../stats/distributions.js';
import { deparseFormulaLines, deparseLines, exprDoc } from '../formula/deparse-lines.js';
import { lmState } from '../fit/lm-state.js';
import { lmerState } from '../fit/lmer-state.js';
import type { GlmerModel } from '../fit/glmer-model.js';

/** A model that can take part in a likelihood-ratio test. */
export type ComparableModel = LmModel | LmerModel;

/** Any model anova's likelihood-ratio test accepts: lm, lmer and glmer fits. */
export type LrtModel = ComparableModel | GlmerModel;

/** One row of the anova table (null where R shows nothing). */
export interface AnovaRow {
  name: string;
  formula: string;
  npar: number;
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number;
  chisq: number | null;
  df: number | null;
  p: number | null;
}

/** The comparison: rows in npar order, the heading lines and lme4's messages. */
export interface AnovaTable {
  rows: AnovaRow[];
  /** "Data: NAME", "Models:", "name: formula" lines. */
  heading: string[];
  /** True when some REML fit was refitted by ML. */
  refitML: boolean;
  messages: string[];
}

/** lme4's message when REML fits are refitted. */
export const REFIT_MESSAGE = 'refitting model(s) with ML (instead of REML)';

interface Stats {
  npar: number;
  logLik: number;
  nobs: number;
}

function mlStats(m: LrtModel): Stats {
  if (m.kind === 'glmer') return { npar: m.df, logLik: m.logLik(), nobs: m.nobs };
  return { npar: m.npar, logLik: m.logLik(), nobs: m.nobs };
}

/** R's deparse lines of the formula (a glmer fit keeps the user's response and offsets as typed). */
function formulaLines(m: LrtModel): string[] {
  if (m.kind === 'glmer') return deparseFormulaLines(m.formula);
  return deparseLines(exprDoc((m instanceof LmModel ? lmState(m) : lmerState(m)).modelFormula.expr));
}

/** Refits a REML lmer fit by ML, starting from its θ (as lme4's refitML). */
export function refitML(m: LmerModel): LmerModel {
  return fitPrepared(lmerState(m).prepared, { REML: false, optimizer: m.optimizer.name as 'bobyqa' | 'nelder-mead', start: m.theta });
}

/**
 * Compares nested models by likelihood ratio. `models` maps names (printed in the table) to fits;
 * an array gets the names m1, m2, ….
 */
export function anovaLRT(models: LrtModel[] | Record<string, LrtModel>): AnovaTable {
  const entries = Array.isArray(models) ? models.map((m, i) => [`m${i + 1}`, m] as const) : Object.entries(models);
  if (entries.length < 2) throw new ModelError('anova needs at least two models to compare');
  const dataNames = new Set(entries.map(([, m]) => m.dataName));
  const nobs = new Set(entries.map(([, m]) => m.nobs));
  if (dataNames.size > 1) throw new ModelError(`all models must be fit to the same data object (got ${[...dataNames].join(', ')})`);
  if (nobs.size > 1) {
    throw new ModelError(
      `models were not all fitted to the same size of dataset (${entries.map(([n, m]) => `${n}: ${m.nobs}`).join(', ')}); ` +
        'missing values in different variables drop different rows',
    );
  }
  const messages: string[] = [];
  const needsRefit = entries.some(([, m]) => m.kind === 'lmer' && m.reml);
  if (needsRefit) messages.push(REFIT_MESSAGE);
  const fitted = entries.map(([name, m]) => {
    const ml = m.kind === 'lmer' && m.reml ? refitML(m) : m;
    return { name, model: m, stats: mlStats(ml) };
  });
  const order = fitted.map((_, i) => i).sort((a, b) => fitted[a].stats.npar - fitted[b].stats.npar || a - b);
  const rows: AnovaRow[] = order.map((i, k) => {
    const { name, model, stats } = fitted[i];
    const dev = -2 * stats.logLik;
    const row: AnovaRow = {
      name,
      formula: model.formula,
      npar: stats.npar,
      AIC: dev + 2 * stats.npar,
      BIC: dev + Math.log(stats.nobs) * stats.npar,
      logLik: stats.logLik,
      deviance: dev,
      chisq: null,
      df: null,
      p: null,
    };
    if (k > 0) {
      const prev = fitted[order[k - 1]].stats;
      row.chisq = 2 * Math.max(0, stats.logLik - prev.logLik);
      row.df = stats.npar - prev.npar;
      row.p = row.df === 0 ? null : pUpperChisq(row.chisq, row.df);
    }
    return row;
  });
  // lme4 deparses each formula (width 60) and prefixes every line with the model's name
  const heading = [
    `Data: ${[...dataNames][0]}`,
    'Models:',
    ...order.flatMap((i) => formulaLines(fitted[i].model).map((line) => `${fitted[i].name}: ${line}`)),
  ];
  return { rows, heading, refitML: needsRefit, messages };
}
