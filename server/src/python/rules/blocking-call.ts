// blocking-call (Python): a call that blocks the thread, made where the innermost enclosing
// function is an `async def`: while it runs, the event loop runs nothing else. Anchor: the call.
//
// The calls are data (catalog.ts BLOCKING_CALLS, extended by `blocking-calls` in configuration),
// matched by qualified name through imports and aliases (`import time as t`, `from requests
// import get as http_get`), and by receiver kind for methods (`s.post(...)` on a
// `requests.Session`, `p.read_text()` on a `pathlib.Path`, `sock.recv()` on a socket from
// `socket.create_connection`).
//
// Not flagged: module level and sync functions (a sync `def` or `lambda` nested in an async def
// too, so a blocking call handed to `run_in_executor` / `to_thread` inside a lambda is fine); a
// blocking function passed by reference (`asyncio.to_thread(requests.get, url)`) is not a call;
// a builtin shadowed by a local definition; methods on a socket put in non-blocking mode
// (`sock.setblocking(False)`) in the same function; the async counterparts (`aiofiles.open`,
// `asyncio.create_subprocess_exec`, `loop.sock_*`).
//
// Fixes: a call with an awaitable replacement (`time.sleep` -> `await asyncio.sleep(...)`, adding
// `import asyncio` when missing) is a safe fix; any other call gets the suggestion
// `await asyncio.to_thread(fn, *args, **kwargs)`, which moves it to a worker thread.
import type { SyntaxNode as Node } from '../syntax';
import type { Fix } from '../../engine/types';
import { BLOCKING_CALLS, type BlockingCall } from '../catalog';
import { argumentsText, awaitAt, canAwaitAt, displayName, functionLabel, spellAt } from '../fix-text';
import type { NameResolver } from '../names';
import type { PyRule, PyRuleContext } from '../rule';
import { compactText } from '../utils';
import meta from '../../rules-meta/blocking-call';

export const blockingCall: PyRule = {
  id: meta.id,
  create(context) {
    const configured = context.config.blockingCalls;
    const segments =
      configured.length > 0
        ? new Set([...BUILTIN_SEGMENTS, ...lastSegments(configured.map((c) => c.name))])
        : BUILTIN_SEGMENTS;
    return {
      call(call) {
        if (!mayBlock(call, segments)) return;
        const names = context.names;
        const fn = names.enclosingFunction(call);
        if (!fn?.isAsync) return;
        const qname = names.callee(call).qname;
        const entry = qname ? context.catalog.blockingCall(qname) : undefined;
        if (!qname || !entry) return;
        if (qname.startsWith('socket.socket.') && setNonBlocking(call, names)) return;
        const written = compactText(call.childForFieldName('function')!);
        const shown = displayName(qname);
        const what = written === shown || written.endsWith(`.${shown}`) ? `'${shown}'` : `'${written}' (${shown})`;
        context.report(
          call,
          `${what} blocks the event loop in '${functionLabel(fn.node)}': nothing else runs until it returns. Use ${entry.instead}.`,
          fixes(context, call, qname, entry),
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** Last name segments of the known blocking calls: a syntactic pre-filter before any resolution. */
function lastSegments(names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const n of names) out.add(n.slice(n.lastIndexOf('.') + 1));
  return out;
}
const BUILTIN_SEGMENTS = lastSegments(Object.keys(BLOCKING_CALLS));

/**
 * A syntactic pre-filter before any resolution: a method call must end in a known name (attribute
 * names cannot be aliased); a bare name may be an alias (`from requests import get as http_get`).
 */
function mayBlock(call: Node, segments: ReadonlySet<string>): boolean {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return true;
  if (fn?.type === 'attribute') return segments.has(fn.childForFieldName('attribute')?.text ?? '');
  return false;
}

/** Whether the socket receiver of `call` is put in non-blocking mode in the same function. */
function setNonBlocking(call: Node, names: NameResolver): boolean {
  const receiver = call.childForFieldName('function')?.childForFieldName('object');
  if (receiver?.type !== 'identifier') return false;
  const fn = names.enclosingFunction(call);
  if (!fn) return false;
  for (const c of fn.node.descendantsOfType('call')) {
    const f = c?.childForFieldName('function');
    if (f?.type !== 'attribute' || f.childForFieldName('attribute')?.text !== 'setblocking') continue;
    if (f.childForFieldName('object')?.text !== receiver.text) continue;
    const arg = c!.childForFieldName('arguments')?.namedChild(0);
    if (arg && (arg.type === 'false' || arg.text === '0')) return true;
  }
  return false;
}

// ---- the fixes ----------------------------------------------------------------------------------

function fixes(context: PyRuleContext, call: Node, qname: string, entry: BlockingCall): Fix[] {
  const { names, text } = context;
  if (!canAwaitAt(names, call)) return [];
  const args = argumentsText(call, text);
  const fn = call.childForFieldName('function');
  if (args === undefined || !fn) return [];
  const out: Fix[] = [];
  if (entry.replacement) {
    const spelled = spellAt(names, text, call, entry.replacement);
    if (spelled) {
      out.push({
        title: `Replace with 'await ${entry.replacement}(...)'`,
        edits: [
          { start: call.startIndex, end: call.endIndex, newText: awaitAt(call, `${spelled.expression}(${args})`) },
          ...(spelled.importEdit ? [spelled.importEdit] : []),
        ],
        // Never safe: other tasks now run during the wait (RULES.md, "Fix safety").
        safe: false,
      });
      return out;
    }
  }
  const toThread = spellAt(names, text, call, 'asyncio.to_thread');
  if (toThread) {
    // Arguments that start on their own line keep their layout.
    const rest = args.trim() === '' ? '' : /^[ \t]*\r?\n/.test(args) ? `,${args}` : `, ${args.trimStart()}`;
    out.push({
      title: `Run it in a thread: 'await asyncio.to_thread(${displayName(qname).split('.').pop()}, ...)'`,
      edits: [
        {
          start: call.startIndex,
          end: call.endIndex,
          newText: awaitAt(call, `${toThread.expression}(${fn.text}${rest})`),
        },
        ...(toThread.importEdit ? [toThread.importEdit] : []),
      ],
      safe: false,
    });
  }
  return out;
}
