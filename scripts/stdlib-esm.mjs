// An esbuild plugin for the @stdlib packages that src imports (distribution functions): their lib/ files are
// CommonJS of one fixed form (`var x = require( '...' );` lines at the top, one `module.exports = x;` at the
// end), which esbuild can neither scope-hoist nor tree-shake: each file became a lazily called wrapper and
// every binding a property lookup. Loaded as the equivalent ES module (`import x from '...'`,
// `export default x`), they are hoisted and minified with the rest, which takes about a fifth off their
// bytes. A file not of that form stops the build, naming it, rather than being converted wrongly.
//
// `@stdlib/utils-define-property` resolves to its own lib/builtin.js: its index picks that file wherever
// Object.defineProperty exists (every engine lmm-wasm supports), and the polyfill it would otherwise carry
// pulls in stdlib's printf-style message formatting.
//
// The same for every package whose index picks one of two files by a feature test
// (`@stdlib/assert-has-…-support`): the typed-array constructors take lib/main.js, the built-in, wherever the
// engine has typed arrays, and the series and continued-fraction tools their generator version wherever it
// has generators; every engine that runs WebAssembly has both, Node included. Such a package resolves to the
// file the test picks there, leaving out the test (with the class-name and eval helpers it needs) and the
// other file.
//
// Some @stdlib packages carry copies of one file (erfinv's and erfcinv's rational approximations, beta's and
// gamma's Lanczos sum): a file with no relative require that has the same code (comments aside) as another
// resolves to one of them, the first by path, so the build holds one copy.
//
// A package that our own sources import resolves to its lib/main.js, the function itself, when its index
// only re-exports that (with, at most, a `.factory` attached that our sources never use): the factory and
// what it needs stay out. Imports between @stdlib packages keep their index, as some use `.factory`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const REQUIRE = /^var (\w+) = require\( '([^']+)' \)((?:\.\w+)?);[^\n]*$/gm;
const EXPORT = /^module\.exports = (\w+);[^\n]*$/m;

/** The code without comments, to count the forms a conversion must account for. */
const stripComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** The ES module equivalent of one @stdlib CommonJS file, or an Error naming what does not fit. */
export function stdlibToEsm(text, path) {
  const code = stripComments(text);
  const requires = (code.match(/\brequire\(/g) ?? []).length;
  const exportsUses = (code.match(/\bmodule\.exports\b|\bexports\./g) ?? []).length;
  const converted = [...code.matchAll(REQUIRE)].length;
  if (requires !== converted || exportsUses !== 1 || !EXPORT.test(code)) {
    return new Error(`${path}: not of the CommonJS form stdlib-esm converts (top-level var = require lines, one module.exports)`);
  }
  let n = 0;
  let found = 0;
  // applied to the original text, so that the licence comments stay for legalComments
  const out = text
    .replace(REQUIRE, (_, name, specifier, property) => {
      found++;
      return property ? `import __stdlib${n} from '${specifier}'; var ${name} = __stdlib${n++}${property};` : `import ${name} from '${specifier}';`;
    })
    .replace(EXPORT, 'export default $1;');
  if (found !== converted) return new Error(`${path}: a require line inside a comment; not converted`);
  return out;
}

/** An index.js that exports ./main.js, optionally with `.factory` from ./factory.js attached. */
const MAIN_ONLY = /^\s*'use strict';\s*(?:var setReadOnly = require\( '@stdlib\/utils-define-nonenumerable-read-only-property' \);\s*)?var main = require\( '\.\/main\.js' \);\s*(?:var factory = require\( '\.\/factory\.js' \);\s*setReadOnly\( main, 'factory', factory \);\s*)?module\.exports = main;\s*$/;

/** An index.js that exports one of two files of its own, the first where a `@stdlib/assert-has-…-support` test passes. */
const FEATURE_TEST = /^\s*'use strict';\s*var (\w+) = require\( '@stdlib\/assert-has-[\w-]+-support' \);\s*var (\w+) = require\( '(\.\/\w+\.js)' \);\s*var (\w+) = require\( '(\.\/\w+\.js)' \);\s*var (\w+);\s*if \( \1\(\) \) \{\s*\6 = (\w+);\s*\} else \{\s*\6 = (\w+);\s*\}\s*module\.exports = \6;\s*$/;

/** The file of a feature-testing index (FEATURE_TEST) that an engine with the feature gets, or undefined. */
export function featureChoice(index) {
  const m = FEATURE_TEST.exec(index);
  if (!m || new Set([m[2], m[4]]).size !== 2 || new Set([m[7], m[8]]).size !== 2) return undefined;
  return m[7] === m[2] && m[8] === m[4] ? m[3] : m[7] === m[4] && m[8] === m[2] ? m[5] : undefined;
}

/**
 * For every file under `root` (a node_modules/@stdlib folder) whose code repeats an earlier one's by path
 * (comments aside) and that requires nothing by relative path (its requires then resolve alike from either
 * place), that earlier file: the copy to load instead.
 */
export function stdlibCopies(root) {
  const first = new Map();
  const copies = new Map();
  const files = readdirSync(root)
    .flatMap((pkg) => {
      const lib = join(root, pkg, 'lib');
      return existsSync(lib) ? readdirSync(lib, { recursive: true, encoding: 'utf8' }).map((f) => join(lib, f)) : [];
    })
    .filter((f) => f.endsWith('.js'))
    .sort();
  for (const file of files) {
    const code = stripComments(readFileSync(file, 'utf8')).trim();
    if (/\brequire\( '\./.test(code)) continue;
    if (first.has(code)) copies.set(file, first.get(code));
    else first.set(code, file);
  }
  return copies;
}

export const stdlibEsm = {
  name: 'stdlib-esm',
  setup(build) {
    let copies;
    build.onResolve({ filter: /^\.\.?\// }, ({ path, importer, resolveDir }) => {
      const at = /^(.*[\\/]node_modules[\\/]@stdlib)[\\/]/.exec(importer);
      if (!at) return undefined;
      copies ??= stdlibCopies(at[1]);
      const copy = copies.get(join(resolveDir, path));
      return copy ? { path: copy } : undefined;
    });
    build.onResolve({ filter: /^@stdlib\/[^/]+$/ }, async ({ path, resolveDir }) => {
      const index = createRequire(`${resolveDir}/`).resolve(path);
      const file = featureChoice(stripComments(await readFile(index, 'utf8')));
      return file ? { path: join(dirname(index), file) } : undefined;
    });
    build.onResolve({ filter: /^@stdlib\/[^/]+$/ }, async ({ path, importer, resolveDir }) => {
      if (/[\\/]node_modules[\\/]/.test(importer)) return undefined;
      const index = createRequire(`${resolveDir}/`).resolve(path);
      if (!MAIN_ONLY.test(stripComments(await readFile(index, 'utf8')))) return undefined;
      return { path: index.replace(/index\.js$/, 'main.js') };
    });
    build.onResolve({ filter: /^@stdlib\/utils-define-property$/ }, ({ resolveDir }) => ({
      path: createRequire(`${resolveDir}/`).resolve('@stdlib/utils-define-property/lib/builtin.js'),
    }));
    build.onLoad({ filter: /[\\/]node_modules[\\/]@stdlib[\\/][^\\/]+[\\/]lib[\\/].*\.js$/ }, async ({ path }) => {
      const out = stdlibToEsm(await readFile(path, 'utf8'), path);
      if (out instanceof Error) return { errors: [{ text: out.message }] };
      return { contents: out, loader: 'js' };
    });
  },
};
