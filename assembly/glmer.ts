// The glmer engine's exports (build/engine-glmer.wasm): the lmer engine's (assembly/index.ts) and glmer's
// kernels (PIRLS, the glm families). A superset, compiled from the same sources, so one glmer instance serves
// any fit and the lmer parts compute the same bits in either binary. glmer-only exports belong here, not in
// index.ts, which every lm/lmer page downloads. Only src/wasm/ calls these (it owns the memory layout).
export * from './index';
export {
  definePirls, weightRows, computeEta, defineGlm, pirlsStart, pirlsRun, pirlsMapLength, pirlsCacheLength,
  pirlsLaplace, pirlsPdev, pirlsLdL2, pirlsSqrL, pirlsSteps,
  PIRLS_OK, PIRLS_NOT_PD, PIRLS_SINGULAR_X, PIRLS_NAN, PIRLS_HALVING_FAILED, PIRLS_MAXIT,
} from './pirls';
export {
  FAMILY_BINOMIAL, FAMILY_POISSON,
  LINK_LOGIT, LINK_PROBIT, LINK_CLOGLOG, LINK_CAUCHIT, LINK_LOG, LINK_SQRT, LINK_IDENTITY,
} from './glm-family';
export { laplaceGradient } from './laplace-gradient';
