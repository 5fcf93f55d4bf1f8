// Name resolution for one module: what a callee or receiver expression is, by import and binding,
// never by spelling. `t.sleep` with `import time as t` is `time.sleep`; `sleep` from
// `from time import sleep` is too; a local `def open()` or `open = x` is not `builtins.open`.
//
// Qualified names: `module.function`, `module.Class`, `module.Class.method`, and `builtins.name`
// for a name nothing in the module binds. Objects whose type is known within the module have a
// *kind* (the qualified name of their class): `loop = asyncio.get_running_loop()` is an
// `asyncio.AbstractEventLoop`, `self` in a method is the enclosing class, a parameter annotated
// `Path` is a `pathlib.Path`. A method call on a receiver of a known kind resolves to
// `<kind>.<method>` (`q.put` on an `asyncio.Queue` is `asyncio.Queue.put`).
import type { SyntaxNode as Node, SyntaxTree } from './syntax';
import type { Catalog } from './catalog';
import { ModuleScopes, type Binding, type Scope } from './scope';
import { hasOwnYield } from './value-use';

/** What the workspace knows about a qualified name defined outside this file. */
export type IndexedSymbol =
  | { kind: 'module'; file: string }
  /** `plainParameters`: positions of the parameters a sync function uses only as plain values (value-use.ts). */
  | { kind: 'function'; isAsync: boolean; file: string; plainParameters?: readonly number[]; generator?: boolean }
  | { kind: 'class'; qname: string; file: string }
  | { kind: 'variable'; file: string };

/** Cross-module questions, answered by the module index. */
export interface WorkspaceLookup {
  lookup(qname: string): IndexedSymbol | undefined;
  /**
   * The name a workspace re-export stands for outside the workspace (`pkg.compat.create_task`
   * with `from asyncio import create_task` in pkg/compat.py -> `asyncio.create_task`), or undefined.
   */
  external?(qname: string): string | undefined;
  /** Whether a workspace class or its bases define `name` ('unknown' when a base is not in the workspace). */
  classDefines?(qname: string, name: string): 'yes' | 'no' | 'unknown';
  /** How a name is used in the workspace's other files (awaited calls, other uses). */
  usagesOf?(name: string): { awaitedCalls: number; other: number; definitions: number };
}

export interface ModuleIdentity {
  /** This module's dotted name (`app.api`); the file's stem for a loose script. */
  moduleName: string;
  /** Its package for relative imports ('' at top level), or undefined if unknown. */
  packageName: string | undefined;
}

/** A kind, or the kinds of a tuple's items. */
export type Kind = string | readonly string[];

export interface Callee {
  /** The qualified name of what is called, when known. */
  qname: string | undefined;
  /** The same-file `function_definition` or `class_definition`, when the callee is one. */
  definition: Node | undefined;
}

/** Deeper expression chains than this are not resolved (a resolver must not recurse without bound). */
const MAX_DEPTH = 48;

export class NameResolver {
  private scopesCache: ModuleScopes | undefined;
  private readonly kindCache = new Map<number, Kind | undefined>();
  private readonly visiting = new Set<number>();
  private readonly externalCache = new Map<string, string>();
  private readonly lookupCache = new Map<string, IndexedSymbol | undefined>();
  /** callee() by call node number (nodes of this module's tree). */
  private readonly callees = new Map<number, Callee>();
  /** Per class node: attribute name -> the `self.<name> = value` assignments in its methods. */
  private readonly instanceAttributes = new Map<number, Map<string, { value: Node; unpack: number | undefined }[]>>();

  constructor(
    private readonly tree: SyntaxTree,
    readonly catalog: Catalog,
    readonly module: ModuleIdentity,
    readonly workspace: WorkspaceLookup | undefined,
    /**
     * The module is a Jupyter notebook's code cells: the kernel runs them in its event loop, which
     * is running, so `await` is allowed at the top level (and asyncio.run raises anywhere there).
     */
    readonly notebook = false,
  ) {}

  /** Scopes and bindings, built on first use. */
  get scopes(): ModuleScopes {
    this.scopesCache ??= new ModuleScopes(this.tree, { packageName: this.module.packageName });
    return this.scopesCache;
  }

  /** The innermost function or lambda whose body runs `node`, or undefined at module level. */
  enclosingFunction(node: Node): Scope | undefined {
    return this.scopes.enclosingFunction(node);
  }

  /** Whether the innermost function running `node` is an `async def` (a lambda or nested def is sync). */
  inAsyncFunction(node: Node): boolean {
    return this.enclosingFunction(node)?.isAsync ?? false;
  }

  /**
   * Whether `node` is where a notebook's top-level `await` may stand: no function encloses it, and
   * no class body (IPython awaits the cell, but a class body is not part of that coroutine).
   */
  atAwaitableTopLevel(node: Node): boolean {
    if (!this.notebook || this.enclosingFunction(node)) return false;
    for (let s: Scope | undefined = this.scopes.scopeAt(node.startIndex, node.endIndex); s; s = s.parent) {
      if (s.kind === 'class') return false;
    }
    return true;
  }

  /** The bindings an identifier refers to; undefined for a builtin or unknown name. */
  bindingsOf(identifier: Node): Binding[] | undefined {
    return this.scopes.resolveIdentifier(identifier)?.bindings;
  }

  /**
   * The qualified name an expression denotes: a module, function or class through imports and
   * definitions (`t.sleep` -> `time.sleep`), a builtin (`open` -> `builtins.open`), or a method
   * of a receiver of known kind (`q.put` -> `asyncio.Queue.put`). Undefined when not known.
   */
  qualifiedName(expr: Node): string | undefined {
    return this.externalName(this.qname(expr, 0));
  }

  /**
   * What a call calls: its qualified name and, for a same-file function or class, its definition.
   * Answered once per call node: several rules ask about the same calls (on aiohttp, 63,644
   * questions about 29,616 calls).
   */
  callee(call: Node): Callee {
    let answer = this.callees.get(call.id);
    if (!answer) {
      answer = this.calleeAt(call, 0);
      this.callees.set(call.id, answer);
    }
    return answer;
  }

  /** `callee` at a depth of the kind/qname recursion, so `f().g().h()...` chains stay bounded. */
  private calleeAt(call: Node, depth: number): Callee {
    const fn = call.childForFieldName('function');
    if (!fn) return { qname: undefined, definition: undefined };
    if (fn.type === 'identifier') {
      const found = this.scopes.resolveIdentifier(fn);
      if (found && found.bindings.length === 1) {
        const b = found.bindings[0];
        if (b.kind === 'function' || b.kind === 'class') {
          return {
            qname: b.scope.path !== undefined ? `${this.module.moduleName}.${b.scope.path}` : undefined,
            definition: b.node,
          };
        }
      }
    }
    const qname = this.externalName(this.qname(fn, depth));
    return { qname, definition: qname ? this.ownDefinition(qname) : undefined };
  }

  /** What the workspace index knows of a qualified name outside this file. */
  workspaceSymbol(qname: string): IndexedSymbol | undefined {
    return this.isOwn(qname) ? undefined : this.lookupCached(qname);
  }

  /** The workspace index's answer for a qualified name, asked once per name in this module. */
  private lookupCached(qname: string): IndexedSymbol | undefined {
    if (!this.workspace) return undefined;
    if (this.lookupCache.has(qname)) return this.lookupCache.get(qname);
    const symbol = this.workspace.lookup(qname);
    this.lookupCache.set(qname, symbol);
    return symbol;
  }

  /** A name re-exported by a workspace module from outside the workspace, as that outside name. */
  private externalName(qname: string | undefined): string | undefined {
    if (qname === undefined || this.isOwn(qname) || !this.workspace?.external || qname.startsWith('builtins.'))
      return qname;
    // Only a name the catalog knows is worth following out of the workspace.
    if (!this.catalog.endsSomeEntry(qname.slice(qname.lastIndexOf('.') + 1))) return qname;
    let ext = this.externalCache.get(qname);
    if (ext === undefined) {
      ext = this.workspace.external(qname) ?? qname;
      this.externalCache.set(qname, ext);
    }
    return ext;
  }

  /** Whether calling `callee` creates a coroutine: an async def here or in the workspace, or a known library coroutine. */
  isCoroutineFunction(callee: Callee): boolean {
    // An async generator (`async def` with a `yield`) makes an async iterator, not a coroutine.
    if (callee.definition)
      return (
        callee.definition.type === 'function_definition' &&
        callee.definition.child(0)?.type === 'async' &&
        !hasOwnYield(callee.definition)
      );
    const q = callee.qname;
    if (!q) return false;
    if (this.catalog.isCoroutine(q)) return true;
    if (this.isOwn(q)) return false; // own names resolved to a definition above
    const symbol = this.lookupCached(q);
    return symbol?.kind === 'function' && symbol.isAsync && !symbol.generator;
  }

  /** Whether a call expression creates a coroutine object. */
  callsCoroutineFunction(call: Node): boolean {
    return this.isCoroutineFunction(this.callee(call));
  }

  /** The kind of the value of an expression (see the header), or undefined. */
  kindOf(expr: Node): Kind | undefined {
    return this.kind(expr, 0, false);
  }

  /** The kind an annotation names (`Path`, `asyncio.Queue[int]`, a class of the module or the workspace). */
  annotationKind(annotation: Node): string | undefined {
    let t: Node | null = annotation.type === 'type' ? annotation.namedChild(0) : annotation;
    if (t?.type === 'generic_type') t = t.namedChild(0);
    if (t?.type === 'subscript') t = t.childForFieldName('value');
    if (!t || (t.type !== 'identifier' && t.type !== 'attribute')) return undefined;
    const q = this.qname(t, 0);
    if (!q) return undefined;
    return this.catalog.annotationKind(q) ?? (this.isClass(q) ? q : undefined);
  }

  // --- internals ---------------------------------------------------------------------------------

  private isOwn(qname: string): boolean {
    return qname.startsWith(`${this.module.moduleName}.`);
  }

  /** A same-file def or class by qualified name (`mod.f`, `mod.C`, `mod.C.m`, inherited methods too). */
  private ownDefinition(qname: string): Node | undefined {
    if (!this.isOwn(qname)) return undefined;
    const parts = qname.slice(this.module.moduleName.length + 1).split('.');
    let scope: Scope = this.scopes.module;
    let found: Binding | undefined;
    for (let i = 0; i < parts.length; i++) {
      found = this.ownMember(scope, parts[i], 0);
      if (!found) return undefined;
      if (i < parts.length - 1) {
        if (found.kind !== 'class') return undefined;
        scope = found.scope;
      }
    }
    return found && (found.kind === 'function' || found.kind === 'class') ? found.node : undefined;
  }

  /** A def or class bound once in a module or class scope; for a class, also from its same-file bases. */
  private ownMember(scope: Scope, name: string, depth: number): Binding | undefined {
    const list = scope.bindings.get(name);
    if (list) {
      const defs = list.filter((b) => b.kind === 'function' || b.kind === 'class');
      return defs.length === list.length && defs.length >= 1 && defs.every((d) => d.kind === defs[0].kind)
        ? defs[defs.length - 1]
        : undefined;
    }
    if (scope.kind !== 'class' || depth > 8) return undefined;
    const bases = scope.node.childForFieldName('superclasses');
    for (const base of bases?.namedChildren ?? []) {
      if (!base || (base.type !== 'identifier' && base.type !== 'attribute')) continue;
      const q = this.qname(base, 0);
      const def = q ? this.ownDefinition(q) : undefined;
      const baseScope = def ? this.scopes.scopeOf(def) : undefined;
      if (baseScope && baseScope !== scope) {
        const m = this.ownMember(baseScope, name, depth + 1);
        if (m) return m;
      }
    }
    return undefined;
  }

  private isClass(qname: string): boolean {
    if (this.isOwn(qname)) return this.ownDefinition(qname)?.type === 'class_definition';
    return this.lookupCached(qname)?.kind === 'class';
  }

  private qname(expr: Node, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    // Collect the attribute chain iteratively: `a.b.c` -> head `a`, parts [b, c].
    const parts: string[] = [];
    let head: Node | null = expr;
    while (head?.type === 'attribute') {
      const attr = head.childForFieldName('attribute');
      if (!attr) return undefined;
      parts.push(attr.text);
      head = head.childForFieldName('object');
      if (parts.length > MAX_DEPTH) return undefined;
    }
    if (!head) return undefined;
    parts.reverse();
    let base: string | undefined;
    if (head.type === 'identifier') {
      base = this.identifierQname(head);
      if (base === undefined && parts.length > 0) {
        const k = this.kind(head, depth + 1, false) ?? this.classOfCls(head);
        if (typeof k === 'string') base = k;
      }
    } else if (head.type === 'parenthesized_expression') {
      const inner = head.namedChild(0);
      base = inner ? this.qname(inner, depth + 1) : undefined;
      if (base === undefined && inner && parts.length > 0) {
        const k = this.kind(inner, depth + 1, false);
        if (typeof k === 'string') base = k;
      }
    } else if (parts.length > 0) {
      const k = this.kind(head, depth + 1, false);
      if (typeof k === 'string') base = k;
    }
    if (base === undefined) return undefined;
    // `self.loop.run_until_complete`: an attribute assigned once in the class has the kind of its value.
    while (parts.length > 1 && this.isOwn(base)) {
      const k = this.instanceAttributeKind(base, parts[0], depth + 1);
      if (typeof k !== 'string') break;
      base = k;
      parts.shift();
    }
    return parts.length > 0 ? `${base}.${parts.join('.')}` : base;
  }

  /** The class `cls` stands for in a classmethod (its first parameter), as a qualified name. */
  private classOfCls(id: Node): string | undefined {
    const found = this.scopes.resolveIdentifier(id);
    const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
    if (b?.kind !== 'parameter' || b.index !== 0 || b.scope.kind !== 'function' || b.scope.parent?.kind !== 'class')
      return undefined;
    const cls = b.scope.parent;
    if (cls.path === undefined) return undefined;
    const isClassMethod = b.scope.decorators.some((d) => this.qname(d, 1) === 'builtins.classmethod');
    return isClassMethod ? `${this.module.moduleName}.${cls.path}` : undefined;
  }

  /**
   * The kind of `self.<attr>` on an instance of a class of this module, when the class (its own
   * body, not a base) assigns that attribute exactly once: `self.loop = asyncio.get_event_loop()`
   * in `__init__`. A method or class attribute of that name, or a second assignment: unknown.
   */
  private instanceAttributeKind(classQname: string, attr: string, depth: number): Kind | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const def = this.ownDefinition(classQname);
    if (def?.type !== 'class_definition') return undefined;
    const scope = this.scopes.scopeOf(def);
    if (!scope) return undefined;
    const declared = scope.bindings.get(attr);
    if (declared) {
      // A field declared with an annotation in the class body (`path: Path`, dataclasses).
      const d = declared.length === 1 ? declared[0] : undefined;
      return d?.kind === 'value' && d.annotation ? this.annotationKind(d.annotation) : undefined;
    }
    let table = this.instanceAttributes.get(def.id);
    if (!table) {
      table = this.collectInstanceAttributes(def, scope);
      this.instanceAttributes.set(def.id, table);
    }
    const writes = table.get(attr);
    if (writes?.length !== 1) return undefined;
    const { value, unpack } = writes[0];
    const key = value.id * 64 + (unpack ?? 63);
    if (this.visiting.has(-key - 1)) return undefined;
    this.visiting.add(-key - 1);
    try {
      const k = this.kind(value, depth + 1, false);
      if (unpack === undefined) return typeof k === 'string' ? k : undefined;
      return Array.isArray(k) ? k[unpack] || undefined : undefined;
    } finally {
      this.visiting.delete(-key - 1);
    }
  }

  private collectInstanceAttributes(
    def: Node,
    classScope: Scope,
  ): Map<string, { value: Node; unpack: number | undefined }[]> {
    const table = new Map<string, { value: Node; unpack: number | undefined }[]>();
    const add = (name: string, value: Node, unpack: number | undefined) => {
      const list = table.get(name);
      if (list) list.push({ value, unpack });
      else table.set(name, [{ value, unpack }]);
    };
    const selfAttribute = (target: Node): string | undefined => {
      if (target.type !== 'attribute') return undefined;
      const object = target.childForFieldName('object');
      if (object?.type !== 'identifier') return undefined;
      const found = this.scopes.resolveIdentifier(object);
      const b = found?.bindings.length === 1 ? found.bindings[0] : undefined;
      if (b?.kind !== 'parameter' || b.index !== 0 || b.scope.parent !== classScope) return undefined;
      return target.childForFieldName('attribute')?.text;
    };
    for (const node of def.descendantsOfType(['assignment', 'augmented_assignment'])) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left) continue;
      if (left.type === 'attribute') {
        const name = selfAttribute(left);
        // An augmented write (`self.n += 1`) or an annotation-only one counts as a second, unknown value.
        if (name !== undefined) add(name, node.type === 'assignment' && right ? right : node, undefined);
      } else if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
        left.namedChildren.forEach((c, i) => {
          const name = c ? selfAttribute(c) : undefined;
          if (name !== undefined) add(name, right ?? node, right ? i : undefined);
        });
      }
    }
    return table;
  }

  /** The qualified name an identifier itself denotes (import, def, class, builtin); not variables. */
  private identifierQname(id: Node): string | undefined {
    const found = this.scopes.resolveIdentifier(id);
    if (!found) {
      const name = id.text;
      for (const star of this.scopes.starImports) {
        const s = this.lookupCached(`${star}.${name}`);
        if (s) return `${star}.${name}`;
      }
      return `builtins.${name}`;
    }
    let q: string | undefined;
    for (const b of found.bindings) {
      let this_q: string | undefined;
      if (b.kind === 'import') this_q = b.target;
      else if ((b.kind === 'function' || b.kind === 'class') && b.scope.path !== undefined)
        this_q = `${this.module.moduleName}.${b.scope.path}`;
      else return undefined;
      if (this_q === undefined || (q !== undefined && q !== this_q)) return undefined;
      q = this_q;
    }
    return q;
  }

  private kind(expr: Node, depth: number, awaited: boolean): Kind | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expr.type) {
      case 'parenthesized_expression': {
        const inner = expr.namedChild(0);
        return inner ? this.kind(inner, depth + 1, awaited) : undefined;
      }
      case 'await': {
        const inner = expr.namedChild(0);
        return inner ? this.kind(inner, depth + 1, true) : undefined;
      }
      case 'identifier':
        return this.identifierKind(expr, depth);
      case 'assignment': {
        // a = b = value
        const right = expr.childForFieldName('right');
        return right ? this.kind(right, depth + 1, awaited) : undefined;
      }
      case 'call': {
        const callee = this.calleeAt(expr, depth + 1);
        const q = callee.qname;
        if (!q) return undefined;
        const returned = this.catalog.returns(q);
        if (returned !== undefined) return this.catalog.isCoroutine(q) && !awaited ? undefined : returned;
        if (callee.definition?.type === 'class_definition') return q;
        if (!this.isOwn(q) && this.lookupCached(q)?.kind === 'class') return q;
        return undefined;
      }
      case 'tuple':
      case 'expression_list': {
        // `a, b = Path(x), Path(y)`: the kinds of the items ('' for an unknown one).
        const items = expr.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
        if (items.length > 16 || items.some((c) => c.type === 'list_splat')) return undefined;
        const kinds = items.map((c) => {
          const k = this.kind(c, depth + 1, false);
          return typeof k === 'string' ? k : '';
        });
        return kinds.some((k) => k !== '') ? kinds : undefined;
      }
      case 'attribute': {
        // `self.loop` where the class assigns `self.loop = asyncio.get_event_loop()` once.
        const object = expr.childForFieldName('object');
        const attr = expr.childForFieldName('attribute');
        if (object?.type !== 'identifier' || !attr) return undefined;
        const k = this.kind(object, depth + 1, false);
        return typeof k === 'string' && this.isOwn(k) ? this.instanceAttributeKind(k, attr.text, depth + 1) : undefined;
      }
      case 'binary_operator': {
        // Path / "name" is a Path.
        const left = expr.childForFieldName('left');
        const op = expr.childForFieldName('operator');
        if (left && op?.type === '/' && this.kind(left, depth + 1, false) === 'pathlib.Path') return 'pathlib.Path';
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private identifierKind(id: Node, depth: number): Kind | undefined {
    const found = this.scopes.resolveIdentifier(id);
    if (!found) return undefined;
    let kind: Kind | undefined;
    for (const b of found.bindings) {
      const k = this.bindingKind(b, depth);
      if (k === undefined) return undefined;
      if (kind !== undefined && !sameKind(kind, k)) return undefined;
      kind = k;
    }
    return kind;
  }

  /** The kind a binding gives its name; cached per binding node. */
  bindingKind(b: Binding, depth = 0): Kind | undefined {
    const key = b.node.id;
    if (this.kindCache.has(key)) return this.kindCache.get(key);
    if (this.visiting.has(key)) return undefined;
    this.visiting.add(key);
    let k: Kind | undefined;
    try {
      k = this.computeBindingKind(b, depth);
    } finally {
      this.visiting.delete(key);
    }
    this.kindCache.set(key, k);
    return k;
  }

  private computeBindingKind(b: Binding, depth: number): Kind | undefined {
    switch (b.kind) {
      case 'parameter': {
        if (b.annotation) return this.annotationKind(b.annotation);
        // `self` in a method is an instance of the enclosing class.
        if (b.index === 0 && b.scope.kind === 'function' && b.scope.parent?.kind === 'class') {
          const cls = b.scope.parent;
          if (cls.path === undefined) return undefined;
          const plain = b.scope.decorators.every((d) => {
            const q = this.qname(d, depth + 1);
            return q !== 'builtins.staticmethod' && q !== 'builtins.classmethod';
          });
          return plain ? `${this.module.moduleName}.${cls.path}` : undefined;
        }
        return undefined;
      }
      case 'value': {
        if (b.annotation) {
          const k = this.annotationKind(b.annotation);
          if (k) return k;
        }
        if (!b.value) return undefined;
        const k = this.kind(b.value, depth + 1, false);
        if (b.unpack === undefined) return typeof k === 'string' ? k : undefined;
        return Array.isArray(k) ? k[b.unpack] || undefined : undefined;
      }
      default:
        return undefined;
    }
  }
}

function sameKind(a: Kind, b: Kind): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
