/**
 * The inverse of a symmetric positive-definite matrix from its lower Cholesky factor, as the fixed-effects
 * covariance (R_X'R_X)⁻¹ needs it in the fit, in Satterthwaite's df and in profiles.
 */

/** (R_X'R_X)⁻¹ from R_X' (lower, row-major): invert L then form L⁻ᵀL⁻¹. */
export function inverseFromLowerFactor(L: Float64Array, p: number): Float64Array {
  const inv = new Float64Array(p * p); // L⁻¹, lower
  for (let c = 0; c < p; c++) {
    inv[c * p + c] = 1 / L[c * p + c];
    for (let r = c + 1; r < p; r++) {
      let s = 0;
      for (let k = c; k < r; k++) s += L[r * p + k] * inv[k * p + c];
      inv[r * p + c] = -s / L[r * p + r];
    }
  }
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let k = a; k < p; k++) s += inv[k * p + a] * inv[k * p + b];
      out[a * p + b] = s;
      out[b * p + a] = s;
    }
  }
  return out;
}
