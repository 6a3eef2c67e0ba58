// glmer on responses that have no maximum likelihood estimate, or lie outside the family's support:
// each ends in a typed error naming the column and row, or a warning naming the separating term, and
// never in NaN in the summary's tables.
import { describe, expect, it } from 'vitest';
import { glmer } from '../src/fit/glmer.js';
import { DataError, ModelError } from '../src/errors.js';
import { summary } from '../src/index.js';

/** Park–Miller draws, so the data are the same on every run. */
function prng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

interface Row {
  y: number;
  x: number;
  g: string;
  cond: string;
}
function rows(n = 200): Row[] {
  const rnd = prng(7);
  return Array.from({ length: n }, (_, i) => {
    const x = rnd() * 2 - 1;
    const eta = 0.5 * x + (i % 10) * 0.1 - 0.5;
    return { y: rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0, x, g: `s${i % 10}`, cond: ['a', 'b', 'c'][i % 3] };
  });
}
/** No NaN anywhere in the summary, and every number of the z table finite. */
function noNaN(m: ReturnType<typeof glmer>): void {
  expect(String(summary(m))).not.toMatch(/NaN/);
  for (const c of m.coefficientTable()) expect([c.estimate, c.se, c.z, c.p].every(Number.isFinite)).toBe(true);
}

describe('glmer: separation', () => {
  it('a factor level whose rows are all successes: a warning naming the term and level', { timeout: 60_000 }, () => {
    const data = rows().map((r) => (r.cond === 'c' ? { ...r, y: 1 } : r));
    const m = glmer('y ~ x + cond + (1 | g)', data, { family: 'binomial' });
    const w = m.warnings.find((t) => t.startsWith('complete separation'));
    expect(w).toContain('complete separation in cond (column condc)');
    expect(w).toContain('y is 1 wherever condc = 1');
    expect(w).toContain('+Inf');
    // lme4's symptom is still visible, and no other term is blamed
    expect(Math.abs(m.fixef().condc as number)).toBeGreaterThan(10);
    expect(m.warnings.filter((t) => t.startsWith('complete separation'))).toHaveLength(1);
    noNaN(m);
  });

  it('Poisson counts all zero in a factor level: the estimate drifts to -Inf, said by name', { timeout: 60_000 }, () => {
    const rnd = prng(11);
    const data = rows().map((r) => ({ ...r, y: r.cond === 'b' ? 0 : Math.floor(rnd() * 6) }));
    const m = glmer('y ~ cond + (1 | g)', data, { family: 'poisson' });
    expect(m.warnings.some((t) => t.includes('complete separation in cond (column condb)') && t.includes('-Inf'))).toBe(true);
    noNaN(m);
  });

  it('a predictor splitting the outcomes at a threshold: a ModelError naming it (lme4: "pwrssUpdate did not converge")', { timeout: 60_000 }, () => {
    const data = rows().map((r) => ({ ...r, y: r.x > 0.1 ? 1 : 0 }));
    expect(() => glmer('y ~ x + (1 | g)', data, { family: 'binomial' })).toThrow(ModelError);
    expect(() => glmer('y ~ x + (1 | g)', data, { family: 'binomial' })).toThrow(/complete separation in x: y is 0 for x < .* and 1 for x > /);
  });

  it('a response constant within every level of the grouping factor: a warning naming the factor', { timeout: 60_000 }, () => {
    const data = rows().map((r) => ({ ...r, y: Number(r.g) || ['s1', 's4', 's7'].includes(r.g) ? 1 : 0 }));
    const run = (): string[] => {
      try {
        return [...glmer('y ~ x + (1 | g)', data, { family: 'binomial' }).warnings];
      } catch (e) {
        return [(e as Error).message];
      }
    };
    expect(run().join('\n')).toContain('complete separation by g: y is constant within every level of g (7 levels all 0, 3 all 1)');
  });

  it('a split that needs a covariate and a factor level together: named by both (warning or the failed fit)', { timeout: 60_000 }, () => {
    const data = rows().map((r) => ({ ...r, y: r.x + (r.cond === 'c' ? 1 : 0) > 0.5 ? 1 : 0 }));
    let said: string;
    try {
      said = glmer('y ~ x + cond + (1 | g)', data, { family: 'binomial' }).warnings.join('\n');
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      said = (e as Error).message;
    }
    expect(said).toContain('complete separation in x and cond together (columns x, condc): y is 1 wherever x + condc > 0.5 and 0 wherever x + condc < 0.5');
  });

  it('mixed data with some all-0 and all-1 levels fit without a separation warning', { timeout: 60_000 }, () => {
    const data = rows().map((r) => (r.g === 's0' ? { ...r, y: 0 } : r.g === 's9' ? { ...r, y: 1 } : r));
    const m = glmer('y ~ x + (1 | g)', data, { family: 'binomial' });
    expect(m.warnings.filter((t) => t.includes('separation'))).toEqual([]);
  });
});

describe('glmer: responses outside the family', () => {
  const base = rows(60);
  it('all failures, all successes, all zero counts: a DataError naming the response', () => {
    expect(() => glmer('y ~ x + (1 | g)', base.map((r) => ({ ...r, y: 0 })), { family: 'binomial' })).toThrow(DataError);
    expect(() => glmer('y ~ x + (1 | g)', base.map((r) => ({ ...r, y: 1 })), { family: 'binomial' })).toThrow(/response y is 1 \(success\) on every one of the 60 rows/);
    expect(() => glmer('y ~ x + (1 | g)', base.map((r) => ({ ...r, y: 0 })), { family: 'poisson' })).toThrow(/response y is a zero count on every one/);
  });

  it('a proportion above 1, a negative count, negative cbind counts, a three-level factor: the column and row', () => {
    const at = (k: number, v: number) => base.map((r, i) => ({ ...r, y: i === k ? v : r.y }));
    const err = (f: () => unknown): DataError => {
      try {
        f();
      } catch (e) {
        return e as DataError;
      }
      throw new Error('no error');
    };
    const e1 = err(() => glmer('y ~ x + (1 | g)', at(4, 1.5), { family: 'binomial' }));
    expect(e1).toBeInstanceOf(DataError);
    expect(e1.column).toBe('y');
    expect(e1.message).toContain('row 5 has 1.5');
    const e2 = err(() => glmer('y ~ x + (1 | g)', at(9, -2), { family: 'poisson' }));
    expect(e2.message).toContain('row 10 has -2');
    const e3 = err(() => glmer('cbind(y, 3 - y) ~ x + (1 | g)', at(2, 4), { family: 'binomial' }));
    expect(e3.message).toMatch(/cbind\(y, 3 - y\).*row 3/);
    const three = base.map((r) => ({ ...r, answer: r.cond }));
    const e4 = err(() => glmer('answer ~ x + (1 | g)', three, { family: 'binomial' }));
    expect(e4.column).toBe('answer');
    expect(e4.message).toContain('3 levels (a, b, c)');
  });
});
