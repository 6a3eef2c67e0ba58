// The package as a user gets it: packed once (npm pack of the built dist/), installed offline into a
// fresh project, then imported with ESM and require(), type-checked under moduleResolution bundler,
// nodenext and node10, its worker and plot entries run (plot with the optional peers linked in from the
// repository's devDependencies), and its `lmm` command run. Needs the build (npm ci does it); about 30-60 s.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledPackages } from '../scripts/build-notices.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONSUMER = join(ROOT, 'test/consumer');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');

const OPTIONAL_PEERS = ['@observablehq/plot', 'linkedom', 'apache-arrow', 'arquero'];
const present = (...names: string[]) => names.every((n) => existsSync(join(ROOT, 'node_modules', n)));
let project = '';
let packed: { filename: string; size: number; files: { path: string }[] };

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'lmm-consumer-'));
  // --ignore-scripts: pack the dist/ that is already built instead of rebuilding it (prepare)
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8' });
  packed = JSON.parse(out)[0];
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'lmm-consumer', private: true, type: 'module' }));
  for (const f of readdirSync(CONSUMER)) copyFileSync(join(CONSUMER, f), join(project, f));
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(project, packed.filename)], {
    cwd: project,
    encoding: 'utf8',
  });
  // the optional peers the repository has (devDependencies), linked in as a user would install them
  for (const name of OPTIONAL_PEERS.filter((n) => existsSync(join(ROOT, 'node_modules', n)))) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}, 120_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

const node = (...args: string[]): string => execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' });

describe('the packed package', () => {
  it('is small and ships only what it should', () => {
    // npm's `size` is the gzipped tarball's bytes: issue 9's ceiling. One build serves Node, bundlers and the
    // browser (dist/chunks/ shared by every entry), so the library ships once.
    expect(packed.size).toBeLessThan(300_000);
    const shipped = packed.files.map((f) => f.path);
    expect(shipped.filter((p) => p.endsWith('.map') || p.endsWith('.LEGAL.txt'))).toEqual([]);
    for (const must of ['LICENSE', 'THIRD-PARTY-NOTICES.md', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/node.js', 'dist/cli/bin.js', 'dist/browser/lmm-wasm.js', 'dist/browser/worker.js', 'dist/browser/lmm-wasm.worker.js', 'dist/chunks/lmm-wasm.wasm']) {
      expect(shipped).toContain(must);
    }
    expect(shipped.filter((p) => p.startsWith('assembly/') || p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);
    expect(shipped.filter((p) => p.startsWith('data/') && p.endsWith('.csv'))).toEqual(['data/cbpp.csv', 'data/sleepstudy.csv']);
    // only declarations the entries reach ship, and none carries the engine binary as a literal type
    expect(shipped.filter((p) => p.endsWith('.d.ts') && p.includes('/generated/'))).toEqual([]);
    const installed = join(project, 'node_modules/lmm-wasm');
    const bigTypes = shipped.filter((p) => p.endsWith('.d.ts') && readFileSync(join(installed, p), 'utf8').length > 20_000);
    expect(bigTypes).toEqual([]);
  });

  it('names every package the builds inline, with its licence, in THIRD-PARTY-NOTICES.md', () => {
    const notices = readFileSync(join(project, 'node_modules/lmm-wasm/THIRD-PARTY-NOTICES.md'), 'utf8');
    const bundled = [...bundledPackages().keys()].map((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
    expect(bundled.map((p) => p.name)).toEqual(expect.arrayContaining(['d3-dsv', 'comlink', '@stdlib/stats-base-dists-t-quantile']));
    const rows = bundled.filter((p) => !notices.includes(`| ${p.name} | ${p.version} | ${p.license} |`)).map((p) => p.name);
    expect(rows).toEqual([]);
    expect(notices).toContain('Apache License');
    expect(notices).toContain('Permission to use, copy, modify'); // d3-dsv's ISC text
  });

  it('works through import', () => {
    expect(node('esm.mjs')).toContain('esm ok');
  });

  it('runs lmm-wasm/worker in a worker_thread', () => {
    expect(node('worker.mjs')).toContain('worker ok');
  });

  it.skipIf(!present('@observablehq/plot', 'linkedom'))('draws with lmm-wasm/plot when the optional peers are installed', () => {
    expect(node('plot.mjs')).toContain('plot ok');
  });

  it.skipIf(!present('apache-arrow', 'arquero'))('fits Arrow and Arquero tables when those peers are installed', () => {
    expect(node('arrow.mjs')).toContain('arrow ok');
  });

  it('works through require()', () => {
    const r = spawnSync(process.execPath, ['cjs.cjs'], { cwd: project, encoding: 'utf8' });
    expect(r.stdout).toContain('cjs ok');
    expect(r.status).toBe(0);
    // Node 20 may warn that require(esm) is experimental; nothing else may reach stderr
    expect(r.stderr.split('\n').filter((l) => l.trim() !== '' && !/ExperimentalWarning|--trace-warnings/.test(l))).toEqual([]);
  });

  it('type-checks with moduleResolution bundler, nodenext and node10', async () => {
    // the three tsc runs in parallel (each spends seconds loading the compiler); tsc prints its diagnostics
    // on stdout and exits non-zero when a declaration does not resolve or type-check
    const check = (resolution: string) =>
      new Promise<string>((resolve) => {
        execFile(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: project }, (error, stdout) =>
          resolve(error ? `${resolution}: ${stdout || error.message}` : ''),
        );
      });
    const failures = await Promise.all(['bundler', 'nodenext', 'node10'].map(check));
    expect(failures.filter((f) => f !== '')).toEqual([]);
  });

  it('installs the lmm command', () => {
    const bin = join(project, 'node_modules/.bin/lmm');
    const out = execFileSync(bin, ['fit', join(project, 'node_modules/lmm-wasm/data/sleepstudy.csv'), 'Reaction ~ Days + (Days | Subject)'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(out).toContain('REML criterion at convergence: 1743.6');
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toContain(version);
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toContain('--family');
  });
});
