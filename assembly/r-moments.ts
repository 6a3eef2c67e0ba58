// lme4's starting θ: var(y), var(ave(y, g)) and their sum rounded as R computes them, in x87 long double
// (each long double carried as a double-double pair rounded to a 64-bit significand after every operation).
// test/helpers/r-moments.ts is the same arithmetic in TypeScript, the reference the tests hold to R's bits;
// this is the only copy the library runs.

import { getF, getI, setF } from './memory';

let H: f64 = 0.0;
let L: f64 = 0.0;

/** 2^e as a double, for normal exponents. */
// @ts-ignore: decorator
@inline function powerOfTwo(e: i32): f64 {
  return reinterpret<f64>(<u64>(e + 1023) << 52);
}

/** H + L ← the exact value a + b rounded to a long double (64-bit significand, ties to even). */
function round64(a: f64, b: f64): void {
  const hi = a + b;
  const bb = hi - a;
  const lo = a - (hi - bb) + (b - bb);
  if (lo == 0.0 || !isFinite<f64>(hi)) {
    H = hi;
    L = 0.0;
    return;
  }
  const bits = reinterpret<u64>(hi);
  let E = <i32>((bits >> 52) & 0x7ff) - 1023;
  if (lo < 0.0 != hi < 0.0 && (bits & 0xfffffffffffff) == 0) E -= 1;
  if (E > -960) {
    // lo rounded to a multiple of the 64th significant bit's unit 2^(E−63), ties to even, by the hardware:
    // adding 1.5·2^52 units leaves no bits below the unit (|lo| is far below 2^51 units), so the double
    // addition rounds lo exactly as the division, floor and tie test below do, and the subtraction is exact
    const magic = 1.5 * powerOfTwo(E - 11);
    const lo64 = lo + magic - magic;
    H = hi + lo64;
    L = lo64 - (H - hi);
    return;
  }
  // lo in units of the 64th significant bit: 2^(E−63), built from two normal powers where it is subnormal
  const unit = powerOfTwo(E - 63 + 600) * powerOfTwo(-600);
  const t = lo / unit;
  let r = Math.floor(t);
  const frac = t - r;
  if (frac > 0.5 || (frac == 0.5 && r % 2.0 != 0.0)) r += 1.0;
  const lo64 = r * unit;
  H = hi + lo64;
  L = lo64 - (H - hi);
}

/** H + L ← long double (ah + al) + (bh + bl). */
function add(ah: f64, al: f64, bh: f64, bl: f64): void {
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
function productError(a: f64, b: f64, p: f64): f64 {
  const ca = 134217729.0 * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729.0 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** H + L ← long double (ah + al) · (bh + bl). */
function multiply(ah: f64, al: f64, bh: f64, bl: f64): void {
  const p = ah * bh;
  round64(p, productError(ah, bh, p) + ah * bl + al * bh);
}

/** H + L ← long double (ah + al) / n. */
function divide(ah: f64, al: f64, n: f64): void {
  const q1 = ah / n;
  const p = q1 * n;
  round64(q1, (ah - p - productError(q1, n, p) + al) / n);
}

/** Largest |x/g| the integer path takes (2^62: the count stays within an i64). */
const UNITS_MAX: f64 = 4611686018427387904.0;
/**
 * Largest distance of x/g from its nearest integer the integer path takes: 2^-30 units short of a midpoint,
 * far more than add's double-double error (below 2^-38 units while the sum keeps its binade), so `add`
 * rounds such a step to the same integer.
 */
const MIDPOINT_MARGIN: f64 = 0.5 - 1.0 / 1073741824.0;

/**
 * H + L ← the long double sum of x[c_k] = xh[c_k] + xl[c_k] over k < n, each partial sum rounded as `add`
 * rounds it (c_k = codes[k], or k when codes is 0; xl 0: no low parts). While the sum A keeps its binade it is
 * held as a count of its 64th bit's unit g, |A| = (2^63 + S)·g, and a step adds x/g rounded to an integer to S:
 * one integer addition on the chain of dependent steps instead of two double-double sums and a rounding.
 * Every other step (leaving the binade, near a midpoint, zero or extreme sums) goes through `add`.
 */
function chainSum(xh: usize, xl: usize, codes: usize, n: i32): void {
  let sh = 0.0;
  let sl = 0.0;
  let S: i64 = 0;
  let integer = false;
  let scale = 0.0; // sign(A)·g
  let inv = 0.0; // sign(A)/g
  for (let k = 0; k < n; k++) {
    const c = codes != 0 ? getI(codes, k) : k;
    const h = getF(xh, c);
    const l = xl != 0 ? getF(xl, c) : 0.0;
    if (integer) {
      const a = h * inv;
      if (abs<f64>(a) < UNITS_MAX) {
        // x/g = a + l/g: a's nearest integer, then that of the rest (l/g may exceed a unit), exact but for
        // the last sum's rounding, far below the margin
        const r = nearest<f64>(a);
        const rest = a - r + l * inv;
        const rr = nearest<f64>(rest);
        const next = S + <i64>r + <i64>rr;
        if (abs<f64>(rest - rr) < MIDPOINT_MARGIN && next > 0) {
          S = next;
          continue;
        }
      }
      unitsToPair(S, scale);
      sh = H;
      sl = L;
      integer = false;
    }
    add(sh, sl, h, l);
    sh = H;
    sl = L;
    // the count of A's unit, when A is a normal number whose unit and its inverse are too
    const bits = reinterpret<u64>(sh);
    let E = <i32>((bits >> 52) & 0x7ff) - 1023;
    if (sl != 0.0 && sl < 0.0 != sh < 0.0 && (bits & 0xfffffffffffff) == 0) E -= 1;
    if (E >= -900 && E <= 900) {
      const sign = sh < 0.0 ? -1.0 : 1.0;
      scale = sign * powerOfTwo(E - 63);
      inv = sign * powerOfTwo(63 - E);
      // |sh|/g is a multiple of 2^11 in [2^63, 2^64]; the sums wrap modulo 2^64 to S in [0, 2^63)
      S = (<i64>(sh * inv * (1.0 / 2048.0)) << 11) + <i64>0x8000000000000000 + <i64>(sl * inv);
      integer = true;
    }
  }
  if (integer) unitsToPair(S, scale);
  else {
    H = sh;
    L = sl;
  }
}

/** H + L ← (2^63 + S)·scale as a normalized pair (the 64-bit count split exactly into its top 53 bits and the rest). */
function unitsToPair(S: i64, scale: f64): void {
  const u = <u64>S + 0x8000000000000000;
  const top = <f64>(u >> 11) * 2048.0;
  const rest = <f64>(u & 2047);
  const hi = top + rest;
  H = hi * scale;
  L = (top - hi + rest) * scale;
}

/**
 * R's var(x) for x[k] = values[codes[k]] (codes 0: x = values, nlev = n), n rows, nlev values. scratch: 4·nlev
 * doubles. Each distinct value's deviation and square are rounded once (the same operations as per row).
 */
function varOfLevels(values: usize, codes: usize, n: i32, nlev: i32, scratch: usize): f64 {
  chainSum(values, 0, codes, n);
  const sh = H;
  const sl = L;
  let m = sh;
  const dh = scratch;
  const dl = scratch + ((<usize>nlev) << 3);
  const qh = dl + ((<usize>nlev) << 3);
  const ql = qh + ((<usize>nlev) << 3);
  if (isFinite<f64>(sh)) {
    divide(sh, sl, <f64>n);
    const mh = H;
    const ml = L;
    for (let c = 0; c < nlev; c++) {
      add(getF(values, c), 0.0, -mh, -ml);
      setF(dh, c, H);
      setF(dl, c, L);
    }
    chainSum(dh, dl, codes, n);
    divide(H, L, <f64>n);
    add(mh, ml, H, L);
    m = H + L;
  }
  for (let c = 0; c < nlev; c++) {
    round64(getF(values, c), -m);
    multiply(H, L, H, L);
    setF(qh, c, H);
    setF(ql, c, L);
  }
  chainSum(qh, ql, codes, n);
  divide(H, L, <f64>(n - 1));
  return H + L;
}

/**
 * R's mean of y over each level's rows (ave(y, g) per level), into means (nlev doubles): each level's
 * rows are summed in their order, as R's mean of y[g == level], one level at a time (its rows listed by a
 * stable counting sort, so that each level's sums run as one chain). scratch: 24·n + 4·(nlev + 1) bytes,
 * counts nlev i32.
 */
function levelMeans(y: usize, codes: usize, n: i32, nlev: i32, means: usize, scratch: usize, counts: usize): void {
  const dh = scratch;
  const dl = dh + ((<usize>n) << 3);
  const perm = dl + ((<usize>n) << 3);
  const start = perm + ((<usize>n) << 2);
  memory.fill(counts, 0, (<usize>nlev) << 2);
  for (let k = 0; k < n; k++) {
    const c = getI(codes, k);
    store<i32>(counts + ((<usize>c) << 2), getI(counts, c) + 1);
  }
  let at = 0;
  for (let c = 0; c < nlev; c++) {
    store<i32>(start + ((<usize>c) << 2), at);
    at += getI(counts, c);
  }
  store<i32>(start + ((<usize>nlev) << 2), at);
  // counts become each level's next free place
  for (let c = 0; c < nlev; c++) store<i32>(counts + ((<usize>c) << 2), getI(start, c));
  for (let k = 0; k < n; k++) {
    const slot = counts + ((<usize>getI(codes, k)) << 2);
    const to = load<i32>(slot);
    store<i32>(perm + ((<usize>to) << 2), k);
    store<i32>(slot, to + 1);
  }
  for (let c = 0; c < nlev; c++) {
    const first = getI(start, c);
    const count = getI(start, c + 1) - first;
    const rows = perm + ((<usize>first) << 2);
    chainSum(y, 0, rows, count);
    const h = H;
    if (!isFinite<f64>(h)) {
      setF(means, c, h);
      continue;
    }
    // the long double mean before the correction pass, then the level's deviations from it
    divide(h, L, <f64>count);
    const mh = H;
    const ml = L;
    for (let k = 0; k < count; k++) {
      add(getF(y, getI(rows, k)), 0.0, -mh, -ml);
      setF(dh, k, H);
      setF(dl, k, L);
    }
    chainSum(dh, dl, 0, count);
    divide(H, L, <f64>count);
    add(mh, ml, H, L);
    setF(means, c, H + L);
  }
}

/**
 * out[0] = var(y), out[1 + g] = var(ave(y, grouping g)) for k groupings (codes: k pointers to n level
 * codes, nlevs: their numbers of levels), out[1 + k] = sum(out[1 .. k]) as R's sum (long double). y's nY
 * distinct values yValues and each row's code among them yCodes (or yValues = y, yCodes 0, nY = n).
 * scratch: 4·max(n, nlev) doubles, means max(nlev) doubles, counts max(nlev) i32.
 */
export function startVariances(
  y: usize, n: i32, yValues: usize, yCodes: usize, nY: i32, k: i32, codes: usize, nlevs: usize, out: usize, scratch: usize,
  means: usize, counts: usize,
): void {
  setF(out, 0, varOfLevels(yValues, yCodes, n, nY, scratch));
  for (let g = 0; g < k; g++) {
    const cg = <usize>getI(codes, g);
    const nlev = getI(nlevs, g);
    levelMeans(y, cg, n, nlev, means, scratch, counts);
    setF(out, 1 + g, varOfLevels(means, cg, n, nlev, scratch));
  }
  let sh = 0.0;
  let sl = 0.0;
  for (let g = 0; g < k; g++) {
    add(sh, sl, getF(out, 1 + g), 0.0);
    sh = H;
    sl = L;
  }
  setF(out, 1 + k, sh + sl);
}
