/**
 * The diagnostic plots drawn with Observable Plot (an optional dependency of this entry only) from their
 * plain data (data.ts), not from a model: so a page can draw what a worker holding the model computed.
 * Plot builds SVG through a DOM `document` — the page's in a browser, linkedom's in Node — with no eval,
 * so it runs under a strict CSP; its d3 modules tree-shake, unlike Vega's runtime with its expression parser.
 * Imports no model code: the browser's plot file (dist/browser/lmm-wasm-plot.js) is this module alone.
 */
import * as Plot from '@observablehq/plot';
import { OptionError } from '../errors.js';
import { qnorm } from '../stats/distribution-quantiles.js';
import type { ProfileTrace } from '../infer/profile.js';
import { composePanels, composeRows, type Panel } from './compose.js';
import type { CaterpillarPanel, PlotData } from './data.js';

/** Options shared by every plot. */
export interface PlotOptions {
  /** The DOM document to build SVG with (default: the global one; in Node use lmm-wasm/plot/node). */
  document?: Document;
  /** Width of one panel in pixels. */
  width?: number;
  /** Height of one panel in pixels (caterpillar panels grow with the number of levels instead). */
  height?: number;
}

function documentOf(options: PlotOptions): Document {
  const doc = options.document ?? (globalThis as { document?: Document }).document;
  if (!doc) {
    throw new OptionError(
      'plots are drawn through a DOM document: pass { document } (e.g. from linkedom), or in Node use ' +
        "writePlot / plotSVG from 'lmm-wasm/plot/node'",
    );
  }
  return doc;
}

const POINT = '#1f5f9e';
const INTERVAL = '#7f7f7f';

/** Caterpillar options: the interval's normal quantile. */
export interface CaterpillarOptions extends PlotOptions {
  /** Coverage of the intervals drawn around each conditional mode (default 0.95: ±1.96 SD). */
  level?: number;
}

/** Largest number of levels whose names are written on the axis (beyond it they would overlap). */
const MAX_LABELLED_LEVELS = 60;

/**
 * Caterpillar plot (lme4's dotplot(ranef(m, condVar = TRUE))) of `caterpillarData`'s panels: for each
 * grouping factor and each of its columns a panel of conditional modes ± z conditional SD.
 */
export function drawCaterpillar(panels: readonly CaterpillarPanel[], options: PlotOptions = {}): string {
  const document = documentOf(options);
  const out: Panel[] = [];
  // a row per factor, its columns side by side; level names on the first panel of each row
  panels.forEach((p, i) => {
    const first = i === 0 || panels[i - 1].group !== p.group;
    const n = p.order.length;
    const labelled = n <= MAX_LABELLED_LEVELS;
    const longest = labelled ? Math.max(...p.order.map((l) => l.length)) : 0;
    const marginLeft = first ? (labelled ? Math.min(160, 12 + 6 * longest) : 30) : 12;
    const width = (options.width ?? 260) + (first ? marginLeft : 0);
    const height = 50 + (labelled ? Math.max(120, 14 * n) : Math.min(800, Math.max(240, 2 * n)));
    const svg = Plot.plot({
      document,
      width,
      height,
      marginLeft,
      marginRight: 12,
      // fixed top and bottom margins so the rows of side-by-side panels line up
      marginTop: 12,
      marginBottom: 38,
      x: { label: p.column, labelAnchor: 'center', labelArrow: 'none', nice: true },
      // largest on top, as lattice's dotplot draws the first level at the bottom
      y: { domain: [...p.order].reverse(), label: null, axis: first && labelled ? 'left' : null },
      marks: [
        Plot.ruleX([0], { stroke: '#bbbbbb', strokeDasharray: '4,3' }),
        Plot.ruleY(p.rows, { y: 'level', x1: 'lower', x2: 'upper', stroke: INTERVAL, strokeOpacity: labelled ? 1 : 0.4 }),
        Plot.dot(p.rows, { x: 'estimate', y: 'level', fill: POINT, stroke: 'none', r: labelled ? 3 : 1.5 }),
      ],
    }) as Element;
    out.push({ svg, width, height, title: `${p.group}: ${p.column}` });
  });
  return composeByGroup(out, panels.map((p) => p.group));
}

/** Panels of one factor side by side, one factor per row. */
function composeByGroup(panels: Panel[], groups: string[]): string {
  const rows: Panel[][] = [];
  panels.forEach((p, i) => {
    if (i === 0 || groups[i] !== groups[i - 1]) rows.push([]);
    rows[rows.length - 1].push(p);
  });
  return composeRows(rows);
}

/** Residuals against fitted values (lme4's plot(m)), with the zero line. */
export function drawResiduals(data: readonly { fitted: number; residual: number }[], options: PlotOptions = {}): string {
  const document = documentOf(options);
  const width = options.width ?? 480;
  const height = options.height ?? 360;
  const svg = Plot.plot({
    document,
    width,
    height,
    grid: true,
    x: { label: 'Fitted values', labelAnchor: 'center', labelArrow: 'none', nice: true },
    y: { label: 'Residuals', labelAnchor: 'center', labelArrow: 'none', nice: true },
    marks: [
      Plot.ruleY([0], { stroke: '#999999', strokeDasharray: '4,3' }),
      Plot.dot(data, { x: 'fitted', y: 'residual', stroke: POINT, r: 2.5 }),
    ],
  }) as Element;
  return composePanels([{ svg, width, height, title: 'Residuals vs fitted' }], 1);
}

/** Normal Q–Q plot of the scaled residuals (`qqData`), with R's qqline (`qqLine`) through the quartiles. */
export function drawQQ(
  data: readonly { theoretical: number; sample: number }[],
  line: { intercept: number; slope: number },
  options: PlotOptions = {},
): string {
  const document = documentOf(options);
  const { intercept, slope } = line;
  const x0 = data[0].theoretical;
  const x1 = data[data.length - 1].theoretical;
  const width = options.width ?? 420;
  const height = options.height ?? 420;
  const svg = Plot.plot({
    document,
    width,
    height,
    grid: true,
    x: { label: 'Standard normal quantiles', labelAnchor: 'center', labelArrow: 'none', nice: true },
    y: { label: 'Scaled residuals', labelAnchor: 'center', labelArrow: 'none', nice: true },
    marks: [
      Plot.line(
        [
          { x: x0, y: intercept + slope * x0 },
          { x: x1, y: intercept + slope * x1 },
        ],
        { x: 'x', y: 'y', stroke: '#c0392b' },
      ),
      Plot.dot(data, { x: 'theoretical', y: 'sample', stroke: POINT, r: 2.5 }),
    ],
  }) as Element;
  return composePanels([{ svg, width, height, title: 'Normal Q–Q of scaled residuals' }], 1);
}

/** Profile zeta plot options. */
export interface ProfilePlotOptions extends PlotOptions {
  /** Confidence level whose ±ζ lines are drawn (default 0.95). */
  level?: number;
  /** Panels per row (default 3). */
  columns?: number;
}

/**
 * Profile zeta plots (lme4's xyplot(profile(m))): ζ against each parameter, one panel per parameter, with
 * ζ = 0 and ±qnorm((1 + level)/2) marked; a straight line means a quadratic (Wald-like) profile.
 */
export function drawProfile(traces: readonly ProfileTrace[], options: ProfilePlotOptions = {}): string {
  const document = documentOf(options);
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new OptionError(`level must be between 0 and 1 (got ${level})`);
  const z = qnorm((1 + level) / 2);
  const width = options.width ?? 240;
  const height = options.height ?? 220;
  const panels = traces.map((t) => {
    const svg = Plot.plot({
      document,
      width,
      height,
      grid: true,
      x: { label: t.name, labelAnchor: 'center', labelArrow: 'none', nice: true },
      y: { label: 'ζ', labelAnchor: 'center', labelArrow: 'none' },
      marks: [
        Plot.ruleY([-z, z], { stroke: '#c0392b', strokeDasharray: '4,3' }),
        Plot.ruleY([0], { stroke: '#999999' }),
        Plot.line(t.points, { x: 'x', y: 'zeta', stroke: POINT }),
        Plot.dot(t.points, { x: 'x', y: 'zeta', fill: POINT, stroke: 'none', r: 2.5 }),
      ],
    }) as Element;
    return { svg, width, height, title: t.name };
  });
  return composePanels(panels, options.columns ?? 3);
}

/** Draws one plot from its plain data (`plotData`'s result) as standalone SVG text. */
export function drawPlot(data: PlotData, options: ProfilePlotOptions = {}): string {
  switch (data?.kind) {
    case 'caterpillar':
      return drawCaterpillar(data.panels, options);
    case 'residuals':
      return drawResiduals(data.points, options);
    case 'qq':
      return drawQQ(data.points, data.line, options);
    case 'profile':
      return drawProfile(data.traces, options);
    default:
      throw new OptionError(`drawPlot needs the data of one plot (plotData's result), got kind '${String((data as { kind?: unknown })?.kind)}'`);
  }
}
