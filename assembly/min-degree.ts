// A fill-reducing elimination order for a symmetric pattern given as a union of cliques: approximate
// minimum degree on the quotient graph (Amestoy, Davis & Duff 1996, "An approximate minimum degree ordering
// algorithm", SIAM J. Matrix Anal. Appl. 17(4); Davis 2006, "Direct Methods for Sparse Linear Systems",
// ch. 7), written from the papers. The cliques enter as the graph's first elements, so the pattern itself
// (Σ k² entries) is never formed. Kept: the approximate external degree, element absorption and
// supervariables (indistinguishable nodes). In WebAssembly because the order is computed once per model,
// cold: JavaScript spends most of such a run before its optimizing compiler has caught up.

import { alloc, getI, setI, getF, setF } from './memory';

/** Largest Σ|clique| over a node's cliques for which its first degree is computed exactly. */
const EXACT_DEGREE_BUDGET: i32 = 20000;

// @ts-ignore: decorator
@inline function allocI(len: i32): usize {
  return alloc(<usize>max(len, 1) << 2);
}

// @ts-ignore: decorator
@inline function fillI(base: usize, len: i32, v: i32): void {
  for (let i = 0; i < len; i++) setI(base, i, v);
}

// @ts-ignore: decorator
@inline function hashStep(h: i32, e: i32): i32 {
  return h + (e + 1) * <i32>0x9e3779b1;
}

/**
 * Share of the pattern (weighted by columns, squared) that the cliques already fill: Σᵢ wᵢ·|⋃ cliques of i|
 * over (Σ w)², or +Infinity once counting it would cost more than `budget` visits (src/wasm/sparse-layout.ts
 * takes the dense factor without ordering when it is over a half). The cliques as `minimumDegree` reads
 * them; scratch from the allocator. Here, beside the order, because the cliques are already in the
 * instance and its one run per model would otherwise run cold in the host.
 */
export function patternShare(n: i32, weight: usize, nCliques: i32, cliqueStart: usize, cliqueMembers: usize, budget: f64): f64 {
  // each node's cliques (CSR)
  const start = allocI(n + 1);
  const memberCount = getI(cliqueStart, nCliques);
  for (let m = 0; m < memberCount; m++) {
    const j = getI(cliqueMembers, m) + 1;
    setI(start, j, getI(start, j) + 1);
  }
  for (let i = 0; i < n; i++) setI(start, i + 1, getI(start, i + 1) + getI(start, i));
  const fill = allocI(n);
  memory.copy(fill, start, <usize>n << 2);
  const cliqueOf = allocI(memberCount);
  for (let e = 0; e < nCliques; e++) {
    const m1 = getI(cliqueStart, e + 1);
    for (let m = getI(cliqueStart, e); m < m1; m++) {
      const j = getI(cliqueMembers, m);
      const at = getI(fill, j);
      setI(cliqueOf, at, e);
      setI(fill, j, at + 1);
    }
  }
  let total: f64 = 0;
  for (let i = 0; i < n; i++) total += <f64>getI(weight, i);
  const stamp = allocI(n);
  fillI(stamp, n, -1);
  let cost: f64 = 0;
  let filled: f64 = 0;
  for (let i = 0; i < n; i++) {
    let union = <f64>getI(weight, i);
    setI(stamp, i, i);
    const q1 = getI(start, i + 1);
    for (let q = getI(start, i); q < q1 && union < total; q++) {
      const e = getI(cliqueOf, q);
      const m0 = getI(cliqueStart, e);
      const m1 = getI(cliqueStart, e + 1);
      cost += <f64>(m1 - m0);
      for (let m = m0; m < m1; m++) {
        const j = getI(cliqueMembers, m);
        if (getI(stamp, j) != i) {
          setI(stamp, j, i);
          union += <f64>getI(weight, j);
        }
      }
    }
    if (cost > budget) return Infinity;
    filled += <f64>getI(weight, i) * union;
  }
  return filled / (total * total);
}

/**
 * Writes order[k] = node eliminated k-th for `n` nodes (node i stands for weight[i] columns) given the
 * cliques: node lists cliqueMembers[cliqueStart[e] .. cliqueStart[e+1]) for e < nCliques. Scratch comes
 * from the allocator (the caller resets the heap afterwards).
 */
export function minimumDegree(n: i32, weightIn: usize, nCliques: i32, cliqueStart: usize, cliqueMembers: usize, order: usize): void {
  const weight = allocI(n);
  memory.copy(weight, weightIn, <usize>n << 2);
  const maxElements = nCliques + n;
  // elements: the cliques first, then one per eliminated node; an element's member list never changes while
  // it is alive (eliminating one of its nodes absorbs it), so it lives in an append-only pool
  const memStart = allocI(maxElements + 1);
  const memEnd = allocI(maxElements);
  const elementWeight = alloc(<usize>max(maxElements, 1) << 3);
  const alive = allocI(maxElements);
  const memberCount = getI(cliqueStart, nCliques);
  let capacity = max(16, 2 * memberCount);
  let members = allocI(capacity);
  // each node's element list: its cliques, then filtered in place; a node in L_p loses at least the element
  // of p it was in before it gains L_p, so a list never outgrows its first length
  const listStart = allocI(n + 1);
  const listLen = allocI(n);
  for (let q = 0; q < memberCount; q++) {
    const j = getI(cliqueMembers, q);
    setI(listStart, j + 1, getI(listStart, j + 1) + 1);
  }
  for (let i = 0; i < n; i++) setI(listStart, i + 1, getI(listStart, i + 1) + getI(listStart, i));
  const lists = allocI(getI(listStart, n));
  for (let e = 0; e < nCliques; e++) {
    const c0 = getI(cliqueStart, e);
    const c1 = getI(cliqueStart, e + 1);
    setI(memStart, e, c0);
    setI(memEnd, e, c1);
    let s: f64 = 0;
    for (let m = c0; m < c1; m++) {
      const j = getI(cliqueMembers, m);
      setI(members, m, j);
      s += <f64>getI(weight, j);
      const len = getI(listLen, j);
      setI(lists, getI(listStart, j) + len, e);
      setI(listLen, j, len + 1);
    }
    setF(elementWeight, e, s);
    setI(alive, e, 1);
  }
  setI(memStart, nCliques, memberCount);
  let nElements = nCliques;

  const eliminated = allocI(n);
  const stamp = allocI(n);
  fillI(stamp, n, -1);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += getI(weight, i);

  // exact external degree at the start (weighted): |⋃ cliques of i| − w_i; past a budget (a node in a
  // clique of thousands) AMD's bound Σ(|e| − w_i)
  const degree = allocI(n);
  for (let i = 0; i < n; i++) {
    const wi = getI(weight, i);
    let bound: f64 = 0;
    let cost = 0;
    const l0 = getI(listStart, i);
    const l1 = l0 + getI(listLen, i);
    for (let q = l0; q < l1; q++) {
      const e = getI(lists, q);
      bound += getF(elementWeight, e) - <f64>wi;
      cost += getI(memEnd, e) - getI(memStart, e);
    }
    if (l1 - l0 == 1 || cost > EXACT_DEGREE_BUDGET) {
      setI(degree, i, <i32>min(bound, <f64>(totalWeight - wi)));
      continue;
    }
    let d = 0;
    for (let q = l0; q < l1; q++) {
      const e = getI(lists, q);
      const m1 = getI(memEnd, e);
      for (let m = getI(memStart, e); m < m1; m++) {
        const j = getI(members, m);
        if (getI(stamp, j) != i && j != i) {
          setI(stamp, j, i);
          d += getI(weight, j);
        }
      }
    }
    setI(degree, i, d);
  }

  // degree buckets: doubly linked lists, head[d] the first node of degree d
  const head = allocI(totalWeight + 1);
  fillI(head, totalWeight + 1, -1);
  const next = allocI(n);
  const prev = allocI(n);
  for (let i = 0; i < n; i++) bucketInsert(head, next, prev, degree, i);

  // w(e) of the degree update: |L_e \ L_p| (weighted), valid where wStamp[e] equals the current step
  const wOf = alloc(<usize>max(maxElements, 1) << 3);
  const wStamp = allocI(maxElements);
  fillI(wStamp, maxElements, -1);
  fillI(stamp, n, -1);
  // supervariables: a node found indistinguishable from another (same elements) follows it in the order,
  // kept as a singly linked chain (next, last) per representative
  const followNext = allocI(n);
  fillI(followNext, n, -1);
  const followLast = allocI(n);
  for (let i = 0; i < n; i++) setI(followLast, i, i);
  // the supervariable search's hash table: a head per bucket, stamped by step, chained through hashNext
  let tableBits = 4;
  while (1 << tableBits < 2 * n) tableBits++;
  const table = allocI(1 << tableBits);
  const tableStamp = allocI(1 << tableBits);
  fillI(tableStamp, 1 << tableBits, -1);
  const hashNext = allocI(n);
  const hashOf = allocI(n);
  const elementMark = allocI(maxElements);
  let markRound = 0;
  let minDegree = 0;
  let remaining = totalWeight;
  let placed = 0;

  for (let k = 0; placed < n; k++) {
    while (getI(head, minDegree) == -1) minDegree++;
    const p = getI(head, minDegree);
    bucketRemove(head, next, prev, degree, p);
    setI(eliminated, p, 1);
    for (let f = p; f != -1; f = getI(followNext, f)) setI(order, placed++, f);
    remaining -= getI(weight, p);

    // the new element L_p: the union of p's elements, without p; those elements are absorbed into it
    const np = nElements++;
    const pl0 = getI(listStart, p);
    const pl1 = pl0 + getI(listLen, p);
    let need = 0;
    for (let q = pl0; q < pl1; q++) {
      const e = getI(lists, q);
      if (getI(alive, e)) need += getI(memEnd, e) - getI(memStart, e);
    }
    const lp0 = getI(memStart, np);
    // L_p is at most as long as p's elements together
    if (lp0 + need > capacity) {
      capacity = max(2 * capacity, lp0 + need);
      const grown = allocI(capacity);
      memory.copy(grown, members, <usize>lp0 << 2);
      members = grown;
    }
    let lp1 = lp0;
    let lpWeight = 0;
    for (let q = pl0; q < pl1; q++) {
      const e = getI(lists, q);
      if (!getI(alive, e)) continue;
      const m1 = getI(memEnd, e);
      for (let m = getI(memStart, e); m < m1; m++) {
        const j = getI(members, m);
        if (j != p && getI(stamp, j) != k && !getI(eliminated, j)) {
          setI(stamp, j, k);
          setI(members, lp1++, j);
          lpWeight += getI(weight, j);
        }
      }
      setI(alive, e, 0);
    }
    setI(listLen, p, 0);
    setI(memEnd, np, lp1);
    setI(memStart, np + 1, lp1);
    setF(elementWeight, np, <f64>lpWeight);
    setI(alive, np, 1);

    // |L_e \ L_p| for the other elements of the nodes in L_p (dead elements dropped from their lists)
    for (let m = lp0; m < lp1; m++) {
      const i = getI(members, m);
      const wi = <f64>getI(weight, i);
      const l0 = getI(listStart, i);
      const l1 = l0 + getI(listLen, i);
      let write = l0;
      for (let q = l0; q < l1; q++) {
        const e = getI(lists, q);
        if (!getI(alive, e)) continue;
        setI(lists, write++, e);
        if (getI(wStamp, e) != k) {
          setI(wStamp, e, k);
          setF(wOf, e, getF(elementWeight, e));
        }
        setF(wOf, e, getF(wOf, e) - wi);
      }
      setI(listLen, i, write - l0);
    }
    // elements inside L_p are absorbed: every node of such an element is in L_p, so it adds nothing that
    // p's element does not; each list then gains L_p, and its hash (order-free) for the supervariables
    for (let m = lp0; m < lp1; m++) {
      const i = getI(members, m);
      const l0 = getI(listStart, i);
      const l1 = l0 + getI(listLen, i);
      let write = l0;
      let h = 0;
      for (let q = l0; q < l1; q++) {
        const e = getI(lists, q);
        if (getF(wOf, e) <= 0) {
          setI(alive, e, 0);
          continue;
        }
        setI(lists, write++, e);
        h = hashStep(h, e);
      }
      setI(lists, write++, np);
      h = hashStep(h, np);
      setI(listLen, i, write - l0);
      setI(hashOf, i, h ^ (write - l0));
    }
    // nodes of L_p with the same elements are indistinguishable: the first absorbs the others' weight
    // (a dense trailing block becomes one node instead of costing its order squared)
    const mask = (1 << tableBits) - 1;
    for (let m = lp0; m < lp1; m++) {
      const i = getI(members, m);
      const hi = getI(hashOf, i);
      const slot = (hi ^ (hi >>> 15)) & mask;
      if (getI(tableStamp, slot) != k) {
        setI(tableStamp, slot, k);
        setI(table, slot, -1);
      }
      let rep = -1;
      const l0 = getI(listStart, i);
      const len = getI(listLen, i);
      for (let c = getI(table, slot); c != -1; c = getI(hashNext, c)) {
        if (getI(hashOf, c) != hi || getI(listLen, c) != len) continue;
        markRound++;
        const c0 = getI(listStart, c);
        for (let q = c0; q < c0 + len; q++) setI(elementMark, getI(lists, q), markRound);
        let same = true;
        for (let q = l0; q < l0 + len && same; q++) same = getI(elementMark, getI(lists, q)) == markRound;
        if (same) {
          rep = c;
          break;
        }
      }
      if (rep == -1) {
        setI(hashNext, i, getI(table, slot));
        setI(table, slot, i);
        continue;
      }
      setI(weight, rep, getI(weight, rep) + getI(weight, i));
      setI(followNext, getI(followLast, rep), i);
      setI(followLast, rep, getI(followLast, i));
      setI(eliminated, i, 2);
      bucketRemove(head, next, prev, degree, i);
      setI(listLen, i, 0);
    }
    // approximate degrees (AMD's bound) of the remaining nodes in L_p
    for (let m = lp0; m < lp1; m++) {
      const i = getI(members, m);
      if (getI(eliminated, i)) continue;
      const wi = getI(weight, i);
      const l0 = getI(listStart, i);
      const l1 = l0 + getI(listLen, i);
      let external = <f64>(lpWeight - wi);
      for (let q = l0; q < l1; q++) {
        const e = getI(lists, q);
        if (e != np) external += getF(wOf, e);
      }
      bucketRemove(head, next, prev, degree, i);
      const d = <i32>min(min(<f64>(getI(degree, i) + lpWeight - wi), <f64>(remaining - wi)), external);
      setI(degree, i, d);
      bucketInsert(head, next, prev, degree, i);
      if (d < minDegree) minDegree = d;
    }
  }
}

function bucketInsert(head: usize, next: usize, prev: usize, degree: usize, i: i32): void {
  const d = getI(degree, i);
  const h = getI(head, d);
  setI(next, i, h);
  setI(prev, i, -1);
  if (h != -1) setI(prev, h, i);
  setI(head, d, i);
}

function bucketRemove(head: usize, next: usize, prev: usize, degree: usize, i: i32): void {
  const pi = getI(prev, i);
  const ni = getI(next, i);
  if (pi != -1) setI(next, pi, ni);
  else setI(head, getI(degree, i), ni);
  if (ni != -1) setI(prev, ni, pi);
}
