// Small syntactic helpers shared by the TypeScript rules.
import ts from 'typescript';
import type { OwnFile, Types } from './typebackend';

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/**
 * While one file is analysed: for a node, the answer enclosingFunction gives for its children.
 * Rules ask about many nodes of one deep chain (`f() + f() + ...`, `a.b().c()...`); remembering
 * the answer along the way keeps that linear instead of quadratic in the depth. It lives only for
 * one analysis: TypeScript's incremental parser reuses nodes under new parents in the next one.
 */
let enclosingMemo: Map<ts.Node, FunctionLike | null> | undefined;

/** Runs one file's analysis with enclosingFunction remembered (the backend wraps its walk in it). */
export function withEnclosingFunctionMemo<T>(run: () => T): T {
  const outer = enclosingMemo;
  enclosingMemo = new Map();
  try {
    return run();
  } finally {
    enclosingMemo = outer;
  }
}

/** The innermost function whose body holds `node` (class static blocks and field initialisers stop the search). */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  const answer = askAncestors<FunctionLike | null>(
    node,
    enclosingMemo,
    (n) =>
      isFunctionLike(n)
        ? n
        : ts.isClassStaticBlockDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isSourceFile(n)
          ? null
          : undefined,
    null,
  );
  return answer ?? undefined;
}

/**
 * A question about `node` that its nearest deciding ancestor answers: `decide(n)` is the answer at
 * ancestor `n`, or undefined to look further up; `atRoot` if none decides. `memo` (one per
 * question and analysis) keeps for every ancestor passed the answer its children get, so asking
 * about each node of a chain thousands deep stays linear in the depth instead of quadratic.
 */
export function askAncestors<T>(
  node: ts.Node,
  memo: Map<ts.Node, T> | undefined,
  decide: (n: ts.Node) => T | undefined,
  atRoot: T,
): T {
  const passed: ts.Node[] = [];
  let answer = atRoot;
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    const known = memo?.get(n);
    if (known !== undefined) {
      answer = known;
      break;
    }
    passed.push(n);
    const decided = decide(n);
    if (decided !== undefined) {
      answer = decided;
      break;
    }
  }
  if (memo) for (const n of passed) memo.set(n, answer);
  return answer;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

export function isAsyncFunction(fn: ts.Node): fn is FunctionLike {
  return isFunctionLike(fn) && hasModifier(fn, ts.SyntaxKind.AsyncKeyword);
}

/** True when the innermost enclosing function is async. */
export function isInAsyncFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  return fn !== undefined && isAsyncFunction(fn);
}

/** The `async` keyword of a function, if it has one. */
export function asyncKeyword(fn: ts.Node): ts.Node | undefined {
  if (!ts.canHaveModifiers(fn)) return undefined;
  return (ts.getModifiers(fn) ?? []).find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Parentheses, `as`, `satisfies`, `!` and `<T>` assertions: wrappers that keep the value of the expression inside. */
export function isOuterExpression(
  node: ts.Node,
): node is
  | ts.ParenthesizedExpression
  | ts.AsExpression
  | ts.SatisfiesExpression
  | ts.NonNullExpression
  | ts.TypeAssertion {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isTypeAssertionExpression(node)
  );
}

/** Strips parentheses, `as`, `satisfies`, `!` and type assertions. */
export function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let n = node;
  while (isOuterExpression(n)) n = n.expression;
  return n;
}

/** Strips parentheses only (type assertions kept: they decide the type). */
export function skipParentheses(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
}

/** The outermost expression `node` is the value of, through parentheses, `as`, `satisfies`, `!`. */
export function outermostExpression(node: ts.Expression): ts.Expression {
  let n = node;
  while (isOuterExpression(n.parent)) n = n.parent;
  return n;
}

/**
 * Visits `root` and the nodes under it that run as part of it: nested functions and classes are
 * not entered (`root` itself may be one). Iterative. `visit` returns false to skip a node's children.
 */
export function forEachEvaluatedNode(root: ts.Node, visit: (node: ts.Node) => boolean | undefined): void {
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== root && (isFunctionLike(n) || ts.isClassLike(n))) continue;
    if (visit(n) === false) continue;
    const kids: ts.Node[] = [];
    ts.forEachChild(n, (c) => {
      kids.push(c);
    });
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/**
 * TypeScript's parser keeps its state in module variables and clears some of it only when a parse
 * finishes. After a parse that ran out of stack, the JSDoc diagnostics of the abandoned file stay
 * behind, and every later parse of any file fails an assertion ("Debug Failure. Expected a.cjs ===
 * b.cjs"): the parser is poisoned for the life of the process. Parsing an isolated entity name
 * runs the parser's full reset. Call this with whatever a TypeScript call threw.
 */
export function recoverFromParserOverflow(e: unknown): void {
  if (e instanceof RangeError && /call stack size/i.test(e.message))
    ts.parseIsolatedEntityName('x', ts.ScriptTarget.Latest);
}

/** Per source file (immutable, so shared by the programs that hold it): identifier text -> its identifiers. */
const fileIdentifierIndexes = new WeakMap<ts.SourceFile, Map<string, ts.Identifier[]>>();
/** Per program (Types.programKey): the answers of identifiersNamed so far, and the program's own source files. */
const identifierQueries = new WeakMap<
  object,
  { files: readonly OwnFile[]; named: Map<string, readonly ts.Identifier[]> }
>();

function fileIdentifierIndex(sf: ts.SourceFile): Map<string, ts.Identifier[]> {
  let index = fileIdentifierIndexes.get(sf);
  if (index) return index;
  index = new Map();
  const stack: ts.Node[] = [sf];
  const push = (c: ts.Node): void => {
    stack.push(c);
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isIdentifier(node)) {
      let list = index.get(node.text);
      if (!list) index.set(node.text, (list = []));
      list.push(node);
      continue;
    }
    ts.forEachChild(node, push);
  }
  fileIdentifierIndexes.set(sf, index);
  return index;
}

/**
 * The identifier that starts exactly at `at` below `root` (a file, or a narrower node holding the
 * offset), found by descending through the nodes forEachChild reaches, if any.
 */
export function identifierStartingAt(root: ts.Node, at: number, sf: ts.SourceFile): ts.Identifier | undefined {
  let node: ts.Node = root;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos <= at && at < c.end) {
        next = c;
        return true;
      }
      return undefined;
    });
    if (!next) return undefined;
    node = next;
    if (ts.isIdentifier(node)) return node.getStart(sf) === at ? node : undefined;
  }
}

/**
 * The identifiers spelled `name` in the program's own source files (declaration files and
 * external libraries left out), so that a rule can find a candidate's references by asking the
 * checker only about identifiers of the same spelling. Found from where the files' texts spell
 * the name, answered once per name.
 */
export function identifiersNamed(types: Types, name: string): readonly ts.Identifier[] {
  // A missing name in broken code (`export async function () {}`) is empty: no spelling to find,
  // and searching the text for '' would never advance.
  if (name.length === 0) return [];
  let queries = identifierQueries.get(types.programKey);
  if (!queries) {
    queries = { files: types.ownFiles(), named: new Map() };
    identifierQueries.set(types.programKey, queries);
  }
  const known = queries.named.get(name);
  if (known) return known;
  const found: ts.Identifier[] = [];
  for (const file of queries.files) {
    const text = file.text;
    if (text.includes('\\u')) {
      // An identifier may be spelled with a unicode escape: index the whole file.
      const ids = fileIdentifierIndex(file.sourceFile()).get(name);
      if (ids) for (const id of ids) found.push(id);
      continue;
    }
    // Else each identifier so named is where the text spells it: descend to each spelling.
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) {
      const sf = file.sourceFile();
      const id = identifierStartingAt(sf, at, sf);
      if (id && id.text === name) found.push(id);
    }
  }
  queries.named.set(name, found);
  return found;
}
