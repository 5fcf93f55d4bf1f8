// The shape of a TypeScript/JavaScript rule: `create(context)` returns handlers by SyntaxKind, and
// one iterative walk of the file calls every enabled rule's handlers (one traversal for all rules,
// and no recursion, so deeply nested code cannot overflow the stack).
import ts from 'typescript';
import type { ResolvedConfig } from '../engine/config';
import type { Fix } from '../engine/types';

export interface TsRuleContext {
  readonly sourceFile: ts.SourceFile;
  readonly program: ts.Program;
  /** The type checker, created on first use. Ask it only about candidate nodes. */
  readonly checker: ts.TypeChecker;
  readonly config: ResolvedConfig;
  /** Reports a finding on a node (from its first token) or an explicit offset range. */
  report(at: ts.Node | { start: number; end: number }, message: string, fixes?: Fix[]): void;
}

export type TsHandler = (node: ts.Node) => void;
export type TsVisitor = Partial<Record<ts.SyntaxKind, TsHandler>>;

export interface TsRule {
  /** A rule id from server/src/engine/rules.ts. */
  readonly id: string;
  create(context: TsRuleContext): TsVisitor;
}

/**
 * Visits every node of `root` in source order, without recursion. `enter` returns false to skip
 * a node's children.
 */
export function walk(root: ts.Node, enter: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (enter(node) === false) continue;
    children.length = 0;
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
