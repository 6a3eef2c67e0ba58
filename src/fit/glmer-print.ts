/**
 * print(m) of a glmer fit, as lme4 1.1-31's print.merMod writes it for a glmerMod (digits 4): the title,
 * the Family line, formula and data, the AIC table rounded to 4 decimals, the random effects' standard
 * deviations, the group counts, the fixed effects, and the optimizer's report when there is one.
 * The title and the VarCorr terms are shared with print(summary(m)) (print/glmer-summary.ts).
 */
import { deparseFormulaLines } from '../formula/deparse-lines.js';
import { formatNumbers, roundR } from '../text/format-number.js';
import { catFill, printNamedVector, strwrap, PRINT_WIDTH } from '../text/layout.js';
import { formatVarCorr } from '../text/varcorr.js';
import type { GlmerModel } from './glmer-model.js';

const DIGITS = 4;

/** lme4's methTitle for a GLMM, wrapped as .prt.methTit wraps it. */
export function glmerTitleLines(nAGQ: number): string[] {
  const how = nAGQ === 1 ? 'Laplace Approximation' : `Adaptive Gauss-Hermite Quadrature, nAGQ = ${nAGQ}`;
  const mtit = `Generalized linear mixed model fit by maximum likelihood (${how})`;
  const cls = 'glmerMod';
  if (mtit.length + 5 + cls.length > PRINT_WIDTH) return catFill([...strwrap(mtit, PRINT_WIDTH - 2, 2), ' [', cls, ']'], '');
  return [`${mtit} ['${cls}']`];
}

/** print.merMod's text for a glmer fit, without the final newline. */
export function printGlmerModel(m: GlmerModel): string {
  const lines: string[] = [...glmerTitleLines(m.nAGQ), ` Family: ${m.family}  ( ${m.link} )`];
  lines.push(...catFill(['Formula:', ...deparseFormulaLines(m.formula)]));
  lines.push(...catFill(['   Data:', m.dataName]));
  const vals = [m.AIC(), m.BIC(), m.logLik(), m.minus2LogLik(), m.dfResidual].map((v) => roundR(v, DIGITS));
  const f = formatNumbers(vals);
  f[4] = formatNumbers([vals[4]])[0];
  lines.push(...printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f));
  lines.push('Random effects:', ...formatVarCorr([...m.varCorr().terms], null, DIGITS, ['Std.Dev.']));
  const groups = Object.entries(m.ngroups())
    .map(([g, n]) => `${g}, ${n}`)
    .join('; ');
  lines.push(...catFill([`Number of obs: ${m.nobs}, groups: `, groups]));
  const coefs = m.coefficientTable();
  if (coefs.length > 0) {
    lines.push('Fixed Effects:', ...printNamedVector(coefs.map((c) => c.term), formatNumbers(coefs.map((c) => c.estimate), DIGITS), PRINT_WIDTH, 2));
  } else {
    lines.push('No fixed effect coefficients');
  }
  const opt = m.optimizer;
  const nWarn = m.warnings.length + m.messages.length;
  if (!opt.converged || nWarn > 0) {
    const code = opt.converged ? 0 : 1;
    lines.push(`optimizer (${opt.name}) convergence code: ${code} (${code === 0 ? 'OK' : opt.message}) ; 0 optimizer warnings; ${nWarn} lme4 warnings `);
  }
  return lines.join('\n');
}
