// unawaited (TypeScript/JavaScript): a promise (any thenable, by type) that is created and dropped.
// Candidates are expression statements and `const p = <call>` declarations whose name is never
// read; the checker is asked only for the type of their value-producing leaves. Inside a ternary,
// `&&` / `||` / `??`, a comma or an array literal, each operand is a leaf of its own.
// Handled (not flagged): await, return, void, assignment, `.catch(h)`, `.then(f, r)` (also with
// `.finally(...)` after them), a value passed as an argument (the statement's value is then the
// callee's result), `any`/`unknown` values. Anchor: the statement's first line.
//
// Fixes: inside an async function, first `await` (for an array of promises,
// `await Promise.all(...)`), then `void` (marks the drop as intended); elsewhere only `void`.
// `await` is safe (applied by --fix and fix-all): it is what the code around a dropped promise in an
// async function almost always meant. `void` is a suggestion: it keeps behaviour but declares the drop
// deliberate, which only the author can decide; applied in bulk it would silence findings without
// fixing them. `await` is offered only where every dropped promise is the statement's result.
import ts from 'typescript';
import type { Fix, TextEdit } from '../../engine/types';
import type { TsRule, TsRuleContext } from '../rule';
import { isArrayOfThenables, needsToBeAwaited } from '../types';
import { enclosingFunction, hasModifier, isAsyncFunction, skipOuterExpressions } from '../utils';

export const unawaited: TsRule = {
  id: 'unawaited',
  create(context) {
    return {
      [ts.SyntaxKind.ExpressionStatement]: (node) => checkStatement(context, node as ts.ExpressionStatement),
      [ts.SyntaxKind.VariableStatement]: (node) => checkDeclaration(context, node as ts.VariableStatement),
    };
  },
};

// ---- the check ---------------------------------------------------------------------------------

type LeafKind = 'promise' | 'then-without-handler' | 'array';

interface Leaf {
  expr: ts.Expression;
  kind: LeafKind;
  /** The leaf's value is the statement's value (so `await <statement>` awaits it). */
  isResult: boolean;
}

const MESSAGES: Record<LeafKind, string> = {
  promise: 'Promise is dropped: it is not awaited, returned, stored or given a rejection handler.',
  'then-without-handler': "Promise chain ends in '.then()' without a rejection handler: a rejection would go unhandled.",
  array: 'Array of promises is dropped: none of them is awaited or given a rejection handler.',
};

function checkStatement(context: TsRuleContext, statement: ts.ExpressionStatement): void {
  const leaves = droppedLeaves(context.checker, statement.expression);
  if (leaves.length === 0) return;
  const message = leaves.length === 1 ? MESSAGES[leaves[0].kind] : 'Promises in this statement are dropped: they are not awaited, returned, stored or handled.';
  context.report(firstLine(context.sourceFile, statement), message, statementFixes(context, statement, leaves));
}

/** `const p = save()` where `p` is never read: the promise is as good as dropped. */
function checkDeclaration(context: TsRuleContext, statement: ts.VariableStatement): void {
  if (hasModifier(statement, ts.SyntaxKind.ExportKeyword) || hasModifier(statement, ts.SyntaxKind.DeclareKeyword)) return;
  const list = statement.declarationList;
  const binding = list.flags & ts.NodeFlags.BlockScoped;
  if (binding === ts.NodeFlags.Using || binding === ts.NodeFlags.AwaitUsing) return; // disposed at scope end
  for (const decl of list.declarations) {
    if (!ts.isIdentifier(decl.name) || !decl.initializer || !createsValue(skipOuterExpressions(decl.initializer))) continue;
    // Reads first (text search and symbols), types only for a name nobody reads.
    if (!isNeverRead(context, decl as ts.VariableDeclaration & { name: ts.Identifier })) continue;
    const type = context.checker.getTypeAtLocation(decl.initializer);
    let kind: LeafKind | undefined;
    if (needsToBeAwaited(context.checker, decl.initializer, type) === 'always') kind = 'promise';
    else if (isArrayOfThenables(context.checker, decl.initializer, type)) kind = 'array';
    if (!kind) continue;
    const what = kind === 'array' ? 'Array of promises' : 'Promise';
    context.report(
      firstLine(context.sourceFile, statement),
      `${what} stored in '${decl.name.text}' is never used: it is not awaited, returned or given a rejection handler.`,
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
function droppedLeaves(checker: ts.TypeChecker, root: ts.Expression): Leaf[] {
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
      if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.CommaToken) {
        stack.push({ expr: e.right, isResult }, { expr: e.left, isResult: false });
      }
      continue; // assignments store the value; other operators do not give a promise back
    }
    if (!createsValue(e)) continue;
    const handled = rejectionHandled(e);
    if (handled === true) continue;
    const type = checker.getTypeAtLocation(e);
    if (needsToBeAwaited(checker, e, type) === 'always') out.push({ expr: e, kind: handled === 'then' ? 'then-without-handler' : 'promise', isResult });
    else if (isArrayOfThenables(checker, e, type)) out.push({ expr: e, kind: 'array', isResult });
  }
  return out;
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
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
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

function isHandler(arg: ts.Expression | undefined): boolean {
  if (!arg) return false;
  const a = skipOuterExpressions(arg);
  return a.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(a) && a.text === 'undefined');
}

/** No reference to the variable other than plain `p = ...` writes, in the function (or file) that holds it. */
function isNeverRead(context: TsRuleContext, decl: ts.VariableDeclaration & { name: ts.Identifier }): boolean {
  const sf = context.sourceFile;
  const fn = enclosingFunction(decl);
  const scope: ts.Node = fn?.body ?? sf;
  const name = decl.name.text;
  const text = sf.text;
  const declStart = decl.name.getStart(sf);
  let symbol: ts.Symbol | undefined;
  for (let at = text.indexOf(name, scope.pos); at >= 0 && at < scope.end; at = text.indexOf(name, at + name.length)) {
    if (at === declStart || isIdentifierChar(text.charCodeAt(at - 1)) || isIdentifierChar(text.charCodeAt(at + name.length))) continue;
    const id = identifierAt(scope, at, sf);
    if (!id || id.text !== name) continue; // in a comment or a string
    symbol ??= context.checker.getSymbolAtLocation(decl.name);
    if (!symbol) return false;
    const p = id.parent;
    let refers: ts.Symbol | undefined;
    if (ts.isShorthandPropertyAssignment(p) && p.name === id) refers = context.checker.getShorthandAssignmentValueSymbol(p);
    else if (ts.isExportSpecifier(p)) refers = context.checker.getExportSpecifierLocalTargetSymbol(p);
    else refers = context.checker.getSymbolAtLocation(id);
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

/** The identifier that starts exactly at `pos`, found by descending through the nodes that hold it. */
function identifierAt(root: ts.Node, pos: number, sf: ts.SourceFile): ts.Identifier | undefined {
  let node: ts.Node = root;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos <= pos && pos < c.end) {
        next = c;
        return true;
      }
      return undefined;
    });
    if (!next) return undefined;
    if (ts.isIdentifier(next)) return next.getStart(sf) === pos ? next : undefined;
    node = next;
  }
}

/** From the statement's start to the end of its first line: the anchor, one line long. */
function firstLine(sf: ts.SourceFile, statement: ts.Statement): { start: number; end: number } {
  const start = statement.getStart(sf);
  let end = start;
  while (end < statement.end && sf.text[end] !== '\n' && sf.text[end] !== '\r') end++;
  while (end > start && (sf.text[end - 1] === ' ' || sf.text[end - 1] === '\t')) end--;
  return { start, end };
}

// ---- the fixes ---------------------------------------------------------------------------------

function inAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && isAsyncFunction(fn);
}

function statementFixes(context: TsRuleContext, statement: ts.ExpressionStatement, leaves: Leaf[]): Fix[] {
  const fixes: Fix[] = [];
  const expr = statement.expression;
  if (inAsyncFunction(statement) && leaves.every((l) => l.isResult)) {
    if (leaves.every((l) => l.kind !== 'array')) {
      fixes.push({ title: "Add 'await'", edits: prefix(context.sourceFile, expr, 'await '), safe: false });
    } else if (leaves.length === 1 && globalPromise(context, statement)) {
      fixes.push({ title: "Add 'await Promise.all(…)'", edits: wrapCall(context.sourceFile, expr, 'await Promise.all'), safe: false });
    }
  }
  fixes.push({ title: "Add 'void' to drop the promise on purpose", edits: prefix(context.sourceFile, expr, 'void '), safe: false, individualOnly: true });
  return fixes;
}

function declarationFixes(context: TsRuleContext, statement: ts.VariableStatement, decl: ts.VariableDeclaration, kind: LeafKind): Fix[] {
  const sf = context.sourceFile;
  const init = decl.initializer!;
  const fixes: Fix[] = [];
  if (inAsyncFunction(statement)) {
    if (kind !== 'array') fixes.push({ title: "Add 'await'", edits: prefix(sf, init, 'await '), safe: false });
    else if (globalPromise(context, statement)) fixes.push({ title: "Add 'await Promise.all(…)'", edits: wrapCall(sf, init, 'await Promise.all'), safe: false });
  }
  if (statement.declarationList.declarations.length === 1) {
    // The name is never read, so the declaration can go: `void save();`.
    const inner = needsParentheses(init) ? `(${init.getText(sf)})` : init.getText(sf);
    const semi = sf.text.slice(statement.getStart(sf), statement.end).trimEnd().endsWith(';') ? ';' : '';
    fixes.push({ title: "Replace with 'void …' to drop the promise on purpose", edits: [{ start: statement.getStart(sf), end: statement.end, newText: `void ${inner}${semi}` }], safe: false, individualOnly: true });
  }
  return fixes;
}

/** Inserts a unary keyword before `expr`, with parentheses where precedence needs them. */
function prefix(sf: ts.SourceFile, expr: ts.Expression, keyword: string): TextEdit[] {
  const start = expr.getStart(sf);
  if (!needsParentheses(expr)) return [{ start, end: start, newText: keyword }];
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

/** Expressions that bind looser than a unary operator: `void a ? b : c` would mean `(void a) ? b : c`. */
function needsParentheses(expr: ts.Expression): boolean {
  return (
    ts.isBinaryExpression(expr) ||
    ts.isConditionalExpression(expr) ||
    ts.isArrowFunction(expr) ||
    ts.isYieldExpression(expr) ||
    ts.isAsExpression(expr) ||
    ts.isSatisfiesExpression(expr)
  );
}

/** `Promise` at this point is the global one (not a local class of that name). */
function globalPromise(context: TsRuleContext, at: ts.Node): boolean {
  const symbol = context.checker.resolveName('Promise', at, ts.SymbolFlags.Value, false);
  return symbol !== undefined && (symbol.declarations ?? []).every((d) => d.getSourceFile().isDeclarationFile);
}
