/**
 * glmer fits as the generic functions (summary, anova, confint, fixef, ranef, varCorr, allFit) see them,
 * without importing glmer's code. The browser build's main file (`lmm-wasm/browser`) carries lm and lmer
 * only; glmer is its own file (`lmm-wasm/browser/glmer`), and a module the main file imports would put
 * glmer back into it (esbuild's chunks follow every import). So glmer's public module (glmer-api.ts)
 * hands over what the generic functions need as it loads, as the synchronous entries hand over the
 * embedded engine: the class to recognise a fit by, and the steps that need glmer's code. A GlmerModel
 * exists only once that module has loaded, so a generic function that finds nothing here has no glmer
 * fit in front of it.
 */
import type { RResult } from '../result.js';
import type { GlmerModel, GlmerStage2Optimizer } from './glmer-model.js';
import type { GlmmProfile, GlmmProfileOptions } from './glmer-profile.js';

/** What the generic functions need of glmer. */
export interface GlmerKind {
  /** The class a glmer fit is an instance of. */
  readonly model: typeof GlmerModel;
  /** summary(m): glmer's summary object (print/glmer-summary.ts's GlmerSummary). */
  summary(m: GlmerModel): RResult;
  /** The same fit with another second-stage optimizer (allFit). */
  refit(m: GlmerModel, optimizer: GlmerStage2Optimizer): GlmerModel;
  /** confint(m)'s profile (fit/glmer-profile.ts). */
  profile(m: GlmerModel, options: GlmmProfileOptions): GlmmProfile;
}

let glmer: GlmerKind | undefined;

/** Called by glmer's public module as it loads. */
export function provideGlmerKind(kind: GlmerKind): void {
  glmer = kind;
}

/** Whether `x` is a glmer fit (false while glmer is not loaded: then none exists). */
export function isGlmerModel(x: unknown): x is GlmerModel {
  return glmer !== undefined && x instanceof glmer.model;
}

/** GlmerModel in a list once glmer is loaded, else an empty list: the classes an argument check adds. */
export function glmerModelClasses(): (typeof GlmerModel)[] {
  return glmer ? [glmer.model] : [];
}

/** glmer's steps for a fit `isGlmerModel` accepted. */
export function glmerKind(): GlmerKind {
  if (!glmer) throw new TypeError('glmer is not loaded, so no glmer fit exists');
  return glmer;
}
