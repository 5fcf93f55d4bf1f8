// Data flow within one function, for the rules that decide whether two awaits depend on each
// other: which variables a binding or an assignment binds, which variables an expression uses,
// which outer variables a loop body writes. Names are compared by symbol (so shadowing and
// same-named properties are told apart); the syntactic name is only a cheap first filter, and the
// checker is asked only about identifiers that pass it. Every walk is an explicit stack.
import ts from 'typescript';
import type { TSymbol, Types } from './typebackend';
import { skipOuterExpressions } from './utils';

/** Variables by symbol, with their names as a cheap pre-filter. */
export class VariableSet {
  private readonly symbols = new Set<TSymbol>();
  private readonly names = new Set<string>();

  constructor(private readonly types: Types) {}

  get size(): number {
    return this.symbols.size;
  }

  /** Adds the variable an identifier binds. False when the checker cannot say which one it is. */
  add(id: ts.Identifier): boolean {
    const symbol = variableSymbol(this.types, id);
    if (!symbol) return false;
    this.symbols.add(symbol);
    this.names.add(id.text);
    return true;
  }

  has(id: ts.Identifier): boolean {
    if (!this.names.has(id.text)) return false;
    const symbol = variableSymbol(this.types, id);
    return symbol !== undefined && this.symbols.has(symbol);
  }

  /**
   * True when `node` mentions one of the variables, nested functions included (a closure that
   * reads a variable depends on it too). An identifier spelled like one of them whose symbol the
   * checker cannot tell counts as a use: when in doubt, assume a dependency.
   */
  usedIn(node: ts.Node): boolean {
    if (this.symbols.size === 0) return false;
    const stack: ts.Node[] = [node];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (ts.isIdentifier(n)) {
        if (this.names.has(n.text) && !isPropertyNamePosition(n)) {
          const symbol = variableSymbol(this.types, n);
          if (symbol === undefined || this.symbols.has(symbol)) return true;
        }
        continue;
      }
      ts.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
    return false;
  }
}

/** The variable symbol an identifier denotes (the value of a `{ x }` shorthand, not the property). */
export function variableSymbol(types: Types, id: ts.Identifier): TSymbol | undefined {
  const parent = id.parent;
  const symbol =
    parent && ts.isShorthandPropertyAssignment(parent) && parent.name === id
      ? types.getShorthandAssignmentValueSymbol(parent)
      : types.getSymbolAtLocation(id);
  return symbol ? types.getExportSymbolOfSymbol(symbol) : undefined;
}

/** An identifier that names a property or a key, not a variable: `o.x`, `{ x: 1 }`, `x() {}`. */
function isPropertyNamePosition(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p)) return p.name === id;
  if (ts.isQualifiedName(p)) return p.right === id;
  if (
    ts.isPropertyAssignment(p) ||
    ts.isMethodDeclaration(p) ||
    ts.isPropertyDeclaration(p) ||
    ts.isGetAccessor(p) ||
    ts.isSetAccessor(p)
  ) {
    return p.name === id;
  }
  if (ts.isBindingElement(p)) return p.propertyName === id;
  if (ts.isJsxAttribute(p)) return p.name === id;
  if (ts.isPropertySignature(p) || ts.isMethodSignature(p)) return p.name === id;
  return false;
}

/**
 * The identifiers a binding name (`x`, `{ a, b: [c] }`) or an assignment target (`x`,
 * `[a, b]`, `({ a, b: c })`) binds, in source order. Property-access targets (`o.x = ...`) bind
 * no variable and are returned in `others`.
 */
export function boundIdentifiers(target: ts.BindingName | ts.Expression): {
  ids: ts.Identifier[];
  others: ts.Expression[];
} {
  const ids: ts.Identifier[] = [];
  const others: ts.Expression[] = [];
  const stack: ts.Node[] = [target];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isIdentifier(n)) {
      ids.push(n);
    } else if (ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) {
      for (let i = n.elements.length - 1; i >= 0; i--) stack.push(n.elements[i]);
    } else if (ts.isBindingElement(n)) {
      stack.push(n.name);
    } else if (ts.isOmittedExpression(n)) {
      // a hole in `[, b]`
    } else if (ts.isParenthesizedExpression(n)) {
      stack.push(n.expression);
    } else if (ts.isArrayLiteralExpression(n)) {
      for (let i = n.elements.length - 1; i >= 0; i--) stack.push(n.elements[i]);
    } else if (ts.isObjectLiteralExpression(n)) {
      for (let i = n.properties.length - 1; i >= 0; i--) stack.push(n.properties[i]);
    } else if (ts.isShorthandPropertyAssignment(n)) {
      ids.push(n.name);
    } else if (ts.isPropertyAssignment(n)) {
      stack.push(n.initializer);
    } else if (ts.isSpreadElement(n) || ts.isSpreadAssignment(n)) {
      stack.push(n.expression);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      stack.push(n.left); // a default value in an assignment pattern: `[a = 1] = ...`
    } else if (ts.isExpression(n)) {
      others.push(n);
    }
  }
  return { ids: ids.sort((a, b) => a.pos - b.pos), others };
}

const ASSIGNMENT_OPERATORS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

export function isAssignment(node: ts.Node): node is ts.BinaryExpression {
  return ts.isBinaryExpression(node) && ASSIGNMENT_OPERATORS.has(node.operatorToken.kind);
}

/** `x++`, `++x`, `x--`, `--x`. */
export function isIncrement(node: ts.Node): node is ts.PrefixUnaryExpression | ts.PostfixUnaryExpression {
  return (
    (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
    (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)
  );
}

/**
 * Methods that change the collection they are called on: a loop body calling `seen.add(x)` writes
 * `seen` as surely as `seen = ...` would. Other method calls are not counted as writes (a call on
 * a client or a database is what the loop is for, not state it carries).
 */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'push',
  'unshift',
  'pop',
  'shift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin', // Array
  'set',
  'add',
  'delete',
  'clear', // Map, Set
]);

/** The variable at the root of `a`, `a.b[c].d`, `(a as T).b`; undefined for `this.x`, `f().x`. */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let e = skipOuterExpressions(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = skipOuterExpressions(e.expression);
  return ts.isIdentifier(e) ? e : undefined;
}

/**
 * The variables `root` writes, as identifiers at the write: assignment targets (and the variable
 * at the root of a property target: `state.x = ...` writes `state`), `++`/`--`, `delete`, and the
 * receiver of a mutating collection method. Nested functions are included: a callback that
 * assigns runs as part of the statement.
 */
export function writtenIdentifiers(root: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const addTarget = (target: ts.Expression) => {
    const { ids, others } = boundIdentifiers(target);
    out.push(...ids);
    for (const o of others) {
      const r = rootIdentifier(o);
      if (r) out.push(r);
    }
  };
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (isAssignment(n)) {
      addTarget(n.left);
    } else if (isIncrement(n)) {
      addTarget(n.operand);
    } else if (ts.isDeleteExpression(n)) {
      addTarget(n.expression);
    } else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      MUTATING_METHODS.has(n.expression.name.text)
    ) {
      const r = rootIdentifier(n.expression.expression);
      if (r) out.push(r);
    }
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return out;
}

/** True when `node` lies inside `container` (by position; both from the same file). */
export function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}
