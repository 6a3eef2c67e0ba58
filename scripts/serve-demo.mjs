// `npm run demo:web`: serves the demo page (demo/) and the browser build on http://127.0.0.1:PORT/
// (PORT from the environment or --port, default 8080). Build first: `npm run build:bundle`; the page's plot
// file (build/demo/lmm-wasm-plot.js) is built here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';
import { buildDemoPlot } from './build-demo.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--port');
const port = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.PORT ?? 8080));
if (!existsSync(join(root, 'dist/browser/lmm-wasm.js'))) {
  console.error('dist/browser/lmm-wasm.js is missing: run `npm run build` (or `npm run build:bundle`) first');
  process.exit(1);
}
await buildDemoPlot();
const { url } = await startStaticServer({ root, port });
console.log(`lmm-wasm demo: ${url}/demo/  (Ctrl-C stops)`);
