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
