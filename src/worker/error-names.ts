/**
 * Error classes take their `name` from the class (`new.target.name` in LmmError), and a minifier shortens
 * class names: the browser build names each class after its export instead (cheaper than keeping every
 * function's name in the bundle). The classes in errors.ts now also state their names (`static name`), which
 * makes this a safeguard for a class that does not.
 */
import * as errors from '../errors.js';

export function nameErrorClasses(): void {
  for (const [name, value] of Object.entries(errors)) {
    if (typeof value === 'function' && value.prototype instanceof Error && value.name !== name) {
      Object.defineProperty(value, 'name', { value: name });
    }
  }
}
