// Where an expression's value is used as a plain value: tested for truth, compared, subscripted,
// iterated by a sync `for`, unpacked, interpolated, given to a conversion. A coroutine object in
// such a place is always a mistake (a coroutine is always true, never equal to a result, has no
// items), so unawaited reports a coroutine call (or a variable holding one) found there. Pure
// syntax, except `plainArgument`, which asks the resolver what a call's callee is.
import { inMask, symbolMask, type SyntaxNode as Node } from './syntax';
import type { NameResolver } from './names';
import { compactText, withParentheses } from './utils';

/** What is done with the value, for messages: "is tested for truth", "is subscripted". */
export type ValueUse = string;

/** Attributes of a coroutine object itself: reading them is not a use of the awaited value. */
const COROUTINE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'send',
  'throw',
  'close',
  'cr_await',
  'cr_frame',
  'cr_running',
  'cr_code',
  'cr_origin',
  'cr_suspended',
  '__await__',
  '__name__',
  '__qualname__',
  '__class__',
]);

/**
 * Functions that take plain values and never an awaitable: a coroutine passed to one is used as
 * a value (`str(self.read())`). Qualified names as names.ts resolves them.
 */
export const PLAIN_VALUE_FUNCTIONS: ReadonlySet<string> = new Set([
  ...[
    'str',
    'repr',
    'len',
    'bool',
    'int',
    'float',
    'bytes',
    'print',
    'list',
    'tuple',
    'set',
    'frozenset',
    'sorted',
    'reversed',
    'enumerate',
    'zip',
    'sum',
    'min',
    'max',
    'any',
    'all',
    'abs',
    'round',
    'format',
    'hash',
    'iter',
    'next',
    'ord',
    'chr',
    'hex',
    'divmod',
  ].map((n) => `builtins.${n}`),
  'json.dumps',
  'json.dump',
  'json.loads',
]);

function parenthesizedParent(node: Node): { child: Node; parent: Node | null } {
  const child = withParentheses(node);
  return { child, parent: child.parent };
}

function isAsyncFor(node: Node): boolean {
  for (const c of node.children) {
    if (c.type === 'async') return true;
    if (c.type === 'for') return false;
  }
  return false;
}

/** How the value of `node` is used, when syntax alone shows it is used as a plain value. */
export function valueUse(node: Node): ValueUse | undefined {
  let { child, parent } = parenthesizedParent(node);
  // `(conn := get()) is not None`: the walrus passes the value on.
  while (parent?.type === 'named_expression' && parent.childForFieldName('value')?.id === child.id)
    ({ child, parent } = parenthesizedParent(parent));
  if (!parent) return undefined;
  const is = (field: string) => parent.childForFieldName(field)?.id === child.id;
  switch (parent.type) {
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
      return is('condition') ? 'is tested for truth (a coroutine is always true)' : undefined;
    case 'conditional_expression':
      return parent.namedChild(1)?.id === child.id ? 'is tested for truth (a coroutine is always true)' : undefined;
    case 'assert_statement':
      return parent.namedChild(0)?.id === child.id ? 'is asserted (a coroutine is always true)' : undefined;
    case 'not_operator':
      return 'is negated (a coroutine is always true)';
    case 'boolean_operator':
      return 'is an operand of and/or (a coroutine is always true)';
    case 'comparison_operator':
      return 'is compared (a coroutine is never equal to its result)';
    case 'binary_operator':
    case 'unary_operator':
      return 'is an operand of arithmetic';
    case 'interpolation':
      return is('expression') ? 'is formatted into an f-string' : undefined;
    case 'subscript':
      return is('value') ? 'is subscripted' : undefined;
    case 'attribute': {
      if (!is('object')) return undefined;
      const name = parent.childForFieldName('attribute')?.text ?? '';
      return COROUTINE_ATTRIBUTES.has(name) ? undefined : `has its attribute '${name}' read`;
    }
    case 'for_statement':
      return is('right') && !isAsyncFor(parent) ? 'is iterated by a sync for' : undefined;
    case 'for_in_clause':
      return is('right') && !isAsyncFor(parent) ? 'is iterated by a sync for' : undefined;
    case 'assignment': {
      if (!is('right')) return undefined;
      const left = parent.childForFieldName('left');
      return left && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern')
        ? 'is unpacked'
        : undefined;
    }
    default:
      return undefined;
  }
}

/** The positional index of an argument in its call, or undefined (keyword, after a splat). */
function positionOf(arg: Node, list: Node): number | undefined {
  let i = 0;
  for (const a of list.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.id === arg.id) return i;
    if (a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat') return undefined;
    i++;
  }
  return undefined;
}

/**
 * When `node` is a positional argument of a call to a function that takes only plain values there
 * (PLAIN_VALUE_FUNCTIONS, or a sync module-level function of the file or the workspace whose body
 * uses that parameter only as a plain value), the use; otherwise undefined.
 */
export function plainArgument(node: Node, names: NameResolver): ValueUse | undefined {
  const { child, parent } = parenthesizedParent(node);
  if (parent?.type !== 'argument_list') return undefined;
  const call = parent.parent;
  if (call?.type !== 'call') return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' && fn?.type !== 'attribute') return undefined;
  // `await passthrough(self.fetch())`: whatever the function does, its result is awaited.
  if (parenthesizedParent(call).parent?.type === 'await') return undefined;
  const position = positionOf(child, parent);
  if (position === undefined) return undefined;
  const callee = names.callee(call);
  const written = compactText(fn);
  if (callee.qname && PLAIN_VALUE_FUNCTIONS.has(callee.qname)) return `is passed to '${written}()'`;
  const def = callee.definition;
  if (def) {
    if (def.type !== 'function_definition' || def.child(0)?.type === 'async') return undefined;
    const scope = names.scopes.scopeOf(def);
    if (scope?.parent?.kind !== 'module') return undefined; // methods: the receiver shifts the positions
    return plainParameters(def).includes(position)
      ? `is passed to '${written}()', which uses it as a plain value`
      : undefined;
  }
  if (!callee.qname) return undefined;
  const symbol = names.workspaceSymbol(callee.qname);
  if (symbol?.kind === 'function' && !symbol.isAsync && symbol.plainParameters?.includes(position)) {
    return `is passed to '${written}()', which uses it as a plain value`;
  }
  return undefined;
}

const plainCache = new WeakMap<Node, number[]>();

/**
 * The positions of the parameters a sync function uses only as plain values: never reassigned,
 * read at least once as a value (valueUse, or given to a PLAIN_VALUE_FUNCTIONS builtin by name),
 * and otherwise only returned (possibly through a conditional expression). Any other read (an
 * argument to another call, stored, awaited, captured by a nested function) makes it unknown.
 */
export function plainParameters(def: Node): number[] {
  const cached = plainCache.get(def);
  if (cached) return cached;
  const out: number[] = [];
  const params = def.childForFieldName('parameters');
  const body = def.childForFieldName('body');
  if (params && body) {
    let index = 0;
    for (const p of params.namedChildren) {
      if (!p) continue;
      let name: Node | null = null;
      if (p.type === 'identifier') name = p;
      else if (p.type === 'typed_parameter') name = p.namedChild(0);
      else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter')
        name = p.childForFieldName('name');
      else if (p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern') continue;
      if (name?.type === 'identifier' && usedOnlyAsPlainValue(name.text, body)) out.push(index);
      index++;
    }
  }
  plainCache.set(def, out);
  return out;
}

const NESTED_SCOPE_LIST = ['function_definition', 'lambda', 'class_definition'];
const NESTED_SCOPES = new Set(NESTED_SCOPE_LIST);

function usedOnlyAsPlainValue(name: string, body: Node): boolean {
  const tree = body.tree;
  const { start, end, parent, after } = tree.arrays;
  const text = tree.text;
  let evidence = false;
  for (let i = body.id; i < after[body.id]; ) {
    const type = tree.typeOf(i);
    if (NESTED_SCOPES.has(type)) {
      // A nested scope that mentions the name captures it: unknown.
      const slice = text.slice(start[i], end[i]);
      if (new RegExp(`\\b${name}\\b`).test(slice)) return false;
      i = after[i];
      continue;
    }
    if (type === 'identifier' && end[i] - start[i] === name.length && text.startsWith(name, start[i])) {
      const node = tree.node(i)!;
      const p = parent[i] >= 0 ? tree.node(parent[i]) : null;
      if (p?.type === 'attribute' && p.childForFieldName('attribute')?.id === node.id) {
        i++;
        continue;
      }
      if (p?.type === 'keyword_argument' && p.childForFieldName('name')?.id === node.id) {
        i++;
        continue;
      }
      if (p?.type === 'assignment' && p.childForFieldName('left')?.id === node.id) return false; // reassigned
      const use = valueUse(node);
      if (use !== undefined) {
        // A truth test or an identity check (`if x`, `x is None`) also suits an awaitable passed through.
        if (!TRUTH_USE.test(use) && !isIdentityCheck(node)) evidence = true;
      } else if (isPlainBuiltinArgument(node)) {
        evidence = true;
      } else if (!isReturned(node) && !isIsinstanceArgument(node)) {
        return false;
      }
    }
    i++;
  }
  return evidence;
}

const PLAIN_BUILTIN_NAMES = new Set(
  [...PLAIN_VALUE_FUNCTIONS].filter((q) => q.startsWith('builtins.')).map((q) => q.slice(9)),
);

/** `str(x)`, `len(x)`: by spelling, inside one function body (a shadowing definition there is unlikely). */
function isPlainBuiltinArgument(node: Node): boolean {
  const { parent } = parenthesizedParent(node);
  if (parent?.type !== 'argument_list') return false;
  const fn = parent.parent?.childForFieldName('function');
  return fn?.type === 'identifier' && PLAIN_BUILTIN_NAMES.has(fn.text);
}

function isIsinstanceArgument(node: Node): boolean {
  const { parent } = parenthesizedParent(node);
  const fn = parent?.type === 'argument_list' ? parent.parent?.childForFieldName('function') : undefined;
  return fn?.type === 'identifier' && fn.text === 'isinstance';
}

const TRUTH_USE = /always true/;

function isIdentityCheck(node: Node): boolean {
  const { parent } = parenthesizedParent(node);
  return parent?.type === 'comparison_operator' && parent.children.some((c) => c.type === 'is' || c.type === 'is not');
}

/** Whether the value of `node` is what the function returns (`return x`, `return a if c else x`). */
function isReturned(node: Node): boolean {
  let { child, parent } = parenthesizedParent(node);
  while (parent?.type === 'conditional_expression' && parent.namedChild(1)?.id !== child.id) {
    ({ child, parent } = parenthesizedParent(parent));
  }
  return parent?.type === 'return_statement';
}

const generatorCache = new WeakMap<Node, boolean>();

/** Whether a `def` has a `yield` in its own body (nested functions, lambdas and classes excluded). */
export function hasOwnYield(def: Node): boolean {
  const cached = generatorCache.get(def);
  if (cached !== undefined) return cached;
  const body = def.childForFieldName('body');
  let found = false;
  if (body) {
    const tree = body.tree;
    const { after, symbol } = tree.arrays;
    const yields = symbolMask(tree.grammar, 'yield');
    const nested = symbolMask(tree.grammar, NESTED_SCOPE_LIST);
    for (let i = body.id; i < after[body.id] && !found; ) {
      const s = symbol[i];
      if (inMask(yields, s)) found = true;
      i = inMask(nested, s) ? after[i] : i + 1;
    }
  }
  generatorCache.set(def, found);
  return found;
}
