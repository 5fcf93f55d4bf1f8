// What an `await` waits for, for the rules that judge whether awaits could run concurrently:
// a call that starts new work here (`await f()`), or work already started (`await p`); a delay
// (a loop that sleeps is throttled on purpose); a call whose order matters (writes to one
// stream, a lock, a transaction); a Promise combinator (already concurrent).
// Known names are data tables below. Imports are followed with the ModuleResolver, so
// `import { setTimeout as pause } from 'node:timers/promises'` is found and a user's own
// `setTimeout` is not.
import ts from 'typescript';
import { GLOBAL, sameRef, type ModuleRef, type ModuleResolver } from './names';
import type { TSymbol, TType, Types } from './typebackend';
import { skipOuterExpressions } from './utils';
import {
  hasStatefulWord,
  nameWords,
  ORDERED_RECEIVERS_TS,
  type ConcurrencyCatalog,
} from '../engine/concurrency-catalog';

export type AwaitedCall = ts.CallExpression | ts.TaggedTemplateExpression;

/**
 * Calls whose order matters even on a shared receiver: running them concurrently would
 * interleave writes, take a lock late, or act on a page before it has navigated.
 */
export const ORDER_SENSITIVE_CALLS: ReadonlySet<string> = new Set([
  // one stream or file, written in order
  'write',
  'writev',
  'writeln',
  'append',
  'appendFile',
  'end',
  'flush',
  // transactions, migrations and statements that change a schema
  'begin',
  'beginTransaction',
  'startTransaction',
  'transaction',
  'commit',
  'rollback',
  'exec',
  'migrate',
  // locks and semaphores
  'acquire',
  'lock',
  'runExclusive',
  // browser automation: each step acts on the page the previous one left
  'goto',
  'click',
  'fill',
  'type',
  'press',
  'reload',
  'waitForNavigation',
  'waitForSelector',
  // questions to a user, asked one at a time (readline, inquirer)
  'prompt',
  'question',
  'confirm',
  'input',
  'select',
  'password',
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
  if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression))
    return callee.argumentExpression.text;
  return undefined;
}

/** A call whose order matters: by name (ORDER_SENSITIVE_CALLS), or `import()` (modules load, and run, in order). */
export function isOrderSensitiveCall(call: AwaitedCall): boolean {
  if (ts.isCallExpression(call) && call.expression.kind === ts.SyntaxKind.ImportKeyword) return true;
  const name = calleeName(call);
  return name !== undefined && ORDER_SENSITIVE_CALLS.has(name);
}

/** The global `Promise`, not a library's or the user's own. */
export function isGlobalPromise(types: Types, expr: ts.Expression): boolean {
  const e = skipOuterExpressions(expr);
  if (!ts.isIdentifier(e) || e.text !== 'Promise') return false;
  const symbol = types.getSymbolAtLocation(e);
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => types.isSourceFileDefaultLibrary(d.getSourceFile()));
}

/** `Promise.all(...)`, `Promise.allSettled(...)`, `Promise.any(...)`, `Promise.race(...)`. */
export function isPromiseCombinatorCall(types: Types, call: AwaitedCall): boolean {
  if (!ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    PROMISE_COMBINATORS.has(callee.name.text) &&
    isGlobalPromise(types, callee.expression)
  );
}

/**
 * An await that only waits for time to pass: a `sleep`-like helper (by name), a delay from
 * `timers/promises` (by import), or `new Promise((r) => setTimeout(r, ms))` with the global timer.
 */
export function isDelayAwait(types: Types, resolver: ModuleResolver, node: ts.AwaitExpression): boolean {
  const e = skipOuterExpressions(node.expression);
  if (ts.isCallExpression(e)) {
    const name = calleeName(e);
    if (name !== undefined && DELAY_FUNCTIONS.has(name)) return true;
    const ref = resolver.callee(e);
    return ref !== undefined && TIMER_DELAYS.some((d) => sameRef(d, ref));
  }
  if (ts.isNewExpression(e) && isGlobalPromise(types, e.expression)) {
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

// ---- the concurrency model --------------------------------------------------------------------
// For sequential-await and await-in-loop: what an awaited call touches (its receiver, and the
// kind of that receiver by type: stateful, known safe for concurrent use, or unknown) and whether
// its order is its meaning. The kinds are data (engine/concurrency-catalog.ts), extendable from
// configuration (`concurrency.safe`, `concurrency.stateful`).

/** Waiting for an event: the order of the waits is the order of the events. */
const EVENT_WAIT = /^(once|waitFor.*|waitUntil.*|nextEvent|waitEvent)$/;
/** Logging and output: lines come out in the order they were written. */
const LOGGING: ReadonlySet<string> = new Set([
  'log',
  'info',
  'warn',
  'error',
  'debug',
  'trace',
  'print',
  'printf',
  'output',
  'stdout',
  'stderr',
]);
/** Hooks, signals and cleanups fired in order (`onDidStart`, `emit`, `dispose`). */
const HOOK =
  /^(on[A-Z].*|.*(Callback|Hook|Handler)|emit.*|dispatch.*|trigger.*|fire.*|(dispose|destroy|close|disconnect|shutdown|stop|start|cleanup|cleanUp|teardown|terminate|kill|quit|release|unload|detach)([A-Z].*)?)$/;
/** Reads and steps through one stream or iterator. */
const STREAM_STEP: ReadonlySet<string> = new Set([
  'read',
  'readLine',
  'readline',
  'next',
  'return',
  'throw',
  'pull',
  'recv',
  'receive',
  'send',
]);
export type ReceiverKind = 'safe' | 'stateful' | 'unknown';

export interface CallModel {
  /** The receiver as written (no spaces), for a method call on an object; undefined for a free function. */
  receiver?: string;
  receiverNode?: ts.Expression;
  method?: string;
  /** A method on `this`/`super`, or a local closure that uses `this`: the object's own state. */
  onThis: boolean;
  kind: ReceiverKind;
  /** Its order is its meaning: an event wait, logging or output, a stream step, a hook or cleanup, ORDER_SENSITIVE_CALLS. */
  ordered: boolean;
}

/** The package or ambient module that declares a symbol: `pg`, `@types/node`'s `fs/promises`, undefined for the project's own. */
function declaringModule(decl: ts.Declaration): string | undefined {
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text;
  }
  const file = decl.getSourceFile().fileName.replace(/\\/g, '/');
  const m = /\/node_modules\/(?:@types\/)?((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return m ? m[1] : undefined;
}

function symbolKind(symbol: TSymbol, catalog: ConcurrencyCatalog): ReceiverKind {
  const name = symbol.name;
  const decl = symbol.declarations?.[0];
  const module = decl ? declaringModule(decl) : undefined;
  const keys = module ? [module, `${module}:${name}`, name] : [name];
  if (keys.some((k) => catalog.safe.has(k))) return 'safe';
  if (keys.some((k) => catalog.stateful.has(k)) || hasStatefulWord(name)) return 'stateful';
  return 'unknown';
}

/**
 * A class of the project whose own properties hold a stateful object (an executor or repository
 * built around one connection or query runner): its calls use that object.
 */
function holdsStatefulMember(types: Types, type: TType, catalog: ConcurrencyCatalog): boolean {
  const symbol = type.getSymbol();
  const decl = symbol?.declarations?.[0];
  if (!decl || !(ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl)) || declaringModule(decl) !== undefined)
    return false;
  if (decl.getSourceFile().isDeclarationFile) return false;
  for (const member of decl.members) {
    if (!(ts.isPropertyDeclaration(member) || ts.isPropertySignature(member))) continue;
    const t = types.getTypeAtLocation(member);
    const s = t.aliasSymbol ?? t.getSymbol();
    if (s && !s.name.startsWith('__') && symbolKind(s, catalog) === 'stateful') return true;
  }
  const ctor = ts.isClassDeclaration(decl) ? decl.members.find(ts.isConstructorDeclaration) : undefined;
  for (const p of ctor?.parameters ?? []) {
    if (
      !p.modifiers?.some(
        (m) =>
          m.kind === ts.SyntaxKind.PublicKeyword ||
          m.kind === ts.SyntaxKind.PrivateKeyword ||
          m.kind === ts.SyntaxKind.ProtectedKeyword ||
          m.kind === ts.SyntaxKind.ReadonlyKeyword,
      )
    )
      continue;
    const t = types.getTypeAtLocation(p);
    const s = t.aliasSymbol ?? t.getSymbol();
    if (s && !s.name.startsWith('__') && symbolKind(s, catalog) === 'stateful') return true;
  }
  return false;
}

/** The kind of a value by its type: stateful if any part of a union is, safe if every part is. */
export function typeKind(types: Types, expr: ts.Expression, catalog: ConcurrencyCatalog): ReceiverKind {
  const type = types.getTypeAtLocation(expr);
  const parts = (type.isUnion() ? type.types : [type]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)),
  );
  if (parts.length === 0) return 'unknown';
  let allSafe = true;
  for (const t of parts) {
    const symbols = [t.aliasSymbol, t.getSymbol()].filter(
      (s): s is TSymbol => s !== undefined && !s.name.startsWith('__'),
    );
    const kinds = symbols.map((s) => symbolKind(s, catalog));
    if (kinds.includes('stateful') || holdsStatefulMember(types, t, catalog)) return 'stateful';
    if (!kinds.includes('safe')) allSafe = false;
  }
  return allSafe ? 'safe' : 'unknown';
}

function lastWord(expr: ts.Expression): string | undefined {
  const e = skipOuterExpressions(expr);
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
  if (!name) return undefined;
  const words = nameWords(name);
  return words[words.length - 1];
}

/** A function declared in the enclosing function that reads `this` (an arrow's `this` is the method's). */
function isClosureOverThis(types: Types, callee: ts.Identifier): boolean {
  const symbol = types.getSymbolAtLocation(callee);
  const decl = symbol?.valueDeclaration;
  if (!decl) return false;
  let fn: ts.Node | undefined;
  if (ts.isFunctionDeclaration(decl)) fn = decl;
  else if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuterExpressions(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) fn = init;
  }
  if (
    !fn ||
    ts.isSourceFile(fn.parent) ||
    (ts.isVariableDeclaration(decl) && ts.isSourceFile(decl.parent.parent.parent))
  )
    return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword) {
      found = true;
      return;
    }
    if (n !== fn && (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassLike(n))) return;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The receiver is a module namespace (`import * as fsp`) or a class: calls on it are free functions. */
function isNamespaceLike(types: Types, expr: ts.Expression): boolean {
  let symbol = types.getSymbolAtLocation(expr);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = types.getAliasedSymbol(symbol);
  return symbol !== undefined && (symbol.flags & (ts.SymbolFlags.Module | ts.SymbolFlags.Enum)) !== 0;
}

/** What an awaited call touches, and whether its order is its meaning. */
export function callModel(types: Types, call: AwaitedCall, catalog: ConcurrencyCatalog): CallModel {
  const callee = skipOuterExpressions(ts.isCallExpression(call) ? call.expression : call.tag);
  const method = calleeName(call);
  const model: CallModel = { method, onThis: false, kind: 'unknown', ordered: isOrderSensitiveCall(call) };
  if (
    method !== undefined &&
    (EVENT_WAIT.test(method) || LOGGING.has(method) || HOOK.test(method) || STREAM_STEP.has(method))
  )
    model.ordered = true;
  if (ts.isIdentifier(callee)) {
    if (isClosureOverThis(types, callee)) model.onThis = true;
    // A callback the caller passed in: a user hook, run in order.
    const decl = types.getSymbolAtLocation(callee)?.valueDeclaration;
    if (decl && ts.isParameter(decl)) model.ordered = true;
    return model;
  }
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return model;
  const receiver = skipOuterExpressions(callee.expression);
  if (receiver.kind === ts.SyntaxKind.ThisKeyword || receiver.kind === ts.SyntaxKind.SuperKeyword) {
    model.onThis = true;
    return model;
  }
  const word = lastWord(receiver);
  if (word !== undefined && ORDERED_RECEIVERS_TS.has(word)) model.ordered = true;
  if (isNamespaceLike(types, receiver)) return model;
  model.receiver = receiver.getText().replace(/\s+/g, '');
  model.receiverNode = receiver;
  model.kind = chainKind(types, receiver, catalog);
  return model;
}

/**
 * The kind of a receiver chain: stateful when any link is (`runner.manager.createQueryBuilder()`
 * goes through the query runner) or a call in it is given a stateful argument
 * (`new Executor(runner).insert(x)`); else the kind of the receiver itself.
 */
function chainKind(types: Types, receiver: ts.Expression, catalog: ConcurrencyCatalog): ReceiverKind {
  const own = typeKind(types, receiver, catalog);
  if (own !== 'unknown') return own;
  let e: ts.Expression = receiver;
  for (let depth = 0; depth < 8; depth++) {
    e = skipOuterExpressions(e);
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      for (const a of e.arguments ?? []) {
        const arg = skipOuterExpressions(a);
        if (
          (ts.isIdentifier(arg) || ts.isPropertyAccessExpression(arg)) &&
          typeKind(types, arg, catalog) === 'stateful'
        )
          return 'stateful';
      }
      if (ts.isNewExpression(e)) return 'unknown';
      e = e.expression;
    } else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      e = e.expression;
    } else {
      return 'unknown';
    }
    const link = skipOuterExpressions(e);
    if (link.kind === ts.SyntaxKind.ThisKeyword || isNamespaceLike(types, link)) return 'unknown';
    if (!ts.isCallExpression(link) && typeKind(types, link, catalog) === 'stateful') return 'stateful';
  }
  return 'unknown';
}

/**
 * A call of the body whose order is its meaning though nothing awaits it: logging and output,
 * hooks and cleanups (by name), or a statement-level call on `this` (the object's own state).
 */
export function isOrderedSideEffect(call: ts.CallExpression): boolean {
  const method = calleeName(call);
  if (method !== undefined && (LOGGING.has(method) || HOOK.test(method) || EVENT_WAIT.test(method))) return true;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const receiver = skipOuterExpressions(callee.expression);
  const word = lastWord(receiver);
  if (word !== undefined && ORDERED_RECEIVERS_TS.has(word)) return true;
  return receiver.kind === ts.SyntaxKind.ThisKeyword && ts.isExpressionStatement(call.parent);
}

/** Whether an argument of the call (other than those `except` accepts) is of a stateful kind by type. */
export function hasStatefulArgument(
  types: Types,
  call: AwaitedCall,
  catalog: ConcurrencyCatalog,
  except?: (arg: ts.Expression) => boolean,
): boolean {
  if (!ts.isCallExpression(call)) return false;
  return call.arguments.some((a) => {
    const e = skipOuterExpressions(a);
    if (!(ts.isIdentifier(e) || ts.isPropertyAccessExpression(e))) return false;
    if (except?.(e)) return false;
    return typeKind(types, e, catalog) === 'stateful';
  });
}
