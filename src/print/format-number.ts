/**
 * R's number formatting: `format(x, digits)` (R's formatReal: one common fixed or scientific format for
 * a vector, chosen by width with scipen = 0), C's `%.*f`, `%.*e` and `%.*g` as R's sprintf/formatC use
 * them (ties of exactly representable halves go to even, as glibc does), and R's round() and signif().
 */

const R_DIGITS = 7;

/** Whether the digits of x beyond `d` decimals are exactly 5000…: an exact binary tie. */
function isExactTie(x: number, d: number): boolean {
  const extra = Math.min(100, d + 40);
  if (extra <= d) return false;
  const s = Math.abs(x).toFixed(extra);
  const dot = s.indexOf('.');
  const tail = s.slice(dot + 1 + d);
  return /^50*$/.test(tail);
}

/** C's sprintf("%.*f", d, x): fixed notation with d decimals, exact ties to even. */
export function formatFixed(x: number, d: number): string {
  if (!Number.isFinite(x)) return formatNonFinite(x);
  if (Math.abs(x) >= 1e21) return BigInt(Math.round(x)).toString() + (d > 0 ? '.' + '0'.repeat(d) : '');
  let s = x.toFixed(d);
  if (isExactTie(x, d)) {
    // JavaScript rounds exact ties away from zero; C rounds them to even
    const down = (Math.abs(x) - 0.5 * 10 ** -d).toFixed(d);
    const lastDigit = Number(s.replace('-', '').replace('.', '').slice(-1));
    if (lastDigit % 2 === 1) s = (x < 0 ? '-' : '') + down;
  }
  if (/^-0(\.0*)?$/.test(s)) s = s; // C keeps the sign of negative numbers that round to zero
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
  let s = x.toExponential(d);
  let [m, e] = s.split('e');
  // exact ties: decide on the scaled value
  const exp = Number(e);
  const scaled = Math.abs(x) / 10 ** exp;
  if (Number.isFinite(scaled) && isExactTie(scaled, d) && Math.abs(scaled * 10 ** exp - Math.abs(x)) === 0) {
    const last = Number(m.replace('-', '').replace('.', '').slice(-1));
    if (last % 2 === 1) {
      const down = (scaled - 0.5 * 10 ** -d).toFixed(d);
      m = (x < 0 ? '-' : '') + down;
    }
  }
  s = padExponent(m, exp);
  return s;
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

function formatNonFinite(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? 'Inf' : '-Inf';
}

/** R's scientific(): sign, decimal exponent and significant digits (≤ digits) of x. */
export function scientific(x: number, digits = R_DIGITS): { neg: boolean; kpower: number; nsig: number; roundingWidens: boolean } {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1, roundingWidens: false };
  const neg = x < 0;
  const r = Math.abs(x);
  // alpha = r rounded to `digits` significant digits, as an integer in [10^(digits−1), 10^digits)
  const e = formatExp(r, digits - 1);
  const [m, ex] = e.split('e');
  let kpower = Number(ex);
  const mantissaDigits = m.replace('.', '');
  let nsig = digits;
  for (let j = mantissaDigits.length - 1; j > 0 && mantissaDigits[j] === '0'; j--) nsig--;
  if (nsig === 0) {
    nsig = 1;
    kpower += 1;
  }
  const rgt = Math.max(0, Math.min(digits - kpower, 22));
  const fuzz = 0.5 / 10 ** rgt;
  const roundingWidens = kpower > 0 && kpower <= 22 && r < 10 ** kpower - fuzz;
  return { neg, kpower, nsig, roundingWidens };
}

/** R's formatReal: the common format of a vector (width, decimals, and 0 = fixed or 1/2 = exponent digits−1). */
export function formatInfo(xs: readonly number[], digits = R_DIGITS, nsmall = 0): { width: number; decimals: number; exp: number } {
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
  if (mxns !== -Infinity) {
    if (mxl < 0) mxsl = 1 + (neg ? 1 : 0);
    if (rgt < 0) rgt = 0;
    let wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
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

/** One number in a given format (no padding). */
export function encodeReal(x: number | null, decimals: number, exp: number): string {
  if (x === null || x === undefined) return 'NA';
  if (!Number.isFinite(x)) return formatNonFinite(x);
  const v = x === 0 ? 0 : x; // R never prints -0
  return exp ? formatExp(v, decimals) : formatFixed(v, decimals);
}

/** R's format(x, digits = digits): common format, right-justified to a common width; NA for null. */
export function formatNumbers(xs: readonly (number | null)[], digits = R_DIGITS, nsmall = 0): string[] {
  const finite = xs.map((x) => (x === null ? (null as unknown as number) : x));
  const { width, decimals, exp } = formatInfo(finite, digits, nsmall);
  return xs.map((x) => encodeReal(x, decimals, exp).padStart(width));
}

/**
 * R's round(x, d) (R ≥ 4.0.0): no rounding when d decimals exceed double precision; otherwise the nearer
 * of the two candidates ⌊10^d x⌋/10^d and ⌈10^d x⌉/10^d (distances in double arithmetic), ties to even.
 */
export function roundR(x: number, d: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const dig = Math.floor(d + 0.5);
  const sgn = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const l10x = Math.LOG10E * Math.LN2 * (0.5 + Math.floor(Math.log2(ax)));
  if (l10x + dig > 15) return x;
  let xd: number;
  let xu: number;
  let i10: number;
  if (dig > 0) {
    const p10 = 10 ** dig;
    const x10 = p10 * ax;
    i10 = Math.floor(x10);
    xd = i10 / p10;
    xu = Math.ceil(x10) / p10;
  } else {
    const p10 = 10 ** -dig;
    const x10 = ax / p10;
    i10 = Math.floor(x10);
    xd = i10 * p10;
    xu = Math.ceil(x10) * p10;
  }
  const du = xu - ax;
  const dd = ax - xd;
  return sgn * (du < dd || (du === dd && i10 % 2 === 1) ? xu : xd);
}

/** R's formatC(x, digits = d) for doubles: C's %.*g, right-justified to width d + 1. */
export function formatC(x: number, digits: number): string {
  return formatG(x, digits).padStart(digits + 1);
}

/** R's signif(x, digits). */
export function signifR(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(formatExp(x, Math.max(1, digits) - 1));
}

/** R 4.2's zapsmall(x, digits): round(x, digits − log10(max|x|)) (round() takes the nearest integer digits). */
export function zapsmall(xs: readonly number[], digits = R_DIGITS): number[] {
  const finite = xs.filter((x) => Number.isFinite(x));
  if (finite.length === 0) return [...xs];
  const mx = Math.max(...finite.map(Math.abs));
  const d = mx > 0 ? Math.max(0, digits - Math.log10(mx)) : digits;
  return xs.map((x) => (Number.isFinite(x) ? roundR(x, d) : x));
}
