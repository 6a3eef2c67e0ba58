// The synchronous API's progress hook and cancel, and the CLI's one-line progress display.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lmer, parseCsv, progressLine, type FitProgress } from '../../src/index.js';

const root = join(import.meta.dirname, '../..');
const data = parseCsv(readFileSync(join(root, 'data/sleepstudy.csv'), 'utf8'), {
  schema: JSON.parse(readFileSync(join(root, 'data/sleepstudy.schema.json'), 'utf8')),
});
const FORMULA = 'Reaction ~ Days + (Days | Subject)';

describe('onProgress and signal in the sync API', () => {
  it('reports every deviance evaluation, counting up, and leaves the fit unchanged', () => {
    const events: FitProgress[] = [];
    const watched = lmer(FORMULA, data, { onProgress: (p) => events.push(p) });
    const plain = lmer(FORMULA, data);
    expect(watched.REMLcrit()).toBe(plain.REMLcrit());
    expect(Array.from(watched.theta)).toEqual(Array.from(plain.theta));
    expect(events.map((e) => e.evaluations)).toEqual(events.map((_, i) => i + 1));
    // the optimizer's evaluations are among them, and its best objective is the fit's
    expect(events.length).toBeGreaterThanOrEqual(watched.optimizer.evaluations);
    expect(Math.min(...events.map((e) => e.objective))).toBe(watched.REMLcrit());
  });

  it('stops with the signal\'s reason when aborted during the fit', () => {
    const controller = new AbortController();
    const run = () =>
      lmer(FORMULA, data, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.evaluations === 5) controller.abort(new Error('stop at 5'));
        },
      });
    expect(run).toThrow('stop at 5');
  });
});

describe('progressLine', () => {
  const fake = (isTTY: boolean) => {
    const out: string[] = [];
    let t = 0;
    return { out, stream: { isTTY, columns: 60, write: (s: string) => out.push(s) }, tick: (ms: number) => (t += ms), now: () => t };
  };
  const p = (evaluations: number): FitProgress => ({ evaluations, objective: 1743.6282, theta: [1] });

  it('stays silent for a fit under a second, and on a non-TTY', () => {
    const a = fake(true);
    const line = progressLine(a.stream, { now: a.now });
    a.tick(900);
    line.onProgress(p(10));
    line.done();
    expect(a.out).toEqual([]);
    const b = fake(false);
    const quiet = progressLine(b.stream, { now: b.now });
    b.tick(5000);
    quiet.onProgress(p(10));
    expect(b.out).toEqual([]);
  });

  it('redraws in place after a second, throttled, and clears the line at the end', () => {
    const a = fake(true);
    const line = progressLine(a.stream, { now: a.now });
    a.tick(1200);
    line.onProgress(p(40));
    a.tick(50);
    line.onProgress(p(41)); // within 100 ms: skipped
    a.tick(100);
    line.onProgress(p(42));
    line.done();
    expect(a.out).toHaveLength(3);
    expect(a.out[0]).toBe('\rfitting: 40 evaluations, criterion 1743.6282 (1.2 s)');
    expect(a.out[1]).toMatch(/^\rfitting: 42 evaluations/);
    expect(a.out[2]).toMatch(/^\r +\r$/);
  });
});
