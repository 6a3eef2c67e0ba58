/**
 * The factor label of a number, as R's `as.character` writes it (R 4.2): whole numbers within R's
 * integer range as plain digits (R reads such CSV columns as integers), other doubles with up to 15
 * significant digits in fixed or scientific notation, whichever is narrower (fixed on a tie):
 * `0.1 + 0.2` → `"0.3"`, `1/3` → `"0.333333333333333"`, `1e-4` → `"1e-04"`, `1234567.1` → `"1234567.1"`.
 */

/** Largest magnitude of R's integers. */
const INT_MAX = 2147483647;

/** Whether R would hold the number as an integer: whole and within ±(2^31 − 1). */
export function isRInteger(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x) <= INT_MAX;
}

/**
 * `x` with `decimals` digits after the point, rounded as C's printf (`%.*f`) rounds: to nearest, exact
 * ties to even (JavaScript's `toFixed` rounds ties away from zero: 2.5 → "3" where printf gives "2").
 */
function fixedLikePrintf(x: number, decimals: number): string {
  const rounded = x.toFixed(decimals);
  const exact = x.toFixed(Math.min(100, decimals + 80));
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + decimals);
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = decimals > 0 ? exact.slice(0, point + 1 + decimals) : exact.slice(0, point);
  const last = truncated.charCodeAt(truncated.length - 1) - 48;
  return last % 2 === 0 ? truncated : rounded;
}

/**
 * R's `as.character` of a double (15 significant digits, fixed vs scientific by width, R's two-digit
 * exponents as in `1e+05`; fixed notation rounds exact ties to even as R's printf does). An exact tie
 * in the last digit of scientific notation rounds away from zero here; no realistic label has one.
 */
export function doubleLabel(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const [mantissa, exponent] = x.toExponential(14).split('e');
  const e10 = Number(exponent);
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '');
  const nsig = Math.max(1, digits.length);
  const neg = x < 0 ? 1 : 0;
  const rgt = Math.max(0, nsig - 1 - e10);
  const fixedWidth = neg + (e10 >= 0 ? e10 + 1 : 1) + (rgt > 0 ? rgt + 1 : 0);
  const sciWidth = neg + (nsig > 1 ? nsig + 1 : 1) + (Math.abs(e10) >= 100 ? 5 : 4);
  if (fixedWidth <= sciWidth) return fixedLikePrintf(x, rgt);
  const [m, e] = x.toExponential(nsig - 1).split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  const mag = e.replace(/^[+-]/, '');
  return `${m}e${sign}${mag.length < 2 ? `0${mag}` : mag}`;
}

/**
 * The label of a number in a factor column. `integerColumn` says the column holds only R integers
 * (see {@link isRInteger}); then labels are plain digits (`100000`), else R's double form (`1e+05`).
 */
export function numberLabel(x: number, integerColumn: boolean): string {
  return integerColumn && isRInteger(x) ? String(x) : doubleLabel(x);
}
