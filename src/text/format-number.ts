/**
 * R's number formatting, reproduced digit for digit (R 4.2.2 on x86-64 Linux):
 *
 * - `format(x, digits, nsmall)` / `print(x, digits)`: R's formatReal, one common fixed or scientific
 *   format for a whole vector (chosen by width with scipen = 0) such that every element shows at least
 *   `digits` significant digits; significant digits are found as R's scientific() does, by scaling in
 *   x87 long double (64-bit mantissa) and rounding half to even, emulated exactly here with BigInt.
 * - C's `%.*f`, `%.*e`, `%.*g` as R's sprintf/formatC/encodeReal use them (exact decimal expansion,
 *   exact binary ties to even as glibc does).
 * - `round(x, d)` (R ≥ 4.0.0's algorithm), `signif(x, d)` (R's fprec: nearbyint in double arithmetic),
 *   `zapsmall(x, d)`, `formatC(x, digits)` and `cat(x)` of single numbers.
 *
 * NA is `null`; NaN, Inf and -Inf are the JavaScript values.
 */

/** R's default getOption("digits"). */
export const R_DIGITS = 7;

/** A number as R holds it: `null` is NA (NaN, ±Inf are themselves). */
export type RNumber = number | null;

// ---------------------------------------------------------------------------
// C printf conversions
// ---------------------------------------------------------------------------

/** Whether the digits of x beyond `d` decimals are exactly 5000…: an exact binary tie. */
function isExactTie(x: number, d: number): boolean {
  const extra = Math.min(100, d + 40);
  if (extra <= d) return false;
  const s = Math.abs(x).toFixed(extra);
  const dot = s.indexOf('.');
  const tail = s.slice(dot + 1 + d);
  return /^50*$/.test(tail);
}

function formatNonFinite(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Inf' : '-Inf';
}

/** Exact decimal expansion of a finite double rounded to d decimals, ties to even (any magnitude). */
function fixedBig(x: number, d: number): string {
  // |x|·10^d rounded to an integer
  let s = nearbyInt(mul(rationalOf(Math.abs(x)), pow10(d))).toString();
  if (d > 0) {
    s = s.padStart(d + 1, '0');
    s = `${s.slice(0, s.length - d)}.${s.slice(s.length - d)}`;
  }
  return (x < 0 || Object.is(x, -0) ? '-' : '') + s;
}

/** C's sprintf("%.*f", d, x): fixed notation with d decimals, exact ties to even. */
export function formatFixed(x: number, d: number): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  if (Math.abs(x) >= 1e21 || d > 100) return fixedBig(x, d);
  let s = x.toFixed(d);
  if (isExactTie(x, d)) {
    // JavaScript rounds exact ties away from zero; C rounds them to even
    const lastDigit = Number(s.replace('-', '').replace('.', '').slice(-1));
    if (lastDigit % 2 === 1) s = fixedBig(x, d);
  }
  if (Object.is(x, -0) && !s.startsWith('-')) s = '-' + s;
  return s;
}

function padExponent(mantissa: string, exp: number): string {
  const a = Math.abs(exp);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' + a : String(a)}`;
}

/** C's sprintf("%.*e", d, x): d decimals in the mantissa, at least two exponent digits. */
export function formatExp(x: number, d: number): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  if (x === 0) return padExponent((Object.is(x, -0) ? '-' : '') + (0).toFixed(d), 0);
  if (d > 100) return expBig(x, d);
  const s = x.toExponential(d);
  let [m, e] = s.split('e');
  const exp = Number(e);
  // exact binary ties: JavaScript goes away from zero, C to even
  const last = Number(m.replace('-', '').replace('.', '').slice(-1));
  if (last % 2 === 1 && isExactDecimalTie(x, exp - d)) return expBig(x, d);
  return padExponent(m, exp);
}

/** Whether |x| lies exactly halfway between two multiples of 10^q. */
function isExactDecimalTie(x: number, q: number): boolean {
  // |x| / 10^q = num / den; tie when frac == 1/2
  const { num, den } = mul(rationalOf(Math.abs(x)), pow10(-q));
  return (num % den) * 2n === den;
}

/** %.*e with exact BigInt arithmetic (ties to even). */
function expBig(x: number, d: number): string {
  const ax = Math.abs(x);
  let exp = Number(ax.toExponential(0).split('e')[1]);
  // |x| / 10^(k − d) rounded to an integer: the d + 1 digits of the mantissa at decimal exponent k
  const digitsOf = (k: number): bigint => nearbyInt(mul(rationalOf(ax), pow10(d - k)));
  let n = digitsOf(exp);
  if (n >= 10n ** BigInt(d + 1)) {
    exp++;
    n = digitsOf(exp);
  } else if (n < 10n ** BigInt(d)) {
    exp--;
    n = digitsOf(exp);
  }
  const s = n.toString();
  const mant = d > 0 ? `${s[0]}.${s.slice(1)}` : s;
  return padExponent((x < 0 ? '-' : '') + mant, exp);
}

/** C's sprintf("%.*g", p, x) (no '#' flag: trailing zeros removed). */
export function formatG(x: number, p: number): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  const P = p === 0 ? 1 : p;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const e = formatExp(x, P - 1);
  const X = Number(e.split('e')[1]);
  let out: string;
  if (X < -4 || X >= P) {
    const [m, ex] = e.split('e');
    out = `${m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m}e${ex}`;
  } else {
    out = formatFixed(x, P - 1 - X);
    if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  }
  return out;
}

// ---------------------------------------------------------------------------
// exact arithmetic helpers (doubles and x87 long doubles as rationals)
// ---------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** A positive finite double as m·2^e with an integer m. */
function decompose(x: number): { m: bigint; e: number } {
  F64[0] = x;
  const bits = U64[0];
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (expBits === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: expBits - 1075 };
}

/** A positive rational num/den. */
interface Rational {
  num: bigint;
  den: bigint;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

function rationalOf(x: number): Rational {
  const { m, e } = decompose(x);
  return e >= 0 ? { num: m << BigInt(e), den: 1n } : { num: m, den: 1n << BigInt(-e) };
}

/** num/den rounded to a 64-bit mantissa (x87 extended precision), ties to even. */
function roundLongDouble(r: Rational): Rational {
  if (r.num === 0n) return r;
  let s = 64 - (bitLength(r.num) - bitLength(r.den));
  const quotient = (shift: number): { q: bigint; rem: bigint; den: bigint } => {
    const n = shift >= 0 ? r.num << BigInt(shift) : r.num;
    const d = shift >= 0 ? r.den : r.den << BigInt(-shift);
    return { q: n / d, rem: n % d, den: d };
  };
  let t = quotient(s);
  while (t.q >= 1n << 64n) t = quotient(--s);
  while (t.q < 1n << 63n) t = quotient(++s);
  let q = t.q;
  const r2 = t.rem * 2n;
  if (r2 > t.den || (r2 === t.den && (q & 1n) === 1n)) q++;
  return s >= 0 ? { num: q, den: 1n << BigInt(s) } : { num: q << BigInt(-s), den: 1n };
}

function mul(a: Rational, b: Rational): Rational {
  return { num: a.num * b.num, den: a.den * b.den };
}

function div(a: Rational, b: Rational): Rational {
  return { num: a.num * b.den, den: a.den * b.num };
}

function pow10(k: number): Rational {
  return k >= 0 ? { num: 10n ** BigInt(k), den: 1n } : { num: 1n, den: 10n ** BigInt(-k) };
}

/** nearbyintl: the nearest integer, ties to even. */
function nearbyInt(r: Rational): bigint {
  const q = r.num / r.den;
  const r2 = (r.num % r.den) * 2n;
  return r2 > r.den || (r2 === r.den && (q & 1n) === 1n) ? q + 1n : q;
}

// ---------------------------------------------------------------------------
// formatReal
// ---------------------------------------------------------------------------

/** What R's scientific() finds for one number at a given `digits`. */
export interface Scientific {
  neg: boolean;
  /** Decimal exponent of the number rounded to `digits` significant digits. */
  kpower: number;
  /** Significant digits needed (≤ digits) once trailing zeros are dropped. */
  nsig: number;
  /** Fixed notation shows fewer integer digits than the rounded exponent suggests (9996 at 3 digits). */
  roundingWidens: boolean;
}

const KP_MAX = 27;

/** R's scientific(x, digits) for a finite x. */
export function scientific(x: number, digits = R_DIGITS): Scientific {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1, roundingWidens: false };
  const neg = x < 0;
  const r = Math.abs(x);
  if (digits >= 16) {
    // R: sprintf("%#.*e", digits - 1, r), trailing zeros of the mantissa dropped
    const e = formatExp(r, digits - 1);
    const [m, ex] = e.split('e');
    const ds = m.replace('.', '');
    let nsig = ds.length;
    while (nsig > 1 && ds[nsig - 1] === '0') nsig--;
    return { neg, kpower: Number(ex), nsig, roundingWidens: false };
  }
  let kp = Math.floor(Math.log10(r)) - digits + 1;
  let rPrec: Rational = rationalOf(r);
  if (Math.abs(kp) <= KP_MAX) {
    if (kp > 0) rPrec = roundLongDouble(div(rPrec, pow10(kp)));
    else if (kp < 0) rPrec = roundLongDouble(mul(rPrec, pow10(-kp)));
  } else {
    // powl(10, kp), taken as correctly rounded to long double
    rPrec = roundLongDouble(div(rPrec, roundLongDouble(pow10(kp))));
  }
  const lower = pow10(digits - 1);
  if (rPrec.num * lower.den < lower.num * rPrec.den) {
    rPrec = roundLongDouble(mul(rPrec, { num: 10n, den: 1n }));
    kp--;
  }
  let alpha = nearbyInt(rPrec);
  let nsig = digits;
  for (let j = 1; j <= digits; j++) {
    if (alpha % 10n === 0n) {
      nsig--;
      alpha /= 10n;
    } else break;
  }
  if (nsig === 0 && digits > 0) {
    nsig = 1;
    kp += 1;
  }
  const kpower = kp + digits - 1;
  let rgt = digits - kpower;
  rgt = rgt < 0 ? 0 : rgt > KP_MAX ? KP_MAX : rgt;
  const fuzz = 0.5 / 10 ** rgt;
  const roundingWidens = kpower > 0 && kpower <= KP_MAX && r < 10 ** kpower - fuzz;
  return { neg, kpower, nsig, roundingWidens };
}

/** A common format of a numeric vector: field width, decimals, and 0 (fixed) or exponent digits − 1. */
export interface RealFormat {
  width: number;
  decimals: number;
  /** 0: fixed notation; 1: scientific with 2 exponent digits; 2: with 3. */
  exp: number;
}

/** R's formatReal(x, digits, nsmall) with scipen = 0 and na.width 2. */
export function formatReal(xs: readonly RNumber[], digits = R_DIGITS, nsmall = 0): RealFormat {
  let rgt = -Infinity;
  let mxl = -Infinity;
  let mnl = Infinity;
  let mxsl = -Infinity;
  let mxns = -Infinity;
  let neg = false;
  let naflag = false;
  let nanflag = false;
  let posinf = false;
  let neginf = false;
  for (const x of xs) {
    if (x === null || x === undefined) {
      naflag = true;
      continue;
    }
    if (!Number.isFinite(x)) {
      if (Number.isNaN(x)) nanflag = true;
      else if (x > 0) posinf = true;
      else neginf = true;
      continue;
    }
    const s = scientific(x, digits);
    let left = s.kpower + 1;
    if (s.roundingWidens) left--;
    const sleft = (s.neg ? 1 : 0) + (left <= 0 ? 1 : left);
    const right = s.nsig - left;
    if (s.neg) neg = true;
    rgt = Math.max(rgt, right);
    mxl = Math.max(mxl, left);
    mnl = Math.min(mnl, left);
    mxsl = Math.max(mxsl, sleft);
    mxns = Math.max(mxns, s.nsig);
  }
  let width = 0;
  let decimals = 0;
  let exp = 0;
  if (digits === 0) rgt = 0;
  if (mxl < 0) mxsl = 1 + (neg ? 1 : 0);
  if (rgt < 0) rgt = 0;
  let wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
  if (mxns !== -Infinity) {
    exp = mxl > 100 || mnl <= -99 ? 2 : 1;
    decimals = mxns - 1;
    width = (neg ? 1 : 0) + (decimals > 0 ? 1 : 0) + decimals + 4 + exp;
    if (wF <= width) {
      exp = 0;
      if (nsmall > rgt) {
        rgt = nsmall;
        wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
      }
      decimals = rgt;
      width = wF;
    }
  }
  if (naflag) width = Math.max(width, 2);
  if (nanflag) width = Math.max(width, 3);
  if (posinf) width = Math.max(width, 3);
  if (neginf) width = Math.max(width, 4);
  return { width, decimals, exp };
}

/** @deprecated Use `formatReal`. */
export const formatInfo = formatReal;

/** One number in a given format, unpadded (R's encodeReal: no "-0", "NA" for null). */
export function encodeReal(x: RNumber, decimals: number, exp: number, naString = 'NA'): string {
  if (x === null || x === undefined) return naString;
  if (!Number.isFinite(x)) return formatNonFinite(x);
  const v = x === 0 ? 0 : x; // R never prints -0
  return exp ? formatExp(v, decimals) : formatFixed(v, decimals);
}

/** R's format(x, digits = digits, nsmall = nsmall): common format, right-justified to a common width. */
export function formatNumbers(xs: readonly RNumber[], digits = R_DIGITS, nsmall = 0): string[] {
  const { width, decimals, exp } = formatReal(xs, digits, nsmall);
  return xs.map((x) => encodeReal(x, decimals, exp).padStart(width));
}

/** One number formatted alone with `digits` significant digits, unpadded (what cat() and paste() show for digits 7 and 15). */
export function formatNumber(x: RNumber, digits = R_DIGITS): string {
  return formatNumbers([x], digits)[0];
}

/** R's cat(x) of one number: up to 7 significant digits. */
export function catNumber(x: RNumber): string {
  return formatNumber(x, R_DIGITS);
}

// ---------------------------------------------------------------------------
// round, signif, zapsmall, formatC
// ---------------------------------------------------------------------------

/** R's R_pow_di(x, n): x^|n| by repeated squaring in double arithmetic, inverted for n < 0. */
function powDi(x: number, n: number): number {
  let xn = 1;
  const isNeg = n < 0;
  if (isNeg) n = -n;
  for (;;) {
    if (n & 1) xn *= x;
    n >>= 1;
    if (n) x *= x;
    else break;
  }
  return isNeg ? 1 / xn : xn;
}

/** C's logb(x) for a positive finite x: the binary exponent. */
function logb(x: number): number {
  const { m, e } = decompose(x);
  return bitLength(m) - 1 + e;
}

/** nearbyint: round half to even. */
function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  const r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/**
 * R's round(x, digits) (R ≥ 4.0.0): no rounding when the digits exceed double precision; otherwise the
 * nearer of ⌊10^d x⌋/10^d and ⌈10^d x⌉/10^d (distances in double arithmetic), ties to the even one.
 */
export function roundR(x: number, digits: number): number {
  if (Number.isNaN(x) || Number.isNaN(digits)) return x + digits;
  if (!Number.isFinite(x) || digits > 323 || x === 0) return x;
  if (digits < -308) return 0;
  if (digits === 0) return rint(x);
  const dig = Math.floor(digits + 0.5);
  const sgn = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  // M_LOG10_2 * (0.5 + logb(x)): an estimate of log10(x)
  const l10x = 0.301029995663981195 * (0.5 + logb(ax));
  if (l10x + dig > 15) return x;
  let xd: number;
  let xu: number;
  let i10: number;
  if (dig <= 308) {
    const p10 = powDi(10, dig);
    const x10 = p10 * ax;
    i10 = Math.floor(x10);
    xd = i10 / p10;
    xu = Math.ceil(x10) / p10;
  } else {
    const e10 = dig - 308;
    const p10 = powDi(10, e10);
    const P10 = powDi(10, 308);
    const x10 = P10 * ax * p10;
    i10 = Math.floor(x10);
    xd = i10 / P10 / p10;
    xu = Math.ceil(x10) / P10 / p10;
  }
  const du = xu - ax;
  const dd = ax - xd;
  return sgn * (du < dd || (du === dd && i10 % 2 === 1) ? xu : xd);
}

/** R's signif(x, digits) (fprec: nearbyint of the scaled value in double arithmetic). */
export function signifR(x: number, digits: number): number {
  if (Number.isNaN(x) || Number.isNaN(digits)) return x + digits;
  if (!Number.isFinite(x) || x === 0) return x;
  if (!Number.isFinite(digits)) return digits > 0 ? x : 0;
  let dig = Math.round(digits);
  if (dig > 22) return x;
  if (dig < 1) dig = 1;
  const sgn = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const l10 = Math.log10(ax);
  let e10 = dig - 1 - Math.floor(l10);
  const max10e = 308;
  if (Math.abs(l10) < max10e - 2) {
    let p10 = 1;
    if (e10 > max10e) {
      p10 = powDi(10, e10 - max10e);
      e10 = max10e;
    }
    if (e10 > 0) {
      const pw = powDi(10, e10);
      return (sgn * (rint(ax * pw * p10) / pw)) / p10;
    }
    const pw = powDi(10, -e10);
    return sgn * (rint(ax / pw) * pw);
  }
  // extremely large or small: R's fallback
  const doRound = max10e - l10 >= powDi(10, -dig);
  const e2 = dig + (e10 > 0 ? 1 : 6);
  const p10 = powDi(10, e2);
  // 10^(e10 − e2) in two factors (one would overflow or underflow a double)
  const h = Math.trunc((e10 - e2) / 2);
  const P1 = powDi(10, h);
  const P2 = powDi(10, e10 - e2 - h);
  let v = ax * P1 * P2 * p10;
  if (doRound) v += 0.5;
  v = Math.floor(v) / p10;
  return (sgn * v) / P1 / P2;
}

/** R 4.2's zapsmall(x, digits): round(x, max(0, digits − log10(max|x|))); NA/NaN stay. */
export function zapsmall(xs: readonly number[], digits = R_DIGITS): number[] {
  const ok = xs.filter((x) => x !== null && !Number.isNaN(x));
  if (ok.length === 0) return [...xs];
  const mx = Math.max(...ok.map(Math.abs));
  const d = mx > 0 ? Math.max(0, digits - Math.log10(mx)) : digits;
  return xs.map((x) => (x === null || Number.isNaN(x) ? x : roundR(x, d)));
}

/** zapsmall over numbers with NA (null) entries. */
export function zapsmallNA(xs: readonly RNumber[], digits = R_DIGITS): RNumber[] {
  const idx = xs.map((x, i) => (x === null ? -1 : i)).filter((i) => i >= 0);
  const z = zapsmall(
    idx.map((i) => xs[i] as number),
    digits,
  );
  const out = [...xs];
  idx.forEach((i, k) => (out[i] = z[k]));
  return out;
}

/** formatC's optional arguments. */
export interface FormatCOptions {
  /** Field width (default digits + 1; 0 means digits). */
  width?: number;
  /** C conversion: "g" (default: significant digits), "f" / "e" (decimals), "G" / "E" (upper case). */
  format?: 'g' | 'G' | 'e' | 'E' | 'f';
  /** Any of "-" (left-justify), "0" (zero-pad), "+" (always a sign), " " (space for a plus sign). */
  flag?: string;
}

/**
 * R's formatC(x, digits, width, format, flag) for one double: C's sprintf("%<flag><width>.<digits><format>"),
 * with NA / NaN / Inf justified to the width as format.default does.
 */
export function formatC(x: RNumber, digits: number, options: FormatCOptions = {}): string {
  const fmt = options.format ?? 'g';
  const flag = options.flag ?? '';
  let width = options.width ?? digits + 1;
  if (width === 0) width = digits;
  if (x === null || !Number.isFinite(x)) {
    const s = x === null ? 'NA' : formatNonFinite(x);
    return flag === '-' ? s.padEnd(width) : s.padStart(width);
  }
  let body = fmt === 'f' ? formatFixed(x, digits) : fmt === 'e' || fmt === 'E' ? formatExp(x, digits) : formatG(x, digits);
  if (fmt === 'E' || fmt === 'G') body = body.toUpperCase();
  const neg = body.startsWith('-');
  const unsigned = neg ? body.slice(1) : body;
  const sign = neg ? '-' : flag.includes('+') ? '+' : flag.includes(' ') ? ' ' : '';
  if (flag.includes('-')) return (sign + unsigned).padEnd(width);
  if (flag.includes('0')) return sign + unsigned.padStart(width - sign.length, '0');
  return (sign + unsigned).padStart(width);
}
