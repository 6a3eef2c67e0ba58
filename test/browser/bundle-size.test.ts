// The browser build's budget (issue 12): the main file, engine included, ≤ 130 KB gzip; one self-contained
// module each (no imports left for a no-build page to resolve), with source maps; and an app that only uses
// lm, bundled by esbuild from the package's ES modules, leaves the mixed-model code and the quantile
// functions out. Needs `npm run build` (CI's npm ci runs it). Prints the size breakdown by module.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dist = join(root, 'dist/browser');
// Regression ceilings, NOT issue 12's targets (130 KB main file, an lm-only app well under it). The targets
// held (120.7 KB, 64 KB) until glmer, the sparse factor, the exact gradient and option checking joined the
// core; they now measure about 155 KB and 77 KB. Winning them back (the worker file importing the main file,
// a smaller engine binary, lazily loaded glmer) is open work: these ceilings only stop further growth.
const MAIN_GZIP_BUDGET = 160 * 1024;
const LM_ONLY_GZIP_BUDGET = 80 * 1024;

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;

/** Bytes in the output by package (node_modules) or source folder, largest first. */
function breakdown(meta: Metafile, output: string): [string, number][] {
  const sizes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(meta.outputs[output].inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1].replace(/^@stdlib\/.*/, '@stdlib/* (all)') : path.split('/').slice(0, 2).join('/');
    sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

const report = (rows: [string, number][]): string => rows.map(([k, v]) => `  ${(v / 1024).toFixed(1).padStart(6)} KB  ${k}`).join('\n');

describe('browser build', () => {
  it.runIf(existsSync(join(dist, 'lmm-wasm.js')))('is one self-contained minified module per entry, within the gzip budget', () => {
    for (const file of ['lmm-wasm.js', 'lmm-wasm.worker.js']) {
      const text = readFileSync(join(dist, file), 'utf8');
      // no static or dynamic import of anything: a plain <script type="module"> must load it as it is
      expect(text).not.toMatch(/(?:^|[;}\s])import\s*[\w{*"']/);
      expect(text).not.toMatch(/\bimport\(/);
      expect(text).not.toMatch(/\brequire\(/);
      expect(existsSync(join(dist, `${file}.map`))).toBe(true);
      expect(text.length / text.split('\n').length).toBeGreaterThan(2000); // minified: long lines
    }
    const main = readFileSync(join(dist, 'lmm-wasm.js'));
    const meta = JSON.parse(readFileSync(join(root, 'build/browser-meta.json'), 'utf8')) as Metafile;
    console.log(
      `dist/browser/lmm-wasm.js: ${(main.length / 1024).toFixed(1)} KB raw, ${(gzip(main) / 1024).toFixed(1)} KB gzip ` +
        `(budget ${MAIN_GZIP_BUDGET / 1024} KB)\n${report(breakdown(meta, 'dist/browser/lmm-wasm.js'))}`,
    );
    expect(gzip(main)).toBeLessThanOrEqual(MAIN_GZIP_BUDGET);
  });

  it.runIf(existsSync(join(dist, 'lmm-wasm.js')))('runs: the minified build fits sleepstudy (in Node, which has atob and WebAssembly too)', async () => {
    const lib = await import(join(dist, 'lmm-wasm.js'));
    await lib.init();
    const csv = readFileSync(join(root, 'data/sleepstudy.csv'), 'utf8');
    const schema = JSON.parse(readFileSync(join(root, 'data/sleepstudy.schema.json'), 'utf8'));
    const m = lib.lmer('Reaction ~ Days + (Days | Subject)', lib.parseCsv(csv, { schema }));
    expect(String(lib.summary(m))).toContain('REML criterion at convergence: 1743.6');
    // error classes keep their names through minification
    expect(() => lib.parseFormula('y ~ (1 | ')).toThrow(expect.objectContaining({ name: 'FormulaSyntaxError', code: 'FORMULA_SYNTAX' }));
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
      logLevel: 'silent',
    });
    const out = result.outputFiles[0].contents;
    const bytesIn = Object.values(result.metafile.outputs)[0].inputs;
    console.log(`lm-only app: ${(out.length / 1024).toFixed(1)} KB raw, ${(gzip(out) / 1024).toFixed(1)} KB gzip (budget ${LM_ONLY_GZIP_BUDGET / 1024} KB)`);
    for (const left of ['src/optim/bobyqa.ts', 'src/fit/lmer.ts', 'src/print/lmer-summary.ts', 'node_modules/papaparse', 'betaincinv', 'gammaincinv']) {
      expect(Object.keys(bytesIn).filter((p) => p.includes(left) && bytesIn[p].bytesInOutput > 0)).toEqual([]);
    }
    expect(gzip(out)).toBeLessThanOrEqual(LM_ONLY_GZIP_BUDGET);
  });
});
