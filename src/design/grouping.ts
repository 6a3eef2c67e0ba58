/**
 * Grouping factors of random-effects terms: one factor, or the interaction `a:b` as R's `factor(a:b)`
 * makes it (levels `a1:b1`, `a1:b2`, …, the first factor varying slowest, unused combinations dropped).
 */
import { ModelError } from '../errors.js';
import { distinctCodes, type FrameFactor, type ModelFrame } from '../frame/model-frame.js';

/** A grouping factor on the rows of a model frame. */
export interface GroupingFactor {
  /** Level of each row, 0-based. */
  readonly codes: Int32Array;
  /** Level labels in R's order. */
  readonly levels: string[];
}

function factorOf(frame: ModelFrame, label: string): FrameFactor {
  const g = frame.grouping.get(label);
  if (g) return g;
  const v = frame.variables.get(label);
  if (v && v.kind === 'factor') return v;
  throw new ModelError(`internal: the grouping variable ${label} is not in the model frame as a factor`);
}

/**
 * The grouping factor of the variables `labels` (their interaction when several, first slowest), on the
 * frame's rows, with levels no row uses dropped.
 */
export function groupingFactor(frame: ModelFrame, labels: readonly string[]): GroupingFactor {
  if (labels.length === 0) throw new ModelError('internal: a grouping factor needs at least one variable');
  const parts = labels.map((label) => factorOf(frame, label));
  if (parts.length === 1) return { codes: parts[0].codes, levels: [...parts[0].levels] };
  // each row's combination as a mixed-radix number (first factor most significant), then the
  // combinations that occur, in that order
  const n = frame.n;
  const combined = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let c = 0;
    for (const p of parts) c = c * p.levels.length + p.codes[r];
    combined[r] = c;
  }
  const { codes, distinct: used } = distinctCodes(combined);
  const levels = Array.from(used, (c) => {
    const out: string[] = new Array(parts.length);
    for (let i = parts.length - 1; i >= 0; i--) {
      const k = parts[i].levels.length;
      out[i] = parts[i].levels[c % k];
      c = Math.floor(c / k);
    }
    return out.join(':');
  });
  return { codes, levels };
}
