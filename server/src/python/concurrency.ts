// The concurrency model of the Python rules that judge whether awaits could run concurrently
// (sequential-await, await-in-loop): which awaits must stay in order, what an awaited call touches
// (its receiver, and whether that is stateful or known safe), and whether a module belongs to
// another async framework (also for unused-async). The text of their fixes is fix-text.ts's.
import type { SyntaxNode as Node } from './syntax';
import type { NameResolver } from './names';
import {
  hasStatefulWord,
  ORDERED_RECEIVERS_PY,
  STATEFUL_PY_NAMES,
  type ConcurrencyCatalog,
} from '../engine/concurrency-catalog';
import { compactText } from './utils';

/**
 * Methods whose calls on one receiver must stay in order: stream and socket reads and writes,
 * websocket messages, database statements (a connection runs one at a time), async iterators.
 * Two of them on the same object never join one gather; a loop awaiting one is not flagged.
 */
export const ORDER_SENSITIVE_METHODS: ReadonlySet<string> = new Set([
  'read',
  'readline',
  'readlines',
  'readexactly',
  'readuntil',
  'readany',
  'readchunk',
  'write',
  'writelines',
  'drain',
  'send',
  'sendall',
  'recv',
  'receive',
  'receive_str',
  'receive_bytes',
  'receive_json',
  'send_str',
  'send_bytes',
  'send_json',
  'execute',
  'executemany',
  'fetch',
  'fetchrow',
  'fetchval',
  'fetchone',
  'fetchall',
  'fetchmany',
  'commit',
  'rollback',
  'acquire',
  'release',
  'asend',
  'athrow',
  '__anext__',
]);

/** Awaited calls that already run their arguments concurrently. */
export const CONCURRENT_CALLS: ReadonlySet<string> = new Set(['asyncio.gather', 'asyncio.wait']);

/**
 * Other async frameworks: their modules structure concurrency with nurseries and task groups, where
 * `asyncio.gather` does not apply (and their checkpoints are awaited in loops on purpose).
 */
const OTHER_FRAMEWORKS: readonly string[] = ['trio', 'anyio', 'curio'];

/** Whether the module imports trio, anyio or curio (by import target, relative imports included). */
export function usesOtherFramework(names: NameResolver): boolean {
  for (const bindings of names.scopes.module.bindings.values()) {
    for (const b of bindings) {
      if (b.kind !== 'import' || b.target === undefined) continue;
      const top = b.target.split('.')[0];
      if (OTHER_FRAMEWORKS.includes(top)) return true;
    }
  }
  return false;
}

/**
 * Methods of asyncio objects, by kind, whose order is the point: a queue's items (and a bounded
 * queue's back-pressure), waiting on events and conditions, taking locks.
 */
export const ORDER_SENSITIVE_KIND_METHODS: ReadonlySet<string> = new Set([
  'asyncio.Queue.put',
  'asyncio.Queue.get',
  'asyncio.Queue.join',
  'asyncio.Event.wait',
  'asyncio.Condition.wait',
  'asyncio.Condition.wait_for',
  'asyncio.Lock.acquire',
  'asyncio.Semaphore.acquire',
]);

/**
 * The receiver (as written, without spaces) when `call` is `receiver.method(...)` with a method
 * whose calls must stay in order: by name (ORDER_SENSITIVE_METHODS) or, for receivers of a known
 * asyncio kind, by qualified name (`q.put` on an `asyncio.Queue`).
 */
export function orderSensitiveReceiver(call: Node, names: NameResolver): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const ordered =
    ORDER_SENSITIVE_METHODS.has(fn.childForFieldName('attribute')!.text) ||
    ORDER_SENSITIVE_KIND_METHODS.has(names.qualifiedName(fn) ?? '');
  return ordered ? compactText(fn.childForFieldName('object')!) : undefined;
}

// --- the concurrency model ------------------------------------------------------------------------
// For sequential-await and await-in-loop: what an awaited call touches (its receiver, and the kind
// of that receiver by how it was made, annotated or named: stateful, known safe, unknown) and
// whether its order is its meaning. The kinds are data (engine/concurrency-catalog.ts), extendable
// from configuration.

export type ReceiverKind = 'safe' | 'stateful' | 'unknown';

export interface PyCallModel {
  /** The receiver as written (no spaces); undefined for a free function or a module's function. */
  receiver?: string;
  /** A method on `self`/`cls`, or a local bound to one, or a nested def using `self`. */
  onSelf: boolean;
  kind: ReceiverKind;
  /** Event waits, logging and output, stream steps, hooks and signals, cleanups. */
  ordered: boolean;
}

/** Waiting for an event or future: the order of the waits is the order of the events. */
const PY_EVENT_WAIT = /^(wait|wait_for|wait_for_.*|wait_until.*|wait_closed|once|join)$/;
/** Logging and output. */
const PY_LOGGING: ReadonlySet<string> = new Set([
  'print',
  'log',
  'debug',
  'info',
  'warning',
  'warn',
  'error',
  'exception',
  'critical',
]);
/** Hooks, signals and cleanups fired in order (`trace.send_*`, `on_*` and `*_callback` hooks, `emit`, `close`). */
const PY_HOOK =
  /^(send_.*|on_.*|.*_(callback|hook|handler)|emit.*|dispatch.*|trigger.*|fire.*|_?(close|aclose|disconnect|shutdown|stop|start|cleanup|teardown|terminate|kill|release|unload|detach|dispose)(_.*)?|__aexit__|__aenter__)$/;
/** Methods whose result is a connection-like object (`async with pool.acquire() as conn`). */
const STATEFUL_MAKERS: ReadonlySet<string> = new Set([
  'acquire',
  'connect',
  'cursor',
  'transaction',
  'begin',
  'pipeline',
  'pubsub',
  'open_connection',
]);

function lastWordOf(name: string): string {
  const words = name
    .replace(/^_+/, '')
    .split('_')
    .filter((w) => w.length > 0);
  return (words[words.length - 1] ?? name).toLowerCase();
}

function kindClass(kind: string, catalog: ConcurrencyCatalog): ReceiverKind {
  const top = kind.split('.')[0];
  if (catalog.safe.has(kind) || catalog.safe.has(top)) return 'safe';
  if (catalog.stateful.has(kind) || hasStatefulWord(kind)) return 'stateful';
  return 'unknown';
}

/** The segments of a dotted receiver (`self._conn.retry` -> self, _conn, retry), or undefined. */
function segments(expr: Node): Node[] | undefined {
  const out: Node[] = [];
  let e: Node | null = expr;
  while (e?.type === 'attribute') {
    out.unshift(e.childForFieldName('attribute')!);
    e = e.childForFieldName('object');
  }
  if (e?.type !== 'identifier') return undefined;
  out.unshift(e);
  return out;
}

/** The kind of a value: by how it was made or annotated, else by the name it goes by. */
export function valueKind(expr: Node, names: NameResolver, catalog: ConcurrencyCatalog): ReceiverKind {
  const k = names.kindOf(expr);
  if (typeof k === 'string') {
    const c = kindClass(k, catalog);
    if (c !== 'unknown') return c;
  }
  if (expr.type === 'identifier') {
    for (const b of names.bindingsOf(expr) ?? []) {
      if (b.kind === 'parameter' && b.annotation) {
        const t = b.annotation.text.replace(/\[.*$/s, '');
        const c = kindClass(t.trim(), catalog);
        if (c !== 'unknown') return c;
      }
      if (b.kind === 'value') {
        if (b.annotation) {
          const c = kindClass(b.annotation.text.replace(/\[.*$/s, '').trim(), catalog);
          if (c !== 'unknown') return c;
        }
        let v = b.value;
        if (v?.type === 'await') v = v.namedChild(0) ?? undefined;
        if (v?.type === 'call') {
          const fn = v.childForFieldName('function')!;
          const q = names.qualifiedName(fn);
          if (q && catalog.safe.has(q)) return 'safe';
          if (q && catalog.stateful.has(q)) return 'stateful';
          const last = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
          if (STATEFUL_MAKERS.has(last)) return 'stateful';
        }
      }
    }
  }
  // By name: any link of the chain named for a stateful kind (`conn`, `self._writer`, `conn.retry`).
  const segs = segments(expr);
  if (segs?.some((s) => s.text !== 'self' && s.text !== 'cls' && STATEFUL_PY_NAMES.has(lastWordOf(s.text))))
    return 'stateful';
  return 'unknown';
}

/** A local name bound to a method of `self` (`req = self.http.add_role`), or a nested def using `self`. */
function boundToSelf(fn: Node, names: NameResolver): boolean {
  for (const b of names.bindingsOf(fn) ?? []) {
    if (b.kind === 'value' && b.value?.type === 'attribute') {
      const segs = segments(b.value);
      if (segs && (segs[0].text === 'self' || segs[0].text === 'cls')) return true;
    }
    if (b.kind === 'function' && b.scope.parent?.kind === 'function') {
      if (b.node.descendantsOfType('identifier').some((id) => id?.text === 'self')) return true;
    }
  }
  return false;
}

/** What an awaited call touches, and whether its order is its meaning. */
export function pyCallModel(call: Node, names: NameResolver, catalog: ConcurrencyCatalog): PyCallModel {
  const fn = call.childForFieldName('function')!;
  const model: PyCallModel = {
    onSelf: false,
    kind: 'unknown',
    ordered: orderSensitiveReceiver(call, names) !== undefined,
  };
  const q = names.qualifiedName(fn);
  if (q === 'asyncio.wait_for' || q === 'asyncio.shield') {
    // A timeout around a call is that call; around a future or event, a wait.
    const first = call
      .childForFieldName('arguments')
      ?.namedChildren.find((n) => n !== null && n.type !== 'comment' && n.type !== 'keyword_argument');
    if (first?.type === 'call') return pyCallModel(first, names, catalog);
    model.ordered = true;
    return model;
  }
  if (q && catalog.safe.has(q)) {
    model.kind = 'safe';
    return model;
  }
  const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
  if (PY_EVENT_WAIT.test(method) || PY_LOGGING.has(method) || PY_HOOK.test(method)) model.ordered = true;
  if (fn.type === 'identifier') {
    if (boundToSelf(fn, names)) model.onSelf = true;
    // A callback the caller passed in (`predicate`, `handler`): a user hook, run in order.
    if ((names.bindingsOf(fn) ?? []).some((b) => b.kind === 'parameter')) model.ordered = true;
    return model;
  }
  if (fn.type !== 'attribute') return model;
  const receiver = fn.childForFieldName('object')!;
  if (receiver.type === 'identifier' && (receiver.text === 'self' || receiver.text === 'cls')) {
    model.onSelf = true;
    return model;
  }
  const segs = segments(receiver);
  if (segs && ORDERED_RECEIVERS_PY.has(lastWordOf(segs[segs.length - 1].text))) model.ordered = true;
  // A module's function (`asyncio.sleep`, `aiofiles.os.remove`) is a free function.
  if (receiver.type === 'identifier' && (names.bindingsOf(receiver) ?? []).some((b) => b.kind === 'import')) {
    const target = names.qualifiedName(receiver);
    if (target && !names.kindOf(receiver)) return model;
  }
  model.receiver = compactText(receiver);
  model.kind = valueKind(receiver, names, catalog);
  // A pool or an HTTP client session serves concurrent statements and requests (`pool.fetch`).
  if (model.kind === 'safe' && !(PY_EVENT_WAIT.test(method) || PY_LOGGING.has(method) || PY_HOOK.test(method)))
    model.ordered = false;
  return model;
}

/** Whether an argument (other than those `except` accepts) is a stateful value. */
export function hasStatefulArgument(
  call: Node,
  names: NameResolver,
  catalog: ConcurrencyCatalog,
  except?: (arg: Node) => boolean,
): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.some((a) => {
    let e: Node | null = a;
    if (e?.type === 'keyword_argument') e = e.childForFieldName('value');
    if (!e || (e.type !== 'identifier' && e.type !== 'attribute')) return false;
    if (except?.(e)) return false;
    return valueKind(e, names, catalog) === 'stateful';
  });
}
