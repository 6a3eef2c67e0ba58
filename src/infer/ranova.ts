/**
 * ranova(m): lmerTest's likelihood-ratio tests for the random-effects terms, "single term deletions".
 * Each term is reduced (a term with effects besides its intercept loses them one at a time, keeping
 * lme4's marginality; a term that is only an intercept or one effect is removed), the model is refitted
 * with the same criterion (REML fits by REML; an lm by its REML likelihood when no random term is left),
 * and compared with the full model.
 */
import { lmState } from '../fit/lm-state.js';
import { lmerState } from '../fit/lmer-state.js';
import { ModelError } from '../errors.js';
import { lmer } from '../fit/lmer.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { LmModel } from '../fit/lm.js';
import { deparse } from '../formula/deparse.js';
import type { Expr, LinearPredictor, RandomTerm } from '../formula/types.js';
import type { DataTable } from '../data/table.js';
import { pUpperChisq } from '../stats/distributions.js';

/** One row of the table. */
export interface RanovaRow {
  /** "<none>", "Days in (Days | Subject)" or "(1 | Subject)". */
  name: string;
  formula: string;
  npar: number;
  logLik: number;
  AIC: number;
  LRT: number | null;
  df: number | null;
  p: number | null;
}

/** The ranova table and the full model's formula as lmerTest prints it. */
export interface RanovaTable {
  model: string;
  rows: RanovaRow[];
}

function termText(t: RandomTerm): string {
  return t.text;
}

/** The fixed part's deparse ("Days", "Condition * Hemisphere", or "1"). */
function fixedTerms(p: LinearPredictor): string[] {
  return p.terms.map((t) => t.label);
}

/** R's update() of the formula: terms ordered by interaction order (bars count as one variable). */
function rebuild(response: string, fixed: LinearPredictor, bars: string[]): string {
  const first = [...fixedTerms(fixed).filter((t) => !t.includes(':')), ...bars.map((b) => `(${b})`)];
  const higher = fixedTerms(fixed).filter((t) => t.includes(':'));
  const byOrder = higher.sort((a, b) => a.split(':').length - b.split(':').length);
  const rhs = [...first, ...byOrder];
  if (!fixed.intercept) rhs.push('- 1');
  return `${response} ~ ${rhs.length ? rhs.join(' + ').replace(' + - 1', ' - 1') : '1'}`;
}

/** lmerTest's drop.scope of a term's effects: the effects no other effect contains. */
function dropScope(effects: LinearPredictor): string[] {
  return effects.terms
    .filter((t) => !effects.terms.some((o) => o !== t && t.variables.every((v) => o.variables.includes(v))))
    .map((t) => t.label);
}

/** The reduced formulas of one bar term (lmerTest's get_newforms), named as lmerTest names them. */
function reductions(term: RandomTerm, others: string[]): { name: string; bars: string[] }[] {
  const scope = dropScope(term.effects);
  const text = termText(term);
  if (term.effects.terms.length === 0 || scope.length === 0) return [{ name: `(${text})`, bars: others }];
  return scope.map((scp) => {
    // R's update(~lhs, ~ . - scp): the remaining effects, " - 1" without an intercept; "1" when none remain
    const rest = term.effects.terms.filter((t) => t.label !== scp).map((t) => t.label);
    const lhs = rest.length === 0 ? '1' : rest.join(' + ') + (term.effects.intercept ? '' : ' - 1');
    // R's update() drops a term that is now identical to another one
    return { name: `${scp} in (${text})`, bars: [...new Set([...others, `${lhs} | ${term.groupLabel}`])] };
  });
}

/** REML log-likelihood of an lm (R's logLik(lm, REML = TRUE)). */
function lmLogLik(m: LmModel, reml: boolean): number {
  if (!reml) return m.logLik();
  const n = m.nobs;
  const p = m.rank;
  const ls = lmState(m).rDiagonal;
  const logDetR = ls.reduce((s, r) => s + Math.log(Math.abs(r)), 0);
  // prior weights add ½ Σ log wᵢ, as in logLik.lm
  const sumLogW = (m.weights ?? []).reduce((s, w) => s + (w > 0 ? Math.log(w) : 0), 0);
  return 0.5 * (sumLogW - (n - p) * (Math.log(2 * Math.PI) + 1 - Math.log(n - p) + Math.log(m.deviance()))) - logDetR;
}

/** ranova(m) for an lmer fit (refits use the data the model was fitted to). */
export function ranova(m: LmerModel): RanovaTable {
  const { prepared } = lmerState(m);
  const data: DataTable = prepared.data;
  const f = prepared.formula;
  const logLik = m.logLik();
  if (f.random.length === 0) throw new ModelError('Model should have at least one random-effects term');
  const response = f.response ? deparse(f.response.expr as Expr) : '';
  const bars = f.random.map(termText);
  const model = rebuild(response, f.fixed, bars);
  // the refits take the model's prior weights, laid out on the data's rows again
  const w = prepared.weights;
  const weights = w ? new Float64Array(data.nrow).fill(1) : null;
  if (w && weights) prepared.frame.rows.forEach((r, i) => (weights[r] = w[i]));
  const options = { REML: m.reml, dataName: m.dataName, contrasts: prepared.contrasts, ...(weights ? { weights } : {}) };
  const rows: RanovaRow[] = [
    { name: '<none>', formula: model, npar: m.npar, logLik, AIC: -2 * logLik + 2 * m.npar, LRT: null, df: null, p: null },
  ];
  f.random.forEach((term, k) => {
    const others = bars.filter((_, i) => i !== k);
    for (const red of reductions(term, others)) {
      const formula = rebuild(response, f.fixed, red.bars);
      let ll: number;
      let npar: number;
      if (red.bars.length === 0) {
        const lmfit = new LmModel({ ...prepared, formula: { ...prepared.formula, random: [] } });
        ll = lmLogLik(lmfit, m.reml);
        npar = lmfit.npar;
      } else {
        const fit = lmer(formula, data, options);
        if (fit.nobs !== m.nobs) throw new ModelError('number of rows in use has changed: remove missing values?');
        ll = fit.logLik();
        npar = fit.npar;
      }
      const LRT = 2 * (logLik - ll);
      const df = m.npar - npar;
      rows.push({ name: red.name, formula, npar, logLik: ll, AIC: -2 * ll + 2 * npar, LRT, df, p: df > 0 ? pUpperChisq(LRT, df) : null });
    }
  });
  return { model, rows };
}
