// The self-contained browser build: dist/browser/lmm-wasm.js (the API with the engine inlined) and
// dist/browser/lmm-wasm.worker.js (its Web Worker), each one minified ES module with no imports, and a
// source map. Writes the esbuild metafile and prints the size of each file and of its largest modules.
import { build, analyzeMetafile } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/browser');
mkdirSync(outdir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/browser.ts', out: 'lmm-wasm' },
    { in: 'src/worker/thread-browser.ts', out: 'lmm-wasm.worker' },
  ],
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome91', 'firefox89', 'safari16.4'],
  minify: true,
  sourcemap: true,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // @stdlib's gammaincinv traces through `debug` (with `ms`): silent in a browser, so a no-op stands in
  alias: { debug: './scripts/browser-stubs/debug.cjs' },
});
// the metafile (what each module contributes) stays out of the published dist/: build/ is not in "files"
mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(join(root, 'build/browser-meta.json'), JSON.stringify(result.metafile));

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const file of ['lmm-wasm.js', 'lmm-wasm.worker.js']) {
  const bytes = readFileSync(join(outdir, file));
  console.log(`dist/browser/${file}: ${kb(bytes.length)} raw, ${kb(gzipSync(bytes, { level: 9 }).length)} gzip`);
}
if (process.argv.includes('--verbose')) console.log(await analyzeMetafile(result.metafile, { verbose: false }));
