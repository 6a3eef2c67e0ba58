/**
 * Rows grouped by the level of a grouping factor, in their original order within each level (as R's
 * split keeps them): a counting sort over the level codes. Used by the engine's setup pass and by the
 * group means of lme4's starting θ.
 */

/** Row indices sorted by level (`perm`) and where each level starts in it (`start`, length nlev + 1). */
export function groupByLevel(codes: Int32Array, nlev: number): { perm: Int32Array; start: Int32Array } {
  const start = new Int32Array(nlev + 1);
  for (let r = 0; r < codes.length; r++) start[codes[r] + 1]++;
  for (let c = 0; c < nlev; c++) start[c + 1] += start[c];
  const next = start.slice(0, nlev);
  const perm = new Int32Array(codes.length);
  for (let r = 0; r < codes.length; r++) perm[next[codes[r]]++] = r;
  return { perm, start };
}
