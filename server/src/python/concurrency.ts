// Helpers shared by the Python rules that suggest running awaits concurrently (sequential-await,
// await-in-loop) or scheduling coroutines (async-callback): which awaits must stay in order, how to
// write an `asyncio` member at a place in the module, the layout of a suggested statement; and
// whether a module belongs to another async framework (also for unused-async).
import type { SyntaxNode as Node } from './syntax';
import type { TextEdit } from '../engine/types';
import type { NameResolver } from './names';
import type { ModuleScopes } from './scope';
import { hasStatefulWord, STATEFUL_PY_NAMES, type ConcurrencyCatalog } from '../engine/concurrency-catalog';

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

/** Line length above which a suggested statement is split over lines (black's default). */
export const MAX_LINE = 88;

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
  return ordered ? fn.childForFieldName('object')!.text.replace(/\s+/g, '') : undefined;
}

/** Where a new statement goes: the indentation of `node`'s line, if `node` starts that line. */
export interface Layout {
  indent: string;
  /** One level of indentation in this file's style. */
  unit: string;
  eol: string;
  /** Whether `node` is the first thing on its line (so new lines can be indented like it). */
  startsLine: boolean;
}

export function layoutAt(text: string, node: Node): Layout {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const prefix = text.slice(lineStart, node.startIndex);
  const startsLine = /^[ \t]*$/.test(prefix);
  const indent = startsLine ? prefix : '';
  return {
    indent,
    unit: indent.includes('\t') ? '\t' : '    ',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    startsLine,
  };
}

/**
 * How to write `asyncio.<member>` at `at`: the name the module imports it under (`from asyncio
 * import gather as run_all`), or `<alias>.<member>` for `import asyncio as aio`; else
 * `asyncio.<member>` and an edit that adds `import asyncio`. An import whose name is shadowed at
 * `at` does not count; undefined when `asyncio` itself is bound to something else there.
 */
export function asyncioMember(
  names: NameResolver,
  text: string,
  at: Node,
  member: string,
): { expression: string; importEdit?: TextEdit } | undefined {
  const scopes = names.scopes;
  const here = scopes.scopeAt(at.startIndex, at.endIndex);
  const visible = (local: string) => {
    const found = scopes.lookup(local, here);
    return found?.scope === scopes.module && found.bindings.every((b) => b.kind === 'import');
  };
  let viaModule: string | undefined;
  for (const [local, target] of asyncioImports(scopes)) {
    if (target === `asyncio.${member}` && visible(local)) return { expression: local };
    if (target === 'asyncio' && viaModule === undefined && visible(local)) viaModule = local;
  }
  if (viaModule !== undefined) return { expression: `${viaModule}.${member}` };
  // `asyncio` itself names something else here: no spelling of the member is safe.
  if (scopes.lookup('asyncio', here) !== undefined) return undefined;
  return { expression: `asyncio.${member}`, importEdit: importEdit(text, at.tree.rootNode, 'asyncio') };
}

/** Module-level names bound only by imports of asyncio or its members: local name -> target. Once per module. */
function asyncioImports(scopes: ModuleScopes): [string, string][] {
  let found = asyncioImportsByModule.get(scopes);
  if (!found) {
    found = [];
    for (const [local, bindings] of scopes.module.bindings) {
      const targets = new Set(bindings.map((b) => (b.kind === 'import' ? b.target : undefined)));
      if (targets.size !== 1) continue;
      const target = [...targets][0];
      if (target === 'asyncio' || target?.startsWith('asyncio.')) found.push([local, target]);
    }
    asyncioImportsByModule.set(scopes, found);
  }
  return found;
}

const asyncioImportsByModule = new WeakMap<ModuleScopes, [string, string][]>();

/**
 * The edit that adds `import <module>` at module level: before the first statement after the
 * docstring and `from __future__` imports (as its own group when that statement is not an import).
 */
function importEdit(text: string, root: Node, module: string): TextEdit {
  // Reads the module's statements: once per tree and module, not once per finding.
  let byModule = importEdits.get(root.tree);
  if (!byModule) importEdits.set(root.tree, (byModule = new Map()));
  let edit = byModule.get(module);
  if (!edit) byModule.set(module, (edit = computeImportEdit(text, root, module)));
  return edit;
}

const importEdits = new WeakMap<object, Map<string, TextEdit>>();

function computeImportEdit(text: string, root: Node, module: string): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let preambleEnd = 0;
  let first: Node | undefined;
  for (const stmt of root.namedChildren) {
    if (!stmt || stmt.type === 'comment') continue;
    const isDocstring =
      preambleEnd === 0 && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string';
    if (isDocstring || stmt.type === 'future_import_statement') {
      preambleEnd = stmt.endIndex;
      continue;
    }
    first = stmt;
    break;
  }
  const isImport = first?.type === 'import_statement' || first?.type === 'import_from_statement';
  if (first && (isImport || preambleEnd === 0)) {
    // At the start of its line: in a file that does not parse, the first statement may be indented
    // (and a fix may insert right where it starts).
    const lineStart = text.lastIndexOf('\n', first.startIndex - 1) + 1;
    const at = /^[ \t]*$/.test(text.slice(lineStart, first.startIndex)) ? lineStart : first.startIndex;
    return { start: at, end: at, newText: `import ${module}${eol}${isImport ? '' : eol + eol}` };
  }
  // After the docstring or `__future__` imports, separated by a blank line.
  return {
    start: preambleEnd,
    end: preambleEnd,
    newText: `${preambleEnd > 0 ? eol + eol : ''}import ${module}${first ? '' : eol}`,
  };
}

/**
 * The text of an expression moved one indentation level deeper: continuation lines get one more
 * unit, unless a string spans lines (its contents must not change).
 */
export function reindented(expr: Node, eol: string, unit: string): string {
  const text = expr.text;
  if (!text.includes('\n') || expr.descendantsOfType('string').some((s) => s?.text.includes('\n'))) return text;
  return text.split(/\r?\n/).join(`${eol}${unit}`);
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
/** Receivers named for output or user hooks, by the last word of their name. */
const PY_ORDERED_RECEIVERS: ReadonlySet<string> = new Set([
  'logger',
  'log',
  'logging',
  'trace',
  'tracer',
  'signal',
  'signals',
  'hook',
  'hooks',
  'middleware',
  'middlewares',
  'listener',
  'listeners',
  'handler',
  'handlers',
  'callback',
  'callbacks',
  'observer',
  'observers',
  'subscriber',
  'subscribers',
  'detector',
  'detectors',
  'watcher',
  'watchers',
  'plugin',
  'plugins',
]);
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
  if (segs && PY_ORDERED_RECEIVERS.has(lastWordOf(segs[segs.length - 1].text))) model.ordered = true;
  // A module's function (`asyncio.sleep`, `aiofiles.os.remove`) is a free function.
  if (receiver.type === 'identifier' && (names.bindingsOf(receiver) ?? []).some((b) => b.kind === 'import')) {
    const target = names.qualifiedName(receiver);
    if (target && !names.kindOf(receiver)) return model;
  }
  model.receiver = receiver.text.replace(/\s+/g, '');
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
