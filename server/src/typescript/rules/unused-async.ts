// unused-async: an async function, method or arrow whose own body never awaits.
// Anchor: the `async` keyword. No fix: removing `async` changes the return type and turns a
// thrown error into a synchronous throw, so it is left to the author.
import ts from 'typescript';
import type { TsRule } from '../rule';
import { asyncKeyword, forEachOwnNode, type FunctionLike } from '../utils';

function usesAsync(body: ts.Node): boolean {
  let found = false;
  forEachOwnNode(body, (node) => {
    if (found) return false;
    if (ts.isAwaitExpression(node)) found = true;
    else if (ts.isForOfStatement(node) && node.awaitModifier) found = true;
    else if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing) found = true;
    return !found;
  });
  return found;
}

/** A body that only throws is a stub (the TS/JS form of `raise NotImplementedError`). */
function isStub(body: ts.Node): boolean {
  return ts.isBlock(body) && body.statements.length === 1 && ts.isThrowStatement(body.statements[0]);
}

function describe(fn: FunctionLike): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return `Async function '${fn.name.text}'`;
  if (ts.isMethodDeclaration(fn) && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return `Async method '${fn.name.text}'`;
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    const parent = fn.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return `Async function '${parent.name.text}'`;
    return 'Async arrow function';
  }
  return 'Async function';
}

export const unusedAsync: TsRule = {
  id: 'unused-async',
  create(context) {
    const check = (node: ts.Node) => {
      const fn = node as FunctionLike;
      const keyword = asyncKeyword(fn);
      if (!keyword || !fn.body) return;
      if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.asteriskToken) return;
      if (isStub(fn.body) || usesAsync(fn.body)) return;
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
