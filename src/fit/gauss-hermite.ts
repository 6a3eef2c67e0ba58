/**
 * Gauss–Hermite rules for the standard normal (lme4's GHrule): nodes z and weights w with
 * Σ w f(z) ≈ E f(Z), Z ~ N(0, 1), from the eigen-decomposition of the Jacobi matrix of the
 * probabilists' Hermite polynomials (Golub & Welsch 1969), symmetrized as lme4 does, plus log φ(z).
 */
import { symmetricEigen } from '../linalg/eigen.js';
import { log } from '../stats/portable-math.js';

/** One rule: nodes in increasing order, weights summing to 1, log standard-normal density at each node. */
export interface GaussHermiteRule {
  z: Float64Array;
  w: Float64Array;
  ldnorm: Float64Array;
}

/** The rule with `order` points (1 ≤ order ≤ 100). */
export function gaussHermite(order: number): GaussHermiteRule {
  const n = order;
  const J = new Float64Array(n * n);
  for (let k = 1; k < n; k++) J[k * n + k - 1] = J[(k - 1) * n + k] = Math.sqrt(k);
  const { values, vectors } = symmetricEigen(J, n);
  // eigenvalues come in decreasing order: reverse to increasing
  const z0 = new Float64Array(n);
  const w0 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = n - 1 - k;
    z0[k] = values[col];
    w0[k] = vectors[col] * vectors[col]; // first component of the unit eigenvector, squared
  }
  let sum = 0;
  for (let k = 0; k < n; k++) sum += w0[k];
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const ldnorm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    z[k] = (z0[k] - z0[n - 1 - k]) / 2;
    w[k] = (w0[k] + w0[n - 1 - k]) / (2 * sum);
    ldnorm[k] = -0.5 * z[k] * z[k] - 0.5 * log(2 * Math.PI);
  }
  return { z, w, ldnorm };
}
