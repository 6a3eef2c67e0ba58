// Loading the lme4 golden outputs (test/fixtures/golden, copied from R 4.2.2 / lme4 1.1-31 runs) and the
// bundled datasets they were computed from.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDataFile } from '../../src/data/read-file.js';
import type { DataTable } from '../../src/data/table.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const GOLDEN_DIR = join(ROOT, 'test', 'fixtures', 'golden');
/** More references made here by scripts/r/extra-goldens.R (same fields, lmerTest::lmer fits). */
export const EXTRA_DIR = join(ROOT, 'test', 'fixtures', 'golden-extra');

/** A golden file, loosely typed (fields as documented in test/fixtures/golden/README.md). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Golden = Record<string, any>;

export function loadGolden(id: string): Golden {
  const shared = join(GOLDEN_DIR, `${id}.json`);
  try {
    return JSON.parse(readFileSync(shared, 'utf8'));
  } catch {
    return JSON.parse(readFileSync(join(EXTRA_DIR, `${id}.json`), 'utf8'));
  }
}

/** Ids of the extra lmer references. */
export function extraLmerIds(): string[] {
  return readdirSync(EXTRA_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** The name R printed after "Data:" for a golden. */
export function goldenDataName(g: Golden): string {
  return String(g.data).split('/').pop()!.replace(/\.csv$/, '');
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
  const path = String(g.data).includes('/') ? join(ROOT, g.data) : join(ROOT, 'data', g.data);
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
 * unit in its last printed digit, or by `relTol` relative (values from numerical differentiation sit on
 * rounding boundaries now and then); the layout, every other character and the count of such lines
 * (≤ maxFuzzy) are checked.
 */
export function expectSameText(ours: string, ref: string, maxFuzzy = 1, relTol = 0): void {
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
        const diff = Math.abs(Number(x) - Number(nb[k]));
        return diff <= unit * 1.0000001 || diff <= relTol * Math.abs(Number(nb[k]));
      });
    if (!close) throw new Error(`line ${i + 1} differs:\n  ours: ${JSON.stringify(line)}\n  R:    ${JSON.stringify(b[i])}`);
    fuzzy++;
  });
  if (fuzzy > maxFuzzy) throw new Error(`${fuzzy} lines differ in a last digit (allowed ${maxFuzzy})`);
}

