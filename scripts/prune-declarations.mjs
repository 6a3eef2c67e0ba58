// Cuts tsc's declarations down to what a consumer's compiler can reach from the package's typed entries:
// the entries' files whole, and in every other file only the declarations that something kept names
// (transitively, through imports, re-exports and `import("…")` types), with its imports cut to match.
// Files left with nothing are deleted. Why: `exports` forbids deep imports, so a type no entry reaches is
// dead weight in the tarball, and tsc writes whole modules (e.g. the engine class's, when one type of its
// file is public). A conservative walk: any identifier in a kept declaration that names a top-level
// declaration or an import keeps it, so a member that shares a name only keeps a little too much.
import ts from 'typescript';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** `./x.js` from `file` → the absolute path of x.d.ts (only relative specifiers: the package's own files). */
function target(file, specifier) {
  return /^\.\.?\//.test(specifier) ? join(dirname(file), specifier.replace(/\.js$/, '.d.ts')) : undefined;
}

/** A declaration file's top-level statements by what they declare, import and re-export. */
function parse(file) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const declares = new Map(); // name → indices of the statements declaring it (overloads and merges: several)
  const imports = new Map(); // local name → { from, name } ('*' for a namespace import)
  const exportsLocal = new Map(); // exported name → { name: local name, index } (`export { a as b }`)
  const exportsFrom = new Map(); // exported name → { from, name, index } (`export { a as b } from`)
  const exportStars = []; // { from, index } (`export * from`)
  const add = (name, i) => declares.set(name, [...(declares.get(name) ?? []), i]);
  sf.statements.forEach((s, i) => {
    if (ts.isImportDeclaration(s)) {
      const from = target(file, s.moduleSpecifier.text);
      const clause = s.importClause;
      if (!from || !clause) return;
      if (clause.name) imports.set(clause.name.text, { from, name: 'default' });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, { from, name: '*' });
      if (bindings && ts.isNamedImports(bindings)) {
        for (const e of bindings.elements) imports.set(e.name.text, { from, name: (e.propertyName ?? e.name).text });
      }
    } else if (ts.isExportDeclaration(s)) {
      const from = s.moduleSpecifier && target(file, s.moduleSpecifier.text);
      if (!s.exportClause) {
        if (from) exportStars.push({ from, index: i });
      } else if (ts.isNamedExports(s.exportClause)) {
        for (const e of s.exportClause.elements) {
          const local = (e.propertyName ?? e.name).text;
          if (from) exportsFrom.set(e.name.text, { from, name: local, index: i });
          else if (!s.moduleSpecifier) exportsLocal.set(e.name.text, { name: local, index: i });
        }
      }
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, i);
    } else if (ts.isExportAssignment(s)) {
      add('default', i);
    } else if (s.name && ts.isIdentifier(s.name)) {
      add(s.name.text, i); // function, class, interface, type, enum, namespace
      if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) add('default', i);
    }
  });
  return { sf, declares, imports, exportsLocal, exportsFrom, exportStars };
}

/**
 * Prunes the declaration files reachable from `roots` (absolute .d.ts paths, kept whole) in place and
 * deletes the other declaration files in `candidates` that nothing reaches. Returns the files kept.
 */
export function pruneDeclarations(roots, candidates) {
  const files = new Map();
  const file = (path) => {
    if (!files.has(path)) files.set(path, { ...parse(path), keep: new Set(), wanted: new Set(), usedImports: new Set() });
    return files.get(path);
  };
  const queue = [];
  const want = (path, name) => {
    if (!existsSync(path)) return;
    const f = file(path);
    if (f.wanted.has(name) || f.wanted.has('*')) return;
    f.wanted.add(name);
    queue.push([path, name]);
  };
  const keepStatement = (path, i) => {
    const f = file(path);
    if (f.keep.has(i)) return;
    f.keep.add(i);
    const visit = (node) => {
      if (ts.isIdentifier(node)) {
        const name = node.text;
        if (f.declares.has(name)) want(path, name);
        const imported = f.imports.get(name);
        if (imported) {
          f.usedImports.add(name);
          want(imported.from, imported.name);
        }
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const from = target(path, node.argument.literal.text);
        let q = node.qualifier;
        while (q && ts.isQualifiedName(q)) q = q.left;
        if (from) want(from, q ? q.text : '*');
      }
      ts.forEachChild(node, visit);
    };
    visit(f.sf.statements[i]);
  };
  for (const root of roots) want(root, '*');
  while (queue.length > 0) {
    const [path, name] = queue.pop();
    const f = file(path);
    if (name === '*') {
      f.sf.statements.forEach((s, i) => {
        if (ts.isImportDeclaration(s)) return; // kept as far as the kept statements use them
        keepStatement(path, i);
        if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
          const from = target(path, s.moduleSpecifier.text);
          if (!from) return;
          if (!s.exportClause) want(from, '*');
          else if (ts.isNamedExports(s.exportClause)) for (const e of s.exportClause.elements) want(from, (e.propertyName ?? e.name).text);
          else want(from, '*'); // export * as ns from
        }
      });
      continue;
    }
    for (const i of f.declares.get(name) ?? []) keepStatement(path, i);
    const local = f.exportsLocal.get(name);
    if (local) {
      f.keep.add(local.index);
      want(path, local.name);
    }
    const from = f.exportsFrom.get(name);
    if (from) {
      f.keep.add(from.index);
      want(from.from, from.name);
    }
    for (const star of f.exportStars) {
      f.keep.add(star.index);
      want(star.from, name);
    }
  }
  // write back: kept statements with their comments; imports and `export { } from` cut to the names used
  for (const [path, f] of files) {
    const text = f.sf.text;
    const out = [];
    f.sf.statements.forEach((s, i) => {
      const whole = text.slice(s.getFullStart(), s.getEnd()).replace(/^\n+/, '');
      if (ts.isImportDeclaration(s)) {
        const clause = s.importClause;
        const from = target(path, s.moduleSpecifier.text);
        if (!from) {
          if ([...f.keep].length > 0) out.push(whole); // a package's types (a peer): keep when anything is kept
          return;
        }
        if (!clause) return;
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          const used = bindings.elements.filter((e) => f.usedImports.has(e.name.text));
          if (used.length === 0 && !(clause.name && f.usedImports.has(clause.name.text))) return;
          if (used.length === bindings.elements.length) out.push(whole);
          else {
            const list = used.map((e) => text.slice(e.getStart(), e.getEnd())).join(', ');
            out.push(`import ${clause.isTypeOnly ? 'type ' : ''}${clause.name ? `${clause.name.text}, ` : ''}{ ${list} } from ${s.moduleSpecifier.getText()};`);
          }
        } else if ((clause.name && f.usedImports.has(clause.name.text)) || (bindings && f.usedImports.has(bindings.name.text))) {
          out.push(whole);
        }
        return;
      }
      if (!f.keep.has(i)) return;
      if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause) && !f.wanted.has('*')) {
        const used = s.exportClause.elements.filter((e) => f.wanted.has(e.name.text));
        if (used.length === 0) return;
        if (used.length < s.exportClause.elements.length) {
          const list = used.map((e) => text.slice(e.getStart(), e.getEnd())).join(', ');
          out.push(`export ${s.isTypeOnly ? 'type ' : ''}{ ${list} }${s.moduleSpecifier ? ` from ${s.moduleSpecifier.getText()}` : ''};`);
          return;
        }
      }
      out.push(whole);
    });
    writeFileSync(path, `${out.join('\n')}\n${out.some((l) => /^\s*(export|import)\b/m.test(l)) ? '' : 'export {};\n'}`);
  }
  for (const path of candidates) if (!files.has(path) && existsSync(path)) rmSync(path);
  return new Set(files.keys());
}
