/**
 * The deviance from the pieces of one penalized least-squares solve (Bates et al. 2015, section 3.6),
 * for the TypeScript side; the engine computes the optimizer's profiled objective itself.
 */
import type { DevianceParts } from '../wasm/mixed-engine.js';

/** Profiled ML deviance (eq. 34): ldL2 + n(1 + log(2π r²/n)), for a penalized RSS r². */
export function profiledDevianceML(ldL2: number, pwrss: number, n: number): number {
  return ldL2 + n * (1 + Math.log((2 * Math.PI * pwrss) / n));
}

/**
 * The deviance at a given σ with β at its conditional optimum (lme4's devfun2 in profile, lmerTest's
 * devfun_vp): ldL2 + r²/σ² + n log(2πσ²); by REML, plus ldRX2 − p log(2πσ²).
 */
export function devianceAtSigma(parts: DevianceParts, n: number, sigma: number, reml = false, p = 0): number {
  const s2 = sigma * sigma;
  const dev = parts.ldL2 + parts.pwrss / s2 + n * Math.log(2 * Math.PI * s2);
  return reml ? dev + parts.ldRX2 - p * Math.log(2 * Math.PI * s2) : dev;
}
