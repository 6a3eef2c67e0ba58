/**
 * glmer's part of the public API: `glmer`, its model and summary classes and its families. `lmm-wasm`
 * (index.ts) exports it with the rest; the browser build has it in its own file (browser-glmer.ts), so a
 * page that fits lm and lmer only does not load it. Loading it makes glmer fits known to the generic
 * functions of core.ts and allFit (fit/glmer-kind.ts), which do not import glmer.
 */
import { GlmerModel, profileGlmer, refitGlmer } from './fit/glmer-model.js';
import { GlmerSummary } from './print/glmer-summary.js';
import { provideGlmerKind } from './fit/glmer-kind.js';

provideGlmerKind({ model: GlmerModel, summary: (m) => new GlmerSummary(m), refit: refitGlmer, profile: profileGlmer });

export { glmer, type GlmerOptions } from './fit/glmer.js';
export { GlmerModel, type GlmerResidualType, type GlmerStage2Optimizer, type GlmerOptimizerInfo } from './fit/glmer-model.js';
export { GlmerSummary } from './print/glmer-summary.js';
export { makeFamily, type Family, type FamilyName, type LinkName, type Link } from './fit/family.js';
