// The shape of a TypeScript/JavaScript rule: `create(context)` returns handlers by SyntaxKind, and
// one iterative walk of the file calls every enabled rule's handlers (one traversal for all rules,
// and no recursion, so deeply nested code cannot overflow the stack).
import ts from 'typescript';
import type { ResolvedConfig } from '../engine/config';
import type { Fix } from '../engine/types';
import type { Types } from './typebackend';

export interface TsRuleContext {
  readonly sourceFile: ts.SourceFile;
  /**
   * The type questions (the checker's interface, typebackend.ts), answered by TypeScript 6 or 7.
   * Ask only about candidate nodes. A memo of answers may be kept per `types` object (one per
   * program with TypeScript 6, one per run of the rule with TypeScript 7, whose answers while
   * gathering questions are provisional), never longer.
   */
  readonly types: Types;
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
 * Every node of `root` in source order (pre-order), without recursion; undefined if a node lies
 * more than `maxDepth` levels below `root`. A list first and the rules after: no rule has asked the
 * checker anything about a file found too deep.
 */
export function nodesInOrder(root: ts.Node, maxDepth: number): ts.Node[] | undefined {
  const out: ts.Node[] = [];
  const stack: ts.Node[] = [root];
  const depths: number[] = [0];
  const children: ts.Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return undefined;
    out.push(node);
    children.length = 0;
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) {
      stack.push(children[i]);
      depths.push(depth + 1);
    }
  }
  return out;
}
