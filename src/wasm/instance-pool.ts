/**
 * Engine instances for reuse. Instantiating the engine is a large share of a small fit (the module is
 * compiled once, but each instance still builds its memory and exports), so engines hand their instance
 * back here when they are done and the next engine takes it, allocator reset. An instance's memory never
 * shrinks, so only a few small instances are kept idle; larger ones are left to the garbage collector.
 */
import { WasmInstance } from './instance.js';

/** Idle instances kept at most. */
const MAX_IDLE = 4;

/** Largest linear memory an idle instance may hold (bytes): what the pool can pin stays small. */
export const MAX_POOLED_BYTES = 16 * 2 ** 20;

const idle: WasmInstance[] = [];

/** An instance ready for a new model: an idle one (reset) when there is one, else a new one. */
export function acquireInstance(): WasmInstance {
  const w = idle.pop();
  if (w === undefined) return new WasmInstance();
  w.reset();
  return w;
}

/**
 * Returns an instance nobody uses any more. The caller must not touch it afterwards, and must only
 * return instances whose last model left no module state that a later model's setup would not set again
 * (mixed-engine.ts: dense, non-glm models).
 */
export function releaseInstance(w: WasmInstance): void {
  if (idle.length < MAX_IDLE && w.memoryBytes <= MAX_POOLED_BYTES && !idle.includes(w)) idle.push(w);
}

/** Number of idle instances (for tests and the memory bench). */
export function idleInstances(): number {
  return idle.length;
}
