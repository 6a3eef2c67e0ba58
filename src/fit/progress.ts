/**
 * Watching a fit: `onProgress` hears every evaluation of the profiled deviance (the optimizer's and the
 * convergence checks'), and `signal` stops the fit between evaluations. The hook sits on the objective,
 * so every optimizer reports the same way without knowing about it.
 */

/** What `onProgress` receives after each evaluation of the profiled deviance. */
export interface FitProgress {
  /** Deviance evaluations so far in this fit (optimizer and convergence checks). */
  evaluations: number;
  /** The profiled (REML or ML) deviance at `theta`: lme4's objective. */
  objective: number;
  /** The covariance parameters just evaluated (lme4's order). */
  theta: number[];
}

/** The options of a fit that watch it. */
export interface ProgressOptions {
  /** Called after each deviance evaluation; keep it cheap (throttle any drawing). */
  onProgress?: (progress: FitProgress) => void;
  /** Aborting stops the fit before its next evaluation, throwing the signal's reason. */
  signal?: AbortSignal;
}

/** `f` unchanged when nothing watches it; otherwise wrapped to report after and check before each call. */
export function watchObjective(f: (theta: Float64Array) => number, options: ProgressOptions): (theta: Float64Array) => number {
  const { onProgress, signal } = options;
  if (!onProgress && !signal) return f;
  let evaluations = 0;
  return (theta) => {
    signal?.throwIfAborted();
    const objective = f(theta);
    evaluations++;
    onProgress?.({ evaluations, objective, theta: Array.from(theta) });
    return objective;
  };
}
