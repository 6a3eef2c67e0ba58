/**
 * The boundary of the engine's exact Laplace gradient (assembly/laplace-gradient.ts): the rows, the designs
 * and the θ-free column structure are written once into an instance of its own; each gradient then writes
 * θ's T blocks, the offset, η₀ and the run's u, and reads ∂f/∂(θ, β).
 */
import type { EngineTerm } from './mixed-engine.js';
import type { WasmInstance } from './instance.js';
import { acquireInstance, releaseInstance } from './instance-pool.js';

/** What stays fixed across evaluations: the response, the designs (the engine's terms, lme4's order). */
export interface LaplaceRows {
  readonly family: 'binomial' | 'poisson';
  readonly link: string;
  readonly y: Float64Array;
  /** Prior weights (× trials for binomial counts). */
  readonly weights: Float64Array;
  /** X column-major (n × p). */
  readonly X: Float64Array;
  readonly p: number;
  readonly terms: readonly EngineTerm[];
}

// assembly/laplace-gradient.ts's table fields (LG_*), in its order
const FIELDS = 29;
const [N, P, K, FAMILY, LINK, Y, WT, X, TP, TNLEV, TCODES, TZ, TLAMBDA, K2, Q2, BIDX, BPOS, COLSTART, COLS, ROWOFF, DENSEOFF, STEPS, CAP, OFFSET, ETA0, TAKEN, GRAD, WORK, CACHED] =
  Array.from({ length: FIELDS }, (_, i) => i);

/** Dense columns the gradient forms for these terms: the columns of the terms after the first. */
export function denseOrder(terms: readonly EngineTerm[]): number {
  let q2 = 0;
  for (let t = 1; t < terms.length; t++) q2 += terms[t].nlev * terms[t].p;
  return q2;
}

/** Which dense columns each row meets (bIdx), its place among its first-term level's columns (bPos), those lists (ascending). */
function columnStructure(terms: readonly EngineTerm[], n: number) {
  const rowOff = new Int32Array(terms.length);
  const denseOff = new Int32Array(terms.length);
  let k2 = 0;
  let q2 = 0;
  for (let t = 1; t < terms.length; t++) {
    rowOff[t] = k2;
    denseOff[t] = q2;
    k2 += terms[t].p;
    q2 += terms[t].nlev * terms[t].p;
  }
  const bIdx = new Int32Array(n * k2);
  for (let i = 0; i < n; i++) {
    for (let t = 1; t < terms.length; t++) {
      const base = denseOff[t] + terms[t].codes[i] * terms[t].p;
      for (let a = 0; a < terms[t].p; a++) bIdx[i * k2 + rowOff[t] + a] = base + a;
    }
  }
  const t0 = terms[0];
  const byLevel: number[][] = Array.from({ length: t0.nlev }, () => []);
  for (let i = 0; i < n; i++) byLevel[t0.codes[i]].push(i);
  const bPos = new Int32Array(n * k2);
  const colStart = new Int32Array(t0.nlev + 1);
  const cols: number[] = [];
  const seen = new Int32Array(q2).fill(-1);
  const posOf = new Int32Array(q2);
  for (let g = 0; g < t0.nlev; g++) {
    // the level's dense columns, ascending (the engine's Schur update walks the lower triangle by position)
    const start = (colStart[g] = cols.length);
    for (const i of byLevel[g]) {
      for (let e = 0; e < k2; e++) {
        const j = bIdx[i * k2 + e];
        if (seen[j] !== g) {
          seen[j] = g;
          cols.push(j);
        }
      }
    }
    const mine = cols.splice(start).sort((a, b) => a - b);
    mine.forEach((j, at) => (posOf[j] = at));
    cols.push(...mine);
    for (const i of byLevel[g]) for (let e = 0; e < k2; e++) bPos[i * k2 + e] = posOf[bIdx[i * k2 + e]];
  }
  colStart[t0.nlev] = cols.length;
  return { k2, q2, bIdx, bPos, colStart, cols: Int32Array.from(cols), rowOff, denseOff };
}

/** The engine's exact Laplace gradient for one problem: built once per fit, then called after PIRLS runs. */
export class EngineLaplaceGradient {
  readonly #rows: LaplaceRows;
  #wasm: WasmInstance | null;
  readonly #tab: number;
  readonly #n: number;
  readonly #nth: number;
  /** Doubles of each replayed step's buffers: W, γ, Wρ (n each), B, M, S, u. */
  readonly #stepSizes: readonly number[];
  #steps: number[] = [];
  /** PIRLS steps of the gradients' runs so far (for the benches). */
  totalSteps = 0;
  /** The last gradient's run: Σ dᵢ + ‖u‖² + log det A (the Laplace deviance less aic's constant). */
  deviance = NaN;
  /** The η₀ whose first-step rows the engine holds (every call of a fit passes the same array). */
  #eta0: ArrayLike<number> | null = null;

  constructor(rows: LaplaceRows) {
    this.#rows = rows;
    const { terms, p } = rows;
    const n = (this.#n = rows.y.length);
    const st = columnStructure(terms, n);
    const p0 = terms[0].p;
    const l0 = terms[0].nlev;
    const q = l0 * p0 + st.q2;
    const tot = st.colStart[l0] * p0;
    this.#nth = terms.reduce((s, t) => s + (t.p * (t.p + 1)) / 2, 0);
    this.#stepSizes = [n, n, n, l0 * p0 * p0, tot, st.q2 * st.q2, q];
    const work = 15 * n + 1 + 2 * n * (p0 + st.k2) + 3 * q + 2 * tot + l0 * p0 * p0 + 2 * st.q2 * st.q2 + p0;
    const k = terms.length;
    const termDoubles = terms.reduce((s, t) => s + n * t.p + t.p * t.p, 0);
    const stepDoubles = this.#stepSizes.reduce((a, b) => a + b, 0);
    const w = (this.#wasm = acquireInstance(0, 'glmer'));
    w.reserve(8 * (work + 3 * n + n * p + termDoubles + q + this.#nth + p + 1 + 4 * stepDoubles) + 4 * (FIELDS + 5 * k + n * (k + 2 * st.k2) + l0 + 1 + st.cols.length + 28) + 16 * (40 + 3 * k));
    const tab = (this.#tab = w.allocI32(FIELDS));
    const f64 = (v: ArrayLike<number>): number => {
      const ptr = w.allocF64(v.length);
      w.f64(ptr, v.length).set(v);
      return ptr;
    };
    const i32 = (v: ArrayLike<number>): number => {
      const ptr = w.allocI32(v.length);
      w.i32(ptr, v.length).set(v);
      return ptr;
    };
    const fields = new Array<number>(FIELDS).fill(0);
    fields[N] = n;
    fields[P] = p;
    fields[K] = k;
    fields[FAMILY] = w.constant(`FAMILY_${rows.family.toUpperCase()}`);
    fields[LINK] = w.constant(`LINK_${rows.link.toUpperCase()}`);
    fields[Y] = f64(rows.y);
    fields[WT] = f64(rows.weights);
    fields[X] = f64(rows.X);
    fields[TP] = i32(terms.map((t) => t.p));
    fields[TNLEV] = i32(terms.map((t) => t.nlev));
    fields[TCODES] = i32(terms.map((t) => i32(t.codes)));
    fields[TZ] = i32(terms.map((t) => f64(t.z)));
    fields[TLAMBDA] = i32(terms.map((t) => w.allocF64(t.p * t.p)));
    fields[K2] = st.k2;
    fields[Q2] = st.q2;
    fields[BIDX] = i32(st.bIdx);
    fields[BPOS] = i32(st.bPos);
    fields[COLSTART] = i32(st.colStart);
    fields[COLS] = i32(st.cols);
    fields[ROWOFF] = i32(st.rowOff);
    fields[DENSEOFF] = i32(st.denseOff);
    fields[OFFSET] = w.allocF64(n);
    fields[ETA0] = w.allocF64(n);
    fields[GRAD] = w.allocF64(this.#nth + p + 1);
    fields[WORK] = w.allocF64(work);
    w.i32(tab, FIELDS).set(fields);
    this.#ensureSteps(3);
  }

  /** Step buffers for `steps` replayed steps (a new table when more are needed than held). */
  #ensureSteps(steps: number): void {
    if (steps <= this.#steps.length / 7) return;
    const w = this.#wasm!;
    const have = this.#steps.length / 7;
    for (let j = have; j < steps; j++) for (const len of this.#stepSizes) this.#steps.push(w.allocF64(len));
    const table = w.allocI32(this.#steps.length);
    w.i32(table, this.#steps.length).set(this.#steps);
    const tab = w.i32(this.#tab, FIELDS);
    tab[STEPS] = table;
    tab[CAP] = steps;
  }

  /**
   * ∂f/∂(θ, β) of the Laplace deviance as a PIRLS run from η₀ computes it (`maxit` steps at most, the
   * convergence test at `tol`, as PirlsState.run), at θ and the β inside `offset` (offset + Xβ). Null when a
   * system is not positive definite, the run halves a step or does not converge.
   */
  gradient(theta: ArrayLike<number>, offset: ArrayLike<number>, eta0: ArrayLike<number>, maxit: number, tol: number): Float64Array | null {
    const w = this.#wasm;
    if (w === null) throw new Error('internal: this Laplace gradient was released');
    const tab = w.i32(this.#tab, FIELDS);
    const lambdas = w.i32(tab[TLAMBDA], this.#rows.terms.length);
    let at = 0;
    this.#rows.terms.forEach((t, i) => {
      // θ fills T column by column (lme4's order), the lower triangle row-major
      const L = w.f64(lambdas[i], t.p * t.p);
      for (let c = 0; c < t.p; c++) for (let r = c; r < t.p; r++) L[r * t.p + c] = theta[at++];
    });
    w.f64(tab[OFFSET], this.#n).set(offset);
    if (eta0 !== this.#eta0) {
      // a new η₀: the engine's rows at the first step are recomputed
      w.f64(tab[ETA0], this.#n).set(eta0);
      tab[CACHED] = 0;
      this.#eta0 = eta0;
    }
    let code: number;
    // more step buffers while the run needs them (a new table: views taken again)
    while ((code = w.glmerExports.laplaceGradient(this.#tab, maxit, tol)) === 2) this.#ensureSteps(2 * (this.#steps.length / 7));
    if (code !== 0) return null;
    const out = w.i32(this.#tab, FIELDS);
    this.totalSteps += out[TAKEN];
    const m = this.#nth + this.#rows.p;
    const result = w.f64(out[GRAD], m + 1);
    this.deviance = result[m];
    return Float64Array.from(result.subarray(0, m));
  }

  /** Gives the instance back to the pool (the gradient is unusable afterwards). */
  release(): void {
    if (this.#wasm !== null) releaseInstance(this.#wasm);
    this.#wasm = null;
  }
}
