/**
 * Plain JSON values from result fields: typed arrays become arrays, non-finite numbers (R's NA, NaN, Inf)
 * become null, nested results use their own toJSON, functions and undefined fields are left out. So
 * `JSON.stringify(result)` never shows `{"0":…}` for a Float64Array nor writes NaN.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The plain-JSON form of a value. */
export function plainJSON(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (v) => plainJSON(v));
  if (Array.isArray(value)) return value.map((v) => plainJSON(v));
  if (typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return plainJSON(toJSON.call(value));
    if (value instanceof Map) return plainJSON(Object.fromEntries(value));
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      out[k] = plainJSON(v);
    }
    return out;
  }
  return null;
}
