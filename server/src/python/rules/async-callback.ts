// async-callback (Python): a coroutine function handed to `loop.call_soon`, `call_soon_threadsafe`,
// `call_later` or `call_at`. The loop calls its callback as a plain function: an `async def` then
// only returns a coroutine that nobody awaits, so its body never runs (asyncio's debug mode raises
// TypeError instead). Passing a coroutine object (`call_soon(refresh())`) fails too: it is not
// callable. Anchor: the `call_*` call.
//
// The loop is known by kind, not by the name `loop`: a value from `asyncio.get_running_loop()`,
// `get_event_loop()` or `new_event_loop()` (also called inline), or a parameter annotated
// `asyncio.AbstractEventLoop`. A parameter or attribute merely named `loop` is not enough: a
// scheduler class of one's own may have a `call_soon` that takes coroutine functions.
//
// The callback is a coroutine function when it is an `async def` of this module (module level or
// nested, by binding), a method `self.m` of the enclosing class defined with `async def`, an
// imported workspace `async def` or known library coroutine function (`asyncio.sleep`), a
// `functools.partial` of one, or a lambda whose body calls one.
//
// Fix (suggestion) only for `call_soon_threadsafe(f, *args)` on a named loop, the thread-side
// hand-off: `asyncio.run_coroutine_threadsafe(f(*args), loop)`. Inside the loop's thread the right
// call is `asyncio.create_task(f(...))` with a reference kept until it is done, which needs a place
// to keep it: the message says so and no edit is guessed.
import type { SyntaxNode as Node } from '../syntax';
import type { Fix } from '../../engine/types';
import { asyncioMember } from '../fix-text';
import type { NameResolver } from '../names';
import type { PyRule } from '../rule';
import { unparenthesized } from '../utils';
import meta from '../../rules-meta/async-callback';

export const asyncCallback: PyRule = {
  id: meta.id,
  create(context) {
    return {
      call(call) {
        const fn = call.childForFieldName('function');
        if (fn?.type !== 'attribute') return;
        const method = fn.childForFieldName('attribute')!.text;
        if (!method.startsWith('call_')) return; // cheap filter before any name resolution
        const names = context.names;
        const qname = names.qualifiedName(fn);
        const scheduler = qname ? context.catalog.callbackScheduler(qname) : undefined;
        if (!scheduler) return;
        const args = positionalArguments(call);
        if (!args) return;
        const callback = args[scheduler.callbackIndex];
        if (!callback) return;
        const loopText = fn.childForFieldName('object')!.text;
        const what = coroutineCallback(callback, names);
        if (!what) return;
        const label = `${loopText}.${method}`;
        if (what.kind === 'coroutine-object') {
          context.report(
            call,
            `'${label}' is given a coroutine object, which is not callable: it fails when the loop runs it, and the coroutine is never awaited. ` +
              `Schedule it with 'asyncio.create_task(...)' and keep a reference until it is done.`,
          );
          return;
        }
        const fix =
          method === 'call_soon_threadsafe' &&
          what.kind === 'function' &&
          fn.childForFieldName('object')!.type === 'identifier'
            ? threadsafeFix(context.text, call, callback, args.slice(1), loopText, names)
            : undefined;
        context.report(
          call,
          (what.kind === 'function'
            ? `'${label}' calls '${what.name}' as a plain function: an 'async def' only returns a coroutine there, `
            : `'${label}' is given a callable that returns a coroutine of '${what.name}', `) +
            `which is never awaited, so its body never runs. ` +
            (method === 'call_soon_threadsafe'
              ? `From another thread, use 'asyncio.run_coroutine_threadsafe(${what.name}(...), ${loopText})'.`
              : `Use 'asyncio.create_task(${what.name}(...))' and keep a reference to the task until it is done` +
                (method === 'call_soon' ? '.' : `; for a delay, start the task with 'await asyncio.sleep(...)'.`)),
          fix ? [fix] : [],
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** `functools.partial(f, ...)` wrappers are followed at most this deep. */
const MAX_PARTIALS = 8;

const PARTIALS: ReadonlySet<string> = new Set(['functools.partial']);

/** The positional arguments, or undefined when a `*args` splat hides their positions. */
function positionalArguments(call: Node): Node[] | undefined {
  const out: Node[] = [];
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a || a.type === 'comment' || a.type === 'keyword_argument' || a.type === 'dictionary_splat') continue;
    if (a.type === 'list_splat') return out.length > 0 ? out : undefined;
    out.push(a);
  }
  return out;
}

type CoroutineCallback =
  /** An async def, by reference: `refresh`, `self.refresh`, `asyncio.sleep`. */
  | { kind: 'function'; name: string }
  /** Something that returns a coroutine when called: a partial of one, a lambda calling one. */
  | { kind: 'wrapper'; name: string }
  /** A coroutine object: `refresh()`. */
  | { kind: 'coroutine-object'; name: string };

/** What the callback expression is, when it is (or makes) a coroutine. */
function coroutineCallback(expr: Node, names: NameResolver): CoroutineCallback | undefined {
  let e: Node = expr;
  let wrapped = false;
  for (let depth = 0; depth <= MAX_PARTIALS; depth++) {
    e = unparenthesized(e);
    if (e.type === 'identifier' || e.type === 'attribute') {
      if (!isCoroutineFunction(e, names)) return undefined;
      return { kind: wrapped ? 'wrapper' : 'function', name: e.text };
    }
    if (e.type === 'lambda') {
      const body = e.childForFieldName('body');
      if (body?.type === 'call' && names.callsCoroutineFunction(body)) {
        return { kind: 'wrapper', name: body.childForFieldName('function')!.text };
      }
      return undefined;
    }
    if (e.type !== 'call') return undefined;
    const callee = names.callee(e);
    if (callee.qname && PARTIALS.has(callee.qname)) {
      const first = positionalArguments(e)?.[0];
      if (!first) return undefined;
      e = first;
      wrapped = true;
      continue;
    }
    if (!wrapped && names.isCoroutineFunction(callee)) {
      return { kind: 'coroutine-object', name: e.childForFieldName('function')!.text };
    }
    return undefined;
  }
  return undefined;
}

/** Whether a name or attribute refers to a coroutine function. */
function isCoroutineFunction(expr: Node, names: NameResolver): boolean {
  if (expr.type === 'identifier') {
    const bindings = names.bindingsOf(expr);
    if (bindings?.length === 1 && bindings[0].kind === 'function') return bindings[0].isAsync;
    // Imports resolve below, by qualified name; anything else (a variable) is not known.
    if (bindings?.some((b) => b.kind !== 'import')) return false;
  } else {
    const method = ownMethod(expr, names);
    if (method) return method.child(0)?.type === 'async';
  }
  const qname = names.qualifiedName(expr);
  return qname !== undefined && names.isCoroutineFunction({ qname, definition: undefined });
}

/**
 * The `def` of `self.name` when `self` is the first parameter of a method of the enclosing class
 * and the class itself defines `name` once.
 */
function ownMethod(attr: Node, names: NameResolver): Node | undefined {
  const object = attr.childForFieldName('object');
  if (object?.type !== 'identifier') return undefined;
  const bindings = names.bindingsOf(object);
  const self = bindings?.length === 1 ? bindings[0] : undefined;
  if (self?.kind !== 'parameter' || self.index !== 0 || self.scope.parent?.kind !== 'class') return undefined;
  const members = self.scope.parent.bindings.get(attr.childForFieldName('attribute')!.text);
  const member = members?.length === 1 ? members[0] : undefined;
  return member?.kind === 'function' ? member.node : undefined;
}

// ---- the fixes ----------------------------------------------------------------------------------

/** `loop.call_soon_threadsafe(f, a, b)` -> `asyncio.run_coroutine_threadsafe(f(a, b), loop)`. */
function threadsafeFix(
  text: string,
  call: Node,
  callback: Node,
  args: Node[],
  loop: string,
  names: NameResolver,
): Fix | undefined {
  const argumentList = call.childForFieldName('arguments')!;
  // Keyword arguments (`context=`) and comments have no place in the rewritten call.
  if (
    argumentList.namedChildren.some(
      (a) =>
        a !== null &&
        (a.type === 'keyword_argument' ||
          a.type === 'comment' ||
          a.type === 'list_splat' ||
          a.type === 'dictionary_splat'),
    )
  )
    return undefined;
  const runner = asyncioMember(names, text, call, 'run_coroutine_threadsafe');
  if (!runner) return undefined;
  const newText = `${runner.expression}(${callback.text}(${args.map((a) => a.text).join(', ')}), ${loop})`;
  const edits = [{ start: call.startIndex, end: call.endIndex, newText }];
  if (runner.importEdit) edits.push(runner.importEdit);
  return { title: `Use ${runner.expression}(...)`, edits, safe: false };
}
