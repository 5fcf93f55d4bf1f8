// The Python language backend: parses with tree-sitter, walks the tree once, and dispatches
// nodes to the enabled rules' handlers.
import { performance } from 'node:perf_hooks';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { Analysis, AnalysisRequest, LanguageBackend, RuleReport } from '../engine/linter';
import type { Comment, Fix, RuleFailure, SyntaxProblem } from '../engine/types';
import { createPythonParser, loadPython } from './parser';
import { walkTree, type PyHandler, type PyRule, type PyRuleContext } from './rule';
import { PY_RULES } from './rules';

export class PythonBackend implements LanguageBackend {
  readonly language = 'python' as const;
  readonly extensions = ['.py', '.pyi'] as const;
  readonly ruleIds: readonly string[];
  private readonly rules: ReadonlyMap<string, PyRule>;

  constructor(rules: readonly PyRule[] = PY_RULES) {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.ruleIds = rules.map((r) => r.id);
  }

  async ready(): Promise<void> {
    await loadPython();
  }

  private parser: Parser | undefined;

  private parse(text: string): Tree {
    this.parser ??= createPythonParser();
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }

  analyze(request: AnalysisRequest): Analysis {
    const { timings, text } = request;
    const p0 = performance.now();
    const tree = this.parse(text);
    if (timings) timings.parse = (timings.parse ?? 0) + (performance.now() - p0);
    try {
      return this.run(request, tree);
    } finally {
      tree.delete();
    }
  }

  private run(request: AnalysisRequest, tree: Tree): Analysis {
    const { timings, text } = request;
    const reports: RuleReport[] = [];
    const ruleFailures: RuleFailure[] = [];
    const failed = new Set<string>();
    const fail = (ruleId: string, e: unknown) => {
      if (failed.has(ruleId)) return;
      failed.add(ruleId);
      ruleFailures.push({ ruleId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    };

    const handlers = new Map<string, { ruleId: string; fn: PyHandler }[]>();
    for (const id of request.rules) {
      const rule = this.rules.get(id);
      if (!rule) continue;
      const context: PyRuleContext = {
        path: request.path,
        text,
        tree,
        config: request.config,
        report(at, message, fixes?: Fix[]) {
          const start = 'startIndex' in at ? at.startIndex : at.start;
          const end = 'endIndex' in at ? at.endIndex : at.end;
          reports.push({ ruleId: id, start, end, message, fixes });
        },
      };
      try {
        for (const [type, fn] of Object.entries(rule.create(context))) {
          if (!fn) continue;
          const list = handlers.get(type) ?? [];
          list.push({ ruleId: id, fn });
          handlers.set(type, list);
        }
      } catch (e) {
        fail(id, e);
      }
    }

    const comments: Comment[] = [];
    const syntaxErrors: SyntaxProblem[] = [];
    const ruleTime = timings ? new Map<string, number>() : undefined;
    const w0 = performance.now();
    walkTree(tree.rootNode, (node: Node) => {
      if (node.type === 'comment') {
        comments.push({ start: node.startIndex, end: node.endIndex, text: node.text });
        return false;
      }
      if (node.isMissing) syntaxErrors.push({ start: node.startIndex, end: node.endIndex, message: `missing ${node.type}` });
      const list = handlers.get(node.type);
      if (!list) return;
      for (const h of list) {
        if (failed.has(h.ruleId)) continue;
        const h0 = ruleTime ? performance.now() : 0;
        try {
          h.fn(node);
        } catch (e) {
          fail(h.ruleId, e);
        }
        if (ruleTime) ruleTime.set(h.ruleId, (ruleTime.get(h.ruleId) ?? 0) + performance.now() - h0);
      }
    });
    // ERROR nodes are not entered by the walk; collect them (and comments inside them) here.
    if (tree.rootNode.hasError) collectErrors(tree.rootNode, syntaxErrors, comments);
    if (timings && ruleTime) {
      let inRules = 0;
      for (const [id, ms] of ruleTime) {
        timings[`rule:${id}`] = (timings[`rule:${id}`] ?? 0) + ms;
        inRules += ms;
      }
      timings.walk = (timings.walk ?? 0) + Math.max(0, performance.now() - w0 - inRules);
    }
    return { reports, comments, syntaxErrors, ruleFailures };
  }

  syntaxErrors(_path: string, text: string): SyntaxProblem[] {
    const tree = this.parse(text);
    try {
      const errors: SyntaxProblem[] = [];
      collectErrors(tree.rootNode, errors, []);
      walkTree(tree.rootNode, (n) => {
        if (n.isMissing) errors.push({ start: n.startIndex, end: n.endIndex, message: `missing ${n.type}` });
      });
      return errors;
    } finally {
      tree.delete();
    }
  }
}

/** ERROR nodes anywhere in the tree (iteratively), and the comments inside them. */
function collectErrors(root: Node, errors: SyntaxProblem[], comments: Comment[]): void {
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.type === 'ERROR') {
        errors.push({ start: node.startIndex, end: node.endIndex, message: 'syntax error' });
        for (const c of node.descendantsOfType('comment')) {
          if (c) comments.push({ start: c.startIndex, end: c.endIndex, text: c.text });
        }
      }
      if (node.type !== 'ERROR' && node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}
