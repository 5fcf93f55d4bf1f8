// Scopes and bindings of one Python module, from one iterative walk of its tree: which names each
// module, class, function, lambda and comprehension binds, and how (import, def, class, parameter,
// assignment, `with ... as`, loop target). Python scoping is by function, not by statement, so
// bindings are flow-insensitive: a name assigned anywhere in a function is local to all of it, and
// a module-level `def open()` hides the builtin everywhere. This layer is pure syntax; names.ts
// turns bindings into qualified names and kinds.
import type { SyntaxNode as Node, SyntaxTree } from './syntax';
import { boundIdentifiers } from './dataflow';
import { compactText } from './utils';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

export type Binding =
  /** `import a.b` (binds `a`, target `a`), `import a.b as c` (target `a.b`), `from m import x as y` (target `m.x`). */
  | { kind: 'import'; name: string; node: Node; target: string | undefined }
  | { kind: 'function'; name: string; node: Node; isAsync: boolean; scope: Scope }
  | { kind: 'class'; name: string; node: Node; scope: Scope }
  /** `index` is the parameter's position; `annotation` its type expression. */
  | { kind: 'parameter'; name: string; node: Node; index: number; annotation: Node | undefined; scope: Scope }
  /**
   * `name = value`, `name: T = value`, `(name := value)`, `with value as name`: `unpack` is the
   * position in a tuple target (`reader, writer = ...`), `via` says which form.
   */
  | {
      kind: 'value';
      name: string;
      node: Node;
      value: Node | undefined;
      annotation: Node | undefined;
      unpack: number | undefined;
      via: 'assign' | 'walrus' | 'with';
    }
  /** Loop and comprehension targets. */
  | { kind: 'loop'; name: string; node: Node }
  /** `x += 1`, `except E as x`, anything else that rebinds a name to an unknown value. */
  | { kind: 'other'; name: string; node: Node };

export interface Scope {
  readonly kind: ScopeKind;
  /** module, class_definition, function_definition, lambda, or the comprehension node. */
  readonly node: Node;
  readonly parent: Scope | undefined;
  /** Where names resolve to this scope: from the parameters (or class body) to the end. */
  readonly start: number;
  readonly end: number;
  /** Where code runs as part of this scope: the body (defaults and decorators run outside). */
  readonly bodyStart: number;
  readonly isAsync: boolean;
  /** The def or class name. */
  readonly name: string | undefined;
  /** Dotted path inside the module for defs and classes reachable by name: `f`, `C`, `C.m`. */
  readonly path: string | undefined;
  readonly bindings: Map<string, Binding[]>;
  readonly globals: Set<string>;
  readonly nonlocals: Set<string>;
  /** Decorator expressions of a def or class. */
  readonly decorators: Node[];
}

/** Node types the scope walk looks at; every other node is only passed through. */
const HANDLED = new Set([
  'decorated_definition',
  'function_definition',
  'class_definition',
  'lambda',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
  'for_in_clause',
  'for_statement',
  'assignment',
  'augmented_assignment',
  'named_expression',
  'with_item',
  'except_clause',
  'except_group_clause',
  'import_statement',
  'import_from_statement',
  'global_statement',
  'nonlocal_statement',
]);
// What a grammar symbol is to the scope walk: passed through, handled, or skipped with its subtree
// (ERROR, strings, comments).
const PASS = 0;
const HANDLE = 1;
const SKIP = 2;

/** The scope walk's role of each symbol of a tree's grammar (kept per grammar). */
const rolesByGrammar = new WeakMap<object, Uint8Array>();
function walkRoles(tree: SyntaxTree): Uint8Array {
  let roles = rolesByGrammar.get(tree.grammar);
  if (!roles) {
    const types = tree.grammar.types;
    roles = new Uint8Array(types.length);
    for (let s = 0; s < types.length; s++) {
      const type = types[s] || 'ERROR';
      roles[s] = type === 'ERROR' || type === 'string' || type === 'comment' ? SKIP : HANDLED.has(type) ? HANDLE : PASS;
    }
    rolesByGrammar.set(tree.grammar, roles);
  }
  return roles;
}

/** Qualified module target of an import, given the importing module's package (for relative imports). */
export function importTarget(moduleNode: Node, packageName: string | undefined): string | undefined {
  if (moduleNode.type === 'dotted_name') return compactText(moduleNode);
  if (moduleNode.type !== 'relative_import') return undefined;
  const prefix = moduleNode.namedChildren.find((c) => c?.type === 'import_prefix');
  const level = prefix ? prefix.text.length : 0;
  const rest = moduleNode.namedChildren.find((c) => c?.type === 'dotted_name');
  if (packageName === undefined) return undefined;
  const parts = packageName === '' ? [] : packageName.split('.');
  if (level - 1 > parts.length) return undefined;
  const base = parts.slice(0, parts.length - (level - 1));
  if (rest) base.push(compactText(rest));
  return base.length > 0 ? base.join('.') : undefined;
}

/**
 * The names an import statement binds, with their qualified targets. A `from m import *` binds
 * nothing here; its module is returned in `star`.
 */
export function importBindings(
  stmt: Node,
  packageName: string | undefined,
): { bindings: { name: string; node: Node; target: string | undefined }[]; star?: string } {
  const bindings: { name: string; node: Node; target: string | undefined }[] = [];
  if (stmt.type === 'import_statement') {
    for (const name of stmt.childrenForFieldName('name')) {
      if (name.type === 'aliased_import') {
        const alias = name.childForFieldName('alias');
        const target = name.childForFieldName('name');
        if (alias && target) bindings.push({ name: alias.text, node: alias, target: compactText(target) });
      } else if (name.type === 'dotted_name') {
        const first = name.namedChild(0);
        if (first) bindings.push({ name: first.text, node: first, target: first.text });
      }
    }
    return { bindings };
  }
  if (stmt.type !== 'import_from_statement') return { bindings };
  const moduleNode = stmt.childForFieldName('module_name');
  const module = moduleNode ? importTarget(moduleNode, packageName) : undefined;
  if (stmt.namedChildren.some((c) => c?.type === 'wildcard_import')) return { bindings, star: module };
  for (const name of stmt.childrenForFieldName('name')) {
    if (name.type === 'aliased_import') {
      const alias = name.childForFieldName('alias');
      const target = name.childForFieldName('name');
      if (alias && target)
        bindings.push({ name: alias.text, node: alias, target: module && `${module}.${compactText(target)}` });
    } else if (name.type === 'dotted_name') {
      bindings.push({ name: name.text, node: name, target: module && `${module}.${compactText(name)}` });
    }
  }
  return { bindings };
}

/** Targets whose elements are the items of the assigned value, in order: `a, b = pair`. */
const FLAT_TARGETS: ReadonlySet<string> = new Set(['pattern_list', 'tuple_pattern', 'tuple', 'list_pattern', 'list']);

/**
 * Identifiers a target binds (`a`, `a, b`, `(a, [b, *c])`), in source order, each with its position
 * in the assigned tuple when it is an element of a flat one (`b` of `a, b = pair`: 1).
 */
export function targetNames(target: Node): { node: Node; unpack: number | undefined }[] {
  const top = target.type === 'as_pattern_target' ? target.namedChild(0) : target;
  if (!top) return [];
  const position = new Map<number, number>();
  if (FLAT_TARGETS.has(top.type)) {
    for (const c of top.namedChildren) if (c.type !== 'comment') position.set(c.id, position.size);
  }
  return boundIdentifiers(top).ids.map((node) => ({ node, unpack: position.get(node.id) }));
}

class ScopeImpl implements Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  decorators: Node[] = [];
  constructor(
    readonly kind: ScopeKind,
    readonly node: Node,
    readonly parent: Scope | undefined,
    readonly start: number,
    readonly end: number,
    readonly bodyStart: number,
    readonly isAsync: boolean,
    readonly name: string | undefined,
    readonly path: string | undefined,
  ) {}

  contains(start: number, end: number): boolean {
    return this.start <= start && end <= this.end;
  }
}

/**
 * Builds the scopes of a module by one walk over its nodes. A class rather than closures in the
 * constructor: its methods are compiled once and warm up over every module of a run.
 */
class ScopeBuilder {
  readonly module: ScopeImpl;
  readonly all: ScopeImpl[];
  readonly starImports: string[] = [];
  readonly byNode = new Map<number, Scope>();
  private readonly decoratorsOf = new Map<number, Node[]>();
  /** Open scopes, each with the end of its node's subtree. */
  private readonly stack: { scope: ScopeImpl; until: number }[];

  constructor(
    private readonly tree: SyntaxTree,
    private readonly packageName: string | undefined,
  ) {
    const root = tree.rootNode;
    this.module = new ScopeImpl(
      'module',
      root,
      undefined,
      root.startIndex,
      root.endIndex,
      root.startIndex,
      false,
      undefined,
      undefined,
    );
    this.all = [this.module];
    this.stack = [{ scope: this.module, until: Infinity }];
  }

  /** Nodes in walk order; a node object is made only for the types handled below. */
  run(): void {
    const { tree, stack } = this;
    const { after, count, symbol } = tree.arrays;
    const roles = walkRoles(tree);
    const types = tree.grammar.types;
    for (let i = 0; i < count; ) {
      const s = symbol[i];
      const role = s < roles.length ? roles[s] : SKIP;
      while (stack.length > 1 && stack[stack.length - 1].until <= i) stack.pop();
      let descend = role !== SKIP;
      if (role === HANDLE) descend = this.handle(tree.node(i)!, types[s], after[i]);
      i = descend ? i + 1 : after[i];
    }
  }

  private at(start: number, end: number): ScopeImpl {
    const stack = this.stack;
    for (let i = stack.length - 1; i > 0; i--) {
      const s = stack[i].scope;
      if (s.contains(start, end)) return s;
    }
    return this.module;
  }

  private open(inner: ScopeImpl, until: number): void {
    this.all.push(inner);
    this.byNode.set(inner.node.id, inner);
    this.stack.push({ scope: inner, until });
  }

  /** Records what a handled node binds or opens; false if its children need no visit. */
  private handle(node: Node, type: string, until: number): boolean {
    const scope = this.at(node.startIndex, node.endIndex);
    switch (type) {
      case 'decorated_definition': {
        const def = node.childForFieldName('definition');
        if (def)
          this.decoratorsOf.set(
            def.id,
            node.namedChildren
              .filter((c): c is Node => c?.type === 'decorator')
              .map((d) => d.namedChild(0)!)
              .filter(Boolean),
          );
        break;
      }
      case 'function_definition':
      case 'class_definition': {
        const nameNode = node.childForFieldName('name');
        const body = node.childForFieldName('body');
        const name = nameNode?.text;
        const isFunction = node.type === 'function_definition';
        const params = isFunction ? node.childForFieldName('parameters') : null;
        const start = isFunction
          ? (params?.startIndex ?? body?.startIndex ?? node.endIndex)
          : (body?.startIndex ?? node.endIndex);
        const isAsync = isFunction && node.child(0)?.type === 'async';
        const inner = new ScopeImpl(
          isFunction ? 'function' : 'class',
          node,
          scope,
          start,
          node.endIndex,
          body?.startIndex ?? node.endIndex,
          isAsync,
          name,
          name !== undefined ? childPath(scope, name) : undefined,
        );
        inner.decorators = this.decoratorsOf.get(node.id) ?? [];
        if (name !== undefined && nameNode) {
          this.bindIn(
            scope,
            isFunction
              ? { kind: 'function', name, node, isAsync, scope: inner }
              : { kind: 'class', name, node, scope: inner },
          );
        }
        this.open(inner, until);
        if (isFunction) this.bindParameters(inner, params);
        break;
      }
      case 'lambda': {
        const params = node.childForFieldName('parameters');
        const body = node.childForFieldName('body');
        const start = params?.startIndex ?? body?.startIndex ?? node.endIndex;
        const inner = new ScopeImpl(
          'lambda',
          node,
          scope,
          start,
          node.endIndex,
          body?.startIndex ?? node.endIndex,
          false,
          undefined,
          undefined,
        );
        this.open(inner, until);
        this.bindParameters(inner, params);
        break;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        this.open(
          new ScopeImpl(
            'comprehension',
            node,
            scope,
            node.startIndex,
            node.endIndex,
            node.startIndex,
            false,
            undefined,
            undefined,
          ),
          until,
        );
        break;
      case 'for_in_clause':
      case 'for_statement':
        this.bindTarget(scope, node.childForFieldName('left'), (name, n) => ({ kind: 'loop', name, node: n }));
        break;
      case 'assignment': {
        const left = node.childForFieldName('left');
        const value = node.childForFieldName('right') ?? undefined;
        const annotation = node.childForFieldName('type') ?? undefined;
        // `self.x = ...` and `d[k] = ...` bind no name.
        this.bindTarget(scope, left, (name, n, unpack) => ({
          kind: 'value',
          name,
          node: n,
          value,
          annotation,
          unpack,
          via: 'assign',
        }));
        break;
      }
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier') this.bindIn(scope, { kind: 'other', name: left.text, node: left });
        break;
      }
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value') ?? undefined;
        if (name)
          this.bindIn(functionLevel(scope), {
            kind: 'value',
            name: name.text,
            node: name,
            value,
            annotation: undefined,
            unpack: undefined,
            via: 'walrus',
          });
        break;
      }
      case 'with_item': {
        const v = node.childForFieldName('value');
        if (v?.type === 'as_pattern') {
          const value = v.namedChild(0) ?? undefined;
          this.bindTarget(scope, v.childForFieldName('alias'), (name, n, unpack) => ({
            kind: 'value',
            name,
            node: n,
            value,
            annotation: undefined,
            unpack,
            via: 'with',
          }));
        }
        break;
      }
      case 'except_clause':
      case 'except_group_clause': {
        for (const c of node.namedChildren) {
          if (c?.type === 'as_pattern')
            this.bindTarget(scope, c.childForFieldName('alias'), (name, n) => ({ kind: 'other', name, node: n }));
        }
        break;
      }
      case 'import_statement':
      case 'import_from_statement': {
        const { bindings, star } = importBindings(node, this.packageName);
        for (const b of bindings) this.bindIn(scope, { kind: 'import', ...b });
        if (star !== undefined && scope === this.module) this.starImports.push(star);
        return false;
      }
      case 'global_statement':
      case 'nonlocal_statement': {
        const set = node.type === 'global_statement' ? scope.globals : scope.nonlocals;
        for (const c of node.namedChildren) if (c?.type === 'identifier') set.add(c.text);
        return false;
      }
    }
    return true;
  }

  private bindIn(scope: ScopeImpl, b: Binding): void {
    let target: ScopeImpl = scope;
    if (scope.globals.has(b.name)) target = this.module;
    else if (scope.nonlocals.has(b.name)) {
      for (
        let s = scope.parent as ScopeImpl | undefined;
        s && s !== this.module;
        s = s.parent as ScopeImpl | undefined
      ) {
        if (s.kind !== 'class' && s.bindings.has(b.name)) {
          target = s;
          break;
        }
      }
    }
    const list = target.bindings.get(b.name);
    if (list) list.push(b);
    else target.bindings.set(b.name, [b]);
  }

  private bindParameters(scope: ScopeImpl, params: Node | null): void {
    if (!params) return;
    let index = 0;
    for (const p of params.namedChildren) {
      if (!p) continue;
      let nameNode: Node | null = null;
      let annotation: Node | undefined;
      switch (p.type) {
        case 'identifier':
          nameNode = p;
          break;
        case 'typed_parameter':
          nameNode = p.namedChildren.find((c) => c?.type === 'identifier') ?? null;
          if (!nameNode) nameNode = p.namedChild(0)?.namedChild(0) ?? null; // *args: T
          annotation = p.childForFieldName('type') ?? undefined;
          break;
        case 'default_parameter':
          nameNode = p.childForFieldName('name');
          break;
        case 'typed_default_parameter':
          nameNode = p.childForFieldName('name');
          annotation = p.childForFieldName('type') ?? undefined;
          break;
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
          nameNode = p.namedChild(0);
          break;
        default:
          continue;
      }
      if (nameNode?.type === 'identifier') {
        this.bindIn(scope, { kind: 'parameter', name: nameNode.text, node: nameNode, index, annotation, scope });
      }
      index++;
    }
  }

  private bindTarget(
    scope: ScopeImpl,
    target: Node | null,
    make: (name: string, node: Node, unpack: number | undefined) => Binding,
  ): void {
    if (!target) return;
    for (const { node, unpack } of targetNames(target)) this.bindIn(scope, make(node.text, node, unpack));
  }
}

/** Comprehension targets and walrus names bind in the nearest non-comprehension scope. */
function functionLevel(s: ScopeImpl): ScopeImpl {
  let cur: ScopeImpl = s;
  while (cur.kind === 'comprehension' && cur.parent) cur = cur.parent as ScopeImpl;
  return cur;
}

function childPath(scope: ScopeImpl, name: string): string | undefined {
  if (scope.kind === 'module') return name;
  if ((scope.kind === 'class' || scope.kind === 'function') && scope.path !== undefined) {
    return scope.kind === 'class' ? `${scope.path}.${name}` : `${scope.path}.<locals>.${name}`;
  }
  return undefined;
}

export interface ScopeOptions {
  /** The package of the module, for relative imports: '' for a top-level module; undefined if unknown. */
  packageName: string | undefined;
}

/** All scopes of a module. Built by one walk; queries are by node position. */
export class ModuleScopes {
  readonly module: Scope;
  /** Every scope, sorted by start. */
  readonly scopes: readonly Scope[];
  /** `from m import *` modules at module level. */
  readonly starImports: string[];
  private readonly byNode: ReadonlyMap<number, Scope>;

  constructor(tree: SyntaxTree, options: ScopeOptions) {
    const built = new ScopeBuilder(tree, options.packageName);
    built.run();
    this.module = built.module;
    this.scopes = built.all.sort((a, b) => a.start - b.start);
    this.starImports = built.starImports;
    this.byNode = built.byNode;
  }

  /** The scope a function, lambda, class or comprehension node opens. */
  scopeOf(node: Node): Scope | undefined {
    return this.byNode.get(node.id);
  }

  /** The innermost scope whose names are visible at [start, end). */
  scopeAt(start: number, end = start): Scope {
    const scopes = this.scopes;
    let lo = 0;
    let hi = scopes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (scopes[mid].start <= start) lo = mid;
      else hi = mid - 1;
    }
    for (let s: Scope | undefined = scopes[lo]; s; s = s.parent) {
      if (s.start <= start && end <= s.end) return s;
    }
    return this.module;
  }

  /**
   * The innermost function or lambda whose body runs the code at `node` (comprehensions and class
   * bodies are transparent; default values and decorators run in the enclosing scope), or
   * undefined at module level.
   */
  enclosingFunction(node: Node): Scope | undefined {
    for (let s: Scope | undefined = this.scopeAt(node.startIndex, node.endIndex); s; s = s.parent) {
      if ((s.kind === 'function' || s.kind === 'lambda') && node.startIndex >= s.bodyStart) return s;
    }
    return undefined;
  }

  /**
   * The bindings a name refers to from `scope`, following Python's rules: local, then enclosing
   * functions (class bodies are skipped for code nested in them), then the module. Undefined when
   * nothing in the module binds it (a builtin, a star import, or a typo).
   */
  lookup(name: string, scope: Scope): { scope: Scope; bindings: Binding[] } | undefined {
    let first = true;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.kind === 'class' && !first) continue;
      if (s.globals.has(name)) break;
      if (!s.nonlocals.has(name)) {
        const b = s.bindings.get(name);
        if (b) return { scope: s, bindings: b };
      }
      first = false;
    }
    const b = this.module.bindings.get(name);
    return b ? { scope: this.module, bindings: b } : undefined;
  }

  /** The bindings an identifier node refers to (see lookup). */
  resolveIdentifier(identifier: Node): { scope: Scope; bindings: Binding[] } | undefined {
    return this.lookup(identifier.text, this.scopeAt(identifier.startIndex, identifier.endIndex));
  }
}
