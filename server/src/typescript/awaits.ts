// What an `await` waits for, for the rules that judge whether awaits could run concurrently:
// a call that starts new work here (`await f()`), or work already started (`await p`); a delay
// (a loop that sleeps is throttled on purpose); a call whose order matters (writes to one
// stream, a lock, a transaction); a Promise combinator (already concurrent).
// Known names are data tables below. Imports are followed by symbol to the import declaration
// they come from, so `import { setTimeout as pause } from 'node:timers/promises'` is found and a
// user's own `setTimeout` is not.
import ts from 'typescript';
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

const TIMERS_PROMISES_MODULES: ReadonlySet<string> = new Set(['timers/promises', 'node:timers/promises']);
/** Exports of `timers/promises` that only wait. */
const TIMERS_PROMISES_DELAYS: ReadonlySet<string> = new Set(['setTimeout', 'setImmediate']);

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

/** Where a local name comes from, when it was imported or required: module and export name ('*' for the namespace, 'default'). */
export interface ImportOrigin {
  module: string;
  name: string;
}

/**
 * Follows an identifier to the import that binds it: `import { a as b }`, `import b`,
 * `import * as b`, `import b = require()`, `const b = require()`, `const { a: b } = require()`.
 * Undefined for anything else (a local, a global, a parameter).
 */
export function importOrigin(checker: ts.TypeChecker, id: ts.Identifier): ImportOrigin | undefined {
  const symbol = checker.getSymbolAtLocation(id);
  const decl = symbol?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isImportSpecifier(decl)) {
    const module = decl.parent.parent.parent.moduleSpecifier;
    const name = decl.propertyName ?? decl.name;
    return ts.isStringLiteral(module) ? { module: module.text, name: name.text } : undefined;
  }
  if (ts.isImportClause(decl) && ts.isStringLiteral(decl.parent.moduleSpecifier)) return { module: decl.parent.moduleSpecifier.text, name: 'default' };
  if (ts.isNamespaceImport(decl) && ts.isStringLiteral(decl.parent.parent.moduleSpecifier)) return { module: decl.parent.parent.moduleSpecifier.text, name: '*' };
  if (ts.isImportEqualsDeclaration(decl) && ts.isExternalModuleReference(decl.moduleReference) && ts.isStringLiteral(decl.moduleReference.expression)) {
    return { module: decl.moduleReference.expression.text, name: '*' };
  }
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
    const module = requiredModule(decl.initializer);
    return module !== undefined ? { module, name: '*' } : undefined;
  }
  if (ts.isBindingElement(decl) && ts.isObjectBindingPattern(decl.parent) && ts.isVariableDeclaration(decl.parent.parent)) {
    const module = requiredModule(decl.parent.parent.initializer);
    const key = decl.propertyName ?? decl.name;
    return module !== undefined && ts.isIdentifier(key) ? { module, name: key.text } : undefined;
  }
  return undefined;
}

/** `require('m')` -> 'm'. */
function requiredModule(init: ts.Expression | undefined): string | undefined {
  if (!init) return undefined;
  const e = skipOuterExpressions(init);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0])) {
    return e.arguments[0].text;
  }
  return undefined;
}

/** `setTimeout(ms)` imported from `timers/promises`, directly or as `tp.setTimeout(ms)`. */
function isTimersPromisesDelay(checker: ts.TypeChecker, callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) {
    const origin = importOrigin(checker, callee);
    return origin !== undefined && TIMERS_PROMISES_MODULES.has(origin.module) && TIMERS_PROMISES_DELAYS.has(origin.name);
  }
  if (ts.isPropertyAccessExpression(callee) && TIMERS_PROMISES_DELAYS.has(callee.name.text) && ts.isIdentifier(callee.expression)) {
    const origin = importOrigin(checker, callee.expression);
    return origin !== undefined && TIMERS_PROMISES_MODULES.has(origin.module) && (origin.name === '*' || origin.name === 'default');
  }
  return false;
}

/** A name declared only by the platform (the default library, `@types/node`): not imported, not the user's own. */
function isPlatformGlobal(program: ts.Program, checker: ts.TypeChecker, id: ts.Identifier): boolean {
  const symbol = checker.getSymbolAtLocation(id);
  if (!symbol || symbol.flags & ts.SymbolFlags.Alias) return false;
  const decls = symbol.declarations ?? [];
  return decls.length > 0 && decls.every((d) => d.getSourceFile().isDeclarationFile || program.isSourceFileDefaultLibrary(d.getSourceFile()));
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
 * An await that only waits for time to pass: a `sleep`-like helper (by name), `setTimeout` from
 * `timers/promises` (by import), or `new Promise((r) => setTimeout(r, ms))` with the global timer.
 */
export function isDelayAwait(program: ts.Program, checker: ts.TypeChecker, node: ts.AwaitExpression): boolean {
  const e = skipOuterExpressions(node.expression);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name !== undefined && DELAY_FUNCTIONS.has(name)) return true;
    return isTimersPromisesDelay(checker, skipOuterExpressions(e.expression));
  }
  if (ts.isNewExpression(e) && isGlobalPromise(program, checker, e.expression)) {
    const executor = e.arguments?.[0] && skipOuterExpressions(e.arguments[0]);
    if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
    const stack: ts.Node[] = [executor.body];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (ts.isCallExpression(n)) {
        const callee = skipOuterExpressions(n.expression);
        if (ts.isIdentifier(callee) && callee.text === 'setTimeout' && isPlatformGlobal(program, checker, callee)) return true;
      }
      ts.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
  }
  return false;
}
