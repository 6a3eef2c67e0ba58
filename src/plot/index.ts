/**
 * lmm-wasm/plot: diagnostic plots of fitted models as SVG text — caterpillar plots of the random effects
 * with conditional intervals, residuals against fitted values, normal Q–Q of the scaled residuals and
 * profile zeta plots. Needs the optional dependency @observablehq/plot and a DOM document (the page's in
 * a browser; in Node, `lmm-wasm/plot/node` supplies one). The core entry never imports this module.
 */
import type { LmerModel } from '../fit/lmer-model.js';
import type { GlmerModel } from '../fit/glmer-model.js';
import { plotData, type PlotKind, type ResidualSource } from './data.js';
import { drawPlot, type CaterpillarOptions, type ProfilePlotOptions } from './draw.js';

export { caterpillarPlot, profilePlot, qqPlot, residualPlot } from './render.js';
export { drawPlot, drawCaterpillar, drawResiduals, drawQQ, drawProfile } from './draw.js';
export type { PlotOptions, CaterpillarOptions, ProfilePlotOptions } from './draw.js';
export { caterpillarData, residualData, qqData, qqLine, profileData, plotData, PLOT_KINDS } from './data.js';
export type { CaterpillarPanel, CaterpillarRow, RanefSource, ResidualSource, PlotData, PlotDataOptions, PlotKind, Field } from './data.js';
export type { ProfileTrace, ProfilePoint } from '../infer/profile.js';

/** Options of `plotSVG`: those of every plot kind. */
export type AnyPlotOptions = CaterpillarOptions & ProfilePlotOptions;

/**
 * One plot of a fitted model as SVG text. 'profile' profiles the likelihood first (lme4's profile():
 * a refit per point, seconds on larger models); 'caterpillar' needs an lmer model, 'profile' an lmer or glmer one.
 */
export function plotSVG(kind: PlotKind, model: LmerModel | GlmerModel | ResidualSource, options: AnyPlotOptions = {}): string {
  // the caterpillar's `level` is its intervals' coverage; the profile's is that of its ±ζ lines
  return drawPlot(plotData(kind, model, kind === 'caterpillar' ? { level: options.level ?? 0.95 } : {}), options);
}
