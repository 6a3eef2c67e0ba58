/**
 * Checking an options object against a schema at the door of every public function: an unknown key
 * (a misspelling such as `reml`) or a value of the wrong type (`REML: 'false'`) must never change a
 * result silently, so both raise `OptionError` naming the key and what would be accepted. This module
 * sits below every layer (it imports only the errors) so data, fit and infer entry points share it.
 */
import { OptionError } from '../errors.js';
import { escapeForMessage } from '../base/escape.js';

/** What one option accepts. */
export type Rule =
  | { kind: 'boolean' }
  | { kind: 'number'; min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean }
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'strings' }
  | { kind: 'numbers' }
  /** An object keyed by column (or other user) name with values of one rule. */
  | { kind: 'record'; of: Rule }
  | { kind: 'object'; schema: Schema }
  | { kind: 'function' }
  /** An AbortSignal (anything with `aborted` and `throwIfAborted`). */
  | { kind: 'signal' }
  /** Accepted as is; the function checks it itself (e.g. data, contrast specs). */
  | { kind: 'any'; describe?: string };

/** The options one function accepts, by name. */
export type Schema = Readonly<Record<string, Rule>>;

/** Levenshtein distance, for "did you mean" (names are short: the quadratic table is fine). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The valid name closest to `name` (case-insensitive match first), or undefined when none is close. */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = valid.find((v) => v.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const prefix = lower.length >= 3 ? valid.find((v) => v.toLowerCase().startsWith(lower)) : undefined;
  if (prefix) return prefix;
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const d = distance(lower, v.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${escapeForMessage(JSON.stringify(value), 60)}`;
  if (typeof value === 'number') return `the number ${value}`;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`;
}

function expected(rule: Rule): string {
  switch (rule.kind) {
    case 'boolean':
      return 'true or false';
    case 'number': {
      const parts = [rule.integer ? 'an integer' : 'a finite number'];
      if (rule.min !== undefined) parts.push(`${rule.exclusiveMin ? '>' : '≥'} ${rule.min}`);
      if (rule.max !== undefined) parts.push(`${rule.exclusiveMax ? '<' : '≤'} ${rule.max}`);
      return parts.join(' ');
    }
    case 'string':
      return 'a string';
    case 'enum':
      return `one of ${rule.values.map((v) => `'${v}'`).join(', ')}`;
    case 'strings':
      return "an array of strings, e.g. ['Days']";
    case 'numbers':
      return 'an array of finite numbers';
    case 'record':
      return `an object keyed by name whose values are ${expected(rule.of)}`;
    case 'object':
      return `an object with keys ${Object.keys(rule.schema).join(', ')}`;
    case 'function':
      return 'a function';
    case 'signal':
      return 'an AbortSignal';
    case 'any':
      return rule.describe ?? 'a value';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

function checkValue(fn: string, path: string, value: unknown, rule: Rule): void {
  const fail = (): never => {
    throw new OptionError(`${fn}(): option ${path} must be ${expected(rule)}, got ${describe(value)}`);
  };
  switch (rule.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      return;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail();
      const v = value as number;
      if (rule.integer && !Number.isInteger(v)) fail();
      if (rule.min !== undefined && (rule.exclusiveMin ? v <= rule.min : v < rule.min)) fail();
      if (rule.max !== undefined && (rule.exclusiveMax ? v >= rule.max : v > rule.max)) fail();
      return;
    }
    case 'string':
      if (typeof value !== 'string') fail();
      return;
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) {
        const near = typeof value === 'string' ? nearestName(value, rule.values) : undefined;
        if (near !== undefined) {
          throw new OptionError(`${fn}(): option ${path} must be ${expected(rule)}, got ${describe(value)}: did you mean '${near}'?`);
        }
        fail();
      }
      return;
    case 'strings':
      if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) fail();
      return;
    case 'numbers': {
      if (!isArrayLike(value)) fail();
      const a = value as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number' || !Number.isFinite(a[i] as number)) fail();
      return;
    }
    case 'record':
      if (!isPlainObject(value)) fail();
      for (const key of Object.keys(value as object)) {
        checkValue(fn, `${path}[${escapeForMessage(JSON.stringify(key), 60)}]`, (value as Record<string, unknown>)[key], rule.of);
      }
      return;
    case 'object':
      checkOptions(fn, value, rule.schema, `${path}.`);
      return;
    case 'function':
      if (typeof value !== 'function') fail();
      return;
    case 'signal':
      if (value === null || typeof value !== 'object' || typeof (value as AbortSignal).throwIfAborted !== 'function') fail();
      return;
    case 'any':
      return;
  }
}

/**
 * Throws `OptionError` unless `options` is undefined or a plain object whose every key is in `schema`
 * with a value the key's rule accepts (`undefined` values count as absent). `fn` names the function in
 * the message; `prefix` names the enclosing option for nested objects (`control.`).
 */
export function checkOptions(fn: string, options: unknown, schema: Schema, prefix = ''): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) {
    throw new OptionError(
      `${fn}(): ${prefix ? `option ${prefix.slice(0, -1)}` : 'the options'} must be a plain object like { ${Object.keys(schema)[0] ?? ''}: … }, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(schema, key)) {
      const valid = Object.keys(schema);
      const near = nearestName(key, valid);
      const shown = escapeForMessage(key, 60);
      throw new OptionError(
        `${fn}(): unknown option ${prefix}${shown}${near !== undefined ? `: did you mean ${prefix}${near}?` : ''} (valid options: ${valid.map((v) => prefix + v).join(', ') || 'none'})`,
      );
    }
    const value = options[key];
    if (value !== undefined) checkValue(fn, prefix + key, value, schema[key]);
  }
}
