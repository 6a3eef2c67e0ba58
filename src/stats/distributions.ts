/**
 * Distribution functions for tests and intervals, from the @stdlib packages (accurate to a few ulps in
 * both tails). Upper tails are computed directly from the regularized incomplete beta / gamma functions,
 * never as 1 − cdf, so tiny p-values keep their digits (R's pt/pf/pchisq with lower.tail = FALSE).
 * The quantiles live in quantiles.ts, so that a bundle that only tests (lm) leaves their inverse functions out.
 */
import betainc from '@stdlib/math-base-special-betainc';
import gammainc from '@stdlib/math-base-special-gammainc';

/** Two-sided p-value of a t statistic with `df` degrees of freedom: P(|T| ≥ |t|). */
export function pTwoSidedT(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return NaN;
  if (!Number.isFinite(t)) return 0;
  if (df === Infinity) return 2 * normalUpper(Math.abs(t));
  // P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2)
  return betainc(df / (df + t * t), df / 2, 0.5, true, false);
}

/** Upper tail of the F distribution: P(F ≥ f) with (df1, df2) degrees of freedom. */
export function pUpperF(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f <= 0) return 1;
  if (!Number.isFinite(f)) return 0;
  if (df2 === Infinity) return pUpperChisq(f * df1, df1);
  // P(F ≥ f) = I_{df2/(df2 + df1 f)}(df2/2, df1/2)
  return betainc(df2 / (df2 + df1 * f), df2 / 2, df1 / 2, true, false);
}

/** Upper tail of the chi-squared distribution: P(X ≥ x) with `df` degrees of freedom. */
export function pUpperChisq(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return gammainc(x / 2, df / 2, true, true);
}

/** Upper tail of the standard normal distribution. */
export function normalUpper(z: number): number {
  // Φ(−z) = Q(1/2, z²/2)/2 for z ≥ 0
  if (z < 0) return 1 - normalUpper(-z);
  return 0.5 * gammainc((z * z) / 2, 0.5, true, true);
}
