// unused-async (Python): an `async def` whose own body never suspends: no `await`, `async for`,
// `async with` or async comprehension. Calling it only builds a coroutine that returns the result.
// Anchor: the `async` keyword. No fix: callers `await` the function, and `await` on a plain value
// raises, so dropping `async` means editing every call site; that is left to the author.
//
// Not flagged:
// - async generators (a `yield` in the own body): `async` makes them async iterators;
// - stubs whose body is only a docstring, `...`, `pass`, or a single `raise` (`raise
//   NotImplementedError`, or a default that raises): they fix an interface that overrides
//   implement (an empty `async def on_close(self): pass` hook is a stub); for a body that only
//   raises, `async` also decides when the error surfaces (at `await`, not at the call);
// - functions that call an asyncio API needing the running loop (`asyncio.get_running_loop()`,
//   `asyncio.create_task(...)`, `current_task`, `all_tasks`): their `async` says "call me from
//   the loop";
// - modules that import trio, anyio or curio, where `async` marks a function as one that may
//   only run inside the framework (a checkpoint contract), awaiting or not;
// - methods a protocol awaits (`__aenter__`, `__aexit__`, `__anext__`, unittest's `asyncSetUp` /
//   `asyncTearDown`): they must be coroutine functions whatever they do;
// - `@abstractmethod`, `@typing.overload`, and any decorator other than `staticmethod`,
//   `classmethod` and `functools.wraps(...)` (resolved through imports): a decorator
//   such as `@app.get("/")` or `@pytest.fixture` may require a coroutine function (FastAPI runs a
//   plain `def` handler in a thread pool), so the rule cannot stand behind the advice.
import type { SyntaxNode as Node } from '../syntax';
import { usesOtherFramework } from '../concurrency';
import type { PyRule } from '../rule';
import type { NameResolver } from '../names';
import { countNameUsages, type NameUsage } from '../module-index';
import meta from '../../rules-meta/unused-async';

export const unusedAsync: PyRule = {
  id: meta.id,
  create(context) {
    return {
      function_definition(fn) {
        const keyword = fn.child(0);
        if (keyword?.type !== 'async') return;
        const body = fn.childForFieldName('body');
        const name = fn.childForFieldName('name')!.text;
        if (!body || isStubBody(body) || (ASYNC_PROTOCOL_METHODS.has(name) && isMethod(fn))) return;
        const { suspends, yields, calls } = scanOwnBody(body);
        if (suspends || yields) return;
        const names = context.names;
        if (usesOtherFramework(names)) return;
        if (calls.some((c) => needsRunningLoop(names, c))) return;
        if (fn.parent?.type === 'decorated_definition') {
          for (const d of fn.parent.namedChildren) {
            if (d?.type !== 'decorator') continue;
            // `functools.wraps(fn)`: the decorator factory's name decides.
            let expr = d.namedChild(0)!;
            if (expr.type === 'call') expr = expr.childForFieldName('function')!;
            const name = names.qualifiedName(expr);
            // `@abstractmethod`, `@overload` and framework decorators all end here.
            if (name === undefined || !NEUTRAL_DECORATORS.has(name)) return;
          }
        }
        if (isMethod(fn) && overridable(names, fn, name)) return;
        if (!onlyAwaitedCalls(context.text, names, name)) return;
        context.report(
          keyword,
          `'async def ${name}' never awaits: calling it only creates a coroutine that returns the result. ` +
            `Make it a plain 'def' (and drop 'await' at its call sites) unless an interface requires a coroutine function.`,
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** Decorators, by qualified name, that say nothing about needing a coroutine function. */
const NEUTRAL_DECORATORS: ReadonlySet<string> = new Set([
  'builtins.staticmethod',
  'builtins.classmethod',
  'functools.wraps',
  'typing.override',
  'typing.final',
  'typing_extensions.override',
  'typing_extensions.final',
]);

/**
 * Methods that a protocol or framework awaits, so they must be coroutine functions whatever their
 * body does: the async context manager and iterator protocols, unittest's async hooks.
 */
const ASYNC_PROTOCOL_METHODS: ReadonlySet<string> = new Set([
  '__aenter__',
  '__aexit__',
  '__anext__',
  'asyncSetUp',
  'asyncTearDown',
]);

/** Whether a def is a method: directly in a class body (decorated or not). */
function isMethod(fn: Node): boolean {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  return holder.parent?.type === 'block' && holder.parent.parent?.type === 'class_definition';
}

/**
 * asyncio functions that need the running loop: a coroutine function calling one says "call me
 * from the loop" with its `async`, even without awaiting.
 */
const RUNNING_LOOP_APIS: ReadonlySet<string> = new Set([
  'asyncio.get_running_loop',
  'asyncio.create_task',
  'asyncio.current_task',
  'asyncio.all_tasks',
  'asyncio.ensure_future',
  'asyncio.get_event_loop',
  'asyncio.timeout',
  'asyncio.Future',
  'asyncio.Event',
]);

/** Loop methods that need the running loop when called from a coroutine (`loop.create_future()`). */
const LOOP_METHODS: ReadonlySet<string> = new Set([
  'create_future',
  'create_task',
  'call_soon',
  'call_later',
  'call_at',
]);

/** How the own body of a function suspends or yields, scanning with an explicit stack. */
function scanOwnBody(body: Node): { suspends: boolean; yields: boolean; calls: Node[] } {
  let suspends = false;
  let yields = false;
  const calls: Node[] = [];
  const stack: Node[] = [body];
  while (stack.length > 0 && !suspends && !yields) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'await':
        suspends = true;
        continue;
      case 'yield':
        yields = true;
        break;
      case 'call':
        calls.push(node);
        break;
      case 'for_statement':
      case 'with_statement':
      case 'for_in_clause':
        if (node.child(0)?.type === 'async') suspends = true;
        break;
      case 'function_definition':
      case 'lambda':
        // Default values (and annotations) are evaluated here, the body is not.
        for (const p of node.childrenForFieldName('parameters')) stack.push(p);
        continue;
      case 'class_definition':
        for (const s of node.childrenForFieldName('superclasses')) stack.push(s);
        continue;
    }
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return { suspends, yields, calls };
}

function isDocstring(stmt: Node): boolean {
  return stmt.type === 'expression_statement' && stmt.namedChildCount === 1 && stmt.namedChild(0)!.type === 'string';
}

/** A body made only of a docstring and `...`, `pass`, or one `raise` (`raise NotImplementedError`). */
function isStubBody(body: Node): boolean {
  const statements = body.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  return statements.every(
    (s, i) =>
      (i === 0 && isDocstring(s)) ||
      s.type === 'pass_statement' ||
      (s.type === 'expression_statement' && s.namedChildCount === 1 && s.namedChild(0)!.type === 'ellipsis') ||
      (s.type === 'raise_statement' && i === statements.length - 1),
  );
}

function needsRunningLoop(names: NameResolver, call: Node): boolean {
  if (RUNNING_LOOP_APIS.has(names.callee(call).qname ?? '')) return true;
  // `loop.create_future()`, `self._loop.call_soon(...)`: by method name, whatever the receiver.
  const f = call.childForFieldName('function');
  return f?.type === 'attribute' && LOOP_METHODS.has(f.childForFieldName('attribute')?.text ?? '');
}

/**
 * Whether a method may override or implement one of a base: unless every base of its class is a
 * workspace class (down to `object`) and none defines the name. A class with no bases overrides
 * nothing.
 */
function overridable(names: NameResolver, fn: Node, name: string): boolean {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const cls = holder.parent!.parent!;
  const supers = cls.childForFieldName('superclasses');
  const bases = (supers?.namedChildren ?? []).filter((b): b is Node => b !== null && b.type !== 'comment');
  for (const base of bases) {
    if (base.type !== 'identifier' && base.type !== 'attribute') return true;
    const qname = names.qualifiedName(base);
    if (qname === 'builtins.object') continue;
    if (!qname || !names.workspace?.classDefines) return true;
    if (names.workspace.classDefines(qname, name) !== 'no') return true;
  }
  return false;
}

/**
 * Whether every use of the name, in this file and the workspace's others, is the callee of an
 * awaited call (`await name(...)`, `await self.name(...)`), and there is at least one: then dropping
 * `async` and those awaits is the whole change. Any other use (passed as a value, stored, a call
 * whose coroutine goes to `gather` or `create_task`), or none at all (public API, an entry
 * point), and the rule stays quiet. By spelling: a method name shared with other classes counts
 * their uses too, which only makes the rule quieter; and a name defined more than once (another
 * class's method, a duck-typed stand-in, an override) is left alone, since `await x.name()` may
 * reach either definition.
 */
function onlyAwaitedCalls(text: string, names: NameResolver, name: string): boolean {
  const none: NameUsage = { awaitedCalls: 0, other: 0, definitions: 0 };
  const others = names.workspace?.usagesOf?.(name) ?? none;
  // Counts only add up: the other files alone can settle it without counting this one's.
  if (others.other > 0 || others.definitions > 1) return false;
  const own = ownUsages(text).get(name) ?? none;
  return (
    own.definitions + others.definitions === 1 &&
    own.other + others.other === 0 &&
    own.awaitedCalls + others.awaitedCalls > 0
  );
}

let lastText: string | undefined;
let lastUsages: Map<string, NameUsage> = new Map();
/** This file's own usages, counted once per text (the rule runs per function). */
function ownUsages(text: string): Map<string, NameUsage> {
  if (text !== lastText) {
    lastUsages = countNameUsages(text);
    lastText = text;
  }
  return lastUsages;
}
