// Raw memory for the TypeScript boundary (src/wasm/). Each engine instance hosts one model, so a bump
// allocator is all we need: buffers live as long as the instance (or until resetHeap).

// largest extra growth beyond what an allocation needs, in 64 KiB pages (64 MiB)
const GROW_STEP_MAX: i32 = 1024;
const heapStart: usize = (max<usize>(__heap_base, 16) + 15) & ~(<usize>15);
let heapTop: usize = heapStart;
// memory above this was never handed out: still the zeros memory.grow gave it
let dirtyTop: usize = heapStart;

/** Allocates `bytes` zeroed bytes, 16-byte aligned (so f64x2 loads of even offsets are aligned). */
export function alloc(bytes: usize): usize {
  const ptr = heapTop;
  const end = (ptr + bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    // geometric steps (half the current size, at most GROW_STEP_MAX) so a model's many buffers grow the
    // memory a few times, not once each; pages grown but not yet used cost address space only
    const step = min<i32>(max<i32>(pages, memory.size() >> 1), max<i32>(pages, GROW_STEP_MAX));
    if (memory.grow(step) < 0 && memory.grow(pages) < 0) abort(); // the host turns this into a clear out-of-memory error
  }
  // only what an earlier allocation (before a resetHeap) may have written needs zeroing; touching fresh
  // pages here would fault them in even where the caller never writes
  if (ptr < dirtyTop) memory.fill(ptr, 0, (end < dirtyTop ? end : dirtyTop) - ptr);
  if (end > dirtyTop) dirtyTop = end;
  heapTop = end;
  return ptr;
}

/** Frees every allocation at once (the instance is then reused for new work). */
export function resetHeap(): void {
  heapTop = heapStart;
}

// Small helpers for the kernels: element addresses in f64 / i32 arrays.

// @ts-ignore: decorator
@inline export function f64At(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

// @ts-ignore: decorator
@inline export function i32At(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

// @ts-ignore: decorator
@inline export function getF(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function setF(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

// @ts-ignore: decorator
@inline export function getI(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline export function setI(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
