/**
 * The fill-reducing order of the crossed block's levels (assembly/min-degree.ts: approximate minimum degree
 * on the quotient graph of the chain levels' cliques), run in a pooled instance of the engine before the
 * model's own instance exists. Computed once per model.
 */
import { acquireInstance, releaseInstance } from './instance-pool.js';
import { flattenCliques, type FlatCliques } from '../linalg/supernodal-symbolic.js';

/**
 * Elimination order of `n` nodes (node i stands for `nodeWeight[i]` columns) given the cliques of the
 * pattern (lists of node indices; a node may be in several). Returns order[k] = node eliminated k-th.
 */
export function minimumDegreeOrder(n: number, nodeWeight: Int32Array, cliques: readonly Int32Array[]): Int32Array {
  return levelOrder(n, nodeWeight, flattenCliques(cliques), null)!;
}

/**
 * `minimumDegreeOrder` of cliques given as one list, or null without ordering when `dense` is given and
 * the cliques already fill more than `dense.share` of the pattern (assembly/min-degree.ts patternShare,
 * counted within `dense.budget` visits): the cliques are copied into the instance once for both.
 */
export function levelOrder(n: number, nodeWeight: Int32Array, cliques: FlatCliques, dense: { share: number; budget: number } | null): Int32Array | null {
  if (n === 0) return new Int32Array(0);
  const nCliques = cliques.start.length - 1;
  const total = cliques.start[nCliques];
  const w = acquireInstance();
  try {
    const weightPtr = w.allocI32(n);
    const startPtr = w.allocI32(nCliques + 1);
    const membersPtr = w.allocI32(total);
    w.i32(weightPtr, n).set(nodeWeight);
    w.i32(startPtr, nCliques + 1).set(cliques.start);
    w.i32(membersPtr, total).set(cliques.members.subarray(0, total));
    const e = w.exports;
    if (dense && e.patternShare(n, weightPtr, nCliques, startPtr, membersPtr, dense.budget) > dense.share) return null;
    const orderPtr = w.allocI32(n);
    e.minimumDegree(n, weightPtr, nCliques, startPtr, membersPtr, orderPtr);
    return w.i32(orderPtr, n).slice();
  } finally {
    // the order leaves no module state behind: the instance can serve the next model
    releaseInstance(w);
  }
}
