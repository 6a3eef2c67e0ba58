/**
 * print(summary(m)) of a glmer fit as lme4 1.1-31 prints it (print.summary.merMod, digits 4): the
 * glmerMod title (Laplace or adaptive Gauss–Hermite), the Family line, AIC/BIC/logLik/deviance/df.resid,
 * scaled Pearson residuals, the random effects without a residual row, z tests, correlations.
 */
import type { GlmerModel } from '../fit/glmer-model.js';
import { abbreviate } from './abbreviate.js';
import { printCoefmat } from './coefmat.js';
import { formatNumbers, roundR, zapsmall } from './format-number.js';
import { catFill, printMatrix, printNamedVector, strwrap, PRINT_WIDTH } from './layout.js';
import { deparseFormulaLines } from './deparse-lines.js';
import { quantile7 } from '../infer/quantile.js';
import { formatVarCorr, type VarCorrTerm } from './varcorr.js';

const DIGITS = 4;

/** lme4's methTitle for a GLMM. */
function methodTitle(nAGQ: number): string {
  const how = nAGQ === 1 ? 'Laplace Approximation' : `Adaptive Gauss-Hermite Quadrature, nAGQ = ${nAGQ}`;
  return `Generalized linear mixed model fit by maximum likelihood (${how})`;
}

function titleLines(nAGQ: number): string[] {
  const mtit = methodTitle(nAGQ);
  const cls = 'glmerMod';
  if (mtit.length + 5 + cls.length > PRINT_WIDTH) return catFill([...strwrap(mtit, PRINT_WIDTH - 2, 2), ' [', cls, ']'], '');
  return [`${mtit} ['${cls}']`];
}

function correlationLines(names: string[], corr: number[]): string[] {
  const p = names.length;
  const rns = abbreviate(names, 11);
  const cns = abbreviate(names, 6);
  const f = formatNumbers(
    corr.map((v) => roundR(v, 3)),
    7,
    3,
  );
  const cells: string[][] = [];
  for (let i = 1; i < p; i++) {
    const row: string[] = [];
    for (let j = 0; j < p - 1; j++) row.push(j < i ? f[i * p + j] : '');
    cells.push(row);
  }
  return printMatrix(rns.slice(1), cns.slice(0, p - 1), cells, { right: false });
}

/** The random-effects terms of the VarCorr table. */
function varCorrTerms(m: GlmerModel): VarCorrTerm[] {
  const terms: VarCorrTerm[] = [];
  for (const r of m.varCorr()) {
    let t = terms.find((x) => x.group === r.group);
    if (!t) {
      t = { group: r.group, names: [], sd: [], corr: null };
      terms.push(t);
    }
    if (r.var2 === null) {
      t.names.push(r.var1 ?? '');
      t.sd.push(r.sdcor);
    }
  }
  for (const t of terms) {
    const q = t.names.length;
    if (q < 2) continue;
    t.corr = Array.from({ length: q }, (_, i) => Array.from({ length: q }, (_, j) => (i === j ? 1 : NaN)));
    for (const r of m.varCorr()) {
      if (r.group !== t.group || r.var2 === null) continue;
      const i = t.names.indexOf(r.var1 ?? '');
      const j = t.names.indexOf(r.var2);
      t.corr[i][j] = t.corr[j][i] = r.sdcor;
    }
  }
  return terms;
}

/** print(summary(m)) as text. */
export function glmerSummaryText(m: GlmerModel): string {
  const out: string[] = [];
  out.push(...titleLines(m.nAGQ));
  out.push(` Family: ${m.family}  ( ${m.link} )`);
  out.push(...catFill(['Formula:', ...deparseFormulaLines(m.formula)]));
  out.push(...catFill(['   Data:', m.dataName]));
  out.push('');
  const vals = [m.AIC(), m.BIC(), m.logLik(), m.minus2LogLik(), m.dfResidual].map((v) => roundR(v, 1));
  const f = formatNumbers(vals);
  f[4] = formatNumbers([vals[4]])[0];
  out.push(...printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f));
  out.push('');
  const q = quantile7(m.scaledResiduals());
  out.push('Scaled residuals: ', ...printNamedVector(['Min', '1Q', 'Median', '3Q', 'Max'], formatNumbers(zapsmall(q, DIGITS + 1), DIGITS)));
  out.push('');
  out.push('Random effects:', ...formatVarCorr(varCorrTerms(m), null, DIGITS, ['Variance', 'Std.Dev.']));
  const groups = Object.entries(m.ngroups())
    .map(([g, n]) => `${g}, ${n}`)
    .join('; ');
  out.push(...catFill([`Number of obs: ${m.nobs}, groups: `, groups]));
  const coefs = m.coefficients();
  const p = coefs.length;
  if (p > 0) {
    out.push('', 'Fixed effects:');
    out.push(
      ...printCoefmat(
        {
          rowNames: coefs.map((c) => c.term),
          colNames: ['Estimate', 'Std. Error', 'z value', 'Pr(>|z|)'],
          values: coefs.map((c) => [c.estimate, c.se, c.z, c.p]),
        },
        { digits: DIGITS },
      ),
    );
    if (p > 1 && p <= 12) {
      const V = m.vcov().values;
      const corr: number[] = [];
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) corr.push(V[i][j] / Math.sqrt(V[i][i] * V[j][j]));
      out.push('', 'Correlation of Fixed Effects:', ...correlationLines(coefs.map((c) => c.term), corr));
    } else if (p > 12) {
      out.push('', `Correlation matrix not shown by default, as p = ${p} > 12.`, 'Use print(x, correlation=TRUE)  or', '    vcov(x)        if you need it', '');
    }
  }
  const opt = m.optimizer;
  if (!opt.converged || m.messages.length > 0 || m.warnings.length > 0) {
    out.push(`optimizer (${opt.name}) convergence code: ${opt.converged ? 0 : 1} ${opt.converged ? '(OK)' : `(${opt.message})`}`, ...m.messages, ...m.warnings, '');
  }
  const text = out.join('\n');
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
