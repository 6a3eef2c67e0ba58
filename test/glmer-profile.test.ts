// Profile confint of glmer fits against lme4 1.1-31's confint(gm, method = "profile") (fixtures from
// scripts/r/glmer-profile-cases.R). lme4 inverts a spline through ζ evaluated every cutoff/8 (≈ 0.5 in ζ),
// each point a Nelder–Mead optimization (FtolAbs 1e-5); we solve ζ = ±z on the exact profile (our bounds
// move by less than 1e-10 when the inner optimizations are made 1000× tighter). The fixtures hold lme4's
// default intervals and those of a profile four times as dense (delta.cutoff = 1/32). The two differ by up to
// 7.5e-6 relative on cbpp and 2e-4 on grouseticks (.sig02's upper bound): lme4's interpolation error. The
// dense profile's own error is its inner optimizations': ours agree with it to 1e-6 of the interval's width
// on cbpp and 1.8e-5 on grouseticks. So each bound is checked against the dense one to 2.5e-5 of the width,
// and against lme4's default to that plus lme4's own default-vs-dense difference.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readDataFile } from '../src/data/read-file.js';
import { glmer } from '../src/fit/glmer.js';
import { profileGlmer } from '../src/fit/glmer-model.js';
import { confint } from '../src/index.js';
import { ModelError, NumericalError, OptionError } from '../src/errors.js';
import { profileGlmm } from '../src/fit/glmer-profile.js';
import type { ProfileTrace } from '../src/infer/profile.js';
import { expectSameText } from './helpers/golden.js';

const golden = (id: string) => JSON.parse(readFileSync(`test/fixtures/glmer-profile/${id}.json`, 'utf8'));
type Row = { term: string; lower: number; upper: number };

function expectIntervals(rows: readonly { name: string; lower: number | null; upper: number | null }[], lme4: Row[], dense: Row[]): void {
  expect(rows.map((r) => r.name)).toEqual(lme4.map((r) => r.term));
  rows.forEach((r, i) => {
    for (const [ours, theirs, fine] of [
      [r.lower, lme4[i].lower, dense[i].lower],
      [r.upper, lme4[i].upper, dense[i].upper],
    ] as const) {
      const width = dense[i].upper - dense[i].lower;
      expect(ours).not.toBeNull();
      expect(Math.abs(ours! - fine)).toBeLessThan(2.5e-5 * width);
      expect(Math.abs(ours! - theirs)).toBeLessThan(Math.abs(theirs - fine) + 2.5e-5 * width);
    }
  });
}

describe.each([
  ['cbpp_binom', 1],
  ['cbpp_binom_agq25', 25],
])('%s', (id, nAGQ) => {
  const g = golden(id);
  const m = glmer(g.formula, readDataFile(g.data), { family: g.family, nAGQ });

  it("gives lme4's profile intervals for the sd and every β", { timeout: 60_000 }, () => {
    const ci = confint(m);
    expect(ci.method).toBe('profile');
    expectIntervals(ci.rows, g.confint_profile, g.confint_profile_fine);
    // lme4's print: the same rows and columns, numbers to its 7 digits (the last may differ by lme4's spline error)
    expectSameText(String(ci), g.confint_profile_text, 5, 3e-5);
  });

  // the level-0.9 golden was made for the Laplace fit only
  if (nAGQ === 1) it('at level 0.9, with lme4\'s oldNames = FALSE names, and ζ traces reaching ±z', { timeout: 60_000 }, () => {
    const traces: ProfileTrace[] = [];
    const p = profileGlmer(m, { level: 0.9, oldNames: false, traces });
    expect(p.intervals.map((r) => r.name)).toEqual(g.names_new);
    expectIntervals(p.intervals.map((r, i) => ({ ...r, name: g.confint_profile_90[i].term })), g.confint_profile_90, g.confint_profile_fine_90);
    expect(p.warnings).toEqual([]);
    const z = 1.6448536269514722; // qnorm(0.95)
    expect(traces.map((t) => t.name)).toEqual(g.names_new);
    traces.forEach((t, i) => {
      const at = (x: number) => t.points.reduce((best, q) => (Math.abs(q.x - x) < Math.abs(best.x - x) ? q : best));
      expect(Math.abs(at(p.intervals[i].lower!).zeta + z)).toBeLessThan(1e-5);
      expect(Math.abs(at(p.intervals[i].upper!).zeta - z)).toBeLessThan(1e-5);
      // ζ increases with the parameter, as lme4's profile is required to (its backSpline needs it)
      for (let k = 1; k < t.points.length; k++) expect(t.points[k].zeta).toBeGreaterThanOrEqual(t.points[k - 1].zeta - 1e-6);
    });
  });
});

describe('grouseticks_pois: three sds (one bounded below by 0), Poisson', () => {
  it("gives lme4's profile intervals for the sds (the β are checked on cbpp)", { timeout: 60_000 }, () => {
    const g = golden('grouseticks_pois');
    const m = glmer(g.formula, readDataFile(g.data), { family: g.family });
    const ci = confint(m, { parm: 'theta_' });
    expectIntervals(ci.rows, g.confint_profile.slice(0, 3), g.confint_profile_fine.slice(0, 3));
    // LOCATION's sd cannot be rejected down to 0: the bound, as lme4 gives it
    expect(ci.rows[2].lower).toBe(0);
    expect(g.confint_profile[2].lower).toBe(0);
  });
});

describe('sim_slope_bern: a correlated by-subject slope (Bernoulli, crossed with items)', () => {
  // lme4 took 48 s of CPU for two of this model's seven profiles, so the fixture has no dense profile: the
  // tolerance is lme4's default interpolation error seen on grouseticks (3.9e-4 of the interval's width),
  // rounded up. Ours do not move (1e-11) when our inner optimizations are made 1000× tighter.
  it("gives lme4's profile interval for the correlation", { timeout: 60_000 }, () => {
    const g = golden('sim_slope_bern');
    const m = glmer(g.formula, readDataFile(g.data), { family: g.family });
    const ci = confint(m, { parm: '.sig02' });
    expect(ci.rows.map((r) => r.name)).toEqual(['.sig02']);
    const ref = g.confint_profile[0];
    expect(ref.term).toBe('.sig02');
    const width = ref.upper - ref.lower;
    expect(Math.abs(ci.rows[0].lower! - ref.lower)).toBeLessThan(5e-4 * width);
    expect(Math.abs(ci.rows[0].upper! - ref.upper)).toBeLessThan(5e-4 * width);
  });
});

describe("confint's parm (lme4's: names, 1-based indices, 'theta_', 'beta_')", () => {
  const g = golden('cbpp_binom');
  const m = glmer(g.formula, readDataFile(g.data), { family: g.family });

  it('profiles only the parameters it picks', { timeout: 60_000 }, () => {
    const one = confint(m, { parm: ['period2', 1] }).rows;
    expect(one.map((r) => r.name)).toEqual(['.sig01', 'period2']);
    expectIntervals(one, [g.confint_profile[0], g.confint_profile[2]], [g.confint_profile_fine[0], g.confint_profile_fine[2]]);
    expect(confint(m, { method: 'Wald', parm: 'beta_' }).rows.map((r) => r.name)).toEqual(['(Intercept)', 'period2', 'period3', 'period4']);
    expect(confint(m, { method: 'Wald', parm: 'theta_' }).rows.map((r) => r.name)).toEqual(['.sig01']);
  });

  it('refuses an unknown name or index, naming the parameters there are', () => {
    expect(() => confint(m, { parm: 'period5' })).toThrow(OptionError);
    expect(() => confint(m, { parm: 'period5' })).toThrow(/'period5' is not a parameter.*\.sig01, \(Intercept\), period2/);
    expect(() => confint(m, { parm: [6] })).toThrow(/use 1 to 5/);
    expect(() => confint(m, { parm: { a: 1 } as never })).toThrow(OptionError);
  });
});

describe('profileGlmm on a known deviance', () => {
  // a deviance quadratic in (sd, β₁, β₂) with the two β correlated: every ζ is then exactly linear, so each
  // bound is the estimate ± z·√(H⁻¹)ᵢᵢ
  const est = [0.8, -1, 2];
  const H = [
    [50, 0, 0],
    [0, 4, 2],
    [0, 2, 3],
  ]; // deviance = base + (x − est)' H (x − est)
  const base = 100;
  const quad = (x: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += (x[i] - est[i]) * H[i][j] * (x[j] - est[j]);
    return base + s;
  };
  // minimizing over the others leaves devdiff = (x_i − est_i)² / (H⁻¹)_ii: the diagonal of H⁻¹
  const det = 4 * 3 - 2 * 2;
  const hinv = [1 / 50, 3 / det, 4 / det];
  const input = (fail?: (x: Float64Array) => boolean) => ({
    blocks: [{ group: 'g', columns: ['(Intercept)'] }],
    theta: Float64Array.of(est[0]),
    beta: Float64Array.of(est[1], est[2]),
    fixefNames: ['(Intercept)', 'x'],
    se: [Math.sqrt(hinv[1]), Math.sqrt(hinv[2])],
    deviance: base,
    makeDeviance: () => ({
      devfun: (x: Float64Array) => {
        if (fail?.(x)) throw new NumericalError('PIRLS loop resulted in NaN value');
        return quad(x);
      },
      release: () => {},
    }),
  });
  const z = 1.959963984540054;

  it('finds the exact bounds est ± z·√(H⁻¹)ᵢᵢ for the sd and both β', () => {
    const p = profileGlmm(input());
    expect(p.intervals.map((r) => r.name)).toEqual(['.sig01', '(Intercept)', 'x']);
    p.intervals.forEach((r, i) => {
      expect(Math.abs(r.lower! - (est[i] - z * Math.sqrt(hinv[i])))).toBeLessThan(1e-6);
      expect(Math.abs(r.upper! - (est[i] + z * Math.sqrt(hinv[i])))).toBeLessThan(1e-6);
    });
    expect(p.warnings).toEqual([]);
  });

  it("gives NA and lme4's warning where the deviance cannot be evaluated (PIRLS fails)", () => {
    const p = profileGlmm(input((x) => x[2] > 2.5));
    expect(p.intervals[2].upper).toBeNull();
    expect(p.intervals[2].lower).not.toBeNull();
    expect(p.warnings).toEqual(['NAs detected in profiling x']);
  });

  it('stops, as lme4 does, where profiling finds a lower deviance than the fit (a fit stopped short of its optimum)', () => {
    expect(() => profileGlmm({ ...input(), deviance: base + 1 })).toThrow(ModelError);
    expect(() => profileGlmm({ ...input(), deviance: base + 1 })).toThrow(/profiling detected a new, lower deviance .* at \.sig01 = /);
  });
});

describe('glmer profile errors', () => {
  it('refuses an nAGQ = 0 fit with a typed error (lme4 fails on it: "theta size mismatch")', { timeout: 60_000 }, () => {
    const g = golden('cbpp_binom_nagq0');
    expect(g.profile_error).toMatch(/theta size mismatch/);
    const m = glmer(g.formula, readDataFile(g.data), { family: g.family, nAGQ: 0 });
    expect(() => confint(m)).toThrow(ModelError);
    expect(() => confint(m)).toThrow(/nAGQ >= 1.*method 'Wald'/);
    expect(confint(m, { method: 'Wald' }).rows).toHaveLength(5);
  });
});
