// The WebAssembly engine's exports. Only src/wasm/ calls these (it owns the memory layout).
export { alloc, resetHeap } from './memory';
export { setSimd, cholLower } from './dense';
export { qrDecompose, qrQty, qrSolveR } from './qr';
export {
  defineModel,
  T_NLEV, T_P, T_DOFF, T_UOFF, T_CODES, T_Z, T_LAMBDA, T_ADIAG, T_LDIAG, T_ROWPTR, T_ROWS, T_AD, T_LD,
  T_PERM, T_LEVSTART, T_WIDE, T_NGROUP, T_GSTART, T_GORDER, T_GW, T_GDST, T_GSTRIDE, TERM_FIELDS, P_PAR, P_APAR, P_LPAR, P_CHSTART, P_CHILD, P_SAME, PAIR_FIELDS,
} from './model';
export { setupChainTerm, setupDense } from './setup';
export { crossProducts, shiftResponse } from './response-offset';
export { factorize, profiledDeviance, ldL2, ldRX2, pwrss } from './factor';
export { solveBetaU, computeB, computeFitted } from './solve';
export {
  definePirls, weightRows, computeEta, defineGlm, pirlsStart, pirlsRun, pirlsMapLength,
  pirlsLaplace, pirlsPdev, pirlsLdL2, pirlsSqrL, pirlsSteps,
  PIRLS_OK, PIRLS_NOT_PD, PIRLS_SINGULAR_X, PIRLS_NAN, PIRLS_HALVING_FAILED, PIRLS_MAXIT,
} from './pirls';
export {
  FAMILY_BINOMIAL, FAMILY_POISSON,
  LINK_LOGIT, LINK_PROBIT, LINK_CLOGLOG, LINK_CAUCHIT, LINK_LOG, LINK_SQRT, LINK_IDENTITY,
} from './glm-family';
export { gradientParts, sparseTrace } from './gradient';
export { defineSparse, sparseEntry, sparseOff, UPDATE_COLUMNS } from './sparse';
export { PACK_COLUMNS } from './packed-kernels';
export { selectedInverse } from './selected-inverse';
export { chainInverse } from './chain-inverse';
export { minimumDegree } from './min-degree';
export { startVariances } from './r-moments';

// glmer-only (round 7, gstep2): the PIRLS first-step cache's length
export { pirlsCacheLength } from './pirls';
