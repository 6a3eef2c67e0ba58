/**
 * The offset plus Xβ, η_i = offset_i + x_i0 β_0 + x_i1 β_1 + … summed left to right, for glmer's stage 2
 * (β enters PIRLS through the offset, one n-vector per deviance evaluation), bit for bit that sum, by
 * the cheaper of two routes:
 * - Where few rows are distinct (factors and a few covariate values: a designed experiment's X), each
 *   distinct (offset, x_i) row is summed once and its rows copy the sum: the same doubles added in the
 *   same order give the same result.
 * - Otherwise a column at a time, with the same additions in the same order per row, skipping the terms
 *   that cannot change the sum: a column of ones adds β_a to every row, a 0/1 column adds it to its rows
 *   of 1 (1·β_a = β_a exactly), and a mostly-zero column visits only its nonzero rows. Skipping x = 0 is
 *   exact because s + (±0) = s for every partial sum s except −0, and no partial sum is −0 once the offset
 *   has no −0 (a sum of two doubles is −0 only when both are); with a −0 in the offset, or a non-finite β
 *   (0·∞ is NaN), every column is summed whole.
 */

/** One column of X as the passes read it. */
type Column =
  | { kind: 'ones' }
  | { kind: 'indicator'; rows: Int32Array }
  | { kind: 'sparse'; rows: Int32Array; values: Float64Array }
  | { kind: 'dense'; values: Float64Array };

export class FixedPredictor {
  readonly n: number;
  readonly p: number;
  private readonly offset: Float64Array;
  private readonly columns: readonly Column[];
  /** Every column whole (the fallback when skipping zeros could change a sign of zero or hide a NaN). */
  private readonly dense: readonly Float64Array[];
  private readonly offsetHasNegativeZero: boolean;
  /** The distinct rows' route (null: by columns). */
  private readonly distinct: DistinctRows | null;
  /** Which route `into` takes: 'rows' (distinct rows summed once) or 'columns'. */
  get route(): 'rows' | 'columns' {
    return this.distinct === null ? 'columns' : 'rows';
  }

  /** `Xc`: X column-major (n × p); `offset`: the fixed offset added to every η. */
  constructor(Xc: Float64Array, n: number, p: number, offset: Float64Array) {
    this.n = n;
    this.p = p;
    this.offset = offset;
    this.distinct = distinctRows(Xc, n, p, offset);
    const dense: Float64Array[] = [];
    const columns: Column[] = [];
    for (let a = 0; a < p; a++) {
      const values = Xc.subarray(a * n, (a + 1) * n);
      dense.push(values);
      // the columns route's shapes, only where it is taken
      if (this.distinct === null) columns.push(classify(values));
    }
    this.dense = dense;
    this.columns = columns;
    let negZero = false;
    for (let i = 0; i < n && !negZero; i++) negZero = offset[i] === 0 && 1 / offset[i] < 0;
    this.offsetHasNegativeZero = negZero;
  }

  /** offset + Xβ into `out` for β = x[from], x[from + 1], …, x[from + p − 1]. */
  into(x: ArrayLike<number>, from: number, out: Float64Array): Float64Array {
    const { n, p } = this;
    const d = this.distinct;
    if (d !== null) {
      const { rows, sums, row } = d;
      for (let r = 0, k = 0; r < sums.length; r++) {
        let s = rows[k++];
        for (let a = 0; a < p; a++) s += rows[k++] * x[from + a];
        sums[r] = s;
      }
      for (let i = 0; i < n; i++) out[i] = sums[row[i]];
      return out;
    }
    out.set(this.offset);
    let finite = true;
    for (let a = 0; a < p; a++) finite &&= Number.isFinite(x[from + a]);
    const whole = this.offsetHasNegativeZero || !finite;
    for (let a = 0; a < p; a++) {
      const b = x[from + a];
      const c = this.columns[a];
      if (whole || c.kind === 'dense') {
        const v = whole ? this.dense[a] : (c as { values: Float64Array }).values;
        for (let i = 0; i < n; i++) out[i] += v[i] * b;
      } else if (c.kind === 'ones') {
        for (let i = 0; i < n; i++) out[i] += b;
      } else if (c.kind === 'indicator') {
        const rows = c.rows;
        for (let k = 0; k < rows.length; k++) out[rows[k]] += b;
      } else {
        const { rows, values } = c;
        for (let k = 0; k < rows.length; k++) out[rows[k]] += values[k] * b;
      }
    }
    return out;
  }
}

/** The cheapest exact pass for a column: all ones, 0/1, at most half nonzero, or whole. */
function classify(values: Float64Array): Column {
  const n = values.length;
  let nonzero = 0;
  let ones = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== 0) nonzero++;
    if (v === 1) ones++;
  }
  if (ones === n) return { kind: 'ones' };
  if (ones === nonzero) return { kind: 'indicator', rows: nonzeroRows(values, nonzero) };
  if (2 * nonzero <= n) {
    const rows = nonzeroRows(values, nonzero);
    return { kind: 'sparse', rows, values: Float64Array.from(rows, (r) => values[r]) };
  }
  return { kind: 'dense', values };
}

function nonzeroRows(values: Float64Array, count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] !== 0) rows[k++] = i;
  return rows;
}

/** The distinct (offset, x_i) rows, each as offset then x_i0 … x_i,p−1, and each data row's index among them. */
interface DistinctRows {
  rows: Float64Array;
  row: Int32Array;
  /** One sum per distinct row (scratch of `into`). */
  sums: Float64Array;
}

/**
 * Groups the rows by their bits (so −0 and +0 stay apart: their sums may differ in sign), with a hash of the
 * row's 32-bit words and open addressing; null when more than a quarter of the rows are distinct (the
 * column passes are then as cheap), or more than half of the first rows (a continuous covariate: the
 * search stops early instead of hashing a quarter of the rows first).
 */
/** Rows looked at before giving up on a matrix whose rows are nearly all distinct. */
const PROBE_ROWS = 1024;

function distinctRows(Xc: Float64Array, n: number, p: number, offset: Float64Array): DistinctRows | null {
  const width = p + 1;
  const limit = Math.floor(n / 4);
  if (limit === 0) return null;
  const rows = new Float64Array(limit * width);
  const words = new Uint32Array(rows.buffer);
  const row = new Int32Array(n);
  const slots = new Int32Array(1 << Math.ceil(Math.log2(4 * limit))).fill(-1);
  const mask = slots.length - 1;
  const candidate = new Float64Array(width);
  const cw = new Uint32Array(candidate.buffer);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (i === PROBE_ROWS && 2 * count > PROBE_ROWS) return null;
    candidate[0] = offset[i];
    for (let a = 0; a < p; a++) candidate[a + 1] = Xc[a * n + i];
    let h = 0x811c9dc5;
    for (let w = 0; w < 2 * width; w++) h = Math.imul(h ^ cw[w], 0x01000193);
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const r = slots[slot];
      if (r === -1) {
        if (count === limit) return null;
        slots[slot] = count;
        rows.set(candidate, count * width);
        row[i] = count++;
        break;
      }
      let same = true;
      for (let w = 0, base = 2 * r * width; w < 2 * width && same; w++) same = words[base + w] === cw[w];
      if (same) {
        row[i] = r;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { rows: rows.slice(0, count * width), row, sums: new Float64Array(count) };
}
