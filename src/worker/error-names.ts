/**
 * A minifier shortens class names (errors' `name` is set by each class itself, errors.ts): the browser build
 * names each error class after its export too, so `Class.name` reads as in the API (cheaper than keeping
 * every function's name in the bundle).
 */
import * as errors from '../errors.js';

export function nameErrorClasses(): void {
  for (const [name, value] of Object.entries(errors)) {
    if (typeof value === 'function' && value.prototype instanceof Error && value.name !== name) {
      Object.defineProperty(value, 'name', { value: name });
    }
  }
}
