// Raw memory for the TypeScript boundary (src/wasm/). Each engine instance hosts one model, so a bump
// allocator is all we need: buffers live as long as the instance (or until resetHeap).

const heapStart: usize = (max<usize>(__heap_base, 16) + 15) & ~(<usize>15);
let heapTop: usize = heapStart;

/** Allocates `bytes` zeroed bytes, 16-byte aligned (so f64x2 loads of even offsets are aligned). */
export function alloc(bytes: usize): usize {
  const ptr = heapTop;
  const end = (ptr + bytes + 15) & ~(<usize>15);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) abort(); // the host turns this into a clear out-of-memory error
  }
  // grown pages arrive zeroed: filling them would only fault them in before their first use (or at all)
  if (ptr < have) memory.fill(ptr, 0, min<usize>(end, have) - ptr);
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
