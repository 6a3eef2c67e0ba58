/**
 * Grouping factors of random-effects terms: one factor, or the interaction `a:b` as R's `factor(a:b)`
 * makes it (levels `a1:b1`, `a1:b2`, …, the first factor varying slowest, unused combinations dropped).
 */
import { ModelError } from '../errors.js';
import type { ModelFrame } from '../frame/model-frame.js';

/** A grouping factor on the rows of a model frame. */
export interface GroupingFactor {
  readonly codes: Int32Array;
  readonly levels: string[];
}

/** The grouping factor of the variables `labels` (interaction when several). */
export function groupingFactor(frame: ModelFrame, labels: readonly string[]): GroupingFactor {
  const parts = labels.map((label) => {
    const v = frame.variables.get(label);
    if (!v || v.kind !== 'factor') throw new ModelError(`internal: grouping variable ${label} is not a factor`);
    return v;
  });
  if (parts.length === 1) return { codes: parts[0].codes, levels: [...parts[0].levels] };
  // combined code in mixed radix (first factor slowest), then keep the combinations that occur
  const n = frame.n;
  const combined = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let c = 0;
    for (const p of parts) c = c * p.levels.length + p.codes[r];
    combined[r] = c;
  }
  const used = [...new Set(combined)].sort((a, b) => a - b);
  const index = new Map(used.map((c, i) => [c, i]));
  const levels = used.map((c) => {
    const labelsOut: string[] = [];
    for (let i = parts.length - 1; i >= 0; i--) {
      const k = parts[i].levels.length;
      labelsOut.unshift(parts[i].levels[c % k]);
      c = Math.floor(c / k);
    }
    return labelsOut.join(':');
  });
  return { codes: Int32Array.from(combined, (c) => index.get(c)!), levels };
}
