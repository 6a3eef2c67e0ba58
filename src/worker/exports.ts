/**
 * The package's exports as the worker calls them by name (service.ts's `import * as api`). A module of its
 * own, reached only by the worker scripts: a namespace used by name becomes an object listing every export,
 * built where its module's code sits; built for index.ts, it would sit in the chunk every entry loads and
 * keep the whole library in an app that bundles only `lm`.
 */
export * from '../index.js';
