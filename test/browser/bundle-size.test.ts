// The browser's files (issue 12), from the package's one build (scripts/build-bundle.mjs): what a page loads
// before its first fit (dist/browser/lmm-wasm.js, the chunks it imports, and the engine lmm-wasm.wasm) within
// a gzip budget; ES modules whose only imports are each other by relative URL (a no-build page and a CDN
// resolve them as they are), with source maps; the worker client and Comlink out of the synchronous API's
// files, the embedded base64 engine out of every file a page loads; and an app that only uses lm, bundled
// by esbuild from the package's ES modules, leaves the mixed-model code and the quantile functions out.
// Needs `npm run build` (CI's npm ci runs it). Prints the size breakdown by module.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as src from '../../src/index.js';
// @ts-expect-error: a build script (plain ES module, no declarations)
import { featureChoice, stdlibCopies, stdlibEsm, stdlibToEsm } from '../../scripts/stdlib-esm.mjs';

const root = join(import.meta.dirname, '../..');
const dist = join(root, 'dist');
const browser = join(dist, 'browser');
// Regression ceilings, NOT issue 12's target (130 KB gzip for a page's first fit), which is not met
// (bench/BROWSER-SIZE.md: the breakdown, and where the rest is). The first fit's ceiling sits just above what
// the build measures, so that nothing grows it unnoticed. The lm-only app's ceilings guard tree-shaking: lmer,
// the optimizers or the quantiles leaking into an lm app would add tens of KB (and the content checks below
// name them); they sit about 1 KB above the measured figure because the lm app carries the whole engine, which
// lm's QR shares with lmer and glmer, and an engine change of a few hundred bytes is not a tree-shaking fault.
// All three rose with glmer's exact Laplace gradient in the engine (assembly/laplace-gradient.ts, ≈ 3.1 KB gzip
// of engine that every page carries; bench/GLMER-RESULTS.md, "Exact gradient in the engine").
const FIRST_FIT_GZIP_BUDGET = 142 * 1024;
const LM_ONLY_GZIP_BUDGET = 83 * 1024;
const LM_ONLY_FROM_DIST_GZIP_CEILING = 79 * 1024;
/**
 * The worker's files over the chunks the synchronous API loads too (its client and Comlink on the page; the
 * service and the plots' data in the worker): a few KB, never a second library.
 */
const WORKER_EXTRA_GZIP_BUDGET = 10 * 1024;

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

/** The specifiers of a built file's static imports and re-exports (terser's output: no spaces needed). */
function imports(text: string): string[] {
  return [...text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*(?:\s*as\s*[\w$]+)?)?\s*(?:from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
}

/** A built file and every file it loads through static imports, each checked to be relative and present. */
function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const s of imports(text)) {
    expect(s, `${relative(root, entry)} imports ${s}`).toMatch(/^\.\.?\/[\w./-]+\.js$/);
    const file = join(dirname(entry), s);
    expect(existsSync(file), `${relative(root, entry)} imports ${s}`).toBe(true);
    closure(file, seen);
  }
  return seen;
}

/** Bytes in an output by package (node_modules) or source folder, largest first. */
function breakdown(meta: Metafile, outputs: string[]): [string, number][] {
  const sizes = new Map<string, number>();
  for (const output of outputs) {
    for (const [path, { bytesInOutput }] of Object.entries(meta.outputs[relative(root, output)].inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? m[1].replace(/^@stdlib\/.*/, '@stdlib/* (all)') : path.split('/').slice(0, 2).join('/');
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

const report = (rows: [string, number][]): string => rows.map(([k, v]) => `  ${(v / 1024).toFixed(1).padStart(6)} KB  ${k}`).join('\n');
const built = existsSync(join(browser, 'lmm-wasm.js'));

describe('browser build', () => {
  it.runIf(built)('is minified ES modules that import only each other, within the gzip budget', () => {
    expect(readdirSync(browser).filter((f) => f.endsWith('.js')).sort()).toEqual(['lmm-wasm.js', 'lmm-wasm.worker.js', 'worker.js']);
    const meta = JSON.parse(readFileSync(join(root, 'build/bundle-meta.json'), 'utf8')) as Metafile;
    const inputsOf = (files: Iterable<string>) => new Set([...files].flatMap((f) => Object.entries(meta.outputs[relative(root, f)].inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k)));
    const page = closure(join(browser, 'lmm-wasm.js'));
    const workerPage = closure(join(browser, 'worker.js'));
    const workerThread = closure(join(browser, 'lmm-wasm.worker.js'));
    for (const file of new Set([...page, ...workerPage, ...workerThread])) {
      const text = readFileSync(file, 'utf8');
      // nothing bare (no node:*), dynamic or CommonJS in what a page or its worker loads
      expect(text).not.toMatch(/\bimport\(/);
      expect(text).not.toMatch(/\brequire\(/);
      expect(existsSync(`${file}.map`)).toBe(true);
    }
    // the synchronous API loads neither the worker client, nor Comlink, nor the embedded engine
    const pageInputs = inputsOf(page);
    for (const left of ['src/worker/client.ts', 'node_modules/comlink', 'src/wasm/generated/engine-binary.ts', 'src/wasm/engine-binary.ts']) {
      expect([...pageInputs].filter((p) => p.includes(left))).toEqual([]);
    }
    expect([...inputsOf(workerThread)].filter((p) => p.includes('engine-binary'))).toEqual([]);
    const engine = join(dist, 'chunks/lmm-wasm.wasm'); // beside the chunk that fetches it
    const firstFit = [...page, engine];
    const sizes = firstFit.map((f) => {
      const bytes = readFileSync(f);
      return { f: relative(root, f), raw: bytes.length, gz: gzip(bytes) };
    });
    const total = sizes.reduce((t, s) => t + s.gz, 0);
    const extra = [...workerPage, ...workerThread].filter((f) => !page.has(f)).reduce((t, f) => t + gzip(readFileSync(f)), 0);
    console.log(
      sizes.map(({ f, raw, gz }) => `${f}: ${(raw / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzip`).join('\n') +
        `\nfirst fit: ${(total / 1024).toFixed(1)} KB gzip (ceiling ${FIRST_FIT_GZIP_BUDGET / 1024} KB); the worker's own files ${(extra / 1024).toFixed(1)} KB more\n` +
        report(breakdown(meta, [...page])),
    );
    expect(total).toBeLessThanOrEqual(FIRST_FIT_GZIP_BUDGET);
    expect(extra).toBeLessThanOrEqual(WORKER_EXTRA_GZIP_BUDGET);
  });

  it.runIf(built)('runs in Node: fits sleepstudy once init() has the engine, and its bundled @stdlib gives the sources\' numbers', async () => {
    const lib = await import(join(browser, 'lmm-wasm.js'));
    const csv0 = 'y,x\n1,1\n2,2\n4,3\n';
    // the browser build fetches its engine in init(): a fit before it says so
    expect(() => lib.lm('y ~ x', lib.parseCsv(csv0))).toThrow(expect.objectContaining({ name: 'EnvironmentError', code: 'NOT_INITIALIZED' }));
    // Node's fetch has no file: URLs, so the test compiles the build's engine file and hands it over
    await lib.init(new WebAssembly.Module(readFileSync(join(dist, 'chunks/lmm-wasm.wasm'))));
    const csv = readFileSync(join(root, 'data/sleepstudy.csv'), 'utf8');
    const schema = JSON.parse(readFileSync(join(root, 'data/sleepstudy.schema.json'), 'utf8'));
    const m = lib.lmer('Reaction ~ Days + (Days | Subject)', lib.parseCsv(csv, { schema }));
    expect(String(lib.summary(m))).toContain('REML criterion at convergence: 1743.6');
    // the @stdlib functions, bundled as ES modules here, give what the sources (CommonJS in Node) give: p-values
    // (incomplete beta and gamma) and intervals (the t and normal quantiles), digit for digit
    const cake = (parse: (text: string, options: object) => unknown) =>
      parse(readFileSync(join(root, 'data/cake.csv'), 'utf8'), { schema: JSON.parse(readFileSync(join(root, 'data/cake.schema.json'), 'utf8')) });
    const f = 'angle ~ recipe + temp + (1 | recipe:replicate)';
    const [ours, theirs] = [lib, src].map((api) => {
      const fit = api.lmer(f, cake(api.parseCsv));
      return [api.summary(fit), api.anova(fit), api.anova(api.lmer(f, cake(api.parseCsv), { REML: false }), api.lmer('angle ~ recipe + (1 | recipe:replicate)', cake(api.parseCsv), { REML: false })), api.lsMeans(fit), api.confint(fit, { method: 'Wald' })].map(String);
    });
    expect(ours).toEqual(theirs);
    expect(theirs[3]).toMatch(/^recipeA .*\d/m); // a table of intervals, so qt ran
    expect(theirs[3]).toContain('upper');
    // error classes keep their names through minification
    expect(() => lib.parseFormula('y ~ (1 | ')).toThrow(expect.objectContaining({ name: 'FormulaSyntaxError', code: 'FORMULA_SYNTAX' }));
  });

  it('converts @stdlib files of the one CommonJS form it knows, and refuses any other', () => {
    const file = "'use strict';\n/** @license Apache-2.0 */\nvar a = require( './a.js' );\nvar b = require( '@stdlib/b' ).assign; // kernel\nfunction f( x ) {\n\treturn a( x ) + b( x );\n}\nmodule.exports = f;\n";
    const out = stdlibToEsm(file, 'f.js');
    expect(out).toBe(
      "'use strict';\n/** @license Apache-2.0 */\nimport a from './a.js';\nimport __stdlib0 from '@stdlib/b'; var b = __stdlib0.assign;\nfunction f( x ) {\n\treturn a( x ) + b( x );\n}\nexport default f;\n",
    );
    for (const other of [
      file.replace('function f( x ) {', 'function f( x ) {\n\tvar c = require( \'./c.js\' );'), // a require inside a function
      `${file}module.exports.g = f;\n`, // a second export
      file.replace('module.exports = f;', 'exports.f = f;'),
    ]) {
      expect(stdlibToEsm(other, 'f.js')).toEqual(expect.objectContaining({ message: expect.stringContaining('f.js: not of the CommonJS form') }));
    }
  });

  it("resolves a feature-testing @stdlib index to the file an engine with the feature gets, and no other form", () => {
    const index = (picked: string, other: string) =>
      `'use strict';\nvar hasX = require( '@stdlib/assert-has-x-support' );\nvar builtin = require( './main.js' );\nvar polyfill = require( './polyfill.js' );\nvar f;\nif ( hasX() ) {\n\tf = ${picked};\n} else {\n\tf = ${other};\n}\nmodule.exports = f;\n`;
    expect(featureChoice(index('builtin', 'polyfill'))).toBe('./main.js');
    expect(featureChoice(index('polyfill', 'builtin'))).toBe('./polyfill.js');
    expect(featureChoice(index('builtin', 'builtin'))).toBeUndefined();
    expect(featureChoice(index('builtin', 'polyfill').replace("'use strict';", "'use strict';\nvar y = 1;"))).toBeUndefined();
    // the packages the build relies on still have that form
    for (const [pkg, file] of [['array-float64', './main.js'], ['math-base-tools-continued-fraction', './generators.js']]) {
      const text = readFileSync(join(root, `node_modules/@stdlib/${pkg}/lib/index.js`), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      expect(featureChoice(text)).toBe(file);
    }
  });

  it('loads one copy of @stdlib files that repeat another package\'s code, and only those that require nothing by relative path', () => {
    const stdlib = join(root, 'node_modules/@stdlib');
    const copies = stdlibCopies(stdlib) as Map<string, string>;
    expect(copies.get(join(stdlib, 'math-base-special-erfinv/lib/rational_p1q1.js'))).toBe(join(stdlib, 'math-base-special-erfcinv/lib/rational_p1q1.js'));
    for (const [copy, kept] of copies) {
      expect(copy > kept).toBe(true);
      const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').trim();
      expect(code(copy)).toBe(code(kept));
      expect(code(copy)).not.toMatch(/require\( '\./);
    }
  });

  it('tree-shakes: an lm-only app leaves lmer, the optimizers, printing of mixed models and quantiles out', async () => {
    const result = await build({
      stdin: {
        contents: "import { lm } from './src/index.ts'; console.log(String(lm('y ~ x', { y: [1, 2, 4], x: [1, 2, 3] }).coefficients));",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      alias: { debug: './scripts/browser-stubs/debug.cjs' },
      plugins: [stdlibEsm], // as scripts/build-bundle.mjs does for the package's dist/
      logLevel: 'silent',
    });
    const out = result.outputFiles[0].contents;
    const bytesIn = Object.values(result.metafile.outputs)[0].inputs;
    console.log(`lm-only app: ${(out.length / 1024).toFixed(1)} KB raw, ${(gzip(out) / 1024).toFixed(1)} KB gzip (budget ${LM_ONLY_GZIP_BUDGET / 1024} KB)`);
    for (const left of ['src/optim/bobyqa.ts', 'src/fit/lmer.ts', 'src/print/lmer-summary.ts', 'node_modules/d3-dsv', 'betaincinv', 'gammaincinv']) {
      expect(Object.keys(bytesIn).filter((p) => p.includes(left) && bytesIn[p].bytesInOutput > 0)).toEqual([]);
    }
    expect(gzip(out)).toBeLessThanOrEqual(LM_ONLY_GZIP_BUDGET);
  });

  it.runIf(built)("tree-shakes the package's own dist/ too (no keepNames side effects), and its error classes keep their names", async () => {
    const result = await build({
      stdin: {
        contents: "import { lm } from './dist/index.js'; console.log(String(lm('y ~ x', { y: [1, 2, 4], x: [1, 2, 3] }).coefficients));",
        resolveDir: root,
      },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      external: ['node:*'],
      alias: { debug: './scripts/browser-stubs/debug.cjs' },
      logLevel: 'silent',
    });
    const out = result.outputFiles[0].contents;
    console.log(`lm-only app from dist/: ${(out.length / 1024).toFixed(1)} KB raw, ${(gzip(out) / 1024).toFixed(1)} KB gzip`);
    // a regression ceiling (the quantile code stays out here too, since @stdlib/*-quantile resolve to lib/main.js)
    expect(gzip(out)).toBeLessThanOrEqual(LM_ONLY_FROM_DIST_GZIP_CEILING);
    // no top-level side effect of the shared chunk keeps what lm does not use: the CSV parser, the optimizers
    const text = new TextDecoder().decode(out);
    expect(text).not.toContain('IS_PAPA_WORKER');
    expect(text).not.toContain('the interpolation system became singular'); // BOBYQA
    expect(text).not.toContain('REML needs more observations'); // lmer
    const dist = await import(join(root, 'dist/index.js'));
    const errors = Object.entries(dist).filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof Error);
    expect(errors.map(([k]) => k)).toEqual(expect.arrayContaining(['LmmError', 'DataError', 'OptionError', 'FormulaSyntaxError']));
    for (const [name, E] of errors) expect(new (E as new (...a: string[]) => Error)('x', 'y', 'z').name).toBe(name);
  });
});
