/**
 * sum, mean and var rounded as R computes them. R accumulates in x87 80-bit long double (64-bit
 * significand): summary.c's sum and mean (a sum, a division, then a correction pass), cov.c's var
 * (the mean rounded to double, then (x − x̄)² and their sum in long double). We carry each long double exactly as a
 * double-double pair rounded to 64 bits after every operation, so the results are R's to the last bit.
 * Why it matters: lme4's starting θ is built from such variances, and on a flat likelihood a start
 * that differs in the 16th digit sends BOBYQA down a different path (InstEval by REML: 72 evaluations
 * from our plain double start, 68 like lme4 from R's).
 */

/** A long double value hi + lo (|lo| ≤ ulp(hi)/2, at most 64 significant bits). */
type LongDouble = [hi: number, lo: number];

const scratch = new DataView(new ArrayBuffer(8));

/** Exponent E with 2^E ≤ |x| < 2^(E+1), for finite nonzero x (normal range). */
function exponentOf(x: number): number {
  scratch.setFloat64(0, x);
  return ((scratch.getUint16(0) >> 4) & 0x7ff) - 1023;
}

/** Rounds the exact value a + b to a long double (64-bit significand, ties to even). */
function round64(a: number, b: number): LongDouble {
  const [hi, lo] = twoSum(a, b);
  if (lo === 0 || !Number.isFinite(hi)) return [hi, 0];
  let E = exponentOf(hi);
  // hi a power of two with lo pulling the other way: the value lies in the binade below
  if (Math.sign(lo) !== Math.sign(hi) && Math.abs(hi) === 2 ** E) E -= 1;
  const q = 2 ** (E - 63);
  const t = lo / q;
  let r = Math.floor(t);
  const frac = t - r;
  if (frac > 0.5 || (frac === 0.5 && r % 2 !== 0)) r += 1;
  const lo64 = r * q;
  const s = hi + lo64;
  return [s, lo64 - (s - hi)];
}

/** Exact TwoSum: [s, e] with s + e = a + b. */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** Long double a + b. */
function add(a: LongDouble, b: number | LongDouble): LongDouble {
  const [bh, bl] = typeof b === 'number' ? [b, 0] : b;
  const [s, e] = twoSum(a[0], bh);
  const [t, f] = twoSum(a[1], bl);
  const [u, g] = twoSum(s, e + t);
  return round64(u, g + f);
}

/** Dekker's exact product: [p, e] with p + e = a·b. */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const split = (v: number): [number, number] => {
    const c = 134217729 * v; // 2^27 + 1
    const h = c - (c - v);
    return [h, v - h];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** Long double a · b (the exact product to ~106 bits, then rounded). */
function multiply(a: LongDouble, b: LongDouble): LongDouble {
  const [p, e] = twoProduct(a[0], b[0]);
  return round64(p, e + a[0] * b[1] + a[1] * b[0]);
}

/** Long double a / n. */
function divide(a: LongDouble, n: number): LongDouble {
  const q1 = a[0] / n;
  const [p, e] = twoProduct(q1, n);
  const q2 = (a[0] - p - e + a[1]) / n;
  return round64(q1, q2);
}

/** (double) of a long double: hi + lo rounded once to 53 bits. */
function toDouble(a: LongDouble): number {
  return a[0] + a[1];
}

/** R's sum(x) for doubles. */
export function sumR(x: ArrayLike<number>): number {
  let s: LongDouble = [0, 0];
  for (let k = 0; k < x.length; k++) s = add(s, x[k]);
  return toDouble(s);
}

/** R's mean of x (of x[indices] when given). */
export function meanR(x: ArrayLike<number>, indices?: ArrayLike<number>): number {
  const n = indices ? indices.length : x.length;
  const at = (k: number): number => (indices ? x[indices[k]] : x[k]);
  let s: LongDouble = [0, 0];
  for (let k = 0; k < n; k++) s = add(s, at(k));
  if (!Number.isFinite(s[0])) return s[0];
  s = divide(s, n);
  let t: LongDouble = [0, 0];
  for (let k = 0; k < n; k++) t = add(t, add([at(k), 0], [-s[0], -s[1]]));
  return toDouble(add(s, divide(t, n)));
}

/** R's var(x) (divisor n − 1): the mean stored as a double, then deviations and squares in long double. */
export function varR(x: ArrayLike<number>): number {
  const m = meanR(x);
  let s: LongDouble = [0, 0];
  for (let k = 0; k < x.length; k++) {
    const d = round64(x[k], -m);
    s = add(s, multiply(d, d));
  }
  return toDouble(divide(s, x.length - 1));
}
