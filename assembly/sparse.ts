// The crossed block as a supernodal sparse Cholesky factor, for blocks whose factor is far from dense
// (src/wasm/sparse-layout.ts decides, from the symbolic analysis of src/linalg/supernodal-symbolic.ts).
// Columns are in a fill-reducing order with X and y last. Each supernode is one dense panel (its rows ×
// its columns, row-major): the diagonal block is factored and the rows below solved with the dense
// kernels, and the panel's rank update of the later columns, formed by the SIMD kernel a few columns at
// a time, is added into the panels that hold them (right-looking).
//
// Per evaluation: the panels are filled from Λ'A_DDΛ + I (kept as small level-pair blocks with each
// entry's place in the panels), minus the chain terms' Schur complements (each level's pairs of dense
// rows, with their places), then factored.

import { alloc, getF, getI, setF, setI } from './memory';
import { cholLowerColumns, dot, subtractABt } from './dense';
import { scaleBlock } from './small';
import { PACK_COLUMNS, subtractSyrkPacked } from './packed-kernels';
import { nChain, qDense, tf, T_P, T_NLEV, T_ROWPTR, T_ROWS, T_LD } from './model';

export let sparseOn: bool = false;

/** Switches the sparse factor off: a reused instance's next model is dense unless it calls defineSparse. */
export function sparseOff(): void {
  sparseOn = false;
}

let nCol: i32 = 0; // order of the block (nD)
let nSuper: i32 = 0;
let first: usize = 0; // i32[ns+1] first column of each supernode
let rowPtr: usize = 0; // i32[ns+1]
let rowIdx: usize = 0; // i32[...] each supernode's rows (ascending, its columns first)
let valOff: usize = 0; // i32[ns+1] first double of each panel in lx
let lx: usize = 0; // f64[panel doubles] the factor
let snodeOf: usize = 0; // i32[nD] supernode of each column
let perm: usize = 0; // i32[nD] place of each dense row (the chain terms' numbering) in the factor's order
let nBlocks: i32 = 0;
let blockTab: usize = 0; // i32[5 per block]: T of the rows, their count, T of the columns, their count, first entry
let aVals: usize = 0; // f64[entries] A_DD's level-pair blocks, row-major each
let aDst: usize = 0; // i32[entries] each entry's double in lx (−1: above the diagonal of a diagonal block)
let diagPos: usize = 0; // i32[qDense] the random-effects diagonal entries in lx (+ I)
let pairTab: usize = 0; // i32[nChain] per chain term: its levels' row pairs' places in lx
let relScratch: usize = 0; // i32[max rows below a supernode]
let updScratch: usize = 0; // f64[max rows below × UPDATE_COLUMNS]
let blockScratch: usize = 0; // f64[2 × largest block]
let xScratch: usize = 0; // f64[nD]
let packScratch: usize = 0; // f64[widest supernode × PACK_COLUMNS]

/** Columns of a panel's update formed at once (bounds the scratch to rows × this). */
export const UPDATE_COLUMNS: i32 = 64;

/** Registers the sparse layout (allocated and filled by src/wasm/sparse-layout.ts). */
export function defineSparse(
  n: i32, ns: i32, firstPtr: usize, rowPtrPtr: usize, rowsPtr: usize, valOffPtr: usize, lxPtr: usize, snodePtr: usize,
  permPtr: usize, blocks: i32, blockTabPtr: usize, aValsPtr: usize, aDstPtr: usize, diagPtr: usize, pairsPtr: usize,
  relPtr: usize, updPtr: usize, blockScratchPtr: usize, xPtr: usize,
): void {
  sparseOn = true;
  nCol = n;
  nSuper = ns;
  first = firstPtr;
  rowPtr = rowPtrPtr;
  rowIdx = rowsPtr;
  valOff = valOffPtr;
  lx = lxPtr;
  snodeOf = snodePtr;
  perm = permPtr;
  nBlocks = blocks;
  blockTab = blockTabPtr;
  aVals = aValsPtr;
  aDst = aDstPtr;
  diagPos = diagPtr;
  pairTab = pairsPtr;
  relScratch = relPtr;
  updScratch = updPtr;
  blockScratch = blockScratchPtr;
  xScratch = xPtr;
  let widest = 1;
  for (let s = 0; s < ns; s++) widest = max<i32>(widest, getI(firstPtr, s + 1) - getI(firstPtr, s));
  packScratch = alloc((<usize>widest * <usize>PACK_COLUMNS) << 3);
  for (let j = 0; j < nChain; j++) placeChainPairs(j);
}

/**
 * Fills chain term j's pair table (allocated by the host, `pairTab[j]`): the place in the panels of each
 * level's (a, b ≤ a) pair of dense rows, level after level, in the order subtractChainSchur reads them.
 * Here rather than in the host: the table is millions of entries (InstEval: 2.1M), which the host would
 * build in a fresh array and copy, and its run is once per model, when the host's code is still cold. A
 * level's rows, sorted by factor column, meet only a few supernodes: each row's position in a supernode's
 * row list is searched once per supernode it meets, not once per pair.
 */
function placeChainPairs(j: i32): void {
  const lj = tf(j, T_NLEV);
  const rp = <usize>tf(j, T_ROWPTR);
  const rows = <usize>tf(j, T_ROWS);
  const out = <usize>getI(pairTab, j);
  let maxK = 1;
  for (let c = 0; c < lj; c++) maxK = max<i32>(maxK, getI(rp, c + 1) - getI(rp, c));
  // col[m] ascending: the level's rows by factor column; idx[m] the row's index in the level's own list;
  // rel[m] the position of col[m] in the current supernode's row list
  const col = alloc((<usize>maxK) << 2);
  const idx = alloc((<usize>maxK) << 2);
  const rel = alloc((<usize>maxK) << 2);
  let base = 0;
  for (let c = 0; c < lj; c++) {
    const i0 = getI(rp, c);
    const k = getI(rp, c + 1) - i0;
    for (let m = 0; m < k; m++) {
      // insertion sort: the rows are sorted by dense row, their columns nearly so in the trailing part
      const f = getI(perm, getI(rows, i0 + m));
      let at = m - 1;
      for (; at >= 0 && getI(col, at) > f; at--) {
        setI(col, at + 1, getI(col, at));
        setI(idx, at + 1, getI(idx, at));
      }
      setI(col, at + 1, f);
      setI(idx, at + 1, m);
    }
    let s = -1;
    let w = 0;
    let sRow0 = 0;
    for (let b = 0; b < k; b++) {
      const jb = getI(col, b);
      if (getI(snodeOf, jb) != s) {
        // a new supernode: find the rows col[b..] in its row list (ascending, so one forward merge)
        s = getI(snodeOf, jb);
        w = getI(first, s + 1) - getI(first, s);
        sRow0 = getI(rowPtr, s);
        let q = sRow0 + (jb - getI(first, s));
        const q1 = getI(rowPtr, s + 1);
        for (let a = b; a < k; a++) {
          const target = getI(col, a);
          // galloping then binary search: the rows may skip far ahead in a long list
          let step = 1;
          let lo = q;
          while (lo + step < q1 && getI(rowIdx, lo + step) < target) {
            lo += step;
            step <<= 1;
          }
          let hi = min<i32>(q1, lo + step + 1);
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (getI(rowIdx, mid) < target) lo = mid + 1;
            else hi = mid;
          }
          q = lo;
          setI(rel, a, q - sRow0);
        }
      }
      const colOff = getI(valOff, s) + (jb - getI(first, s));
      const ib = getI(idx, b);
      for (let a = b; a < k; a++) {
        // the pair's larger and smaller index without a branch (which way round is random)
        const ia = getI(idx, a);
        const hiIdx = max<i32>(ia, ib);
        setI(out, base + ((hiIdx * (hiIdx + 1)) >> 1) + min<i32>(ia, ib), colOff + getI(rel, a) * w);
      }
    }
    base += (k * (k + 1)) >> 1;
  }
}

// @ts-ignore: decorator
@inline function panelAt(s: i32): usize {
  return lx + ((<usize>getI(valOff, s)) << 3);
}

/** Λ'A_DDΛ + I on the random-effects rows, into the zeroed panels. */
function fillFromA(): void {
  const tmp = blockScratch;
  let maxSize = 0;
  for (let b = 0; b < nBlocks; b++) {
    const pr = getI(blockTab, 5 * b + 1);
    const pc = getI(blockTab, 5 * b + 3);
    if (pr * pc > maxSize) maxSize = pr * pc;
  }
  const work = blockScratch + ((<usize>maxSize) << 3);
  for (let b = 0; b < nBlocks; b++) {
    const tr = <usize>getI(blockTab, 5 * b);
    const pr = getI(blockTab, 5 * b + 1);
    const tc = <usize>getI(blockTab, 5 * b + 2);
    const pc = getI(blockTab, 5 * b + 3);
    const off = getI(blockTab, 5 * b + 4);
    scaleBlock(tmp, aVals + ((<usize>off) << 3), tr, pr, tc, pc, work);
    for (let e = 0; e < pr * pc; e++) {
      const d = getI(aDst, off + e);
      if (d >= 0) setF(lx, d, getF(lx, d) + getF(tmp, e));
    }
  }
  for (let r = 0; r < qDense; r++) {
    const d = getI(diagPos, r);
    setF(lx, d, getF(lx, d) + 1.0);
  }
}

/** The chain terms' Schur complements: each level's V_c V_c' subtracted at its pairs' places. */
function subtractChainSchur(): void {
  for (let j = 0; j < nChain; j++) {
    const pj = tf(j, T_P);
    const lj = tf(j, T_NLEV);
    const rp = <usize>tf(j, T_ROWPTR);
    const ld = <usize>tf(j, T_LD);
    const pos = <usize>getI(pairTab, j);
    let t = 0;
    for (let c = 0; c < lj; c++) {
      const i0 = getI(rp, c);
      const i1 = getI(rp, c + 1);
      if (pj == 1) {
        for (let a = i0; a < i1; a++) {
          const x = getF(ld, a);
          for (let b = i0; b <= a; b++) {
            const d = getI(pos, t++);
            setF(lx, d, getF(lx, d) - x * getF(ld, b));
          }
        }
      } else {
        for (let a = i0; a < i1; a++) {
          const va = ld + ((<usize>(a * pj)) << 3);
          for (let b = i0; b <= a; b++) {
            const d = getI(pos, t++);
            setF(lx, d, getF(lx, d) - dot(va, ld + ((<usize>(b * pj)) << 3), pj));
          }
        }
      }
    }
  }
}

/**
 * Factors the panels in place. Returns 0, or 1 + the first column (factor order) whose pivot is not positive.
 */
function factorPanels(): i32 {
  for (let s = 0; s < nSuper; s++) {
    const f = getI(first, s);
    const w = getI(first, s + 1) - f;
    const r0 = getI(rowPtr, s);
    const m = getI(rowPtr, s + 1) - r0;
    const panel = panelAt(s);
    const status = factorPanel(panel, m, w);
    if (status != 0) return f + status;
    if (m > w) updateAncestors(s, w, m, panel, rowIdx + ((<usize>r0) << 2));
  }
  return 0;
}

/** Columns of the panel factored per step (the diagonal block's order), as the dense Cholesky's. */
const PANEL_STEP: i32 = 64;
/** Columns solved together in the rows below a diagonal block: the earlier ones enter as one SIMD product. */
const SOLVE_STEP: i32 = 8;

/**
 * The supernode's panel (m rows × w columns, row-major) factored in place: a blocked right-looking
 * Cholesky of its columns in steps of PANEL_STEP, where each step's diagonal block is factored by the dense
 * kernel, the rows below it solved (row ← row L_kk^{-T}) by solveBelow, and the later columns updated by the
 * SIMD rank update. Returns 0, or 1 + the first column whose pivot is not positive.
 */
function factorPanel(panel: usize, m: i32, w: i32): i32 {
  for (let k0 = 0; k0 < w; k0 += PANEL_STEP) {
    const kb = min<i32>(PANEL_STEP, w - k0);
    const block = panel + ((<usize>k0 * <usize>w + <usize>k0) << 3);
    const status = cholLowerColumns(block, kb, kb, w);
    if (status != 0) return k0 + status;
    const nr = m - k0 - kb;
    if (nr == 0) break;
    const below = block + ((<usize>kb * <usize>w) << 3);
    solveBelow(block, below, w, kb, nr);
    if (k0 + kb < w) subtractSyrkPacked(below + ((<usize>kb) << 3), w, below, w, kb, nr, w - k0 - kb, packScratch);
  }
  return 0;
}

/**
 * B ← B L⁻ᵀ for the nr rows of B (stride ld) against the kb×kb lower factor L (stride ld): per step of
 * SOLVE_STEP columns, the columns already solved are subtracted as one product (B[:, J] −= B[:, <J] L[J, <J]'),
 * then the step's own triangle by substitution.
 */
function solveBelow(l: usize, b: usize, ld: i32, kb: i32, nr: i32): void {
  const stride = (<usize>ld) << 3;
  for (let j0 = 0; j0 < kb; j0 += SOLVE_STEP) {
    const j1 = min<i32>(kb, j0 + SOLVE_STEP);
    if (j0 > 0) subtractABt(b + ((<usize>j0) << 3), ld, b, ld, l + <usize>j0 * stride, ld, j0, nr, j1 - j0, false);
    for (let i = 0; i < nr; i++) {
      const bi = b + <usize>i * stride;
      for (let j = j0; j < j1; j++) {
        const lj = l + <usize>j * stride;
        setF(bi, j, (getF(bi, j) - dot(bi + ((<usize>j0) << 3), lj + ((<usize>j0) << 3), j - j0)) / getF(lj, j));
      }
    }
  }
}

/**
 * Adds −W W' (W = the panel's rows below its diagonal block) into the panels of the later columns, a
 * target supernode at a time: the rows of W from that supernode's first column down are all among its
 * rows, so their places there are found once by merging the two sorted lists.
 */
function updateAncestors(s: i32, w: i32, m: i32, panel: usize, rows: usize): void {
  const nb = m - w;
  const below = panel + ((<usize>w * <usize>w) << 3);
  const rel = relScratch;
  const upd = updScratch;
  let b0 = 0;
  while (b0 < nb) {
    const col = getI(rows, w + b0);
    const t = getI(snodeOf, col);
    const ft = getI(first, t);
    const lt = getI(first, t + 1);
    const wt = lt - ft;
    let b1 = b0 + 1;
    while (b1 < nb && getI(rows, w + b1) < lt) b1++;
    const rt = rowIdx + ((<usize>getI(rowPtr, t)) << 2);
    let q = col - ft; // the target's own columns lead its rows
    for (let a = b0; a < nb; a++) {
      const target = getI(rows, w + a);
      while (getI(rt, q) != target) q++;
      store<i32>(rel + ((<usize>a) << 2), q);
    }
    const pt = panelAt(t);
    for (let c0 = b0; c0 < b1; c0 += UPDATE_COLUMNS) {
      const cw = min<i32>(UPDATE_COLUMNS, b1 - c0);
      const nr = nb - c0;
      memory.fill(upd, 0, (<usize>nr * <usize>cw) << 3);
      subtractSyrkPacked(upd, cw, below + ((<usize>c0 * <usize>w) << 3), w, w, nr, cw, packScratch);
      for (let jj = 0; jj < cw; jj++) {
        const lc = getI(rows, w + c0 + jj) - ft;
        for (let i = jj; i < nr; i++) {
          const dst = pt + ((<usize>getI(rel, c0 + i) * <usize>wt + <usize>lc) << 3);
          store<f64>(dst, load<f64>(dst) + getF(upd, i * cw + jj));
        }
      }
    }
    b0 = b1;
  }
}

/** Fills and factors the sparse block. Returns 0 or 1 + the failing column as `factorize` expects. */
export function sparseFactor(): i32 {
  memory.fill(lx, 0, (<usize>getI(valOff, nSuper)) << 3);
  fillFromA();
  subtractChainSchur();
  return factorPanels();
}

/** L[j][j] for column j of the factor's order (X and y keep their places at the end). */
export function sparseDiagonal(j: i32): f64 {
  const s = getI(snodeOf, j);
  const f = getI(first, s);
  const w = getI(first, s + 1) - f;
  return getF(panelAt(s), (j - f) * w + (j - f));
}

/** L[i][j] (factor order, i ≥ j); 0 outside the structure. */
export function sparseEntry(i: i32, j: i32): f64 {
  const s = getI(snodeOf, j);
  const f = getI(first, s);
  const w = getI(first, s + 1) - f;
  const r0 = getI(rowPtr, s);
  const r1 = getI(rowPtr, s + 1);
  for (let a = r0; a < r1; a++) {
    if (getI(rowIdx, a) == i) return getF(panelAt(s), (a - r0) * w + (j - f));
  }
  return 0.0;
}

/**
 * Solves L_D' x = c (c = the y row of the factor) and writes x in the chain terms' numbering of the dense
 * rows to `out` (nD − 1 doubles): the dense terms' u, then β.
 */
export function sparseSolveDense(out: usize): void {
  const ny = nCol - 1;
  const x = xScratch;
  for (let s = 0; s < nSuper; s++) {
    const f = getI(first, s);
    const l = getI(first, s + 1);
    const w = l - f;
    const r0 = getI(rowPtr, s);
    const m = getI(rowPtr, s + 1) - r0;
    const panel = panelAt(s);
    const yRow = getI(rowIdx, r0 + m - 1) == ny ? m - 1 : -1;
    for (let j = f; j < l; j++) setF(x, j, yRow >= 0 ? getF(panel, yRow * w + (j - f)) : 0.0);
  }
  for (let s = nSuper - 1; s >= 0; s--) {
    const f = getI(first, s);
    const w = getI(first, s + 1) - f;
    const r0 = getI(rowPtr, s);
    const m = getI(rowPtr, s + 1) - r0;
    const panel = panelAt(s);
    for (let jl = w - 1; jl >= 0; jl--) {
      const j = f + jl;
      if (j == ny) continue;
      let sum = getF(x, j);
      for (let a = jl + 1; a < m; a++) {
        const r = getI(rowIdx, r0 + a);
        if (r == ny) continue;
        sum -= getF(panel, a * w + jl) * getF(x, r);
      }
      setF(x, j, sum / getF(panel, jl * w + jl));
    }
  }
  for (let r = 0; r < ny; r++) setF(out, r, getF(x, getI(perm, r)));
}
