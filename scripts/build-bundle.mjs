// Bundles the package's JavaScript: ONE esbuild build (split into shared chunks, then minified again by
// terser) serves Node, bundlers and a no-build page alike, so the library ships once in the tarball and a
// browser caches it once. Entries: every dist/X.js that package.json "exports" names (from src/X.ts), the
// `lmm` command (dist/cli/bin.js), Node's worker_thread script, and the browser files a page or a CDN loads
// from dist/browser/ (lmm-wasm.js the synchronous API without glmer, glmer.js the same with glmer, worker.js
// the async one, lmm-wasm.worker.js its Web Worker). Every import in the output is a relative URL of another output, or `node:*` in the chunks only the
// Node entries reach; the packages in dependencies / peer / optional stay the user's imports.
//
// The engines: instance.ts's `./engine-binary.js` resolves to src/wasm/engine-source.ts, which fetches
// lmm-wasm.wasm (the lmer engine), or lmm-wasm-glmer.wasm (the glmer engine, a superset) where glmer is
// loaded, both copied beside the chunk holding that code, in `await init()`. The synchronous entries ("."
// "./node", the CLI, Node's worker thread) are small wrappers that also hand it the embedded glmer
// engine (src/wasm/glmer-engine-binary.ts) as they load, which serves every fit there (one embedded engine
// in the package, not two: issue 9's tarball ceiling), so a fit needs no init() there; the browser entries
// never import the embedded-binary modules, so a page never downloads them.
//
// Why terser after esbuild: its compression passes and its choice of short names leave text that gzips
// markedly smaller than esbuild's alone (bench/BROWSER-SIZE.md); safe options only (no property mangling,
// nothing `unsafe`), its source maps composed onto esbuild's, esbuild's /* @__PURE__ */ annotations kept so
// an app's bundler still tree-shakes the chunks. Lines end at statements (newlines for semicolons, which
// costs nothing) and are cut near 500 characters: Node's report of an uncaught error quotes the throwing
// line, which must not be a whole chunk (a cut every 160 characters cost 2 KB gzip in a page's first fit).
//
// Why bundled at all: loaded file by file, a cold `lmm fit` spent most of its time resolving and compiling
// the ~1000 CommonJS files of the @stdlib distribution functions and our ~100 modules. The devDependencies
// src imports are inlined (MIT / Apache-2.0; their licences and notices: THIRD-PARTY-NOTICES.md).
// Declarations are tsc's (tsconfig.build.json), cut to what the typed entries reach (prune-declarations.mjs).
import { build, analyzeMetafile } from 'esbuild';
import { minify } from 'terser';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdlibEsm } from './stdlib-esm.mjs';
import { pruneDeclarations } from './prune-declarations.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Entries that fit synchronously, so they carry the embedded engine: dist name → source. */
const SYNC_ENTRIES = { index: 'src/index.ts', node: 'src/node.ts', 'cli/bin': 'src/cli/bin.ts', 'worker/thread-node': 'src/worker/thread-node.ts' };
/** The browser's files: a page or a CDN loads them by these names; the engine is fetched. */
const BROWSER_ENTRIES = {
  'browser/lmm-wasm': 'src/browser.ts',
  'browser/glmer': 'src/browser-glmer.ts',
  'browser/worker': 'src/worker/browser.ts',
  'browser/lmm-wasm.worker': 'src/worker/thread-browser.ts',
};

/**
 * Entries that use only part of the library, made to reach all of it (they also re-export the names of the
 * library module given as `__library_NAME`; no namespace object, which would be a side effect that defeats
 * tree-shaking): esbuild splits code by the set of entries reaching it, so a part the plots or the CLI do
 * not use would otherwise become a chunk of its own, which a page then fetches beside the rest and gzips
 * without the rest's context. The plots reach the library without glmer (src/core.ts), as the main browser
 * file does, so a page drawing them does not load glmer's chunk; the CLI, which fits glmer, all of it.
 * Their documented exports are unchanged.
 */
const SHARES_LIBRARY = {
  'cli/bin': { src: 'src/cli/bin.ts', library: 'src/index.ts' },
  'plot/index': { src: 'src/plot/index.ts', library: 'src/core.ts' },
  'node-plot': { src: 'src/node-plot.ts', library: 'src/core.ts' },
};
/** src/X.ts for each dist/X.js an export condition points to (besides the entries above). */
function exportEntries() {
  const files = new Set();
  const visit = (v) => {
    if (typeof v === 'string') {
      const m = /^\.\/dist\/(.+)\.js$/.exec(v);
      if (m && existsSync(join(root, `src/${m[1]}.ts`))) files.add(m[1]);
    } else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(pkg.exports);
  return Object.fromEntries([...files].filter((f) => !(f in SYNC_ENTRIES) && !(f in SHARES_LIBRARY)).map((f) => [f, `src/${f}.ts`]));
}

/** A library module's exported names (a quick bundle of it that writes nothing). */
async function exportedNames(module) {
  const r = await build({ absWorkingDir: root, entryPoints: [module], bundle: true, write: false, metafile: true, format: 'esm', platform: 'browser', external: ['node:*'], logLevel: 'silent', plugins: [stdlibEsm], alias: { debug: './scripts/browser-stubs/debug.cjs' } });
  return Object.values(r.metafile.outputs)[0].exports;
}
const LIBRARY_EXPORTS = Object.fromEntries(
  await Promise.all([...new Set(Object.values(SHARES_LIBRARY).map((e) => e.library))].map(async (m) => [m, await exportedNames(m)])),
);

/** Packages a consumer's install provides. */
function installed() {
  return [pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((d) => Object.keys(d ?? {}));
}

/**
 * The synchronous entries and SHARES_LIBRARY's as wrappers (namespace `sync-entry`): the module itself, plus
 * (synchronous entries) the embedded engine handed to engine-source.ts. A library entry hands it over in its own body, which an app's bundler keeps
 * (package.json lists these files in sideEffects); an entry with top-level code that may fit at once (the
 * CLI, Node's worker thread) imports a module that hands it over first, as ES modules run their imports in
 * order. A hashbang stays first (the CLI).
 */
const syncEntries = {
  name: 'sync-entries',
  setup(b) {
    const imp = (p) => JSON.stringify(join(root, p));
    // the glmer engine, a superset, serves every fit there: the package then holds one embedded engine, not two
    const provide =
      `import { provideEmbeddedEngine } from ${imp('src/wasm/engine-source.ts')};\nimport { provideEmbeddedGlmerEngine } from ${imp('src/wasm/instance.ts')};\n` +
      `import { glmerEngineBytes } from ${imp('src/wasm/glmer-engine-binary.ts')};\nprovideEmbeddedEngine({ engineBytes: glmerEngineBytes });\nprovideEmbeddedGlmerEngine(glmerEngineBytes);\n`;
    b.onResolve({ filter: /^sync-entry:/ }, ({ path }) => ({ path: path.slice('sync-entry:'.length), namespace: 'sync-entry' }));
    // the module runs whole, as an entry does (package.json's sideEffects would let esbuild drop the CLI's and
    // the thread's top-level code, which has no exports)
    b.onResolve({ filter: /^sync-module:/ }, ({ path }) => ({ path: join(root, path.slice('sync-module:'.length)), sideEffects: true }));
    // the CLI's lazy import of the plots loads the node-plot entry itself, not a second chunk of its module
    b.onResolve({ filter: /^\.\.\/node-plot\.js$/ }, ({ importer }) =>
      importer === join(root, 'src/cli/bin.ts') ? { path: 'src/node-plot.ts', namespace: 'sync-entry' } : undefined,
    );
    b.onResolve({ filter: /^provide-embedded-engine$/ }, () => ({ path: 'provide', namespace: 'provide-embedded-engine', sideEffects: true }));
    b.onLoad({ filter: /.*/, namespace: 'provide-embedded-engine' }, () => ({ contents: provide, loader: 'js', resolveDir: root }));
    b.onLoad({ filter: /.*/, namespace: 'sync-entry' }, ({ path }) => {
      const text = readFileSync(join(root, path), 'utf8');
      const hashbang = /^#!.*\n/.exec(text)?.[0] ?? '';
      const library = Object.values(SHARES_LIBRARY).find((e) => e.src === path)?.library;
      const module = `export * from ${JSON.stringify(`sync-module:${path}`)};\n` + (library ? `export { ${LIBRARY_EXPORTS[library].map((n) => `${n} as __library_${n}`).join(', ')} } from ${imp(library)};\n` : '');
      if (!Object.values(SYNC_ENTRIES).includes(path)) return { contents: module, loader: 'js', resolveDir: root };
      const runsAtLoad = !/^export /m.test(text);
      return { contents: runsAtLoad ? `${hashbang}import 'provide-embedded-engine';\n${module}` : `${hashbang}${provide}${module}`, loader: 'js', resolveDir: root };
    });
  },
};

/**
 * instance.ts's engine, in the build: engine-source.ts (embedded where an entry provides it, else fetched);
 * glmer's code hands over no embedded glmer engine (glmer-engine.ts is nothing here): the browser fetches it,
 * and the synchronous entries hand it over themselves.
 */
const engineSource = {
  name: 'engine-source',
  setup(b) {
    b.onResolve({ filter: /^\.\/glmer-engine\.js$/ }, ({ importer }) =>
      importer.endsWith(join('src', 'wasm', 'pirls-state.ts')) ? { path: 'glmer-engine', namespace: 'no-glmer-engine', sideEffects: false } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-glmer-engine' }, () => ({ contents: '', loader: 'js' }));
    b.onResolve({ filter: /^\.\/engine-binary\.js$/ }, ({ importer, resolveDir }) =>
      importer.endsWith(join('src', 'wasm', 'instance.ts')) ? { path: join(resolveDir, 'engine-source.ts') } : undefined,
    );
  },
};

// no stale chunk, entry or engine from an earlier build; tsc's declarations (build:ts, run before) stay
for (const dir of ['chunks', 'browser']) rmSync(join(dist, dir), { recursive: true, force: true });
const sweep = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) sweep(path);
    else if (/\.js(\.map)?$/.test(e.name)) rmSync(path);
  }
};
if (existsSync(dist)) sweep(dist);

const result = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: [
    ...Object.entries({ ...SYNC_ENTRIES, ...Object.fromEntries(Object.entries(SHARES_LIBRARY).map(([out, e]) => [out, e.src])) }).map(([out, src]) => ({ in: `sync-entry:${src}`, out })),
    ...Object.entries({ ...exportEntries(), ...BROWSER_ENTRIES }).map(([out, src]) => ({ in: src, out })),
  ],
  outdir: dist,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  // browser resolution for the packages inlined; the Node entries' own Node built-ins are `node:*` imports,
  // external below
  platform: 'browser',
  // ES2022 lowered to the engines with WebAssembly SIMD, the engine's floor (Node 20 is past all of them)
  target: ['es2022', 'chrome91', 'firefox90', 'safari16.4'],
  // whitespace is left to terser: esbuild drops /* @__PURE__ */ annotations when it minifies whitespace
  minifySyntax: true,
  minifyIdentifiers: true,
  sourcemap: true,
  charset: 'utf8', // θ, σ, ≥ in messages as UTF-8, not \u escapes
  // third-party licences and notices go to one file (scripts/build-notices.mjs)
  legalComments: 'none',
  external: ['node:*', ...installed().flatMap((name) => [name, `${name}/*`])],
  alias: {
    // @stdlib's gammaincinv traces through `debug` (with `ms`), never enabled here: a silent stand-in
    debug: './scripts/browser-stubs/debug.cjs',
  },
  plugins: [syncEntries, engineSource, stdlibEsm], // stdlibEsm: the @stdlib files as ES modules, so they tree-shake
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).map((f) => join(root, f));
for (const path of outputs) {
  const map = `${path}.map`;
  const out = await minify(readFileSync(path, 'utf8'), {
    module: true,
    ecma: 2020,
    compress: { passes: 3 },
    mangle: true,
    format: { comments: false, preserve_annotations: true, max_line_len: 500, semicolons: false },
    sourceMap: { content: readFileSync(map, 'utf8'), url: `${path.split('/').pop()}.map` },
  });
  writeFileSync(path, out.code);
  writeFileSync(map, out.map);
}
chmodSync(join(dist, 'cli/bin.js'), 0o755);

/** The outputs holding a source file's code (from the metafile). */
const holding = (source) =>
  Object.entries(result.metafile.outputs)
    .filter(([, o]) => (o.inputs[source]?.bytesInOutput ?? 0) > 0)
    .map(([f]) => join(root, f));
// code that resolves a file against its own module's URL must sit beside that file
const fetchers = new Set(holding('src/wasm/engine-source.ts').map(dirname));
if (fetchers.size !== 1) throw new Error(`engine-source.ts is in outputs of ${fetchers.size} folders; the engines can sit beside only one`);
const engineDir = [...fetchers][0];
// the lmer engine (an lm/lmer page's) and the glmer engine (a superset, a page with glmer fetches it instead)
copyFileSync(join(root, 'build/engine.wasm'), join(engineDir, 'lmm-wasm.wasm'));
copyFileSync(join(root, 'build/engine-glmer.wasm'), join(engineDir, 'lmm-wasm-glmer.wasm'));
for (const f of holding('src/worker/browser.ts')) {
  if (dirname(f) !== join(dist, 'browser')) throw new Error(`${relative(root, f)} holds the Web Worker spawner, which needs lmm-wasm.worker.js beside it`);
}
// what each module contributes, for size work and the licence notices; build/ is not in "files"
mkdirSync(join(root, 'build'), { recursive: true });
writeFileSync(join(root, 'build/bundle-meta.json'), JSON.stringify(result.metafile));

/** The declaration files package.json names (types, exports, typesVersions): what a consumer's compiler starts from. */
function typedEntries() {
  const roots = new Set();
  const visit = (v) => {
    if (typeof v === 'string' && v.endsWith('.d.ts')) roots.add(join(root, v));
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit([pkg.types, pkg.exports, pkg.typesVersions]);
  return roots;
}
/** tsc's declarations of src/ modules under dist/ (not those other build steps write there). */
function declarationFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) declarationFiles(path, out);
    else if (path.endsWith('.d.ts') && existsSync(join(root, 'src', relative(dist, path).replace(/\.d\.ts$/, '.ts')))) out.push(path);
  }
  return out;
}
// tsc declares every module whole; exports forbids deep imports, so only what the typed entries reach ships
const kept = pruneDeclarations(typedEntries(), declarationFiles(dist));
console.log(`kept ${kept.size} declaration files, cut to what the typed entries reach`);
console.log(`bundled ${outputs.length} files into dist/ (dist/cli/bin.js is the lmm command), the engine in ${relative(root, engineDir)}/`);

/** The files a module loads before it runs: itself and its static imports, transitively. */
function staticClosure(entry) {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of result.metafile.outputs[relative(root, f)].imports) if (i.kind === 'import-statement' && !i.external) visit(join(root, i.path));
  };
  visit(entry);
  return [...seen];
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
// what a page's first fit loads: an lm/lmer page dist/browser/lmm-wasm.js, a glmer page dist/browser/glmer.js
for (const [entry, page, engine] of [['browser/lmm-wasm.js', 'an lm/lmer page', 'lmm-wasm.wasm'], ['browser/glmer.js', 'a glmer page', 'lmm-wasm-glmer.wasm']]) {
  const firstFit = [...staticClosure(join(dist, entry)), join(engineDir, engine)];
  let [raw, gz] = [0, 0];
  for (const f of firstFit) {
    const bytes = readFileSync(f);
    const z = gzipSync(bytes, { level: 9 }).length;
    [raw, gz] = [raw + bytes.length, gz + z];
    console.log(`  ${relative(root, f)}: ${kb(bytes.length)} raw, ${kb(z)} gzip`);
  }
  console.log(`${page}'s first fit loads dist/${entry}, its chunks and the engine: ${kb(raw)} raw, ${kb(gz)} gzip`);
}
if (process.argv.includes('--verbose')) console.log(await analyzeMetafile(result.metafile, { verbose: false }));
