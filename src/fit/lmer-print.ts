/**
 * print(m) of an lmer fit, as lme4 1.1-31's print.merMod writes it (digits 4): title and class, formula and
 * data, the REML criterion (or the AIC table) rounded to 4 decimals, the random effects' standard deviations
 * and correlations, the group counts, the fixed effects as print.default(format(fixef, digits = 4),
 * print.gap = 2), and the optimizer's one-line report when there is something to report.
 */
import type { ModelFormula } from '../formula/types.js';
import { deparseLines, exprDoc } from '../formula/deparse-lines.js';
import { catNumber, formatNumbers, roundR } from '../text/format-number.js';
import { catFill, printNamedVector, strwrap, PRINT_WIDTH } from '../text/layout.js';
import { formatVarCorr } from '../text/varcorr.js';
import type { LmerModel } from './lmer-model.js';

const DIGITS = 4;

/** .prt.methTit for lmerTest's class. */
function titleLines(reml: boolean): string[] {
  const mtit = `Linear mixed model fit by ${reml ? 'REML' : 'maximum likelihood '}`; // lme4's ML title ends in a space
  const cls = 'lmerModLmerTest';
  if (mtit.length + 5 + cls.length > PRINT_WIDTH) return catFill([...strwrap(mtit, PRINT_WIDTH - 2, 2), ' [', cls, ']'], '');
  return [`${mtit} ['${cls}']`];
}

/** .prt.aictab(AICtab, 4). */
function criteriaLines(m: LmerModel): string[] {
  if (m.reml) return catFill(['REML criterion at convergence:', catNumber(roundR(m.REMLcrit() ?? NaN, DIGITS))]);
  const vals = [m.AIC(), m.BIC(), m.logLik(), m.deviance() ?? NaN, m.dfResidual].map((v) => roundR(v, DIGITS));
  const f = formatNumbers(vals);
  f[4] = formatNumbers([vals[4]])[0];
  return printNamedVector(['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'], f);
}

/** print.merMod's text, without the final newline. */
export function printLmerModel(m: LmerModel, formula: ModelFormula): string {
  const lines: string[] = [...titleLines(m.reml), ...catFill(['Formula:', ...deparseLines(exprDoc(formula.expr))])];
  lines.push(...catFill(['   Data:', m.dataName]));
  lines.push(...criteriaLines(m));
  const vc = m.varCorr();
  lines.push('Random effects:', ...formatVarCorr([...vc.terms], vc.sigma, DIGITS, ['Std.Dev.']));
  const groups = Object.entries(m.ngroups())
    .map(([g, n]) => `${g}, ${n}`)
    .join('; ');
  lines.push(...catFill([`Number of obs: ${m.nobs}, groups: `, groups]));
  if (m.p > 0) {
    lines.push('Fixed Effects:', ...printNamedVector([...m.fixefNames], formatNumbers([...m.beta], DIGITS), PRINT_WIDTH, 2));
  } else {
    lines.push('No fixed effect coefficients');
  }
  const code = m.optimizer.converged ? 0 : 1;
  const nWarn = m.warnings.length + m.messages.filter((s) => !s.startsWith('fixed-effect model matrix')).length;
  const fitMsgs = m.messages.filter((s) => s.startsWith('fixed-effect model matrix'));
  if (fitMsgs.length > 0) lines.push('fit warnings:', ...fitMsgs);
  if (code !== 0 || nWarn > 0) {
    lines.push(`optimizer (${m.optimizer.name === 'bobyqa' ? 'nloptwrap' : 'Nelder_Mead'}) convergence code: ${code} (${code === 0 ? 'OK' : m.optimizer.message}) ; 0 optimizer warnings; ${nWarn} lme4 warnings `);
  }
  return lines.join('\n');
}
