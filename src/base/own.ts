/**
 * Objects keyed by user text (column names, level names, group names) must not reach
 * Object.prototype: a column named `constructor` or `__proto__` is an ordinary name in R. Reads go
 * through `own` (own properties only) and writes through `setOwn` (a data property even for
 * `__proto__`, so the prototype is never replaced).
 */

/** `obj[key]` when `key` is an own property of `obj`, else undefined (never an inherited member). */
export function own<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj != null && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** `obj[key] = value` as an own enumerable data property, also for `__proto__`. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
