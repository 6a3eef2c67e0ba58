/**
 * The exact ML gradient of the profiled deviance when the crossed block is factored sparse (no dense D to
 * invert). With A = Λ'Z'ZΛ + I and ∂Λ/∂θ_k = I ⊗ e_r e_c' on term t,
 *     ∂ log|A| / ∂θ_k = 2 tr(A⁻¹ Λ'Z'Z ∂Λ_k) = 2 Σ_obs Σ_a (ZΛ)_{obs,a} A⁻¹_{a,(g,c)} Z_{obs,(g,r)},
 * which reads A⁻¹ only at pairs of columns that meet in one observation: the pattern of Z'Z, inside the
 * pattern of the factor. The crossed block's entries come from the supernodal selected inverse; a chain
 * term's (one block-diagonal term eliminated before the crossed block) from one Takahashi step per level
 * (assembly/chain-inverse.ts), which needs the selected inverse at the level's dense rows (a clique of the
 * crossed block's factor).
 * The residual part is the envelope theorem's ∂r²/∂θ_k = −2 Σ_g (Z'r)_{(g,r)} u_{(g,c)}, as in
 * assembly/gradient.ts.
 */
import { NumericalError } from '../errors.js';
import type { EngineTerm } from './mixed-engine.js';

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
  /** The crossed block's selected inverse, in the supernodal panels (positions from the pattern). */
  readonly z: Float64Array;
  /** Each term's relative covariance factor T (p×p lower triangle, row-major). */
  readonly lambda: readonly Float64Array[];
  /** The chain term's entries of A⁻¹ laid out as `chainLayout.outOff` says (assembly/chainInverse), or null. */
  readonly chain: Float64Array | null;
  readonly u: Float64Array;
  /** y − Xβ − ZΛu. */
  readonly residual: Float64Array;
  readonly pwrss: number;
}

/**
 * The ML gradient on the sparse path. Where each A⁻¹ entry it reads sits depends on the pattern only, so
 * the constructor resolves every look-up to a position once (a hash of pairs of u indices), and each
 * gradient then reads positions: the selected inverse's panels, followed by the chain term's entries.
 */
export class SparseGradient {
  private readonly terms: readonly EngineTerm[];
  private readonly uoff: Int32Array;
  private readonly nz: number;
  /** Per observation, term t, column c and entry x of the observation's row of Z: A⁻¹'s position. */
  private readonly obsPos: Int32Array;
  /** Entries of an observation's row of Z (Σ p). */
  private readonly width: number;
  private readonly size: number;
  /**
   * Where assembly/chainInverse reads and writes the chain term's step: per level its random-effects dense
   * rows sorted by factor column (levelPtr, sortedCols, sortedIdx: each one's index in the level's list) and
   * the start of its entries in the output (outOff, doubles; `outSize` in all), or null without a chain.
   */
  readonly chainLayout: { levelPtr: Int32Array; sortedCols: Int32Array; sortedIdx: Int32Array; outOff: Int32Array; outSize: number; maxRows: number } | null;

  /** `factorCol`: each dense row's column in the crossed block's factor order. */
  constructor(
    terms: readonly EngineTerm[], uoff: Int32Array, denseRowU: Int32Array, chain: ChainFactor | null,
    pattern: { row: Int32Array; col: Int32Array; pos: Int32Array }, factorCol: Int32Array,
  ) {
    this.terms = terms;
    this.uoff = uoff;
    const q = terms.reduce((a, t) => a + t.nlev * t.p, 0);
    const qD = denseRowU.length;
    const nz = pattern.pos.reduce((a, k) => Math.max(a, k + 1), 0);
    this.nz = nz;
    const key = (a: number, b: number): number => (a >= b ? a * q + b : b * q + a);
    const chainTerm = chain ? terms[0] : null;
    const table = new PairTable(pattern.pos.length + (chain && chainTerm ? chain.rows.length * chainTerm.p + chainTerm.nlev * chainTerm.p * chainTerm.p : 0));
    for (let k = 0; k < pattern.pos.length; k++) table.set(key(pattern.row[k], pattern.col[k]), pattern.pos[k]);
    const find = (a: number, b: number): number => {
      const v = table.get(key(a, b));
      if (Number.isNaN(v)) throw new NumericalError(`internal: the sparse gradient needs A⁻¹ at (${a}, ${b}), outside the factor's pattern`);
      return v;
    };
    let next = nz;
    const nlev = chain && chainTerm ? chainTerm.nlev : 0;
    const levelPtr = new Int32Array(nlev + 1);
    const sortedCols: number[] = [];
    const sortedIdx: number[] = [];
    const outOff = new Int32Array(nlev);
    let maxRows = 0;
    if (chain && chainTerm) {
      const p = chainTerm.p;
      for (let c = 0; c < nlev; c++) {
        const i0 = chain.rowPtr[c];
        let k = 0;
        while (i0 + k < chain.rowPtr[c + 1] && chain.rows[i0 + k] < qD) k++;
        maxRows = Math.max(maxRows, k);
        const byCol = Array.from({ length: k }, (_, x) => x).sort((x, y) => factorCol[chain.rows[i0 + x]] - factorCol[chain.rows[i0 + y]]);
        for (const x of byCol) {
          sortedCols.push(factorCol[chain.rows[i0 + x]]);
          sortedIdx.push(x);
        }
        levelPtr[c + 1] = sortedCols.length;
        const rowU = Array.from({ length: k }, (_, x) => denseRowU[chain.rows[i0 + x]]);
        // Σ_{R,c} (k×p) then Σ_cc (p×p, full)
        outOff[c] = next - nz;
        for (let x = 0; x < k; x++) for (let a = 0; a < p; a++) table.set(key(rowU[x], uoff[0] + c * p + a), next + x * p + a);
        next += k * p;
        for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) table.set(key(uoff[0] + c * p + a, uoff[0] + c * p + b), next + a * p + b);
        next += p * p;
      }
    }
    this.chainLayout = chain && chainTerm
      ? { levelPtr, sortedCols: Int32Array.from(sortedCols), sortedIdx: Int32Array.from(sortedIdx), outOff, outSize: next - nz, maxRows }
      : null;
    this.size = next;
    const width = terms.reduce((a, t) => a + t.p, 0);
    this.width = width;
    const n = terms.length > 0 ? terms[0].codes.length : 0;
    const obsPos = new Int32Array(n * width * width);
    const ua = new Int32Array(width);
    let at = 0;
    for (let i = 0; i < n; i++) {
      let x = 0;
      terms.forEach((t, j) => {
        for (let a = 0; a < t.p; a++) ua[x++] = uoff[j] + t.codes[i] * t.p + a;
      });
      terms.forEach((t, j) => {
        for (let c = 0; c < t.p; c++) {
          const uc = uoff[j] + t.codes[i] * t.p + c;
          for (let y = 0; y < width; y++) obsPos[at++] = find(ua[y], uc);
        }
      });
    }
    this.obsPos = obsPos;
  }

  /** ∂ deviance / ∂θ (ML), θ in lme4's order (term by term, T's lower triangle column by column). */
  gradient(v: SparseGradientValues): Float64Array {
    const { terms, uoff, width } = this;
    const { lambda, u, residual } = v;
    const vals = new Float64Array(this.size);
    vals.set(v.z.subarray(0, this.nz));
    if (v.chain) vals.set(v.chain, this.nz);
    const q = terms.reduce((a, t) => a + t.nlev * t.p, 0);
    const n = residual.length;
    const accP = terms.map((t) => new Float64Array(t.p * t.p));
    const zr = new Float64Array(q);
    const va = new Float64Array(width);
    const obsPos = this.obsPos;
    let at = 0;
    for (let i = 0; i < n; i++) {
      // the observation's row of ZΛ: (ZΛ)_{i,(g,a)} = Σ_b Z_{i,(g,b)} T[b][a]
      let x = 0;
      for (let j = 0; j < terms.length; j++) {
        const t = terms[j];
        const p = t.p;
        const T = lambda[j];
        for (let a = 0; a < p; a++) {
          let s = 0;
          for (let b = a; b < p; b++) s += t.z[i * p + b] * T[b * p + a];
          va[x++] = s;
        }
      }
      const ri = residual[i];
      for (let j = 0; j < terms.length; j++) {
        const t = terms[j];
        const p = t.p;
        const acc = accP[j];
        for (let c = 0; c < p; c++) {
          let s = 0;
          for (let y = 0; y < width; y++) s += va[y] * vals[obsPos[at++]];
          for (let r = 0; r < p; r++) acc[r * p + c] += s * t.z[i * p + r];
        }
        const base = uoff[j] + t.codes[i] * p;
        for (let r = 0; r < p; r++) zr[base + r] += t.z[i * p + r] * ri;
      }
    }
    const grad: number[] = [];
    terms.forEach((t, j) => {
      const p = t.p;
      for (let c = 0; c < p; c++) {
        for (let r = c; r < p; r++) {
          let res = 0;
          for (let g = 0; g < t.nlev; g++) res += zr[uoff[j] + g * p + r] * u[uoff[j] + g * p + c];
          grad.push(2 * accP[j][r * p + c] - (2 * n * res) / v.pwrss);
        }
      }
    });
    return Float64Array.from(grad);
  }
}

/** A map from non-negative integer keys to numbers (linear probing; NaN for a missing key). */
class PairTable {
  private readonly keys: Float64Array;
  private readonly values: Float64Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(entries: number) {
    let cap = 16;
    while (cap < 2 * entries) cap *= 2;
    this.keys = new Float64Array(cap).fill(-1);
    this.values = new Float64Array(cap);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  private slot(key: number): number {
    // Fibonacci hashing (the product's high bits) of the low 26 bits mixed with the high ones: keys reach
    // q², beyond 32 bits on large models
    let h = Math.imul((key % 67108864) ^ Math.imul(Math.floor(key / 67108864), 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    while (this.keys[h] !== key && this.keys[h] !== -1) h = (h + 1) & this.mask;
    return h;
  }

  set(key: number, value: number): void {
    const h = this.slot(key);
    this.keys[h] = key;
    this.values[h] = value;
  }

  get(key: number): number {
    const h = this.slot(key);
    return this.keys[h] === key ? this.values[h] : Number.NaN;
  }
}
