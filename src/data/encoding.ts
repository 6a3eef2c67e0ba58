/**
 * Text encoding of data files: CSV is read as UTF-8, and a file that is not (UTF-16 from a
 * spreadsheet's "Unicode text" export, a binary file given by mistake) is named as such instead of
 * failing later with a confusing CSV message.
 */
import { DataError } from '../errors.js';

function looksUtf16(bytes: Uint8Array): 'LE' | 'BE' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'LE';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'BE';
  // ASCII text in UTF-16 without a byte-order mark: every other byte is zero
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  if (oddZero > 0.9 * (n / 2) && evenZero === 0) return 'LE';
  if (evenZero > 0.9 * (n / 2) && oddZero === 0) return 'BE';
  return null;
}

/**
 * Decodes UTF-8 bytes (a leading byte-order mark is dropped by parseCsv). Throws DataError naming
 * `what` for UTF-16 text, for binary data (NUL bytes) and for bytes that are not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  const utf16 = looksUtf16(bytes);
  if (utf16) {
    throw new DataError(`${what} is UTF-16 (${utf16 === 'LE' ? 'little' : 'big'}-endian) text, not UTF-8; save it as UTF-8 CSV (e.g. iconv -f UTF-16 -t UTF-8)`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new DataError(`${what} is binary, not CSV text (a NUL byte at byte ${nul + 1}); give a UTF-8 CSV file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let bad = 0;
    // find the first invalid byte for the message by decoding growing prefixes is quadratic; scan instead
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i];
      const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      let ok = len > 0 && i + len <= bytes.length;
      for (let k = 1; ok && k < len; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
      if (!ok) {
        bad = i;
        break;
      }
      i += len;
    }
    throw new DataError(
      `${what} is not valid UTF-8 text (byte ${bad + 1} is 0x${bytes[bad].toString(16).padStart(2, '0')}); it may be binary or in another encoding (e.g. Latin-1): convert it to UTF-8`,
    );
  }
}
