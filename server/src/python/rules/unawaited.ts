// unawaited (Python): a coroutine created and dropped. Calling an `async def` only creates a
// coroutine object; unless it is awaited, returned, stored and used, or scheduled, its body never
// runs (Python warns "coroutine ... was never awaited" at garbage collection, long after).
// Anchor: the first line of the statement.
//
// A call creates a coroutine when its callee resolves (names.ts) to an `async def` in the same
// file (module function, nested function, `self.method` of the enclosing class or a same-file
// base), to one in the workspace through imports (the module index), or to a known library
// coroutine (catalog.ts COROUTINES and configuration `coroutines`: `asyncio.sleep`, `writer.drain()`
// on a writer from `asyncio.open_connection`, `put()` on an `asyncio.Queue`).
//
// Flagged, in async and sync functions and at module level alike:
// - an expression statement that is such a call (`fetch_user(1)`, `(fetch_user(1))`);
// - `coro = fetch_user(1)` when `coro` is never read afterwards in its scope.
// Not flagged: a sync method of another class that shares the name; a coroutine stored and then
// awaited, returned or passed on (`gather`, `create_task`, `run_coroutine_threadsafe`, any call);
// `create_task` / `ensure_future` statements, which are dangling-task's.
//
// Fixes: inside an async def, add `await` (safe). At module level, the suggestion
// `asyncio.run(...)`.
import type { SyntaxNode as Node } from '../syntax';
import type { Fix } from '../../engine/types';
import { canAwaitAt, delimited, spellAt } from '../fix-text';
import type { PyRule, PyRuleContext } from '../rule';
import { plainArgument, valueUse } from '../value-use';
import { compactText, unparenthesized, withParentheses } from '../utils';
import meta from '../../rules-meta/unawaited';

export const unawaited: PyRule = {
  id: meta.id,
  create(context) {
    const names = context.names;
    const calleeName = (call: Node) => compactText(call.childForFieldName('function')!);
    const check = (stmt: Node, call: Node, stored: Node | undefined) => {
      const callee = names.callee(call);
      if (!names.isCoroutineFunction(callee)) {
        // A bare `asyncio.gather(...)`: an awaitable dropped, with the results and errors of its children.
        if (!stored && callee.qname === 'asyncio.gather') {
          context.report(
            stmt,
            `The awaitable of 'asyncio.gather(...)' is dropped: its results and exceptions are lost. Await it.`,
            fixes(context, stmt, call),
          );
        }
        return;
      }
      const name = calleeName(call);
      if (stored) {
        const scopeNode = names.scopes.scopeAt(stored.startIndex).node;
        const uses = readsOf(stored, scopeNode);
        if (uses.length > 0) {
          // Read: flagged only when every read uses the value as a plain value, never awaiting or passing it on.
          if (!singlyBound(stored, names) || transformed(callee.definition)) return;
          let shown: string | undefined;
          for (const read of uses) {
            const use = valueUse(read) ?? plainArgument(read, names);
            if (use === undefined) return;
            shown ??= `'${read.text}' ${use}`;
          }
          context.report(
            stmt,
            `'${stored.text}' holds the coroutine of '${name}()', not its result: ${shown} without being awaited. Await the call.`,
            fixes(context, stmt, call),
          );
          return;
        }
      }
      const message = stored
        ? `'${stored.text}' holds the coroutine of '${name}()' but is never read: the coroutine never runs. Await it, or pass it to asyncio.gather / create_task.`
        : `The coroutine of '${name}()' is created and dropped: it never runs. Await it, or schedule it with asyncio.create_task and keep the task.`;
      context.report(stmt, message, fixes(context, stmt, call));
    };
    return {
      expression_statement(stmt) {
        if (stmt.namedChildCount !== 1) return;
        const expr = unparenthesized(stmt.namedChild(0));
        if (expr?.type === 'call') {
          check(stmt, expr, undefined);
        } else if (expr?.type === 'assignment') {
          const left = expr.childForFieldName('left');
          const right = unparenthesized(expr.childForFieldName('right'));
          if (left?.type === 'identifier' && right?.type === 'call' && !expr.childForFieldName('type'))
            check(stmt, right, left);
        }
      },
      call(call) {
        // A coroutine used as a plain value: decided by syntax first, so only such calls are resolved.
        const fn = call.childForFieldName('function');
        if (fn?.type !== 'identifier' && fn?.type !== 'attribute') return;
        let use = valueUse(call);
        if (use === undefined && !mayTakePlainArgument(call, names)) return;
        const callee = names.callee(call);
        if (!names.isCoroutineFunction(callee) || transformed(callee.definition)) return;
        use ??= plainArgument(call, names);
        if (use === undefined) return;
        context.report(
          call,
          `The coroutine of '${calleeName(call)}()' ${use}, but it is not awaited: the call never runs and its result is never seen. Await it.`,
          valueFixes(context, call),
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** Decorators that leave an `async def` a coroutine function (by their last name segment). */
const NEUTRAL_DECORATORS = new Set([
  'staticmethod',
  'classmethod',
  'abstractmethod',
  'wraps',
  'override',
  'final',
  'overload',
]);

/**
 * Whether a same-file def has a decorator that may turn it into something else (`@sync_compatible`,
 * `@async_to_sync`): its calls are then not known to make coroutines where a value is used.
 */
function transformed(def: Node | undefined): boolean {
  const decorated = def?.parent;
  if (decorated?.type !== 'decorated_definition') return false;
  return decorated.namedChildren.some((d) => {
    if (d?.type !== 'decorator') return false;
    let e = d.namedChild(0);
    if (e?.type === 'call') e = e.childForFieldName('function');
    const name = e?.type === 'attribute' ? e.childForFieldName('attribute')?.text : e?.text;
    return !NEUTRAL_DECORATORS.has(name ?? '');
  });
}

/**
 * A cheap filter before resolving an argument: the call it is given to is a plain name
 * (`str(...)`, a module function) or a function of an imported module (`json.dumps(...)`,
 * `utils.as_text(...)`), not a method on some object (methods are never known plain).
 */
function mayTakePlainArgument(call: Node, names: PyRuleContext['names']): boolean {
  const parent = withParentheses(call).parent;
  if (parent?.type !== 'argument_list') return false;
  const fn = parent.parent?.type === 'call' ? parent.parent.childForFieldName('function') : null;
  if (fn?.type === 'identifier') return true;
  if (fn?.type !== 'attribute') return false;
  const object = fn.childForFieldName('object');
  if (object?.type !== 'identifier') return false;
  const bindings = names.bindingsOf(object);
  return bindings !== undefined && bindings.length > 0 && bindings.every((b) => b.kind === 'import');
}

/** Whether the name bound at `target` has that one binding in its scope. */
function singlyBound(target: Node, names: PyRuleContext['names']): boolean {
  const found = names.scopes.resolveIdentifier(target);
  return found?.bindings.length === 1 && found.bindings[0].node.id === target.id;
}

/** The identifiers reading the name bound at `target` in `scopeNode` (see isRead). */
function readsOf(target: Node, scopeNode: Node): Node[] {
  const out: Node[] = [];
  forEachRead(target, scopeNode, (i) => {
    out.push(scopeNode.tree.node(i)!);
    return true;
  });
  return out;
}

/** Calls `visit` with each read's node number until it returns false. */
function forEachRead(target: Node, scopeNode: Node, visit: (i: number) => boolean): void {
  const name = target.text;
  const tree = scopeNode.tree;
  const { start, end, parent, field, after } = tree.arrays;
  const text = tree.text;
  const fieldIds = tree.grammar.fieldIds;
  const left = fieldIds.get('left');
  const attribute = fieldIds.get('attribute');
  const keyword = fieldIds.get('name');
  for (let i = scopeNode.id; i < after[scopeNode.id]; i++) {
    if (end[i] - start[i] !== name.length || start[i] === target.startIndex || !text.startsWith(name, start[i]))
      continue;
    if (tree.typeOf(i) !== 'identifier') continue;
    const f = field[i];
    const parentType = parent[i] >= 0 ? tree.typeOf(parent[i]) : undefined;
    const isWrite = f === left && parentType === 'assignment';
    const isMember = f === attribute && parentType === 'attribute';
    const isKeyword = f === keyword && parentType === 'keyword_argument';
    if (!isWrite && !isMember && !isKeyword && !visit(i)) return;
  }
}

// ---- the fixes ----------------------------------------------------------------------------------

function fixes(context: PyRuleContext, stmt: Node, call: Node): Fix[] {
  const { names, text } = context;
  // A statement the parser recovered beside another on one line (`session()    fetch(1)`):
  // editing it would break the file further.
  if (!delimited(text, stmt)) return [];
  if (canAwaitAt(names, call)) {
    return [
      {
        title: "Add 'await'",
        edits: [{ start: call.startIndex, end: call.startIndex, newText: 'await ' }],
        safe: false,
      },
    ];
  }
  if (names.scopes.scopeAt(stmt.startIndex, stmt.endIndex).kind !== 'module') return [];
  const run = spellAt(names, text, call, 'asyncio.run');
  if (!run) return [];
  return [
    {
      title: "Run it with 'asyncio.run(...)'",
      edits: [
        { start: call.startIndex, end: call.startIndex, newText: `${run.expression}(` },
        { start: call.endIndex, end: call.endIndex, newText: ')' },
        ...(run.importEdit ? [run.importEdit] : []),
      ],
      safe: false,
    },
  ];
}

/** `if is_ready():` -> `if await is_ready():`, inside an async def. */
function valueFixes(context: PyRuleContext, call: Node): Fix[] {
  const { names, text } = context;
  if (!canAwaitAt(names, call)) return [];
  // `f().x`, `f()[0]`: `await` binds looser than these, so the awaited call is parenthesised.
  const parent = call.parent;
  const tight = parent?.type === 'attribute' || parent?.type === 'subscript';
  void text;
  return [
    {
      title: "Add 'await'",
      edits: tight
        ? [
            { start: call.startIndex, end: call.startIndex, newText: '(await ' },
            { start: call.endIndex, end: call.endIndex, newText: ')' },
          ]
        : [{ start: call.startIndex, end: call.startIndex, newText: 'await ' }],
      safe: false,
    },
  ];
}
