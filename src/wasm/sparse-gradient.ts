/**
 * The exact gradient of the profiled deviance (ML) or REML criterion when the crossed block is factored
 * sparse (no dense D to invert). With A = Λ'Z'ZΛ + I and ∂Λ/∂θ_k = I ⊗ e_r e_c' on term t,
 *     ∂ log|A| / ∂θ_k = 2 tr(A⁻¹ Λ'Z'Z ∂Λ_k) = 2 Σ_obs Σ_a (ZΛ)_{obs,a} A⁻¹_{a,(g,c)} Z_{obs,(g,r)},
 * which reads A⁻¹ only at pairs of columns that meet in one observation: the pattern of Z'Z, inside the
 * pattern of the factor. The crossed block's entries come from the supernodal selected inverse; a chain
 * term's (one block-diagonal term eliminated before the crossed block) from one Takahashi step per level
 * (assembly/chain-inverse.ts), which needs the selected inverse at the level's dense rows (a clique of the
 * crossed block's factor).
 * REML's log|L|² + log|R_X|² is log|Ω|, Ω = [A, Λ'Z'X; X'ZΛ, X'X], whose derivative reads Ω⁻¹ the same way
 * over each observation's row of [ZΛ X]: the selected inverse then runs over X's columns too.
 * The residual part is the envelope theorem's ∂r²/∂θ_k = −2 Σ_g (Z'r)_{(g,r)} u_{(g,c)}, as in
 * assembly/gradient.ts (n − p in place of n for REML).
 */
import { NumericalError } from '../errors.js';
import type { EngineTerm } from './mixed-engine.js';
import type { WasmInstance } from './instance.js';

/** The chain term's factor pieces (term 0, eliminated first). */
export interface ChainFactor {
  /** Per level the p×p lower-triangular diagonal block of L, row-major. */
  readonly ldiag: Float64Array;
  /** Per level, the range of its dense rows in `rows` / `ld`. */
  readonly rowPtr: Int32Array;
  /** Dense rows (numbered as the crossed block: random effects first, then X, then y). */
  readonly rows: Int32Array;
  /** L's entries at those rows, p per row. */
  readonly ld: Float64Array;
}

/** The numbers the sparse gradient reads, all at the θ of the last factorization. */
export interface SparseGradientValues {
  /** Where the crossed block's selected inverse sits in the instance (supernodal panels, positions from the pattern). */
  readonly z: number;
  /** Where the chain term's entries of A⁻¹ sit, laid out as `chainLayout.outOff` says (assembly/chainInverse), or 0. */
  readonly chain: number;
  readonly u: Float64Array;
  /** y − Xβ − ZΛu. */
  readonly residual: Float64Array;
  readonly pwrss: number;
}

/** The crossed block's supernodal layout (src/linalg/supernodal-symbolic.ts) and where its panels start. */
export interface PanelLayout {
  readonly first: Int32Array;
  readonly rowPtr: Int32Array;
  readonly rows: Int32Array;
  /** First double of each supernode's panel (ns + 1 entries: the last is the panels' size). */
  readonly valOff: Int32Array;
}

/**
 * The ML gradient on the sparse path. Where each A⁻¹ entry it reads sits depends on the pattern only, so
 * the constructor resolves every look-up to a position once (a binary search in a supernode's rows, or in a
 * chain level's dense rows), and each gradient then reads positions (assembly/gradient.ts, sparseTrace): the
 * selected inverse's panels, followed by the chain term's entries.
 */
export class SparseGradient {
  private readonly terms: readonly EngineTerm[];
  private readonly uoff: Int32Array;
  private readonly nz: number;
  /** Per observation, term t, column c and entry x of the observation's row of Z: A⁻¹'s position. */
  private readonly obsPos: Int32Array;
  /** Entries of an observation's row of Z (Σ p). */
  private readonly width: number;
  /** REML: X (column-major) and its columns; ML: null and 0. */
  private readonly X: Float64Array | null;
  private readonly p: number;
  /** The trace's buffers in the instance (assembly/sparseTrace), allocated by the first gradient. */
  private buffers: { obsPos: number; va: number; acc: number; zr: number; residual: number } | null = null;
  /**
   * Where assembly/chainInverse reads and writes the chain term's step: per level the count of its
   * random-effects dense rows (levelPtr, cumulative: they lead its list of dense rows) and the start of its
   * entries in the output (outOff, doubles; `outSize` in all), or null without a chain.
   */
  readonly chainLayout: { levelPtr: Int32Array; outOff: Int32Array; outSize: number } | null;

  /**
   * `factorCol`: each dense row's column in the crossed block's factor order. `X` (column-major, n × p)
   * for REML: the gradient then reads the inverse of the block with X (Ω⁻¹, selected inverse over the
   * random effects and X), and each observation's row of [ZΛ X] enters the trace.
   */
  constructor(
    terms: readonly EngineTerm[], uoff: Int32Array, denseRowU: Int32Array, chain: ChainFactor | null,
    layout: PanelLayout, factorCol: Int32Array, X: Float64Array | null = null,
  ) {
    this.terms = terms;
    this.uoff = uoff;
    const q = terms.reduce((a, t) => a + t.nlev * t.p, 0);
    const qD = denseRowU.length;
    const n = terms.length > 0 ? terms[0].codes.length : 0;
    const p = X && n > 0 ? X.length / n : 0;
    this.X = X;
    this.p = p;
    // the dense rows read: the random effects, and X's for REML (X's columns are numbered q + a among u)
    const qLimit = qD + p;
    const { first, rowPtr, rows, valOff } = layout;
    const ns = first.length - 1;
    const nz = valOff[ns];
    this.nz = nz;
    const chainTerm = chain ? terms[0] : null;
    const nlev = chain && chainTerm ? chainTerm.nlev : 0;
    const p0 = chainTerm ? chainTerm.p : 0;
    const levelPtr = chain ? chainLevelRows(chain, qLimit) : new Int32Array(1);
    const levelRows = new Int32Array(nlev);
    const outOff = new Int32Array(nlev);
    let next = 0;
    for (let c = 0; c < nlev; c++) {
      const k = levelPtr[c + 1] - levelPtr[c];
      levelRows[c] = k;
      // Σ_{R,c} (k×p) then Σ_cc (p×p, full)
      outOff[c] = next;
      next += k * p0 + p0 * p0;
    }
    this.chainLayout = chain ? { levelPtr, outOff, outSize: next } : null;

    const denseOf = new Int32Array(q + p).fill(-1);
    denseRowU.forEach((u, r) => (denseOf[u] = r));
    for (let a = 0; a < p; a++) denseOf[q + a] = qD + a;
    const snodeOf = new Int32Array(first[ns]);
    for (let t = 0; t < ns; t++) snodeOf.fill(t, first[t], first[t + 1]);
    const internal = (a: number, b: number): never => {
      throw new NumericalError(`internal: the sparse gradient needs A⁻¹ at (${a}, ${b}), outside the factor's pattern`);
    };
    // the current chain level's dense rows: levelPos[r] = r's index in the level's list (stamped by level)
    const levelPos = new Int32Array(qD + p);
    const levelStamp = new Int32Array(qD + p).fill(-1);
    const width = terms.reduce((a, t) => a + t.p, 0);
    this.width = width;
    const all = width + p;
    const perObs = width * all;
    const obsPos = new Int32Array(n * perObs);
    const ua = new Int32Array(all);
    for (let a = 0; a < p; a++) ua[width + a] = q + a;
    /** A⁻¹'s position at (u_a, u_b), u_b a random effect of observation i (chain level c0 when there is a chain). */
    const find = (a: number, b: number, c0: number): number => {
      const ra = denseOf[a];
      const rb = denseOf[b];
      if (ra >= 0 && rb >= 0) {
        const fa = factorCol[ra];
        const fb = factorCol[rb];
        const lo = fa < fb ? fa : fb;
        const hiCol = fa < fb ? fb : fa;
        const t = snodeOf[lo];
        let at = lo - first[t] + rowPtr[t];
        if (hiCol !== lo) {
          // rows ascending, the supernode's own columns first
          let l = at + 1;
          let h = rowPtr[t + 1];
          while (l < h) {
            const mid = (l + h) >> 1;
            if (rows[mid] < hiCol) l = mid + 1;
            else h = mid;
          }
          if (l >= rowPtr[t + 1] || rows[l] !== hiCol) internal(a, b);
          at = l;
        }
        return valOff[t] + (at - rowPtr[t]) * (first[t + 1] - first[t]) + (lo - first[t]);
      }
      if (!chain) return internal(a, b);
      const base = nz + outOff[c0];
      const e0 = uoff[0] + c0 * p0;
      if (ra < 0 && rb < 0) {
        const ea = a - e0;
        const eb = b - e0;
        if (ea < 0 || ea >= p0 || eb < 0 || eb >= p0) internal(a, b);
        return base + levelRows[c0] * p0 + Math.max(ea, eb) * p0 + Math.min(ea, eb);
      }
      const r = ra < 0 ? rb : ra;
      const ec = ra < 0 ? a - e0 : b - e0;
      if (levelStamp[r] !== c0 || ec < 0 || ec >= p0) internal(a, b);
      return base + levelPos[r] * p0 + ec;
    };
    let stamped = -1;
    for (let i = 0; i < n; i++) {
      let c0 = -1;
      if (chain) {
        c0 = terms[0].codes[i];
        if (c0 !== stamped) {
          stamped = c0;
          for (let x = 0; x < levelRows[c0]; x++) {
            const r = chain.rows[chain.rowPtr[c0] + x];
            levelStamp[r] = c0;
            levelPos[r] = x;
          }
        }
      }
      let x = 0;
      for (let j = 0; j < terms.length; j++) {
        const t = terms[j];
        for (let a = 0; a < t.p; a++) ua[x++] = uoff[j] + t.codes[i] * t.p + a;
      }
      let at = i * perObs;
      for (let j = 0; j < terms.length; j++) {
        const t = terms[j];
        for (let c = 0; c < t.p; c++) {
          const uc = uoff[j] + t.codes[i] * t.p + c;
          for (let y = 0; y < all; y++) obsPos[at++] = find(ua[y], uc, c0);
        }
      }
    }
    this.obsPos = obsPos;
  }

  /**
   * ∂ deviance / ∂θ (ML), or ∂ REML criterion / ∂θ when built with X; θ in lme4's order (term by term,
   * T's lower triangle column by column). `w` is the engine's instance, factored at θ (its terms' T too).
   */
  gradient(w: WasmInstance, v: SparseGradientValues): Float64Array {
    const { terms, uoff, width, p: pX } = this;
    const q = terms.reduce((a, t) => a + t.nlev * t.p, 0);
    const n = v.residual.length;
    const accSize = terms.reduce((a, t) => a + t.p * t.p, 0);
    if (this.buffers === null) {
      // allocated before any view is taken: allocation may grow (and detach) the instance's memory
      const obsPos = w.allocI32(this.obsPos.length);
      this.buffers = { obsPos, va: w.allocF64(width + pX), acc: w.allocF64(accSize), zr: w.allocF64(q), residual: w.allocF64(n) };
      w.i32(obsPos, this.obsPos.length).set(this.obsPos);
    }
    const b = this.buffers;
    w.f64(b.residual, n).set(v.residual);
    w.exports.sparseTrace(b.obsPos, this.nz, v.z, v.chain, b.residual, this.X ? 1 : 0, b.va, b.acc, b.zr);
    const acc = w.f64(b.acc, accSize);
    const zr = w.f64(b.zr, q);
    const u = v.u;
    const nmp = n - pX;
    const grad: number[] = [];
    let accOff = 0;
    terms.forEach((t, j) => {
      const p = t.p;
      for (let c = 0; c < p; c++) {
        for (let r = c; r < p; r++) {
          let res = 0;
          for (let g = 0; g < t.nlev; g++) res += zr[uoff[j] + g * p + r] * u[uoff[j] + g * p + c];
          grad.push(2 * acc[accOff + r * p + c] - (2 * nmp * res) / v.pwrss);
        }
      }
      accOff += p * p;
    });
    return Float64Array.from(grad);
  }
}

/**
 * Per level of the chain term, cumulative, how many of its dense rows are below `qLimit` (the random
 * effects, and X's rows for REML: they lead its list of dense rows); what assembly/chainInverse and
 * chainInverseTrace take as `levelPtr`.
 */
function chainLevelRows(chain: ChainFactor, qLimit: number): Int32Array {
  const nlev = chain.rowPtr.length - 1;
  const levelPtr = new Int32Array(nlev + 1);
  for (let c = 0; c < nlev; c++) {
    const i0 = chain.rowPtr[c];
    let k = 0;
    while (i0 + k < chain.rowPtr[c + 1] && chain.rows[i0 + k] < qLimit) k++;
    levelPtr[c + 1] = levelPtr[c] + k;
  }
  return levelPtr;
}

/**
 * The gradient on the sparse path when every term is scalar ((1 | g): Λ = Σ_i θ_i E_i, E_i the indicator
 * of term i's q_i levels). Then Λ'Z'Z E_i = (A − I) E_i / θ_i, so
 *     ∂ log|A| / ∂θ_i = 2 tr(A⁻¹ Λ'Z'Z E_i) = (2/θ_i) (q_i − tr(E_i A⁻¹)),
 * which reads A⁻¹ only on its diagonal (for REML Ω⁻¹'s, by the same argument with blockdiag(I_q, 0) in
 * place of I); and the normal equations Λ'Z'r = u give (Z'r)_g = u_g / θ_i on term i's levels, so
 * ∂r²/∂θ_i = −(2/θ_i) ‖u_i‖². No per-observation trace and no plan of positions: the diagonal of the
 * crossed block's selected inverse, and the chain term's trace (assembly/chainInverseTrace).
 * q_i − tr(E_i A⁻¹) is a difference of nearly equal sums when term i's effects are shrunk almost to 0
 * (θ_i² times a level's count far below 1, θ_i = 0 itself): `gradient` then returns null and the
 * caller takes SparseGradient's trace, which has no such cancellation.
 */
export class ScalarTermsGradient {
  /** Per dense random-effects row: the position of its diagonal entry in the selected inverse's panels. */
  private readonly diagPos: Int32Array;
  /** Per dense random-effects row: its term. */
  private readonly termOfRow: Int32Array;
  private readonly nlev: Int32Array;
  private readonly uoff: Int32Array;
  /** The chain term's `levelPtr` for assembly/chainInverseTrace, or null without a chain. */
  readonly levelPtr: Int32Array | null;

  /** `qLimit`: the dense rows the selected inverse covers (the random effects, and X's rows for REML). */
  constructor(
    terms: readonly EngineTerm[], uoff: Int32Array, denseRowU: Int32Array, chain: ChainFactor | null,
    layout: PanelLayout, factorCol: Int32Array, qLimit: number,
  ) {
    this.nlev = Int32Array.from(terms, (t) => t.nlev);
    this.uoff = uoff;
    this.levelPtr = chain ? chainLevelRows(chain, qLimit) : null;
    const { first, valOff } = layout;
    const qD = denseRowU.length;
    this.diagPos = new Int32Array(qD);
    this.termOfRow = new Int32Array(qD);
    let t = 0;
    for (let r = 0; r < qD; r++) {
      const col = factorCol[r];
      // the supernode holding the column: the last whose first column is at most it
      let lo = 0;
      let hi = first.length - 2;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (first[mid] <= col) lo = mid;
        else hi = mid - 1;
      }
      const w = first[lo + 1] - first[lo];
      this.diagPos[r] = valOff[lo] + (col - first[lo]) * w + (col - first[lo]);
      const u = denseRowU[r];
      t = 0;
      while (t + 1 < terms.length && u >= uoff[t + 1]) t++;
      this.termOfRow[r] = t;
    }
  }

  /**
   * ∂ criterion / ∂θ from the selected inverse's panels `z`, the chain term's trace of A⁻¹ (0 without a
   * chain), u and r² at θ (one entry per term), or null where q_i − tr(E_i A⁻¹) has lost its digits.
   * `nmp`: n for ML, n − p for REML.
   */
  gradient(theta: ArrayLike<number>, z: Float64Array, chainTrace: number, u: Float64Array, pwrss: number, nmp: number): Float64Array | null {
    const nt = this.nlev.length;
    const trace = new Float64Array(nt);
    if (this.levelPtr) trace[0] = chainTrace;
    for (let r = 0; r < this.diagPos.length; r++) trace[this.termOfRow[r]] += z[this.diagPos[r]];
    const grad = new Float64Array(nt);
    for (let i = 0; i < nt; i++) {
      const q = this.nlev[i];
      const shrink = q - trace[i];
      if (!(shrink > SCALAR_CANCELLATION * q)) return null;
      let uu = 0;
      for (let g = 0; g < q; g++) uu += u[this.uoff[i] + g] ** 2;
      grad[i] = (2 / theta[i]) * (shrink - (nmp * uu) / pwrss);
    }
    return grad;
  }
}

/**
 * The least q_i − tr(E_i A⁻¹), relative to q_i, that ScalarTermsGradient trusts: each diagonal entry
 * carries rounding of order 1e-15, so this keeps about nine digits of the difference.
 */
const SCALAR_CANCELLATION = 1e-6;
