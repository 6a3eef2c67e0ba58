/** lme4's print of summary(glmerMod): filled in below. */
import type { GlmerModel } from '../fit/glmer-model.js';

export function glmerSummaryText(m: GlmerModel): string {
  return `glmer ${m.formula}`;
}
