// exp, log, log1p, expm1 and atan as V8 computes Math.exp, Math.log, ... (its base/ieee754.cc: fdlibm's e_exp.c,
// e_log.c, s_log1p.c, s_expm1.c and s_atan.c), in the engine: glmer's PIRLS gets Node's bits, the same in every
// host, without a call out of the engine. The same algorithms as AssemblyScript's small NativeMath.exp/log
// (musl's fdlibm ports), except where those regroup the polynomial or the last sum (Estrin's scheme for exp's,
// other parentheses in log's), which changes the last bit; test/pirls-host-math.test.ts compares the whole PIRLS
// with Node's Math bit for bit.
//
// Algorithms and coefficients from fdlibm 5.3: Copyright (C) 1993 by Sun Microsystems, Inc. All rights
// reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and
// distribute this software is freely granted, provided that this notice is preserved.

import { simdOn } from './dense';

const LN2_HI: f64 = reinterpret<f64>(0x3fe62e42fee00000); // ln 2 to 32 bits (k·LN2_HI is exact for |k| < 2^11)
const LN2_LO: f64 = reinterpret<f64>(0x3dea39ef35793c76); // ln 2 − LN2_HI
const INV_LN2: f64 = reinterpret<f64>(0x3ff71547652b82fe);
// exp's remez polynomial for R(r²) ≈ r·(e^r + 1)/(e^r − 1) − 2 on |r| ≤ ln2/2
const P1: f64 = reinterpret<f64>(0x3fc555555555553e);
const P2: f64 = reinterpret<f64>(0xbf66c16c16bebd93);
const P3: f64 = reinterpret<f64>(0x3f11566aaf25de2c);
const P4: f64 = reinterpret<f64>(0xbebbbd41c5d26bf1);
const P5: f64 = reinterpret<f64>(0x3e66376972bea4d0);
const EXP_OVER: f64 = reinterpret<f64>(0x40862e42fefa39ef); // 709.78…: exp overflows above
const EXP_UNDER: f64 = reinterpret<f64>(0xc0874910d52d3051); // −745.13…: exp underflows to 0 below
const E: f64 = reinterpret<f64>(0x4005bf0a8b145769); // V8 returns the correctly rounded e at x = 1
// log's remez polynomial for R(s) ≈ (log((1 + s)/(1 − s)) − 2s)/s on s² ≤ 0.1716²
const LG1: f64 = reinterpret<f64>(0x3fe5555555555593);
const LG2: f64 = reinterpret<f64>(0x3fd999999997fa04);
const LG3: f64 = reinterpret<f64>(0x3fd2492494229359);
const LG4: f64 = reinterpret<f64>(0x3fcc71c51d8e78af);
const LG5: f64 = reinterpret<f64>(0x3fc7466496cb03de);
const LG6: f64 = reinterpret<f64>(0x3fc39a09d078c69f);
const LG7: f64 = reinterpret<f64>(0x3fc2f112df3e5244);
const TWO54: f64 = reinterpret<f64>(0x4350000000000000);

/** 2^k as a double, for −1022 ≤ k ≤ 1023. */
// @ts-ignore: decorator
@inline function pow2(k: i32): f64 {
  return reinterpret<f64>((<u64>(0x3ff + k)) << 52);
}

// reduceByLn2's parts of r: r = reducedHi − reducedLo (the caller rounds the difference)
let reducedHi = 0.0;
let reducedLo = 0.0;

/**
 * exp's and expm1's argument reduction for |x| > ln2/2 (high word of |x| `hx`): x = k ln2 + (hi − lo), k = ±1
 * below 3 ln2/2, else x/ln2 rounded to the nearest integer (k·LN2_HI exact). Returns k; hi and lo in reducedHi,
 * reducedLo.
 */
// @ts-ignore: decorator
@inline function reduceByLn2(x: f64, hx: u32, negative: bool): i32 {
  if (hx < 0x3ff0a2b2) {
    reducedHi = negative ? x + LN2_HI : x - LN2_HI;
    reducedLo = negative ? -LN2_LO : LN2_LO;
    return negative ? -1 : 1;
  }
  const k = <i32>(INV_LN2 * x + (negative ? -0.5 : 0.5));
  const t = <f64>k;
  reducedHi = x - t * LN2_HI;
  reducedLo = t * LN2_LO;
  return k;
}

/** e^x: x = k ln2 + r, |r| ≤ ln2/2, e^r = 1 + 2r/(R(r²) − r) refined as fdlibm does, scaled by 2^k. */
export function exp(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const negative = <i32>(bits >> 63);
  const hx = <u32>(bits >> 32) & 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>bits) != 0) return x + x; // NaN
      return negative ? 0.0 : x; // ±∞
    }
    if (x > EXP_OVER) return Infinity;
    if (x < EXP_UNDER) return 0.0;
  }
  let hi = 0.0;
  let lo = 0.0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    if (x == 1.0) return E;
    k = reduceByLn2(x, hx, negative != 0);
    hi = reducedHi;
    lo = reducedLo;
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2^−28
    return 1.0 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * pow2(1023);
    return y * pow2(k);
  }
  return y * pow2(k + 1000) * pow2(-1000);
}

/** log x: x = 2^k (1 + f), √2/2 < 1 + f < √2, log(1 + f) = f − s(f − R(s)) with s = f/(2 + f), as fdlibm arranges it. */
export function log(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let hx = <i32>(bits >> 32);
  const lx = <u32>bits;
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^−1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    bits = reinterpret<u64>(x);
    hx = <i32>(bits >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // normalize x or x/2 into [√2/2, √2)
  x = reinterpret<f64>(((<u64>(hx | (i ^ 0x3ff00000))) << 32) | (bits & 0xffffffff));
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2^−20 ≤ f < 2^−20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      const dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    if (k == 0) return f - r;
    const dk = <f64>k;
    return dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + r));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - r);
  return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
}

/** 2^k as a double from its high word alone (the low word 0), for −1022 ≤ k ≤ 1023. */
// @ts-ignore: decorator
@inline function fromHigh(high: u32): f64 {
  return reinterpret<f64>((<u64>high) << 32);
}

/** x with its high word replaced. */
// @ts-ignore: decorator
@inline function withHigh(x: f64, high: u32): f64 {
  return reinterpret<f64>(((<u64>high) << 32) | (reinterpret<u64>(x) & 0xffffffff));
}

/**
 * log(1 + x): 1 + x = 2^k (1 + f) with √2/2 < 1 + f < √2 and, where 1 + x rounds, a correction c/u for what the
 * rounding lost; log(1 + f) by log's polynomial in s = f/(2 + f) summed as fdlibm's s_log1p.c sums it.
 */
export function log1p(x: f64): f64 {
  const hx = <i32>(reinterpret<u64>(x) >> 32);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0.0;
  let c = 0.0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2 (or x negative)
    if (ax >= 0x3ff00000) return x == -1.0 ? -Infinity : NaN; // x ≤ −1
    if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5; // |x| < 2^−29
    if (hx > 0 || hx <= <i32>0xbfd2bec4) {
      // √2/2 ≤ 1 + x < √2: f = x exactly
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k != 0) {
    let u = x;
    if (hx < 0x43400000) {
      // x < 2^53: 1 + x rounds; c is what it lost, relative to u
      u = 1.0 + x;
      hu = <i32>(reinterpret<u64>(u) >> 32);
      k = (hu >> 20) - 1023;
      c = (k > 0 ? 1.0 - (u - x) : x - (u - 1.0)) / u;
    } else {
      hu = hx;
      k = (hu >> 20) - 1023;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHigh(u, <u32>(hu | 0x3ff00000)); // u in [1, √2)
    } else {
      k += 1;
      u = withHigh(u, <u32>(hu | 0x3fe00000)); // u/2 in [√2/2, 1)
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  const dk = <f64>k;
  if (hu == 0) {
    // |f| < 2^−20
    if (f == 0.0) {
      if (k == 0) return 0.0;
      return dk * LN2_HI + (c + dk * LN2_LO);
    }
    const r = hfsq * (1.0 - 0.66666666666666666 * f);
    if (k == 0) return f - r;
    return dk * LN2_HI - ((r - (dk * LN2_LO + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const r = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  if (k == 0) return f - (hfsq - s * (hfsq + r));
  return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + (dk * LN2_LO + c))) - f);
}

// expm1's polynomial for R1(x²/2) ≈ 6/r·((e^r + 1)/(e^r − 1) − 2/r), its coefficients scaled by 2^i
const Q1: f64 = reinterpret<f64>(0xbfa11111111110f4);
const Q2: f64 = reinterpret<f64>(0x3f5a01a019fe5585);
const Q3: f64 = reinterpret<f64>(0xbf14ce199eaadbb7);
const Q4: f64 = reinterpret<f64>(0x3ed0cfca86e65239);
const Q5: f64 = reinterpret<f64>(0xbe8afdb76e09c32d);

/** e^x − 1: x = k ln2 + r (+ c, what rounding r lost), expm1(r) from R1, scaled back as fdlibm's s_expm1.c. */
export function expm1(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const negative = (bits >> 63) != 0;
  const hx = <u32>(bits >> 32) & 0x7fffffff;
  if (hx >= 0x4043687a) {
    // |x| ≥ 56 ln2
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | <u32>bits) != 0) return x + x; // NaN
        return negative ? -1.0 : x; // ±∞
      }
      if (x > EXP_OVER) return Infinity;
    }
    if (negative) return -1.0;
  }
  let k = 0;
  let c = 0.0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    k = reduceByLn2(x, hx, negative);
    const hi = reducedHi;
    const lo = reducedLo;
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    return x; // |x| < 2^−54
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1.0 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3.0 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k == 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5 * (x - e) - 0.5;
  if (k == 1) {
    if (x < -0.25) return -2.0 * (e - (x + 0.5));
    return 1.0 + 2.0 * (x - e);
  }
  if (k <= -2 || k > 56) {
    const y = 1.0 - (e - x);
    if (k == 1024) return y * 2.0 * pow2(1023) - 1.0;
    return y * fromHigh(<u32>(0x3ff00000 + (k << 20))) - 1.0;
  }
  const twopk = fromHigh(<u32>(0x3ff00000 + (k << 20)));
  if (k < 20) {
    const t1 = fromHigh(<u32>(0x3ff00000 - (0x200000 >> k))); // 1 − 2^−k
    return (t1 - (e - x)) * twopk;
  }
  const t2 = fromHigh(<u32>((0x3ff - k) << 20)); // 2^−k
  let y = x - (e + t2);
  y += 1.0;
  return y * twopk;
}

// atan(0.5), atan(1), atan(1.5) and π/2, each as a leading part and the rest
const ATAN_HI_0: f64 = reinterpret<f64>(0x3fddac670561bb4f);
const ATAN_HI_1: f64 = reinterpret<f64>(0x3fe921fb54442d18);
const ATAN_HI_2: f64 = reinterpret<f64>(0x3fef730bd281f69b);
const ATAN_HI_3: f64 = reinterpret<f64>(0x3ff921fb54442d18);
const ATAN_LO_0: f64 = reinterpret<f64>(0x3c7a2b7f222f65e2);
const ATAN_LO_1: f64 = reinterpret<f64>(0x3c81a62633145c07);
const ATAN_LO_2: f64 = reinterpret<f64>(0x3c7007887af0cbbd);
const ATAN_LO_3: f64 = reinterpret<f64>(0x3c91a62633145c07);
// atan's polynomial: atan(t) ≈ t − t·Σ AT_i t^(2i+2) on |t| ≤ 7/16
const AT0: f64 = reinterpret<f64>(0x3fd555555555550d);
const AT1: f64 = reinterpret<f64>(0xbfc999999998ebc4);
const AT2: f64 = reinterpret<f64>(0x3fc24924920083ff);
const AT3: f64 = reinterpret<f64>(0xbfbc71c6fe231671);
const AT4: f64 = reinterpret<f64>(0x3fb745cdc54c206e);
const AT5: f64 = reinterpret<f64>(0xbfb3b0f2af749a6d);
const AT6: f64 = reinterpret<f64>(0x3fb10d66a0d03d51);
const AT7: f64 = reinterpret<f64>(0xbfadde2d52defd9a);
const AT8: f64 = reinterpret<f64>(0x3fa97b4b24760deb);
const AT9: f64 = reinterpret<f64>(0xbfa2b4442c6a6c2f);
const AT10: f64 = reinterpret<f64>(0x3f90ad3ae322da11);

/**
 * atan x: |x| reduced to |t| ≤ 7/16 around 0, 1/2, 1, 3/2 or ∞ (atan x = atan c + atan((x − c)/(1 + cx))), the
 * polynomial split into odd and even parts as fdlibm's s_atan.c splits it.
 */
export function atan(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const hx = <i32>(bits >> 32);
  const ix = hx & 0x7fffffff;
  if (ix >= 0x44100000) {
    // |x| ≥ 2^66
    if (ix > 0x7ff00000 || (ix == 0x7ff00000 && <u32>bits != 0)) return x + x; // NaN
    return hx > 0 ? ATAN_HI_3 + ATAN_LO_3 : -ATAN_HI_3 - ATAN_LO_3;
  }
  let id = -1;
  if (ix < 0x3fdc0000) {
    // |x| < 7/16
    if (ix < 0x3e400000) return x; // |x| < 2^−27
  } else {
    x = Math.abs(x);
    if (ix < 0x3ff30000) {
      if (ix < 0x3fe60000) {
        id = 0; // 7/16 ≤ |x| < 11/16
        x = (2.0 * x - 1.0) / (2.0 + x);
      } else {
        id = 1; // 11/16 ≤ |x| < 19/16
        x = (x - 1.0) / (x + 1.0);
      }
    } else if (ix < 0x40038000) {
      id = 2; // 19/16 ≤ |x| < 39/16
      x = (x - 1.5) / (1.0 + 1.5 * x);
    } else {
      id = 3; // 39/16 ≤ |x| < 2^66
      x = -1.0 / x;
    }
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
  const s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
  if (id < 0) return x - x * (s1 + s2);
  let hi = ATAN_HI_3;
  let lo = ATAN_LO_3;
  if (id == 0) {
    hi = ATAN_HI_0;
    lo = ATAN_LO_0;
  } else if (id == 1) {
    hi = ATAN_HI_1;
    lo = ATAN_LO_1;
  } else if (id == 2) {
    hi = ATAN_HI_2;
    lo = ATAN_LO_2;
  }
  const v = hi - ((x * (s1 + s2) - lo) - x);
  return hx < 0 ? -v : v;
}

// Two arguments at once, one per f64x2 lane: the same operations as exp and log above on each lane (wasm's f64x2
// arithmetic rounds as its f64 arithmetic does), so the same bits, at about half the cost per value. A pair with
// an argument off the common path (exp: |x| < 2^−28, |x| ≥ 708, x = 1; log: x not a positive normal number or
// within 2^−20 of 1) is passed to the scalar functions lane by lane.

const EXP_TINY: f64 = reinterpret<f64>(0x3e30000000000000); // |x| < 2^−28: e^x rounds to 1 + x
const EXP_HALF_LN2: f64 = reinterpret<f64>(0x3fd62e4300000000); // from here on x is reduced by k ln2
const EXP_ONE_AND_HALF_LN2: f64 = reinterpret<f64>(0x3ff0a2b200000000); // below it, k = ±1
const EXP_FAST_LIMIT: f64 = 708.0; // below it in magnitude, −1021 ≤ k ≤ 1021: 2^k is a normal number
const MIN_NORMAL: f64 = reinterpret<f64>(0x0010000000000000);

/** e^x for the two lanes of `x`. */
export function exp2x(x: v128): v128 {
  const ax = f64x2.abs(x);
  const fast = v128.and(
    v128.and(f64x2.ge(ax, f64x2.splat(EXP_TINY)), f64x2.lt(ax, f64x2.splat(EXP_FAST_LIMIT))),
    f64x2.ne(x, f64x2.splat(1.0)),
  );
  if (!i64x2.all_true(fast)) {
    return f64x2.replace_lane(f64x2.splat(exp(f64x2.extract_lane(x, 0))), 1, exp(f64x2.extract_lane(x, 1)));
  }
  // t = k: 0 without reduction, ±1 below 3 ln2/2, else trunc(x/ln2 ± 1/2); the scalar code's three cases then
  // share one formula (t·LN2_HI and t·LN2_LO are exact, 0 − q = −q, c − 2 = −(2 − c))
  const signOne = v128.or(f64x2.splat(1.0), v128.and(x, f64x2.splat(-0.0)));
  const rounded = f64x2.trunc(f64x2.add(f64x2.mul(f64x2.splat(INV_LN2), x), f64x2.mul(signOne, f64x2.splat(0.5))));
  let t = v128.bitselect(signOne, rounded, f64x2.lt(ax, f64x2.splat(EXP_ONE_AND_HALF_LN2)));
  t = v128.and(t, f64x2.ge(ax, f64x2.splat(EXP_HALF_LN2)));
  const hi = f64x2.sub(x, f64x2.mul(t, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(t, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const rr = f64x2.mul(r, r);
  let poly = f64x2.add(f64x2.splat(P4), f64x2.mul(rr, f64x2.splat(P5)));
  poly = f64x2.add(f64x2.splat(P3), f64x2.mul(rr, poly));
  poly = f64x2.add(f64x2.splat(P2), f64x2.mul(rr, poly));
  poly = f64x2.add(f64x2.splat(P1), f64x2.mul(rr, poly));
  const c = f64x2.sub(r, f64x2.mul(rr, poly));
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, q), hi));
  // 2^k from k's bits: (k + 1023) << 52
  const k = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(t));
  return f64x2.mul(y, i64x2.shl(i64x2.add(k, i64x2.splat(0x3ff)), 52));
}

/** log x for the two lanes of `x` (the integer work on the high words as i32 lanes 0 and 1). */
export function log2x(x: v128): v128 {
  const hx = v128.shuffle<i32>(x, x, 1, 3, 1, 3);
  const m = v128.and(hx, i32x4.splat(0xfffff));
  const nearOne = i64x2.extend_low_i32x4_s(i32x4.lt_s(v128.and(i32x4.add(m, i32x4.splat(2)), i32x4.splat(0xfffff)), i32x4.splat(3)));
  const fast = v128.andnot(
    v128.and(f64x2.ge(x, f64x2.splat(MIN_NORMAL)), f64x2.lt(x, f64x2.splat(Infinity))),
    nearOne,
  );
  if (!i64x2.all_true(fast)) {
    return f64x2.replace_lane(f64x2.splat(log(f64x2.extract_lane(x, 0))), 1, log(f64x2.extract_lane(x, 1)));
  }
  const i = v128.and(i32x4.add(m, i32x4.splat(0x95f64)), i32x4.splat(0x100000));
  const k = i32x4.add(i32x4.sub(i32x4.shr_s(hx, 20), i32x4.splat(1023)), i32x4.shr_s(i, 20));
  // x or x/2 normalized into [√2/2, √2): its high word's exponent replaced
  const high = v128.or(m, v128.xor(i, i32x4.splat(0x3ff00000)));
  const xn = v128.shuffle<i32>(x, high, 0, 4, 2, 5);
  const f = f64x2.sub(xn, f64x2.splat(1.0));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const dk = f64x2.convert_low_i32x4_s(k);
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(LG2), f64x2.mul(w, f64x2.add(f64x2.splat(LG4), f64x2.mul(w, f64x2.splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(LG1), f64x2.mul(w, f64x2.add(f64x2.splat(LG3), f64x2.mul(w, f64x2.add(f64x2.splat(LG5), f64x2.mul(w, f64x2.splat(LG7))))))));
  const r = f64x2.add(t2, t1);
  // the scalar code's k = 0 forms equal these at dk = 0 (0 − (v − f) = f − v, adding 0·LN2_LO is exact)
  const hiPart = f64x2.mul(dk, f64x2.splat(LN2_HI));
  const loPart = f64x2.mul(dk, f64x2.splat(LN2_LO));
  const hfsq = f64x2.mul(f64x2.mul(f64x2.splat(0.5), f), f);
  const wide = f64x2.sub(hiPart, f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), loPart)), f));
  const narrow = f64x2.sub(hiPart, f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, r)), loPart), f));
  const useWide = i64x2.extend_low_i32x4_s(i32x4.gt_s(v128.or(i32x4.sub(m, i32x4.splat(0x6147a)), i32x4.sub(i32x4.splat(0x6b851), m)), i32x4.splat(0)));
  return v128.bitselect(wide, narrow, useWide);
}

/** log over `n` doubles at `ptr`, in place (with the SIMD kernels two at a time). */
export function logInPlace(ptr: usize, n: i32): void {
  let i = 0;
  if (simdOn()) {
    for (; i + 2 <= n; i += 2) {
      const at = ptr + ((<usize>i) << 3);
      v128.store(at, log2x(v128.load(at)));
    }
  }
  for (; i < n; i++) {
    const at = ptr + ((<usize>i) << 3);
    store<f64>(at, log(load<f64>(at)));
  }
}
