/**
 * Engine instances for reuse. A new instance costs more than its instantiation: every page of its fresh
 * linear memory faults in on first touch, a large share of a small or mid-sized fit (glmer's engines, the
 * sparse setup's). So engines of every kind hand their instance back here when they are done (or when
 * their fit fails), and the next engine takes it with its memory already touched, allocator reset (the
 * allocator zeroes what it hands out again, so results are the same bit for bit). An instance's memory never
 * shrinks, so what the pool keeps idle is bounded in count and in bytes; larger ones are left to the
 * garbage collector.
 */
import { compiledModule, WasmInstance, type EngineKind } from './instance.js';

/** Idle instances kept at most. */
const MAX_IDLE = 4;

/** Largest linear memory an idle instance may hold (bytes). */
export const MAX_POOLED_BYTES = 64 * 2 ** 20;

/** Largest linear memory all idle instances may hold together (bytes): what the pool can pin stays bounded. */
const MAX_IDLE_BYTES = 96 * 2 ** 20;

/** Idle instances, least recently released first. */
const idle: WasmInstance[] = [];

/**
 * An instance ready for a new model: an idle one (reset) when there is one, else a new one. `bytes` (what
 * the model will allocate, if known) picks the smallest idle instance that holds it already, else the
 * largest, and grows its memory to that size in one step. `kind`: the engine the model needs
 * (instance.ts's `compiledModule`); only instances of that very module are reused, so a page holding both
 * engines keeps each one's instances apart.
 */
export function acquireInstance(bytes = 0, kind: EngineKind = 'lmer'): WasmInstance {
  const module = compiledModule(kind);
  let pick = -1;
  for (let i = 0; i < idle.length; i++) {
    if (idle[i].module !== module) continue;
    if (pick < 0) {
      pick = i;
      continue;
    }
    const a = idle[i].memoryBytes;
    const b = idle[pick].memoryBytes;
    const fitsA = a >= bytes;
    const fitsB = b >= bytes;
    if (fitsA !== fitsB ? fitsA : fitsA ? a < b : a > b) pick = i;
  }
  const w = pick < 0 ? new WasmInstance(module) : idle.splice(pick, 1)[0];
  if (pick >= 0) w.reset();
  if (bytes > 0) w.reserve(bytes);
  return w;
}

/**
 * Returns an instance nobody uses any more. The caller must not touch it afterwards. Any instance may
 * come back, whatever model it held and however its work ended: `WasmInstance.reset` and the next model's
 * define* calls set every piece of module state the engine reads.
 */
export function releaseInstance(w: WasmInstance): void {
  if (w.memoryBytes > MAX_POOLED_BYTES || idle.includes(w)) return;
  idle.push(w);
  let total = 0;
  for (const x of idle) total += x.memoryBytes;
  while (idle.length > MAX_IDLE || total > MAX_IDLE_BYTES) total -= idle.shift()!.memoryBytes;
}

/** Number of idle instances (for tests and the memory bench). */
export function idleInstances(): number {
  return idle.length;
}

/** Bytes of linear memory the idle instances hold (for tests and the memory bench). */
export function idleBytes(): number {
  let total = 0;
  for (const x of idle) total += x.memoryBytes;
  return total;
}

/** Bytes of linear memory the largest idle instance holds. */
export function largestIdleBytes(): number {
  let most = 0;
  for (const x of idle) most = Math.max(most, x.memoryBytes);
  return most;
}
