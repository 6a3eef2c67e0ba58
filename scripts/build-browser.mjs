// The self-contained browser build in dist/browser/: lmm-wasm.js (the API), lmm-wasm.worker.js (its Web
// Worker), the code they share in one chunk (lmm-wasm.shared.js, so the package and the browser's cache hold
// the library once), and the engine as lmm-wasm.wasm, which `await init()` fetches from next to the script
// (engine-binary-browser.ts). Minified ES modules whose only imports are each other by relative URL, so a
// no-build page and a CDN load them as they are; with source maps. Writes the esbuild metafile and prints the
// size of what a page loads before its first fit, and (--verbose) of each module.
//
// esbuild bundles and minifies; terser then minifies each output again (its source map composed onto
// esbuild's): its compression passes and its choice of short names leave text that gzips markedly smaller
// than esbuild's alone (bench/BROWSER-SIZE.md). Safe options only: no property mangling, nothing `unsafe`.
import { build, analyzeMetafile } from 'esbuild';
import { minify } from 'terser';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdlibEsm } from './stdlib-esm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/browser');
// no stale chunk or engine from an earlier build
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

/** The engine as a file of its own: the browser build fetches lmm-wasm.wasm instead of decoding base64. */
const engineFile = {
  name: 'engine-file',
  setup(b) {
    b.onResolve({ filter: /^\.\/engine-binary\.js$/ }, ({ resolveDir }) => ({ path: join(resolveDir, 'engine-binary-browser.ts') }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: [
    { in: 'src/browser.ts', out: 'lmm-wasm' },
    { in: 'src/worker/thread-browser.ts', out: 'lmm-wasm.worker' },
  ],
  outdir,
  bundle: true,
  splitting: true,
  chunkNames: 'lmm-wasm.shared',
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome91', 'firefox89', 'safari16.4'],
  minify: true,
  charset: 'utf8', // θ, σ, ≥ in messages as UTF-8, not \u escapes
  sourcemap: true,
  metafile: true,
  legalComments: 'none', // the licences of what it bundles: THIRD-PARTY-NOTICES.md (scripts/build-notices.mjs)
  logLevel: 'warning',
  // @stdlib's gammaincinv traces through `debug` (with `ms`): silent in a browser, so a no-op stands in
  alias: { debug: './scripts/browser-stubs/debug.cjs' },
  plugins: [engineFile, stdlibEsm],
});
for (const file of readdirSync(outdir).filter((f) => f.endsWith('.js'))) {
  const path = join(outdir, file);
  const out = await minify(readFileSync(path, 'utf8'), {
    module: true,
    ecma: 2020,
    compress: { passes: 3 },
    mangle: true,
    // keeps esbuild's /*! pointer to the LEGAL.txt file
    format: { comments: /^!/ },
    sourceMap: { content: readFileSync(`${path}.map`, 'utf8'), url: `${file}.map` },
  });
  writeFileSync(path, out.code);
  writeFileSync(`${path}.map`, out.map);
}
copyFileSync(join(root, 'build/engine.wasm'), join(outdir, 'lmm-wasm.wasm'));
// the metafile (what each module contributes) stays out of the published dist/: build/ is not in "files"
mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(join(root, 'build/browser-meta.json'), JSON.stringify(result.metafile));

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let raw = 0;
let gzip = 0;
for (const file of readdirSync(outdir).filter((f) => /\.(js|wasm)$/.test(f)).sort()) {
  const bytes = readFileSync(join(outdir, file));
  const z = gzipSync(bytes, { level: 9 }).length;
  if (file !== 'lmm-wasm.worker.js') [raw, gzip] = [raw + bytes.length, gzip + z];
  console.log(`dist/browser/${file}: ${kb(bytes.length)} raw, ${kb(z)} gzip`);
}
console.log(`a page's first fit loads lmm-wasm.js + lmm-wasm.shared.js + lmm-wasm.wasm: ${kb(raw)} raw, ${kb(gzip)} gzip`);
if (process.argv.includes('--verbose')) console.log(await analyzeMetafile(result.metafile, { verbose: false }));
