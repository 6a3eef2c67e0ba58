/**
 * What crosses between the caller and the worker. Fitted models stay in the worker (they own WebAssembly
 * memory); the caller holds a handle with the model's plain JSON and R's printed summary. Every other result
 * comes back as plain data plus the text R prints. Everything here survives structured cloning, so numbers
 * arrive bit for bit.
 */

/** A fitted model living in the worker, as passed back in later calls. */
export interface ModelRef {
  $model: number;
}

/** A fitted model as it crosses the boundary: its handle, kind, plain JSON and printed summary. */
export interface WireModel extends ModelRef {
  kind: string;
  json: unknown;
  text: string;
}

/** Any other result: plain data and the text R prints (empty when the result has no print method). */
export interface WireValue {
  json: unknown;
  text: string;
}

/** A data table uploaded once into the worker (its typed-array columns transferred), for several fits. */
export interface DataRef {
  $data: number;
  /** Rows and column names of the table (set by the worker). */
  nrow?: number;
  names?: string[];
}

/** An error thrown in the worker, with what the caller needs to rebuild the typed error. */
export interface WireError {
  error: { name: string; message: string; code?: string; position?: number };
}

/** Where a call's options object sat, so the worker can put `onProgress` back (functions cannot be cloned). */
export interface CallShape {
  /** Index of the argument that carried `onProgress`, or -1. */
  progressArg: number;
}

/** The worker's side of the protocol (wrapped by Comlink). */
export interface WorkerService {
  /** Resolves when the engine is compiled (the worker's first message waits for it). */
  ready(): Promise<void>;
  /** Calls the exported function `name` with `args` (model refs resolved), reporting progress if asked. */
  call(
    name: string,
    args: unknown[],
    shape: CallShape,
    onProgress?: (p: { evaluations: number; objective: number; theta: number[] }) => void,
  ): Promise<WireModel | WireValue | WireError>;
  /** Types `data` (rows, columns, a table, or CSV text) into a table kept in the worker; returns its handle. */
  upload(data: unknown, options?: Record<string, unknown>): Promise<DataRef | WireError>;
  /** Drops models and uploaded tables from the worker's registries. */
  release(ids: number[]): void;
}

/** Whether a value is a reference to a table held in the worker. */
export function isDataRef(x: unknown): x is DataRef {
  return typeof x === 'object' && x !== null && typeof (x as DataRef).$data === 'number';
}

/** Whether a value is a reference to a model held in the worker. */
export function isModelRef(x: unknown): x is ModelRef {
  return typeof x === 'object' && x !== null && typeof (x as ModelRef).$model === 'number';
}

const objectToString = Object.prototype.toString;

/**
 * A structured-clone-safe copy: functions dropped, class instances reduced to their own enumerable fields
 * (or their `toJSON()`), typed arrays, Maps and NaN kept as they are.
 */
export function toCloneable(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date || value instanceof RegExp) return value;
  // `seen` holds the ancestors only: a cycle is cut, a value shared by two fields is copied into both
  if (seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => toCloneable(v, seen));
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, toCloneable(v, seen)]));
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return toCloneable((value as { toJSON(): unknown }).toJSON(), seen);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'function') out[k] = toCloneable(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** R's printed text of a result, or '' when it only has Object's default toString. */
export function printedText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  const text = String(value);
  return text === objectToString.call(value) ? '' : text;
}
