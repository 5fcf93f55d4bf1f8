// unused-async: an async function, method or arrow whose own body never awaits, and whose `async`
// nobody needs: dropping it (and the awaits at its call sites) must be correct.
// Anchor: the `async` keyword. No fix: removing `async` changes the return type and turns a
// thrown error into a synchronous throw, so it is left to the author.
//
// Not flagged (see docs/rules/unused-async.md):
// - a function that returns a promise or thenable (or an untyped call), or whose own body has a `throw`:
//   `async` turns a synchronous throw into a rejection;
// - stubs, async generators, decorated methods, `override` members, members of a class whose
//   base class or implemented interface has the name, object literal members with a contextual
//   type, `[Symbol.asyncIterator]`-style computed names;
// - a member whose name is declared by another member elsewhere (an `await x.load()` may reach
//   either);
// - a named function or member with no reference in the program (public API, an entry point), or
//   with a reference that is not a direct call (`await f()`, `f();`, `void f()`): passed, stored,
//   returned, `.then`-ed, exported in an object;
// - an unnamed function value (a callback, a returned or assigned function) unless its expected
//   type says a plain value would do (`() => void`, `unknown`, `T | Promise<T>`); without an
//   expected type (`any`, plain JS) it is left alone.
import ts from 'typescript';
import type { TsRule } from '../rule';
import {
  asyncKeyword,
  forEachEvaluatedNode,
  hasModifier,
  identifiersNamed,
  outermostExpression,
  skipOuterExpressions,
  type FunctionLike,
} from '../utils';
import { hasTypeFlag as isTypeFlagSet, needsToBeAwaited, unionParts as unionConstituents } from '../types';
import type { TSymbol, TType, Types } from '../typebackend';
import meta from '../../rules-meta/unused-async';

export const unusedAsync: TsRule = {
  id: meta.id,
  create(context) {
    const decide = (fn: FunctionLike): boolean => {
      const types = context.types;
      if (ts.isFunctionDeclaration(fn)) return fn.name !== undefined && onlyDirectCalls(types, fn.name, false);
      if (ts.isMethodDeclaration(fn)) {
        if (ts.getDecorators(fn)?.length) return false;
        const name = memberName(fn.name);
        if (!name) return false; // computed: `[Symbol.asyncIterator]`, `[Symbol.asyncDispose]`, `['x']`
        if (ts.isClassLike(fn.parent)) return !mayOverride(types, fn, name.text) && onlyDirectCalls(types, name, true);
        if (ts.isObjectLiteralExpression(fn.parent)) return objectMember(fn.parent, name);
        return false;
      }
      if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
      const at = outermostExpression(fn);
      const parent = at.parent;
      if (ts.isVariableDeclaration(parent) && parent.initializer === at && ts.isIdentifier(parent.name)) {
        return onlyDirectCalls(types, parent.name, false);
      }
      if (ts.isPropertyDeclaration(parent) && parent.initializer === at && ts.isClassLike(parent.parent)) {
        if (ts.getDecorators(parent)?.length) return false;
        const name = memberName(parent.name);
        if (!name) return false;
        if (parent.type) return expectedTypeAdmitsPlain(types, fn);
        return !mayOverride(types, parent, name.text) && onlyDirectCalls(types, name, true);
      }
      if (ts.isPropertyAssignment(parent) && parent.initializer === at && ts.isObjectLiteralExpression(parent.parent)) {
        const name = memberName(parent.name);
        const expected = types.getContextualType(parent.parent);
        if (expected && !isTypeFlagSet(expected, ts.TypeFlags.Any)) return expectedTypeAdmitsPlain(types, fn);
        return name !== undefined && objectMember(parent.parent, name);
      }
      return expectedTypeAdmitsPlain(types, fn);
    };
    /** An object literal member: one with an expected type implements it; else its references decide. */
    const objectMember = (obj: ts.ObjectLiteralExpression, name: ts.Identifier | ts.PrivateIdentifier): boolean => {
      const expected = context.types.getContextualType(obj);
      if (expected) return false;
      return onlyDirectCalls(context.types, name, true);
    };
    const check = (node: ts.Node) => {
      const fn = node as FunctionLike;
      const keyword = asyncKeyword(fn);
      if (!keyword || !fn.body) return;
      if (
        (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) &&
        fn.asteriskToken
      )
        return;
      if (isStub(fn.body) || usesAsync(fn.body)) return;
      if (needsAsyncWrapper(context.types, fn.body)) return;
      if (!decide(fn)) return;
      context.report(keyword, `${describe(fn)} has no 'await'; 'async' only wraps its result in a promise.`);
    };
    return {
      [ts.SyntaxKind.FunctionDeclaration]: check,
      [ts.SyntaxKind.FunctionExpression]: check,
      [ts.SyntaxKind.ArrowFunction]: check,
      [ts.SyntaxKind.MethodDeclaration]: check,
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

function usesAsync(body: ts.Node): boolean {
  // `async (f) => await check(f)`: the expression body itself is visited too.
  let found = false;
  forEachEvaluatedNode(body, (node) => {
    if (found) return false;
    if (ts.isAwaitExpression(node)) found = true;
    else if (ts.isForOfStatement(node) && node.awaitModifier) found = true;
    else if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing)
      found = true;
    return !found;
  });
  return found;
}

/** A body that only throws is a stub (the TS/JS form of `raise NotImplementedError`). */
function isStub(body: ts.Node): boolean {
  return ts.isBlock(body) && body.statements.length === 1 && ts.isThrowStatement(body.statements[0]);
}

/**
 * Whether `async` does something even without an await: the own body throws (a rejection instead
 * of a synchronous throw), or returns a promise, a thenable or an untyped value (`async` keeps the
 * rejection of a synchronous failure before it, and the result a promise whatever it is).
 */
function needsAsyncWrapper(types: Types, body: ts.ConciseBody): boolean {
  if (!ts.isBlock(body)) return mayBePromise(types, body);
  let needed = false;
  forEachEvaluatedNode(body, (node) => {
    if (needed) return false;
    if (ts.isThrowStatement(node)) needed = true;
    else if (ts.isReturnStatement(node) && node.expression && mayBePromise(types, node.expression)) needed = true;
    return !needed;
  });
  return needed;
}

/**
 * A returned value that is a thenable, or an untyped call (`return other()` with `other` of type
 * `any`, plain JS): a delegation the checker cannot see through. An untyped value that is not a
 * call (`return rows.length`) is not taken for a promise.
 */
function mayBePromise(types: Types, expr: ts.Expression): boolean {
  const answer = needsToBeAwaited(types, expr);
  if (answer !== 'may') return answer === 'always';
  const e = skipOuterExpressions(expr);
  return (
    ts.isCallExpression(e) ||
    ts.isNewExpression(e) ||
    ts.isTaggedTemplateExpression(e) ||
    ts.isConditionalExpression(e) ||
    ts.isBinaryExpression(e)
  );
}

function describe(fn: FunctionLike): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name)
    return `Async function '${fn.name.text}'`;
  if (ts.isMethodDeclaration(fn) && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)))
    return `Async method '${fn.name.text}'`;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return `Async function '${parent.name.text}'`;
    return 'Async arrow function';
  }
  return 'Async function';
}

/** Whether a return type accepts a plain (non-promise) value: `void`, `unknown`, `T | Promise<T>`. */
function admitsPlainValue(types: Types, type: TType, at: ts.Node): boolean {
  if (isTypeFlagSet(type, ts.TypeFlags.Any)) return false;
  if (isTypeFlagSet(type, ts.TypeFlags.Void | ts.TypeFlags.Unknown)) return true;
  const parts = unionConstituents(type);
  if (parts.length < 2) return false;
  return parts.some(
    (t) =>
      !isTypeFlagSet(t, ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Never | ts.TypeFlags.Any) &&
      needsToBeAwaited(types, at, t) === 'never',
  );
}

/** An unnamed function value: flagged only when its expected type says a plain return would do. */
function expectedTypeAdmitsPlain(types: Types, fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  const expected = types.getContextualType(fn);
  if (!expected || isTypeFlagSet(expected, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return false;
  const signatures = unionConstituents(expected).flatMap((t) => t.getCallSignatures());
  if (signatures.length === 0) return false;
  return signatures.every((s) => admitsPlainValue(types, s.getReturnType(), fn));
}

/** A direct call: the callee of a call whose promise is awaited or dropped (`await f()`, `f();`, `void f()`). */
function isDirectCall(callee: ts.Expression): boolean {
  const call = outermostExpression(callee).parent;
  if (!ts.isCallExpression(call) || outermostExpression(call.expression) !== outermostExpression(callee)) return false;
  const user = outermostExpression(call).parent;
  return ts.isAwaitExpression(user) || ts.isExpressionStatement(user) || ts.isVoidExpression(user);
}

/** A name whose declaration is a member of a class, interface, type or object literal. */
function isMemberDeclarationName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    (ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyAssignment(p) ||
      ts.isGetAccessorDeclaration(p) ||
      ts.isSetAccessorDeclaration(p)) &&
    p.name === id
  );
}

/** At most this many same-spelled identifiers are looked at; a more common name is left alone. */
const MAX_SAME_NAMED = 3000;

/**
 * Whether every reference to the declaration named `nameNode` in the program is a direct call,
 * and there is at least one. For a member, every `x.name` counts, whatever `x` is (by spelling,
 * without the checker: `obj.load` passed as a value anywhere is enough to stay quiet), and another
 * member declared with the same name anywhere makes the answer no. The checker is asked only
 * about plain identifiers that are not direct calls, and then until one call is found to reach
 * the declaration.
 */
function onlyDirectCalls(types: Types, nameNode: ts.Identifier | ts.PrivateIdentifier, member: boolean): boolean {
  if (ts.isPrivateIdentifier(nameNode)) {
    // `#name` can only be used inside its class: scan the class.
    const target = types.getSymbolAtLocation(nameNode);
    return target !== undefined && privateOnlyDirectCalls(types, nameNode, target);
  }
  const same = identifiersNamed(types, nameNode.text);
  if (same.length > MAX_SAME_NAMED) return false;
  const calls: ts.Identifier[] = [];
  const others: ts.Identifier[] = [];
  for (const id of same) {
    if (id === nameNode) continue;
    const p = id.parent;
    if (
      ts.isImportSpecifier(p) ||
      ts.isImportClause(p) ||
      ts.isExportSpecifier(p) ||
      ts.isNamespaceImport(p) ||
      ts.isImportEqualsDeclaration(p)
    )
      continue;
    const isProperty = ts.isPropertyAccessExpression(p) && p.name === id;
    if (member) {
      if (isMemberDeclarationName(id) || ts.isBindingElement(p)) return false;
      if (isProperty && !isDirectCall(p)) return false;
    }
    if (isDirectCall(isProperty ? p : id)) calls.push(id);
    else if (!isProperty) others.push(id);
  }
  // No direct call spelled so: the answer is no, without asking the checker about anything.
  if (calls.length === 0) return false;
  const target = types.getSymbolAtLocation(nameNode);
  if (!target) return false;
  const reaches = (id: ts.Identifier): boolean => {
    const p = id.parent;
    let symbol = ts.isShorthandPropertyAssignment(p)
      ? types.getShorthandAssignmentValueSymbol(p)
      : types.getSymbolAtLocation(id);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) {
      try {
        symbol = types.getAliasedSymbol(symbol);
      } catch {
        return true;
      }
    }
    // A member read through a derived or instantiated type is a transient copy of the declared one.
    return symbol !== undefined && types.isSymbolOrCopyOf(symbol, target);
  };
  if (others.some(reaches)) return false;
  return calls.some(reaches);
}

function privateOnlyDirectCalls(types: Types, nameNode: ts.PrivateIdentifier, target: TSymbol): boolean {
  const cls = nameNode.parent.parent;
  let calls = 0;
  let other = false;
  const stack: ts.Node[] = [cls];
  while (stack.length > 0 && !other) {
    const node = stack.pop()!;
    if (
      ts.isPrivateIdentifier(node) &&
      node !== nameNode &&
      node.text === nameNode.text &&
      types.getSymbolAtLocation(node) === target
    ) {
      const p = node.parent;
      if (ts.isPropertyAccessExpression(p) && isDirectCall(p)) calls++;
      else other = true;
    }
    ts.forEachChild(node, (c) => {
      stack.push(c);
    });
  }
  return !other && calls > 0;
}

/** Whether a class member may override or implement one of a base class or interface. */
function mayOverride(types: Types, member: ts.ClassElement, name: string): boolean {
  if (hasModifier(member, ts.SyntaxKind.OverrideKeyword)) return true;
  const cls = member.parent;
  if (!ts.isClassLike(cls) || !cls.heritageClauses) return false;
  for (const clause of cls.heritageClauses) {
    for (const t of clause.types) {
      const type = types.getTypeAtLocation(t);
      if (isTypeFlagSet(type, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
      if (hasModifier(member, ts.SyntaxKind.StaticKeyword)) {
        // The static side of the base: the type of the `extends` expression itself.
        const ctor = types.getTypeAtLocation(t.expression);
        if (isTypeFlagSet(ctor, ts.TypeFlags.Any) || ctor.getProperty(name)) return true;
        continue;
      }
      if (types.getPropertyOfType(type, name)) return true;
      // A base the checker cannot resolve (an error type) has no properties: stay quiet.
      if (type.getProperties().length === 0 && !(type.flags & ts.TypeFlags.Object)) return true;
    }
  }
  return false;
}

function memberName(name: ts.PropertyName): ts.Identifier | ts.PrivateIdentifier | undefined {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name : undefined;
}
