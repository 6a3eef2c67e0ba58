/**
 * `summary(model)`: the text R prints for print(summary(m)) — summary.lm for lm fits, lme4 + lmerTest's
 * summary for lmer fits.
 */
import type { LmModel } from '../fit/lm.js';
import type { ContrastSpec } from '../frame/contrasts.js';
import { deparseLines, exprDoc, text, type Doc } from './deparse-lines.js';
import { formatLmSummary } from './lm-summary.js';

function rNumber(x: number): string {
  return String(x);
}

/** R's deparse of a contrasts argument value. */
function contrastDoc(spec: ContrastSpec): Doc {
  if (typeof spec === 'string') return text(`"contr.${spec}"`);
  const rows = spec.matrix.length;
  const cols = spec.matrix[0]?.length ?? 0;
  const values: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) values.push(spec.matrix[i][j]);
  const dim = Math.abs(rows - cols) === 1 ? `${rows}:${cols}` : `c(${rows}L, ${cols}L)`;
  const args: { name?: string; value: Doc }[] = [
    { value: text(`c(${values.map(rNumber).join(', ')})`) },
    { name: 'dim', value: text(dim) },
  ];
  if (spec.names) {
    args.push({
      name: 'dimnames',
      value: { kind: 'call', fn: 'list', args: [{ value: text('NULL') }, { value: text(spec.names.map((n) => `"${n}"`).join(', ')) }] },
    });
  }
  return { kind: 'call', fn: 'structure', args };
}

/** The `lm(formula = …, data = …)` call as R's summary shows it. */
export function lmCallLines(model: LmModel): string[] {
  const args: { name?: string; value: Doc }[] = [
    { name: 'formula', value: exprDoc(model.formula.expr) },
    { name: 'data', value: text(model.dataName) },
  ];
  const contrasts = Object.entries(model.prepared.contrasts);
  if (contrasts.length > 0) {
    args.push({ name: 'contrasts', value: { kind: 'call', fn: 'list', args: contrasts.map(([k, v]) => ({ name: k, value: contrastDoc(v) })) } });
  }
  return deparseLines({ kind: 'call', fn: 'lm', args });
}

/** print(summary(lm)) as text. */
export function summaryLm(model: LmModel): string {
  const fit = model.fit();
  return formatLmSummary({
    callLines: lmCallLines(model),
    residuals: model.residuals,
    residualNames: Array.from(model.prepared.frame.rows, (r) => String(r + 1)),
    coefficients: model.coefficientTable(),
    sigma: model.sigma,
    dfResidual: model.dfResidual,
    nDropped: model.nDropped,
    rSquared: fit.rSquared,
    adjRSquared: fit.adjRSquared,
    fStatistic: fit.f,
  }).join('\n');
}
