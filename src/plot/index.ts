/**
 * lmm-wasm/plot: diagnostic plots of fitted models as SVG text — caterpillar plots of the random effects
 * with conditional intervals, residuals against fitted values, normal Q–Q of the scaled residuals and
 * profile zeta plots. Needs the optional dependency @observablehq/plot and a DOM document (the page's in
 * a browser; in Node, `lmm-wasm/plot/node` supplies one). The core entry never imports this module.
 */
import { LmerModel } from '../fit/lmer-model.js';
import { OptionError } from '../errors.js';
import { profileData, type RanefSource, type ResidualSource } from './data.js';
import { caterpillarPlot, profilePlot, qqPlot, residualPlot, type CaterpillarOptions, type ProfilePlotOptions } from './render.js';

export { caterpillarPlot, profilePlot, qqPlot, residualPlot } from './render.js';
export type { PlotOptions, CaterpillarOptions, ProfilePlotOptions } from './render.js';
export { caterpillarData, residualData, qqData, qqLine, profileData } from './data.js';
export type { CaterpillarPanel, CaterpillarRow, RanefSource, ResidualSource, Field } from './data.js';
export type { ProfileTrace, ProfilePoint } from '../infer/profile.js';

/** The plots `plotSVG` and `writePlot` draw. */
export const PLOT_KINDS = ['caterpillar', 'residuals', 'qq', 'profile'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** Options of `plotSVG`: those of every plot kind. */
export type AnyPlotOptions = CaterpillarOptions & ProfilePlotOptions;

/**
 * One plot of a fitted model as SVG text. 'profile' profiles the likelihood first (lme4's profile():
 * a refit per point, seconds on larger models); 'caterpillar' and 'profile' need an lmer model.
 */
export function plotSVG(kind: PlotKind, model: LmerModel | ResidualSource, options: AnyPlotOptions = {}): string {
  switch (kind) {
    case 'caterpillar':
      return caterpillarPlot(model as RanefSource, options);
    case 'residuals':
      return residualPlot(model as ResidualSource, options);
    case 'qq':
      return qqPlot(model as ResidualSource, options);
    case 'profile':
      if (!(model instanceof LmerModel)) {
        throw new OptionError('a profile plot needs a mixed model (lmer)');
      }
      return profilePlot(profileData(model as LmerModel), options);
    default:
      throw new OptionError(`unknown plot '${String(kind)}': use one of ${PLOT_KINDS.join(', ')}`);
  }
}
