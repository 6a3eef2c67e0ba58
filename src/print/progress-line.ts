/**
 * A one-line progress display for terminals (the CLI's fits): nothing for fits shorter than `delayMs` or when
 * the stream is not a TTY, then "fitting: N evaluations, criterion X" redrawn in place, cleared at the end.
 * Give `onProgress` to lmer's options and call `done()` when the fit returns or throws.
 */
import type { FitProgress } from '../fit/progress.js';

/** The part of a Node write stream (process.stderr) the display uses. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressLineOptions {
  /** Show nothing before this many milliseconds (default 1000): quick fits stay silent. */
  delayMs?: number;
  /** Least milliseconds between redraws (default 100). */
  intervalMs?: number;
  /** Clock in milliseconds (tests inject one). */
  now?: () => number;
}

/** A progress display on `stream` (e.g. process.stderr). */
export function progressLine(
  stream: ProgressStream,
  options: ProgressLineOptions = {},
): { onProgress: (p: FitProgress) => void; done: () => void } {
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 1000;
  const intervalMs = options.intervalMs ?? 100;
  const start = now();
  let lastDraw = -Infinity;
  let drawn = 0;
  return {
    onProgress(p) {
      if (!stream.isTTY) return;
      const t = now();
      if (t - start < delayMs || t - lastDraw < intervalMs) return;
      lastDraw = t;
      const text = `fitting: ${p.evaluations} evaluations, criterion ${p.objective.toFixed(4)} (${((t - start) / 1000).toFixed(1)} s)`;
      const line = text.slice(0, Math.max(10, (stream.columns ?? 80) - 1));
      stream.write(`\r${line}${' '.repeat(Math.max(0, drawn - line.length))}`);
      drawn = line.length;
    },
    done() {
      if (drawn > 0) stream.write(`\r${' '.repeat(drawn)}\r`);
      drawn = 0;
    },
  };
}
