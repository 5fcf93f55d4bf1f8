// The shape of a Python rule: `create(context)` returns handlers by tree-sitter node type, and one
// iterative walk of the tree calls every enabled rule's handlers. Nothing inside an ERROR node is
// visited, so nothing is reported from code that did not parse.
import type { Node, Tree } from 'web-tree-sitter';
import type { ResolvedConfig } from '../engine/config';
import type { Fix } from '../engine/types';
import type { Catalog } from './catalog';
import type { NameResolver } from './names';

export interface PyRuleContext {
  readonly path: string;
  readonly text: string;
  readonly tree: Tree;
  readonly config: ResolvedConfig;
  /** Known APIs (blocking calls, coroutines, kinds), merged with the configuration. */
  readonly catalog: Catalog;
  /**
   * Scopes, imports, qualified names, kinds and the workspace's module index, built on first use
   * and shared by every rule of the file. See names.ts.
   */
  readonly names: NameResolver;
  /** Reports a finding on a node or an explicit offset range (UTF-16 offsets, like node.startIndex). */
  report(at: Node | { start: number; end: number }, message: string, fixes?: Fix[]): void;
}

export type PyHandler = (node: Node) => void;
/** Handlers by node type, e.g. `call`, `function_definition`, `expression_statement`. */
export type PyVisitor = Record<string, PyHandler | undefined>;

export interface PyRule {
  /** A rule id from server/src/engine/rules.ts. */
  readonly id: string;
  create(context: PyRuleContext): PyVisitor;
}

/**
 * Visits every node under `root` in source order with a tree cursor (no recursion). ERROR nodes
 * and their contents are skipped. `enter` returns false to skip a node's children.
 */
export function walkTree(root: Node, enter: (node: Node) => boolean | void): void {
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      const descend = node.type !== 'ERROR' && enter(node) !== false;
      if (descend && cursor.gotoFirstChild()) continue;
      // Next sibling, or climb until one exists.
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentNode.id === root.id) return;
      }
    }
  } finally {
    cursor.delete();
  }
}
