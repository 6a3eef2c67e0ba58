/**
 * The random-effects design (lme4's mkReTrms): per term its grouping factor and its model matrix
 * (Z_i has one p_i-column block per level), in lme4's order — terms are reordered by decreasing number
 * of levels (`rev(order(nlevels))`, applied only when some later term has more levels than an earlier
 * one) — and lme4's checks on the numbers of levels.
 */
import { ModelError } from '../errors.js';
import type { RandomTerm } from '../formula/types.js';
import type { ModelFrame } from '../frame/model-frame.js';
import type { ContrastSpec } from '../frame/contrasts.js';
import { groupingFactor } from './grouping.js';
import { modelMatrix } from './model-matrix.js';
import type { EngineTerm } from '../wasm/mixed-engine.js';

/** One random-effects term ready for the engine. */
export interface RandomTermDesign {
  readonly term: RandomTerm;
  /** Grouping factor name as lme4 prints it. */
  readonly group: string;
  readonly levels: readonly string[];
  /** Level of each row (0-based). */
  readonly codes: Int32Array;
  /** Names of the term's columns (`(Intercept)`, `Days`). */
  readonly columns: readonly string[];
  /** The term's model matrix row by row (n × p). */
  readonly z: Float64Array;
}

/** lme4's term order: decreasing number of levels, as `rev(order(nl))` when any(diff(nl) > 0). */
export function lme4TermOrder(nlevels: readonly number[]): number[] {
  const idx = nlevels.map((_, i) => i);
  const increases = nlevels.some((v, i) => i > 0 && v > nlevels[i - 1]);
  if (!increases) return idx;
  return idx.sort((a, b) => nlevels[a] - nlevels[b] || a - b).reverse();
}

/** Builds the random-effects terms of `frame.formula` in lme4's order, with lme4's checks. */
export function randomTermDesigns(
  frame: ModelFrame,
  contrasts: Readonly<Record<string, ContrastSpec>> = {},
  options: { allowN?: boolean } = {},
): RandomTermDesign[] {
  // glmer (lme4's allow.n = TRUE) accepts as many levels or random effects as observations (an observation-level term)
  const allowN = options.allowN === true;
  const n = frame.n;
  const built = frame.formula.random.map((term): RandomTermDesign => {
    const g = groupingFactor(frame, term.grouping);
    const mm = modelMatrix(frame, term.effects, contrasts);
    const p = mm.columns.length;
    // one column is already Z row by row (and the model matrix's own array: no one else holds it)
    const z = p === 1 ? mm.columns[0] : new Float64Array(n * p);
    if (p > 1) {
      mm.columns.forEach((col, j) => {
        for (let r = 0; r < n; r++) z[r * p + j] = col[r];
      });
    }
    return { term, group: term.groupLabel, levels: g.levels, codes: g.codes, columns: mm.names, z };
  });
  const single = built.filter((t) => t.levels.length < 2);
  if (single.length > 0) {
    throw new ModelError(
      `grouping factors must have > 1 sampled level: ${single.map((t) => `"${t.group}" in (${t.term.text}) has ${t.levels.length}`).join('; ')}`,
    );
  }
  const tooMany = built.filter((t) => (allowN ? t.levels.length > n : t.levels.length >= n));
  if (tooMany.length > 0) {
    throw new ModelError(
      `number of levels of each grouping factor must be < number of observations (problems: ${[
        ...new Set(tooMany.map((t) => t.group)),
      ].join(', ')})`,
    );
  }
  for (const t of built) {
    const q = t.levels.length * t.columns.length;
    if (allowN ? n < q : n <= q) {
      throw new ModelError(
        `number of observations (=${n}) <= number of random effects (=${q}) for term (${t.term.text}); ` +
          'the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable',
      );
    }
  }
  return lme4TermOrder(built.map((t) => t.levels.length)).map((i) => built[i]);
}

/** The terms as the engine takes them (levels, columns, level codes and Z rows per observation). */
export function engineTerms(terms: readonly RandomTermDesign[]): EngineTerm[] {
  return terms.map((t) => ({ nlev: t.levels.length, p: t.columns.length, codes: t.codes, z: t.z }));
}
