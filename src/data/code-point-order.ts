/**
 * String order by Unicode code point: R's `sort()` of strings in the C locale, which is how R orders
 * the levels of a factor made from text there (`"B" < "a"`, `"Z" < "_" < "a"`, `"é"` after `"z"`).
 */

/**
 * Compares two strings by code point (negative, zero or positive, for `Array.prototype.sort`).
 * JavaScript's `<` compares UTF-16 code units, which puts characters beyond U+FFFF (emoji) before
 * U+E000–U+FFFF; this comparison puts them after, as their code points (and UTF-8 bytes) do.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800–0xDFFF) encode code points above 0xFFFF: move them above 0xE000–0xFFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
