/**
 * The fill-reducing order of the crossed block's levels (assembly/min-degree.ts: approximate minimum degree
 * on the quotient graph of the chain levels' cliques), run in a pooled instance of the engine before the
 * model's own instance exists. Computed once per model.
 */
import { acquireInstance, releaseInstance } from './instance-pool.js';

/**
 * Elimination order of `n` nodes (node i stands for `nodeWeight[i]` columns) given the cliques of the
 * pattern (lists of node indices; a node may be in several). Returns order[k] = node eliminated k-th.
 */
export function minimumDegreeOrder(n: number, nodeWeight: Int32Array, cliques: readonly Int32Array[]): Int32Array {
  if (n === 0) return new Int32Array(0);
  const w = acquireInstance();
  try {
    let total = 0;
    for (const c of cliques) total += c.length;
    const weightPtr = w.allocI32(n);
    const startPtr = w.allocI32(cliques.length + 1);
    const membersPtr = w.allocI32(total);
    const orderPtr = w.allocI32(n);
    w.i32(weightPtr, n).set(nodeWeight);
    const start = w.i32(startPtr, cliques.length + 1);
    const members = w.i32(membersPtr, Math.max(1, total));
    let at = 0;
    cliques.forEach((c, e) => {
      start[e] = at;
      members.set(c, at);
      at += c.length;
    });
    start[cliques.length] = at;
    w.exports.minimumDegree(n, weightPtr, cliques.length, startPtr, membersPtr, orderPtr);
    return w.i32(orderPtr, n).slice();
  } finally {
    // the order leaves no module state behind: the instance can serve the next model
    releaseInstance(w);
  }
}
