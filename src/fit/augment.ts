/**
 * broom's augment(): the model frame's rows (variables by their labels, factors as their level labels)
 * with the model's per-observation columns (.fitted, .resid, …) appended.
 */
import type { ModelFrame } from '../frame/model-frame.js';
import type { AugmentRow } from './model.js';

/** Rows of the model frame plus the named per-row columns (non-finite values become null). */
export function augmentRows(frame: ModelFrame, extra: Record<`.${string}`, readonly number[]>): AugmentRow[] {
  const columns = new Map(frame.variables);
  for (const [label, v] of frame.grouping) if (!columns.has(label)) columns.set(label, v);
  const rows: AugmentRow[] = [];
  for (let i = 0; i < frame.n; i++) {
    const row: Record<string, number | string | null> = {};
    for (const [label, v] of columns) {
      if (v.kind === 'numeric') row[label] = Number.isFinite(v.values[i]) ? v.values[i] : null;
      else row[label] = v.levels[v.codes[i]] ?? null;
    }
    for (const [name, values] of Object.entries(extra)) row[name] = Number.isFinite(values[i]) ? values[i] : null;
    rows.push(row as AugmentRow);
  }
  return rows;
}
