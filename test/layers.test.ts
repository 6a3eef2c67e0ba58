// The import graph points one way: every import in src/ goes to the same layer or a lower one. The order
// is the data flow (data → formula → frame → wasm → design → optim → fit → infer → print → api → cli);
// wasm sits below design because design's rank check runs R's pivoted QR in the engine, and the engine
// itself knows nothing of formulas or frames. errors, result, linalg, text and stats are shared by all
// and import only each other (and packages).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/golden.js';

const SRC = join(ROOT, 'src');

/** Layer rank of each top-level entry of src/ (a folder, or a file at the root). */
const LAYERS: Record<string, number> = {
  'errors.ts': 0,
  'result.ts': 0,
  linalg: 0,
  text: 0,
  stats: 0,
  base: 0,
  options: 0,
  data: 1,
  formula: 2,
  frame: 3,
  wasm: 4,
  design: 5,
  optim: 6,
  fit: 7,
  infer: 8,
  print: 9,
  'index.ts': 10,
  'node.ts': 10,
  cli: 11,
  worker: 11,
  'browser.ts': 11,
  'browser-glmer.ts': 11,
  'core.ts': 10,
  'glmer-api.ts': 10,
  plot: 10,
  'node-plot.ts': 10,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports (type-only imports included). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]);
  return out;
}

function layerOf(file: string): string {
  const top = relative(SRC, file).split(/[\\/]/)[0];
  return top;
}

describe('layers', () => {
  const files = sourceFiles(SRC);

  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    const edges = files.flatMap((f) => importsOf(readFileSync(f, 'utf8')).filter((s) => s.startsWith('.')));
    expect(edges.length).toBeGreaterThan(200);
  });

  it('gives every top-level folder and root file of src/ a layer', () => {
    const tops = new Set(files.map(layerOf));
    expect([...tops].filter((t) => !(t in LAYERS))).toEqual([]);
  });

  it('has no import pointing to a higher layer', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        const to = layerOf(target.replace(/\.js$/, '.ts'));
        if (LAYERS[to] > LAYERS[from]) {
          violations.push(`${relative(ROOT, file)} imports ${spec} (${from} → ${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('detects an upward import (the checker itself works)', () => {
    const specs = importsOf("import type { X } from '../infer/satterthwaite.js';\nexport { y } from './y.js';\nconst m = await import('../print/z.js');");
    expect(specs).toEqual(['../infer/satterthwaite.js', './y.js', '../print/z.js']);
  });
});
