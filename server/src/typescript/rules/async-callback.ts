// async-callback: an async function passed where a synchronous callback is expected, so the
// promise it returns is ignored or misread: to an array's `forEach`, `filter`, `some`, `every`,
// `find`, `findIndex`, `findLast`, `findLastIndex`, `sort`, `toSorted` (and `forEach` of a Map or
// Set), or as the executor of `new Promise(async ...)`. Anchor: the async function (its head, up
// to the body), or the reference passed.
//
// "Async function": an inline `async` arrow or function expression, or a reference (a name, a
// property) whose type is callable and returns a promise on every signature. An inline function
// without `async` that returns a promise is a dropped promise, `unawaited`'s business.
// The receiver must be an array, a readonly array, a tuple or a typed array by type (a project's
// own `.filter` that expects async callbacks is not flagged). Not flagged: `map` (its promises are
// usually gathered), `reduce` (a promise accumulator is a valid pattern), `.then(async ...)`.
// Fixes (suggestions: when the work runs changes) for a `forEach` statement inside an async
// function: `await Promise.all(xs.map(...))` (same concurrency, now awaited), and for an inline
// callback a `for...of` loop that awaits each item in turn. None for the others: the message says
// what to do instead.
import ts from 'typescript';
import type { Fix } from '../../engine/types';
import { isGlobalPromise } from '../concurrency';
import { boundIdentifiers } from '../dataflow';
import { asUnaryOperand, endsWithSemicolon } from '../fix-text';
import { scriptKindFor } from '../host';
import type { TsRule, TsRuleContext } from '../rule';
import type { TSymbol, TType } from '../typebackend';
import { isThenableType, unionParts } from '../types';
import {
  enclosingFunction,
  forEachEvaluatedNode,
  hasModifier,
  isAsyncFunction,
  skipOuterExpressions,
  skipParentheses,
} from '../utils';
import meta from '../../rules-meta/async-callback';

export const asyncCallback: TsRule = {
  id: meta.id,
  create(context) {
    return {
      [ts.SyntaxKind.CallExpression]: (node) => {
        const call = node as ts.CallExpression;
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || call.arguments.length === 0) return;
        const method = callee.name.text;
        const known = ARRAY_METHODS.get(method);
        if (!known) return;
        const arg = skipOuterExpressions(call.arguments[0]);
        if (!mayBeAsyncFunction(arg)) return;
        const kind = receiverKind(context, callee.expression);
        if (kind === undefined || (kind === 'collection' && method !== 'forEach')) return;
        if (!isAsyncFunctionValue(context, arg)) return;
        // An untyped receiver (plain JavaScript) is decided by the method's name; no rewrite is offered
        // for it, since it may be a Map or a Set as well as an array.
        const fixes = method === 'forEach' && kind !== 'untyped' ? forEachFixes(context, call, arg, kind) : [];
        report(context, arg, `Async callback passed to ${method}: ${known.problem}. ${known.instead}`, fixes);
      },
      [ts.SyntaxKind.NewExpression]: (node) => {
        const expr = node as ts.NewExpression;
        const arg = expr.arguments?.[0] && skipOuterExpressions(expr.arguments[0]);
        if (!arg || !mayBeAsyncFunction(arg)) return;
        if (!isGlobalPromise(context.types, expr.expression)) return;
        if (!isAsyncFunctionValue(context, arg)) return;
        report(context, arg, EXECUTOR_MESSAGE, []);
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** Array methods that call their callback synchronously and use (or drop) what it returns. */
const ARRAY_METHODS: ReadonlyMap<string, { problem: string; instead: string }> = new Map(
  Object.entries({
    forEach: {
      problem:
        'forEach does not wait for the promises its callback returns: it finishes before the work does, and a rejection goes unhandled',
      instead: 'Use a for...of loop with await, or await Promise.all(xs.map(...)).',
    },
    filter: {
      problem: "filter keeps every element: the callback's promise is truthy whatever it resolves to",
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then filter on them.',
    },
    some: {
      problem: "some is true for any non-empty array: the callback's promise is truthy whatever it resolves to",
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then test them.',
    },
    every: {
      problem: 'every is true whatever the callback decides: its promise is truthy',
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then test them.',
    },
    find: {
      problem: "find returns the first element: the callback's promise is truthy whatever it resolves to",
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then search them.',
    },
    findIndex: {
      problem: "findIndex returns 0 for any non-empty array: the callback's promise is truthy",
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then search them.',
    },
    findLast: {
      problem: "findLast returns the last element: the callback's promise is truthy whatever it resolves to",
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then search them.',
    },
    findLastIndex: {
      problem: "findLastIndex returns the last index: the callback's promise is truthy",
      instead: 'Await the answers first (await Promise.all(xs.map(...))), then search them.',
    },
    sort: {
      problem: 'sort needs a number from its comparator; a promise is not one, so the order is arbitrary',
      instead: 'Await the sort keys first, then sort synchronously on them.',
    },
    toSorted: {
      problem: 'toSorted needs a number from its comparator; a promise is not one, so the order is arbitrary',
      instead: 'Await the sort keys first, then sort synchronously on them.',
    },
  }),
);

/** Typed arrays share the array methods. */
const TYPED_ARRAYS: ReadonlySet<string> = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/** Standard collections whose `forEach` drops its callback's result just as an array's does. */
const FOREACH_COLLECTIONS: ReadonlySet<string> = new Set(['Map', 'Set', 'ReadonlyMap', 'ReadonlySet']);

const EXECUTOR_MESSAGE =
  "An async Promise executor: an error thrown inside it rejects the executor's own promise, not the new one, which then never settles. " +
  'Make the surrounding function async and await directly, or keep the executor synchronous.';

type InlineFunction = ts.ArrowFunction | ts.FunctionExpression;

function isInlineFunction(e: ts.Expression): e is InlineFunction {
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}

/** Cheap syntactic filter: an async inline function, or something that may refer to one. */
function mayBeAsyncFunction(arg: ts.Expression): boolean {
  if (isInlineFunction(arg))
    return hasModifier(arg, ts.SyntaxKind.AsyncKeyword) && !(ts.isFunctionExpression(arg) && arg.asteriskToken);
  return ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg);
}

/** An inline async function, or a reference whose every call signature returns a promise. */
function isAsyncFunctionValue(context: TsRuleContext, arg: ts.Expression): boolean {
  if (isInlineFunction(arg)) return true;
  const { types } = context;
  const signatures = types.getTypeAtLocation(arg).getCallSignatures();
  return (
    signatures.length > 0 &&
    signatures.every((s) => unionParts(s.getReturnType()).every((t) => isThenableType(types, t)))
  );
}

/**
 * 'array' for arrays, tuples and typed arrays; 'collection' for a Map or Set; 'untyped' for an
 * `any` receiver in a JavaScript file (there the method's name decides); undefined otherwise.
 */
function receiverKind(context: TsRuleContext, receiver: ts.Expression): 'array' | 'collection' | 'untyped' | undefined {
  const { types } = context;
  const fromLib = (symbol: TSymbol | undefined) =>
    symbol !== undefined &&
    (symbol.declarations ?? []).some((d) => types.isSourceFileDefaultLibrary(d.getSourceFile()));
  const kindOf = (type: TType, depth: number): 'array' | 'collection' | undefined => {
    if (depth > 8) return undefined;
    if (type.flags & ts.TypeFlags.TypeParameter) {
      const constraint = types.getBaseConstraintOfType(type);
      return constraint && constraint !== type ? kindOf(constraint, depth + 1) : undefined;
    }
    if (type.isUnion()) {
      const kinds = new Set(type.types.map((t) => kindOf(t, depth + 1)));
      return kinds.size === 1 ? [...kinds][0] : undefined;
    }
    if (type.isIntersection()) {
      for (const t of type.types) {
        const k = kindOf(t, depth + 1);
        if (k) return k;
      }
      return undefined;
    }
    if (types.isArrayType(type) || types.isTupleType(type)) return 'array';
    const symbol = type.getSymbol();
    if (symbol && TYPED_ARRAYS.has(symbol.name) && fromLib(symbol)) return 'array';
    if (symbol && FOREACH_COLLECTIONS.has(symbol.name) && fromLib(symbol)) return 'collection';
    return undefined;
  };
  const type = types.getTypeAtLocation(receiver);
  if (type.flags & ts.TypeFlags.Any) return isInJavaScriptFile(context.sourceFile) ? 'untyped' : undefined;
  return kindOf(types.getNonNullableType(type), 0);
}

function isInJavaScriptFile(sf: ts.SourceFile): boolean {
  const kind = scriptKindFor(sf.fileName);
  return kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX;
}

function report(context: TsRuleContext, arg: ts.Expression, message: string, fixes: Fix[]): void {
  const sf = context.sourceFile;
  if (!isInlineFunction(arg)) {
    context.report(arg, message, fixes);
    return;
  }
  // The function's head: `async (x) =>`, `async function (x)`. The body may be long.
  let end = arg.body.getStart(sf);
  while (end > 0 && /\s/.test(sf.text[end - 1])) end--;
  context.report({ start: arg.getStart(sf), end }, message, fixes);
}

// ---- the fixes ----------------------------------------------------------------------------------

function forEachFixes(
  context: TsRuleContext,
  call: ts.CallExpression,
  arg: ts.Expression,
  kind: 'array' | 'collection',
): Fix[] {
  const statement = call.parent;
  if (!ts.isExpressionStatement(statement) || statement.expression !== call) return [];
  if (ts.isOptionalChain(call) || ts.isOptionalChain(call.expression)) return [];
  const fn = enclosingFunction(statement);
  if (!fn || !isAsyncFunction(fn)) return [];
  const fixes: Fix[] = [];
  if (kind === 'array') fixes.push(promiseAllFix(context, call));
  const loop =
    isInlineFunction(arg) && call.arguments.length === 1 ? forOfFix(context, statement, call, arg) : undefined;
  if (loop) fixes.push(loop);
  return fixes;
}

/** `xs.forEach(cb)` -> `await Promise.all(xs.map(cb))`: the same calls, now awaited. */
function promiseAllFix(context: TsRuleContext, call: ts.CallExpression): Fix {
  const sf = context.sourceFile;
  const name = (call.expression as ts.PropertyAccessExpression).name;
  return {
    title: 'Await all with Promise.all(xs.map(...))',
    edits: [
      { start: call.getStart(sf), end: call.getStart(sf), newText: 'await Promise.all(' },
      { start: name.getStart(sf), end: name.end, newText: 'map' },
      { start: call.end, end: call.end, newText: ')' },
    ],
    safe: false,
  };
}

/** `xs.forEach(async (x) => { ... })` -> `for (const x of xs) { ... }`, when the body reads the same in a loop. */
function forOfFix(
  context: TsRuleContext,
  statement: ts.ExpressionStatement,
  call: ts.CallExpression,
  fn: InlineFunction,
): Fix | undefined {
  const sf = context.sourceFile;
  const params = fn.parameters;
  if (params.length === 0 || params.length > 2) return undefined;
  if (params.some((p) => p.dotDotDotToken || p.initializer || (ts.isIdentifier(p.name) && p.name.text === 'this')))
    return undefined;
  if (!readsTheSameInALoop(fn)) return undefined;
  const receiverNode = (call.expression as ts.PropertyAccessExpression).expression;
  // `for (const id of id.children)` would read the loop's own variable before it is set.
  const bound = new Set(params.flatMap((p) => boundIdentifiers(p.name).ids.map((id) => id.text)));
  if (mentionsAny(receiverNode, bound)) return undefined;
  const receiver = receiverNode.getText(sf);
  const names = params.map((p) => p.name.getText(sf));
  // forEach passes (value, index); entries() yields [index, value] (for a Map, [key, value]).
  const head =
    names.length === 1
      ? `for (const ${names[0]} of ${receiver})`
      : `for (const [${names[1]}, ${names[0]}] of ${receiver}.entries())`;
  const title = 'Rewrite as a for...of loop that awaits each item';
  if (ts.isBlock(fn.body)) {
    return {
      title,
      edits: [
        { start: statement.getStart(sf), end: fn.body.getStart(sf), newText: `${head} ` },
        { start: fn.body.end, end: statement.end, newText: '' },
      ],
      safe: false,
    };
  }
  const body = skipParentheses(fn.body);
  // An object literal keeps its parentheses: `await ({ ... })` does not read as a block.
  const awaited = ts.isAwaitExpression(body)
    ? body.getText(sf)
    : ts.isObjectLiteralExpression(body)
      ? `await (${body.getText(sf)})`
      : `await ${asUnaryOperand(sf, body)}`;
  const semicolon = endsWithSemicolon(sf, statement) ? ';' : '';
  return {
    title,
    edits: [{ start: statement.getStart(sf), end: statement.end, newText: `${head} ${awaited}${semicolon}` }],
    safe: false,
  };
}

/**
 * A callback body means the same as a loop body unless it returns (a `return` would leave the
 * enclosing function), or, for a function expression, reads `this` or `arguments` (also from an
 * arrow inside it, which shares them).
 */
function readsTheSameInALoop(fn: InlineFunction): boolean {
  let same = true;
  forEachEvaluatedNode(fn.body, (n) => {
    if (!same) return false;
    if (ts.isReturnStatement(n)) same = false;
  });
  if (!same || !ts.isFunctionExpression(fn)) return same;
  const stack: ts.Node[] = [fn.body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === ts.SyntaxKind.ThisKeyword || (ts.isIdentifier(n) && n.text === 'arguments')) return false;
    if (ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isClassLike(n) || ts.isMethodDeclaration(n))
      continue;
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return true;
}

/** True when `node` holds an identifier spelled like one of `names` (a cautious, syntactic check). */
function mentionsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isIdentifier(n) && names.has(n.text)) return true;
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return false;
}
