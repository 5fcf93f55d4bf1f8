// await-in-loop (Python): a `for` loop inside an `async def` that awaits a call on every turn,
// where the turns do not depend on each other, runs its calls one after another. Anchor: the
// first such await; one finding per loop.
//
// Which awaits count: those directly in the loop body, outside nested functions, lambdas and class
// bodies, outside the header (`for x in await load()` runs once), and not inside a nested `for` or
// `while` body (that loop gets its own finding, or is polling). Only awaits of a call: `await task`
// (a task or future already running, as with `asyncio.as_completed`) starts nothing.
//
// Not flagged:
// - `while` loops (polling, streams, cursors) and `async for` loops;
// - modules that import trio, anyio or curio: their concurrency is a nursery or task group;
// - loop-carried dependencies: an awaited call reads a name (or `obj.attr`) that the body assigns
//   after it or conditionally (`cursor = await next_page(cursor)`), so each turn needs the last;
// - an early exit after an await (`if await is_free(p): return p`, `break`, `raise`): the
//   remaining turns must not run, gather would run them all;
// - a loop that also awaits `asyncio.sleep` or a helper named like a delay (`sleep`, `delay`,
//   `pause`, `backoff`: throttled on purpose), or `asyncio.gather` / `asyncio.wait` (batches on
//   purpose);
// - a loop whose awaited calls are order-sensitive methods (stream reads and writes, database
//   statements: see ORDER_SENSITIVE_METHODS).
//
// Fix (suggestion: gather runs every call even if one raises, and all at once) when the body is one
// statement: `await f(x)` -> `await asyncio.gather(*(f(x) for x in xs))`; `out.append(await f(x))`
// -> `out.extend(await asyncio.gather(...))`, or `out = await asyncio.gather(...)` when the loop
// directly follows `out = []`.
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, TextEdit } from '../../engine/types';
import {
  CONCURRENT_CALLS,
  hasStatefulArgument,
  orderSensitiveReceiver,
  pyCallModel,
  usesOtherFramework,
} from '../concurrency';
import { concurrencyCatalog, type ConcurrencyCatalog } from '../../engine/concurrency-catalog';
import { boundIdentifiers, plainTargetNames, readPaths, rootIdentifier } from '../dataflow';
import { asPrimary, asyncioMember, delimited, layoutAt, MAX_LINE } from '../fix-text';
import { compactText } from '../utils';
import type { NameResolver } from '../names';
import type { PyRule } from '../rule';
import meta from '../../rules-meta/await-in-loop';

export const awaitInLoop: PyRule = {
  id: meta.id,
  create(context) {
    return {
      for_statement(loop) {
        if (loop.child(0)?.type === 'async') return;
        const body = loop.childForFieldName('body');
        if (!body) return;
        const scan = scanBody(body);
        if (scan.awaits.length === 0) return;
        const first = scan.awaits[0];
        // An exit that holds or follows an await (`try: return await op()` in a retry loop).
        if (scan.exits.some((e) => e.endIndex > first.startIndex)) return;
        if (scan.awaits.some((a) => isLoopCarried(a, scan))) return;
        const items = loopVariables(loop);
        itemValues(scan, items);
        // Per-item work: an awaited call uses the loop variable.
        if (!scan.awaits.some((a) => [...readPaths(withComprehension(a, body))].some((p) => items.has(p)))) return;
        if (hasExplicitOrder(loop)) return;
        const names = context.names;
        if (!names.inAsyncFunction(loop) || usesOtherFramework(names) || isDeliberate(scan, names)) return;
        const catalog = concurrencyCatalog(context.config);
        if (sharesState(scan, items, names, catalog) || mutatesSharedState(body, items) || buildsInOrder(scan)) return;
        if (isBenchmark(loop, scan) || hasGatheredAlternative(loop, names)) return;
        if (scan.awaits.every((a) => isConditional(a, body))) return;
        const fix = gatherFix(context.text, loop, names);
        context.report(
          first,
          `This loop awaits each call before starting the next, and its turns do not depend on each other; ` +
            `'asyncio.gather' would run them concurrently.`,
          fix ? [fix] : [],
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** Awaited calls that make a loop deliberately sequential: a delay, or a batch already gathered. */
const DELIBERATE: ReadonlySet<string> = new Set(['asyncio.sleep', ...CONCURRENT_CALLS]);

/**
 * Names of delay helpers, matched by spelling since projects write their own (`await
 * backoff(attempt)`): a miss here only means a loop is reported, a match only that it is not.
 */
const DELAY_NAMES: ReadonlySet<string> = new Set(['sleep', 'delay', 'pause', 'backoff']);

interface LoopBody {
  /** Awaits of a call that belong to this loop, in source order. */
  awaits: Node[];
  /** Every awaited call in the body, nested loops included, to tell a deliberate loop. */
  awaitedCalls: Node[];
  /** break (of this loop), return and raise statements. */
  exits: Node[];
  /** Names and `obj.attr` paths the body assigns, with the statement doing it. */
  assigned: { path: string; node: Node }[];
  /** Every call of the body outside nested functions, nested loops included. */
  calls: Node[];
}

/**
 * The names a loop's target binds, and the variable under an attribute or subscript it assigns:
 * `for api.current in items` changes `api` each turn.
 */
function loopVariables(loop: Node): Set<string> {
  const left = loop.childForFieldName('left');
  const items = new Set<string>();
  if (!left) return items;
  const { ids, others } = boundIdentifiers(left);
  for (const id of ids) items.add(id.text);
  for (const o of others) {
    const root = rootIdentifier(o);
    if (root) items.add(root.text);
  }
  return items;
}

/** The outermost comprehension around an await (its `for` clause feeds the call), or the await. */
function withComprehension(awaitNode: Node, body: Node): Node {
  let found = awaitNode;
  for (let n = awaitNode.parent; n && n.id !== body.id; n = n.parent) {
    if (/comprehension$|^generator_expression$/.test(n.type)) found = n;
  }
  return found;
}

/**
 * An await that runs on some turns only: under an `if`/`elif`/`else` branch of the body (not in
 * its condition), a branch of `x if c else y`, or the right of `and`/`or`. The loop's work is then
 * mostly synchronous, the await the exception (a rare path, an optional step): gathering would
 * restructure the loop, not batch it.
 */
function isConditional(awaitNode: Node, body: Node): boolean {
  let child = awaitNode;
  for (let n = awaitNode.parent; n && n.id !== body.id; child = n, n = n.parent) {
    if ((n.type === 'if_statement' || n.type === 'elif_clause') && child.id !== n.childForFieldName('condition')?.id)
      return true;
    if (n.type === 'else_clause') return true;
    // `a if c else b`: the children are a, `if`, c, `else`, b; c is the only one always evaluated.
    if (n.type === 'conditional_expression' && child.id !== n.namedChildren[1]?.id) return true;
    if (n.type === 'boolean_operator' && child.id === n.childForFieldName('right')?.id) return true;
  }
  return false;
}

/** Several appends to one list per turn: the body builds one sequence in order (boundary, part, CRLF). */
function buildsInOrder(scan: LoopBody): boolean {
  const seen = new Set<string>();
  for (const call of scan.calls) {
    const fn = call.childForFieldName('function')!;
    if (fn.type !== 'attribute' || !/^(append|extend|write|add)$/.test(fn.childForFieldName('attribute')!.text))
      continue;
    const receiver = fn.childForFieldName('object')!.text;
    if (seen.has(receiver)) return true;
    seen.add(receiver);
  }
  return false;
}

/** A benchmark measures one call after another: the function or the awaited call is named for it. */
function isBenchmark(loop: Node, scan: LoopBody): boolean {
  for (let n = loop.parent; n; n = n.parent) {
    if (n.type === 'function_definition') {
      if (/bench/i.test(n.childForFieldName('name')?.text ?? '')) return true;
      break;
    }
  }
  return scan.awaits.some((a) => /bench/i.test(a.namedChild(0)?.childForFieldName('function')?.text ?? ''));
}

/**
 * The loop is one branch of an `if` whose other branch gathers: the sequential form is the
 * deliberate alternative (`if concurrent: await gather(...) else: for ...: await ...`).
 */
function hasGatheredAlternative(loop: Node, names: NameResolver): boolean {
  for (let n = loop.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type !== 'if_statement') continue;
    const gathers = n.descendantsOfType('call').some((c) => {
      if (!c || (c.startIndex >= loop.startIndex && c.endIndex <= loop.endIndex)) return false;
      const q = names.qualifiedName(c.childForFieldName('function')!);
      return q !== undefined && CONCURRENT_CALLS.has(q);
    });
    if (gathers) return true;
  }
  return false;
}

/** Adds the names the body binds from an item (`key = item.key`, `with get(url) as resp`), transitively. */
function itemValues(scan: LoopBody, items: Set<string>): void {
  for (let changed = true, rounds = 0; changed && rounds < 4; rounds++) {
    changed = false;
    for (const { path, node } of scan.assigned) {
      if (items.has(path) || path.includes('.')) continue;
      let value: Node | null = null;
      if (node.type === 'assignment') value = node.childForFieldName('right');
      else if (node.type === 'named_expression') value = node.childForFieldName('value');
      else if (node.type === 'as_pattern_target') {
        const item = node.parent?.type === 'as_pattern' ? node.parent : null;
        value = item?.namedChild(0) ?? null;
      }
      if (value && [...readPaths(value)].some((p) => items.has(p))) {
        items.add(path);
        changed = true;
      }
    }
  }
}

/** `for x in reversed(xs)`: the order is made explicit. */
function hasExplicitOrder(loop: Node): boolean {
  const iterable = loop.childForFieldName('right');
  if (iterable?.type !== 'call') return false;
  const fn = iterable.childForFieldName('function')!;
  return fn.text === 'reversed' || (fn.type === 'attribute' && fn.childForFieldName('attribute')!.text === 'reverse');
}

/**
 * Every turn calls through the same receiver, so only evidence rules a loop out: a method on
 * `self`, a stateful receiver, a stateful argument other than the item, an ordered call (event
 * waits, logging, hooks and signals, cleanups), in an awaited call; and logging, hooks or a
 * statement-level call on `self` anywhere in the body.
 */
function sharesState(
  scan: LoopBody,
  items: ReadonlySet<string>,
  names: NameResolver,
  catalog: ConcurrencyCatalog,
): boolean {
  for (const a of scan.awaits) {
    const call = a.namedChild(0)!;
    const model = pyCallModel(call, names, catalog);
    if (model.onSelf || model.ordered || model.kind === 'stateful') return true;
    if (hasStatefulArgument(call, names, catalog, (arg) => arg.type === 'identifier' && items.has(arg.text)))
      return true;
  }
  return scan.calls.some((call) => {
    const fn = call.childForFieldName('function')!;
    const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
    if (ORDERED_SIDE_EFFECT.test(name)) return true;
    if (fn.type !== 'attribute') return false;
    const receiver = fn.childForFieldName('object')!;
    const last = receiver.type === 'attribute' ? receiver.childForFieldName('attribute')!.text : receiver.text;
    if (ORDERED_RECEIVER.test(last)) return true;
    return (receiver.text === 'self' || receiver.text === 'cls') && call.parent?.type === 'expression_statement';
  });
}

/** Calls, awaited or not, whose order is their meaning: logging and output, hooks and signals, cleanups. */
const ORDERED_SIDE_EFFECT =
  /^(print|send_.*|on_.*|emit.*|dispatch.*|fire.*|trigger.*|_?(close|aclose|disconnect|shutdown|stop|start|cleanup|terminate|kill|unload|detach)(_.*)?)$/;
const ORDERED_RECEIVER =
  /^_?(logger|log|logging|trace|tracer|signal|signals|hooks?|middlewares?|listeners?|handlers?|callbacks?|observers?|subscribers?|detectors?|watchers?|plugins?)$/;

/** Mutating methods that do not collect per-item results. */
const NON_COLLECTING = new Set([
  'remove',
  'pop',
  'popleft',
  'popitem',
  'discard',
  'clear',
  'sort',
  'reverse',
  'insert',
]);

/**
 * The body writes state that outlives the turn, other than collecting results per item:
 * `total += await f(x)`, `self.last = await f(x)`, `seen.discard(x)`. Collecting is
 * `out.append(...)`, `out[x] = ...` (keyed by the item), `out.add(...)`.
 */
function mutatesSharedState(body: Node, items: ReadonlySet<string>): boolean {
  const locals = new Set<string>();
  const stack: Node[] = [body];
  const writes: Node[] = [];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') continue;
    if (n.type === 'assignment') {
      const { ids, others } = boundIdentifiers(n.childForFieldName('left')!);
      for (const id of ids) locals.add(id.text);
      writes.push(...others);
    } else if (n.type === 'augmented_assignment') {
      writes.push(n.childForFieldName('left')!);
    } else if (n.type === 'delete_statement') {
      for (const c of n.namedChildren) if (c) writes.push(c);
    } else if (n.type === 'call') {
      const fn = n.childForFieldName('function')!;
      if (fn.type === 'attribute' && NON_COLLECTING.has(fn.childForFieldName('attribute')!.text))
        writes.push(fn.childForFieldName('object')!);
      // setattr(obj, name, value) writes obj.
      const target = fn.text === 'setattr' ? n.childForFieldName('arguments')?.namedChild(0) : null;
      if (target) writes.push(target);
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return writes.some((w) => {
    if (w.type === 'subscript') {
      const index = w.childForFieldName('subscript');
      if (index && [...readPaths(index)].some((p) => items.has(p))) return false; // out[x] = ...
    }
    const root = rootIdentifier(w);
    if (!root) return true;
    return !(items.has(root.text) || (w.id !== root.id && locals.has(root.text)));
  });
}

/** A loop that awaits a delay or a gathered batch, or calls that must stay in order. */
function isDeliberate(scan: LoopBody, names: NameResolver): boolean {
  return scan.awaitedCalls.some((call) => {
    if (orderSensitiveReceiver(call, names) !== undefined) return true;
    const fn = call.childForFieldName('function')!;
    const callee = names.qualifiedName(fn);
    if (callee !== undefined && DELIBERATE.has(callee)) return true;
    const last = fn.type === 'attribute' ? fn.childForFieldName('attribute')!.text : fn.text;
    return DELAY_NAMES.has(last);
  });
}

/** The awaits, exits and assignments that belong to the loop whose body is `body`. */
function scanBody(body: Node): LoopBody {
  const out: LoopBody = { awaits: [], awaitedCalls: [], exits: [], assigned: [], calls: [] };
  // `nested` counts the loops between a node and `body`: their awaits and breaks are theirs.
  const stack: { node: Node; nested: number }[] = [{ node: body, nested: 0 }];
  while (stack.length > 0) {
    const { node, nested } = stack.pop()!;
    let inner = nested;
    switch (node.type) {
      case 'function_definition':
      case 'lambda':
      case 'class_definition':
        continue;
      case 'await': {
        const call = node.namedChild(0);
        if (call?.type === 'call') {
          out.awaitedCalls.push(call);
          if (nested === 0) out.awaits.push(node);
        }
        break;
      }
      case 'call':
        out.calls.push(node);
        break;
      case 'break_statement':
        if (nested === 0) out.exits.push(node);
        break;
      case 'return_statement':
      case 'raise_statement':
        out.exits.push(node);
        break;
      case 'for_statement':
      case 'while_statement':
        // The header of a nested `for` runs once per turn of this loop; its body does not.
        inner = nested + 1;
        for (let i = node.namedChildCount - 1; i >= 0; i--) {
          const c = node.namedChild(i);
          if (!c || c.type === 'comment') continue;
          const header = node.type === 'for_statement' && node.fieldNameForNamedChild(i) === 'right';
          stack.push({ node: c, nested: header ? nested : inner });
        }
        if (node.type === 'for_statement') assignedPaths(node.childForFieldName('left'), node, out);
        continue;
      case 'assignment':
      case 'augmented_assignment':
        assignedPaths(node.childForFieldName('left'), node, out);
        break;
      case 'named_expression':
        assignedPaths(node.childForFieldName('name'), node, out);
        break;
      case 'as_pattern_target':
        assignedPaths(node.namedChild(0), node, out);
        break;
    }
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const c = node.namedChild(i);
      if (c && c.type !== 'comment') stack.push({ node: c, nested: inner });
    }
  }
  out.awaits.sort((a, b) => a.startIndex - b.startIndex);
  return out;
}

/** Records the names and `obj.attr` paths a target assigns (for `d[k] = ...`, the path of `d`). */
function assignedPaths(target: Node | null, by: Node, out: LoopBody): void {
  if (!target) return;
  const { ids, others } = boundIdentifiers(target);
  for (const id of ids) out.assigned.push({ path: id.text, node: by });
  for (const o of others) {
    const written = o.type === 'subscript' ? o.childForFieldName('value') : o.type === 'attribute' ? o : null;
    if (written) out.assigned.push({ path: compactText(written), node: by });
  }
}

/**
 * True when the awaited call reads a name or path that the body assigns in a way that carries over
 * to the next turn: anything but an assignment that runs before the await on every turn.
 */
function isLoopCarried(awaitNode: Node, scan: LoopBody): boolean {
  const reads = readPaths(awaitNode);
  return scan.assigned.some(({ path, node }) => reads.has(path) && !runsBefore(node, path, awaitNode));
}

/**
 * True when the assignment `by` of `path` gives it a fresh value before `awaitNode` whenever the
 * await runs: a plain assignment statement earlier in a block that holds the await, whose value
 * does not read `path` itself (`n = n + 1` and `n += 1` carry the last turn's value), or the `as`
 * target of a `with` around the await.
 */
function runsBefore(by: Node, path: string, awaitNode: Node): boolean {
  if (by.type === 'as_pattern_target') {
    const item = by.parent?.parent;
    const withBody = item?.type === 'with_item' ? item.parent?.parent?.childForFieldName('body') : undefined;
    return !!withBody && withBody.startIndex <= awaitNode.startIndex && awaitNode.endIndex <= withBody.endIndex;
  }
  const statement = by.parent;
  if (by.type !== 'assignment' || statement?.type !== 'expression_statement') return false;
  const value = by.childForFieldName('right');
  if (!value || readPaths(value).has(path)) return false;
  const block = statement.parent;
  return (
    !!block &&
    statement.endIndex <= awaitNode.startIndex &&
    awaitNode.endIndex <= block.endIndex &&
    block.startIndex <= awaitNode.startIndex
  );
}

// ---- the fixes ----------------------------------------------------------------------------------

function gatherFix(text: string, loop: Node, names: NameResolver): Fix | undefined {
  if (loop.childForFieldName('alternative')) return undefined;
  // The loop is replaced whole: it must be delimited (see delimited()).
  if (!delimited(text, loop)) return undefined;
  const body = loop.childForFieldName('body')!;
  const statements = body.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  if (statements.length !== 1 || statements[0].type !== 'expression_statement') return undefined;
  const expr = statements[0].namedChild(0)!;
  const target = loop.childForFieldName('left')!;
  const iterable = loop.childForFieldName('right')!;
  const targetNames = plainTargetNames(target);
  if (!targetNames || usedAfter(loop, targetNames)) return undefined;

  // `await CALL` or `R.append(await CALL)`.
  let call: Node | undefined;
  let collector: Node | undefined;
  if (expr.type === 'await') {
    call = expr.namedChild(0) ?? undefined;
  } else if (expr.type === 'call') {
    const fn = expr.childForFieldName('function')!;
    const args = expr
      .childForFieldName('arguments')!
      .namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
    if (
      fn.type === 'attribute' &&
      fn.childForFieldName('attribute')!.text === 'append' &&
      args.length === 1 &&
      args[0].type === 'await'
    ) {
      collector = fn.childForFieldName('object')!;
      call = args[0].namedChild(0) ?? undefined;
    }
  }
  if (call?.type !== 'call' || call.descendantsOfType('await').length > 0) return undefined;
  if (collector) {
    const collectorReads = readPaths(collector);
    if ([...targetNames].some((n) => collectorReads.has(n)) || readPaths(call).has(collector.text)) return undefined;
  }

  const { indent, unit, eol } = layoutAt(text, loop);
  const gather = asyncioMember(names, text, loop, 'gather');
  if (!gather) return undefined;
  const source = asPrimary(iterable);

  // `out = []` right before the loop: the gathered list replaces both.
  let start = loop.startIndex;
  let head: string;
  let tail = '';
  const previous = loop.previousNamedSibling;
  if (collector && collector.type === 'identifier' && previous && isEmptyListAssignment(previous, collector.text)) {
    start = previous.startIndex;
    head = `${collector.text} = await ${gather.expression}(`;
  } else if (collector) {
    head = `${collector.text}.extend(await ${gather.expression}(`;
    tail = ')';
  } else {
    head = `await ${gather.expression}(`;
  }
  const oneLine = `${head}*(${call.text} for ${target.text} in ${source}))${tail}`;
  const inner = `${indent}${unit}`;
  const statement =
    call.text.includes('\n') || indent.length + oneLine.length > MAX_LINE
      ? `${head}*(${eol}${inner}${call.text}${eol}${inner}for ${target.text} in ${source}${eol}${indent}))${tail}`
      : oneLine;
  // Comments in the loop, outside the moved call, target and iterable (whose texts carry theirs),
  // go above the new statement.
  const moved = [call, target, iterable];
  const comments = loop
    .descendantsOfType('comment')
    .filter((c) => !moved.some((m) => m.startIndex <= c.startIndex && c.endIndex <= m.endIndex))
    .map((c) => c.text.trimEnd());
  const edits: TextEdit[] = [{ start, end: loop.endIndex, newText: [...comments, statement].join(`${eol}${indent}`) }];
  if (gather.importEdit) edits.push(gather.importEdit);
  return { title: `Run the calls concurrently with ${gather.expression}(...)`, edits, safe: false };
}

/** True when code after the loop in its function may read the loop variables (the generator does not set them). */
function usedAfter(loop: Node, names: Set<string>): boolean {
  let scope: Node | null = loop.parent;
  while (scope && scope.type !== 'function_definition') scope = scope.parent;
  if (!scope) return true;
  return scope
    .descendantsOfType('identifier')
    .some((id) => id !== null && id.startIndex >= loop.endIndex && names.has(id.text));
}

function isEmptyListAssignment(stmt: Node, name: string): boolean {
  if (stmt.type !== 'expression_statement') return false;
  const a = stmt.namedChild(0);
  if (a?.type !== 'assignment' || a.childForFieldName('type')) return false;
  const right = a.childForFieldName('right');
  return a.childForFieldName('left')?.text === name && right?.type === 'list' && right.namedChildCount === 0;
}
