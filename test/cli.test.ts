// The lmm command line, in process (run()) and as the installed binary (dist/cli/bin.js, built by npm ci).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.js';
import { ROOT, loadGolden } from './helpers/golden.js';

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}
const sleep = join(ROOT, 'data/sleepstudy.csv');

describe('lmm fit', () => {
  it('prints the lm summary exactly as R for a formula without bars', () => {
    const r = cli('fit', sleep, 'Reaction ~ Days');
    expect(r.code).toBe(0);
    expect(r.out).toBe(loadGolden('sleep_lm').summary_text + '\n');
  });
  it('prints the lmer summary (REML by default) and --ml switches to ML', () => {
    const reml = cli('fit', sleep, 'Reaction ~ Days + (Days | Subject)');
    expect(reml.out).toBe(loadGolden('sleep_slope_reml').summary_text + '\n');
    const ml = cli('fit', sleep, 'Reaction ~ Days + (Days | Subject)', '--ml');
    expect(ml.out.split('\n')[0]).toBe("Linear mixed model fit by maximum likelihood . t-tests use Satterthwaite's");
  });
  it('--json gives one object per the contract (lm and lmer)', () => {
    const lmj = JSON.parse(cli('fit', sleep, 'Reaction ~ Days', '--json').out);
    expect(Object.keys(lmj)).toEqual(expect.arrayContaining(['kind', 'formula', 'nobs', 'fixef', 'sigma', 'dfResid', 'rSquared', 'adjRSquared', 'fStatistic', 'residualQuantiles', 'logLik', 'AIC', 'BIC', 'warnings']));
    expect(lmj.kind).toBe('lm');
    expect(lmj.fixef[1]).toMatchObject({ term: 'Days', df: 178 });
    const g = loadGolden('sleep_slope_ml');
    const j = JSON.parse(cli('fit', sleep, 'Reaction ~ Days + (Days | Subject)', '--ml', '--json').out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['kind', 'formula', 'reml', 'nobs', 'ngroups', 'logLik', 'AIC', 'BIC', 'deviance', 'REMLcrit', 'dfResid', 'sigma', 'theta', 'fixef', 'vcov', 'varcorr', 'scaledResidualQuantiles', 'converged', 'singular', 'warnings', 'optimizer', 'fitMs']));
    expect(j.reml).toBe(false);
    expect(j.REMLcrit).toBeNull();
    expect(Math.abs(j.deviance - g.deviance) / g.deviance).toBeLessThan(1e-9);
    expect(j.ngroups).toEqual({ Subject: 18 });
    expect(j.varcorr[3]).toMatchObject({ group: 'Residual', var1: null, var2: null });
    expect(Math.abs(j.fixef[1].df - g.coefficients[1].df) / g.coefficients[1].df).toBeLessThan(1e-4);
  });
  it('applies --levels, --factor and --contrasts', () => {
    const md = join(ROOT, 'data/diachek_md.csv');
    const j = JSON.parse(cli('fit', md, 'Effect_Size ~ Condition', '--levels', 'Condition=S,W', '--json').out);
    expect(j.fixef[1].term).toBe('ConditionW');
    const c = JSON.parse(cli('fit', md, 'Effect_Size ~ Condition', '--contrasts', 'Condition=-0.5,0.5:S>W', '--json').out);
    expect(c.fixef[1].term).toBe('ConditionS>W');
    const s = JSON.parse(cli('fit', md, 'Effect_Size ~ Hemisphere', '--contrasts', 'Hemisphere=sum', '--json').out);
    expect(s.fixef[1].term).toBe('Hemisphere1');
    const f = JSON.parse(cli('fit', sleep, 'Reaction ~ Days', '--factor', 'Days', '--json').out);
    expect(f.fixef).toHaveLength(10);
  });
});

describe('lmm anova', () => {
  it('prints lme4 anova and reports the ML refit on stderr', () => {
    const r = cli('anova', sleep, 'Reaction ~ Days + (1 | Subject)', 'Reaction ~ Days + (Days | Subject)');
    expect(r.code).toBe(0);
    expect(r.err).toContain('refitting model(s) with ML (instead of REML)');
    expect(r.out).toContain('model2    6 1763.9 1783.1 -875.97   1751.9 42.139  2  7.072e-10 ***');
    const j = JSON.parse(cli('anova', sleep, 'Reaction ~ Days', 'Reaction ~ Days + (1 | Subject)', '--ml', '--json').out);
    expect(j.refitML).toBe(false);
    expect(j.rows[0]).toMatchObject({ name: 'model1', npar: 3, chisq: null, df: null, p: null });
    expect(j.rows[1].df).toBe(1);
  });
});

describe('errors go to stderr with a non-zero exit and nothing on stdout', () => {
  it.each([
    [['fit', sleep, 'Reaction ~ Dayz'], 1, /column "Dayz"/],
    [['fit', sleep, 'Subject ~ Days'], 1, /response Subject is a factor/],
    [['fit', sleep, 'Reaction ~ Days +'], 4, /Unexpected end of formula at position 18[\s\S]*\^/],
    [['fit', join(ROOT, 'data/missing.csv'), 'y ~ x'], 1, /does not exist/],
    [['fit', sleep], 2, /needs a formula/],
    [['anova', sleep, 'Reaction ~ Days'], 2, /needs random-effects terms/],
    [['fit', sleep, 'y ~ x', '--bogus'], 2, /unknown option --bogus/],
    [['frobnicate'], 2, /unknown command/],
    [['fit', sleep, 'Reaction ~ Days + (1|Subject)', '--optimizer', 'newtonian'], 2, /unknown optimizer/],
  ] as [string[], number, RegExp][])('%j', (args, code, message) => {
    const r = cli(...args);
    expect(r.code).toBe(code);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });
});

describe('the installed binary', () => {
  const bin = join(ROOT, 'dist/cli/bin.js');
  it.skipIf(!existsSync(bin))('runs after npm ci and keeps stdout clean on errors', () => {
    const ok = spawnSync(process.execPath, [bin, 'fit', sleep, 'Reaction ~ Days', '--json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).kind).toBe('lm');
    const bad = spawnSync(process.execPath, [bin, 'fit', sleep, 'Reaction ~ nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/column "nope"/);
  });
});

describe('lmm fit --family (glmer) and --plot', () => {
  const cbpp = join(ROOT, 'data/cbpp.csv');
  const f = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
  it("prints lme4's glmer summary, and --json the glmer contract", () => {
    const golden = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/glmer/cbpp_binom.json'), 'utf8')) as { summary_text: string; beta: Record<string, number> };
    // lme4's second-stage optimizer, so lme4's point to the printed digits
    const r = cli('fit', cbpp, f, '--family', 'binomial', '--optimizer', 'nelder-mead');
    expect(r.code).toBe(0);
    expect(r.out).toBe(golden.summary_text + '\n');
    const j = JSON.parse(cli('fit', cbpp, f, '--family', 'binomial', '--json').out);
    expect(j).toMatchObject({ kind: 'glmer', family: 'binomial', link: 'logit', nAGQ: 1, nobs: 56 });
    expect(Math.abs(j.fixef[0].estimate - golden.beta['(Intercept)'])).toBeLessThan(1e-4);
  });
  it('refuses glmer-only flags without --family, and --family without bars', () => {
    expect(cli('fit', sleep, 'Reaction ~ Days + (1 | Subject)', '--nagq', '2')).toMatchObject({ code: 2, out: '' });
    expect(cli('fit', cbpp, 'incidence ~ period', '--family', 'poisson')).toMatchObject({ code: 5, out: '' });
  });
  it.skipIf(!existsSync(join(ROOT, 'dist/cli/bin.js')))('--plot writes SVG files from the installed command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmm-plot-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli/bin.js'), 'fit', sleep, 'Reaction ~ Days + (Days | Subject)', '--plot', join(dir, 'caterpillar.svg'), '--plot', `qq=${join(dir, 'q.svg')}`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'caterpillar.svg'), 'utf8')).toMatch(/^<svg/);
    expect((readFileSync(join(dir, 'q.svg'), 'utf8').match(/<circle/g) ?? []).length).toBe(180);
    rmSync(dir, { recursive: true, force: true });
  });
});
