/**
 * The tests' reference for assembly/r-moments.ts (the library's copy, which runs in the engine): sum, mean and
 * var rounded as R computes them. R accumulates in x87 80-bit long double (64-bit
 * significand): summary.c's sum and mean (a sum, a division, then a correction pass), cov.c's var
 * (the mean rounded to double, then (x − x̄)² and their sum in long double). We carry each long double
 * exactly as a double-double pair rounded to 64 bits after every operation, so the results are R's to
 * the last bit. Why it matters: lme4's starting θ is built from such variances, and on a flat likelihood
 * a start that differs in the 16th digit sends BOBYQA down a different path (InstEval by REML: 72
 * evaluations from a plain double start, 68 like lme4 from R's).
 *
 * The arithmetic writes its result into `H`/`L` (the high and low parts of the last long double
 * computed) instead of returning pairs, so the hot loops allocate nothing.
 */

let H = 0;
let L = 0;

// one double seen as its two 32-bit words (little-endian: the sign, exponent and top of the
// significand are in word 1), to read exponents and build powers of two without Math.pow
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** 2^e as a double, for normal exponents. */
function powerOfTwo(e: number): number {
  u32[0] = 0;
  u32[1] = (e + 1023) << 20;
  return f64[0];
}

/** H + L ← the exact value a + b rounded to a long double (64-bit significand, ties to even). */
function round64(a: number, b: number): void {
  // TwoSum: hi + lo = a + b exactly
  const hi = a + b;
  const bb = hi - a;
  const lo = a - (hi - bb) + (b - bb);
  if (lo === 0 || !Number.isFinite(hi)) {
    H = hi;
    L = 0;
    return;
  }
  f64[0] = hi;
  let E = ((u32[1] >>> 20) & 0x7ff) - 1023; // 2^E ≤ |hi| < 2^(E+1)
  // hi a power of two with lo pulling the other way: the value lies in the binade below
  if (lo < 0 !== hi < 0 && (u32[1] & 0xfffff) === 0 && u32[0] === 0) E -= 1;
  // lo in units of the 64th significant bit (exact scaling; Math.pow where 2^(E−63) is subnormal)
  const unit = E > -960 ? powerOfTwo(E - 63) : 2 ** (E - 63);
  const t = lo / unit;
  let r = Math.floor(t);
  const frac = t - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 !== 0)) r += 1;
  const lo64 = r * unit;
  H = hi + lo64;
  L = lo64 - (H - hi);
}

/** H + L ← long double (ah + al) + (bh + bl). */
function add(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v);
  const t = al + bl;
  const w = t - al;
  const f = al - (t - w) + (bl - w);
  const u = s + (e + t);
  const g = e + t - (u - s);
  round64(u, g + f);
}

/** The rounding error a·b − p of the double product p = a·b, exactly (Dekker, with Veltkamp splits). */
function productError(a: number, b: number, p: number): number {
  const ca = 134217729 * a; // 2^27 + 1
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** H + L ← long double (ah + al) · (bh + bl): the product to ~106 bits, then rounded. */
function multiply(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  round64(p, productError(ah, bh, p) + ah * bl + al * bh);
}

/** H + L ← long double (ah + al) / n. */
function divide(ah: number, al: number, n: number): void {
  const q1 = ah / n;
  const p = q1 * n;
  round64(q1, (ah - p - productError(q1, n, p) + al) / n);
}

/** R's sum(x) for doubles. */
export function sumR(x: ArrayLike<number>): number {
  let sh = 0;
  let sl = 0;
  for (let k = 0; k < x.length; k++) {
    add(sh, sl, x[k], 0);
    sh = H;
    sl = L;
  }
  return sh + sl;
}

/** R's mean of x (of x[indices] when given). */
export function meanR(x: ArrayLike<number>, indices?: ArrayLike<number>): number {
  const n = indices ? indices.length : x.length;
  let sh = 0;
  let sl = 0;
  for (let k = 0; k < n; k++) {
    add(sh, sl, indices ? x[indices[k]] : x[k], 0);
    sh = H;
    sl = L;
  }
  if (!Number.isFinite(sh)) return sh;
  divide(sh, sl, n);
  const mh = H;
  const ml = L;
  let th = 0;
  let tl = 0;
  for (let k = 0; k < n; k++) {
    add(indices ? x[indices[k]] : x[k], 0, -mh, -ml);
    add(th, tl, H, L);
    th = H;
    tl = L;
  }
  divide(th, tl, n);
  add(mh, ml, H, L);
  return H + L;
}

/** R's var(x) (divisor n − 1). */
export function varR(x: ArrayLike<number>): number {
  const m = meanR(x);
  let sh = 0;
  let sl = 0;
  for (let k = 0; k < x.length; k++) {
    round64(x[k], -m);
    multiply(H, L, H, L);
    add(sh, sl, H, L);
    sh = H;
    sl = L;
  }
  divide(sh, sl, x.length - 1);
  return H + L;
}
