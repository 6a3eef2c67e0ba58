/**
 * P-values as R prints them: format.pval (values below eps as "< 2e-16" / "<2e-16"), significance stars
 * (symnum with cutpoints 0.001, 0.01, 0.05, 0.1) and the legend line.
 */
import { formatNumbers } from '../text/format-number.js';

/** .Machine$double.eps */
export const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * R's format.pval(pv, digits, eps, na.form): values below `eps` as "<eps" formatted with max(1, digits − 2)
 * digits ("< 2.2e-16" alone, "<2e-16" / "< 2e-16" next to other values, by the widths R compares), the
 * others with format(digits) (fixed and scientific ones formatted as two groups); NA and NaN as `naForm`.
 * printCoefmat calls it with digits = dig.tst (3 in lmerTest / lme4 summaries, 4 in anova tables).
 */
export function formatPval(pv: readonly (number | null)[], digits: number, eps = DOUBLE_EPS, naForm = 'NA'): string[] {
  const out: string[] = pv.map(() => naForm);
  const idx = pv.map((p, i) => (p === null || Number.isNaN(p) ? -1 : i)).filter((i) => i >= 0);
  const is0 = idx.filter((i) => (pv[i] as number) < eps);
  const rest = idx.filter((i) => (pv[i] as number) >= eps);
  let rr: string[] = [];
  if (rest.length > 0) {
    const vals = rest.map((i) => pv[i] as number);
    const expo = vals.map((p) => Math.floor(Math.log10(p > 0 ? p : 1e-50)));
    const fixp = vals.map((_, k) => expo[k] >= -3 || (expo[k] === -4 && digits > 1));
    rr = new Array(vals.length).fill('');
    const fixIdx = vals.map((_, k) => k).filter((k) => fixp[k]);
    const sciIdx = vals.map((_, k) => k).filter((k) => !fixp[k]);
    if (fixIdx.length) formatNumbers(fixIdx.map((k) => vals[k]), digits).forEach((s, j) => (rr[fixIdx[j]] = s));
    if (sciIdx.length) formatNumbers(sciIdx.map((k) => vals[k]), digits).forEach((s, j) => (rr[sciIdx[j]] = s));
    rest.forEach((i, k) => (out[i] = rr[k]));
  }
  if (is0.length > 0) {
    let d = Math.max(1, digits - 2);
    let sep: string;
    if (rest.length > 0) {
      const nc = Math.max(...rr.map((s) => s.length));
      if (d > 1 && d + 6 > nc) d = Math.max(1, nc - 7);
      sep = d === 1 && nc <= 6 ? '' : ' ';
    } else sep = d === 1 ? '' : ' ';
    const epsText = formatNumbers([eps], d)[0];
    for (const i of is0) out[i] = `<${sep}${epsText}`;
  }
  return out;
}

/** R's significance stars for one p-value ("***", "**", "*", ".", " "); "" for NA. */
export function stars(p: number | null): string {
  if (p === null || Number.isNaN(p)) return '';
  if (p <= 0.001) return '***';
  if (p <= 0.01) return '**';
  if (p <= 0.05) return '*';
  if (p <= 0.1) return '.';
  return ' ';
}

/** The legend printed under tables with stars. */
export const SIGNIF_LEGEND = "Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1";
