// Small type questions the rules ask about candidate nodes, over the type backend's `Types` (the
// checker's interface; see typebackend.ts), as ts-api-utils answers them over a checker. The
// answer to "must this value be awaited?" has three values, as in typescript-eslint's
// needsToBeAwaited: Always (a thenable, or a union with a thenable part such as
// `Promise<T> | undefined`), Never, and May (`any`, `unknown`, an unconstrained type parameter: we
// cannot tell, so rules stay quiet).
import ts from 'typescript';
import type { TSymbol, TType, Types } from './typebackend';

export type Awaitable = 'always' | 'never' | 'may';

/** A union's members, or the type itself (ts-api-utils' unionConstituents). */
export function unionParts(type: TType): readonly TType[] {
  return type.isUnion() ? type.types : [type];
}

export function hasTypeFlag(type: TType, flags: ts.TypeFlags): boolean {
  return (type.flags & flags) !== 0;
}

/**
 * Some part of the (apparent) type has a `then` method whose first parameter is callable
 * (ts-api-utils' isThenableType; the type of `then` is its declared type).
 */
export function isThenableType(types: Types, type: TType): boolean {
  for (const part of unionParts(types.getApparentType(type))) {
    const then = part.getProperty('then');
    if (then === undefined) continue;
    for (const sub of unionParts(types.getTypeOfSymbol(then))) {
      for (const signature of sub.getCallSignatures()) {
        if (signature.parameters.length !== 0 && isCallback(types, signature.parameters[0])) return true;
      }
    }
  }
  return false;
}

function isCallback(types: Types, param: TSymbol): boolean {
  let type: TType | undefined = types.getApparentType(types.getTypeOfSymbol(param));
  const declaration = param.valueDeclaration;
  if (declaration && ts.isParameter(declaration) && declaration.dotDotDotToken) {
    type = type.getNumberIndexType();
    if (type === undefined) return false;
  }
  return unionParts(type).some((sub) => sub.getCallSignatures().length !== 0);
}

/** Always when some part of the type is a thenable (an object with a callable `then(onfulfilled, ...)`). */
export function needsToBeAwaited(types: Types, node: ts.Node, type: TType = types.getTypeAtLocation(node)): Awaitable {
  let t = type;
  if (hasTypeFlag(t, ts.TypeFlags.TypeParameter)) {
    const constraint = types.getBaseConstraintOfType(t);
    if (!constraint || hasTypeFlag(constraint, ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return 'may';
    t = constraint;
  }
  if (hasTypeFlag(t, ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'may';
  return isThenableType(types, t) ? 'always' : 'never';
}

export function isThenable(types: Types, node: ts.Node, type?: TType): boolean {
  return needsToBeAwaited(types, node, type) === 'always';
}

/** An array or tuple (or a union with one) some of whose elements must be awaited: `Promise<void>[]`. */
export function isArrayOfThenables(types: Types, node: ts.Node, type: TType = types.getTypeAtLocation(node)): boolean {
  for (const part of unionParts(type)) {
    if (!types.isArrayType(part) && !types.isTupleType(part)) continue;
    for (const element of types.getTypeArguments(part)) {
      if (needsToBeAwaited(types, node, element) === 'always') return true;
    }
  }
  return false;
}

/**
 * True when no part of the type can be a number or is unknown to us: a path, URL or Buffer, not
 * a file descriptor. `any` answers false (we cannot stand behind it).
 */
export function cannotBeNumber(types: Types, node: ts.Node, type: TType = types.getTypeAtLocation(node)): boolean {
  const unsure =
    ts.TypeFlags.NumberLike | ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter | ts.TypeFlags.Never;
  return unionParts(type).every((part) => !hasTypeFlag(part, unsure));
}

/**
 * Every part of the type is a thenable: `Promise<T>`, not `Promise<T> | undefined` (a test of the
 * latter asks whether there is a promise, which is fine). As typescript-eslint's
 * no-misused-promises decides a promise used as a condition.
 */
export function isAlwaysThenable(types: Types, node: ts.Node, type: TType = types.getTypeAtLocation(node)): boolean {
  let t = type;
  if (hasTypeFlag(t, ts.TypeFlags.TypeParameter)) {
    const constraint = types.getBaseConstraintOfType(t);
    if (!constraint) return false;
    t = constraint;
  }
  if (hasTypeFlag(t, ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
  const parts = unionParts(t);
  return parts.length > 0 && parts.every((part) => isThenableType(types, part));
}
