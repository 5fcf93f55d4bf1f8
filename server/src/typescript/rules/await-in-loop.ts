// await-in-loop: an `await` of a call directly in the body of a `for`, `for...of` or `for...in`
// loop whose iterations do not depend on each other: each item waits for the previous one for
// no reason. Anchor: the first such await; several in one body are one finding.
//
// Left alone, because the order is the point:
// - `while` / `do...while` (polling, streams, cursors) and `for await`;
// - awaits in a nested function, in the loop header, or in a nested loop (that loop answers for them);
// - an await of something already started (`await p`): the work runs concurrently already;
// - a loop-carried dependency: an awaited call uses a variable the body writes and that outlives
//   the iteration (`cursor = await next(cursor)`, `state = await step(state)`, `seen.add(x)`
//   then `await visit(x, seen)`);
// - an early exit decided by an awaited result: a `return`, a `break`/`continue` that leaves the
//   loop, or a `for` condition, that holds or follows an await of the body, or sits under a
//   condition reading an awaited value: a search, a fallback, a retry, a time budget
//   (`if (await isFree(port)) return port`). A `throw` is a failure, not an exit: still flagged;
// - a loop that calls its own items (`for (const task of tasks) await task()`): running opaque
//   steps in order (hooks, middleware, migrations) is what it is for;
// - a loop that also waits on purpose: a delay (`sleep`-like helpers by name, `setTimeout` from
//   `timers/promises` by import, `new Promise((r) => setTimeout(r, ms))`), or a call whose order
//   matters (ORDER_SENSITIVE_CALLS: writes to one stream, a lock);
// - module top level (a script's steps), and functions that are not async.
// Fix (suggestion: the items' side effects then overlap) for `for...of` bodies where the rewrite is
// mechanical: a body that only declares locals and awaits -> `await Promise.all(xs.map(async (x) => { ... }))`,
// and one that ends in `out.push(value)` -> `out.push(...await Promise.all(xs.map(...)))`, or
// `const out = await Promise.all(...)` when `const out = []` comes just before. Iterables that are
// not arrays go through `Array.from(xs, fn)`.
import ts from 'typescript';
import type { Fix } from '../../engine/types';
import {
  awaitedCall,
  callModel,
  hasStatefulArgument,
  isDelayAwait,
  isOrderedSideEffect,
  isPromiseCombinatorCall,
} from '../concurrency';
import { concurrencyCatalog } from '../../engine/concurrency-catalog';
import {
  boundIdentifiers,
  isAssignment,
  isWithin,
  MUTATING_METHODS,
  rootIdentifier,
  variableSymbol,
  VariableSet,
  writtenIdentifiers,
} from '../dataflow';
import { asReceiver, commentsAfter, endsWithSemicolon, statementBefore } from '../fix-text';
import { moduleResolver } from '../names';
import type { TsRule, TsRuleContext } from '../rule';
import type { TSymbol, Types } from '../typebackend';
import { enclosingFunction, forEachEvaluatedNode, isAsyncFunction, skipOuterExpressions } from '../utils';
import meta from '../../rules-meta/await-in-loop';

export const awaitInLoop: TsRule = {
  id: meta.id,
  create(context) {
    const check = (node: ts.Node) => {
      const loop = node as ForLoop;
      if (ts.isForOfStatement(loop) && loop.awaitModifier) return;
      const awaits = ownAwaits(loop.statement);
      const calls = awaits.filter((a) => awaitedCall(a) !== undefined);
      if (calls.length === 0) return;
      const fn = enclosingFunction(loop);
      if (!fn || !isAsyncFunction(fn)) return;
      const { types } = context;
      if (hasExplicitOrder(loop)) return;
      const items = loopVariables(types, loop);
      // Per-item work: an awaited call uses the loop variable.
      if (!calls.some((a) => items.usedIn(awaitedCall(a)!))) return;
      if (calls.some((a) => isPromiseCombinatorCall(types, awaitedCall(a)!))) return;
      const resolver = moduleResolver(types, context.sourceFile);
      if (allAwaits(loop.statement).some((a) => isDelayAwait(types, resolver, a))) return;
      if (carriesDependency(types, loop, awaits)) return;
      if (callsLoopItem(types, loop, calls)) return;
      if (exitsOnAwaitedResult(types, loop, awaits)) return;
      if (sharesState(context, loop, calls, items)) return;
      if (mutatesSharedState(types, loop, items)) return;
      if (calls.every((a) => isConditional(a, loop.statement))) return;
      const fix = ts.isForOfStatement(loop) ? promiseAllFix(context, loop) : undefined;
      context.report(calls[0], MESSAGE, fix ? [fix] : []);
    };
    return {
      [ts.SyntaxKind.ForStatement]: check,
      [ts.SyntaxKind.ForOfStatement]: check,
      [ts.SyntaxKind.ForInStatement]: check,
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

type ForLoop = ts.ForStatement | ts.ForOfStatement | ts.ForInStatement;

const MESSAGE =
  'This await runs once per iteration, and each iteration waits for the one before, though they do not depend on each other. ' +
  'Start them together with Promise.all (or a concurrency limit, if the work must be throttled).';

/** The awaits of `body` that belong to this loop: not in nested functions, nor in the body of a nested loop. */
function ownAwaits(body: ts.Statement): ts.AwaitExpression[] {
  const out: ts.AwaitExpression[] = [];
  forEachEvaluatedNode(body, (n) => {
    if (ts.isAwaitExpression(n)) out.push(n);
    if (ts.isWhileStatement(n) || ts.isDoStatement(n)) return false; // polling: the while's own business
    if (ts.isIterationStatement(n, false)) {
      // Its header runs as part of this body; its own body is its own loop's business.
      ts.forEachChild(n, (c) => {
        if (c !== n.statement) forEachEvaluatedNode(c, (m) => void (ts.isAwaitExpression(m) && out.push(m)));
      });
      return false;
    }
  });
  return out.sort((a, b) => a.pos - b.pos);
}

/** Every await of `body`, nested loops included (not nested functions): a delay anywhere throttles the loop. */
function allAwaits(body: ts.Statement): ts.AwaitExpression[] {
  const out: ts.AwaitExpression[] = [];
  forEachEvaluatedNode(body, (n) => void (ts.isAwaitExpression(n) && out.push(n)));
  return out;
}

// -- the concurrency model --

/** The loop's own variables: the `for...of`/`for...in` binding, or a `for` header's declarations. */
function loopVariables(types: Types, loop: ForLoop): VariableSet {
  const items = new VariableSet(types);
  const init = loop.initializer;
  if (init && ts.isVariableDeclarationList(init)) {
    for (const d of init.declarations) for (const id of boundIdentifiers(d.name).ids) items.add(id);
  } else if (init && !ts.isForStatement(loop)) {
    for (const id of boundIdentifiers(init as ts.Expression).ids) items.add(id);
  }
  return items;
}

/**
 * An await that runs on some turns only: in a branch of an `if` of the body (not its condition),
 * a branch of a `? :`, or the right of `&&`, `||`, `??`. The loop's work is then mostly
 * synchronous, the await the exception: gathering would restructure the loop, not batch it.
 */
function isConditional(node: ts.Node, body: ts.Statement): boolean {
  let child: ts.Node = node;
  for (let n = node.parent; n && n !== body; child = n, n = n.parent) {
    if (ts.isIfStatement(n) && child !== n.expression) return true;
    if (ts.isConditionalExpression(n) && child !== n.condition) return true;
    if (ts.isBinaryExpression(n) && child === n.right && isShortCircuit(n.operatorToken.kind)) return true;
  }
  return false;
}

function isShortCircuit(op: ts.SyntaxKind): boolean {
  return (
    op === ts.SyntaxKind.AmpersandAmpersandToken ||
    op === ts.SyntaxKind.BarBarToken ||
    op === ts.SyntaxKind.QuestionQuestionToken
  );
}

/** `for (const x of xs.reverse())`, `.toReversed()`: the order is made explicit. */
function hasExplicitOrder(loop: ForLoop): boolean {
  if (ts.isForStatement(loop)) return false;
  const e = skipOuterExpressions(loop.expression);
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'reverse' || callee.name.text === 'toReversed');
}

/**
 * Every iteration calls through the same receiver, so only evidence rules a loop out: a method on
 * `this` (or a closure over it), a stateful receiver, a stateful argument other than the item, an
 * ordered call (event waits, logging, stream steps, hooks and cleanups fired in order).
 */
function sharesState(
  context: TsRuleContext,
  loop: ForLoop,
  calls: readonly ts.AwaitExpression[],
  items: VariableSet,
): boolean {
  const { types } = context;
  const catalog = concurrencyCatalog(context.config);
  let ordered = false;
  forEachEvaluatedNode(loop.statement, (n) => {
    if (ordered) return false;
    if (ts.isCallExpression(n) && isOrderedSideEffect(n)) ordered = true;
  });
  if (ordered) return true;
  return calls.some((a) => {
    const call = awaitedCall(a)!;
    const model = callModel(types, call, catalog);
    if (model.onThis || model.ordered || model.kind === 'stateful') return true;
    // The item itself may be a connection (`for (const c of clients) await c.ping()`).
    return hasStatefulArgument(types, call, catalog, (arg) => ts.isIdentifier(arg) && items.has(arg));
  });
}

/**
 * The body writes state that outlives the iteration, other than collecting results per item:
 * `total += await f(x)`, `this.last = await f(x)`, `state.x = ...`. Collecting is
 * `out.push(...)`, `out[x] = ...` (keyed by the item), `map.set(...)`.
 */
/** Mutating methods that collect per-item results. */
const COLLECTING: ReadonlySet<string> = new Set(['push', 'unshift', 'add', 'set']);

function mutatesSharedState(types: Types, loop: ForLoop, items: VariableSet): boolean {
  let found = false;
  forEachEvaluatedNode(loop.statement, (n) => {
    if (found) return false;
    let target: ts.Expression | undefined;
    if (isAssignment(n)) target = n.left;
    else if (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) {
      if (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
        target = n.operand;
    }
    // A collection changed other than by collecting results (`seen.delete(x)`, `queue.shift()`).
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      MUTATING_METHODS.has(n.expression.name.text) &&
      !COLLECTING.has(n.expression.name.text)
    ) {
      target = n.expression.expression;
    }
    if (!target) return;
    target = skipOuterExpressions(target);
    if (ts.isElementAccessExpression(target) && items.usedIn(target.argumentExpression)) return; // out[x] = ...
    const { ids, others } = boundIdentifiers(target);
    const roots = [...ids, ...others.map((o) => rootIdentifier(o))];
    for (const r of roots) {
      if (!r) {
        found = true; // `this.x = ...`, `f().x = ...`
        return false;
      }
      if (items.has(r)) continue;
      const symbol = variableSymbol(types, r);
      if (!symbol || !isFreshPerIteration(symbol, loop)) {
        found = true;
        return false;
      }
    }
  });
  return found;
}

// -- loop-carried dependencies --

/** The variable declaration (list) a binding identifier's symbol was declared by, if a variable. */
function declarationList(symbol: TSymbol): ts.VariableDeclarationList | undefined {
  let d: ts.Node | undefined = symbol.valueDeclaration;
  while (d && (ts.isBindingElement(d) || ts.isObjectBindingPattern(d) || ts.isArrayBindingPattern(d))) d = d.parent;
  return d && ts.isVariableDeclaration(d) && ts.isVariableDeclarationList(d.parent) ? d.parent : undefined;
}

/**
 * A variable that starts fresh in every iteration: a `let`/`const` declared in the body, or the
 * `for...of` / `for...in` binding. (A `for (let i ...)` counter is carried: the header updates it.)
 */
function isFreshPerIteration(symbol: TSymbol, loop: ForLoop): boolean {
  const list = declarationList(symbol);
  if (!list || !(list.flags & ts.NodeFlags.BlockScoped)) return false;
  if (isWithin(list, loop.statement)) return true;
  return !ts.isForStatement(loop) && list === loop.initializer;
}

/** True when an awaited call uses a variable the body writes and that outlives the iteration. */
function carriesDependency(types: Types, loop: ForLoop, awaits: readonly ts.AwaitExpression[]): boolean {
  const carried = new VariableSet(types);
  const unknown = new Set<string>();
  for (const id of writtenIdentifiers(loop.statement)) {
    const symbol = variableSymbol(types, id);
    if (!symbol) unknown.add(id.text);
    else if (!isFreshPerIteration(symbol, loop)) carried.add(id);
  }
  return awaits.some((a) => carried.usedIn(a.expression) || mentionsName(a.expression, unknown));
}

function mentionsName(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  forEachEvaluatedNode(node, (n) => {
    if (found) return false;
    if (ts.isIdentifier(n) && names.has(n.text)) found = true;
  });
  return found;
}

/**
 * `for (const task of tasks) await task()`: the loop runs a list of opaque steps (middleware,
 * hooks, migrations, a `sequence` helper), and running them in order is what it is for.
 */
function callsLoopItem(types: Types, loop: ForLoop, calls: readonly ts.AwaitExpression[]): boolean {
  if (ts.isForStatement(loop) || !ts.isVariableDeclarationList(loop.initializer)) return false;
  const items = new VariableSet(types);
  for (const d of loop.initializer.declarations) for (const id of boundIdentifiers(d.name).ids) items.add(id);
  return calls.some((a) => {
    const call = awaitedCall(a)!;
    const callee = skipOuterExpressions(ts.isCallExpression(call) ? call.expression : call.tag);
    return ts.isIdentifier(callee) && items.has(callee);
  });
}

// -- early exits --

function hasOwnAwait(node: ts.Node): boolean {
  let found = false;
  forEachEvaluatedNode(node, (n) => {
    if (found) return false;
    if (ts.isAwaitExpression(n)) found = true;
  });
  return found;
}

/** Variables of the body that hold an awaited value, directly or through other such variables. */
function awaitedValues(types: Types, body: ts.Statement): VariableSet {
  const flows: { ids: ts.Identifier[]; value: ts.Node }[] = [];
  forEachEvaluatedNode(body, (n) => {
    if (ts.isVariableDeclaration(n) && n.initializer)
      flows.push({ ids: boundIdentifiers(n.name).ids, value: n.initializer });
    else if (isAssignment(n)) flows.push({ ids: boundIdentifiers(n.left).ids, value: n.right });
    else if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && ts.isVariableDeclarationList(n.initializer)) {
      for (const d of n.initializer.declarations)
        flows.push({ ids: boundIdentifiers(d.name).ids, value: n.expression });
    }
  });
  const values = new VariableSet(types);
  const done = new Set<number>();
  // A value can flow through several variables; each pass follows one more step.
  for (let changed = true; changed; ) {
    changed = false;
    flows.forEach((f, i) => {
      if (done.has(i) || !(hasOwnAwait(f.value) || values.usedIn(f.value))) return;
      done.add(i);
      for (const id of f.ids) values.add(id);
      changed = true;
    });
  }
  return values;
}

/** True when a break/continue leaves `loop` (a continue of the loop itself does not). */
function leavesLoop(jump: ts.BreakOrContinueStatement, loop: ForLoop): boolean {
  const isBreak = ts.isBreakStatement(jump);
  for (let n: ts.Node = jump.parent; n !== loop; n = n.parent) {
    if (jump.label) {
      if (ts.isLabeledStatement(n) && n.label.text === jump.label.text) return false;
    } else if (ts.isIterationStatement(n, false) || (isBreak && ts.isSwitchStatement(n))) {
      return false;
    }
  }
  if (!jump.label) return isBreak;
  // A label on the loop itself: `break label` leaves it, `continue label` goes on with it.
  const own = ts.isLabeledStatement(loop.parent) && loop.parent.label.text === jump.label.text;
  return isBreak || !own;
}

/**
 * True when the loop may stop part-way depending on what it awaited: an exit (a `return`, a
 * `break`/`continue` that leaves the loop, a `for` condition) that holds or follows an await of
 * the body (by then the results so far have been seen), or sits under a condition that awaits or
 * reads an awaited value (`if (found) break;` before `found = await check(x)`).
 */
function exitsOnAwaitedResult(types: Types, loop: ForLoop, awaits: readonly ts.AwaitExpression[]): boolean {
  let values: VariableSet | undefined;
  const awaited = (e: ts.Node | undefined) =>
    e !== undefined && (hasOwnAwait(e) || (values ??= awaitedValues(types, loop.statement)).usedIn(e));
  if (ts.isForStatement(loop) && awaited(loop.condition)) return true;
  const exits: ts.Statement[] = [];
  forEachEvaluatedNode(loop.statement, (n) => {
    // A `yield` hands control to a lazy consumer, who may stop there.
    if (ts.isYieldExpression(n) && ts.isExpressionStatement(n.parent)) exits.push(n.parent);
    if (ts.isReturnStatement(n) || ((ts.isBreakStatement(n) || ts.isContinueStatement(n)) && leavesLoop(n, loop)))
      exits.push(n);
  });
  if (exits.length === 0) return false;
  const firstAwait = awaits[0].getStart();
  if (exits.some((e) => e.end > firstAwait)) return true;
  for (const exit of exits) {
    let child: ts.Node = exit;
    for (let n = exit.parent; child !== loop.statement; child = n, n = n.parent) {
      if (ts.isIfStatement(n) && child !== n.expression && awaited(n.expression)) return true;
      if (ts.isCaseClause(n) && awaited(n.expression)) return true;
      if (ts.isCaseBlock(n) && awaited(n.parent.expression)) return true;
      if ((ts.isWhileStatement(n) || ts.isDoStatement(n)) && child === n.statement && awaited(n.expression))
        return true;
      if (ts.isForStatement(n) && child === n.statement && awaited(n.condition)) return true;
    }
  }
  return false;
}

// ---- the fixes ----------------------------------------------------------------------------------

/** A statement the map callback can hold unchanged: a local declaration or a bare await. */
function isMovable(s: ts.Statement): boolean {
  if (ts.isVariableStatement(s)) return (s.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0;
  return ts.isExpressionStatement(s) && ts.isAwaitExpression(skipOuterExpressions(s.expression));
}

/** `out.push(value)` with one plain argument: the receiver and the value. */
function pushOf(s: ts.Statement): { receiver: ts.Identifier; value: ts.Expression } | undefined {
  if (!ts.isExpressionStatement(s)) return undefined;
  const e = skipOuterExpressions(s.expression);
  if (!ts.isCallExpression(e) || e.arguments.length !== 1 || ts.isSpreadElement(e.arguments[0])) return undefined;
  const callee = e.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'push' || !ts.isIdentifier(callee.expression))
    return undefined;
  return { receiver: callee.expression, value: e.arguments[0] };
}

function isArrayValued(types: Types, expr: ts.Expression): boolean {
  const type = types.getTypeAtLocation(expr);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => types.isArrayType(t) || types.isTupleType(t));
}

function promiseAllFix(context: TsRuleContext, loop: ts.ForOfStatement): Fix | undefined {
  const { types, sourceFile: sf } = context;
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init) || !(init.flags & ts.NodeFlags.BlockScoped) || init.declarations.length !== 1)
    return undefined;
  if (afterDanglingComma(loop)) return undefined;
  const body = loop.statement;
  const statements = ts.isBlock(body) ? [...body.statements] : [body];
  if (statements.length === 0) return undefined;

  // The body must write nothing that outlives the iteration (but the array it pushes to).
  const last = statements[statements.length - 1];
  const push = pushOf(last);
  const carried = new VariableSet(types);
  for (const id of writtenIdentifiers(body)) {
    const symbol = variableSymbol(types, id);
    if (!symbol) return undefined;
    if (!isFreshPerIteration(symbol, loop)) carried.add(id);
  }
  const movable = push ? statements.slice(0, -1) : statements;
  if (!movable.every(isMovable)) return undefined;
  if (push) {
    // `out` may be written by the push and nothing else, and read nowhere else in the body.
    const out = new VariableSet(types);
    if (!out.add(push.receiver)) return undefined;
    if (movable.some((s) => out.usedIn(s)) || out.usedIn(push.value) || out.usedIn(loop.expression)) return undefined;
    if (carried.size > 1 || (carried.size === 1 && !carried.has(push.receiver))) return undefined;
  } else if (carried.size > 0) {
    return undefined;
  }

  const param = `(${init.declarations[0].name.getText(sf)})`;
  const single =
    movable.length === 0
      ? push!.value
      : statements.length === 1 && ts.isExpressionStatement(last)
        ? last.expression
        : undefined;
  let callback: string;
  if (single && ts.isAwaitExpression(skipOuterExpressions(single)) && !hasComments(sf, body, single)) {
    // One awaited value: `(x) => f(x)`, async only if the call itself awaits.
    const operand = (skipOuterExpressions(single) as ts.AwaitExpression).expression;
    callback = `${hasOwnAwait(operand) ? 'async ' : ''}${param} => ${operand.getText(sf)}`;
  } else {
    if (!ts.isBlock(body)) return undefined;
    // Keep the block as written (comments, indentation); `out.push(v)` becomes `return v`.
    let block = sf.text.slice(body.getStart(sf), body.end);
    if (push) {
      const at = last.getStart(sf) - body.getStart(sf);
      block = `${block.slice(0, at)}return ${push.value.getText(sf)};${block.slice(last.end - body.getStart(sf))}`;
    }
    callback = `async ${param} => ${block}`;
  }
  const mapped = isArrayValued(types, loop.expression)
    ? `${asReceiver(sf, loop.expression)}.map(${callback})`
    : `Array.from(${loop.expression.getText(sf)}, ${callback})`;
  const all = `await Promise.all(${mapped})`;
  const semicolon = endsWithSemicolon(sf, last) ? ';' : '';
  const title = 'Run the iterations concurrently with Promise.all';

  if (!push) {
    return { title, edits: [{ start: loop.getStart(sf), end: loop.end, newText: `${all}${semicolon}` }], safe: false };
  }
  const declaration = emptyArrayJustBefore(types, loop, push.receiver);
  if (declaration) {
    // `const out = []` + the loop -> `const out = await Promise.all(...)`.
    const statement = declaration.parent.parent as ts.VariableStatement;
    return {
      title,
      edits: [
        { start: declaration.initializer!.getStart(sf), end: declaration.initializer!.end, newText: all },
        { start: statement.end, end: loop.end, newText: '' },
      ],
      safe: false,
    };
  }
  return {
    title,
    edits: [{ start: loop.getStart(sf), end: loop.end, newText: `${push.receiver.text}.push(...${all})${semicolon}` }],
    safe: false,
  };
}

/**
 * `const out = [],` right before the loop: TypeScript parses the dangling comma and starts a new
 * statement at `for`, but any replacement of the loop (or of the loop and the declaration) would
 * run on as one more declaration.
 */
function afterDanglingComma(loop: ts.Statement): boolean {
  const prev = statementBefore(loop);
  return (
    prev !== undefined && ts.isVariableStatement(prev) && prev.declarationList.declarations.hasTrailingComma === true
  );
}

function hasComments(sf: ts.SourceFile, body: ts.Statement, keep: ts.Node): boolean {
  // Comments inside the operand travel with it; any other comment in the body would be lost.
  const text = sf.text.slice(body.getStart(sf), body.end);
  const outside = text.slice(0, keep.getStart(sf) - body.getStart(sf)) + text.slice(keep.end - body.getStart(sf));
  return /\/[/*]/.test(outside);
}

/** `const out = [];` (or let) as the statement right before the loop, declaring `receiver`, with no comment between. */
function emptyArrayJustBefore(
  types: Types,
  loop: ts.ForOfStatement,
  receiver: ts.Identifier,
): ts.VariableDeclaration | undefined {
  const prev = statementBefore(loop);
  if (
    !prev ||
    !ts.isVariableStatement(prev) ||
    !(prev.declarationList.flags & ts.NodeFlags.BlockScoped) ||
    prev.declarationList.declarations.length !== 1
  )
    return undefined;
  const d = prev.declarationList.declarations[0];
  if (!ts.isIdentifier(d.name) || !d.initializer) return undefined;
  const init = skipOuterExpressions(d.initializer);
  if (!ts.isArrayLiteralExpression(init) || init.elements.length > 0 || init !== d.initializer) return undefined;
  if (commentsAfter(loop.getSourceFile(), prev.end).length > 0) return undefined;
  const symbol = variableSymbol(types, receiver);
  return symbol !== undefined && symbol === variableSymbol(types, d.name) ? d : undefined;
}
