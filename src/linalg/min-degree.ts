/**
 * A fill-reducing elimination order for a symmetric matrix whose pattern is a union of cliques: the crossed
 * block of a mixed model after the first term is eliminated, where every level of that term joins the dense
 * levels it meets into one clique. Approximate minimum degree on the quotient graph (Amestoy, Davis & Duff
 * 1996, "An approximate minimum degree ordering algorithm", SIAM J. Matrix Anal. Appl. 17(4); Davis 2006,
 * "Direct Methods for Sparse Linear Systems", ch. 7): the cliques enter as the graph's first elements, so
 * the pattern of the block itself (Σ k² entries) is never formed. Written from the papers; this variant keeps
 * the approximate external degree and element absorption, but not supervariable detection (nodes already
 * carry the p columns of one level as a weight).
 */

/**
 * Elimination order of `n` nodes (node i stands for `weight[i]` columns) given the cliques of the pattern
 * (lists of node indices; a node may be in several). Returns order[k] = node eliminated k-th.
 */
/** Largest Σ|clique| over a node's cliques for which its first degree is computed exactly. */
const EXACT_DEGREE_BUDGET = 20000;

export function minimumDegreeOrder(n: number, nodeWeight: Int32Array, cliques: readonly Int32Array[]): Int32Array {
  const weight = nodeWeight.slice();
  // element lists: the cliques first, then one new element per eliminated node
  const members: (Int32Array | null)[] = cliques.slice();
  const alive: boolean[] = members.map(() => true);
  // an element's list never changes while it is alive (eliminating one of its nodes absorbs it), so its
  // weight is computed once
  const elementWeight: number[] = members.map((c) => {
    let s = 0;
    for (let m = 0; m < c!.length; m++) s += weight[c![m]];
    return s;
  });
  const elementsOf: number[][] = Array.from({ length: n }, () => []);
  cliques.forEach((c, e) => {
    for (let m = 0; m < c.length; m++) elementsOf[c[m]].push(e);
  });
  const eliminated = new Uint8Array(n);
  const stamp = new Int32Array(n).fill(-1);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += weight[i];

  // exact external degree at the start (weighted): |⋃ cliques of i| − w_i
  const degree = new Float64Array(n);
  const initialDegree = (i: number): number => {
    // the exact union costs Σ|e|; past a budget (a node in a clique of thousands) take AMD's bound
    let bound = 0;
    let cost = 0;
    for (const e of elementsOf[i]) {
      bound += elementWeight[e] - weight[i];
      cost += members[e]!.length;
    }
    if (elementsOf[i].length === 1 || cost > EXACT_DEGREE_BUDGET) return Math.min(bound, totalWeight - weight[i]);
    let d = 0;
    for (const e of elementsOf[i]) {
      const list = members[e]!;
      for (let m = 0; m < list.length; m++) {
        const j = list[m];
        if (stamp[j] !== i && j !== i) {
          stamp[j] = i;
          d += weight[j];
        }
      }
    }
    return d;
  };
  for (let i = 0; i < n; i++) degree[i] = initialDegree(i);

  // degree buckets: doubly linked lists, head[d] the first node of degree d
  const maxDegree = totalWeight;
  const head = new Int32Array(maxDegree + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const insert = (i: number): void => {
    const d = degree[i];
    next[i] = head[d];
    prev[i] = -1;
    if (head[d] !== -1) prev[head[d]] = i;
    head[d] = i;
  };
  const remove = (i: number): void => {
    if (prev[i] !== -1) next[prev[i]] = next[i];
    else head[degree[i]] = next[i];
    if (next[i] !== -1) prev[next[i]] = prev[i];
  };
  for (let i = 0; i < n; i++) insert(i);

  const order = new Int32Array(n);
  // w(e) of the degree update: |L_e \ L_p| (weighted), valid where wStamp[e] equals the current step
  let wOf = new Float64Array(members.length + n);
  let wStamp = new Int32Array(members.length + n).fill(-1);
  stamp.fill(-1);
  let minDegree = 0;
  let remaining = totalWeight;
  // supervariables: a node found indistinguishable from another (same elements) follows it in the order
  const followers: number[][] = Array.from({ length: n }, () => []);
  let placed = 0;
  let elementMark = new Int32Array(members.length + n);
  let markRound = 0;
  // one elimination step as its own function: V8 optimizes it after a few calls, where one long loop
  // body would wait for on-stack replacement (seconds of interpretation on a loaded machine)
  const eliminate = (k: number): void => {
    while (head[minDegree] === -1) minDegree++;
    const p = head[minDegree];
    remove(p);
    eliminated[p] = 1;
    order[placed++] = p;
    for (const f of followers[p]) order[placed++] = f;
    remaining -= weight[p];

    // the new element L_p: the union of p's elements, without p; those elements are absorbed into it
    const lp: number[] = [];
    let lpWeight = 0;
    for (const e of elementsOf[p]) {
      if (!alive[e]) continue;
      const list = members[e]!;
      for (let m = 0; m < list.length; m++) {
        const j = list[m];
        if (j !== p && stamp[j] !== k && !eliminated[j]) {
          stamp[j] = k;
          lp.push(j);
          lpWeight += weight[j];
        }
      }
      alive[e] = false;
      members[e] = null;
    }
    elementsOf[p] = [];
    const np = members.length;
    members.push(Int32Array.from(lp));
    alive.push(true);
    elementWeight.push(lpWeight);
    if (np >= elementMark.length) {
      const grownM = new Int32Array(2 * elementMark.length);
      grownM.set(elementMark);
      elementMark = grownM;
    }
    if (np >= wOf.length) {
      const grownW = new Float64Array(2 * wOf.length);
      grownW.set(wOf);
      wOf = grownW;
      const grownS = new Int32Array(2 * wStamp.length).fill(-1);
      grownS.set(wStamp);
      wStamp = grownS;
    }

    // |L_e \ L_p| for the other elements of the nodes in L_p
    for (const i of lp) {
      const list = elementsOf[i];
      let write = 0;
      for (const e of list) {
        if (!alive[e]) continue;
        list[write++] = e;
        if (wStamp[e] !== k) {
          wStamp[e] = k;
          wOf[e] = elementWeight[e];
        }
        wOf[e] -= weight[i];
      }
      list.length = write;
    }
    // elements inside L_p are absorbed: every node of such an element is in L_p, so it adds nothing that
    // p's element does not
    for (const i of lp) {
      const list = elementsOf[i];
      let write = 0;
      for (const e of list) {
        if (wOf[e] <= 0) {
          alive[e] = false;
          members[e] = null;
          continue;
        }
        list[write++] = e;
      }
      list.length = write;
      list.push(np);
    }
    // nodes of L_p with the same elements are indistinguishable: the first absorbs the others' weight
    // (a dense trailing block becomes one node instead of costing its order squared)
    const byHash = new Map<number, number[]>();
    for (const i of lp) {
      const list = elementsOf[i];
      let h = list.length;
      for (const e of list) h = (h + Math.imul(e + 1, 0x9e3779b1)) | 0;
      const candidates = byHash.get(h);
      let rep = -1;
      if (candidates) {
        for (const c of candidates) {
          const other = elementsOf[c];
          if (other.length !== list.length) continue;
          markRound++;
          for (const e of other) elementMark[e] = markRound;
          if (list.every((e) => elementMark[e] === markRound)) {
            rep = c;
            break;
          }
        }
      }
      if (rep === -1) {
        if (candidates) candidates.push(i);
        else byHash.set(h, [i]);
        continue;
      }
      weight[rep] += weight[i];
      followers[rep].push(i);
      for (const f of followers[i]) followers[rep].push(f);
      followers[i] = [];
      eliminated[i] = 2;
      remove(i);
      elementsOf[i] = [];
    }
    // approximate degrees (AMD's bound) of the remaining nodes in L_p
    for (const i of lp) {
      if (eliminated[i]) continue;
      const list = elementsOf[i];
      let external = lpWeight - weight[i];
      for (const e of list) if (e !== np) external += wOf[e];
      remove(i);
      degree[i] = Math.min(degree[i] + lpWeight - weight[i], remaining - weight[i], external);
      insert(i);
      if (degree[i] < minDegree) minDegree = degree[i];
    }
  };
  for (let k = 0; placed < n; k++) eliminate(k);
  return order;
}
