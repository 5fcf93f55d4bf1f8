// Which module export does an expression denote? `fs.readFileSync`, `readFileSync` imported under
// another name, `nodeFs.readFileSync` from `import * as nodeFs from 'node:fs'`, a destructured
// `require('fs')`, `import fs = require('fs')`, or a re-export through the user's own modules all
// answer { module: 'fs', path: ['readFileSync'] }. A method of the user's own class that merely
// shares the name answers nothing: names are resolved through symbols to the import (or require)
// that bound them, never by spelling.
//
// The answer comes from the syntax of the declaration a local symbol points to, so it holds when
// @types/node is absent (then `fs` itself is an unresolved module, but `import { readFileSync }
// from 'fs'` still says where the name comes from). Aliases through the user's own modules are
// followed with the checker one step at a time; a declaration inside `declare module 'fs' { ... }`
// (reached through `export * from 'fs'`) answers by its ambient module name.
//
// Only cheap questions are asked: symbols of identifiers on the path, no types.
import { isBuiltin } from 'node:module';
import ts from 'typescript';
import type { TSymbol, Types } from './typebackend';
import { askAncestors, skipOuterExpressions } from './utils';

/** The `module` of a global (`Atomics`, `Date`, `performance`, `process`). */
export const GLOBAL = '<global>';

export interface ModuleRef {
  /** Module specifier without `node:` ('fs', 'fs/promises', 'child_process'), or GLOBAL. */
  readonly module: string;
  /** Export path inside the module: ['readFileSync'], ['realpathSync', 'native']; [] is the module itself. */
  readonly path: readonly string[];
}

/** 'fs.readFileSync', 'Atomics.wait' (globals without a module), for messages and table keys. */
export function refName(ref: ModuleRef): string {
  return ref.module === GLOBAL ? ref.path.join('.') : [ref.module, ...ref.path].join('.');
}

export function sameRef(a: ModuleRef, b: ModuleRef): boolean {
  return a.module === b.module && a.path.length === b.path.length && a.path.every((p, i) => p === b.path[i]);
}

/** 'node:fs' -> 'fs'. */
export function normalizeSpecifier(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/**
 * Canonical form of a reference into a Node.js builtin: its default export is the module itself
 * (`import fs from 'fs'`), and `fs.promises` is the module `fs/promises` (likewise `dns`, `stream`,
 * `timers`, `readline`), so every spelling of one function compares equal.
 */
function makeRef(module: string, path: readonly string[]): ModuleRef {
  let m = module;
  let p = path;
  if (m !== GLOBAL && isBuiltin(m)) {
    if (p[0] === 'default') p = p.slice(1);
    if (p[0] === 'promises' && isBuiltin(`${m}/promises`)) {
      m = `${m}/promises`;
      p = p.slice(1);
      if (p[0] === 'default') p = p.slice(1);
    }
  }
  return { module: m, path: p };
}

function extend(ref: ModuleRef, names: readonly string[]): ModuleRef {
  let out = ref;
  for (const n of names) out = makeRef(out.module, [...out.path, n]);
  return out;
}

/** Alias chains and `const a = b` chains longer than this are not followed (and cycles end). */
const MAX_DEPTH = 16;

const resolvers = new WeakMap<Types, WeakMap<ts.SourceFile, ModuleResolver>>();

/** The file's ModuleResolver for these type answers, made once and shared by the rules that ask. */
export function moduleResolver(types: Types, sourceFile: ts.SourceFile): ModuleResolver {
  let byFile = resolvers.get(types);
  if (!byFile) resolvers.set(types, (byFile = new WeakMap()));
  let resolver = byFile.get(sourceFile);
  if (!resolver) byFile.set(sourceFile, (resolver = new ModuleResolver(types, sourceFile)));
  return resolver;
}

/** One per analysed file (see moduleResolver): caches answers by symbol. Uses only the checker's symbol lookups. */
export class ModuleResolver {
  private readonly bySymbol = new Map<TSymbol, ModuleRef | null>();
  private bindingCache: ModuleBinding[] | undefined;

  constructor(
    readonly types: Types,
    readonly sourceFile: ts.SourceFile,
  ) {}

  /** The module export an expression denotes: an identifier, a property chain on one, `require('x')`, `await import('x')`. */
  expression(expr: ts.Expression): ModuleRef | undefined {
    return this.resolveExpression(expr, 0);
  }

  /** The module export a callee denotes, e.g. for `fs.readFileSync(p)`. */
  callee(call: ts.CallExpression): ModuleRef | undefined {
    return this.resolveExpression(call.expression, 0);
  }

  private resolveExpression(expr: ts.Expression, depth: number): ModuleRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    // Property chains are walked with a loop: `a.b.c.d` is user input of any length.
    const names: string[] = [];
    let e = skipOuterExpressions(expr);
    for (;;) {
      if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
        names.push(e.name.text);
        e = skipOuterExpressions(e.expression);
      } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
        names.push(e.argumentExpression.text);
        e = skipOuterExpressions(e.expression);
      } else {
        break;
      }
    }
    let base: ModuleRef | undefined;
    if (ts.isIdentifier(e)) base = this.resolveIdentifier(e, depth);
    else if (ts.isCallExpression(e)) base = this.requiredModule(e);
    else if (ts.isAwaitExpression(e)) base = dynamicImport(skipOuterExpressions(e.expression));
    if (base) return extend(base, names.reverse());
    // The receiver is no module we can name from syntax (a namespace of the user's own module that
    // re-exports fs, a parameter typed `typeof import('fs')`): ask for the member's own symbol.
    const outer = skipOuterExpressions(expr);
    if (names.length > 0 && (ts.isPropertyAccessExpression(outer) || ts.isElementAccessExpression(outer))) {
      const member = ts.isPropertyAccessExpression(outer) ? outer.name : outer.argumentExpression;
      const symbol = this.types.getSymbolAtLocation(member);
      if (symbol) return this.resolveSymbol(symbol, depth + 1);
    }
    return undefined;
  }

  /**
   * An identifier's answer, shared by every identifier of the same name in the same innermost
   * scope: they denote the same symbol. Asking the checker costs a walk from the identifier up
   * through its parents, so without this a file with thousands of calls to one name inside an
   * expression thousands of levels deep (`f(), f(), f(), ...`) costs millions of steps.
   */
  private resolveIdentifier(id: ts.Identifier, depth: number): ModuleRef | undefined {
    if (depth > 0) return this.resolveIdentifierUncached(id, depth);
    return sharedInScope(this.refByScope, this.scopeOf(id), id.text, () => this.resolveIdentifierUncached(id, depth));
  }

  private readonly refByScope = new Map<ts.Node, Map<string, ModuleRef | null>>();
  private readonly scopeMemo = new Map<ts.Node, ts.Node>();

  /** The innermost node around `node` that can declare names (walked once per node: memoised). */
  private scopeOf(node: ts.Node): ts.Node {
    return askAncestors<ts.Node>(node, this.scopeMemo, (n) => (declaresNames(n) ? n : undefined), this.sourceFile);
  }

  private resolveIdentifierUncached(id: ts.Identifier, depth: number): ModuleRef | undefined {
    const symbol = this.types.getSymbolAtLocation(id);
    if (!symbol) {
      // No declaration anywhere (a JS file without the lib that declares it): a global by name.
      return id.text === 'globalThis'
        ? { module: GLOBAL, path: [] }
        : id.text === 'undefined'
          ? undefined
          : { module: GLOBAL, path: [id.text] };
    }
    if (id.text === 'globalThis' && (symbol.declarations ?? []).length === 0) return { module: GLOBAL, path: [] };
    return this.resolveSymbol(symbol, depth);
  }

  /** What a symbol refers to, following imports, re-exports and `const x = <resolvable>` chains. */
  resolveSymbol(symbol: TSymbol, depth = 0): ModuleRef | undefined {
    const cached = this.bySymbol.get(symbol);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > MAX_DEPTH) return undefined;
    this.bySymbol.set(symbol, null); // a cycle answers "nothing"
    const ref = this.resolveSymbolUncached(symbol, depth);
    this.bySymbol.set(symbol, ref ?? null);
    return ref;
  }

  private resolveSymbolUncached(symbol: TSymbol, depth: number): ModuleRef | undefined {
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!decl) return undefined;
    const name = symbol.name;

    if (decl.getSourceFile().isDeclarationFile) {
      const where = declarationScope(decl);
      if (where === 'global') return { module: GLOBAL, path: [name] };
      if (where) return extend(where, [name]);
    }

    if (ts.isImportSpecifier(decl)) {
      const spec = decl.parent.parent.parent.moduleSpecifier;
      return this.throughModule(symbol, spec, [(decl.propertyName ?? decl.name).text], depth);
    }
    if (ts.isImportClause(decl)) return this.throughModule(symbol, decl.parent.moduleSpecifier, ['default'], depth);
    if (ts.isNamespaceImport(decl)) return this.throughModule(symbol, decl.parent.parent.moduleSpecifier, [], depth);
    if (ts.isImportEqualsDeclaration(decl)) {
      const ref = decl.moduleReference;
      if (ts.isExternalModuleReference(ref)) return this.throughModule(symbol, ref.expression, [], depth);
      return this.resolveEntityName(ref, depth + 1);
    }
    if (ts.isExportSpecifier(decl)) {
      const spec = decl.parent.parent.moduleSpecifier;
      return this.throughModule(symbol, spec, [(decl.propertyName ?? decl.name).text], depth);
    }
    if (ts.isNamespaceExport(decl)) return this.throughModule(symbol, decl.parent.moduleSpecifier, [], depth);
    if (ts.isExportAssignment(decl)) return this.resolveExpression(decl.expression, depth + 1);
    if (ts.isVariableDeclaration(decl)) {
      return ts.isIdentifier(decl.name) && decl.initializer
        ? this.resolveExpression(decl.initializer, depth + 1)
        : undefined;
    }
    if (ts.isBindingElement(decl)) return this.resolveBindingElement(decl, depth);
    // Functions, classes, methods, parameters, properties: the user's own code.
    return undefined;
  }

  /**
   * An alias whose declaration names a module. A Node.js builtin is answered from the syntax
   * alone; anything else is followed one alias step with the checker, and when that finds nothing
   * (a package without types) a bare package name still answers from syntax.
   */
  private throughModule(
    symbol: TSymbol,
    specifier: ts.Expression | undefined,
    path: string[],
    depth: number,
  ): ModuleRef | undefined {
    const spec = specifier && ts.isStringLiteralLike(specifier) ? specifier.text : undefined;
    if (spec !== undefined && isBuiltin(spec)) return makeRef(normalizeSpecifier(spec), path);
    if (symbol.flags & ts.SymbolFlags.Alias) {
      const next = this.types.getImmediateAliasedSymbol(symbol);
      if (next && next !== symbol && (next.declarations ?? []).length > 0) {
        const ref = this.resolveSymbol(next, depth + 1);
        if (ref) return ref;
      }
    }
    if (spec === undefined || spec.startsWith('.') || spec.startsWith('/')) return undefined;
    return makeRef(spec, path);
  }

  /** `const { promises: { readFile: rf } } = require('fs')` -> fs.promises.readFile. */
  private resolveBindingElement(element: ts.BindingElement, depth: number): ModuleRef | undefined {
    const path: string[] = [];
    let n: ts.Node = element;
    while (ts.isBindingElement(n)) {
      if (n.dotDotDotToken || !ts.isObjectBindingPattern(n.parent)) return undefined;
      const key = n.propertyName ?? n.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
      path.push(key.text);
      n = n.parent.parent;
    }
    if (!ts.isVariableDeclaration(n) || !n.initializer) return undefined;
    const base = this.resolveExpression(n.initializer, depth + 1);
    return base && extend(base, path.reverse());
  }

  /** `import p = fs.promises` */
  private resolveEntityName(name: ts.EntityName, depth: number): ModuleRef | undefined {
    const names: string[] = [];
    let n: ts.EntityName = name;
    while (ts.isQualifiedName(n)) {
      names.push(n.right.text);
      n = n.left;
    }
    const base = this.resolveIdentifier(n, depth);
    return base && extend(base, names.reverse());
  }

  /** `require('fs')`, when `require` is Node's (undeclared, or declared only by a .d.ts). */
  private requiredModule(call: ts.CallExpression): ModuleRef | undefined {
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isIdentifier(callee) || callee.text !== 'require') return undefined;
    if (call.arguments.length !== 1 || !ts.isStringLiteralLike(call.arguments[0])) return undefined;
    const symbol = this.types.getSymbolAtLocation(callee);
    const decls = symbol?.declarations ?? [];
    if (decls.some((d) => !d.getSourceFile().isDeclarationFile)) return undefined; // a user's own `require`
    return makeRef(normalizeSpecifier(call.arguments[0].text), []);
  }

  /**
   * The symbol a local name has where `at` is (undefined if unbound). Shared by every place in the
   * same innermost scope, as for resolveIdentifier: the checker's lookup walks up from `at`.
   */
  symbolInScope(name: string, at: ts.Node): TSymbol | undefined {
    const scope = declaresNames(at) ? at : this.scopeOf(at);
    return sharedInScope(this.symbolByScope, scope, name, () =>
      this.types.resolveName(name, at, ts.SymbolFlags.All, false),
    );
  }

  private readonly symbolByScope = new Map<ts.Node, Map<string, TSymbol | null>>();

  /**
   * The symbol of an identifier in an expression (a callee, a receiver), shared by every such
   * identifier of the same name in the same innermost scope.
   */
  symbolOfIdentifier(id: ts.Identifier): TSymbol | undefined {
    return sharedInScope(this.identifierSymbols, this.scopeOf(id), id.text, () => this.types.getSymbolAtLocation(id));
  }

  private readonly identifierSymbols = new Map<ts.Node, Map<string, TSymbol | null>>();

  /**
   * Names bound at the top of this file by imports and requires, with what they refer to:
   * `import * as fsp from 'fs/promises'` -> fsp = fs/promises. Type-only imports are left out.
   */
  moduleBindings(): readonly ModuleBinding[] {
    if (this.bindingCache) return this.bindingCache;
    const out: ModuleBinding[] = [];
    const add = (name: ts.Identifier, statement: ts.Statement) => {
      const symbol = this.types.getSymbolAtLocation(name);
      const ref = symbol && this.resolveSymbol(symbol);
      if (symbol && ref) out.push({ name, symbol, ref, statement });
    };
    for (const st of this.sourceFile.statements) {
      if (ts.isImportDeclaration(st)) {
        const clause = st.importClause;
        if (!clause || clause.isTypeOnly) continue;
        if (clause.name) add(clause.name, st);
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) add(nb.name, st);
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) add(el.name, st);
      } else if (ts.isImportEqualsDeclaration(st) && !st.isTypeOnly) {
        add(st.name, st);
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
          if (!d.initializer) continue;
          const stack: ts.BindingName[] = [d.name];
          while (stack.length > 0) {
            const b = stack.pop()!;
            if (ts.isIdentifier(b)) add(b, st);
            else if (ts.isObjectBindingPattern(b)) for (const el of b.elements) stack.push(el.name);
          }
        }
      }
    }
    this.bindingCache = out;
    return out;
  }
}

export interface ModuleBinding {
  /** The local name as declared. */
  name: ts.Identifier;
  symbol: TSymbol;
  ref: ModuleRef;
  /** The top-level statement that declares it. */
  statement: ts.Statement;
}

/**
 * Where a declaration in a .d.ts lives: 'global' (a script file, or `declare global {}`), the
 * ambient module and namespace path (`declare module 'fs' { namespace realpathSync { ... } }`), or
 * undefined (an ordinary module file: not a place we can name).
 */
function declarationScope(decl: ts.Node): 'global' | ModuleRef | undefined {
  const namespaces: string[] = [];
  for (let n = decl.parent; n; n = n.parent) {
    // A member of an interface, class or object type is not an export of the module around it.
    if (
      ts.isClassLike(n) ||
      ts.isInterfaceDeclaration(n) ||
      ts.isTypeLiteralNode(n) ||
      ts.isObjectLiteralExpression(n) ||
      ts.isFunctionLike(n) ||
      ts.isBlock(n)
    )
      return undefined;
    if (ts.isModuleDeclaration(n)) {
      if (n.flags & ts.NodeFlags.GlobalAugmentation)
        return namespaces.length === 0 ? 'global' : { module: GLOBAL, path: namespaces.reverse() };
      if (ts.isStringLiteral(n.name)) return makeRef(normalizeSpecifier(n.name.text), namespaces.reverse());
      namespaces.push(n.name.text);
    } else if (ts.isSourceFile(n)) {
      if (ts.isExternalModule(n)) return undefined;
      return namespaces.length === 0 ? 'global' : { module: GLOBAL, path: namespaces.reverse() };
    }
  }
  return undefined;
}

/** `import('fs')` (the operand of an await). */
function dynamicImport(e: ts.Expression): ModuleRef | undefined {
  if (!ts.isCallExpression(e) || e.expression.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
  const arg = e.arguments[0];
  if (!arg || !ts.isStringLiteralLike(arg)) return undefined;
  return makeRef(normalizeSpecifier(arg.text), []);
}

/** The last name of a callee, read from syntax only: `fs.readFileSync` and `readFileSync` -> 'readFileSync'. */
export function calleeName(callee: ts.Expression): string | undefined {
  const e = skipOuterExpressions(callee);
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

/**
 * Whether names declared in `node` can shadow outer ones for identifiers inside it: whatever the
 * binder gave a symbol table (`locals`), and the nodes that bring a name into scope another way
 * (a named function or class expression, `with`). Counting more nodes than needed only shares less.
 */
function declaresNames(node: ts.Node): boolean {
  return (
    (node as { locals?: unknown }).locals !== undefined ||
    ts.isSourceFile(node) ||
    ts.isFunctionLike(node) ||
    ts.isClassLike(node) ||
    ts.isBlock(node) ||
    ts.isModuleBlock(node) ||
    ts.isModuleDeclaration(node) ||
    ts.isCaseBlock(node) ||
    ts.isCatchClause(node) ||
    ts.isForStatement(node) ||
    ts.isForInStatement(node) ||
    ts.isForOfStatement(node) ||
    ts.isClassStaticBlockDeclaration(node) ||
    ts.isWithStatement(node)
  );
}

/** One answer per name and scope: `compute` runs for the first place in the scope that asks. */
function sharedInScope<T>(
  cache: Map<ts.Node, Map<string, T | null>>,
  scope: ts.Node,
  name: string,
  compute: () => T | undefined,
): T | undefined {
  let names = cache.get(scope);
  if (!names) cache.set(scope, (names = new Map()));
  const known = names.get(name);
  if (known !== undefined) return known ?? undefined;
  const answer = compute();
  names.set(name, answer ?? null);
  return answer;
}
