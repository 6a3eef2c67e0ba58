// exp and log as V8 computes Math.exp and Math.log (its base/ieee754.cc: fdlibm's e_exp.c and e_log.c), in
// the engine: glmer's PIRLS then gets the host's bits without a call out of the engine per pass. The same
// algorithms as AssemblyScript's small NativeMath.exp/log (musl's fdlibm ports), except where those
// regroup the polynomial or the last sum (Estrin's scheme for exp's, other parentheses in log's), which
// changes the last bit; test/pirls-host-math.test.ts compares the whole PIRLS with Node's Math bit for bit.
//
// Algorithms and coefficients from fdlibm 5.3: Copyright (C) 1993 by Sun Microsystems, Inc. All rights
// reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and
// distribute this software is freely granted, provided that this notice is preserved.

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
    if (hx < 0x3ff0a2b2) {
      // and |x| < 3 ln2/2: k = ±1
      if (x == 1.0) return E;
      if (negative) {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      } else {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      }
    } else {
      k = <i32>(INV_LN2 * x + (negative ? -0.5 : 0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI;
      lo = t * LN2_LO;
    }
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
