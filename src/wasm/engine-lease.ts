/**
 * A fitted model's engine, kept for inference (Satterthwaite, profiles, conditional variances: each
 * re-evaluates the model at some θ). Keeping every model's instance alive would pin one instance per
 * model and leave the pool (instance-pool.ts) empty; instead the few most recently used small engines
 * stay live, and an older one gives its instance back and is rebuilt from the model's data (one setup
 * pass, the same numbers) the next time it is asked for. Engines costly to set up again (large or sparse
 * ones) stay with their lease until the model is collected; their instance then goes back to the pool.
 */
import type { MixedEngine } from './mixed-engine.js';

/** Small engines kept live at once. */
const LIVE = 3;

/** Leases whose engine is live and reusable, least recently used first. */
const live: EngineLease[] = [];

/** The engine a lease holds now (shared with `collected`, which must not reach the lease itself). */
interface Holding {
  engine: MixedEngine | null;
}

/**
 * When a model (and with it its lease) is collected, its engine's instance goes back to the pool: nothing
 * else reaches that engine, and a released engine refuses every use rather than compute on another
 * model's memory.
 */
const collected =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Holding>((held) => held.engine?.release()) : null;

/** A model's claim on an engine: the live one, or one rebuilt on demand. */
export class EngineLease {
  readonly #held: Holding;
  readonly #build: () => MixedEngine;

  /** `engine`: the fit's engine (its state is the model's); `build` makes an equivalent one. */
  constructor(engine: MixedEngine, build: () => MixedEngine) {
    this.#held = { engine };
    this.#build = build;
    collected?.register(this, this.#held);
    this.#touch(engine);
  }

  /**
   * The engine, rebuilt if it was given back. Take it afresh for each operation and do not keep it: using
   * another lease may give this engine's instance to another model.
   */
  get engine(): MixedEngine {
    const e = this.#held.engine ?? (this.#held.engine = this.#build());
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
    this.#held.engine?.release();
    this.#held.engine = null;
  }
}
