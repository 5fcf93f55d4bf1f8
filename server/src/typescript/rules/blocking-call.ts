// blocking-call (TypeScript/JavaScript): a call that blocks the event loop, made where the innermost
// enclosing function is async: fs.*Sync, child_process.*Sync, zlib.*Sync, crypto key derivation,
// Atomics.wait (the table is ../catalog.ts), and busy-wait loops that spin on a clock without
// awaiting. Callees are resolved through imports and requires (../names.ts), never by spelling.
// Anchor: the callee (for a busy-wait, the clock read in the loop condition).
//
// Fix (fs only, where fs/promises has the function): `fs.readFileSync(p)` becomes
// `await fs.promises.readFile(p)` on the same receiver. A callee bound by name (named import,
// destructured require) uses an fs/promises binding the file already has, else adds `readFile` to
// an existing named import from fs/promises, else adds one right after the import (or require)
// the sync function came from, with the same `node:` prefix and quotes. The `await` is
// parenthesised where precedence needs it: `(await fs.promises.readFile(p)).toString()`.
import ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import { CLOCK_NAMES, CLOCKS, couldBeBlocking, lookupBlocking, type BlockingApi } from '../catalog';
import {
  calleeName,
  GLOBAL,
  type ModuleRef,
  type ModuleResolver,
  moduleResolver,
  normalizeSpecifier,
  refName,
  sameRef,
} from '../names';
import type { TsRule, TsRuleContext } from '../rule';
import { isAssignment, isIncrement } from '../dataflow';
import { cannotBeNumber } from '../types';
import { endsWithSemicolon } from '../fix-text';
import {
  askAncestors,
  enclosingFunction,
  forEachEvaluatedNode,
  isInAsyncFunction,
  skipOuterExpressions,
} from '../utils';
import meta from '../../rules-meta/blocking-call';

export const blockingCall: TsRule = {
  id: meta.id,
  create(context) {
    const resolve = () => moduleResolver(context.types, context.sourceFile);
    const loop = (node: ts.Node) =>
      checkLoop(context, resolve, node as ts.WhileStatement | ts.DoStatement | ts.ForStatement);
    return {
      [ts.SyntaxKind.CallExpression]: (node) => checkCall(context, resolve, node as ts.CallExpression),
      [ts.SyntaxKind.WhileStatement]: loop,
      [ts.SyntaxKind.DoStatement]: loop,
      [ts.SyntaxKind.ForStatement]: loop,
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

function checkCall(context: TsRuleContext, resolve: () => ModuleResolver, call: ts.CallExpression): void {
  const name = calleeName(call.expression);
  if (name === undefined) return;
  // A property name must be a catalog name; a bare identifier may be an alias (`load`), so it is
  // resolved, but only inside async functions, and only through the symbol of that one name.
  const bare = ts.isIdentifier(skipOuterExpressions(call.expression));
  if (!bare && !couldBeBlocking(name)) return;
  if (!isInAsyncFunction(call)) return;
  const resolver = resolve();
  const ref = resolver.callee(call);
  if (!ref) return;
  const api = lookupBlocking(ref);
  if (!api) return;
  const full = refName(ref);
  const shown = bare && name !== ref.path[ref.path.length - 1] ? `'${name}' (${full})` : `'${full}'`;
  const fix = api.promise ? promisesFix(context, resolver, call, ref, api) : undefined;
  context.report(
    call.expression,
    `${shown} blocks the event loop while ${api.waitsFor}; use ${api.instead} instead.`,
    fix ? [fix] : [],
  );
}

type Loop = ts.WhileStatement | ts.DoStatement | ts.ForStatement;

function checkLoop(context: TsRuleContext, resolve: () => ModuleResolver, loop: Loop): void {
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (!condition || !isInAsyncFunction(loop)) return;
  const clock = clockComparison(resolve, condition);
  if (!clock) return;
  // A loop that awaits (a sleep, a request) each turn is polling: other tasks run meanwhile.
  const parts: (ts.Node | undefined)[] = [
    condition,
    loop.statement,
    ts.isForStatement(loop) ? loop.incrementor : undefined,
  ];
  if (parts.some((p) => p !== undefined && suspends(p))) return;
  const what = clock.getText(context.sourceFile);
  context.report(
    clock,
    `Busy-wait: this loop spins on '${what}' and blocks the event loop; await a timer (setTimeout from 'node:timers/promises') instead.`,
  );
}

/** The first clock read inside a comparison (`<`, `<=`, `>`, `>=`) in a loop condition. */
function clockComparison(resolve: () => ModuleResolver, condition: ts.Expression): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  forEachEvaluatedNode(condition, (node) => {
    if (found) return false;
    if (ts.isBinaryExpression(node) && isComparison(node.operatorToken.kind)) {
      found = clockRead(resolve, node.left) ?? clockRead(resolve, node.right);
    }
    return found === undefined;
  });
  return found;
}

function isComparison(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.LessThanToken ||
    kind === ts.SyntaxKind.LessThanEqualsToken ||
    kind === ts.SyntaxKind.GreaterThanToken ||
    kind === ts.SyntaxKind.GreaterThanEqualsToken
  );
}

/** `Date.now()`, `performance.now()`, `process.hrtime.bigint()`, `new Date()` somewhere in `expr`. */
function clockRead(resolve: () => ModuleResolver, expr: ts.Expression): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  forEachEvaluatedNode(expr, (node) => {
    if (found) return false;
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      if (name !== undefined && CLOCK_NAMES.has(name)) {
        const ref = resolve().callee(node);
        if (ref && CLOCKS.some((c) => sameRef(c, ref))) found = node;
      }
    } else if (
      ts.isNewExpression(node) &&
      (node.arguments?.length ?? 0) === 0 &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date'
    ) {
      const ref = resolve().expression(node.expression);
      if (ref && sameRef(ref, { module: GLOBAL, path: ['Date'] })) found = node;
    }
    return found === undefined;
  });
  return found;
}

/** Does evaluating `node` (outside nested functions) give other tasks a turn? */
function suspends(node: ts.Node): boolean {
  let found = false;
  forEachEvaluatedNode(node, (n) => {
    if (found) return false;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) found = true;
    else if (ts.isForOfStatement(n) && n.awaitModifier) found = true;
    else if (ts.isVariableDeclarationList(n) && (n.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing)
      found = true;
    return !found;
  });
  return found;
}

// ---- the fixes ----------------------------------------------------------------------------------

function promisesFix(
  context: TsRuleContext,
  resolver: ModuleResolver,
  call: ts.CallExpression,
  ref: ModuleRef,
  api: BlockingApi,
): Fix | undefined {
  const fnName = api.promise!;
  if (ref.module !== 'fs' || call.questionDotToken || inParameters(resolver, call)) return undefined;
  if (call.arguments.some((a) => ts.isSpreadElement(a)) || isWrittenTo(call)) return undefined;
  const sf = context.sourceFile;
  const callee = call.expression;
  let target: PromisesReference | undefined;
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    // `fs.readFileSync` -> `fs.promises.readFile`: the same receiver, when it is the fs module itself.
    const receiver = resolver.expression(callee.expression);
    if (receiver && receiver.module === 'fs' && receiver.path.length === 0 && ref.path.length === 1) {
      target = { text: `${callee.expression.getText(sf)}.promises.${fnName}`, edits: [] };
    }
  } else if (ts.isIdentifier(callee)) {
    target = promisesByName(context, resolver, call, callee, fnName);
  }
  if (!target) return undefined;

  const parens = needsParentheses(call);
  const edits: TextEdit[] = [
    { start: callee.getStart(sf), end: callee.getEnd(), newText: `${parens ? '(' : ''}await ${target.text}` },
    ...target.edits,
  ];
  const tail = `${api.promiseSuffix ?? ''}${parens ? ')' : ''}`;
  if (tail) edits.push({ start: call.getEnd(), end: call.getEnd(), newText: tail });
  const caveat = isEquivalent(context, api, call) ? '' : ' (not equivalent: check the result)';
  // Never safe: the call now runs after other tasks had their turn (RULES.md, "Fix safety").
  return { title: `Replace with 'await ${target.text}(…)${api.promiseSuffix ?? ''}'${caveat}`, edits, safe: false };
}

/** Whether the fs/promises form takes the same arguments and gives the same result and errors. */
function isEquivalent(context: TsRuleContext, api: BlockingApi, call: ts.CallExpression): boolean {
  switch (api.safety ?? 'safe') {
    case 'safe':
      return true;
    case 'path-argument':
      return call.arguments.length > 0 && cannotBeNumber(context.types, call.arguments[0]);
    case 'one-argument':
      return call.arguments.length <= 1;
    case 'suggestion':
      return false;
  }
}

interface PromisesReference {
  /** How the fs/promises function is spelled at the call. */
  text: string;
  /** Import edits it needs. */
  edits: TextEdit[];
}

/**
 * The fs/promises function for a sync function called by a bare name: reuse a binding the file
 * has (`readFile` from fs/promises, a namespace of fs/promises, or of fs), else add the name to a
 * named import from fs/promises, else add an import (or require) next to the one the sync name
 * came from. A name already taken where the call is gets the alias `<name>Async`.
 */
function promisesByName(
  context: TsRuleContext,
  resolver: ModuleResolver,
  call: ts.CallExpression,
  callee: ts.Identifier,
  fnName: string,
): PromisesReference | undefined {
  const visible = resolver.moduleBindings().filter((b) => resolver.symbolInScope(b.name.text, call) === b.symbol);
  const direct = visible.find((b) => sameRef(b.ref, { module: 'fs/promises', path: [fnName] }));
  if (direct) return { text: direct.name.text, edits: [] };
  const promisesNs = visible.find((b) => sameRef(b.ref, { module: 'fs/promises', path: [] }));
  if (promisesNs) return { text: `${promisesNs.name.text}.${fnName}`, edits: [] };
  const fsNs = visible.find((b) => sameRef(b.ref, { module: 'fs', path: [] }));
  if (fsNs) return { text: `${fsNs.name.text}.promises.${fnName}`, edits: [] };

  const local = [fnName, `${fnName}Async`].find((n) => resolver.symbolInScope(n, call) === undefined);
  if (!local) return undefined;
  const sf = context.sourceFile;
  const eol = sf.text.includes('\r\n') ? '\r\n' : '\n';

  const existing = sf.statements.find(
    (st): st is ts.ImportDeclaration =>
      ts.isImportDeclaration(st) &&
      ts.isStringLiteral(st.moduleSpecifier) &&
      normalizeSpecifier(st.moduleSpecifier.text) === 'fs/promises' &&
      !!st.importClause &&
      !st.importClause.isTypeOnly &&
      !!st.importClause.namedBindings &&
      ts.isNamedImports(st.importClause.namedBindings) &&
      st.importClause.namedBindings.elements.length > 0,
  );
  const specifier = local === fnName ? fnName : `${fnName} as ${local}`;
  if (existing) {
    const elements = (existing.importClause!.namedBindings as ts.NamedImports).elements;
    const last = elements[elements.length - 1];
    return { text: local, edits: [{ start: last.getEnd(), end: last.getEnd(), newText: `, ${specifier}` }] };
  }

  const calleeSymbol = resolver.symbolOfIdentifier(callee);
  const own = resolver.moduleBindings().find((b) => b.symbol === calleeSymbol);
  if (!own) return undefined;
  const st = own.statement;
  const semi = endsWithSemicolon(sf, st) ? ';' : '';
  if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
    const module = quoteLike(st.moduleSpecifier, sf);
    return {
      text: local,
      edits: [{ start: st.getEnd(), end: st.getEnd(), newText: `${eol}import { ${specifier} } from ${module}${semi}` }],
    };
  }
  const required = ts.isVariableStatement(st) ? requireSpecifier(st) : undefined;
  if (required) {
    const module = quoteLike(required, sf);
    const binding = local === fnName ? fnName : `${fnName}: ${local}`;
    return {
      text: local,
      edits: [
        { start: st.getEnd(), end: st.getEnd(), newText: `${eol}const { ${binding} } = require(${module})${semi}` },
      ],
    };
  }
  return undefined;
}

/** The string literal of `... = require('x')` (possibly followed by property accesses). */
function requireSpecifier(st: ts.VariableStatement): ts.StringLiteralLike | undefined {
  for (const d of st.declarationList.declarations) {
    let e = d.initializer && skipOuterExpressions(d.initializer);
    while (e && (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)))
      e = skipOuterExpressions(e.expression);
    if (e && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require') {
      const arg = e.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) return arg;
    }
  }
  return undefined;
}

/** 'fs/promises' in the quotes and with the `node:` prefix (or not) of an existing fs specifier. */
function quoteLike(specifier: ts.StringLiteralLike, sf: ts.SourceFile): string {
  const raw = specifier.getText(sf);
  const quote = raw[0] === '"' || raw[0] === '`' ? raw[0] : "'";
  const prefix = specifier.text.startsWith('node:') ? 'node:' : '';
  return `${quote}${prefix}fs/promises${quote}`;
}

/** `await` cannot appear in a parameter list (`async function f(x = readFileSync(p))`). */
/**
 * Whether the call is in a parameter list (a default value) of its function. Answers are kept per
 * node for the file's analysis (keyed by its resolver): whichever call reaches a node on the way up
 * has the same enclosing function above it, so a chain thousands of calls deep is walked once.
 */
function inParameters(resolver: ModuleResolver, call: ts.CallExpression): boolean {
  let memo = parameterMemo.get(resolver);
  if (!memo) parameterMemo.set(resolver, (memo = new Map()));
  const fn = enclosingFunction(call);
  return askAncestors(call, memo, (n) => (n === fn ? false : ts.isParameter(n) ? true : undefined), false);
}

const parameterMemo = new WeakMap<ModuleResolver, Map<ts.Node, boolean>>();

/**
 * `readFileSync(p) = x` or `readFileSync(p)++`: broken code (a call is not assignable), where
 * `await readFile(p) = x` would not even parse and `await readFile(p)++` would mean another thing.
 */
function isWrittenTo(call: ts.CallExpression): boolean {
  const p = call.parent;
  return (isAssignment(p) && p.left === call) || isIncrement(p);
}

/**
 * `await x` is a unary expression; a call binds tighter. Where the call is the object of a member
 * access, a callee, a tag, a `!` operand or the left of `**`, the await needs parentheses.
 */
function needsParentheses(call: ts.CallExpression): boolean {
  const p = call.parent;
  if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === call) return true;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === call) return true;
  if (ts.isTaggedTemplateExpression(p) && p.tag === call) return true;
  if (ts.isNonNullExpression(p)) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken && p.left === call)
    return true;
  return false;
}
