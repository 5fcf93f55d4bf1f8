// What an `await` waits for, for the rules that judge whether awaits could run concurrently:
// a call that starts new work here (`await f()`), or work already started (`await p`); a delay
// (a loop that sleeps is throttled on purpose); a call whose order matters (writes to one
// stream, a lock, a transaction); a Promise combinator (already concurrent).
// Known names are data tables below. Imports are followed with the ModuleResolver, so
// `import { setTimeout as pause } from 'node:timers/promises'` is found and a user's own
// `setTimeout` is not.
import ts from 'typescript';
import { GLOBAL, sameRef, type ModuleRef, type ModuleResolver } from './resolve';
import { skipOuterExpressions } from './utils';

export type AwaitedCall = ts.CallExpression | ts.TaggedTemplateExpression;

/**
 * Calls whose order matters even on a shared receiver: running them concurrently would
 * interleave writes, take a lock late, or act on a page before it has navigated.
 */
export const ORDER_SENSITIVE_CALLS: ReadonlySet<string> = new Set([
  // one stream or file, written in order
  'write', 'writev', 'writeln', 'append', 'appendFile', 'end', 'flush',
  // transactions, migrations and statements that change a schema
  'begin', 'beginTransaction', 'startTransaction', 'transaction', 'commit', 'rollback', 'exec', 'migrate',
  // locks and semaphores
  'acquire', 'lock', 'runExclusive',
  // browser automation: each step acts on the page the previous one left
  'goto', 'click', 'fill', 'type', 'press', 'reload', 'waitForNavigation', 'waitForSelector',
  // questions to a user, asked one at a time (readline, inquirer)
  'prompt', 'question', 'confirm', 'input', 'select', 'password',
]);

/**
 * Helpers that only wait, matched by name (a project's own `sleep` is rarely imported from a known
 * module). `setTimeout` from `timers/promises` is matched by import instead, since the global
 * `setTimeout` is not awaitable.
 */
export const DELAY_FUNCTIONS: ReadonlySet<string> = new Set(['sleep', 'delay', 'wait', 'pause', 'waitForTimeout']);

/** Functions of `timers/promises` that only wait, under any import or require of them. */
const TIMER_DELAYS: readonly ModuleRef[] = [
  { module: 'timers/promises', path: ['setTimeout'] },
  { module: 'timers/promises', path: ['setImmediate'] },
  { module: 'timers/promises', path: ['scheduler', 'wait'] },
];

const GLOBAL_SET_TIMEOUT: ModuleRef = { module: GLOBAL, path: ['setTimeout'] };

/** `Promise.all(...)` and friends: their operands already run concurrently. */
const PROMISE_COMBINATORS: ReadonlySet<string> = new Set(['all', 'allSettled', 'any', 'race']);

/** The call an await starts and waits for: `await f()`, `await a.b()`, `await sql\`...\``; undefined for `await p`. */
export function awaitedCall(node: ts.AwaitExpression): AwaitedCall | undefined {
  const e = skipOuterExpressions(node.expression);
  return ts.isCallExpression(e) || ts.isTaggedTemplateExpression(e) ? e : undefined;
}

/** The name a call goes by: `f` in `f()`, `a.b.f()`, `a?.f()`, `a['f']()`, `f\`\``. */
export function calleeName(call: AwaitedCall): string | undefined {
  const callee = skipOuterExpressions(ts.isCallExpression(call) ? call.expression : call.tag);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return callee.argumentExpression.text;
  return undefined;
}

/** A call whose order matters: by name (ORDER_SENSITIVE_CALLS), or `import()` (modules load, and run, in order). */
export function isOrderSensitiveCall(call: AwaitedCall): boolean {
  if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  const name = calleeName(call);
  return name !== undefined && ORDER_SENSITIVE_CALLS.has(name);
}

/** The global `Promise`, not a library's or the user's own. */
export function isGlobalPromise(program: ts.Program, checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (!ts.isIdentifier(e) || e.text !== 'Promise') return false;
  const symbol = checker.getSymbolAtLocation(e);
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
}

/** `Promise.all(...)`, `Promise.allSettled(...)`, `Promise.any(...)`, `Promise.race(...)`. */
export function isPromiseCombinatorCall(program: ts.Program, checker: ts.TypeChecker, call: AwaitedCall): boolean {
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && PROMISE_COMBINATORS.has(callee.name.text) && isGlobalPromise(program, checker, callee.expression);
}

/**
 * An await that only waits for time to pass: a `sleep`-like helper (by name), a delay from
 * `timers/promises` (by import), or `new Promise((r) => setTimeout(r, ms))` with the global timer.
 */
export function isDelayAwait(program: ts.Program, checker: ts.TypeChecker, resolver: ModuleResolver, node: ts.AwaitExpression): boolean {
  const e = skipOuterExpressions(node.expression);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name !== undefined && DELAY_FUNCTIONS.has(name)) return true;
    const ref = resolver.callee(e);
    return ref !== undefined && TIMER_DELAYS.some((d) => sameRef(d, ref));
  }
  if (ts.isNewExpression(e) && isGlobalPromise(program, checker, e.expression)) {
    const executor = e.arguments?.[0] && skipOuterExpressions(e.arguments[0]);
    if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
    const stack: ts.Node[] = [executor.body];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (ts.isCallExpression(n)) {
        const callee = skipOuterExpressions(n.expression);
        if (ts.isIdentifier(callee) && callee.text === 'setTimeout') {
          const ref = resolver.expression(callee);
          if (ref !== undefined && sameRef(ref, GLOBAL_SET_TIMEOUT)) return true;
        }
      }
      ts.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
  }
  return false;
}
