// nested-event-loop (Python): `asyncio.run(...)`, `loop.run_until_complete(...)` or
// `loop.run_forever()` where the innermost enclosing function is an `async def`. The coroutine
// runs on an event loop that is already running, so these raise `RuntimeError` ("asyncio.run()
// cannot be called from a running event loop" / "This event loop is already running").
// Anchor: the call.
//
// Runners are data (catalog.ts LOOP_RUNNERS); a loop is known by kind (`asyncio.get_event_loop()`,
// `new_event_loop()`, `get_running_loop()`, an `asyncio.AbstractEventLoop` annotation, an
// `asyncio.Runner`). Not flagged: module level and `if __name__ == "__main__":`, sync functions
// (also a sync `def` nested in an async one, e.g. a thread worker), a receiver of unknown kind.
// In a Jupyter notebook the top level (class bodies too) is flagged: the kernel runs cells in its
// loop (which is why a top-level `await` works there), so `asyncio.run(main())` in a cell raises.
//
// Fix (suggestion): `asyncio.run(main())` -> `await main()` when the runner takes the coroutine
// as its only argument. Not offered for `run_forever()`.
import type { SyntaxNode as Node } from '../syntax';
import type { Fix } from '../../engine/types';
import { asPrimary, awaitAt, canAwaitAt, functionLabel } from '../fix-text';
import type { PyRule, PyRuleContext } from '../rule';
import { compactText } from '../utils';
import meta from '../../rules-meta/nested-event-loop';

export const nestedEventLoop: PyRule = {
  id: meta.id,
  create(context) {
    return {
      call(call) {
        const fn = call.childForFieldName('function');
        // Attribute names cannot be aliased; a bare name may be (`from asyncio import run as go`).
        if (
          fn?.type !== 'identifier' &&
          !(fn?.type === 'attribute' && RUNNER_NAMES.has(fn.childForFieldName('attribute')?.text ?? ''))
        )
          return;
        const names = context.names;
        const enclosing = names.enclosingFunction(call);
        // A notebook's cells run while the kernel's loop runs: its top level (class bodies too).
        const notebookTop = names.notebook && !enclosing;
        if (!enclosing?.isAsync && !notebookTop) return;
        const qname = names.callee(call).qname;
        const runner = qname ? context.catalog.loopRunner(qname) : undefined;
        if (!runner) return;
        const written = compactText(fn!);
        const where = enclosing ? `inside '${functionLabel(enclosing.node)}'` : `at the top level of a notebook`;
        context.report(
          call,
          `'${written}(...)' ${where} raises RuntimeError: the event loop is already running. ${runner.awaitable ? 'Await the coroutine instead.' : 'The loop is already running; schedule work on it instead.'}`,
          runner.awaitable ? fixes(context, call) : [],
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

const RUNNER_NAMES = new Set(['run', 'run_until_complete', 'run_forever']);

// ---- the fixes ----------------------------------------------------------------------------------

function fixes(context: PyRuleContext, call: Node): Fix[] {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list' || args.namedChildCount !== 1) return [];
  const coroutine = args.namedChild(0)!;
  if (
    coroutine.type === 'keyword_argument' ||
    coroutine.type === 'list_splat' ||
    coroutine.type === 'dictionary_splat' ||
    coroutine.type === 'comment'
  )
    return [];
  if (!canAwaitAt(context.names, call)) return [];
  return [
    {
      title: `Await the coroutine: 'await ${coroutine.text.length > 40 ? '...' : coroutine.text}'`,
      // `await asyncio.run(main())` (a TypeError at run time, but written): the await is there.
      edits: [{ start: call.startIndex, end: call.endIndex, newText: awaitAt(call, asPrimary(coroutine)) }],
      safe: false,
    },
  ];
}
