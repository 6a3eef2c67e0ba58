/**
 * Quantile functions for intervals (R's qt, qnorm), from the @stdlib packages. Apart from the
 * p-value functions in distributions.ts because their inverse incomplete beta/gamma code is large: a bundle
 * that never computes an interval (an lm-only app) does not include it.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** Quantile of the t distribution (R's qt). */
export function qt(p: number, df: number): number {
  return df === Infinity ? normalQuantile(p, 0, 1) : tQuantile(p, df);
}

/** Quantile of the standard normal distribution (R's qnorm). */
export function qnorm(p: number): number {
  return normalQuantile(p, 0, 1);
}
