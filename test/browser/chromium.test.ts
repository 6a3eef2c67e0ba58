// End to end in real Chromium (issue 12): a no-build page fits sleepstudy from the browser build; the demo
// fits sleepstudy and the seed model in its Web Worker with every number equal to Node's bit for bit; the
// page keeps painting during a long fit, and cancel stops it; the formula error shows the parser's caret;
// a CSP without 'wasm-unsafe-eval' gets lmm-wasm's explanation. Screenshots go to test/browser/artifacts/.
// Needs `npm run build` (dist/browser) and Chromium (see chromium.ts); skipped with one line without it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { anova, lmer, parseCsv } from '../../src/index.js';
import { modelJSON } from '../../src/worker/service.js';
import { toCloneable } from '../../src/worker/protocol.js';
import { readFileSync } from 'node:fs';
import { artifacts, hasChromium, launchChromium } from './chromium.js';
// @ts-expect-error plain ES module script without types
import { startStaticServer } from '../../scripts/static-server.mjs';

const root = join(import.meta.dirname, '../..');

/** Typed arrays and Maps as plain arrays and objects, the same on both sides before comparing. */
function plain(x: unknown): unknown {
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (x instanceof Map) return Object.fromEntries([...x].map(([k, v]) => [k, plain(v)]));
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

/** The fit's wall time is the one field that may differ. */
function withoutTiming(json: unknown): unknown {
  const { fitMs: _fitMs, timings: _timings, ...rest } = json as Record<string, unknown>;
  return rest;
}

function dataset(name: string) {
  const schema = JSON.parse(readFileSync(join(root, `data/${name}.schema.json`), 'utf8'));
  return parseCsv(readFileSync(join(root, `data/${name}.csv`), 'utf8'), { schema });
}

/** Node's results for what the demo shows: lmer (REML), its type III table, and anova(m0, m). */
function nodeResults(name: string, formula: string, compare: string) {
  const data = dataset(name);
  const m = lmer(formula, data, { dataName: name });
  const m0 = lmer(compare, data, { dataName: name });
  return {
    model: withoutTiming(modelJSON(m)),
    anova: plain(toCloneable(anova(m))),
    comparison: plain(toCloneable(anova(m0, m))),
  };
}

async function demoResults(page: Page) {
  const r = (await page.evaluate(() => {
    const plainIn = (x: unknown): unknown =>
      ArrayBuffer.isView(x)
        ? Array.from(x as unknown as ArrayLike<number>)
        : x instanceof Map
          ? Object.fromEntries([...x].map(([k, v]) => [k, plainIn(v)]))
          : Array.isArray(x)
            ? x.map(plainIn)
            : x !== null && typeof x === 'object'
              ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plainIn(v)]))
              : x;
    return plainIn((window as unknown as { lmmDemo: { results: unknown } }).lmmDemo.results);
  })) as { model: unknown; anova: unknown; comparison: unknown; summary: string };
  return { ...r, model: withoutTiming(r.model) };
}

const demoState = (page: Page) => page.evaluate(() => (window as unknown as { lmmDemo: { state: string } }).lmmDemo.state);

async function waitForState(page: Page, states: string[], timeout = 60_000): Promise<string> {
  await page.waitForFunction((s) => s.includes((window as unknown as { lmmDemo: { state: string } }).lmmDemo.state), states, { timeout });
  return demoState(page);
}

async function openDemo(page: Page, url: string): Promise<void> {
  if (!page.url().startsWith(`${url}/demo/`)) {
    await page.goto(`${url}/demo/`);
    await page.waitForFunction(() => (window as unknown as { lmmDemo?: { state: string } }).lmmDemo?.state === 'ready', null, { timeout: 30_000 });
  }
}

async function chooseDataset(page: Page, name: string): Promise<void> {
  await page.selectOption('#dataset', name);
  await page.waitForFunction(() => (window as unknown as { lmmDemo: { state: string } }).lmmDemo.state === 'ready', null, { timeout: 30_000 });
}

describe.runIf(hasChromium)('in Chromium', () => {
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let server: { url: string; close(): Promise<void> };
  let page: Page;

  beforeAll(async () => {
    server = await startStaticServer({ root });
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('a no-build page imports the browser build and fits sleepstudy', async () => {
    await page.goto(`${server.url}/test/browser/pages/no-build.html`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.includes('REML criterion'), null, { timeout: 60_000 });
    const text = await page.textContent('#out');
    expect(text).toContain('REML criterion at convergence: 1743.6');
    const t = await page.evaluate(() => (window as unknown as { timing: Record<string, number> }).timing);
    console.log(
      `no-build page: module loaded at ${t.moduleMs.toFixed(0)} ms, init() ${t.initMs.toFixed(0)} ms, ` +
        `sleepstudy fit + summary ${t.fitMs.toFixed(0)} ms, first fit shown ${t.firstFitMs.toFixed(0)} ms after navigation start`,
    );
    await page.screenshot({ path: join(artifacts, 'no-build.png') });
  });

  it('a CSP without wasm-unsafe-eval gets an EnvironmentError naming the directive', async () => {
    await page.goto(`${server.url}/test/browser/pages/strict-csp.html`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== '…', null, { timeout: 30_000 });
    const text = await page.textContent('#out');
    expect(text).toMatch(/^EnvironmentError WASM_CSP: .*add 'wasm-unsafe-eval' to its script-src/);
  });

  it('the demo fits sleepstudy in the worker: every number equals Node\'s', async () => {
    await page.goto(`${server.url}/demo/`);
    await waitForState(page, ['ready']);
    await page.click('#fit');
    expect(await waitForState(page, ['done', 'error'])).toBe('done');
    const browser = await demoResults(page);
    expect(browser.summary).toContain('REML criterion at convergence: 1743.6');
    expect(await page.textContent('#anova')).toContain('Type III Analysis of Variance Table');
    expect(await page.textContent('#comparison')).toMatch(/Models:\nm1: Reaction ~ Days \+ \(1 \| Subject\)\nm2: /);
    const node = nodeResults('sleepstudy', 'Reaction ~ Days + (Days | Subject)', 'Reaction ~ Days + (1 | Subject)');
    expect(browser.model).toEqual(node.model);
    expect(browser.anova).toEqual(node.anova);
    expect(browser.comparison).toEqual(node.comparison);
    await page.screenshot({ path: join(artifacts, 'demo-sleepstudy.png'), fullPage: true });
  });

  it('the demo fits the seed model (Diachek MD subset) in the worker: every number equals Node\'s', async () => {
    await openDemo(page, server.url);
    await chooseDataset(page, 'diachek_md');
    const formula = await page.inputValue('#formula');
    const compare = await page.inputValue('#compare');
    await page.click('#fit');
    expect(await waitForState(page, ['done', 'error'])).toBe('done');
    const browser = await demoResults(page);
    const node = nodeResults('diachek_md', formula, compare);
    expect(browser.model).toEqual(node.model);
    expect(browser.anova).toEqual(node.anova);
    expect(browser.comparison).toEqual(node.comparison);
    await page.screenshot({ path: join(artifacts, 'demo-seed-model.png'), fullPage: true });
  });

  it('shows the parser\'s caret under a formula error as it is typed', async () => {
    await openDemo(page, server.url);
    await page.fill('#formula', 'Effect_Size ~ Condition + (1 | ');
    const error = page.locator('#formula-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('FormulaSyntaxError');
    expect(text.split('\n').at(-1)).toMatch(/^ +\^$/);
    await page.screenshot({ path: join(artifacts, 'demo-formula-error.png') });
  });

  // A fit on the main thread would leave one gap as long as the fit (seconds); with the worker every gap stays
  // under 100 ms. Other processes competing for the CPU can stall Chromium's compositor for a moment (seen
  // here with a load average of 16 on 2 cores, with no main-thread task behind the gap): up to three attempts.
  it('keeps painting while the worker fits the seed model (frame gaps < 100 ms)', { retry: 2 }, async () => {
    await openDemo(page, server.url);
    await chooseDataset(page, 'diachek_md');
    await page.evaluate(() => {
      const w = window as unknown as { frames_: number[]; longTasks_: number[][] };
      const running = Array.isArray(w.frames_); // a retry on the same page: keep the one recorder
      w.frames_ = [];
      w.longTasks_ = [];
      if (running) return;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks_.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask' });
      const tick = (t: number): void => {
        w.frames_.push(t);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // the same page idle for a second first: a gap there is the machine's (CPU contention), not the fit's
    await page.waitForTimeout(1000);
    const idle = await page.evaluate(() => (window as unknown as { frames_: number[] }).frames_.slice(-200));
    const idleGaps = idle.slice(1).map((t, i) => t - idle[i]);
    console.log(`idle page: ${idle.length} frames, largest gap ${Math.max(...idleGaps).toFixed(1)} ms`);
    // click and wait without Playwright's per-frame actionability checks and polling, which run on the page's
    // main thread and would be measured as the page's own stalls
    const fitStarted = await page.evaluate(() => {
      document.getElementById('fit')!.click();
      return performance.now();
    });
    await page.waitForFunction(() => ['done', 'error'].includes((window as unknown as { lmmDemo: { state: string } }).lmmDemo.state), null, {
      polling: 250,
      timeout: 60_000,
    });
    expect(await demoState(page)).toBe('done');
    const fitMs = await page.evaluate(() => (window as unknown as { lmmDemo: { fitMs: number } }).lmmDemo.fitMs);
    const frames = await page.evaluate((since) => (window as unknown as { frames_: number[] }).frames_.filter((t) => t >= since), fitStarted);
    const gaps = frames.slice(1).map((t, i) => t - frames[i]);
    console.log(
      `during the fit (${fitMs.toFixed(0)} ms: lmer, type III, the comparison model and anova): ${frames.length} frames, ` +
        `largest gap ${Math.max(...gaps).toFixed(1)} ms (gaps over 50 ms: ` +
        `${gaps.map((g, i) => [g, frames[i] - fitStarted]).filter(([g]) => g > 50).map(([g, t]) => `${g.toFixed(0)} at +${t.toFixed(0)}`).join(', ') || 'none'})`,
    );
    const longTasks = await page.evaluate((since) => (window as unknown as { longTasks_: number[][] }).longTasks_.filter(([t]) => t >= since), fitStarted);
    console.log(`main-thread long tasks during the fit: ${longTasks.map(([t, d]) => `${d.toFixed(0)} ms at +${(t - fitStarted).toFixed(0)}`).join(', ') || 'none'}`);
    expect(frames.length).toBeGreaterThan(10);
    expect(Math.max(...gaps)).toBeLessThan(100);
  });

  it('control: the same check catches fits on the main thread (one gap as long as the fits)', async () => {
    await page.goto(`${server.url}/test/browser/pages/no-build.html`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent?.includes('REML criterion'), null, { timeout: 60_000 });
    // a string, so that the test runner's module transform leaves the page's import() alone
    const result = (await page.evaluate(`(async () => {
      const lib = await import('/dist/browser/lmm-wasm.js');
      const csv = await fetch('/data/diachek_md.csv').then((r) => r.text());
      const schema = await fetch('/data/diachek_md.schema.json').then((r) => r.json());
      const data = lib.parseCsv(csv, { schema });
      const frames = [];
      const tick = (t) => { frames.push(t); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      await new Promise((r) => setTimeout(r, 300));
      const t0 = performance.now();
      for (const REML of [true, false, true, false]) {
        lib.lmer('Effect_Size ~ Condition*Hemisphere + (1 + Condition | SubjectID) + (1 | Experiment) + (1 | Region)', data, { REML });
      }
      const fitMs = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 300));
      const gaps = frames.slice(1).map((t, i) => t - frames[i]);
      return { fitMs, maxGap: Math.max(...gaps) };
    })()`)) as { fitMs: number; maxGap: number };
    console.log(`control, fit on the main thread: ${result.fitMs.toFixed(0)} ms, largest frame gap ${result.maxGap.toFixed(0)} ms`);
    // rAF stamps frame starts, so the gap spans the fit less up to a few frames
    expect(result.maxGap).toBeGreaterThan(100);
    expect(result.maxGap).toBeGreaterThanOrEqual(result.fitMs - 50);
  });

  it('cancel stops a long fit at once, and a fresh worker serves the next one', async () => {
    await openDemo(page, server.url);
    await chooseDataset(page, 'InstEval');
    await page.click('#fit');
    await page.waitForTimeout(1000);
    expect(await demoState(page)).toBe('fitting'); // InstEval takes seconds: still fitting
    await page.screenshot({ path: join(artifacts, 'demo-fitting.png') });
    const t0 = Date.now();
    await page.click('#cancel');
    expect(await waitForState(page, ['cancelled', 'done', 'error'], 5_000)).toBe('cancelled');
    console.log(`cancel took effect in ${Date.now() - t0} ms`);
    expect(await page.textContent('#summary')).toBe('');
    await page.screenshot({ path: join(artifacts, 'demo-cancelled.png') });
    expect(await page.textContent('#status')).toBe('cancelled: the worker was stopped'); // no late progress after it

    await chooseDataset(page, 'sleepstudy');
    await page.click('#fit');
    expect(await waitForState(page, ['done', 'error'])).toBe('done');
    expect(await page.textContent('#summary')).toContain('REML criterion at convergence: 1743.6');
  });
});
