// fast-check properties (issue 11) with a fixed seed and ≥ 1000 runs each; `npm run fuzz` runs them
// longer with fresh seeds. Inputs that once failed are kept in regressions.ts and replayed first.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { PROPERTIES } from './properties.js';
import regressions from './regressions.json' with { type: 'json' };

const replay = regressions as Record<string, unknown[]>;

describe('properties (fast-check, seed 20261130)', () => {
  for (const [name, { property, ciRuns }] of Object.entries(PROPERTIES)) {
    it(`${name}: ${ciRuns} runs`, { timeout: 60_000 }, () => {
      fc.assert(property, { numRuns: ciRuns, seed: 20261130, examples: (replay[name] ?? []) as never[] });
    });
  }
});
