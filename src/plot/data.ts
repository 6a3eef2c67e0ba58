/**
 * The numbers each diagnostic plot draws, taken from a fitted model (no plotting library here, so these
 * can be tested and reused on their own).
 */
import { LmerModel, type RanefTable } from '../fit/lmer-model.js';
import { confintProfile, type ProfileTrace } from '../infer/profile.js';
import type { GlmerModel } from '../fit/glmer-model.js';
import { glmerKind, isGlmerModel } from '../fit/glmer-kind.js';
import { quantile7 } from '../stats/quantile.js';
import { qnorm } from '../stats/distribution-quantiles.js';
import { ModelError, OptionError } from '../errors.js';

/** A value or, after the API's move to methods, a method returning it. */
export type Field<T> = T | (() => T);

/** What the residual and Q–Q plots read from a model (lm or lmer). */
export interface ResidualSource {
  readonly fitted: Field<ArrayLike<number>>;
  readonly residuals: Field<ArrayLike<number>>;
  readonly sigma: Field<number | null>;
}

/** What the caterpillar plot reads: lmer's ranef with conditional variances. */
export interface RanefSource {
  ranef(options: { condVar: boolean }): Record<string, RanefTable>;
}

function read<K extends keyof ResidualSource>(model: ResidualSource, key: K): ResidualSource[K] extends Field<infer T> ? T : never {
  const f = model[key] as unknown;
  return (typeof f === 'function' ? (f as () => unknown).call(model) : f) as never;
}

/** One random effect with its interval: estimate ± z·(conditional SD). */
export interface CaterpillarRow {
  level: string;
  estimate: number;
  sd: number;
  lower: number;
  upper: number;
}

/** One panel of the caterpillar plot: a column (term) of one grouping factor. */
export interface CaterpillarPanel {
  group: string;
  column: string;
  /** The factor's levels in plotting order (by the factor's first column's estimate, as lme4's dotplot). */
  order: string[];
  rows: CaterpillarRow[];
}

/** Caterpillar panels per grouping factor, intervals at ±z conditional SD (z = 1.96 by default). */
export function caterpillarData(model: RanefSource, z = qnorm(0.975)): CaterpillarPanel[] {
  if (typeof model?.ranef !== 'function') {
    throw new ModelError('a caterpillar plot needs a mixed model (lmer): this model has no random effects');
  }
  const re = model.ranef({ condVar: true });
  const panels: CaterpillarPanel[] = [];
  for (const [group, table] of Object.entries(re)) {
    const cv = table.condVar;
    if (!cv) throw new ModelError(`ranef() gave no conditional variances for '${group}'`);
    const order = table.levels
      .map((level, l) => ({ level, v: table.values[l][0] }))
      .sort((a, b) => a.v - b.v)
      .map((e) => e.level);
    table.columns.forEach((column, j) => {
      const rows = table.levels.map((level, l) => {
        const estimate = table.values[l][j];
        const sd = Math.sqrt(Math.max(0, cv[l][j][j]));
        return { level, estimate, sd, lower: estimate - z * sd, upper: estimate + z * sd };
      });
      panels.push({ group, column, order, rows });
    });
  }
  return panels;
}

/** Residuals against fitted values. */
export function residualData(model: ResidualSource): { fitted: number; residual: number }[] {
  const fitted = read(model, 'fitted');
  const residuals = read(model, 'residuals');
  const out: { fitted: number; residual: number }[] = [];
  for (let i = 0; i < fitted.length; i++) {
    if (Number.isFinite(fitted[i]) && Number.isFinite(residuals[i])) out.push({ fitted: fitted[i], residual: residuals[i] });
  }
  return out;
}

/**
 * Normal Q–Q points of the scaled residuals (residual / σ, sorted) against qnorm(ppoints(n)), R's
 * plotting positions ((i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10, else 1/2).
 */
export function qqData(model: ResidualSource): { theoretical: number; sample: number }[] {
  const sigma = read(model, 'sigma');
  if (sigma === null || !(sigma > 0)) throw new ModelError('a Q–Q plot of scaled residuals needs a positive residual standard deviation');
  const scaled = Array.from(read(model, 'residuals'), (r) => r / sigma)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const n = scaled.length;
  if (n < 2) throw new ModelError(`a Q–Q plot needs at least 2 finite residuals (the model has ${n})`);
  const a = n <= 10 ? 3 / 8 : 1 / 2;
  return scaled.map((sample, i) => ({ theoretical: qnorm((i + 1 - a) / (n + 1 - 2 * a)), sample }));
}

/** R's qqline: the line through the first and third quartiles of the sample and of N(0, 1). */
export function qqLine(points: readonly { sample: number }[]): { intercept: number; slope: number } {
  const [y1, y3] = quantile7(points.map((p) => p.sample), [0.25, 0.75]);
  const x1 = qnorm(0.25);
  const x3 = qnorm(0.75);
  const slope = (y3 - y1) / (x3 - x1);
  return { intercept: y1 - slope * x1, slope };
}

/**
 * Profile traces of every parameter (σ's and correlations on lme4's sd/cor scale, σ for lmer, β) out to
 * |ζ| = qnorm((1 + level)/2), lme4's profile() range for alphamax = 1 − level (default 0.01).
 */
export function profileData(model: LmerModel | GlmerModel, level = 0.99): ProfileTrace[] {
  const traces: ProfileTrace[] = [];
  if (isGlmerModel(model)) glmerKind().profile(model, { level, oldNames: false, traces });
  else confintProfile(model, level, false, traces);
  return traces;
}

/** The plots `plotData`, `plotSVG` and `writePlot` draw. */
export const PLOT_KINDS = ['caterpillar', 'residuals', 'qq', 'profile'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/**
 * What one plot draws, as plain data (it survives structured cloning, e.g. from a worker holding the model
 * to a page that draws it): the input of `drawPlot`.
 */
export type PlotData =
  | { kind: 'caterpillar'; level: number; panels: CaterpillarPanel[] }
  | { kind: 'residuals'; points: { fitted: number; residual: number }[] }
  | { kind: 'qq'; points: { theoretical: number; sample: number }[]; line: { intercept: number; slope: number } }
  | { kind: 'profile'; traces: ProfileTrace[] };

/** Options of `plotData`. */
export interface PlotDataOptions {
  /** Coverage of the caterpillar intervals (default 0.95: ±1.96 conditional SD). */
  level?: number;
  /** Profile range: traces reach |ζ| = qnorm((1 + profileLevel)/2) (default 0.99, lme4's alphamax 0.01). */
  profileLevel?: number;
}

function checkLevel(name: string, level: number): number {
  if (!(typeof level === 'number' && level > 0 && level < 1)) throw new OptionError(`${name} must be between 0 and 1 (got ${String(level)})`);
  return level;
}

/**
 * The plain data of one plot of a fitted model. 'profile' refits the model along each parameter (lme4's
 * profile(): seconds on larger models); 'caterpillar' needs an lmer model, 'profile' an lmer or glmer one.
 */
export function plotData(kind: PlotKind, model: LmerModel | GlmerModel | ResidualSource, options: PlotDataOptions = {}): PlotData {
  switch (kind) {
    case 'caterpillar': {
      const level = checkLevel('level', options.level ?? 0.95);
      return { kind, level, panels: caterpillarData(model as unknown as RanefSource, qnorm((1 + level) / 2)) };
    }
    case 'residuals':
      return { kind, points: residualData(model as ResidualSource) };
    case 'qq': {
      const points = qqData(model as ResidualSource);
      return { kind, points, line: qqLine(points) };
    }
    case 'profile':
      if (!(model instanceof LmerModel) && !isGlmerModel(model)) {
        throw new OptionError('a profile plot needs a mixed model (lmer or glmer)');
      }
      return { kind, traces: profileData(model, checkLevel('profileLevel', options.profileLevel ?? 0.99)) };
    default:
      throw new OptionError(`unknown plot '${String(kind)}': use one of ${PLOT_KINDS.join(', ')}`);
  }
}
