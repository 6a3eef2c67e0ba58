/**
 * lmm-wasm/plot/node: the plots with a DOM from linkedom (an optional dependency, like
 * @observablehq/plot) and `writePlot`, which the CLI's `--plot file.svg` calls.
 */
import { writeFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import type { LmerModel } from './fit/lmer-model.js';
import type { ResidualSource } from './plot/data.js';
import { plotSVG as plotWithDocument, type AnyPlotOptions, type PlotKind } from './plot/index.js';

export * from './plot/index.js';

let shared: Document | undefined;

/** A DOM document for Observable Plot (one per process; plots only create detached elements in it). */
export function plotDocument(): Document {
  shared ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return shared;
}

/** `plotSVG` with linkedom's document unless one is given. */
export function plotSVG(kind: PlotKind, model: LmerModel | ResidualSource, options: AnyPlotOptions = {}): string {
  return plotWithDocument(kind, model, { ...options, document: options.document ?? plotDocument() });
}

/** Writes one plot of a model to `path` as an SVG file (e.g. `lmm fit … --plot caterpillar.svg`). */
export function writePlot(kind: PlotKind, model: LmerModel | ResidualSource, path: string, options: AnyPlotOptions = {}): void {
  writeFileSync(path, plotSVG(kind, model, options) + '\n');
}
