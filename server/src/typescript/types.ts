// Small type questions the rules ask about candidate nodes, built on ts-api-utils. The answer to
// "must this value be awaited?" has three values, as in typescript-eslint's needsToBeAwaited:
// Always (a thenable, or a union with a thenable part such as `Promise<T> | undefined`), Never,
// and May (`any`, `unknown`, an unconstrained type parameter: we cannot tell, so rules stay quiet).
import { isThenableType, isTypeFlagSet, unionConstituents } from 'ts-api-utils';
import ts from 'typescript';

export type Awaitable = 'always' | 'never' | 'may';

/** Always when some part of the type is a thenable (an object with a callable `then(onfulfilled, ...)`). */
export function needsToBeAwaited(checker: ts.TypeChecker, node: ts.Node, type: ts.Type = checker.getTypeAtLocation(node)): Awaitable {
  let t = type;
  if (isTypeFlagSet(t, ts.TypeFlags.TypeParameter)) {
    const constraint = checker.getBaseConstraintOfType(t);
    if (!constraint || isTypeFlagSet(constraint, ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return 'may';
    t = constraint;
  }
  if (isTypeFlagSet(t, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'may';
  return isThenableType(checker, node, t) ? 'always' : 'never';
}

export function isThenable(checker: ts.TypeChecker, node: ts.Node, type?: ts.Type): boolean {
  return needsToBeAwaited(checker, node, type) === 'always';
}

/** An array or tuple (or a union with one) some of whose elements must be awaited: `Promise<void>[]`. */
export function isArrayOfThenables(checker: ts.TypeChecker, node: ts.Node, type: ts.Type = checker.getTypeAtLocation(node)): boolean {
  for (const part of unionConstituents(type)) {
    if (!checker.isArrayType(part) && !checker.isTupleType(part)) continue;
    for (const element of checker.getTypeArguments(part as ts.TypeReference)) {
      if (needsToBeAwaited(checker, node, element) === 'always') return true;
    }
  }
  return false;
}

/**
 * True when no part of the type can be a number or is unknown to us: a path, URL or Buffer, not
 * a file descriptor. `any` answers false (we cannot stand behind it).
 */
export function cannotBeNumber(checker: ts.TypeChecker, node: ts.Node, type: ts.Type = checker.getTypeAtLocation(node)): boolean {
  const unsure = ts.TypeFlags.NumberLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never;
  return unionConstituents(type).every((part) => !isTypeFlagSet(part, unsure));
}

/**
 * Every part of the type is a thenable: `Promise<T>`, not `Promise<T> | undefined` (a test of the
 * latter asks whether there is a promise, which is fine). As typescript-eslint's
 * no-misused-promises decides a promise used as a condition.
 */
export function isAlwaysThenable(checker: ts.TypeChecker, node: ts.Node, type: ts.Type = checker.getTypeAtLocation(node)): boolean {
  let t = type;
  if (isTypeFlagSet(t, ts.TypeFlags.TypeParameter)) {
    const constraint = checker.getBaseConstraintOfType(t);
    if (!constraint) return false;
    t = constraint;
  }
  if (isTypeFlagSet(t, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
  const parts = unionConstituents(t);
  return parts.length > 0 && parts.every((part) => isThenableType(checker, node, part));
}
