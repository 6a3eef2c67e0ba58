/**
 * The diagnostic plots of a fitted model as SVG text: the model's plot data (data.ts) drawn by draw.ts.
 */
import type { LmerModel } from '../fit/lmer-model.js';
import type { ProfileTrace } from '../infer/profile.js';
import { plotData, type RanefSource, type ResidualSource } from './data.js';
import { drawPlot, drawProfile, type CaterpillarOptions, type PlotOptions, type ProfilePlotOptions } from './draw.js';

/**
 * Caterpillar plot (lme4's dotplot(ranef(m, condVar = TRUE))): for each grouping factor and each of its
 * columns a panel of conditional modes ± z conditional SD, levels ordered by the factor's first column.
 */
export function caterpillarPlot(model: RanefSource, options: CaterpillarOptions = {}): string {
  return drawPlot(plotData('caterpillar', model as unknown as LmerModel, { level: options.level ?? 0.95 }), options);
}

/** Residuals against fitted values (lme4's plot(m)), with the zero line. */
export function residualPlot(model: ResidualSource, options: PlotOptions = {}): string {
  return drawPlot(plotData('residuals', model), options);
}

/** Normal Q–Q plot of the scaled residuals, with R's qqline through the quartiles. */
export function qqPlot(model: ResidualSource, options: PlotOptions = {}): string {
  return drawPlot(plotData('qq', model), options);
}

/**
 * Profile zeta plots (lme4's xyplot(profile(m))) of traces from `profileData`: ζ against each parameter,
 * one panel per parameter, with ζ = 0 and ±qnorm((1 + level)/2) marked.
 */
export function profilePlot(traces: readonly ProfileTrace[], options: ProfilePlotOptions = {}): string {
  return drawProfile(traces, options);
}
