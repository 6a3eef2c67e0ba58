// The demo page's plot file: build/demo/lmm-wasm-plot.js, lmm-wasm/plot's drawers (src/plot/draw.ts) with
// Observable Plot and its d3 modules in one minified ES module. The page loads it on its own, after a fit,
// so the core browser build stays free of Plot; it is not published (build/ is not in package.json's
// "files"). `npm run demo:web` (scripts/serve-demo.mjs) and the browser tests build it; `node
// scripts/build-demo.mjs` alone prints its size.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the demo page imports the plot file from, relative to the package's root. */
export const DEMO_PLOT_FILE = 'build/demo/lmm-wasm-plot.js';

/** Builds the demo's plot file; resolves to its path. */
export async function buildDemoPlot() {
  const outfile = join(root, DEMO_PLOT_FILE);
  await build({
    absWorkingDir: root,
    entryPoints: ['src/plot/draw.ts'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome91', 'firefox90', 'safari16.4'],
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await buildDemoPlot();
  const bytes = readFileSync(file);
  console.log(`${DEMO_PLOT_FILE}: ${(bytes.length / 1024).toFixed(1)} KB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
}
