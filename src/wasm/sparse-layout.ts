/**
 * The crossed block as a supernodal sparse factor (assembly/sparse.ts): a fill-reducing order of its
 * levels, the symbolic analysis, and the places in the factor's panels of everything added into it per
 * evaluation (Λ'A_DDΛ's entries, the identity, the chain terms' Schur complements). Built once per model;
 * the engine uses it when the factor is far from dense (see chooseSparse in mixed-engine.ts).
 */
import { levelOrder } from './sparse-order.js';
import { supernodalStructure, type FlatCliques, type SupernodalStructure } from '../linalg/supernodal-symbolic.js';

/** What the layout needs from the model (the crossed block's numbering: dense terms' rows, then X, then y). */
export interface SparseBlockInput {
  readonly n: number;
  readonly p: number;
  /** Rows of the dense random-effects columns (qD), then p for X and one for y. */
  readonly qD: number;
  /** The dense terms: first row in the block, columns per level, levels, codes and model matrix. */
  readonly denseTerms: readonly { doff: number; p: number; nlev: number; codes: Int32Array; z: Float64Array }[];
  /** The chain terms' levels' dense rows (CSR, ascending per level; X and y included). */
  readonly chainRowPtr: readonly Int32Array[];
  readonly chainRows: readonly Int32Array[];
}

/** The symbolic result and its cost, before any numbers are placed. */
export interface SparsePlan {
  /** perm[r] = column of dense row r in the factor's order. */
  readonly perm: Int32Array;
  readonly structure: SupernodalStructure;
  /** Multiply-adds of the sparse factorization and of the dense one of the same order. */
  readonly sparseFlops: number;
  readonly denseFlops: number;
  /** Entries of the chain terms' Schur complements (one place each). */
  readonly schurPairs: number;
}

/**
 * Share of the block (by columns², X and y left out) above which the dense factor is taken without ordering
 * the block: the factor is at least as full as the chain levels' cliques, and minimum degree on a nearly
 * dense graph costs about order³ operations (assembly/min-degree.ts patternShare counts it).
 */
const DENSE_PATTERN_SHARE = 0.5;
/** Visits the share's count may spend (InstEval's block: 3.6M). */
const PATTERN_BUDGET = 5e7;

/**
 * The fill-reducing order and the symbolic analysis of the block (no numbers). With `denseShortcut`,
 * null when the block's own pattern is already more than half full (the dense factor is then the tool).
 */
export function planSparse(input: SparseBlockInput, denseShortcut = false): SparsePlan | null {
  const { p, qD, denseTerms } = input;
  const nD = qD + p + 1;
  // nodes: one per level of a dense term, weighted by its columns
  const nodeOfRow = new Int32Array(qD);
  let nNodes = 0;
  for (const t of denseTerms) nNodes += t.nlev;
  const weights = new Int32Array(nNodes);
  const nodeFirstRow = new Int32Array(nNodes);
  let node = 0;
  for (const t of denseTerms) {
    for (let g = 0; g < t.nlev; g++, node++) {
      const r0 = t.doff + g * t.p;
      nodeOfRow.fill(node, r0, r0 + t.p);
      nodeFirstRow[node] = r0;
      weights[node] = t.p;
    }
  }
  // each chain level's clique of nodes, level after level (at most its rows: a node's columns are adjacent)
  let nCliques = 0;
  let bound = 0;
  input.chainRowPtr.forEach((ptr, j) => {
    nCliques += ptr.length - 1;
    bound += input.chainRows[j].length;
  });
  const cliqueStart = new Int32Array(nCliques + 1);
  const cliqueNodes = new Int32Array(bound);
  let schurPairs = 0;
  let e = 0;
  let at = 0;
  input.chainRowPtr.forEach((ptr, j) => {
    const rows = input.chainRows[j];
    for (let c = 0; c + 1 < ptr.length; c++, e++) {
      const k = ptr[c + 1] - ptr[c];
      schurPairs += (k * (k + 1)) / 2;
      const first = at;
      for (let i = ptr[c]; i < ptr[c + 1]; i++) {
        const r = rows[i];
        if (r >= qD) break; // X and y: always last, never ordered
        const nd = nodeOfRow[r];
        if (at === first || cliqueNodes[at - 1] !== nd) cliqueNodes[at++] = nd;
      }
      cliqueStart[e + 1] = at;
    }
  });
  const nodeCliques: FlatCliques = { start: cliqueStart, members: cliqueNodes.subarray(0, at) };
  const nodeOrder = levelOrder(nNodes, weights, nodeCliques, denseShortcut ? { share: DENSE_PATTERN_SHARE, budget: PATTERN_BUDGET } : null);
  if (!nodeOrder) return null;
  // the columns in that order, X and y last
  const amdPos = new Int32Array(nD);
  at = 0;
  for (const node of nodeOrder) {
    const r0 = nodeFirstRow[node];
    for (let a = 0; a < weights[node]; a++) amdPos[r0 + a] = at++;
  }
  for (let r = qD; r < nD; r++) amdPos[r] = at++;
  // the chain levels' cliques of columns in that order (X and y included), level after level
  const factorStart = new Int32Array(nCliques + 1);
  const factorMembers = new Int32Array(bound);
  e = 0;
  at = 0;
  input.chainRowPtr.forEach((ptr, j) => {
    const rows = input.chainRows[j];
    for (let c = 0; c + 1 < ptr.length; c++, e++) {
      for (let i = ptr[c]; i < ptr[c + 1]; i++) factorMembers[at++] = amdPos[rows[i]];
      factorStart[e + 1] = at;
    }
  });
  const structure = supernodalStructure(nD, { start: factorStart, members: factorMembers });
  const perm = new Int32Array(nD);
  const fromAmd = new Int32Array(nD);
  for (let r = 0; r < nD; r++) fromAmd[amdPos[r]] = r;
  for (let k = 0; k < nD; k++) perm[fromAmd[structure.order[k]]] = k;
  let denseFlops = 0;
  for (let j = 0; j < nD; j++) denseFlops += ((nD - j) * (nD - j)) / 2;
  return { perm, structure, sparseFlops: structure.flops, denseFlops, schurPairs };
}

/**
 * Everything the engine copies into its instance for the sparse path, but the chain levels' pair places
 * (the engine finds those itself: assembly/sparse.ts placeChainPairs).
 */
export interface SparseLayout {
  readonly plan: SparsePlan;
  /** First double of each supernode's panel (length supernodes + 1; the last is the total). */
  readonly valOff: Int32Array;
  /** A_DD as level-pair blocks: group of the rows and of the columns (a dense level, or X and y together). */
  readonly blockRowGroup: Int32Array;
  readonly blockColGroup: Int32Array;
  readonly blockStart: Int32Array;
  readonly aVals: Float64Array;
  readonly aDst: Int32Array;
  readonly diagPos: Int32Array;
  /** Columns of each group and its term (−1: the X and y group). */
  readonly groupSize: Int32Array;
  readonly groupTerm: Int32Array;
  /** Largest number of rows below a supernode's columns, and largest block (rows × columns). */
  readonly maxBelow: number;
  readonly maxBlock: number;
}

/**
 * Places A_DD (accumulated here from the observations, y already shifted by its least-squares fit) and
 * the Schur pairs in the panels of a plan.
 */
export function layoutSparse(input: SparseBlockInput, plan: SparsePlan, X: Float64Array, y: Float64Array): SparseLayout {
  const { p, qD, denseTerms } = input;
  const { perm, structure: st } = plan;
  const ns = st.first.length - 1;
  const valOff = new Int32Array(ns + 1);
  let maxBelow = 0;
  for (let s = 0; s < ns; s++) {
    const w = st.first[s + 1] - st.first[s];
    const m = st.rowPtr[s + 1] - st.rowPtr[s];
    valOff[s + 1] = valOff[s] + m * w;
    maxBelow = Math.max(maxBelow, m - w);
  }

  // groups: each dense level, then X and y together
  let nG = 1;
  for (const t of denseTerms) nG += t.nlev;
  const groupSize = new Int32Array(nG);
  const groupTerm = new Int32Array(nG);
  const groupRow = new Int32Array(nG);
  const termGroup0 = new Int32Array(denseTerms.length);
  let g0 = 0;
  denseTerms.forEach((t, ti) => {
    termGroup0[ti] = g0;
    for (let g = 0; g < t.nlev; g++, g0++) {
      groupSize[g0] = t.p;
      groupTerm[g0] = ti;
      groupRow[g0] = t.doff + g * t.p;
    }
  });
  groupSize[g0] = p + 1;
  groupTerm[g0] = -1;
  groupRow[g0] = qD;
  const { rowG, colG, start, aVals } = accumulateBlocks(input, X, y, groupSize, groupTerm, termGroup0);
  const aDst = new Int32Array(aVals.length);
  let maxBlock = 1;
  for (let b = 0; b < rowG.length; b++) {
    const gr = rowG[b];
    const gc = colG[b];
    const pr = groupSize[gr];
    const pc = groupSize[gc];
    maxBlock = Math.max(maxBlock, pr * pc);
    for (let i = 0; i < pr; i++) {
      for (let j = 0; j < pc; j++) {
        aDst[start[b] + i * pc + j] = gr === gc && j > i ? -1 : panelPlace(st, valOff, perm[groupRow[gr] + i], perm[groupRow[gc] + j]);
      }
    }
  }
  const diagPos = new Int32Array(qD);
  for (let r = 0; r < qD; r++) diagPos[r] = panelPlace(st, valOff, perm[r], perm[r]);
  return {
    plan,
    valOff,
    blockRowGroup: Int32Array.from(rowG),
    blockColGroup: Int32Array.from(colG),
    blockStart: Int32Array.from(start),
    aVals,
    aDst,
    diagPos,
    groupSize,
    groupTerm,
    maxBelow,
    maxBlock,
  };
}

/** Place of L[i][j] (factor order, either way round) in the panels starting at `valOff`. */
function panelPlace(st: SupernodalStructure, valOff: Int32Array, i0: number, j0: number): number {
  const i = Math.max(i0, j0);
  const j = Math.min(i0, j0);
  const s = st.snodeOf[j];
  let lo = st.rowPtr[s];
  let hi = st.rowPtr[s + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (st.rows[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  const w = st.first[s + 1] - st.first[s];
  return valOff[s] + (lo - st.rowPtr[s]) * w + (j - st.first[s]);
}

/**
 * A_DD from the observations as level-pair blocks (group of the rows, group of the columns; the last group
 * is X and y together), numbered as first met, each row-major; every entry sums the observations in their
 * order. One pass, without closures: a closure made per call is a new call target for the optimized loop
 * of the next model's call, which then deoptimizes.
 */
function accumulateBlocks(
  input: SparseBlockInput, X: Float64Array, y: Float64Array, groupSize: Int32Array, groupTerm: Int32Array, termGroup0: Int32Array,
): { rowG: number[]; colG: number[]; start: number[]; aVals: Float64Array } {
  const { n, p, denseTerms } = input;
  const xy = groupSize.length - 1;
  // a level's diagonal block and its block with X and y are read by group; only the pairs of two dense
  // levels need the table
  const diagBlock = new Int32Array(groupSize.length).fill(-1);
  const xyBlock = new Int32Array(groupSize.length).fill(-1);
  const blocks = new BlockTable();
  const rowG: number[] = [];
  const colG: number[] = [];
  const start: number[] = [0];
  const maxP = denseTerms.reduce((m, t) => Math.max(m, t.p), p + 1);
  const vr = new Float64Array(maxP);
  const vc = new Float64Array(maxP);
  // one observation's groups (ascending; X and y last)
  const k = denseTerms.length;
  const obsGroups = new Int32Array(k + 1);
  let aVals = new Float64Array(1024);
  for (let r = 0; r < n; r++) {
    for (let t = 0; t < k; t++) obsGroups[t] = termGroup0[t] + denseTerms[t].codes[r];
    obsGroups[k] = xy;
    // insertion sort: a handful of terms
    for (let a = 1; a < k; a++) {
      const v = obsGroups[a];
      let b = a - 1;
      for (; b >= 0 && obsGroups[b] > v; b--) obsGroups[b + 1] = obsGroups[b];
      obsGroups[b + 1] = v;
    }
    for (let a = 0; a <= k; a++) {
      for (let b = 0; b <= a; b++) {
        const gr = obsGroups[a];
        const gc = obsGroups[b];
        const pr = groupSize[gr];
        const pc = groupSize[gc];
        let blk = gr === gc ? diagBlock[gr] : gr === xy ? xyBlock[gc] : blocks.find(gr, gc);
        if (blk < 0) {
          blk = rowG.length;
          if (gr === gc) diagBlock[gr] = blk;
          else if (gr === xy) xyBlock[gc] = blk;
          else blocks.add(gr, gc, blk);
          rowG.push(gr);
          colG.push(gc);
          const end = start[blk] + pr * pc;
          start.push(end);
          if (end > aVals.length) {
            const grown = new Float64Array(Math.max(end, 2 * aVals.length));
            grown.set(aVals);
            aVals = grown;
          }
        }
        groupVector(gr === xy ? null : denseTerms[groupTerm[gr]], X, y, n, p, r, vr);
        groupVector(gc === xy ? null : denseTerms[groupTerm[gc]], X, y, n, p, r, vc);
        const base = start[blk];
        for (let i = 0; i < pr; i++) {
          const x = vr[i];
          if (x === 0) continue;
          for (let j = 0; j < pc; j++) aVals[base + i * pc + j] += x * vc[j];
        }
      }
    }
  }
  return { rowG, colG, start, aVals: aVals.subarray(0, start[start.length - 1]) };
}

/** Observation r's row of a group: a dense term's Z row (`term`), or (null) its X row and y. */
function groupVector(term: { p: number; z: Float64Array } | null, X: Float64Array, y: Float64Array, n: number, p: number, r: number, out: Float64Array): void {
  if (term === null) {
    for (let a = 0; a < p; a++) out[a] = X[a * n + r];
    out[p] = y[r];
    return;
  }
  for (let a = 0; a < term.p; a++) out[a] = term.z[r * term.p + a];
}

/** Number of (a, b ≤ a) pairs of dense rows over a chain term's levels (the length of its pair table in the engine). */
export function chainPairCount(ptr: Int32Array): number {
  let total = 0;
  for (let c = 0; c + 1 < ptr.length; c++) {
    const k = ptr[c + 1] - ptr[c];
    total += (k * (k + 1)) / 2;
  }
  return total;
}

/**
 * The level-pair blocks of A_DD met so far: (rows' group, columns' group) → block, by open addressing in
 * typed arrays (a Map keyed by gr·groups + gc cost more than the accumulation it indexes).
 */
class BlockTable {
  #bits = 10;
  #rowKey = new Int32Array(1 << 10).fill(-1);
  #colKey = new Int32Array(1 << 10);
  #value = new Int32Array(1 << 10);
  #size = 0;

  #slot(gr: number, gc: number): number {
    return Math.imul(Math.imul(gr, 0x9e3779b1) ^ gc, 0x85ebca6b) >>> (32 - this.#bits);
  }

  /** The block of (gr, gc), or −1. */
  find(gr: number, gc: number): number {
    const mask = (1 << this.#bits) - 1;
    for (let h = this.#slot(gr, gc); ; h = (h + 1) & mask) {
      const r = this.#rowKey[h];
      if (r === -1) return -1;
      if (r === gr && this.#colKey[h] === gc) return this.#value[h];
    }
  }

  /** Records (gr, gc) → b; (gr, gc) must not be there yet. */
  add(gr: number, gc: number, b: number): void {
    if (2 * (this.#size + 1) > 1 << this.#bits) this.#grow();
    const mask = (1 << this.#bits) - 1;
    let h = this.#slot(gr, gc);
    while (this.#rowKey[h] !== -1) h = (h + 1) & mask;
    this.#rowKey[h] = gr;
    this.#colKey[h] = gc;
    this.#value[h] = b;
    this.#size++;
  }

  #grow(): void {
    const rowKey = this.#rowKey;
    const colKey = this.#colKey;
    const value = this.#value;
    this.#bits++;
    this.#rowKey = new Int32Array(1 << this.#bits).fill(-1);
    this.#colKey = new Int32Array(1 << this.#bits);
    this.#value = new Int32Array(1 << this.#bits);
    this.#size = 0;
    for (let h = 0; h < rowKey.length; h++) if (rowKey[h] !== -1) this.add(rowKey[h], colKey[h], value[h]);
  }
}
