// The links the other goldens do not reach: each has its own branch in the engine's PIRLS
// (assembly/glm-family.ts). Fixture: bench/r/glmer-links.R (lme4 1.1-31, R 4.2.2).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';

interface LinkCase {
  id: string;
  data?: string;
  formula?: string;
  family?: 'binomial' | 'poisson';
  link?: string;
  minus2logLik?: number;
  theta?: number | number[];
  beta?: number[];
  error?: string;
}
const cases: LinkCase[] = JSON.parse(readFileSync('test/fixtures/glmer/links.json', 'utf8'));
const formulaOf: Record<string, [string, string, 'binomial' | 'poisson', string]> = {
  grouse_identity: ['data/grouseticks.csv', 'TICKS ~ YEAR + (1 | LOCATION)', 'poisson', 'identity'],
};

describe('glmer links against lme4 1.1-31', () => {
  for (const c of cases) {
    it(c.id, { timeout: 60_000 }, () => {
      if (c.error !== undefined) {
        const [file, formula, family, link] = formulaOf[c.id];
        // lme4 stops in PIRLS (μ leaves the family's support); so must we, with its message
        expect(() => glmer(formula, readDataFile(file), { family, link })).toThrow(c.error);
        return;
      }
      const m = glmer(c.formula!, readDataFile(c.data!), { family: c.family!, link: c.link });
      expect(Math.abs(m.minus2LogLik() - c.minus2logLik!) / c.minus2logLik!).toBeLessThan(1e-6);
      const theta = ([] as number[]).concat(c.theta!);
      Object.values(m.theta()).forEach((t, i) => expect(Math.abs(t - theta[i])).toBeLessThan(1e-3));
      const beta = Object.values(m.fixef()) as number[];
      expect(beta).toHaveLength(c.beta!.length);
      beta.forEach((b, i) => expect(Math.abs(b - c.beta![i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(c.beta![i]))));
    });
  }
});
