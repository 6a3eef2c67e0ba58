// What each part of the browser build costs a page before its first fit: for dist/browser/lmm-wasm.js and the chunks it imports,
// the raw bytes each package / source folder contributes (from the source maps) and its marginal gzip cost,
// gzip(file) − gzip(file without that part's bytes); the engine file as one row. Run after
// `npm run build`: node bench/browser-size.mjs [depth] [--glmer] (depth 3 lists src/ files, 1 lumps src/).
// --glmer: what dist/browser/glmer.js adds to that page (glmer's own files: glmer's code belongs there, and
// nowhere in the main file's), and a glmer page's whole first fit (with the glmer engine, lmm-wasm-glmer.wasm).
// Uses @jridgewell/sourcemap-codec, which the test tooling (vitest) installs.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { decode } from '@jridgewell/sourcemap-codec';

const dist = join(import.meta.dirname, '../dist');
const args = process.argv.slice(2);
const depth = Number(args.find((a) => !a.startsWith('--')) ?? 2);
const glmer = args.includes('--glmer');
const gzip = (s) => gzipSync(Buffer.from(s), { level: 9 }).length;

function groupOf(source) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (m) return m[1].startsWith('@stdlib/') && depth < 3 ? '@stdlib/* (all)' : m[1];
  return source.replace(/^(\.\.\/)+/, '').split('/').slice(0, depth).join('/');
}

const rows = new Map(); // group → [raw, marginal gzip]
let total = 0;
/** The page's files: the entry and its static imports, transitively (relative URLs only). */
function pageFiles(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(dist, file), 'utf8');
  for (const m of text.matchAll(/(?:import|export)[^"']*?from\s*["'](\.[^"']+)["']|import\s*["'](\.[^"']+)["']/g)) {
    pageFiles(join(dirname(file), m[1] ?? m[2]), seen);
  }
  return seen;
}
const mainFiles = pageFiles('browser/lmm-wasm.js');
const glmerFiles = pageFiles('browser/glmer.js');
const files = glmer ? [...glmerFiles].filter((f) => !mainFiles.has(f)) : [...mainFiles];
for (const file of files) {
  const code = readFileSync(join(dist, file), 'utf8');
  const map = JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8'));
  const lines = code.split('\n');
  // the group owning each generated character (a mapping segment runs to the next one)
  const owner = lines.map((line, i) => {
    const own = new Array(line.length).fill('(esbuild runtime, unmapped)');
    const segs = decode(map.mappings)[i] ?? [];
    segs.forEach((s, k) => {
      const end = k + 1 < segs.length ? segs[k + 1][0] : line.length;
      if (s.length > 1) own.fill(groupOf(map.sources[s[1]]), s[0], end);
    });
    return own;
  });
  const whole = gzip(code);
  total += whole;
  for (const g of new Set(owner.flat())) {
    const raw = owner.reduce((n, own) => n + own.filter((x) => x === g).length, 0);
    const without = lines.map((line, i) => [...line].filter((_, c) => owner[i][c] !== g).join('')).join('\n');
    const [r, z] = rows.get(g) ?? [0, 0];
    rows.set(g, [r + raw, z + whole - gzip(without)]);
  }
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`| part | raw KB | gzip KB (marginal) |\n| --- | ---: | ---: |`);
if (glmer) {
  for (const [g, [raw, z]] of [...rows].sort((a, b) => b[1][1] - a[1][1])) if (raw >= 128) console.log(`| ${g} | ${kb(raw)} | ${kb(z)} |`);
  const shared = [...glmerFiles].filter((f) => mainFiles.has(f));
  // a glmer page fetches the glmer engine (a superset) instead of the lmer engine
  const engine = readFileSync(join(dist, 'chunks/lmm-wasm-glmer.wasm'));
  const rest = shared.reduce((t, f) => t + gzip(readFileSync(join(dist, f))), 0) + gzip(engine);
  console.log(`| glmer engine (lmm-wasm-glmer.wasm; an lm/lmer page's lmm-wasm.wasm: ${kb(gzip(readFileSync(join(dist, 'chunks/lmm-wasm.wasm'))))}) | ${kb(engine.length)} | ${kb(gzip(engine))} |`);
  console.log(`| **glmer's own files: ${files.join(' + ')}** | | **${kb(total)}** (whole files) |`);
  console.log(`| **a glmer page's first fit: those + ${shared.join(' + ')} + lmm-wasm-glmer.wasm (${kb(rest)})** | | **${kb(total + rest)}** |`);
} else {
  const wasm = readFileSync(join(dist, 'chunks/lmm-wasm.wasm'));
  rows.set('engine (lmm-wasm.wasm)', [wasm.length, gzip(wasm)]);
  total += gzip(wasm);
  for (const [g, [raw, z]] of [...rows].sort((a, b) => b[1][1] - a[1][1])) if (raw >= 512) console.log(`| ${g} | ${kb(raw)} | ${kb(z)} |`);
  console.log(`| **first fit: ${files.join(' + ')} + lmm-wasm.wasm** | | **${kb(total)}** (whole files) |`);
}
