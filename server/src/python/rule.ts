// The shape of a Python rule: `create(context)` returns handlers by tree-sitter node type, and one
// iterative walk of the tree calls every enabled rule's handlers. Nothing inside an ERROR node is
// visited, so nothing is reported from code that did not parse.
import type { SyntaxNode as Node, SyntaxTree } from './syntax';
import type { ResolvedConfig } from '../engine/config';
import type { NotebookCells } from '../engine/linter';
import type { Fix } from '../engine/types';
import type { Catalog } from './catalog';
import type { NameResolver } from './names';

export interface PyRuleContext {
  readonly path: string;
  readonly text: string;
  readonly tree: SyntaxTree;
  readonly config: ResolvedConfig;
  /** Known APIs (blocking calls, coroutines, kinds), merged with the configuration. */
  readonly catalog: Catalog;
  /**
   * Scopes, imports, qualified names, kinds and the workspace's module index, built on first use
   * and shared by every rule of the file. See names.ts.
   */
  readonly names: NameResolver;
  /**
   * Set when the text is a Jupyter notebook's code cells joined (engine AnalysisRequest.notebook):
   * where each cell begins. Top-level code then runs in IPython's event loop.
   */
  readonly notebook?: NotebookCells;
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
 * Visits every node under `root` (itself included) in source order, without recursion. ERROR
 * nodes and their contents are skipped. `enter` returns false to skip a node's children.
 */
export function walkTree(root: Node, enter: (node: Node) => boolean | undefined): void {
  const tree = root.tree;
  const after = tree.arrays.after;
  for (let i = root.id; i < after[root.id]; ) {
    const node = tree.node(i)!;
    const descend = node.type !== 'ERROR' && enter(node) !== false;
    i = descend ? i + 1 : after[i];
  }
}
