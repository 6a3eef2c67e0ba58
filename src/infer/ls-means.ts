/**
 * Least-squares means as lmerTest's ls_means(m, pairwise): for each fixed-effects term made only of
 * factors, the model's prediction averaged over a reference grid (every combination of the factors'
 * levels, numeric variables at their means), with Satterthwaite df and Wald-t intervals; with
 * `pairwise`, all differences between the levels of each term.
 */
import { lmerState } from '../fit/lmer-state.js';
import type { LmerModel } from '../fit/lmer-model.js';
import { modelMatrix } from '../design/model-matrix.js';
import type { FrameVariable, ModelFrame } from '../frame/model-frame.js';
import { contrastTest } from '../fit/satterthwaite.js';
import { qt } from '../stats/distribution-quantiles.js';

/** One row of the table. */
export interface LsMeansRow {
  name: string;
  estimate: number;
  se: number;
  df: number;
  t: number;
  lower: number;
  upper: number;
  p: number;
}

/** The reference grid: expand.grid of the factors' levels (first varies fastest) and numeric means. */
function referenceGrid(m: LmerModel): ModelFrame {
  const { frame, formula } = lmerState(m).prepared;
  const used = [...new Set(formula.fixed.terms.flatMap((t) => t.variables))];
  const factors = used.filter((v) => frame.variables.get(v)!.kind === 'factor');
  const numerics = used.filter((v) => frame.variables.get(v)!.kind === 'numeric');
  const sizes = factors.map((v) => (frame.variables.get(v) as Extract<FrameVariable, { kind: 'factor' }>).levels.length);
  const n = sizes.reduce((a, b) => a * b, 1);
  const variables = new Map<string, FrameVariable>();
  let stride = 1;
  factors.forEach((v, k) => {
    const f = frame.variables.get(v) as Extract<FrameVariable, { kind: 'factor' }>;
    const s = stride;
    variables.set(v, { kind: 'factor', codes: Int32Array.from({ length: n }, (_, i) => Math.floor(i / s) % sizes[k]), levels: f.levels, ordered: f.ordered });
    stride *= sizes[k];
  });
  for (const v of numerics) {
    const x = (frame.variables.get(v) as { values: Float64Array }).values;
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    variables.set(v, { kind: 'numeric', values: new Float64Array(n).fill(mean) });
  }
  const grid = { formula: frame.formula, n, rows: Int32Array.from({ length: n }, (_, i) => i), nDropped: 0, variables, grouping: new Map(), response: null };
  return grid as unknown as ModelFrame;
}

/** ls_means(m) (or its pairwise differences) for every factor term. */
export function lsMeans(m: LmerModel, options: { pairwise?: boolean; level?: number } = {}): LsMeansRow[] {
  const level = options.level ?? 0.95;
  const { prepared, keptColumns, beta } = lmerState(m);
  const frame = prepared.frame;
  const terms = prepared.formula.fixed.terms.filter((t) => t.variables.every((v) => frame.variables.get(v)?.kind === 'factor'));
  if (terms.length === 0) return [];
  const grid = referenceGrid(m);
  const uXfull = modelMatrix(grid, prepared.formula.fixed, prepared.contrasts);
  const uX = keptColumns.map((j) => uXfull.columns[j]);
  const treatment = Object.fromEntries([...grid.variables.keys()].map((v) => [v, 'treatment' as const]));
  const basis = m.satterthwaite();
  const rows: LsMeansRow[] = [];
  for (const term of terms) {
    // one row per level combination of the term: the average of the grid rows that have it
    const Lt = modelMatrix(grid, { intercept: false, terms: [term] }, treatment);
    let L = Lt.columns.map((col) => {
      const w = col.reduce((a, b) => a + b, 0);
      return uX.map((x) => x.reduce((s, v, i) => s + (col[i] * v) / w, 0));
    });
    let names = Lt.names;
    if (options.pairwise) {
      const pairs: number[][] = [];
      const pairNames: string[] = [];
      for (let a = 0; a < L.length; a++) {
        for (let b = a + 1; b < L.length; b++) {
          pairs.push(L[a].map((v, j) => v - L[b][j]));
          pairNames.push(`${names[a]} - ${names[b]}`);
        }
      }
      L = pairs;
      names = pairNames;
    }
    L.forEach((l, k) => {
      const t = contrastTest(basis, beta, l);
      const q = qt(1 - (1 - level) / 2, t.df);
      rows.push({ name: names[k], estimate: t.estimate, se: t.se, df: t.df, t: t.t, lower: t.estimate - q * t.se, upper: t.estimate + q * t.se, p: t.p });
    });
  }
  return rows;
}
