/**
 * predict() of an lmer fit: Xβ̂ on the fitted or new rows plus, with `re`, each row's conditional modes; a
 * grouping level the fit never saw contributes 0 (lme4's allow.new.levels = TRUE); rows with a missing
 * value the prediction needs give NaN.
 */
import type { DataInput } from '../data/from-input.js';
import { modelMatrix } from '../design/model-matrix.js';
import type { ModelFrame } from '../frame/model-frame.js';
import { predictFrame } from '../frame/new-data.js';
import type { LmerState } from './lmer-state.js';

/** Xβ̂ on a frame (the fitted one or a prediction frame). */
function fixedPart(s: LmerState, frame: ModelFrame): number[] {
  const X = modelMatrix(frame, s.modelFormula.fixed, s.prepared.contrasts);
  const out = new Array<number>(frame.n).fill(0);
  s.keptColumns.forEach((j, k) => {
    const col = X.columns[j];
    for (let i = 0; i < frame.n; i++) out[i] += col[i] * s.beta[k];
  });
  return out;
}

/** Predictions on new data, or the population (re = false) predictions on the fitted rows without it. */
export function predictLmer(s: LmerState, newData: DataInput | undefined, re: boolean): number[] {
  if (newData === undefined) return fixedPart(s, s.prepared.frame);
  const frame = predictFrame(s.prepared, newData, { random: re });
  const out = fixedPart(s, frame);
  if (re) {
    let offset = 0;
    for (const t of s.terms) {
      const Z = modelMatrix(frame, t.term.effects, s.prepared.contrasts);
      const index = new Map(t.levels.map((l, g) => [l, g]));
      const labels = t.term.grouping.map((v) => frame.labels.get(v)!);
      const p = t.columns.length;
      for (let i = 0; i < frame.n; i++) {
        if (frame.missing[i]) continue;
        const g = index.get(labels.map((l) => l[i]).join(':'));
        if (g === undefined) continue;
        for (let a = 0; a < p; a++) out[i] += Z.columns[a][i] * s.b[offset + g * p + a];
      }
      offset += t.levels.length * p;
    }
  }
  frame.missing.forEach((m, i) => m && (out[i] = NaN));
  return out;
}
