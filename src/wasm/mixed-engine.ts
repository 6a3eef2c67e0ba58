/**
 * The mixed-model engine as TypeScript sees it: builds the blocked layout of assembly/model.ts in one
 * WebAssembly instance, runs the setup pass over the observations once, and then evaluates the profiled
 * deviance at any θ without touching the observations again. This module (with instance.ts and qr.ts)
 * is the only code that deals with raw pointers.
 */
import { MAX_MEMORY_BYTES, type WasmInstance } from './instance.js';
import { acquireInstance, releaseInstance } from './instance-pool.js';
import { ModelError, NumericalError, ResourceError } from '../errors.js';
import { groupByLevel } from '../linalg/group-by-level.js';
import { levelPatterns, type LevelPatterns } from './level-patterns.js';
import { choleskyLower, solveLower, solveLowerTransposed } from '../linalg/symmetric.js';
import { crossedInverse, inverseDiagonalBlocks, type FactorView } from './conditional-variance.js';
import { averageInformation, forwardSolve, type ForwardFactor } from './average-information.js';
import { ScalarTermsGradient, SparseGradient, type ChainFactor } from './sparse-gradient.js';
import { chainPairCount, layoutSparse, planSparse, type SparseBlockInput, type SparseLayout, type SparsePlan } from './sparse-layout.js';
import { mergeTerms, sameGrouping, thetaIndex, type TermMerge } from './term-merge.js';

/** One random-effects term as the engine needs it (terms must come in lme4's order). */
export interface EngineTerm {
  /** Number of levels ℓ of the grouping factor. */
  readonly nlev: number;
  /** Columns per level p (the term's model matrix width). */
  readonly p: number;
  /** 0-based level of each observation (length n). */
  readonly codes: Int32Array;
  /** The term's model matrix, row by row (length n·p). */
  readonly z: Float64Array;
}

/** Everything the engine reads from the data: y, X (column-major) and the random-effects terms. */
export interface EngineInput {
  readonly n: number;
  readonly p: number;
  /** Fixed-effects model matrix, column-major (length n·p), full column rank. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  readonly terms: readonly EngineTerm[];
  /**
   * How the chain terms' Schur update into the dense block runs: 'auto' (default) picks by cost;
   * 'by-level', 'grouped' (every set of levels with the same dense rows at once) or 'wide' force one
   * (tests compare them).
   */
  readonly schurUpdate?: 'auto' | 'by-level' | 'grouped' | 'wide';
  /**
   * A GLMM's working system (glmer's PIRLS, see `reweight`): the rows are reweighted every step, so y is
   * taken as given (no least-squares shift, no exact-fit check) and unweighted copies of X and Z are kept.
   */
  readonly glm?: boolean;
  /**
   * How the crossed block is factored: 'auto' (default) chooses by the symbolic fill (see `prefersSparse`);
   * 'dense' (one SIMD Cholesky of the whole block) or 'sparse' (supernodal, fill-reducing order) force one.
   */
  readonly factor?: 'auto' | 'dense' | 'sparse';
}

/** The pieces of the profiled deviance at one θ (Bates et al. 2015, section 3.6). */
export interface DevianceParts {
  /** log|L_θ|², the log-determinant of the random-effects factor squared. */
  ldL2: number;
  /** log|R_X|², the log-determinant of the fixed-effects factor squared. */
  ldRX2: number;
  /** Penalized residual sum of squares r²(θ). */
  pwrss: number;
}

/**
 * The crossed block of (Λ'Z'ZΛ + I)⁻¹ on the pattern of its factor (both triangles implied): entry k is at
 * (row[k], col[k]), row ≥ col in the factor's order, numbered as u (lme4's order of Z's columns).
 */
export interface SelectedInverse {
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly value: Float64Array;
}

/** Conditional modes and fixed effects at the last evaluated θ. */
export interface EngineSolution {
  beta: Float64Array;
  /** Spherical random effects u (lme4's order of Z's columns). */
  u: Float64Array;
  /** b = Λθ u. */
  b: Float64Array;
  fitted: Float64Array;
}

/**
 * Largest dense block the engine accepts (order of D): A_DD and D take 2·nD² doubles, 3.4 GiB at 15000,
 * near the 4 GiB a wasm32 instance addresses (and each evaluation then costs ~1e12 flop).
 */
export const MAX_DENSE_ORDER = 15000;

/** Whether every level of term a lies within a single level of term b (a nested in b). */
function isNested(a: EngineTerm, b: EngineTerm, n: number): boolean {
  const parent = new Int32Array(a.nlev).fill(-1);
  for (let r = 0; r < n; r++) {
    const pa = a.codes[r];
    const pb = b.codes[r];
    if (parent[pa] === -1) parent[pa] = pb;
    else if (parent[pa] !== pb) return false;
  }
  return true;
}

/** Symbolic structure of the layout (no numbers yet). */
interface Structure {
  s: number;
  nD: number;
  qD: number;
  doff: Int32Array;
  uoff: Int32Array;
  denseTerm: Int32Array;
  groups: { perm: Int32Array; start: Int32Array }[];
  rowPtr: Int32Array[];
  rows: Int32Array[];
  /** Chain terms whose Schur update runs as one dense rank update (see `prefersWide`). */
  wide: boolean[];
  /** Levels of the other chain terms whose Schur updates run together (see level-patterns.ts). */
  patterns: (LevelPatterns | null)[];
  par: Int32Array[][];
  chStart: Int32Array[][];
  child: Int32Array[][];
  /** The supernodal plan of the crossed block when it is factored sparse, else null. */
  sparse: SparsePlan | null;
}

/** Length of the leading nesting chain: terms whose every level lies within one level of the next. */
function nestingChain(terms: readonly EngineTerm[], n: number): number {
  let s = terms.length > 0 ? 1 : 0;
  while (s < terms.length && isNested(terms[s - 1], terms[s], n)) s++;
  return s;
}

/** Longest list `analyse` sorts by insertion. */
const SHORT_LIST = 64;

/** The layout's structure; `s` is the length of the terms' nesting chain (see `nestingChain`). */
function analyse(input: EngineInput, s: number): Structure {
  const { n, p, terms } = input;
  const k = terms.length;
  const doff = new Int32Array(k).fill(-1);
  const uoff = new Int32Array(k);
  let q = 0;
  let qD = 0;
  for (let t = 0; t < k; t++) {
    uoff[t] = q;
    q += terms[t].nlev * terms[t].p;
    if (t >= s) {
      doff[t] = qD;
      qD += terms[t].nlev * terms[t].p;
    }
  }
  const nD = qD + p + 1;
  // glmer's PIRLS re-weights the dense block's entries in place, which the sparse layout does not support yet
  const factorMode = input.factor ?? (input.glm ? 'dense' : 'auto');
  if (nD > MAX_DENSE_ORDER && factorMode === 'dense') {
    throw new ResourceError(
      `the crossed random effects need a dense block of order ${nD} (more than ${MAX_DENSE_ORDER}): about ` +
        `${16 * nD * nD} bytes of memory and ${(nD ** 3 / 3).toExponential(1)} operations per evaluation; ` +
        'this engine cannot factor it in reasonable time and memory (fewer levels or fewer crossed terms would fit)',
      16 * nD * nD,
    );
  }
  const denseTerm = new Int32Array(qD);
  for (let t = s; t < k; t++) denseTerm.fill(t, doff[t], doff[t] + terms[t].nlev * terms[t].p);

  const groups: Structure['groups'] = [];
  const rowPtr: Int32Array[] = [];
  const rows: Int32Array[] = [];
  const stamp = new Int32Array(Math.max(qD, 1));
  // dense columns one observation meets: one level of each dense term, its p columns
  let densePerRow = 0;
  for (let t = s; t < k; t++) densePerRow += terms[t].p;
  for (let j = 0; j < s; j++) {
    const term = terms[j];
    const g = groupByLevel(term.codes, term.nlev);
    stamp.fill(-1);
    groups.push(g);
    // each level's dense rows: the dense terms' levels it meets (all their p rows), then X and y; one pass
    // into a list of the most a level can meet (its rows' dense columns, at most qD), cut to size after
    const ptr = new Int32Array(term.nlev + 1);
    let bound = 0;
    for (let c = 0; c < term.nlev; c++) bound += Math.min((g.start[c + 1] - g.start[c]) * densePerRow, qD) + p + 1;
    const fill = new Int32Array(bound);
    let at = 0;
    for (let c = 0; c < term.nlev; c++) {
      const first = at;
      for (let qi = g.start[c]; qi < g.start[c + 1]; qi++) {
        const r = g.perm[qi];
        for (let t = s; t < k; t++) {
          const pt = terms[t].p;
          const base = doff[t] + terms[t].codes[r] * pt;
          if (stamp[base] === c) continue;
          for (let a = 0; a < pt; a++) {
            stamp[base + a] = c;
            fill[at++] = base + a;
          }
        }
      }
      // sorted before X and y are appended (they are the last rows); a short list by insertion (no subarray
      // and sort call per level: thousands of levels)
      if (at - first > SHORT_LIST) fill.subarray(first, at).sort();
      else {
        for (let m = first + 1; m < at; m++) {
          const v = fill[m];
          let b = m - 1;
          for (; b >= first && fill[b] > v; b--) fill[b + 1] = fill[b];
          fill[b + 1] = v;
        }
      }
      for (let a = 0; a <= p; a++) fill[at++] = qD + a;
      ptr[c + 1] = at;
    }
    const list = at === bound ? fill : fill.slice(0, at);
    rowPtr.push(ptr);
    rows.push(list);
  }
  const par: Int32Array[][] = [];
  const chStart: Int32Array[][] = [];
  const child: Int32Array[][] = [];
  for (let i = 0; i < s; i++) {
    par.push([]);
    chStart.push([]);
    child.push([]);
    for (let j = 0; j < i; j++) {
      const pj = new Int32Array(terms[j].nlev);
      for (let r = 0; r < n; r++) pj[terms[j].codes[r]] = terms[i].codes[r];
      const byParent = groupByLevel(pj, terms[i].nlev);
      par[i].push(pj);
      chStart[i].push(byParent.start);
      child[i].push(byParent.perm);
    }
  }
  const sparse = chooseSparse(input, factorMode, s, doff, qD, nD, rowPtr, rows);
  const mode = input.schurUpdate ?? 'auto';
  const wide = rowPtr.map((ptr, j) => {
    const { nlev, p: pj } = terms[j];
    if (sparse || mode === 'by-level' || nD * nlev * pj > MAX_WIDE_DOUBLES) return false;
    return mode === 'wide' || prefersWide(ptr, nlev, pj, nD);
  });
  const patterns = rowPtr.map((ptr, j) => {
    if (sparse || wide[j] || mode === 'by-level') return null;
    return levelPatterns(ptr, rows[j], terms[j].nlev, terms[j].p, mode === 'grouped' ? { minColumns: 1, minShare: 0, minMadds: 0 } : {});
  });
  return { s, nD, qD, doff, uoff, denseTerm, groups, rowPtr, rows, wide, patterns, par, chStart, child, sparse };
}

/** Smallest crossed block for which the sparse factor is considered (below, the dense one costs microseconds). */
const MIN_SPARSE_ORDER = 128;
/**
 * How much more a multiply-add costs in the supernodal factor than in the dense one (smaller panels, the
 * scatter of each update into its target panels).
 */
const SPARSE_OVERHEAD = 2;
/** Largest number of doubles the sparse factor's panels and places may take (3 GiB of a wasm32 instance). */
const MAX_SPARSE_DOUBLES = 3 * 2 ** 27;

/** The block's dense terms, chain row lists and sizes as the sparse layout reads them. */
function sparseBlockInput(input: EngineInput, s: number, doff: Int32Array, qD: number, rowPtr: Int32Array[], rows: Int32Array[]): SparseBlockInput {
  const { terms } = input;
  return {
    n: input.n,
    p: input.p,
    qD,
    denseTerms: terms.slice(s).map((t, i) => ({ doff: doff[s + i], p: t.p, nlev: t.nlev, codes: t.codes, z: t.z })),
    chainRowPtr: rowPtr,
    chainRows: rows,
  };
}

/**
 * The sparse plan when the block is factored sparse: forced, or (auto) when the block is beyond the dense
 * cap or its factor needs well under the dense factor's work. Refuses a factor that cannot fit.
 */
function chooseSparse(
  input: EngineInput, mode: 'auto' | 'dense' | 'sparse', s: number, doff: Int32Array, qD: number, nD: number,
  rowPtr: Int32Array[], rows: Int32Array[],
): SparsePlan | null {
  if (mode === 'dense' || (mode === 'auto' && nD < MIN_SPARSE_ORDER)) return null;
  // below the dense cap, auto may keep the dense factor without ordering a block that is nearly full
  const denseAllowed = mode === 'auto' && nD <= MAX_DENSE_ORDER;
  const plan = planSparse(sparseBlockInput(input, s, doff, qD, rowPtr, rows), denseAllowed);
  if (!plan) return null;
  const doubles = plan.structure.panelSize + plan.schurPairs / 2;
  if (doubles > MAX_SPARSE_DOUBLES && denseAllowed) return null;
  if (doubles > MAX_SPARSE_DOUBLES) {
    throw new ModelError(
      `the crossed random effects need a sparse factor of ${plan.structure.panelSize} doubles ` +
        `(nnz(L) = ${plan.structure.nnzL}, order ${nD}) and ${plan.schurPairs} update places: ` +
        `${(doubles * 8 / 2 ** 30).toFixed(1)} GiB, more than the 3 GiB this engine can hold`,
    );
  }
  if (mode === 'sparse' || nD > MAX_DENSE_ORDER) return plan;
  return plan.sparseFlops * SPARSE_OVERHEAD < plan.denseFlops ? plan : null;
}

/** Smallest dense block for which the dense rank update is considered. */
const MIN_WIDE_ORDER = 64;
/** Largest W (doubles) the dense rank update may use: 256 MB. */
const MAX_WIDE_DOUBLES = 32 * 2 ** 20;
/**
 * How much faster a multiply-add runs in the SIMD rank update than in the indexed per-level update
 * (measured on 1M rows, 1000 subjects × 400 items: 5.4 vs 1.7 GMAC/s).
 */
const WIDE_SPEEDUP = 3;

/**
 * Whether chain term j's Schur update D -= Σ_c V_c V_c' is cheaper as one dense update with W = [V_1 … V_ℓ]
 * spread over all nD rows (cost ℓ·p·nD²/2 SIMD multiply-adds) than level by level on each level's k_c
 * rows (cost Σ p·k_c²/2 indexed ones): true when the levels meet most dense rows, as when every subject
 * sees nearly every item.
 */
function prefersWide(rowPtr: Int32Array, nlev: number, p: number, nD: number): boolean {
  // small dense blocks: the per-level update costs microseconds (no gain measured on the seed model, nD = 31)
  if (nD < MIN_WIDE_ORDER) return false;
  let sparse = 0;
  for (let c = 0; c < nlev; c++) {
    const kc = rowPtr[c + 1] - rowPtr[c];
    sparse += (p * kc * (kc + 1)) / 2;
  }
  const dense = (nlev * p * nD * (nD + 1)) / 2;
  return WIDE_SPEEDUP * sparse > dense;
}

/**
 * The least-squares coefficients b of y on X from the normal equations X'X b = X'y (zeros when X'X is not
 * numerically positive definite): any b would do for the offset, and unlike qr.ts's leastSquares this needs
 * no copy of X in another instance (whose memory would stay grown: 24 MB for sim1M's X).
 */
function leastSquaresOffset(xtx: Float64Array, xty: Float64Array, p: number): Float64Array {
  const L = choleskyLower(xtx, p);
  const b = L ? solveLowerTransposed(L, p, solveLower(L, p, xty)) : new Float64Array(p);
  return b.every(Number.isFinite) ? b : new Float64Array(p);
}

/** Largest instance whose engine a lease may give back and rebuild on demand (bytes of linear memory). */
const REBUILD_BYTES = 16 * 2 ** 20;

/** A mixed model living in its own WebAssembly instance. */
export class MixedEngine {
  readonly n: number;
  readonly p: number;
  /** Total number of random effects q. */
  readonly q: number;
  /** Number of leading terms that form a nesting chain (kept sparse). */
  readonly chainLength: number;
  /** Order of the dense block D (dense terms' columns + p + 1). */
  readonly denseOrder: number;
  /** Entries of each chain term's dense-row lists (the gradient's Σ blocks have the same shape). */
  private readonly chainRows: number[];
  /** The instance the model lives in; null once released. */
  #wasm: WasmInstance | null;
  /** Whether a lease may give the instance back and rebuild the engine later (see `reusable`). */
  #cheapToRebuild = false;
  /** The crossed block's supernodal plan when it is factored sparse, else null. */
  private readonly sparsePlan: SparsePlan | null;
  /** Each dense row's index in u. */
  private readonly denseRowU: Int32Array;
  /** Where the selected inverse is computed (allocated on first use) and the layout it reads. */
  private inverseArgs: { args: number[]; z: number; rows: Int32Array; first: Int32Array; rowPtr: Int32Array; valOff: Int32Array; order: Int32Array } | null = null;
  private sparseLayoutArgs: number[] = [];
  /** The places of the first chain term's level pairs in the sparse factor's panels (assembly/chainInverse reads Z there), or 0. */
  private sparseChainPairs = 0;
  /** Whether the last `evaluate` left a complete factor. */
  private factored = false;
  private readonly terms: readonly EngineTerm[];
  private readonly lambdaPtr: number[];
  /** Chain terms' diagonal blocks of L (for glmer's adaptive quadrature); 0 for dense terms. */
  private readonly ldiagPtr: number[];
  private readonly dPtr: number;
  private readonly qD: number;
  private readonly out: { beta: number; u: number; b: number; fitted: number };
  /**
   * b, the least-squares coefficients of y on X. The engine works with y − Xb: the profiled deviance, R_X
   * and the random effects are the same for y and y − Xb (β̂ shifts by b, added back by `solve`), but the
   * y row of the factor no longer carries y'y, whose cancellation against the fitted part cost digits
   * (36,000 rows: 1e-12 relative).
   */
  private readonly offset: Float64Array;
  /** glm engines: the y buffer and the √w buffer of `reweight` (0 otherwise). */
  private readonly glmPtrs: { y: number; sqrtw: number };
  /**
   * Where the factor's pieces live in the instance (read by `factorLayout` and `chainFactor`). A record, not
   * closures over the constructor's scope: a closure kept on the engine kept that whole scope (the setup's
   * per-observation arrays) alive with it, and in a loop of small fits every engine then outlived a young
   * collection (measured: a tenth of everything a sleepstudy fit allocates was copied by the scavenger).
   */
  private readonly pieces: {
    ld: number[];
    rowPtr: Int32Array[];
    rows: Int32Array[];
    par: Int32Array[][];
    pairOf: Map<number, number>;
    doff: Int32Array;
    sparse: boolean;
  };
  /** Offset of each term in u. */
  private readonly uoff: Int32Array;
  /** The response as given (the sparse gradient's residuals). */
  private readonly yObs: Float64Array;
  /** The fixed-effects model matrix as given (column-major; the sparse REML gradient's X rows). */
  private readonly X: Float64Array;
  private readonly glmEngine: boolean;
  /** The terms as given (lme4's order: θ and u are theirs). */
  private readonly givenTerms: readonly EngineTerm[];
  /** How the given terms were merged into the engine's (term-merge.ts), or null when they were not. */
  private readonly merge: TermMerge | null;

  constructor(given: EngineInput) {
    const { n, p } = given;
    if (given.X.length !== n * p || given.y.length !== n) throw new ModelError('engine input sizes do not match');
    // glm engines keep the terms as given: glmer's PIRLS and adaptive quadrature read them term by term
    const givenChain = nestingChain(given.terms, n);
    const merged = given.glm ? null : mergeTerms(given.terms, givenChain, n);
    const input: EngineInput = merged ? { ...given, terms: merged.terms } : given;
    const { terms } = input;
    this.givenTerms = given.terms;
    this.merge = merged?.map ?? null;
    this.n = n;
    this.p = p;
    this.terms = terms;
    const st = analyse(input, merged ? nestingChain(terms, n) : givenChain);
    this.chainLength = st.s;
    this.chainRows = st.rows.map((r) => r.length);
    this.sparsePlan = st.sparse;
    this.denseRowU = new Int32Array(st.qD);
    for (let r = 0; r < st.qD; r++) {
      const t = st.denseTerm[r];
      this.denseRowU[r] = st.uoff[t] + (r - st.doff[t]);
    }
    this.denseOrder = st.nD;
    this.qD = st.qD;
    const k = terms.length;
    this.q = terms.reduce((acc, t) => acc + t.nlev * t.p, 0);
    // the largest buffers, known from the structure before anything is allocated: refuse a model that
    // cannot fit in wasm32 memory up front instead of growing memory for minutes first
    // a sparse crossed block holds its factor's panels and update places (chooseSparse's count), a dense one A and D
    const blockDoubles = st.sparse ? st.sparse.structure.panelSize + st.sparse.schurPairs / 2 : 2 * st.nD * st.nD;
    const need = 8 * (blockDoubles + n * (p + 2) + terms.reduce((acc, t) => acc + n * t.p, 0) + 3 * this.q);
    if (need > MAX_MEMORY_BYTES) {
      const block = st.sparse ? `a sparse factor with nnz(L) = ${st.sparse.structure.nnzL} of the crossed block of order ${st.nD}` : `a dense block of order ${st.nD}`;
      throw new ResourceError(
        `the model needs at least ${need} bytes (${(need / 2 ** 30).toFixed(1)} GiB) of WebAssembly memory ` +
          `(${block} for crossed random effects, ${n} rows × ${p} fixed effects); a wasm32 ` +
          `engine addresses at most ${MAX_MEMORY_BYTES} bytes: use fewer levels, fewer crossed terms or fewer rows`,
        need,
      );
    }
    // glm engines also hold unweighted copies of X and Z (definePirls)
    const glmCopies = given.glm ? 8 * (n * p + terms.reduce((acc, t) => acc + n * t.p, 0)) : 0;
    const w = acquireInstance(need + glmCopies + 8 * n * terms.length, given.glm ? 'glmer' : 'lmer');
    this.#wasm = w;
    const c = (name: string): number => w.constant(name);
    const TF = c('TERM_FIELDS');
    const PF = c('PAIR_FIELDS');
    const maxP = terms.reduce((m, t) => Math.max(m, t.p), 1);

    // 1. allocate everything (views are taken afterwards: allocation may grow memory)
    const termTab = w.allocI32(Math.max(1, k) * TF);
    const pairTab = w.allocI32(Math.max(1, st.s * st.s) * PF);
    const xPtr = w.allocF64(n * p);
    const yPtr = w.allocF64(n);
    const denseDoubles = st.sparse ? 1 : st.nD * st.nD;
    const addPtr = w.allocF64(denseDoubles);
    this.dPtr = w.allocF64(denseDoubles);
    const denseTermPtr = w.allocI32(st.qD);
    const posPtr = w.allocI32(st.nD);
    const scratchPtr = w.allocF64(4 * maxP * maxP + 3 * st.nD + 64);
    const rowScalePtr = w.allocF64(st.nD);
    // S = −W W' of the largest group (a loop, not Math.max(...): a term may have more groups than a call has arguments)
    let maxPadded = 1;
    for (const g of st.patterns) for (const k4 of g?.paddedRows ?? []) maxPadded = Math.max(maxPadded, k4);
    const groupScratchPtr = w.allocF64(maxPadded * maxPadded);
    // X'X, X'y, the offset b and y'y before and after the shift (assembly/response-offset.ts)
    const xtxPtr = w.allocF64(p * p + 2 * p + 2);
    const xtyPtr = xtxPtr + 8 * p * p;
    const coefPtr = xtyPtr + 8 * p;
    const sumsPtr = coefPtr + 8 * p;
    const termPtrs = terms.map((t, j) => {
      const chain = j < st.s;
      const nnz = chain ? st.rows[j].length : 0;
      const pattern = chain ? st.patterns[j] : null;
      return {
        codes: w.allocI32(n),
        z: w.allocF64(n * t.p),
        lambda: w.allocF64(t.p * t.p),
        adiag: chain ? w.allocF64(t.nlev * t.p * t.p) : 0,
        ldiag: chain ? w.allocF64(t.nlev * t.p * t.p) : 0,
        rowPtr: chain ? w.allocI32(t.nlev + 1) : 0,
        rows: chain ? w.allocI32(nnz) : 0,
        ad: chain ? w.allocF64(nnz * t.p) : 0,
        ld: chain ? w.allocF64(nnz * t.p) : 0,
        // the rows by level: only glmer's PIRLS reads them in the instance (lmer's setup reads rows in order)
        perm: chain && given.glm ? w.allocI32(n) : 0,
        levStart: chain ? w.allocI32(t.nlev + 1) : 0,
        wide: chain && st.wide[j] ? w.allocF64(st.nD * t.nlev * t.p) : 0,
        groupStart: pattern ? w.allocI32(pattern.start.length) : 0,
        groupOrder: pattern ? w.allocI32(Math.max(1, pattern.order.length)) : 0,
        // each group's W (padded rows × levels·p, zero padding rows), then where each level writes in it
        groupW: pattern ? Array.from(pattern.paddedRows, (k4, g) => w.allocF64(k4 * (pattern.start[g + 1] - pattern.start[g]) * t.p)) : [],
        groupWPtr: pattern ? w.allocI32(Math.max(1, pattern.paddedRows.length)) : 0,
        levelDst: pattern ? w.allocI32(t.nlev) : 0,
        levelStride: pattern ? w.allocI32(t.nlev) : 0,
      };
    });
    const pairPtrs: { i: number; j: number; par: number; apar: number; lpar: number; chStart: number; child: number }[] = [];
    for (let i = 0; i < st.s; i++) {
      for (let j = 0; j < i; j++) {
        const size = terms[j].nlev * terms[i].p * terms[j].p;
        pairPtrs.push({
          i,
          j,
          par: w.allocI32(terms[j].nlev),
          apar: w.allocF64(size),
          lpar: w.allocF64(size),
          chStart: w.allocI32(terms[i].nlev + 1),
          child: w.allocI32(terms[j].nlev),
        });
      }
    }
    this.out = { beta: w.allocF64(p), u: w.allocF64(this.q), b: w.allocF64(this.q), fitted: w.allocF64(n) };
    const glm = input.glm === true;
    const x0Ptr = glm ? w.allocF64(n * p) : 0;
    const z0Tab = glm ? w.allocI32(Math.max(1, k)) : 0;
    const z0Ptrs = glm ? terms.map((t) => w.allocF64(n * t.p)) : [];
    this.glmPtrs = { y: yPtr, sqrtw: glm ? w.allocF64(n) : 0 };

    // 2. fill
    w.f64(xPtr, n * p).set(input.X);
    if (glm) {
      w.f64(x0Ptr, n * p).set(input.X);
      w.i32(z0Tab, Math.max(1, k)).set(z0Ptrs);
      terms.forEach((t, j) => w.f64(z0Ptrs[j], n * t.p).set(t.z));
    }
    w.f64(yPtr, n).set(input.y);
    const e = w.exports;
    if (!glm) e.crossProducts(xPtr, yPtr, n, p, xtxPtr, xtyPtr);
    this.offset = glm ? new Float64Array(p) : leastSquaresOffset(w.f64(xtxPtr, p * p).slice(), w.f64(xtyPtr, p).slice(), p);
    w.f64(coefPtr, p).set(this.offset);
    e.shiftResponse(xPtr, yPtr, n, p, coefPtr, sumsPtr);
    const yShifted = w.f64(yPtr, n);
    const [yy, rr] = w.f64(sumsPtr, 2);
    // lme4 stops on a constant response ("not a positive definite matrix") and returns df of 4e-20
    // with warnings for one the fixed effects fit exactly; neither has variance to split
    if (!glm && rr <= 1e-24 * yy) {
      throw new ModelError(
        'the fixed effects fit the response exactly (it is constant, or an exact linear function of the fixed-effect ' +
          'columns): no variation is left for the random effects and the residual',
      );
    }
    w.i32(denseTermPtr, st.qD).set(st.denseTerm);
    const tab = w.i32(termTab, Math.max(1, k) * TF);
    terms.forEach((t, j) => {
      const ptrs = termPtrs[j];
      w.i32(ptrs.codes, n).set(t.codes);
      w.f64(ptrs.z, n * t.p).set(t.z);
      const lam = w.f64(ptrs.lambda, t.p * t.p);
      for (let a = 0; a < t.p; a++) lam[a * t.p + a] = 1;
      if (j < st.s) {
        w.i32(ptrs.rowPtr, t.nlev + 1).set(st.rowPtr[j]);
        w.i32(ptrs.rows, st.rows[j].length).set(st.rows[j]);
        if (ptrs.perm) w.i32(ptrs.perm, n).set(st.groups[j].perm);
        w.i32(ptrs.levStart, t.nlev + 1).set(st.groups[j].start);
        if (ptrs.wide) w.f64(ptrs.wide, st.nD * t.nlev * t.p).fill(0);
        const pattern = st.patterns[j];
        if (pattern) {
          w.i32(ptrs.groupStart, pattern.start.length).set(pattern.start);
          w.i32(ptrs.groupOrder, pattern.order.length).set(pattern.order);
          w.i32(ptrs.groupWPtr, ptrs.groupW.length).set(ptrs.groupW);
          const dst = w.i32(ptrs.levelDst, t.nlev);
          const stride = w.i32(ptrs.levelStride, t.nlev);
          for (let g = 0; g + 1 < pattern.start.length; g++) {
            for (let m = pattern.start[g]; m < pattern.start[g + 1]; m++) {
              const c = pattern.order[m];
              dst[c] = ptrs.groupW[g] + 8 * pattern.column[c];
              stride[c] = (pattern.start[g + 1] - pattern.start[g]) * t.p;
            }
          }
        }
      }
      const row = j * TF;
      tab[row + c('T_NLEV')] = t.nlev;
      tab[row + c('T_P')] = t.p;
      tab[row + c('T_DOFF')] = st.doff[j];
      tab[row + c('T_UOFF')] = st.uoff[j];
      tab[row + c('T_CODES')] = ptrs.codes;
      tab[row + c('T_Z')] = ptrs.z;
      tab[row + c('T_LAMBDA')] = ptrs.lambda;
      tab[row + c('T_ADIAG')] = ptrs.adiag;
      tab[row + c('T_LDIAG')] = ptrs.ldiag;
      tab[row + c('T_ROWPTR')] = ptrs.rowPtr;
      tab[row + c('T_ROWS')] = ptrs.rows;
      tab[row + c('T_AD')] = ptrs.ad;
      tab[row + c('T_LD')] = ptrs.ld;
      tab[row + c('T_PERM')] = ptrs.perm;
      tab[row + c('T_LEVSTART')] = ptrs.levStart;
      tab[row + c('T_WIDE')] = ptrs.wide;
      tab[row + c('T_NGROUP')] = j < st.s ? (st.patterns[j]?.start.length ?? 1) - 1 : 0;
      tab[row + c('T_GSTART')] = ptrs.groupStart;
      tab[row + c('T_GORDER')] = ptrs.groupOrder;
      tab[row + c('T_GW')] = ptrs.groupWPtr;
      tab[row + c('T_GDST')] = ptrs.levelDst;
      tab[row + c('T_GSTRIDE')] = ptrs.levelStride;
    });
    const ptab = w.i32(pairTab, Math.max(1, st.s * st.s) * PF);
    for (const pp of pairPtrs) {
      const jIndex = pp.j;
      w.i32(pp.par, terms[pp.j].nlev).set(st.par[pp.i][jIndex]);
      w.i32(pp.chStart, terms[pp.i].nlev + 1).set(st.chStart[pp.i][jIndex]);
      w.i32(pp.child, terms[pp.j].nlev).set(st.child[pp.i][jIndex]);
      const row = (pp.i * st.s + pp.j) * PF;
      ptab[row + c('P_PAR')] = pp.par;
      ptab[row + c('P_APAR')] = pp.apar;
      ptab[row + c('P_LPAR')] = pp.lpar;
      ptab[row + c('P_CHSTART')] = pp.chStart;
      ptab[row + c('P_CHILD')] = pp.child;
      ptab[row + c('P_SAME')] = sameGrouping(terms[pp.i], terms[pp.j]) ? 1 : 0;
    }
    this.lambdaPtr = termPtrs.map((tp) => tp.lambda);
    this.ldiagPtr = termPtrs.map((tp) => tp.ldiag);
    this.uoff = st.uoff;
    this.yObs = input.y;
    this.X = input.X;
    this.glmEngine = glm;
    this.pieces = {
      ld: termPtrs.map((tp) => tp.ld),
      rowPtr: st.rowPtr,
      rows: st.rows,
      par: st.par,
      pairOf: new Map(pairPtrs.map((pp) => [pp.i * st.s + pp.j, pp.lpar])),
      doff: st.doff,
      sparse: st.sparse !== null,
    };
    const sparseArgs = st.sparse ? this.placeSparse(input, st, yShifted.slice(), termPtrs.map((tp) => tp.lambda)) : null;

    // 3. the one pass over the observations
    e.defineModel(
      n, p, k, st.s, st.nD, termTab, pairTab, xPtr, yPtr, addPtr, this.dPtr, denseTermPtr, posPtr, scratchPtr, groupScratchPtr,
      rowScalePtr,
    );
    if (glm) w.glmerExports.definePirls(x0Ptr, z0Tab);
    for (let j = 0; j < st.s; j++) e.setupChainTerm(j);
    if (sparseArgs) e.defineSparse(...sparseArgs);
    else e.setupDense();
    this.#cheapToRebuild = !glm && !sparseArgs;
  }

  /** Where the factor's pieces live, for `inverseDiagonalBlocks`: views taken now (memory may have grown since setup). */
  private factorLayout(): FactorView {
    const w = this.wasm;
    const { terms, chainLength, qD, denseOrder: nD } = this;
    const ldiag = this.ldiagPtr;
    const { ld, rowPtr, rows, par, pairOf, doff, sparse } = this.pieces;
    return {
      terms,
      chainLength,
      qD,
      nD,
      doff,
      // (the sparse path has no dense block: its one-double placeholder is never read)
      D: sparse ? new Float64Array(0) : w.f64(this.dPtr, nD * nD),
      chain: terms.slice(0, chainLength).map((t, j) => ({
        ldiag: w.f64(ldiag[j], t.nlev * t.p * t.p),
        rowPtr: rowPtr[j],
        rows: rows[j],
        ld: w.f64(ld[j], rows[j].length * t.p),
      })),
      pair: (i, j) => ({
        par: par[i][j],
        lpar: w.f64(pairOf.get(i * chainLength + j)!, terms[j].nlev * terms[i].p * terms[j].p),
      }),
    };
  }

  /** The first chain term's factor pieces (for the sparse gradient; only read when there is a chain). */
  private chainFactor(): ChainFactor {
    const w = this.wasm;
    const t = this.terms[0];
    const { ld, rowPtr, rows } = this.pieces;
    return { ldiag: w.f64(this.ldiagPtr[0], t.nlev * t.p * t.p), rowPtr: rowPtr[0], rows: rows[0], ld: w.f64(ld[0], rows[0].length * t.p) };
  }

  /** The instance, checked: a released engine's instance may hold another model now. */
  private get wasm(): WasmInstance {
    if (this.#wasm === null) throw new Error('internal: this engine was released (its instance serves another model)');
    return this.#wasm;
  }

  /**
   * Gives the instance back for reuse by a later engine (instance-pool.ts); this engine, and any PIRLS
   * state on it, cannot be used afterwards. Safe whatever the engine is and however its last call ended.
   */
  release(): void {
    const w = this.#wasm;
    this.#wasm = null;
    this.heapView = null;
    if (w !== null) releaseInstance(w);
  }

  /**
   * Whether a lease (engine-lease.ts) may release this engine and rebuild it when asked again: a small,
   * dense, non-glm model, whose setup is cheap to repeat.
   */
  get reusable(): boolean {
    return this.#cheapToRebuild && this.#wasm !== null && this.#wasm.memoryBytes <= REBUILD_BYTES;
  }

  /** Whether `release` has been called. */
  get released(): boolean {
    return this.#wasm === null;
  }

  /**
   * Places the sparse factor's layout in the instance; returns defineSparse's arguments. `y` is y less its
   * least-squares fit (as the engine's y), `lambda` each term's T.
   */
  private placeSparse(input: EngineInput, st: Structure, y: Float64Array, lambda: number[]): number[] {
    const w = this.wasm;
    const plan = st.sparse!;
    const layout: SparseLayout = layoutSparse(sparseBlockInput(input, st.s, st.doff, st.qD, st.rowPtr, st.rows), plan, input.X, y);
    const sym = plan.structure;
    const ns = sym.first.length - 1;
    const i32 = (data: Int32Array): number => {
      const ptr = w.allocI32(Math.max(1, data.length));
      w.i32(ptr, data.length).set(data);
      return ptr;
    };
    const identity = w.allocF64((this.p + 1) * (this.p + 1));
    const ident = w.f64(identity, (this.p + 1) * (this.p + 1));
    for (let a = 0; a <= this.p; a++) ident[a * (this.p + 1) + a] = 1;
    const tOf = (g: number): number => (layout.groupTerm[g] < 0 ? identity : lambda[st.s + layout.groupTerm[g]]);
    const nb = layout.blockRowGroup.length;
    const tab = new Int32Array(5 * nb);
    for (let b = 0; b < nb; b++) {
      tab[5 * b] = tOf(layout.blockRowGroup[b]);
      tab[5 * b + 1] = layout.groupSize[layout.blockRowGroup[b]];
      tab[5 * b + 2] = tOf(layout.blockColGroup[b]);
      tab[5 * b + 3] = layout.groupSize[layout.blockColGroup[b]];
      tab[5 * b + 4] = layout.blockStart[b];
    }
    const firstPtr = i32(sym.first);
    const rowPtrPtr = i32(sym.rowPtr);
    const rowsPtr = i32(sym.rows);
    const valOffPtr = i32(layout.valOff);
    const lx = w.allocF64(layout.valOff[ns]);
    const snodePtr = i32(sym.snodeOf);
    const permPtr = i32(plan.perm);
    const tabPtr = i32(tab);
    const aValsPtr = w.allocF64(Math.max(1, layout.aVals.length));
    w.f64(aValsPtr, layout.aVals.length).set(layout.aVals);
    const aDstPtr = i32(layout.aDst);
    const diagPtr = i32(layout.diagPos);
    // filled by defineSparse (assembly/sparse.ts placeChainPairs), which reads the chain terms' rows and the layout in place
    const pairPtrs = st.rowPtr.map((ptr) => w.allocI32(Math.max(1, chainPairCount(ptr))));
    const pairs = i32(Int32Array.from(pairPtrs));
    this.sparseChainPairs = pairPtrs.length > 0 ? pairPtrs[0] : 0;
    const updateColumns = w.constant('UPDATE_COLUMNS');
    const rel = w.allocI32(Math.max(1, layout.maxBelow));
    const upd = w.allocF64(Math.max(1, layout.maxBelow * updateColumns));
    const blockScratch = w.allocF64(2 * layout.maxBlock);
    const xs = w.allocF64(st.nD);
    this.sparseLayoutArgs = [ns, firstPtr, rowPtrPtr, rowsPtr, valOffPtr, lx, snodePtr];
    return [
      st.nD, ns, firstPtr, rowPtrPtr, rowsPtr, valOffPtr, lx, snodePtr, permPtr, nb, tabPtr, aValsPtr, aDstPtr, diagPtr,
      pairs, rel, upd, blockScratch, xs,
    ];
  }

  /**
   * glm engines: rebuilds the system for working weights w and working response z (one PIRLS step):
   * rows of [Z X] and z are scaled by √w and accumulated again. `sqrtw` and `z` have length n.
   */
  reweight(sqrtw: Float64Array, z: Float64Array): void {
    if (this.glmPtrs.sqrtw === 0) throw new ModelError('reweight needs an engine built with glm: true');
    const w = this.wasm;
    const n = this.n;
    w.f64(this.glmPtrs.sqrtw, n).set(sqrtw);
    const y = w.f64(this.glmPtrs.y, n);
    for (let r = 0; r < n; r++) y[r] = sqrtw[r] * z[r];
    const e = w.glmerExports;
    e.weightRows(this.glmPtrs.sqrtw);
    for (let j = 0; j < this.chainLength; j++) e.setupChainTerm(j);
    e.setupDense();
  }

  /**
   * glm engines: the instance that pirls-state.ts runs whole PIRLS iterations in, and how it records
   * whether a run left a complete factor (for the methods that read the factor afterwards).
   */
  glmHandle(): { wasm: WasmInstance; markFactored: (ok: boolean) => void } {
    if (this.glmPtrs.sqrtw === 0) throw new ModelError('PIRLS needs an engine built with glm: true');
    return { wasm: this.wasm, markFactored: (ok) => (this.factored = ok) };
  }

  /**
   * The diagonal blocks L_jj of chain term j (ℓ·p·p doubles, row-major blocks) of the last `evaluate`:
   * for a single scalar term, 1/L_jj is the conditional SD of u_j that adaptive quadrature scales by.
   */
  chainDiagonalBlocks(j: number): Float64Array {
    if (this.merge) throw new ModelError('chainDiagonalBlocks needs the terms unmerged (a glm engine)');
    const t = this.terms[j];
    if (j >= this.chainLength) throw new ModelError(`term ${j} is not in the nesting chain`);
    return this.wasm.f64(this.ldiagPtr[j], t.nlev * t.p * t.p).slice();
  }

  /** Xβ + ZΛu for given β and u at the current θ (a view of engine memory, valid until the next call into it). */
  linearPredictor(beta: ArrayLike<number>, u: ArrayLike<number>): Float64Array {
    const w = this.wasm;
    const o = this.out;
    w.f64(o.beta, this.p).set(beta);
    w.f64(o.u, this.q).set(this.merge ? Float64Array.from(this.merge.uGiven, (g) => u[g]) : u);
    w.exports.computeB(o.u, o.b);
    w.glmerExports.computeEta(o.beta, o.b, o.fitted);
    return w.f64(o.fitted, this.n);
  }

  /** Number of θ entries of term t: the lower triangle of its p×p factor. */
  static thetaLength(p: number): number {
    return (p * (p + 1)) / 2;
  }

  /** A view of all of the instance's memory as doubles, re-created only when the memory has grown. */
  private heapView: Float64Array | null = null;

  private heapF64(): Float64Array {
    const buffer = this.wasm.exports.memory.buffer;
    if (this.heapView === null || this.heapView.buffer !== buffer) this.heapView = new Float64Array(buffer);
    return this.heapView;
  }

  /** Writes θ into the terms' relative covariance factors T (lower triangle, column by column, as lme4). */
  setTheta(theta: ArrayLike<number>): void {
    let at = 0;
    const heap = this.heapF64();
    const mg = this.merge;
    if (mg) {
      if (theta.length !== mg.slotTerm.length) throw new ModelError(`theta has ${theta.length} entries, the model needs ${mg.slotTerm.length}`);
      // the blocks off the given terms' diagonal stay 0 from the constructor
      for (let k = 0; k < theta.length; k++) {
        const t = mg.slotTerm[k];
        heap[this.lambdaPtr[t] / 8 + mg.slotRow[k] * this.terms[t].p + mg.slotCol[k]] = theta[k];
      }
      return;
    }
    // a plain loop: this runs once per evaluation, and a callback would be allocated each time
    for (let j = 0; j < this.terms.length; j++) {
      const tp = this.terms[j].p;
      const base = this.lambdaPtr[j] / 8;
      for (let col = 0; col < tp; col++) {
        for (let row = col; row < tp; row++) heap[base + row * tp + col] = theta[at++];
      }
    }
    if (at !== theta.length) throw new ModelError(`theta has ${theta.length} entries, the model needs ${at}`);
  }

  /** Factors the system at θ; returns the deviance parts, or null when a pivot is not positive. */
  evaluate(theta: ArrayLike<number>): DevianceParts | null {
    if (!this.factorAt(theta)) return null;
    const e = this.wasm.exports;
    return { ldL2: e.ldL2.value as number, ldRX2: e.ldRX2.value as number, pwrss: e.pwrss.value as number };
  }

  /** Factors the system at θ; whether every pivot was positive. */
  private factorAt(theta: ArrayLike<number>): boolean {
    this.setTheta(theta);
    this.factored = false;
    const status = this.wasm.exports.factorize();
    if (status === -2) {
      throw new NumericalError('the fixed-effects part became singular while factoring (X is numerically rank deficient)');
    }
    this.factored = status === 0;
    return this.factored;
  }

  /** The profiled deviance (ML) or REML criterion at θ; +Infinity where the factorization fails. */
  deviance(theta: ArrayLike<number>, reml: boolean): number {
    // (the parts stay in the engine's globals: reading them from here costs more than the deviance does on small models)
    return this.factorAt(theta) ? this.lastDeviance(reml) : Infinity;
  }

  /** The profiled deviance (ML) or REML criterion at the θ of the last successful `evaluate`. */
  lastDeviance(reml: boolean): number {
    return this.wasm.exports.profiledDeviance(this.n, reml ? 1 : 0);
  }

  /** β̂ alone (no random effects or fitted values) for the θ of the last successful `evaluate`. */
  solveBeta(): Float64Array {
    const e = this.wasm.exports;
    e.solveBetaU(this.out.beta, this.out.u);
    return this.addOffset().slice();
  }

  /** β of y from the β of y − Xb just solved (in place in the output buffer, which it returns). */
  private addOffset(): Float64Array {
    const beta = this.wasm.f64(this.out.beta, this.p);
    for (let a = 0; a < this.p; a++) beta[a] += this.offset[a];
    return beta;
  }

  /** β, u, b = Λu and fitted values for the θ of the last successful `evaluate` (u and b in lme4's order). */
  solve(): EngineSolution {
    const sol = this.solveEngine();
    const mg = this.merge;
    if (!mg) return sol;
    const u = new Float64Array(this.q);
    const b = new Float64Array(this.q);
    mg.uGiven.forEach((g, k) => {
      u[g] = sol.u[k];
      b[g] = sol.b[k];
    });
    return { ...sol, u, b };
  }

  /** `solve` with u and b in the engine's order of its (possibly merged) terms. */
  private solveEngine(): EngineSolution {
    const e = this.wasm.exports;
    const o = this.out;
    e.solveBetaU(o.beta, o.u);
    this.addOffset();
    e.computeB(o.u, o.b);
    e.computeFitted(o.beta, o.b, o.fitted);
    const w = this.wasm;
    return {
      beta: w.f64(o.beta, this.p).slice(),
      u: w.f64(o.u, this.q).slice(),
      b: w.f64(o.b, this.q).slice(),
      fitted: w.f64(o.fitted, this.n).slice(),
    };
  }

  /**
   * R_X' of the last successful `evaluate`: the p×p lower-triangular factor with
   * R_X'R_X = X'X − X'ZΛ(Λ'Z'ZΛ + I)^{-1}Λ'Z'X, row-major. Var(β̂) = σ²(R_X'R_X)^{-1}.
   */
  fixedFactor(): Float64Array {
    const nD = this.denseOrder;
    if (this.sparsePlan) {
      const out = new Float64Array(this.p * this.p);
      const e = this.wasm.exports;
      for (let a = 0; a < this.p; a++) {
        for (let b = 0; b <= a; b++) out[a * this.p + b] = e.sparseEntry(this.qD + a, this.qD + b);
      }
      return out;
    }
    const d = this.wasm.f64(this.dPtr, nD * nD);
    const out = new Float64Array(this.p * this.p);
    for (let a = 0; a < this.p; a++) {
      for (let b = 0; b <= a; b++) out[a * this.p + b] = d[(this.qD + a) * nD + this.qD + b];
    }
    return out;
  }

  /**
   * Diagonal blocks of (Λ'Z'ZΛ + I)⁻¹ at the θ of the last successful `evaluate`, for each group of
   * terms (term indices sharing one grouping factor): per level a k×k row-major block over the group's
   * columns (k = Σ p). lme4's conditional variances are σ²Λ_i·block·Λ_i'.
   */
  inverseDiagonalBlocks(groups: readonly (readonly number[])[]): Float64Array[] {
    const given = this.givenTerms;
    for (const g of groups) {
      if (g.length === 0 || g.some((t) => given[t]?.nlev !== given[g[0]].nlev)) {
        throw new ModelError('inverseDiagonalBlocks: each group must be terms with the same levels');
      }
    }
    const mg = this.merge;
    if (!mg) return this.engineInverseDiagonalBlocks(groups);
    // the blocks over the engine terms holding each group, then the group's own rows and columns of them
    const engineGroups = groups.map((g) => [...new Set(Array.from(g, (t) => mg.termOf[t]))]);
    const blocks = this.engineInverseDiagonalBlocks(engineGroups);
    return groups.map((g, gi) => {
      const eg = engineGroups[gi];
      const start = new Map<number, number>();
      let K = 0;
      for (const t of eg) {
        start.set(t, K);
        K += this.terms[t].p;
      }
      const pos = g.flatMap((t) => Array.from({ length: given[t].p }, (_, a) => start.get(mg.termOf[t])! + mg.columnOf[t] + a));
      const k = pos.length;
      const nlev = given[g[0]].nlev;
      const src = blocks[gi];
      const out = new Float64Array(nlev * k * k);
      for (let l = 0; l < nlev; l++) {
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[(l * k + i) * k + j] = src[(l * K + pos[i]) * K + pos[j]];
      }
      return out;
    });
  }

  /** `inverseDiagonalBlocks` over the engine's (possibly merged) terms. */
  private engineInverseDiagonalBlocks(groups: readonly (readonly number[])[]): Float64Array[] {
    if (!this.sparsePlan) return inverseDiagonalBlocks(this.factorLayout(), groups);
    // no dense block to solve with: the crossed block's selected inverse, renumbered from u to dense rows
    const sel = this.selectedInverse();
    const denseOfU = new Int32Array(this.q).fill(-1);
    this.denseRowU.forEach((u, r) => (denseOfU[u] = r));
    const a = sel.row.map((u) => denseOfU[u]);
    const b = sel.col.map((u) => denseOfU[u]);
    return inverseDiagonalBlocks(this.factorLayout(), groups, crossedInverse(this.qD, a, b, sel.value));
  }

  /** Buffers of the exact gradient, allocated on its first use (the selected inverse needs two m² blocks). */
  private gradientBuffers: { s: number; w: number; scratch: number; outP: number; outR: number; gTab: number } | null = null;

  /**
   * The exact gradient of the profiled deviance (ML) or REML criterion at θ (assembly/gradient.ts), or
   * null when the factorization fails at θ: callers then fall back to finite differences. Leaves the
   * engine factored at θ.
   */
  devianceGradient(theta: ArrayLike<number>, reml: boolean): Float64Array | null {
    if (this.sparsePlan) return this.sparseGradient(theta, reml);
    const d = this.devianceDerivatives(theta, reml);
    if (d === null) return null;
    const nmp = reml ? this.n - this.p : this.n;
    // d/dθ [log-det + nmp·log r²] (eqs. 34 and 41: the rest does not depend on θ)
    return d.logDet.map((v, k) => v + (nmp * d.pwrss[k]) / d.parts.pwrss);
  }

  /**
   * Multiply-adds of one factorization: the crossed block's (`factorKind.flops`) and the chain terms' rank
   * updates of it (each level's dense rows, |rows|²·p / 2).
   */
  get factorWork(): number {
    let work = this.factorKind.flops;
    this.pieces.rowPtr.forEach((ptr, j) => {
      for (let l = 0; l + 1 < ptr.length; l++) work += ((ptr[l + 1] - ptr[l]) ** 2 * this.terms[j].p) / 2;
    });
    return work;
  }

  /**
   * Multiply-adds of one `averageInformation`: per θ entry a few passes over the observations and one
   * forward solve with the factor, per pair of entries an inner product over observations and effects.
   */
  get averageInformationWork(): number {
    const m = this.givenTerms.reduce((a, t) => a + MixedEngine.thetaLength(t.p), 0);
    const width = this.givenTerms.reduce((a, t) => a + t.p, 0) + this.p + 2;
    const solve = this.factorKind.nnzL + this.chainRows.reduce((a, r, j) => a + r * this.terms[j].p, 0) + this.q;
    return m * (this.n * width + solve) + (m * m * (this.n + this.q)) / 2;
  }

  /**
   * The average-information matrix in θ of the profiled deviance (ML) or REML criterion (nθ × nθ,
   * row-major; average-information.ts) at `theta`, which must be the θ of the last successful `evaluate`
   * (a gradient leaves the engine factored there); null when that evaluate failed or on a glm engine.
   */
  averageInformation(theta: ArrayLike<number>, reml: boolean, gradient?: ArrayLike<number>): Float64Array | null {
    if (!this.factored || this.glmEngine) return null;
    const sol = this.solve();
    const residual = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) residual[i] = this.yObs[i] - sol.fitted[i];
    const w = this.wasm;
    const plan = this.sparsePlan;
    const nD = this.denseOrder;
    // a dense block is one supernode whose panel is D
    const { first, rowPtr, rows } = plan?.structure ?? { first: Int32Array.of(0, nD), rowPtr: Int32Array.of(0, nD), rows: Int32Array.from({ length: nD }, (_, i) => i) };
    const valOff = new Int32Array(first.length);
    for (let s = 0; s + 1 < first.length; s++) valOff[s + 1] = valOff[s] + (rowPtr[s + 1] - rowPtr[s]) * (first[s + 1] - first[s]);
    const values = w.f64(plan ? this.sparseLayoutArgs[5] : this.dPtr, valOff[first.length - 1]);
    const F: ForwardFactor = { view: this.factorLayout(), panels: { first, rowPtr, rows, valOff, values, perm: plan?.perm ?? rows }, uoff: this.uoff, denseRowU: this.denseRowU, q: this.q };
    const mg = this.merge;
    const q = this.q;
    const solve = (C: Float64Array, m: number): Float64Array => {
      if (!mg) return forwardSolve(F, C, m);
      // the merged engine's order of u: row k is the given u's uGiven[k]
      const ce = Float64Array.from(C);
      for (let k = 0; k < q; k++) ce.set(C.subarray(mg.uGiven[k] * m, (mg.uGiven[k] + 1) * m), k * m);
      return forwardSolve(F, ce, m);
    };
    return averageInformation({
      terms: this.givenTerms, theta, u: sol.u, residual, X: this.X, p: this.p, nu: reml ? this.n - this.p : this.n, solve, gradient,
    });
  }

  /**
   * The derivatives in θ of the deviance's two θ-dependent parts at θ, from the dense factor: logDet =
   * ∂(ldL2 [+ ldRX2 by REML])/∂θ and pwrss = ∂r²/∂θ, with the parts themselves; null when the factorization
   * fails at θ or the block is factored sparse (whose gradient comes profiled). Leaves the engine factored at θ.
   */
  devianceDerivatives(theta: ArrayLike<number>, reml: boolean): { parts: DevianceParts; logDet: Float64Array; pwrss: Float64Array } | null {
    if (this.sparsePlan) return null;
    const parts = this.evaluate(theta);
    if (parts === null) return null;
    const w = this.wasm;
    const e = w.exports as unknown as { gradientParts(...args: number[]): number; solveBetaU(b: number, u: number): void; computeB(u: number, b: number): void };
    const maxM = this.qD + this.p;
    const acc = this.terms.reduce((a, t) => a + t.p * t.p, 0);
    if (this.gradientBuffers === null) {
      const maxP = this.terms.reduce((m, t) => Math.max(m, t.p), 1);
      const s = this.chainLength;
      const chain = this.terms.slice(0, s);
      const qChain = chain.reduce((a, t) => a + t.nlev * t.p, 0);
      // the chain's Σ blocks: per term its diagonal blocks and dense rows, per pair the ancestor blocks
      const tab = new Int32Array(2 * s + s * s);
      chain.forEach((t, j) => {
        tab[2 * j] = w.allocF64(t.nlev * t.p * t.p);
        tab[2 * j + 1] = w.allocF64(this.chainRows[j] * t.p);
        for (let i = j + 1; i < s; i++) tab[2 * s + i * s + j] = w.allocF64(t.nlev * chain[i].p * t.p);
      });
      const gTab = w.allocI32(tab.length);
      w.i32(gTab, tab.length).set(tab);
      this.gradientBuffers = {
        s: w.allocF64(maxM * maxM),
        w: w.allocF64(maxM * maxM),
        scratch: w.allocF64(4 * this.denseOrder * maxP + (s + 8) * maxP * maxP + qChain + 64),
        outP: w.allocF64(acc),
        outR: w.allocF64(acc),
        gTab,
      };
    }
    const g = this.gradientBuffers;
    const o = this.out;
    e.solveBetaU(o.beta, o.u);
    e.computeB(o.u, o.b);
    const m = reml ? this.qD + this.p : this.qD;
    if (e.gradientParts(m, g.s, g.w, g.scratch, o.u, o.b, o.beta, g.outP, g.outR, g.gTab) !== 0) return null;
    const heap = this.heapF64();
    const P = g.outP / 8;
    const R = g.outR / 8;
    const accOff = new Int32Array(this.terms.length);
    for (let t = 1; t < this.terms.length; t++) accOff[t] = accOff[t - 1] + this.terms[t - 1].p * this.terms[t - 1].p;
    const entry = (t: number, r: number, c: number): number => accOff[t] + r * this.terms[t].p + c;
    // ∂ log det = 2·outP, ∂r² = −2·outR (assembly/gradient.ts)
    const logDet = this.givenTheta((t, r, c) => 2 * heap[P + entry(t, r, c)]);
    const pwrss = this.givenTheta((t, r, c) => -2 * heap[R + entry(t, r, c)]);
    return { parts, logDet, pwrss };
  }

  /**
   * The crossed block of (Λ'Z'ZΛ + I)⁻¹ at the θ of the last successful `evaluate`, on its factor's pattern
   * (the whole lower triangle when the block is factored dense): the selected inverse (Takahashi recursion),
   * at about the cost of one more factorization. Chain terms' blocks are not included.
   */
  selectedInverse(): SelectedInverse {
    const zv = this.selectedInversePanels();
    const pattern = this.selectedInversePattern();
    return { row: pattern.row, col: pattern.col, value: Float64Array.from(pattern.pos, (k) => zv[k]) };
  }

  /**
   * Runs the selected inverse on the first `columns` columns of the factor (default: the random effects;
   * with X too, the inverse of Ω = [Λ'Z'ZΛ + I, Λ'Z'X; X'ZΛ, X'X] that REML's log|L|² + log|R_X|² needs);
   * returns the supernodal panels it fills (a view: read before memory grows).
   */
  private selectedInversePanels(columns = this.qD): Float64Array {
    if (!this.factored) throw new ModelError('the selected inverse needs a successful evaluate(theta) first');
    const w = this.wasm;
    const nD = this.denseOrder;
    const q = this.qD;
    if (!this.inverseArgs) {
      let layout: { first: Int32Array; rowPtr: Int32Array; rows: Int32Array; valOff: Int32Array; order: Int32Array };
      let ptrs: number[];
      if (this.sparsePlan) {
        const sym = this.sparsePlan.structure;
        const ns = sym.first.length - 1;
        const valOff = new Int32Array(ns + 1);
        for (let s = 0; s < ns; s++) valOff[s + 1] = valOff[s] + (sym.rowPtr[s + 1] - sym.rowPtr[s]) * (sym.first[s + 1] - sym.first[s]);
        const order = new Int32Array(nD);
        this.sparsePlan.perm.forEach((k, r) => (order[k] = r));
        layout = { first: sym.first, rowPtr: sym.rowPtr, rows: sym.rows, valOff, order };
        ptrs = this.sparseLayoutArgs;
      } else {
        // the dense block is one supernode whose panel is D itself
        const i32 = (data: Int32Array): number => {
          const ptr = w.allocI32(data.length);
          w.i32(ptr, data.length).set(data);
          return ptr;
        };
        const identity = Int32Array.from({ length: nD }, (_, i) => i);
        layout = { first: Int32Array.of(0, nD), rowPtr: Int32Array.of(0, nD), rows: identity, valOff: Int32Array.of(0, nD * nD), order: identity };
        ptrs = [1, i32(layout.first), i32(layout.rowPtr), i32(layout.rows), i32(layout.valOff), this.dPtr, i32(new Int32Array(nD))];
      }
      // a supernode's scratch is (rows below + its columns)², at most its rows squared
      let maxRows = 0;
      let maxPanelRows = 0;
      for (let s = 0; s + 1 < layout.first.length; s++) {
        const m = layout.rowPtr[s + 1] - layout.rowPtr[s];
        maxPanelRows = Math.max(maxPanelRows, m);
        maxRows = Math.max(maxRows, m - (layout.first[s + 1] - layout.first[s]));
      }
      const z = w.allocF64(layout.valOff[layout.valOff.length - 1]);
      const gather = w.allocF64(maxPanelRows ** 2 + 1);
      const rel = w.allocI32(maxRows + 1);
      const pack = w.allocF64(maxPanelRows * w.constant('PACK_COLUMNS'));
      this.inverseArgs = { args: [...ptrs, q, z, gather, rel, pack], z, ...layout };
    }
    const { args, z, valOff } = this.inverseArgs;
    w.exports.selectedInverse(...args.slice(0, 7), columns, ...args.slice(8));
    return w.f64(z, valOff[valOff.length - 1]);
  }

  /** Where each entry of `selectedInverse` sits in the supernodal panels (θ-independent, built once). */
  private selectedInversePattern(): { row: Int32Array; col: Int32Array; pos: Int32Array } {
    if (this.inversePattern) return this.inversePattern;
    const { first, rowPtr, rows, valOff, order } = this.inverseArgs!;
    const q = this.qD;
    // two passes: count the entries, then fill typed arrays (no growing lists of a few hundred thousand)
    const visit = (emit: (i: number, j: number, pos: number) => void): void => {
      for (let s = 0; s + 1 < first.length; s++) {
        const f = first[s];
        const width = first[s + 1] - f;
        const m = rowPtr[s + 1] - rowPtr[s];
        for (let j = f; j < Math.min(first[s + 1], q); j++) {
          for (let a = j - f; a < m; a++) {
            const i = rows[rowPtr[s] + a];
            if (i >= q) break;
            emit(i, j, valOff[s] + a * width + (j - f));
          }
        }
      }
    };
    let count = 0;
    visit(() => count++);
    const row = new Int32Array(count);
    const col = new Int32Array(count);
    const pos = new Int32Array(count);
    let at = 0;
    visit((i, j, k) => {
      row[at] = this.denseRowU[order[i]];
      col[at] = this.denseRowU[order[j]];
      pos[at++] = k;
    });
    this.inversePattern = { row, col, pos };
    return this.inversePattern;
  }

  private inversePattern: { row: Int32Array; col: Int32Array; pos: Int32Array } | null = null;

  /**
   * `devianceGradient` when the crossed block is factored sparse (src/wasm/sparse-gradient.ts), with at most
   * one chain term; longer chains return null, and callers fall back to finite differences. REML reads the
   * selected inverse of the block with X (log|L|² + log|R_X|² is the log-determinant of that block).
   */
  private sparseGradient(theta: ArrayLike<number>, reml: boolean): Float64Array | null {
    if (this.chainLength > 1 || this.glmEngine) return null;
    const parts = this.evaluate(theta);
    if (parts === null) return null;
    // first: the selected inverse's buffers are allocated on first use, which may grow (and detach) memory
    this.selectedInversePanels(reml ? this.qD + this.p : this.qD);
    const scalar = this.scalarTermsGradient(theta, reml, parts.pwrss);
    if (scalar !== null) return scalar;
    const sol = this.solveEngine();
    const residual = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) residual[i] = this.yObs[i] - sol.fitted[i];
    const w = this.wasm;
    const { z } = this.inverseArgs!;
    const mode = reml ? 1 : 0;
    let plan = this.sparseGradientPlans[mode];
    if (plan === null) {
      const chain = this.chainLength === 1 ? this.chainFactor() : null;
      plan = new SparseGradient(this.terms, this.uoff, this.denseRowU, chain, this.inverseArgs!, this.sparsePlan!.perm, reml ? this.X : null);
      const cl = plan.chainLayout;
      if (cl) {
        const i32 = (data: Int32Array): number => {
          const ptr = w.allocI32(data.length);
          w.i32(ptr, data.length).set(data);
          return ptr;
        };
        const p = this.terms[0].p;
        const out = w.allocF64(cl.outSize);
        this.chainInverseArgs[mode] = {
          args: [z, this.sparseChainPairs, i32(cl.levelPtr), out, i32(cl.outOff), w.allocF64(p)],
          out,
        };
      }
      this.sparseGradientPlans[mode] = plan;
    }
    const ci = this.chainInverseArgs[mode];
    if (ci) (w.exports as unknown as { chainInverse(...args: number[]): void }).chainInverse(...ci.args);
    const g = plan.gradient(w, { z, chain: ci ? ci.out : 0, u: sol.u, residual, pwrss: parts.pwrss });
    return g && this.givenTheta((t, r, c) => g[this.thetaStart(t) + thetaIndex(this.terms[t].p, r, c)]);
  }

  /**
   * `sparseGradient` when every term is scalar and none was merged (src/wasm/sparse-gradient.ts,
   * ScalarTermsGradient: A⁻¹'s diagonal suffices), at the θ just factored, from the selected inverse just
   * computed; null where that route does not apply or has lost its digits.
   */
  private scalarTermsGradient(theta: ArrayLike<number>, reml: boolean, pwrss: number): Float64Array | null {
    if (this.gradientRoute !== 'sparse-diagonal') return null;
    const w = this.wasm;
    const o = this.out;
    w.exports.solveBetaU(o.beta, o.u);
    const mode = reml ? 1 : 0;
    let route = this.scalarGradients[mode];
    if (route === null) {
      const chain = this.chainLength === 1 ? this.chainFactor() : null;
      route = new ScalarTermsGradient(this.terms, this.uoff, this.denseRowU, chain, this.inverseArgs!, this.sparsePlan!.perm, this.qD + (reml ? this.p : 0));
      const lp = route.levelPtr;
      const levelPtr = lp ? w.allocI32(lp.length) : 0;
      if (lp) w.i32(levelPtr, lp.length).set(lp);
      this.scalarGradients[mode] = route;
      this.scalarLevelPtr[mode] = levelPtr;
    }
    const { z, valOff } = this.inverseArgs!;
    const chainTrace = this.chainLength === 1 ? w.exports.chainInverseTrace(z, this.sparseChainPairs, this.scalarLevelPtr[mode]) : 0;
    const u = w.f64(o.u, this.q);
    return route.gradient(theta, w.f64(z, valOff[valOff.length - 1]), chainTrace, u, pwrss, reml ? this.n - this.p : this.n);
  }

  /**
   * How `devianceGradient` gets its trace: the dense block's inverse, the sparse path's per-observation
   * trace (SparseGradient), or the diagonal of the selected inverse when every term is scalar
   * (ScalarTermsGradient; it falls back to the trace at a θ that shrinks a term almost to 0).
   */
  get gradientRoute(): 'dense' | 'sparse-trace' | 'sparse-diagonal' {
    if (!this.sparsePlan) return 'dense';
    return this.merge || this.terms.some((t) => t.p !== 1) ? 'sparse-trace' : 'sparse-diagonal';
  }

  /** ScalarTermsGradient for ML and REML, built on first use, and where its chain `levelPtr` sits. */
  private scalarGradients: [ScalarTermsGradient | null, ScalarTermsGradient | null] = [null, null];
  private scalarLevelPtr: [number, number] = [0, 0];

  /** Offset of engine term t's entries in the engine's θ. */
  private thetaStart(t: number): number {
    let at = 0;
    for (let j = 0; j < t; j++) at += MixedEngine.thetaLength(this.terms[j].p);
    return at;
  }

  /**
   * A vector over the given terms' θ from a function of the engine's T entries (engine term, row, column):
   * identity when the terms were not merged.
   */
  private givenTheta(at: (term: number, row: number, col: number) => number): Float64Array {
    const mg = this.merge;
    if (mg) return Float64Array.from(mg.slotTerm, (t, k) => at(t, mg.slotRow[k], mg.slotCol[k]));
    const out: number[] = [];
    this.terms.forEach((t, j) => {
      for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) out.push(at(j, r, c));
    });
    return Float64Array.from(out);
  }

  /** The sparse gradient's plans for ML and REML, built on first use. */
  private sparseGradientPlans: [SparseGradient | null, SparseGradient | null] = [null, null];
  /** assembly/chainInverse's arguments and output (the chain term's entries of A⁻¹) for ML and REML. */
  private chainInverseArgs: [{ args: number[]; out: number } | null, { args: number[]; out: number } | null] = [null, null];

  /** How the crossed block is factored, and the size of its factor (nnz(L) counts the true nonzeros). */
  get factorKind(): { kind: 'dense' | 'sparse'; order: number; nnzL: number; panelDoubles: number; supernodes: number; flops: number } {
    const nD = this.denseOrder;
    const plan = this.sparsePlan;
    if (!plan) return { kind: 'dense', order: nD, nnzL: (nD * (nD + 1)) / 2, panelDoubles: nD * nD, supernodes: 1, flops: (nD * nD * nD) / 6 };
    const st = plan.structure;
    return { kind: 'sparse', order: nD, nnzL: st.nnzL, panelDoubles: st.panelSize, supernodes: st.first.length - 1, flops: plan.sparseFlops };
  }

  /** Bytes of WebAssembly memory held by this model. */
  get memoryBytes(): number {
    return this.wasm.memoryBytes;
  }
}
