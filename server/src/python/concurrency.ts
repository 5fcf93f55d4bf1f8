// Helpers shared by the Python rules that suggest running awaits concurrently (sequential-await,
// await-in-loop) or scheduling coroutines (async-callback): which awaits must stay in order, how to
// write an `asyncio` member at a place in the module, the layout of a suggested statement; and
// whether a module belongs to another async framework (also for unused-async).
import type { SyntaxNode as Node } from './syntax';
import type { TextEdit } from '../engine/types';
import type { NameResolver } from './names';
import type { ModuleScopes } from './scope';

/**
 * Methods whose calls on one receiver must stay in order: stream and socket reads and writes,
 * websocket messages, database statements (a connection runs one at a time), async iterators.
 * Two of them on the same object never join one gather; a loop awaiting one is not flagged.
 */
export const ORDER_SENSITIVE_METHODS: ReadonlySet<string> = new Set([
  'read', 'readline', 'readlines', 'readexactly', 'readuntil', 'readany', 'readchunk',
  'write', 'writelines', 'drain', 'send', 'sendall', 'recv', 'receive', 'receive_str',
  'receive_bytes', 'receive_json', 'send_str', 'send_bytes', 'send_json',
  'execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'fetchone', 'fetchall', 'fetchmany',
  'commit', 'rollback', 'acquire', 'release', 'asend', 'athrow', '__anext__',
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
  'asyncio.Queue.put', 'asyncio.Queue.get', 'asyncio.Queue.join',
  'asyncio.Event.wait', 'asyncio.Condition.wait', 'asyncio.Condition.wait_for',
  'asyncio.Lock.acquire', 'asyncio.Semaphore.acquire',
]);

/**
 * The receiver (as written, without spaces) when `call` is `receiver.method(...)` with a method
 * whose calls must stay in order: by name (ORDER_SENSITIVE_METHODS) or, for receivers of a known
 * asyncio kind, by qualified name (`q.put` on an `asyncio.Queue`).
 */
export function orderSensitiveReceiver(call: Node, names: NameResolver): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const ordered = ORDER_SENSITIVE_METHODS.has(fn.childForFieldName('attribute')!.text) || ORDER_SENSITIVE_KIND_METHODS.has(names.qualifiedName(fn) ?? '');
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
  return { indent, unit: indent.includes('\t') ? '\t' : '    ', eol: text.includes('\r\n') ? '\r\n' : '\n', startsLine };
}

/**
 * How to write `asyncio.<member>` at `at`: the name the module imports it under (`from asyncio
 * import gather as run_all`), or `<alias>.<member>` for `import asyncio as aio`; else
 * `asyncio.<member>` and an edit that adds `import asyncio`. An import whose name is shadowed at
 * `at` does not count; undefined when `asyncio` itself is bound to something else there.
 */
export function asyncioMember(names: NameResolver, text: string, at: Node, member: string): { expression: string; importEdit?: TextEdit } | undefined {
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
    const isDocstring = preambleEnd === 0 && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string';
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
  return { start: preambleEnd, end: preambleEnd, newText: `${preambleEnd > 0 ? eol + eol : ''}import ${module}${first ? '' : eol}` };
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
