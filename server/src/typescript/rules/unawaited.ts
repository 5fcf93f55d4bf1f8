// unawaited (TypeScript/JavaScript): a promise (any thenable, by type) that is created and dropped.
// Candidates are expression statements and `const p = <call>` declarations whose name is never
// read; the checker is asked only for the type of their value-producing leaves. Inside a ternary,
// `&&` / `||` / `??`, a comma or an array literal, each operand is a leaf of its own.
// Handled (not flagged): await, return, void, assignment, `.catch(h)`, `.then(f, r)` with function
// handlers (also with `.finally(...)` after them), a value passed as an argument (the statement's
// value is then the callee's result), `any`/`unknown` values. Anchor: the statement's first line.
// Not flagged either, as fire-and-forget with evidence: a promise that cannot reject (a call of an
// async function whose whole body is a `try` whose `catch` does not rethrow); an array method that
// hands back elements of an existing array (`queue.splice(i, 1)`): the promises live elsewhere;
// VS Code's UI thenables (`window.showInformationMessage(...)`, by declaration in the `vscode`
// module); a statement followed, in its block, by an await of an event or a delay
// (`p.load(); await p.once('stopped')`): the work is started so that its effect can be waited for.
// Also flagged: a promise used as a value where only a plain value makes sense (a condition, `!p`,
// a `&&`/`||` operand, a template literal, `String(p)`): a promise is always truthy and prints as
// "[object Promise]".
//
// Fixes (all suggestions: they change when code runs, or declare a drop deliberate): inside an
// async function, first `await` (for an array of promises, `await Promise.all(...)`), then `void`;
// elsewhere only `void`. `await` is offered only where every dropped promise is the statement's
// result. `void` is individual-only: applied in bulk it would silence findings without fixing them.
import ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import type { TsRule, TsRuleContext } from '../rule';
import type { TSymbol, Types } from '../typebackend';
import { isStackOverflow } from '../../engine/linter';
import { DELAY_FUNCTIONS } from '../concurrency';
import { canBeUnaryOperand, endsWithSemicolon } from '../fix-text';
import { isAlwaysThenable, isArrayOfThenables, needsToBeAwaited } from '../types';
import {
  enclosingFunction,
  forEachEvaluatedNode,
  hasModifier,
  identifierStartingAt,
  isAsyncFunction,
  isFunctionLike,
  isInAsyncFunction,
  skipOuterExpressions,
  skipParentheses,
} from '../utils';
import meta from '../../rules-meta/unawaited';

export const unawaited: TsRule = {
  id: meta.id,
  create(context) {
    const seen = new Set<ts.Node>();
    return {
      [ts.SyntaxKind.ExpressionStatement]: (node) =>
        guarded(() => checkStatement(context, node as ts.ExpressionStatement)),
      [ts.SyntaxKind.VariableStatement]: (node) =>
        guarded(() => checkDeclaration(context, node as ts.VariableStatement)),
      [ts.SyntaxKind.IfStatement]: (node) =>
        guarded(() => checkCondition(context, (node as ts.IfStatement).expression, seen)),
      [ts.SyntaxKind.WhileStatement]: (node) =>
        guarded(() => checkCondition(context, (node as ts.WhileStatement).expression, seen)),
      [ts.SyntaxKind.DoStatement]: (node) =>
        guarded(() => checkCondition(context, (node as ts.DoStatement).expression, seen)),
      [ts.SyntaxKind.ForStatement]: (node) => {
        const cond = (node as ts.ForStatement).condition;
        if (cond) guarded(() => checkCondition(context, cond, seen));
      },
      [ts.SyntaxKind.ConditionalExpression]: (node) =>
        guarded(() => checkCondition(context, (node as ts.ConditionalExpression).condition, seen)),
      [ts.SyntaxKind.PrefixUnaryExpression]: (node) => {
        const e = node as ts.PrefixUnaryExpression;
        if (e.operator === ts.SyntaxKind.ExclamationToken) guarded(() => checkCondition(context, e.operand, seen));
      },
      [ts.SyntaxKind.BinaryExpression]: (node) => {
        const e = node as ts.BinaryExpression;
        const op = e.operatorToken.kind;
        // The left operand of `&&` / `||` is tested for truthiness wherever the expression stands
        // (as a statement, a promise there is a dropped one: checkStatement's).
        if (
          (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) &&
          !isStatementChain(e)
        ) {
          guarded(() => checkCondition(context, e.left, seen));
        }
      },
      [ts.SyntaxKind.TemplateSpan]: (node) => {
        const span = node as ts.TemplateSpan;
        if (!ts.isTemplateExpression(span.parent) || ts.isTaggedTemplateExpression(span.parent.parent)) return; // a tag may take anything
        guarded(() => checkPrinted(context, span.expression, 'is used in a template literal', seen));
      },
      [ts.SyntaxKind.CallExpression]: (node) => {
        const call = node as ts.CallExpression;
        if (call.arguments.length !== 1 || !isGlobalString(context, call.expression)) return;
        guarded(() => checkPrinted(context, call.arguments[0], "is passed to 'String()'", seen));
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/**
 * Runs one node's check; a stack overflow inside the checker (TypeScript's type printer and
 * relation checks recurse on huge or recursive types) skips that node instead of failing the file.
 */
function guarded(run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
  }
}

type LeafKind = 'promise' | 'then-without-handler' | 'array';

interface Leaf {
  expr: ts.Expression;
  kind: LeafKind;
  /** The leaf's value is the statement's value (so `await <statement>` awaits it). */
  isResult: boolean;
}

function leafMessage(leaf: Leaf): string {
  const name = describe(leaf.expr);
  switch (leaf.kind) {
    case 'promise':
      return `The promise of ${name} is dropped: it is not awaited, returned, stored or given a rejection handler.`;
    case 'then-without-handler':
      return `The promise chain ${name} ends in '.then()' without a rejection handler: a rejection would go unhandled.`;
    case 'array':
      return `The promises of ${name} are dropped: none of them is awaited or given a rejection handler.`;
  }
}

function checkStatement(context: TsRuleContext, statement: ts.ExpressionStatement): void {
  const leaves = droppedLeaves(context, statement.expression);
  if (
    leaves.length === 0 ||
    saysItIsDeliberate(context.sourceFile, statement) ||
    awaitsAnEventLater(context, statement)
  )
    return;
  const sf = context.sourceFile;
  const message =
    leaves.length === 1
      ? leafMessage(leaves[0])
      : `The promises of ${leaves.map((l) => describe(l.expr)).join(' and ')} are dropped: they are not awaited, returned, stored or handled.`;
  context.report(firstLine(sf, statement), message, statementFixes(context, statement, leaves));
}

/** How a message names a dropped value: `'store.save()'`, `'p'`, `'new Promise()'`, the async IIFE. */
function describe(expr: ts.Expression): string {
  const e = skipOuterExpressions(expr);
  if (ts.isCallExpression(e) && isFunctionLike(skipOuterExpressions(e.expression)))
    return 'the immediately called function';
  const text = shortName(e, 0);
  return text === undefined ? 'this expression' : `'${text}'`;
}

/** `a.b.save()` for `a.b.save(x, y)`, from syntax; undefined when the expression is not a plain chain or is too long. */
function shortName(e: ts.Expression, depth: number): string | undefined {
  if (depth > 6) return '…';
  const x = skipOuterExpressions(e);
  let out: string | undefined;
  if (ts.isIdentifier(x) || ts.isPrivateIdentifier(x)) out = x.text;
  else if (x.kind === ts.SyntaxKind.ThisKeyword) out = 'this';
  else if (x.kind === ts.SyntaxKind.SuperKeyword) out = 'super';
  else if (ts.isPropertyAccessExpression(x)) {
    const left = shortName(x.expression, depth + 1);
    out = left === undefined ? undefined : `${left}${x.questionDotToken ? '?.' : '.'}${x.name.text}`;
  } else if (ts.isElementAccessExpression(x)) {
    const left = shortName(x.expression, depth + 1);
    out = left === undefined ? undefined : `${left}[…]`;
  } else if (ts.isCallExpression(x)) {
    const left = shortName(x.expression, depth + 1);
    out = left === undefined ? undefined : `${left}()`;
  } else if (ts.isNewExpression(x)) {
    const left = shortName(x.expression, depth + 1);
    out = left === undefined ? undefined : `new ${left}()`;
  } else if (ts.isTaggedTemplateExpression(x)) {
    const left = shortName(x.tag, depth + 1);
    out = left === undefined ? undefined : `${left}\`…\``;
  } else if (ts.isArrayLiteralExpression(x)) out = '[…]';
  else if (ts.isConditionalExpression(x) || ts.isBinaryExpression(x)) out = undefined;
  if (out !== undefined && out.length > 60) out = '…' + out.slice(out.length - 59);
  return out;
}

/** `const p = save()` where `p` is never read: the promise is as good as dropped. */
function checkDeclaration(context: TsRuleContext, statement: ts.VariableStatement): void {
  if (hasModifier(statement, ts.SyntaxKind.ExportKeyword) || hasModifier(statement, ts.SyntaxKind.DeclareKeyword))
    return;
  const list = statement.declarationList;
  const binding = list.flags & ts.NodeFlags.BlockScoped;
  if (binding === ts.NodeFlags.Using || binding === ts.NodeFlags.AwaitUsing) return; // disposed at scope end
  for (const decl of list.declarations) {
    if (!ts.isIdentifier(decl.name) || !decl.initializer || !createsValue(skipOuterExpressions(decl.initializer)))
      continue;
    // Reads first (text search and symbols), types only for a name nobody reads.
    if (!isNeverRead(context, decl as ts.VariableDeclaration & { name: ts.Identifier })) continue;
    const type = context.types.getTypeAtLocation(decl.initializer);
    let kind: LeafKind | undefined;
    if (needsToBeAwaited(context.types, decl.initializer, type) === 'always') kind = 'promise';
    else if (isArrayOfThenables(context.types, decl.initializer, type)) kind = 'array';
    if (!kind) continue;
    const init = skipOuterExpressions(decl.initializer);
    if (kind === 'promise' && (cannotReject(context.types, init) || isVscodeUiThenable(context.types, init))) continue;
    if (returnsExistingElements(context.types, init)) continue;
    const what = kind === 'array' ? 'the promises' : 'the promise';
    context.report(
      firstLine(context.sourceFile, statement),
      `'${decl.name.text}' holds ${what} of ${describe(decl.initializer)} but is never read: it is not awaited, returned or given a rejection handler.`,
      declarationFixes(context, statement, decl, kind),
    );
  }
}

/** Parts of one statement's value looked at, at most (see droppedLeaves). */
const MAX_STATEMENT_PARTS = 512;

/**
 * The parts of a statement's value that are dropped promises. Ternary branches, both operands of
 * `&&` / `||` / `??` and `,`, and array literal elements are looked at one by one (iteratively).
 */
function droppedLeaves(context: TsRuleContext, root: ts.Expression): Leaf[] {
  const { types } = context;
  const out: Leaf[] = [];
  const stack: { expr: ts.Expression; isResult: boolean }[] = [{ expr: root, isResult: true }];
  // The checker's work for a name grows with its depth in the expression, so a generated
  // statement of 100,000 comma-separated calls took minutes. Real statements have a handful of parts.
  let budget = MAX_STATEMENT_PARTS;
  while (stack.length > 0 && budget-- > 0) {
    const { expr, isResult } = stack.pop()!;
    const e = skipOuterExpressions(expr);
    if (ts.isConditionalExpression(e)) {
      stack.push({ expr: e.whenFalse, isResult }, { expr: e.whenTrue, isResult });
      continue;
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (
        op === ts.SyntaxKind.AmpersandAmpersandToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.CommaToken
      ) {
        stack.push({ expr: e.right, isResult }, { expr: e.left, isResult: false });
      }
      continue; // assignments store the value; other operators do not give a promise back
    }
    if (!createsValue(e)) continue;
    const handled = rejectionHandled(e);
    if (handled === true) continue;
    if (returnsExistingElements(types, e)) continue;
    // The type of the expression as written: `value as Promise<T>` is a promise even when `value` is not.
    const type = types.getTypeAtLocation(skipParentheses(expr));
    if (needsToBeAwaited(types, e, type) === 'always') {
      if (
        handled !== 'then' &&
        (cannotReject(types, e) ||
          isVscodeUiThenable(types, e) ||
          viaIndexSignature(types, e) ||
          isTeardownInSyncCode(e) ||
          isConfiguredFireAndForget(context, e))
      ) {
        continue;
      }
      out.push({ expr: e, kind: handled === 'then' ? 'then-without-handler' : 'promise', isResult });
    } else if (isArrayOfThenables(types, e, type)) out.push({ expr: e, kind: 'array', isResult });
  }
  return out;
}

// -- fire-and-forget with evidence --

/**
 * A call whose promise cannot reject, judged from the code it runs (in the workspace, not in
 * declaration files):
 * - an async function (an IIFE, or a function or method the call resolves to) every `await`,
 *   `for await` and `throw` of whose own code sits in the `try` block of a `try` whose `catch`
 *   does not rethrow, or awaits a call that itself cannot reject (followed a few calls deep), and
 *   that returns nothing that could be a rejected promise. That covers a body that is one `try`
 *   with a quiet `catch`, an async function that awaits nothing (it settles as soon as it is
 *   called), and one that only awaits such functions;
 * - awaited inside such a function, also a function whose whole work is `return new Promise(resolve
 *   => ...)` with an executor that never rejects (`delay(ms)` made of `setTimeout(resolve, ms)`;
 *   dropped itself, that one is flagged: waiting is its whole purpose).
 * Only a synchronous throw could still reject these: judged on real projects, maintainers drop
 * them on purpose.
 */
function cannotReject(types: Types, e: ts.Expression, depth = 0): boolean {
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  let fn: ts.Node | undefined;
  if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) fn = callee;
  else fn = types.getResolvedSignature(e)?.declaration;
  if (!fn || !isFunctionLike(fn) || !fn.body) return false;
  if (fn.getSourceFile().isDeclarationFile) return false;
  // A dropped `delay(ms)` is a mistake whatever it does: waiting is its whole purpose.
  if (depth === 0 && !isAsyncFunction(fn)) return false;
  let memo = cannotRejectMemo.get(types);
  if (!memo) cannotRejectMemo.set(types, (memo = new Map()));
  const known = memo.get(fn);
  if (known !== undefined) return known;
  // A cycle, or too deep to follow: assume it can reject. An answer that relied on such a guess
  // is not remembered, so the answer for a function does not depend on which call asked first.
  if (depth > MAX_CANNOT_REJECT_DEPTH || inProgress.has(fn)) {
    guesses++;
    return false;
  }
  inProgress.add(fn);
  const guessesBefore = guesses;
  let result: boolean;
  try {
    const body = fn.body;
    result = isAsyncFunction(fn) ? asyncBodyCannotReject(types, body, depth) : settlesWithoutRejecting(body);
  } finally {
    inProgress.delete(fn);
  }
  if (guesses === guessesBefore) memo.set(fn, result);
  return result;
}

/** How many calls deep cannotReject follows awaited calls. */
const MAX_CANNOT_REJECT_DEPTH = 3;
const cannotRejectMemo = new WeakMap<Types, Map<ts.Node, boolean>>();
const inProgress = new Set<ts.Node>();
let guesses = 0;

function asyncBodyCannotReject(types: Types, body: ts.ConciseBody, depth: number): boolean {
  if (!ts.isBlock(body)) return isInert(body) || cannotReject(types, skipOuterExpressions(body), depth + 1);
  let rejects = false;
  forEachEvaluatedNode(body, (n) => {
    if (rejects) return false;
    let risky = false;
    if (ts.isAwaitExpression(n)) risky = !isQuietAwait(types, n.expression, depth);
    else if ((ts.isForOfStatement(n) && n.awaitModifier !== undefined) || ts.isThrowStatement(n)) risky = true;
    else if (ts.isReturnStatement(n) && n.expression !== undefined) {
      // A returned promise is not caught by an enclosing try: only its own await would be.
      const value = skipOuterExpressions(n.expression);
      if (!isInert(value) && !ts.isAwaitExpression(value) && !cannotReject(types, value, depth + 1)) {
        rejects = true;
        return undefined;
      }
    }
    if (risky && !caughtQuietly(n, body)) rejects = true;
    return undefined;
  });
  return !rejects;
}

/** `await x` that cannot throw: of a plain value, or of a call that cannot reject. */
function isQuietAwait(types: Types, operand: ts.Expression, depth: number): boolean {
  const e = skipOuterExpressions(operand);
  return isInert(e) && !ts.isIdentifier(e) ? true : cannotReject(types, e, depth + 1);
}

/**
 * A function whose body (a block of one `return`, or an expression) is `new Promise(executor)`
 * with an executor that takes no `reject` parameter and throws nothing of its own.
 */
function settlesWithoutRejecting(body: ts.ConciseBody): boolean {
  let value: ts.Expression | undefined;
  if (ts.isBlock(body)) {
    const only = body.statements.length === 1 ? body.statements[0] : undefined;
    if (only && ts.isReturnStatement(only)) value = only.expression;
  } else value = body;
  if (!value) return false;
  const made = skipOuterExpressions(value);
  if (!ts.isNewExpression(made) || !ts.isIdentifier(made.expression) || made.expression.text !== 'Promise')
    return false;
  const executor = made.arguments?.length === 1 ? skipOuterExpressions(made.arguments[0]) : undefined;
  if (
    !executor ||
    !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) ||
    executor.parameters.length > 1
  )
    return false;
  let throws = false;
  forEachEvaluatedNode(executor.body, (n) => {
    if (throws) return false;
    if (ts.isThrowStatement(n)) throws = true;
    return undefined;
  });
  return !throws;
}

/**
 * A call of a function the configuration names under `fire-and-forget`: its declaration's
 * qualified name (`Cdp.TargetApi.closeTarget`: namespaces, class or interface, member) is a named
 * entry or lies under one (`Cdp`).
 */
function isConfiguredFireAndForget(context: TsRuleContext, e: ts.Expression): boolean {
  const names = context.config?.fireAndForget;
  if (!names || names.length === 0 || !ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  const declarations = context.types.getSymbolAtLocation(nameNode)?.declarations ?? [];
  return declarations.some((d) => {
    const qualified = qualifiedName(d);
    return qualified !== undefined && names.some((n) => qualified === n || qualified.startsWith(n + '.'));
  });
}

/** `Outer.Inner.Type.member` of a declaration, from the names of its enclosing declarations. */
function qualifiedName(declaration: ts.Node): string | undefined {
  const parts: string[] = [];
  for (let n: ts.Node | undefined = declaration; n && !ts.isSourceFile(n); n = n.parent) {
    const name = (n as ts.NamedDeclaration).name;
    if (name === undefined) continue;
    if (!ts.isIdentifier(name) && !ts.isPrivateIdentifier(name) && !ts.isStringLiteral(name)) return undefined;
    if (
      ts.isModuleDeclaration(n) ||
      ts.isClassLike(n) ||
      ts.isInterfaceDeclaration(n) ||
      n === declaration ||
      ts.isVariableDeclaration(n)
    )
      parts.unshift(name.text);
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}

/** Whether `node` is inside the `try` block of a `try` (below `body`) whose catch and finally neither throw nor return. */
function caughtQuietly(node: ts.Node, body: ts.Node): boolean {
  for (let child = node, parent = node.parent; parent && child !== body; child = parent, parent = parent.parent) {
    if (!ts.isTryStatement(parent) || child !== parent.tryBlock || !parent.catchClause) continue;
    if (!throwsOrRejects(parent.catchClause.block) && (!parent.finallyBlock || !throwsOrRejects(parent.finallyBlock)))
      return true;
  }
  return false;
}

/** An expression that cannot throw: literals, names, `this`, and operators on them (no calls, no property reads). */
function isInert(e: ts.Expression): boolean {
  const x = skipOuterExpressions(e);
  if (
    ts.isIdentifier(x) ||
    ts.isLiteralExpression(x) ||
    ts.isNoSubstitutionTemplateLiteral(x) ||
    ts.isArrowFunction(x) ||
    ts.isFunctionExpression(x)
  )
    return true;
  switch (x.kind) {
    case ts.SyntaxKind.ThisKeyword:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
  }
  if (ts.isBinaryExpression(x)) {
    const op = x.operatorToken.kind;
    const comparison =
      op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      isLogical(op);
    return comparison && isInert(x.left) && isInert(x.right);
  }
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.ExclamationToken) return isInert(x.operand);
  if (ts.isConditionalExpression(x)) return isInert(x.condition) && isInert(x.whenTrue) && isInert(x.whenFalse);
  return false;
}

/** A `throw`, or a `return` of something (which could be a rejected promise), in the block's own code. */
function throwsOrRejects(block: ts.Block): boolean {
  let found = false;
  forEachEvaluatedNode(block, (n) => {
    if (found) return false;
    if (ts.isThrowStatement(n) || (ts.isReturnStatement(n) && n.expression !== undefined)) found = true;
    return undefined;
  });
  return found;
}

/** Array methods whose result holds elements of the array they are called on. */
const ELEMENT_METHODS: ReadonlySet<string> = new Set([
  'splice',
  'slice',
  'filter',
  'reverse',
  'sort',
  'toSorted',
  'toReversed',
  'toSpliced',
  'shift',
  'pop',
  'at',
  'find',
  'findLast',
]);

/**
 * `client.on(...)` where `on` is no declared member, only an index signature's (`[name: string]:
 * Command`): any name matches, so the call says nothing certain. Typical where a base class's
 * declarations are missing (dependencies not installed) and a command map fills the gap.
 */
function viaIndexSignature(types: Types, e: ts.Expression): boolean {
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const declarations = types.getSymbolAtLocation(callee.name)?.declarations ?? [];
  return declarations.every((d) => ts.isIndexSignatureDeclaration(d));
}

/** Methods that release or shut something down: best-effort teardown. */
const TEARDOWN_METHODS: ReadonlySet<string> = new Set([
  'dispose',
  'close',
  'destroy',
  'stop',
  'terminate',
  'detach',
  'disconnect',
  'kill',
]);

/**
 * `this.disposables.dispose();` inside a synchronous `dispose()` (or any sync function or
 * callback): teardown there is best-effort by design, and the caller (an `IDisposable`, an event
 * handler) has no way to wait for it. In an async function the same call is flagged: it could be awaited.
 */
function isTeardownInSyncCode(e: ts.Expression): boolean {
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  if (!ts.isPropertyAccessExpression(callee) || !TEARDOWN_METHODS.has(callee.name.text)) return false;
  const fn = enclosingFunction(e);
  return fn !== undefined && !isAsyncFunction(fn);
}

/** `Object` functions that hand back their first argument. */
const OBJECT_RETURNS_TARGET: ReadonlySet<string> = new Set([
  'defineProperty',
  'defineProperties',
  'assign',
  'freeze',
  'seal',
  'preventExtensions',
  'setPrototypeOf',
]);

/**
 * `queue.splice(i, 1)` on an array of promises, `Object.defineProperties(promise, ...)`: the
 * result is a value made, and held, elsewhere.
 */
function returnsExistingElements(types: Types, e: ts.Expression): boolean {
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  if (
    ts.isPropertyAccessExpression(callee) &&
    OBJECT_RETURNS_TARGET.has(callee.name.text) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'Object'
  ) {
    const decl = types.getSymbolAtLocation(callee.expression)?.valueDeclaration;
    if (decl?.getSourceFile().isDeclarationFile) return true;
  }
  if (!ts.isPropertyAccessExpression(callee) || !ELEMENT_METHODS.has(callee.name.text)) return false;
  const receiver = types.getNonNullableType(types.getTypeAtLocation(callee.expression));
  return types.isArrayType(receiver) || types.isTupleType(receiver);
}

/** VS Code's UI calls whose thenables are dropped by convention: they settle when the user answers. */
const VSCODE_UI = /^(show\w*Message|showQuickPick|showInputBox)$/;

/** `window.showInformationMessage(...)` and friends, by declaration in the `vscode` module (not by spelling). */
function isVscodeUiThenable(types: Types, e: ts.Expression): boolean {
  if (!ts.isCallExpression(e)) return false;
  const callee = skipOuterExpressions(e.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (!nameNode || !VSCODE_UI.test(nameNode.text)) return false;
  const declaration = types.getResolvedSignature(e)?.declaration;
  if (
    !declaration ||
    !ts.isFunctionDeclaration(declaration) ||
    !declaration.name ||
    !VSCODE_UI.test(declaration.name.text)
  )
    return false;
  const modules: string[] = [];
  for (let n: ts.Node | undefined = declaration.parent; n; n = n.parent)
    if (ts.isModuleDeclaration(n)) modules.push(n.name.text);
  // declare module 'vscode' { export namespace window { ... } }
  return modules[0] === 'window' && modules[modules.length - 1] === 'vscode';
}

/** A comment that says the drop is meant: "no await", "intentionally not awaited", "in the background". */
const DELIBERATE =
  /\b(no|not|n't|without|never)\s+(need\s+to\s+|be\s+)?(a)?wait|\bintentional|\bon purpose\b|\bpurposely\b|\bdeliberate|fire[- ]and[- ]forget|\bin the background\b/i;

/** The statement's own comments (leading, or trailing on its first line) say the promise is dropped on purpose. */
function saysItIsDeliberate(sf: ts.SourceFile, statement: ts.Statement): boolean {
  const text = sf.text;
  const comments = [...(ts.getLeadingCommentRanges(text, statement.pos) ?? [])];
  const { end } = firstLine(sf, statement);
  comments.push(...(ts.getTrailingCommentRanges(text, end) ?? []));
  if (end === statement.end || text.slice(end, statement.end).trim() === '')
    comments.push(...(ts.getTrailingCommentRanges(text, statement.end) ?? []));
  return comments.some((c) => DELIBERATE.test(text.slice(c.pos, c.end)));
}

/** Calls that wait for an event or for time to pass: `once`, `waitFor*`, `wait*`, `until*`, `sleep`, `delay`. */
function isEventWait(name: string): boolean {
  return name === 'once' || /^(wait|until)/.test(name) || DELAY_FUNCTIONS.has(name);
}

/**
 * The statement is followed, in its block, by an await of an event or a delay (`p.load();
 * await p.once('stopped')`): the work is started on purpose so that what it causes can be waited
 * for; awaiting it first could wait forever (a request that completes only once the program it
 * paused is resumed).
 */
function awaitsAnEventLater(context: TsRuleContext, statement: ts.ExpressionStatement): boolean {
  const block = statement.parent;
  if (
    !ts.isBlock(block) &&
    !ts.isSourceFile(block) &&
    !ts.isCaseClause(block) &&
    !ts.isDefaultClause(block) &&
    !ts.isModuleBlock(block)
  )
    return false;
  const statements = block.statements;
  let found = false;
  for (let i = statements.indexOf(statement) + 1; i < statements.length && !found; i++) {
    if (isFunctionLike(statements[i]) || ts.isClassLike(statements[i])) continue;
    forEachEvaluatedNode(statements[i], (n) => {
      if (found) return false;
      if (ts.isAwaitExpression(n) && waitsForAnEvent(context, n.expression)) found = true;
      return undefined;
    });
  }
  return found;
}

/** An event-wait call within `e` (`once(...)`, `Promise.all([a.once('x'), ...])`), or a name bound to one. */
function waitsForAnEvent(context: TsRuleContext, e: ts.Expression, depth = 0): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isNewExpression(n) && isEventPromise(n)) {
      found = true;
      return;
    }
    if (ts.isIdentifier(n)) {
      // `const stopped = p.once('stopped'); ...; await stopped`
      const decl = context.types.getSymbolAtLocation(n)?.valueDeclaration;
      if (
        decl &&
        ts.isVariableDeclaration(decl) &&
        decl.initializer &&
        ts.isCallExpression(skipOuterExpressions(decl.initializer))
      ) {
        found = isEventWaitCall(skipOuterExpressions(decl.initializer) as ts.CallExpression);
      }
      return;
    }
    if (ts.isCallExpression(n) && (isEventWaitCall(n) || (depth === 0 && helperWaitsForAnEvent(context, n)))) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** `await dumpStackAndContinue(p)` where that workspace function itself awaits an event wait. */
function helperWaitsForAnEvent(context: TsRuleContext, call: ts.CallExpression): boolean {
  const fn = context.types.getResolvedSignature(call)?.declaration;
  if (!fn || !isFunctionLike(fn) || !fn.body || fn.getSourceFile().isDeclarationFile) return false;
  let found = false;
  forEachEvaluatedNode(fn.body, (n) => {
    if (found) return false;
    if (ts.isAwaitExpression(n) && waitsForAnEvent(context, n.expression, 1)) found = true;
    return undefined;
  });
  return found;
}

/** `new Promise((resolve) => page.on('loaded', resolve))`: a promise settled by an event. */
function isEventPromise(e: ts.NewExpression): boolean {
  const executor = e.arguments?.[0] && skipOuterExpressions(e.arguments[0]);
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
  let found = false;
  forEachEvaluatedNode(executor, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n)) {
      const callee = skipOuterExpressions(n.expression);
      if (ts.isPropertyAccessExpression(callee) && /^(on|once|addListener|addEventListener)$/.test(callee.name.text))
        found = true;
    }
    return undefined;
  });
  return found;
}

function isEventWaitCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
  return name !== undefined && isEventWait(name);
}

// -- promises used as values --

/**
 * A promise tested for truthiness: `if (isReady())`, `while (p)`, `ok() ? a : b`, `!p`, `p && x`.
 * A promise is always truthy, so the test never says what was meant. Operands of `&&` / `||`
 * inside a condition are conditions too.
 */
function checkCondition(context: TsRuleContext, expr: ts.Expression, seen: Set<ts.Node>): void {
  const stack: ts.Expression[] = [expr];
  let budget = MAX_STATEMENT_PARTS;
  while (stack.length > 0 && budget-- > 0) {
    let e = skipOuterExpressions(stack.pop()!);
    while (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken)
      e = skipOuterExpressions(e.operand);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) stack.push(e.right, e.left);
      continue;
    }
    // A call: `if (isReady())`. A name or field holding a promise is tested for being set
    // (`if (this.connecting) return this.connecting`), often with a type that omits `undefined`.
    if (!(ts.isCallExpression(e) || ts.isNewExpression(e)) || seen.has(e)) continue;
    seen.add(e);
    if (!isAlwaysThenable(context.types, e)) continue;
    const sf = context.sourceFile;
    context.report(
      firstLine(sf, enclosingStatement(e)),
      `The promise of ${describe(e)} is used as a condition: a promise is always truthy, whatever it resolves to. Await it first.`,
      [],
    );
  }
}

/** A promise turned into text: `${p}`, `String(p)` print "[object Promise]". */
function checkPrinted(context: TsRuleContext, expr: ts.Expression, how: string, seen: Set<ts.Node>): void {
  const e = skipOuterExpressions(expr);
  // Calls only: template literals are everywhere, and a name holding a promise is rarely printed.
  if (!(ts.isCallExpression(e) || ts.isNewExpression(e)) || seen.has(e)) return;
  seen.add(e);
  if (!isAlwaysThenable(context.types, e)) return;
  const sf = context.sourceFile;
  context.report(
    firstLine(sf, enclosingStatement(e)),
    `The promise of ${describe(e)} ${how}: it prints as "[object Promise]", not as the value it resolves to. Await it first.`,
    [],
  );
}

/** An operand chain (`&&`, `||`, `??`, `,`, ternary branches) that is an expression statement's value. */
function isStatementChain(e: ts.Expression): boolean {
  let n: ts.Node = e;
  for (;;) {
    const p: ts.Node = n.parent;
    if (ts.isParenthesizedExpression(p)) n = p;
    else if (
      ts.isBinaryExpression(p) &&
      (isLogical(p.operatorToken.kind) || p.operatorToken.kind === ts.SyntaxKind.CommaToken)
    )
      n = p;
    else if (ts.isConditionalExpression(p) && p.condition !== n) n = p;
    else return ts.isExpressionStatement(p);
  }
}

/** The global `String`, not a local function of that name. */
function isGlobalString(context: TsRuleContext, callee: ts.Expression): boolean {
  const e = skipOuterExpressions(callee);
  if (!ts.isIdentifier(e) || e.text !== 'String') return false;
  // `declare var String` (interfaces named String may be merged in from elsewhere, e.g. @types/node).
  const decl = context.types.getSymbolAtLocation(e)?.valueDeclaration;
  return decl !== undefined && context.types.isSourceFileDefaultLibrary(decl.getSourceFile());
}

/** The statement that holds `node` (the anchor of a finding inside an expression). */
function enclosingStatement(node: ts.Node): ts.Node {
  let n: ts.Node = node;
  while (
    n.parent &&
    !(n.kind >= ts.SyntaxKind.FirstStatement && n.kind <= ts.SyntaxKind.LastStatement) &&
    !ts.isClassElement(n) &&
    !ts.isSourceFile(n.parent)
  )
    n = n.parent;
  return n;
}

/** Expressions that can hand back a promise: calls, `new`, tagged templates, names, array literals. */
function createsValue(e: ts.Expression): boolean {
  return (
    ts.isCallExpression(e) ||
    ts.isNewExpression(e) ||
    ts.isTaggedTemplateExpression(e) ||
    ts.isIdentifier(e) ||
    ts.isPropertyAccessExpression(e) ||
    ts.isElementAccessExpression(e) ||
    ts.isArrayLiteralExpression(e) ||
    ts.isConditionalExpression(e) ||
    (ts.isBinaryExpression(e) && isLogical(e.operatorToken.kind))
  );
}

function isLogical(kind: ts.SyntaxKind): boolean {
  return (
    kind === ts.SyntaxKind.AmpersandAmpersandToken ||
    kind === ts.SyntaxKind.BarBarToken ||
    kind === ts.SyntaxKind.QuestionQuestionToken
  );
}

/**
 * `.catch(h)` and `.then(f, r)` handle a rejection (also followed by `.finally(...)`): true.
 * `.then(f)` at the end of the chain: 'then'. Anything else: false.
 */
function rejectionHandled(e: ts.Expression): boolean | 'then' {
  let call = e;
  for (;;) {
    if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return false;
    const method = call.expression.name.text;
    if (method === 'finally') {
      call = skipOuterExpressions(call.expression.expression);
      continue;
    }
    if (method === 'catch') return isHandler(call.arguments[0]);
    if (method === 'then') return isHandler(call.arguments[1]) ? true : 'then';
    return false;
  }
}

/** A handler that can be a function: not `undefined`, `null`, `void 0` or a literal. */
function isHandler(arg: ts.Expression | undefined): boolean {
  if (!arg) return false;
  const a = skipOuterExpressions(arg);
  if (a.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(a) && a.text === 'undefined') || ts.isVoidExpression(a))
    return false;
  return !(ts.isLiteralExpression(a) || a.kind === ts.SyntaxKind.TrueKeyword || a.kind === ts.SyntaxKind.FalseKeyword);
}

/** No reference to the variable other than plain `p = ...` writes, in the function (or file) that holds it. */
function isNeverRead(context: TsRuleContext, decl: ts.VariableDeclaration & { name: ts.Identifier }): boolean {
  const sf = context.sourceFile;
  const fn = enclosingFunction(decl);
  const scope: ts.Node = fn?.body ?? sf;
  const name = decl.name.text;
  const text = sf.text;
  const declStart = decl.name.getStart(sf);
  let symbol: TSymbol | undefined;
  for (let at = text.indexOf(name, scope.pos); at >= 0 && at < scope.end; at = text.indexOf(name, at + name.length)) {
    if (
      at === declStart ||
      isIdentifierChar(text.charCodeAt(at - 1)) ||
      isIdentifierChar(text.charCodeAt(at + name.length))
    )
      continue;
    const id = identifierStartingAt(scope, at, sf);
    if (!id || id.text !== name) continue; // in a comment or a string
    symbol ??= context.types.getSymbolAtLocation(decl.name);
    if (!symbol) return false;
    const p = id.parent;
    let refers: TSymbol | undefined;
    if (ts.isShorthandPropertyAssignment(p) && p.name === id)
      refers = context.types.getShorthandAssignmentValueSymbol(p);
    else if (ts.isExportSpecifier(p)) refers = context.types.getExportSpecifierLocalTargetSymbol(p);
    else refers = context.types.getSymbolAtLocation(id);
    if (refers === undefined) return false; // cannot tell: count it as a read
    if (refers !== symbol) continue; // another binding of the same name, a property name
    const plainWrite = ts.isBinaryExpression(p) && p.left === id && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    if (!plainWrite) return false;
  }
  return true;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127;
}

/** From the statement's start to the end of its first line: the anchor, one line long. */
function firstLine(sf: ts.SourceFile, statement: ts.Node): { start: number; end: number } {
  const start = statement.getStart(sf);
  let end = start;
  while (end < statement.end && sf.text[end] !== '\n' && sf.text[end] !== '\r') end++;
  while (end > start && (sf.text[end - 1] === ' ' || sf.text[end - 1] === '\t')) end--;
  return { start, end };
}

// ---- the fixes ----------------------------------------------------------------------------------

function statementFixes(context: TsRuleContext, statement: ts.ExpressionStatement, leaves: Leaf[]): Fix[] {
  const fixes: Fix[] = [];
  const expr = statement.expression;
  if (isInAsyncFunction(statement) && leaves.every((l) => l.isResult)) {
    if (leaves.every((l) => l.kind !== 'array')) {
      fixes.push({ title: "Add 'await'", edits: prefix(context.sourceFile, expr, 'await '), safe: false });
    } else if (leaves.length === 1 && globalPromise(context, statement)) {
      fixes.push({
        title: "Add 'await Promise.all(…)'",
        edits: wrapCall(context.sourceFile, expr, 'await Promise.all'),
        safe: false,
      });
    }
  }
  fixes.push({
    title: "Add 'void' to drop the promise on purpose",
    edits: prefix(context.sourceFile, expr, 'void '),
    safe: false,
    individualOnly: true,
  });
  return fixes;
}

function declarationFixes(
  context: TsRuleContext,
  statement: ts.VariableStatement,
  decl: ts.VariableDeclaration,
  kind: LeafKind,
): Fix[] {
  const sf = context.sourceFile;
  const init = decl.initializer!;
  const fixes: Fix[] = [];
  if (isInAsyncFunction(statement)) {
    if (kind !== 'array') fixes.push({ title: "Add 'await'", edits: prefix(sf, init, 'await '), safe: false });
    else if (globalPromise(context, statement))
      fixes.push({ title: "Add 'await Promise.all(…)'", edits: wrapCall(sf, init, 'await Promise.all'), safe: false });
  }
  if (statement.declarationList.declarations.length === 1) {
    // The name is never read, so the declaration can go: `void save();`.
    const inner = !canBeUnaryOperand(init) ? `(${init.getText(sf)})` : init.getText(sf);
    const semi = endsWithSemicolon(sf, statement) ? ';' : '';
    fixes.push({
      title: "Replace with 'void …' to drop the promise on purpose",
      edits: [{ start: statement.getStart(sf), end: statement.end, newText: `void ${inner}${semi}` }],
      safe: false,
      individualOnly: true,
    });
  }
  return fixes;
}

/** Inserts a unary keyword before `expr`, with parentheses where precedence needs them. */
function prefix(sf: ts.SourceFile, expr: ts.Expression, keyword: string): TextEdit[] {
  const start = expr.getStart(sf);
  if (canBeUnaryOperand(expr)) return [{ start, end: start, newText: keyword }];
  return [
    { start, end: start, newText: `${keyword}(` },
    { start: expr.end, end: expr.end, newText: ')' },
  ];
}

/** `Promise.all(expr)`: a comma expression needs its own parentheses to stay one argument. */
function wrapCall(sf: ts.SourceFile, expr: ts.Expression, callee: string): TextEdit[] {
  const start = expr.getStart(sf);
  const comma = ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.CommaToken;
  return [
    { start, end: start, newText: `${callee}(${comma ? '(' : ''}` },
    { start: expr.end, end: expr.end, newText: `${comma ? ')' : ''})` },
  ];
}

/** `Promise` at this point is the global one (not a local class of that name). */
function globalPromise(context: TsRuleContext, at: ts.Node): boolean {
  const symbol = context.types.resolveName('Promise', at, ts.SymbolFlags.Value, false);
  return symbol !== undefined && (symbol.declarations ?? []).every((d) => d.getSourceFile().isDeclarationFile);
}
