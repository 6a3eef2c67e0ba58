// The blocked layout of one mixed model, as written by the TypeScript boundary (src/wasm/mixed-engine.ts).
//
// Random-effects terms come in lme4's order (most levels first). Terms 0..s-1 form a nesting chain
// (term j-1 nested in term j): their diagonal blocks of L stay block diagonal (one p_j×p_j block per
// level), the block L[i][j] between two chain terms has one p_i×p_j block per level of j (its parent
// level in i), and the rows below the chain ("dense part": the other terms, then X, then y) are kept
// per level as a sorted list of dense row indices. Everything else is one dense symmetric matrix D of
// order nD = qDense + p + 1 (the remaining terms' columns, X's columns, y), Cholesky-factored in place.
// See ../src/wasm/mixed-engine.ts for the memory layout and the ENGINE note in the README.

import { getI, setF } from './memory';

// Fields of the per-term table (i32 each), exported so the TypeScript side reads the same numbers.
export const T_NLEV: i32 = 0; // number of levels ℓ
export const T_P: i32 = 1; // columns per level p (e.g. 2 for (1 + x | g))
export const T_DOFF: i32 = 2; // first row in D (dense terms) or -1 (chain terms)
export const T_UOFF: i32 = 3; // first position in u / b (all terms)
export const T_CODES: i32 = 4; // i32[n] level of each observation
export const T_Z: i32 = 5; // f64[n·p] the term's model matrix, row by row
export const T_LAMBDA: i32 = 6; // f64[p·p] T (lower) of Λ = I ⊗ T, row-major
export const T_ADIAG: i32 = 7; // chain: f64[ℓ·p·p] Z_j'Z_j blocks
export const T_LDIAG: i32 = 8; // chain: f64[ℓ·p·p] L_jj blocks
export const T_ROWPTR: i32 = 9; // chain: i32[ℓ+1] start of each level's dense rows
export const T_ROWS: i32 = 10; // chain: i32[nnz] dense row indices, sorted per level
export const T_AD: i32 = 11; // chain: f64[nnz·p] rows of [Z_dense X y]'Z_j per level
export const T_LD: i32 = 12; // chain: f64[nnz·p] the same rows of L
export const T_PERM: i32 = 13; // chain: i32[n] observations sorted by level
export const T_LEVSTART: i32 = 14; // chain: i32[ℓ+1] start of each level in T_PERM
export const T_WIDE: i32 = 15; // chain: f64[nD·ℓ·p] T_LD spread over all dense rows (0: kept sparse)
export const T_NGROUP: i32 = 16; // chain: number of groups of levels with identical dense rows
export const T_GSTART: i32 = 17; // chain: i32[groups+1] start of each group in T_GORDER
export const T_GORDER: i32 = 18; // chain: i32[…] the grouped levels, group after group
export const T_GW: i32 = 19; // chain: i32[groups] each group's W (padded rows × levels·p, row-major)
export const T_GDST: i32 = 20; // chain: i32[ℓ] address of the level's first entry in its group's W, 0 if none
export const T_GSTRIDE: i32 = 21; // chain: i32[ℓ] row stride of that W (the group's levels·p)
export const TERM_FIELDS: i32 = 22;

// Fields of the table for chain pairs i > j (i32 each), at index (i·s + j)·PAIR_FIELDS.
export const P_PAR: i32 = 0; // i32[ℓ_j] level of term i containing each level of term j
export const P_APAR: i32 = 1; // f64[ℓ_j·p_i·p_j] Z_i'Z_j blocks
export const P_LPAR: i32 = 2; // f64[ℓ_j·p_i·p_j] L_ij blocks
export const P_CHSTART: i32 = 3; // i32[ℓ_i+1] start of each level's children in P_CHILD
export const P_CHILD: i32 = 4; // i32[ℓ_j] levels of j grouped by parent level in i
export const P_SAME: i32 = 5; // 1 when i and j have the same grouping (the terms of '||'): level c's child is c, same dense rows
export const PAIR_FIELDS: i32 = 6;

export let nObs: i32 = 0;
export let nFixed: i32 = 0; // p, columns of X
export let nTerms: i32 = 0; // k
export let nChain: i32 = 0; // s
export let nDense: i32 = 0; // nD = qDense + p + 1
export let qDense: i32 = 0; // Z columns in the dense part
export let termTab: usize = 0;
export let pairTab: usize = 0;
export let xPtr: usize = 0; // f64[n·p] X, column-major
export let yPtr: usize = 0; // f64[n]
export let addPtr: usize = 0; // f64[nD·nD] [Z_dense X y]'[Z_dense X y], full symmetric, row-major
export let dPtr: usize = 0; // f64[nD·nD] its scaled and updated copy, factored in place (lower)
export let denseTermPtr: usize = 0; // i32[qDense] term owning each dense Z row
export let posPtr: usize = 0; // i32[nD] scratch: dense row → position in the current level's list
export let scratchPtr: usize = 0; // f64 scratch for small block products (≥ 4·maxP² + nD)
export let rowScalePtr: usize = 0; // f64[nD] T of the (scalar) dense term owning each row (per evaluation), 1 for X, y
export let groupScratchPtr: usize = 0; // f64 scratch for a level group's W W' (src/wasm/level-patterns.ts)
export let scalarDense: bool = false; // every dense term has one column per level (rowScalePtr is then used)

/** Registers the layout; every pointer was allocated by `alloc` and filled by the TypeScript side. */
export function defineModel(
  n: i32, p: i32, k: i32, s: i32, nD: i32,
  terms: usize, pairs: usize, x: usize, y: usize,
  aDD: usize, d: usize, denseTerm: usize, pos: usize, scratch: usize, groupScratch: usize, rowScale: usize,
): void {
  nObs = n;
  nFixed = p;
  nTerms = k;
  nChain = s;
  nDense = nD;
  qDense = nD - p - 1;
  termTab = terms;
  pairTab = pairs;
  xPtr = x;
  yPtr = y;
  addPtr = aDD;
  dPtr = d;
  denseTermPtr = denseTerm;
  posPtr = pos;
  scratchPtr = scratch;
  groupScratchPtr = groupScratch;
  rowScalePtr = rowScale;
  scalarDense = true;
  for (let t = s; t < k; t++) if (tf(t, T_P) != 1) scalarDense = false;
  for (let r = qDense; r < nD; r++) setF(rowScalePtr, r, 1.0); // X's and y's rows are never scaled
}

/** Field f of term t. */
// @ts-ignore: decorator
@inline export function tf(t: i32, f: i32): i32 {
  return getI(termTab, t * TERM_FIELDS + f);
}

/** Field f of chain pair (i, j), i > j. */
// @ts-ignore: decorator
@inline export function pf(i: i32, j: i32, f: i32): i32 {
  return getI(pairTab, (i * nChain + j) * PAIR_FIELDS + f);
}
