// R's number formatting against fixtures made by scripts/r/format-cases.R (R 4.2.2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatC, formatNumbers, roundR, signifR } from '../src/text/format-number.js';
import { formatPval } from '../src/print/pvalue.js';

interface Case {
  fn: 'format' | 'formatC' | 'round' | 'signif' | 'format.pval';
  x: (number | null)[];
  digits: number;
  out: (string | number | null)[];
}
const cases: Case[] = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/print/format-cases.json'), 'utf8'));

describe('R number formatting', () => {
  it.each(['format', 'formatC', 'round', 'signif', 'format.pval'] as const)('%s matches R on every fixture', (fn) => {
    const mine = cases.filter((c) => c.fn === fn);
    expect(mine.length).toBeGreaterThan(5);
    for (const c of mine) {
      let got: (string | number | null)[];
      switch (fn) {
        case 'format':
          got = formatNumbers(c.x, c.digits);
          break;
        case 'formatC':
          got = c.x.map((v) => formatC(v as number, c.digits));
          break;
        case 'round':
          got = c.x.map((v) => (v === null ? null : roundR(v, c.digits)));
          break;
        case 'signif':
          got = c.x.map((v) => (v === null ? null : signifR(v, c.digits)));
          break;
        case 'format.pval':
          got = formatPval(c.x, c.digits);
          break;
      }
      expect({ x: c.x, digits: c.digits, out: got }).toEqual({ x: c.x, digits: c.digits, out: c.out });
    }
  });
});
