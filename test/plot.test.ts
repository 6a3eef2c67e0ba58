// lmm-wasm/plot: each plot's SVG is parsed back and its marks checked against the model's numbers
// (a dot and an interval per level at estimate ± 1.96 conditional SD, a point per observation, one
// panel per profiled parameter whose points reach the profile interval's ζ = ±1.96).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DOMParser } from 'linkedom';
import { lmer } from '../src/fit/lmer.js';
import { lm } from '../src/fit/lm.js';
import { confintProfile, type ProfileTrace } from '../src/infer/profile.js';
import { caterpillarPlot, qqData } from '../src/plot/index.js';
import { glmer } from '../src/glmer-api.js'; // registers glmer fits with the generic functions (fit/glmer-kind.ts)
import { readDataFile } from '../src/data/read-file.js';
import { plotSVG, writePlot, profilePlot, plotDocument, parsePlotArgument } from '../src/node-plot.js';
import { ModelError, OptionError } from '../src/errors.js';
import { goldenData, goldenDataName, loadGolden } from './helpers/golden.js';

function fit(id: string) {
  const g = loadGolden(id);
  return lmer(g.formula, goldenData(g), { REML: g.REML, dataName: goldenDataName(g) });
}

function parse(svg: string): Element {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml') as unknown as Document;
  return doc.documentElement;
}

/** The nested panels (one Observable Plot SVG each) and the titles drawn above them. */
function panelsOf(root: Element): { panels: Element[]; titles: string[] } {
  const panels = [...root.children].filter((e) => e.tagName.toLowerCase() === 'svg' && e.children.length > 0);
  const titles = [...root.children].filter((e) => e.tagName.toLowerCase() === 'text').map((e) => e.textContent ?? '');
  return { panels, titles };
}

function marks(panel: Element, label: string): Element[] {
  return [...panel.querySelectorAll(`g[aria-label="${label}"]`)];
}

function num(e: Element, attr: string): number {
  return Number(e.getAttribute(attr));
}

/** y of a tick label from its transform translate(x,y). */
function translateY(e: Element): number {
  return Number(/translate\([^,]+,([^)]+)\)/.exec(e.getAttribute('transform') ?? '')![1]);
}

describe('caterpillar plot', () => {
  const m = fit('sleep_slope_reml');
  const svg = plotSVG('caterpillar', m);
  const root = parse(svg);
  const { panels, titles } = panelsOf(root);
  const re = m.ranef({ condVar: true }).Subject;

  it('is a standalone SVG with a titled panel per column', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(panels).toHaveLength(2);
    expect(titles).toEqual(['Subject: (Intercept)', 'Subject: Days']);
    expect(marks(panels[0], 'x-axis label')[0].textContent).toBe('(Intercept)');
    expect(marks(panels[1], 'x-axis label')[0].textContent).toBe('Days');
  });

  it('draws a dot and an estimate ± 1.96 SD interval per level, levels ordered by the intercept', () => {
    // level names on the first panel, top to bottom from the largest intercept down
    const ticks = marks(panels[0], 'y-axis tick label')[0].querySelectorAll('text');
    const byY = [...ticks].sort((a, b) => translateY(a) - translateY(b)).map((t) => t.textContent);
    const expected = re.levels
      .map((l, i) => ({ l, v: re.values[i][0] }))
      .sort((a, b) => b.v - a.v)
      .map((e) => e.l);
    expect(byY).toEqual(expected);
    panels.forEach((panel, j) => {
      const dots = marks(panel, 'dot')[0].querySelectorAll('circle');
      const rules = marks(panel, 'rule');
      expect(dots).toHaveLength(18);
      expect(rules.map((r) => r.querySelectorAll('line').length).sort((a, b) => a - b)).toEqual([1, 18]);
      const intervals = [...rules.find((r) => r.querySelectorAll('line').length === 18)!.querySelectorAll('line')];
      // pixel scale from two dots, then every interval's half-width is 1.96·SD and its centre the dot
      const cx = [...dots].map((d) => num(d, 'cx'));
      const est = re.levels.map((_, i) => re.values[i][j]);
      const order = cx.map((_, i) => i);
      const a = order.reduce((x, y) => (cx[x] < cx[y] ? x : y));
      const b = order.reduce((x, y) => (cx[x] > cx[y] ? x : y));
      const estSorted = [...est].sort((x, y) => x - y);
      const pxPerUnit = (cx[b] - cx[a]) / (estSorted[17] - estSorted[0]);
      const halfWidths = intervals.map((l) => (num(l, 'x2') - num(l, 'x1')) / 2 / pxPerUnit).sort((x, y) => x - y);
      const sds = re.condVar!.map((v) => 1.959963984540054 * Math.sqrt(v[j][j])).sort((x, y) => x - y);
      halfWidths.forEach((h, i) => expect(Math.abs(h - sds[i]) / sds[i]).toBeLessThan(1e-3));
      intervals.forEach((l) => {
        const mid = (num(l, 'x1') + num(l, 'x2')) / 2;
        expect(cx.some((c) => Math.abs(c - mid) < 0.01)).toBe(true);
      });
    });
  });

  it('gives crossed factors a row each (Penicillin: 24 plates, 6 samples)', () => {
    const p = fit('penicillin_reml');
    const { panels: ps, titles: ts } = panelsOf(parse(plotSVG('caterpillar', p)));
    expect(ts).toEqual(['plate: (Intercept)', 'sample: (Intercept)']);
    expect(ps.map((panel) => marks(panel, 'dot')[0].querySelectorAll('circle').length)).toEqual([24, 6]);
  });

  it('refuses a model without random effects, and a missing document', () => {
    const sleep = goldenData(loadGolden('sleep_slope_reml'));
    expect(() => plotSVG('caterpillar', lm('Reaction ~ Days', sleep) as never)).toThrow(ModelError);
    expect(() => caterpillarPlot(m)).toThrow(OptionError);
    expect(() => plotSVG('pie' as never, m)).toThrow(OptionError);
    expect(() => plotSVG('caterpillar', m, { level: 1.5 })).toThrow(OptionError);
  });
});

describe('residual and Q–Q plots', () => {
  const m = fit('sleep_slope_reml');

  it('residuals vs fitted: a point per observation at (fitted, residual), the zero line, axis labels', () => {
    const { panels, titles } = panelsOf(parse(plotSVG('residuals', m)));
    expect(titles).toEqual(['Residuals vs fitted']);
    const dots = [...marks(panels[0], 'dot')[0].querySelectorAll('circle')];
    expect(dots).toHaveLength(m.nobs);
    expect(marks(panels[0], 'x-axis label')[0].textContent).toBe('Fitted values');
    expect(marks(panels[0], 'y-axis label')[0].textContent).toBe('Residuals');
    // the largest fitted value is the rightmost point, the largest residual the highest
    const fit = m.fitted(), res = m.residuals();
    const imaxF = fit.indexOf(Math.max(...fit));
    const imaxR = res.indexOf(Math.max(...res));
    expect(num(dots[imaxF], 'cx')).toBe(Math.max(...dots.map((d) => num(d, 'cx'))));
    expect(num(dots[imaxR], 'cy')).toBe(Math.min(...dots.map((d) => num(d, 'cy'))));
  });

  it('draws lm models too', () => {
    const fitLm = lm('Reaction ~ Days', goldenData(loadGolden('sleep_slope_reml')));
    for (const kind of ['residuals', 'qq'] as const) {
      const { panels } = panelsOf(parse(plotSVG(kind, fitLm)));
      expect(marks(panels[0], 'dot')[0].querySelectorAll('circle')).toHaveLength(180);
    }
  });

  it('Q–Q: sorted scaled residuals against R ppoints quantiles, with the quartile line', () => {
    const q = qqData(m);
    expect(q).toHaveLength(180);
    // R plotting positions ((i − 1/2)/n for n > 10); scaled residuals are residual/σ
    expect(q[0].theoretical).toBeCloseTo(-2.77292129460866, 12); // R: qnorm(ppoints(180))[1]
    expect(q[179].sample).toBeCloseTo(Math.max(...m.residuals()) / m.sigma, 12);
    const { panels } = panelsOf(parse(plotSVG('qq', m)));
    const dots = [...marks(panels[0], 'dot')[0].querySelectorAll('circle')];
    expect(dots).toHaveLength(180);
    const cy = dots.map((d) => num(d, 'cy'));
    cy.slice(1).forEach((y, i) => expect(y).toBeLessThanOrEqual(cy[i]));
    expect(marks(panels[0], 'line')).toHaveLength(1);
    expect(marks(panels[0], 'y-axis label')[0].textContent).toBe('Scaled residuals');
  });
});

describe('profile zeta plot', () => {
  const m = fit('dyestuff_reml');
  const traces: ProfileTrace[] = [];
  const intervals = confintProfile(m, 0.95, false, traces);

  it('records, per parameter, points whose ζ reaches ±1.96 at the profile interval', () => {
    expect(traces.map((t) => t.name)).toEqual(intervals.map((i) => i.name));
    traces.forEach((t, k) => {
      expect(t.points.some((p) => p.x === t.estimate && p.zeta === 0)).toBe(true);
      // ζ increases with the parameter
      t.points.slice(1).forEach((p, i) => expect(p.zeta).toBeGreaterThanOrEqual(t.points[i].zeta - 1e-9));
      for (const [bound, z] of [[intervals[k].lower, -1.959963984540054], [intervals[k].upper, 1.959963984540054]] as const) {
        if (bound === null || bound === 0) continue;
        const nearest = t.points.reduce((a, b) => (Math.abs(a.x - bound) < Math.abs(b.x - bound) ? a : b));
        expect(Math.abs(nearest.zeta - z)).toBeLessThan(1e-3);
      }
    });
  });

  it('draws a panel per parameter with every traced point', () => {
    const svg = profilePlot(traces, { document: plotDocument() });
    const { panels, titles } = panelsOf(parse(svg));
    expect(titles).toEqual(['sd_(Intercept)|Batch', 'sigma', '(Intercept)']);
    panels.forEach((panel, k) => {
      expect(marks(panel, 'dot')[0].querySelectorAll('circle')).toHaveLength(traces[k].points.length);
      expect(marks(panel, 'line')).toHaveLength(1);
      // ζ = 0 and ±1.96 reference lines
      expect(marks(panel, 'rule').map((r) => r.querySelectorAll('line').length).sort()).toEqual([1, 2]);
    });
  });
});

describe('profile zeta plot of a glmer fit', () => {
  it("draws lme4's sd and β panels (no sigma), each with the traced points", { timeout: 60_000 }, () => {
    const m = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', readDataFile('data/cbpp.csv'), { family: 'binomial' });
    const svg = plotSVG('profile', m, { document: plotDocument() });
    const { panels, titles } = panelsOf(parse(svg));
    expect(titles).toEqual(['sd_(Intercept)|herd', '(Intercept)', 'period2', 'period3', 'period4']);
    panels.forEach((panel) => expect(marks(panel, 'dot')[0].querySelectorAll('circle').length).toBeGreaterThan(3));
  });
});

describe('writePlot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmm-plot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the CLI's --plot value", () => {
    expect(parsePlotArgument('caterpillar.svg')).toEqual({ kind: 'caterpillar', path: 'caterpillar.svg' });
    expect(parsePlotArgument('out/qq-sleep.svg')).toEqual({ kind: 'qq', path: 'out/qq-sleep.svg' });
    expect(parsePlotArgument('profile=fig 1.svg')).toEqual({ kind: 'profile', path: 'fig 1.svg' });
    expect(() => parsePlotArgument('figure.svg')).toThrow(/KIND=FILE.svg.*caterpillar, residuals, qq, profile/);
    expect(() => parsePlotArgument('qq=')).toThrow(OptionError);
  });

  it('writes the SVG file the CLI asks for', () => {
    const m = fit('penicillin_reml');
    const path = join(dir, 'caterpillar.svg');
    writePlot('caterpillar', m, path);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(plotSVG('caterpillar', m) + '\n');
    expect(panelsOf(parse(text)).panels).toHaveLength(2);
  });
});
