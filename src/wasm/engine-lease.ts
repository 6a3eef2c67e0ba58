/**
 * A fitted model's engine, kept for inference (Satterthwaite, profiles, conditional variances: each
 * re-evaluates the model at some θ). Keeping every model's instance alive would pin one instance per
 * model and leave the pool (instance-pool.ts) empty; instead the few most recently used small engines
 * stay live, and an older one gives its instance back and is rebuilt from the model's data (one setup
 * pass, the same numbers) the next time it is asked for. Engines the pool does not take (large, sparse
 * or glm ones, whose setup is costly to repeat) stay with their lease until the model is collected.
 */
import type { MixedEngine } from './mixed-engine.js';

/** Small engines kept live at once. */
const LIVE = 3;

/** Leases whose engine is live and reusable, least recently used first. */
const live: EngineLease[] = [];

/** A model's claim on an engine: the live one, or one rebuilt on demand. */
export class EngineLease {
  #engine: MixedEngine | null;
  readonly #build: () => MixedEngine;

  /** `engine`: the fit's engine (its state is the model's); `build` makes an equivalent one. */
  constructor(engine: MixedEngine, build: () => MixedEngine) {
    this.#engine = engine;
    this.#build = build;
    this.#touch(engine);
  }

  /**
   * The engine, rebuilt if it was given back. Take it afresh for each operation and do not keep it: using
   * another lease may give this engine's instance to another model.
   */
  get engine(): MixedEngine {
    const e = this.#engine ?? (this.#engine = this.#build());
    this.#touch(e);
    return e;
  }

  /** Marks this lease most recently used; gives back the instance of the least recently used beyond LIVE. */
  #touch(engine: MixedEngine): void {
    if (!engine.reusable) return;
    const at = live.indexOf(this);
    if (at === live.length - 1 && at >= 0) return;
    if (at >= 0) live.splice(at, 1);
    live.push(this);
    while (live.length > LIVE) live.shift()!.#evict();
  }

  #evict(): void {
    this.#engine?.release();
    this.#engine = null;
  }
}
