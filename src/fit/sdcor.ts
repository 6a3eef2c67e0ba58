/**
 * The covariance parameters on lme4's profile scale ("sdcor"): per random-effects term the standard
 * deviations and correlations of Σ = σ² T T' (T the term's relative covariance factor, θ column by column),
 * and back (lme4's Cv_to_Sv / Sv_to_Cv). Profiles of lmer and glmer fits move one of these at a time.
 */
import { correlationAt } from '../linalg/symmetric.js';
import type { ThetaBlock } from './theta.js';

/** The sd/cor values in θ's order, with lme4's names and profile bounds. */
export interface SdCor {
  values: number[];
  /** sd_(Intercept)|Subject, cor_Days.(Intercept)|Subject (lme4's oldNames = FALSE). */
  names: string[];
  lower: number[];
  upper: number[];
  /** Which entries are correlations. */
  isCor: boolean[];
}

/** Standard deviations and correlations of every term's Σ = σ² T T' at θ. */
export function sdCorOf(blocks: readonly ThetaBlock[], theta: ArrayLike<number>, sigma: number): SdCor {
  const out: SdCor = { values: [], names: [], lower: [], upper: [], isCor: [] };
  let at = 0;
  for (const { group, columns } of blocks) {
    const p = columns.length;
    const T = new Float64Array(p * p);
    for (let c = 0; c < p; c++) for (let r = c; r < p; r++) T[r * p + c] = theta[at++];
    const S = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += T[i * p + k] * T[j * p + k];
        S[i * p + j] = s * sigma * sigma;
      }
    }
    for (let c = 0; c < p; c++) {
      for (let r = c; r < p; r++) {
        const cor = r !== c;
        out.values.push(cor ? correlationAt(S, p, r, c) : Math.sqrt(S[r * p + r]));
        out.names.push(cor ? `cor_${columns[r]}.${columns[c]}|${group}` : `sd_${columns[r]}|${group}`);
        out.lower.push(cor ? -1 : 0);
        out.upper.push(cor ? 1 : Infinity);
        out.isCor.push(cor);
      }
    }
  }
  return out;
}

/**
 * θ from sd/cor values (`sdcor`, θ's order) and σ: T = chol(D R D) / σ per term. Null when a correlation
 * matrix is not positive semi-definite.
 */
export function thetaFromSdCor(blocks: readonly ThetaBlock[], sdcor: ArrayLike<number>, sigma: number): Float64Array | null {
  const theta: number[] = [];
  let at = 0;
  for (const { columns } of blocks) {
    const p = columns.length;
    const sd = new Array<number>(p).fill(0);
    const R: number[][] = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (__, j) => (i === j ? 1 : 0)));
    for (let c = 0; c < p; c++) {
      for (let r = c; r < p; r++) {
        if (r === c) sd[r] = sdcor[at++];
        else R[r][c] = R[c][r] = sdcor[at++];
      }
    }
    // lower Cholesky factor column by column (a zero pivot leaves the rest of its column 0)
    const L = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < p; i++) {
      for (let j = 0; j <= i; j++) {
        let s = sd[i] * sd[j] * R[i][j];
        for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
        if (i === j) {
          if (s < -1e-12 * Math.max(1, sd[i] * sd[i])) return null;
          L[i][i] = Math.sqrt(Math.max(0, s));
        } else L[i][j] = L[j][j] > 0 ? s / L[j][j] : 0;
      }
    }
    for (let c = 0; c < p; c++) for (let r = c; r < p; r++) theta.push(L[r][c] / sigma);
  }
  return Float64Array.from(theta);
}
