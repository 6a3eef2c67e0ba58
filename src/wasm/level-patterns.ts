/**
 * Levels of a chain term that meet exactly the same dense rows (in a subjects × regions design every
 * subject of an experiment sees the same regions). Their Schur updates D[R,R] -= Σ_c V_c V_c' add up
 * to one rank-(count·p) update W W' on the shared rows R, which the engine runs with the SIMD kernel
 * on W (written as the levels' rows are computed) instead of level by level with indexed loads.
 */

/** Levels grouped by identical dense-row lists; only groups worth a dense update are listed. */
export interface LevelPatterns {
  /** Levels of the listed groups, group after group. */
  readonly order: Int32Array;
  /** Start of each group in `order` (length groups + 1). */
  readonly start: Int32Array;
  /** Each level's first column in its group's W (levels × p columns), −1 for a level updated on its own. */
  readonly column: Int32Array;
  /** Rows of each group's W: its levels' dense rows, padded to the kernel's 4-row tiles. */
  readonly paddedRows: Int32Array;
}

/** Smallest number of columns (levels × p) for which a group's dense update beats level by level. */
const MIN_GROUP_COLUMNS = 8;
/**
 * The groups are used only when they cover at least this share of the term's update work (Σ p·k(k+1)/2
 * multiply-adds over levels with k rows) and at least MIN_GROUPED_MADDS of it: below either the gain is
 * small (InstEval's students: 2.6% of the work; sleepstudy, 0.2k multiply-adds: 1.9 µs either way;
 * a 4-column slope term with 7k: 46 → 42 µs, against 95 → 61 µs for the seed model's 87k) and not
 * worth changing the order in which the updates are summed, which moves a flat optimum in its last digits.
 */
const MIN_GROUPED_SHARE = 0.5;
const MIN_GROUPED_MADDS = 20000;

/** Which groups are listed: all with at least `minColumns` columns, if they cover `minShare` of the
 * work and `minMadds` multiply-adds. */
export interface PatternOptions {
  minColumns?: number;
  minShare?: number;
  minMadds?: number;
}

function sameRows(rows: Int32Array, a0: number, a1: number, b0: number): boolean {
  for (let i = 0; a0 + i < a1; i++) if (rows[a0 + i] !== rows[b0 + i]) return false;
  return true;
}

/**
 * Groups the levels of one chain term (CSR lists `rowPtr`/`rows`, p columns per level) by identical
 * row lists. The options override the engine's choice (tests list every group with 1 and 0).
 */
export function levelPatterns(
  rowPtr: Int32Array,
  rows: Int32Array,
  nlev: number,
  p: number,
  { minColumns = MIN_GROUP_COLUMNS, minShare = MIN_GROUPED_SHARE, minMadds = MIN_GROUPED_MADDS }: PatternOptions = {},
): LevelPatterns {
  // hash each row list, then confirm equality against the first level of the hash's groups
  const byHash = new Map<number, number[][]>();
  for (let c = 0; c < nlev; c++) {
    const i0 = rowPtr[c];
    const i1 = rowPtr[c + 1];
    let h = (i1 - i0) | 0;
    for (let i = i0; i < i1; i++) h = Math.imul(h ^ rows[i], 0x01000193);
    let groups = byHash.get(h);
    if (!groups) byHash.set(h, (groups = []));
    const match = groups.find((g) => rowPtr[g[0] + 1] - rowPtr[g[0]] === i1 - i0 && sameRows(rows, i0, i1, rowPtr[g[0]]));
    if (match) match.push(c);
    else groups.push([c]);
  }
  const work = (c: number): number => (p * (rowPtr[c + 1] - rowPtr[c]) * (rowPtr[c + 1] - rowPtr[c] + 1)) / 2;
  let total = 0;
  for (let c = 0; c < nlev; c++) total += work(c);
  let listed: number[][] = [];
  let covered = 0;
  for (const groups of byHash.values()) {
    for (const g of groups) {
      if (g.length * p < minColumns) continue;
      listed.push(g);
      covered += g.length * work(g[0]);
    }
  }
  if (covered < minShare * total || covered < minMadds) listed = [];
  listed.sort((a, b) => a[0] - b[0]);
  const start = new Int32Array(listed.length + 1);
  const column = new Int32Array(nlev).fill(-1);
  const paddedRows = new Int32Array(listed.length);
  const order = new Int32Array(listed.reduce((acc, g) => acc + g.length, 0));
  listed.forEach((g, i) => {
    start[i + 1] = start[i] + g.length;
    order.set(g, start[i]);
    g.forEach((c, m) => (column[c] = m * p));
    paddedRows[i] = Math.ceil((rowPtr[g[0] + 1] - rowPtr[g[0]]) / 4) * 4;
  });
  return { order, start, column, paddedRows };
}
