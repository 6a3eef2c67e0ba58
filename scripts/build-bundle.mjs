// Bundles the package's JavaScript with esbuild (the standard bundler for this): every entry named in
// package.json "exports" (dist/X.js from src/X.ts) and the `lmm` command (dist/cli/bin.js), split into
// shared chunks so the code ships once. Declarations are tsc's (tsconfig.build.json), cut to what the typed
// entries reach (prune-declarations.mjs).
// Why: loaded file by file, a cold `lmm fit` spent most of its time resolving, reading and compiling the
// ~1000 CommonJS files of the @stdlib distribution functions and our ~100 modules; a few pre-linked files
// load in a fraction of that, for the CLI and for a library import alike. The devDependencies src imports
// are inlined (MIT / Apache-2.0; their licences and notices are in THIRD-PARTY-NOTICES.md); packages in
// dependencies, peerDependencies or optionalDependencies stay imports.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stdlibEsm } from './stdlib-esm.mjs';
import { pruneDeclarations } from './prune-declarations.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

/** src/X.ts for each dist/X.js an export condition points to. */
function exportEntries() {
  const files = new Set();
  const visit = (v) => {
    if (typeof v === 'string') {
      const m = /^\.\/dist\/(.+)\.js$/.exec(v);
      if (m && existsSync(`${root}src/${m[1]}.ts`)) files.add(m[1]);
    } else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(pkg.exports);
  return [...files].map((f) => ({ in: `${root}src/${f}.ts`, out: f }));
}

/** Packages a consumer's install provides. */
function installed() {
  return [pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((d) => Object.keys(d ?? {}));
}

/** `debug` is only a diagnostic logger inside @stdlib's gammaincinv; loading it costs ~15% of a cold run. */
const silentDebug = {
  name: 'silent-debug',
  setup(b) {
    b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'silent-debug' }));
    b.onLoad({ filter: /.*/, namespace: 'silent-debug' }, () => ({
      contents: 'module.exports = function () { var log = function () {}; log.enabled = false; return log; };',
      loader: 'js',
    }));
  },
};

const result = await build({
  metafile: true,
  entryPoints: [
    ...exportEntries(),
    { in: `${root}src/cli/bin.ts`, out: 'cli/bin' },
    // the scripts lmm-wasm/worker starts as a worker_thread / Web Worker, next to the entry that spawns them
    { in: `${root}src/worker/thread-node.ts`, out: 'worker/thread-node' },
    { in: `${root}src/worker/thread-browser.ts`, out: 'worker/thread-browser' },
  ],
  outdir: `${root}dist`,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'neutral', // the main entry must stay browser-safe: Node built-ins only where src imports node:*
  mainFields: ['module', 'main'],
  target: 'es2022',
  // Minified (the package ships the library twice, here and in dist/browser/, and npm's tarball is held under
  // a size ceiling), with lines cut near 160 characters: Node's uncaught-error report quotes the throwing
  // line, which must not be a whole chunk. Identifiers are minified too; what users see by name keeps it:
  // the error classes name themselves (errors.ts), exports keep theirs. No keepNames: its __name() calls
  // are side effects that stop an app's bundler from tree-shaking the package
  // (test/browser/bundle-size.test.ts measures that, and checks the error names from dist/).
  minify: true,
  lineLimit: 160,
  charset: 'utf8', // θ, σ, ≥ in messages as UTF-8, not \u escapes
  // third-party licences and notices go to one file for both builds (scripts/build-notices.mjs)
  legalComments: 'none',
  external: [
    'node:*',
    'stream', // papaparse requires it only inside its Node-stream reader, which parseCsv never uses
    // what the user installs stays theirs: anything in dependencies / peer / optional is imported, not inlined;
    // only devDependencies that src imports (the @stdlib functions, papaparse) are bundled
    ...installed().flatMap((name) => [name, `${name}/*`]),
  ],
  plugins: [silentDebug, stdlibEsm], // stdlibEsm: the @stdlib files as ES modules, so apps' bundlers tree-shake them
  logLevel: 'warning',
});
chmodSync(`${root}dist/cli/bin.js`, 0o755);
// what each module contributes, for size work; build/ is not in "files"
mkdirSync(`${root}build`, { recursive: true });
writeFileSync(`${root}build/bundle-meta.json`, JSON.stringify(result.metafile));
// Only the bundle's files run: stale chunks and the per-file JavaScript of an earlier tsc build (a .js with a
// src/ .ts of the same path) are removed; declarations, and files other build steps write to dist/, are kept.
const outputs = new Set(Object.keys(result.metafile.outputs).map((f) => join(process.cwd(), f)));
const dist = join(root, 'dist');
const stale = (path) => {
  const rel = relative(dist, path);
  if (rel.startsWith('chunks/')) return /\.js$|\.LEGAL\.txt$/.test(rel);
  return /\.js$/.test(rel) && existsSync(join(root, 'src', rel.replace(/\.js$/, '.ts')));
};
const sweep = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) sweep(path);
    else if (!outputs.has(path) && stale(path)) rmSync(path);
  }
};
sweep(dist);

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
console.log(`bundled ${outputs.size} files into dist/ (${relative(root, `${root}dist/cli/bin.js`)} is the lmm command)`);
