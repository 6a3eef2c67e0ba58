// Loading the lme4 golden outputs (test/fixtures/golden, copied from R 4.2.2 / lme4 1.1-31 runs) and the
// bundled datasets they were computed from.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile } from '../../src/data/read-file.js';
import type { DataTable } from '../../src/data/table.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const GOLDEN_DIR = join(ROOT, 'test', 'fixtures', 'golden');

/** A golden file, loosely typed (fields as documented in test/fixtures/golden/README.md). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Golden = Record<string, any>;

export function loadGolden(id: string): Golden {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, `${id}.json`), 'utf8'));
}

export function goldenIds(kind: 'lmer' | 'lm' | 'anova'): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((id) => loadGolden(id).kind === kind)
    .sort();
}

/** The golden's dataset as R saw it (schema types and levels; cake_ml_treat's transform applied). */
export function goldenData(g: Golden): DataTable {
  const path = join(ROOT, 'data', g.data);
  if (g.data_transform && String(g.data_transform).includes('ordered = FALSE')) {
    return readDataFile(path, { types: { temperature: 'factor' } });
  }
  return readDataFile(path);
}

/** |a − b| / |b| (absolute when b is 0). */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}

/**
 * Compares printed text line by line. Lines must be identical, except that a number may differ by one
 * unit in its last printed digit (values computed by numerical differentiation sit on rounding
 * boundaries now and then); the layout, every other character and the count of such lines (≤ maxFuzzy)
 * are checked.
 */
export function expectSameText(ours: string, ref: string, maxFuzzy = 1): void {
  const a = ours.split('\n');
  const b = ref.split('\n');
  if (a.length !== b.length) throw new Error(`line count ${a.length} != ${b.length}\n--- ours\n${ours}\n--- R\n${ref}`);
  let fuzzy = 0;
  const numberRe = /-?\d+(?:\.\d+)?(?:e[+-]\d+)?/g;
  a.forEach((line, i) => {
    if (line === b[i]) return;
    const skeleton = (s: string): string => s.replace(numberRe, '#');
    const na = line.match(numberRe) ?? [];
    const nb = b[i].match(numberRe) ?? [];
    const close =
      line.length === b[i].length &&
      skeleton(line) === skeleton(b[i]) &&
      na.length === nb.length &&
      na.every((x, k) => {
        if (x === nb[k]) return true;
        const decimals = (nb[k].split('e')[0].split('.')[1] ?? '').length;
        const unit = 10 ** -decimals * (nb[k].includes('e') ? 10 ** Number(nb[k].split('e')[1]) : 1);
        return Math.abs(Number(x) - Number(nb[k])) <= unit * 1.0000001;
      });
    if (!close) throw new Error(`line ${i + 1} differs:\n  ours: ${JSON.stringify(line)}\n  R:    ${JSON.stringify(b[i])}`);
    fuzzy++;
  });
  if (fuzzy > maxFuzzy) throw new Error(`${fuzzy} lines differ in a last digit (allowed ${maxFuzzy})`);
}
