// client-per-request (Python): an HTTP client session (`aiohttp.ClientSession`,
// `httpx.AsyncClient`, by import, from the catalog's CLIENT_SESSIONS) created per request. A
// session owns a connection pool: one per request means a new TCP (and TLS) handshake every time,
// no keep-alive, and sockets left in TIME_WAIT. Anchor: the constructor call. No fix: where the
// shared session should live (the caller, the application) is the author's choice.
//
// Flagged:
// - a session created in the body of a `for` / `async for` loop or in a comprehension's element, in
//   the same function: one per item;
// - a session created in the body of a `while` loop when it serves a single request per turn
//   (polling); a `while` loop that reconnects and keeps using its session is left alone;
// - a session in a function that makes a single request with it, when that function is called per
//   item in this module: in a loop body, a comprehension element (`gather(*(fetch(u) for u in
//   urls))`), or handed to `map`.
// A single request: the session is bound to one name (`async with C() as s`, `s = C()`), and the
// name is used exactly once as the receiver of a request method (`get`, `post`, ..., from the
// catalog), outside any loop, besides `close()` / `aclose()`. Any other use (passed on, returned,
// stored) means the session may serve more, and the rule stays quiet.
import type { SyntaxNode as Node } from '../syntax';
import { CLIENT_SESSIONS } from '../catalog';
import type { NameResolver } from '../names';
import type { PyRule, PyRuleContext } from '../rule';
import meta from '../../rules-meta/client-per-request';

export const clientPerRequest: PyRule = {
  id: meta.id,
  create(context) {
    // A session class is reached through an import that names its library: without the name in
    // the text, no call needs resolving.
    if (!SESSION_LIBRARIES.some((lib) => context.text.includes(lib))) return {};
    let callSites: Map<number, Node[]> | undefined;
    return {
      call(call) {
        const fn = call.childForFieldName('function');
        if (fn?.type !== 'identifier' && fn?.type !== 'attribute') return;
        const names = context.names;
        const qname = names.callee(call).qname;
        const session = qname ? context.catalog.clientSession(qname) : undefined;
        if (!qname || !session) return;
        const requests = singleRequest(call, session.requestMethods);

        const repeated = repetition(call);
        if (repeated && (repeated.kind !== 'while' || requests !== undefined)) {
          const where =
            repeated.kind === 'comprehension'
              ? 'for every item of this comprehension'
              : `on every turn of this ${repeated.kind} loop`;
          context.report(
            call,
            `A new ${qname} is created ${where}; each session opens its own connection pool, so no connection is reused. ` +
              `Create one session before the loop and reuse it for every request.`,
          );
          return;
        }
        if (!requests) return;
        const helper = enclosingDef(call);
        if (!helper) return;
        callSites ??= perItemCallSites(context, names);
        const sites = callSites.get(helper.id);
        if (!sites || sites.length === 0) return;
        const name = helper.childForFieldName('name')!.text;
        const line = sites[0].startPosition.row + 1;
        context.report(
          call,
          `'${name}' creates its own ${qname} for a single request and is called once per item (line ${line}); each call opens a new connection pool. ` +
            `Create one session where the items are processed and pass it to '${name}'.`,
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** The libraries (top-level modules) of the catalog's session classes. */
const SESSION_LIBRARIES: readonly string[] = [...new Set(Object.keys(CLIENT_SESSIONS).map((q) => q.split('.')[0]))];

const LIFECYCLE_METHODS: ReadonlySet<string> = new Set(['close', 'aclose']);

const COMPREHENSIONS: ReadonlySet<string> = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const SCOPES: ReadonlySet<string> = new Set(['function_definition', 'lambda', 'class_definition', 'module']);

/** Builtins that call their function argument once per item. */
const PER_ITEM_APPLY: ReadonlySet<string> = new Set(['builtins.map']);

/** Where a node runs once per item, relative to its enclosing function. */
type Repetition = { kind: 'for' | 'while' | 'comprehension'; node: Node } | undefined;

/** The innermost loop or comprehension that runs `node` repeatedly, within its function. */
function repetition(node: Node): Repetition {
  let child = node;
  for (let n = node.parent; n && !SCOPES.has(n.type); child = n, n = n.parent) {
    if (n.type === 'for_statement' || n.type === 'while_statement') {
      if (n.childForFieldName('body')?.id === child.id)
        return { kind: n.type === 'for_statement' ? 'for' : 'while', node: n };
    } else if (COMPREHENSIONS.has(n.type)) {
      // The first iterable is evaluated once, in the enclosing scope; everything else per item.
      const firstClause = n.namedChildren.find((c) => c?.type === 'for_in_clause');
      if (!isInside(node, firstClause?.childForFieldName('right'))) return { kind: 'comprehension', node: n };
    }
  }
  return undefined;
}

function isInside(node: Node, container: Node | null | undefined): boolean {
  return !!container && container.startIndex <= node.startIndex && node.endIndex <= container.endIndex;
}

/** The innermost `def` around a node (a lambda or class body in between: none). */
function enclosingDef(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return n;
    if (n.type === 'lambda' || n.type === 'class_definition') return undefined;
  }
  return undefined;
}

/** The name a constructor call is bound to: `async with C() as s` or `s = C()`. */
function boundName(call: Node): Node | undefined {
  const parent = call.parent;
  if (parent?.type === 'as_pattern' && parent.parent?.type === 'with_item') {
    const target = parent.childForFieldName('alias')?.namedChild(0);
    return target?.type === 'identifier' ? target : undefined;
  }
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === call.id) {
    const left = parent.childForFieldName('left');
    return left?.type === 'identifier' ? left : undefined;
  }
  return undefined;
}

/**
 * The one request made with the session `call` creates, when it makes exactly one (see the header),
 * else undefined.
 */
function singleRequest(call: Node, requestMethods: readonly string[]): Node | undefined {
  const name = boundName(call);
  const fn = enclosingDef(call);
  if (!name || !fn) return undefined;
  let request: Node | undefined;
  for (const id of fn.descendantsOfType('identifier')) {
    if (!id || id.text !== name.text || id.id === name.id) continue;
    const attr = id.parent;
    // `obj.s` is another name; keyword names (`f(s=1)`) too.
    if (attr?.type === 'attribute' && attr.childForFieldName('attribute')?.id === id.id) continue;
    if (attr?.type === 'keyword_argument' && attr.childForFieldName('name')?.id === id.id) continue;
    const method =
      attr?.type === 'attribute' &&
      attr.parent?.type === 'call' &&
      attr.parent.childForFieldName('function')?.id === attr.id
        ? attr.childForFieldName('attribute')!.text
        : undefined;
    if (method !== undefined && LIFECYCLE_METHODS.has(method)) continue;
    if (method === undefined || !requestMethods.includes(method) || request) return undefined;
    request = attr!.parent!;
  }
  if (!request) return undefined;
  // A request in a loop of its own (or in a nested function) is many requests with one session.
  for (let n = request.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda') return undefined;
    const loops = n.type === 'for_statement' || n.type === 'while_statement' || COMPREHENSIONS.has(n.type);
    if (loops && !isInside(call, n)) return undefined;
  }
  return request;
}

/**
 * Calls of this module's functions made per item, by the called `def` node id: calls in a loop body
 * or comprehension element, and functions handed to `map`. One pass over the module's calls.
 */
function perItemCallSites(context: PyRuleContext, names: NameResolver): Map<number, Node[]> {
  const out = new Map<number, Node[]>();
  const add = (def: Node | undefined, site: Node) => {
    if (def?.type !== 'function_definition') return;
    const list = out.get(def.id);
    if (list) list.push(site);
    else out.set(def.id, [site]);
  };
  for (const call of context.tree.rootNode.descendantsOfType('call')) {
    if (!call) continue;
    const callee = names.callee(call);
    if (callee.qname && PER_ITEM_APPLY.has(callee.qname)) {
      const first = call.childForFieldName('arguments')?.namedChild(0);
      if (first?.type === 'identifier') {
        const bindings = names.bindingsOf(first);
        if (bindings?.length === 1 && bindings[0].kind === 'function') add(bindings[0].node, call);
      }
      continue;
    }
    if (!callee.definition || !repetition(call)) continue;
    add(callee.definition, call);
  }
  return out;
}
