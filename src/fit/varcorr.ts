/**
 * VarCorr(m): the estimated variances, standard deviations and correlations of the random effects and
 * the residual. Its rows are lme4's as.data.frame(VarCorr(m)); it prints as print(VarCorr(m)).
 */
import { RResult } from '../result.js';
import { correlationAt } from '../linalg/symmetric.js';
import { formatVarCorr, type VarCorrTerm } from '../text/varcorr.js';
import { plainJSON } from '../text/plain-json.js';

/** One row of lme4's `as.data.frame(VarCorr(m))`. */
export interface VarCorrRow {
  /** Grouping factor ("Subject", "Subject.1" for a second term on it, "Residual"). */
  group: string;
  var1: string | null;
  var2: string | null;
  /** Variance or covariance. */
  vcov: number;
  /** Standard deviation or correlation. */
  sdcor: number;
}

/** One random-effects term's covariance: Σ (q×q, row-major) over the named columns. */
export interface TermCovariance {
  group: string;
  columns: readonly string[];
  covariance: ArrayLike<number>;
}

/** One term as the printed table shows it (standard deviations, correlations). */
function printedTerm({ group, columns, covariance: S }: TermCovariance): VarCorrTerm {
  const q = columns.length;
  const sd = Array.from({ length: q }, (_, i) => Math.sqrt(S[i * q + i]));
  const corr = q > 1 ? Array.from({ length: q }, (_, i) => Array.from({ length: q }, (_, j) => correlationAt(S, q, i, j))) : null;
  return { group, names: [...columns], sd, corr };
}

/** lme4's VarCorr(m). */
export class VarCorr extends RResult {
  /** as.data.frame(VarCorr(m)): variances first, then covariances, per term; the residual (if any) last. */
  readonly rows: readonly VarCorrRow[];
  /** Residual standard deviation σ; null for a GLMM family without one (binomial, Poisson: no residual row). */
  readonly sigma: number | null;
  /** Per term: group, column names, standard deviations and correlation matrix (null for one column). */
  readonly terms: readonly VarCorrTerm[];

  /** Built by `varCorr()` / `m.varCorr()` from the fitted model; not a public constructor. @internal */
  constructor(terms: readonly TermCovariance[], sigma: number | null) {
    super();
    const rows: VarCorrRow[] = [];
    for (const { group, columns, covariance: S } of terms) {
      const q = columns.length;
      for (let i = 0; i < q; i++) rows.push({ group, var1: columns[i], var2: null, vcov: S[i * q + i], sdcor: Math.sqrt(S[i * q + i]) });
      for (let i = 0; i < q; i++) {
        for (let j = i + 1; j < q; j++) {
          rows.push({ group, var1: columns[i], var2: columns[j], vcov: S[i * q + j], sdcor: correlationAt(S, q, i, j) });
        }
      }
    }
    if (sigma !== null) rows.push({ group: 'Residual', var1: null, var2: null, vcov: sigma * sigma, sdcor: sigma });
    this.rows = Object.freeze(rows.map((r) => Object.freeze(r)));
    this.sigma = sigma;
    this.terms = Object.freeze(terms.map(printedTerm));
    Object.freeze(this);
  }

  /** print(VarCorr(m)): standard deviations and correlations with digits 5, as lme4 prints them. */
  toString(): string {
    return formatVarCorr([...this.terms], this.sigma, 5, ['Std.Dev.']).join('\n');
  }

  toJSON(): unknown {
    return plainJSON({ rows: this.rows, sigma: this.sigma });
  }
}
