/**
 * Symbolic analysis of a sparse Cholesky factor whose matrix pattern is a union of cliques (Davis 2006,
 * "Direct Methods for Sparse Linear Systems", ch. 4: elimination tree, postorder, column counts; Liu, Ng &
 * Peyton 1993 for supernodes and Ashcraft & Grimes 1989 for relaxed amalgamation). Done once per model: the
 * numeric factorization (assembly/sparse.ts) then runs on dense supernode panels with the SIMD kernels.
 *
 * A clique only needs to reach the factor through its first column: every other member is then in that
 * column's structure, hence an ancestor in the elimination tree, and inherits the rest. So the matrix is
 * represented by "stars" (first member, each other member), Σ|clique| entries instead of Σ|clique|².
 */

/** Cliques as one list: clique e's members are members[start[e] .. start[e + 1]). */
export interface FlatCliques {
  readonly start: Int32Array;
  readonly members: Int32Array;
}

/** The cliques of a list as one list. */
export function flattenCliques(cliques: readonly Int32Array[]): FlatCliques {
  const start = new Int32Array(cliques.length + 1);
  cliques.forEach((c, e) => (start[e + 1] = start[e] + c.length));
  const members = new Int32Array(start[cliques.length]);
  cliques.forEach((c, e) => members.set(c, start[e]));
  return { start, members };
}

/** Supernodes of L in the postordered elimination order. */
export interface SupernodalStructure {
  /** Columns: order[k] = the input column placed k-th (a postorder of the elimination tree). */
  readonly order: Int32Array;
  /** First column of each supernode (length supernodes + 1). */
  readonly first: Int32Array;
  /** Start of each supernode's rows in `rows` (length supernodes + 1). */
  readonly rowPtr: Int32Array;
  /** Each supernode's row indices (new order, ascending; its own columns first). */
  readonly rows: Int32Array;
  /** Supernode of each column (new order). */
  readonly snodeOf: Int32Array;
  /** Nonzeros of L (exact, diagonal included). */
  readonly nnzL: number;
  /** Doubles of the supernode panels (rows × columns each, the explicit zeros of amalgamation included). */
  readonly panelSize: number;
  /** Multiply-adds of the factorization, Σ_j c_j² / 2 over the panels' column counts c_j. */
  readonly flops: number;
}

/** Relaxed amalgamation: a child merges into its parent while the merged panel has few explicit zeros
 * (the column limits and zero shares of CHOLMOD's defaults). */
const RELAX_COLUMNS = [4, 16, 48];
const RELAX_ZEROS = [0.8, 0.1, 0.05];

/**
 * The supernodal structure of the Cholesky factor of an n×n matrix whose pattern is the union of the
 * given cliques (column indices, as a list of cliques or one flat list; the diagonal is always included). Columns keep their relative order
 * wherever the postorder allows; the caller's last columns, being in every clique, stay last.
 */
export function supernodalStructure(n: number, given: readonly Int32Array[] | FlatCliques): SupernodalStructure {
  const { start: cliqueStart, members } = 'members' in given ? given : flattenCliques(given);
  const nCliques = cliqueStart.length - 1;
  // stars: (i, m) for each clique member i and the clique's first column m, as row lists (CSR)
  const rowCount = new Int32Array(n + 1);
  const firstOf = new Int32Array(nCliques);
  for (let e = 0; e < nCliques; e++) {
    const q0 = cliqueStart[e];
    const q1 = cliqueStart[e + 1];
    let m = n;
    for (let q = q0; q < q1; q++) if (members[q] < m) m = members[q];
    firstOf[e] = m;
    for (let q = q0; q < q1; q++) if (members[q] !== m) rowCount[members[q] + 1]++;
  }
  for (let i = 0; i < n; i++) rowCount[i + 1] += rowCount[i];
  const starCol = new Int32Array(rowCount[n]);
  const fill = rowCount.slice(0, n);
  for (let e = 0; e < nCliques; e++) {
    const m = firstOf[e];
    for (let q = cliqueStart[e]; q < cliqueStart[e + 1]; q++) if (members[q] !== m) starCol[fill[members[q]]++] = m;
  }

  // elimination tree (Liu's algorithm with path compression)
  const parent0 = new Int32Array(n).fill(-1);
  const ancestor = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    for (let q = rowCount[i]; q < rowCount[i + 1]; q++) {
      let r = starCol[q];
      while (r !== -1 && r !== i) {
        const up = ancestor[r];
        ancestor[r] = i;
        if (up === -1) parent0[r] = i;
        r = up;
      }
    }
  }

  // postorder (children in ascending order), then everything in the new numbering
  const childHead = new Int32Array(n).fill(-1);
  const sibling = new Int32Array(n).fill(-1);
  for (let j = n - 1; j >= 0; j--) {
    const pj = parent0[j];
    if (pj !== -1) {
      sibling[j] = childHead[pj];
      childHead[pj] = j;
    }
  }
  const order = new Int32Array(n);
  const inv = new Int32Array(n);
  const stack = new Int32Array(n);
  const nextChild = childHead.slice();
  let k = 0;
  for (let root = 0; root < n; root++) {
    if (parent0[root] !== -1) continue;
    let top = 0;
    stack[0] = root;
    while (top >= 0) {
      const v = stack[top];
      const c = nextChild[v];
      if (c === -1) {
        top--;
        order[k] = v;
        inv[v] = k++;
      } else {
        nextChild[v] = sibling[c];
        stack[++top] = c;
      }
    }
  }
  const parent = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) if (parent0[j] !== -1) parent[inv[j]] = inv[parent0[j]];
  // the stars in the new numbering, by row (for the column counts) and by column (for the structures)
  const rowPtr1 = new Int32Array(n + 1);
  const colPtr1 = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    rowPtr1[inv[i] + 1] = rowCount[i + 1] - rowCount[i];
    for (let q = rowCount[i]; q < rowCount[i + 1]; q++) colPtr1[inv[starCol[q]] + 1]++;
  }
  for (let i = 0; i < n; i++) {
    rowPtr1[i + 1] += rowPtr1[i];
    colPtr1[i + 1] += colPtr1[i];
  }
  const starRowCol = new Int32Array(rowPtr1[n]);
  const starColRow = new Int32Array(colPtr1[n]);
  const colFill = colPtr1.slice(0, n);
  for (let i = 0; i < n; i++) {
    let at = rowPtr1[inv[i]];
    for (let q = rowCount[i]; q < rowCount[i + 1]; q++) {
      const m = inv[starCol[q]];
      starRowCol[at++] = m;
      starColRow[colFill[m]++] = inv[i];
    }
  }

  // column counts: row i of L is the union of the tree paths from its stars' columns up to i
  const count = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    mark[i] = i;
    count[i]++;
    for (let q = rowPtr1[i]; q < rowPtr1[i + 1]; q++) {
      let j = starRowCol[q];
      while (mark[j] !== i) {
        count[j]++;
        mark[j] = i;
        j = parent[j];
      }
    }
  }
  let nnzL = 0;
  for (let j = 0; j < n; j++) nnzL += count[j];

  // fundamental supernodes: j + 1 continues j's supernode when it is j's parent, has no other child, and
  // its column is j's without the diagonal
  const children = new Int32Array(n);
  for (let j = 0; j < n; j++) if (parent[j] !== -1) children[parent[j]]++;
  const starts: number[] = [0];
  for (let j = 1; j < n; j++) {
    if (!(parent[j - 1] === j && children[j] === 1 && count[j - 1] === count[j] + 1)) starts.push(j);
  }
  // relaxed amalgamation, from the last supernode back: absorb the preceding one when it is a child
  // whose last column's parent is this one's first column (the panels then stack)
  const width: number[] = [];
  const height: number[] = [];
  const actual: number[] = [];
  for (let s = 0; s < starts.length; s++) {
    const f = starts[s];
    const l = s + 1 < starts.length ? starts[s + 1] : n;
    width.push(l - f);
    height.push(count[f]);
    let a = 0;
    for (let j = f; j < l; j++) a += count[j];
    actual.push(a);
  }
  const merged: { f: number; w: number; m: number; a: number }[] = [];
  let cur = starts.length - 1;
  let group = { f: starts[cur], w: width[cur], m: height[cur], a: actual[cur] };
  for (cur = starts.length - 2; cur >= 0; cur--) {
    const lastCol = group.f - 1;
    const wc = width[cur];
    if (parent[lastCol] === group.f) {
      const w = wc + group.w;
      const m = wc + group.m;
      const dense = w * m - (w * (w - 1)) / 2;
      const zeros = (dense - (actual[cur] + group.a)) / dense;
      const ok = w <= RELAX_COLUMNS[0] || (w <= RELAX_COLUMNS[1] && zeros < RELAX_ZEROS[0]) ||
        (w <= RELAX_COLUMNS[2] && zeros < RELAX_ZEROS[1]) || zeros < RELAX_ZEROS[2];
      if (ok) {
        group = { f: starts[cur], w, m, a: actual[cur] + group.a };
        continue;
      }
    }
    merged.push(group);
    group = { f: starts[cur], w: wc, m: height[cur], a: actual[cur] };
  }
  merged.push(group);
  merged.reverse();
  const ns = merged.length;
  const first = new Int32Array(ns + 1);
  const snodeOf = new Int32Array(n);
  merged.forEach((g, s) => {
    first[s] = g.f;
    snodeOf.fill(s, g.f, g.f + g.w);
  });
  first[ns] = n;

  // each supernode's rows: its columns, the stars below them, and its children's rows below them
  const rowPtr = new Int32Array(ns + 1);
  const rowLists: Int32Array[] = [];
  const childLists: number[][] = Array.from({ length: ns }, () => []);
  const seen = new Int32Array(n).fill(-1);
  // one supernode's rows before sorting (at most n)
  const list = new Int32Array(n);
  let panelSize = 0;
  let flops = 0;
  for (let s = 0; s < ns; s++) {
    const f = first[s];
    const l = first[s + 1];
    let len = 0;
    for (let j = f; j < l; j++) {
      seen[j] = s;
      list[len++] = j;
    }
    for (let j = f; j < l; j++) {
      for (let q = colPtr1[j]; q < colPtr1[j + 1]; q++) {
        const i = starColRow[q];
        if (i >= l && seen[i] !== s) {
          seen[i] = s;
          list[len++] = i;
        }
      }
    }
    for (const c of childLists[s]) {
      const rc = rowLists[c];
      for (let q = 0; q < rc.length; q++) {
        const i = rc[q];
        if (i >= l && seen[i] !== s) {
          seen[i] = s;
          list[len++] = i;
        }
      }
    }
    const sorted = list.slice(0, len).sort();
    rowLists.push(sorted);
    rowPtr[s + 1] = rowPtr[s] + sorted.length;
    const w = l - f;
    panelSize += sorted.length * w;
    for (let a = 0; a < w; a++) flops += ((sorted.length - a) * (sorted.length - a)) / 2;
    if (sorted.length > w) childLists[snodeOf[sorted[w]]].push(s);
  }
  const rows = new Int32Array(rowPtr[ns]);
  rowLists.forEach((r, s) => rows.set(r, rowPtr[s]));
  return { order, first, rowPtr, rows, snodeOf, nnzL, panelSize, flops };
}
