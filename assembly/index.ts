// The lmer engine's exports (build/engine.wasm): everything lm and lmer need, nothing of glmer (no PIRLS, no
// glm families), so the browser's lm/lmer pages load no glmer code. The glmer engine (assembly/glmer.ts) is a
// superset built from the same sources. Only src/wasm/ calls these (it owns the memory layout).
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
export { gradientParts, sparseTrace } from './gradient';
export { defineSparse, sparseEntry, sparseOff, UPDATE_COLUMNS } from './sparse';
export { PACK_COLUMNS } from './packed-kernels';
export { selectedInverse } from './selected-inverse';
export { chainInverse, chainInverseTrace } from './chain-inverse';
export { minimumDegree, patternShare } from './min-degree';
export { startVariances } from './r-moments';
