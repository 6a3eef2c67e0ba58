/**
 * lmm-wasm/plot/node: the plots with a DOM from linkedom (an optional dependency, like
 * @observablehq/plot) and `writePlot`, which the CLI's `--plot file.svg` calls.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseHTML } from 'linkedom';
import { OptionError } from './errors.js';
import type { LmerModel } from './fit/lmer-model.js';
import type { GlmerModel } from './fit/glmer-model.js';
import type { ResidualSource } from './plot/data.js';
import { PLOT_KINDS, plotSVG as plotWithDocument, type AnyPlotOptions, type PlotKind } from './plot/index.js';

export * from './plot/index.js';

let shared: Document | undefined;

/** A DOM document for Observable Plot (one per process; plots only create detached elements in it). */
export function plotDocument(): Document {
  shared ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return shared;
}

/** `plotSVG` with linkedom's document unless one is given. */
export function plotSVG(kind: PlotKind, model: LmerModel | GlmerModel | ResidualSource, options: AnyPlotOptions = {}): string {
  return plotWithDocument(kind, model, { ...options, document: options.document ?? plotDocument() });
}

/** Writes one plot of a model to `path` as an SVG file (e.g. `lmm fit … --plot caterpillar.svg`). */
export function writePlot(kind: PlotKind, model: LmerModel | GlmerModel | ResidualSource, path: string, options: AnyPlotOptions = {}): void {
  writeFileSync(path, plotSVG(kind, model, options) + '\n');
}

/**
 * Reads the CLI's `--plot` value: `KIND=PATH` (`qq=out/fig.svg`), or a path whose file name starts with
 * the kind (`caterpillar.svg`, `plots/residuals-sleep.svg`).
 */
export function parsePlotArgument(arg: string): { kind: PlotKind; path: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && (PLOT_KINDS as readonly string[]).includes(arg.slice(0, eq))) {
    const path = arg.slice(eq + 1);
    if (!path) throw new OptionError(`--plot '${arg}': the file to write is missing after '='`);
    return { kind: arg.slice(0, eq) as PlotKind, path };
  }
  const name = basename(arg).toLowerCase();
  const kind = PLOT_KINDS.find((k) => name.startsWith(k));
  if (kind && arg.length > 0) return { kind, path: arg };
  throw new OptionError(
    `--plot '${arg}': name the plot as KIND=FILE.svg or start the file name with the kind; kinds: ${PLOT_KINDS.join(', ')}`,
  );
}
