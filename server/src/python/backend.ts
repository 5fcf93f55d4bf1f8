// The Python language backend: parses with tree-sitter (incrementally for open documents), walks
// the tree once, and dispatches nodes to the enabled rules' handlers. Name resolution and the
// workspace's module index are built only when a rule asks.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Edit, Node, Parser, Point, Tree } from 'web-tree-sitter';
import type { Analysis, AnalysisRequest, LanguageBackend, RuleReport } from '../engine/linter';
import { AnalysisStopped, isWasmRuntimeError, RuleDispatch, type Visitor } from '../engine/dispatch';
import type { Comment, Fix, SyntaxProblem } from '../engine/types';
import { catalogFor, type Catalog } from './catalog';
import { nodeIndexFileSystem, PythonWorkspace, type IndexFileSystem } from './module-index';
import { NameResolver } from './names';
import { MAX_INDENT_LEVELS, MAX_INDENT_WIDTHS, nestsDeeperThan, tooDeep } from './indentation';
import { createPythonParser, discardPythonRuntime, loadPython, pythonRuntime, type PythonRuntime } from './parser';
import { walkTree, type PyRule, type PyRuleContext } from './rule';
import { PY_RULES } from './rules';

/** Open documents whose last tree is kept for incremental re-parsing (trees live in wasm memory). */
const MAX_KEPT_TREES = 32;
/**
 * Texts longer than this are parsed afresh each time and their trees not kept: a tree can take a
 * few hundred bytes of the parser's 2 GB per character of deeply nested text, so at most one tree
 * of a text that large lives at a time.
 */
const MAX_KEPT_TEXT = 1024 * 1024;

interface KeptTree {
  text: string;
  tree: Tree;
}

export interface PythonBackendOptions {
  rules?: readonly PyRule[];
  /** The file system the module index reads (tests give a virtual one). */
  fs?: IndexFileSystem;
}

export class PythonBackend implements LanguageBackend {
  readonly language = 'python' as const;
  readonly extensions = ['.py', '.pyi'] as const;
  readonly ruleIds: readonly string[];
  private readonly rules: ReadonlyMap<string, PyRule>;
  readonly workspace: PythonWorkspace;
  /** Last tree per open document, most recently used last. */
  private readonly kept = new Map<string, KeptTree>();
  /** Parses done, full and incremental, for tests and statistics. */
  readonly parseCount = { full: 0, incremental: 0 };

  constructor(options: PythonBackendOptions | readonly PyRule[] = {}) {
    const opts: PythonBackendOptions = Array.isArray(options) ? { rules: options as readonly PyRule[] } : (options as PythonBackendOptions);
    const rules = opts.rules ?? PY_RULES;
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.ruleIds = rules.map((r) => r.id);
    this.workspace = new PythonWorkspace(opts.fs ?? nodeIndexFileSystem, (text) => (nestsDeeperThan(text, MAX_INDENT_LEVELS) ? undefined : this.parse(text)));
  }

  /** Loads the parser; after the parser's WebAssembly instance crashed, loads a new one. */
  async ready(): Promise<void> {
    await loadPython();
  }

  private parser: Parser | undefined;
  /** The runtime generation the parser and the kept trees belong to. */
  private generation = 0;

  /** The current runtime; when it is a new one, what belonged to the old (dead) one is forgotten. */
  private runtime(): PythonRuntime {
    const rt = pythonRuntime();
    if (!rt) throw new Error('the Python parser is not loaded (ready() was not awaited after a parser crash)');
    if (rt.generation !== this.generation) {
      // Trees of a dead instance are dropped, not deleted: nothing may run in it any more.
      this.kept.clear();
      this.parser = createPythonParser();
      this.generation = rt.generation;
    }
    return rt;
  }

  /**
   * What an error from tree-sitter means. A WebAssembly error leaves the instance unusable: it is
   * discarded (ready() loads a new one) and the file is skipped. An abort is tree-sitter's answer
   * to a failed allocation: the file needs more than the instance's 2 GB of memory.
   */
  private crashed(e: unknown): unknown {
    if (!isWasmRuntimeError(e)) return e;
    discardPythonRuntime(this.generation);
    this.kept.clear();
    this.parser = undefined;
    const message = (e as Error).message;
    return new AnalysisStopped(
      message.startsWith('Aborted(')
        ? { reason: 'out-of-memory', message: 'skipped: the Python parser ran out of memory on this file (tree-sitter has 2 GB); it was restarted for the next file' }
        : { reason: 'internal-error', message: `internal error: the Python parser crashed (${message}); it was restarted for the next file` },
    );
  }

  private parse(text: string, old?: Tree): Tree {
    const deep = tooDeep(text, MAX_INDENT_LEVELS);
    if (deep) {
      throw new AnalysisStopped({
        reason: 'too-deep',
        message:
          deep.kind === 'python-limit'
            ? `skipped: blocks nested more than ${MAX_INDENT_LEVELS} levels deep, which Python itself refuses ("too many levels of indentation")`
            : `skipped: lines indented to more than ${MAX_INDENT_WIDTHS} different depths, more than the parser can take safely`,
      });
    }
    this.runtime();
    let tree: Tree | null;
    try {
      tree = this.parser!.parse(text, old);
    } catch (e) {
      throw this.crashed(e);
    }
    if (!tree) throw new Error('tree-sitter returned no tree');
    if (old) this.parseCount.incremental++;
    else this.parseCount.full++;
    return tree;
  }

  prepare(files: readonly string[]): void {
    this.workspace.prepare(files.filter((f) => this.extensions.includes(path.extname(f).toLowerCase() as '.py')));
  }

  fileChanged(file: string): void {
    this.workspace.fileChanged(file);
  }

  closeDocument(file: string): void {
    const abs = path.resolve(file);
    this.forgetTree(abs);
    this.workspace.closeDocument(abs);
  }

  private forgetTree(file: string): void {
    const kept = this.kept.get(file);
    if (!kept) return;
    this.kept.delete(file);
    if (pythonRuntime()?.generation === this.generation) kept.tree.delete();
  }

  /**
   * The tree of a document version: re-parsed incrementally from the document's last tree when the
   * server gives a version, parsed afresh (and not kept) on the CLI.
   */
  private treeFor(file: string, text: string, version: number | undefined): { tree: Tree; keep: boolean } {
    this.runtime();
    if (version === undefined || text.length > MAX_KEPT_TEXT) {
      this.forgetTree(file);
      return { tree: this.parse(text), keep: false };
    }
    const last = this.kept.get(file);
    let tree: Tree;
    if (last && last.text === text) {
      tree = last.tree;
    } else if (last) {
      last.tree.edit(editBetween(last.text, text));
      tree = this.parse(text, last.tree);
      last.tree.delete();
    } else {
      tree = this.parse(text);
    }
    this.kept.delete(file);
    this.kept.set(file, { text, tree });
    if (this.kept.size > MAX_KEPT_TREES) {
      const [oldest, entry] = this.kept.entries().next().value as [string, KeptTree];
      entry.tree.delete();
      this.kept.delete(oldest);
    }
    return { tree, keep: true };
  }

  analyze(request: AnalysisRequest): Analysis {
    const { timings, text } = request;
    const file = path.resolve(request.path);
    const p0 = performance.now();
    let tree: Tree;
    let keep: boolean;
    try {
      ({ tree, keep } = this.treeFor(file, text, request.version));
    } catch (e) {
      throw this.crashed(e);
    }
    if (request.version !== undefined) this.workspace.setDocument(file, text);
    if (timings) timings.parse = (timings.parse ?? 0) + (performance.now() - p0);
    const generation = this.generation;
    try {
      return this.run(request, file, tree);
    } catch (e) {
      throw this.crashed(e);
    } finally {
      if (!keep && this.generation === generation && pythonRuntime()?.generation === generation) tree.delete();
    }
  }

  private run(request: AnalysisRequest, file: string, tree: Tree): Analysis {
    const { timings, text } = request;
    const workspace = this.workspace;
    // Shared by every rule of this file, built on first use.
    let catalog: Catalog | undefined;
    let names: NameResolver | undefined;
    const getCatalog = () => (catalog ??= catalogFor(request.config));
    const getNames = () => {
      if (!names) {
        const n0 = performance.now();
        const index = workspace.indexFor(file);
        index.store(file, text, tree);
        const { moduleName, packageName } = workspace.locate(file);
        names = new NameResolver(tree, getCatalog(), { moduleName, packageName }, workspace.lookupFrom(file));
        if (timings) timings.names = (timings.names ?? 0) + (performance.now() - n0);
      }
      return names;
    };
    const reports: RuleReport[] = [];
    const rules = new RuleDispatch<string, Node>({ timings, timeBudgetMs: request.timeBudgetMs });
    for (const id of request.rules) {
      const rule = this.rules.get(id);
      if (!rule) continue;
      const context: PyRuleContext = {
        path: request.path,
        text,
        tree,
        config: request.config,
        get catalog() {
          return getCatalog();
        },
        get names() {
          return getNames();
        },
        report(at, message, fixes?: Fix[]) {
          const start = 'startIndex' in at ? at.startIndex : at.start;
          const end = 'endIndex' in at ? at.endIndex : at.end;
          reports.push({ ruleId: id, start, end, message, fixes });
        },
      };
      rules.add(id, () => rule.create(context) as Visitor<Node>, (type) => type);
    }

    const comments: Comment[] = [];
    const syntaxErrors: SyntaxProblem[] = [];
    // One cursor walk. A Node object is made only for nodes a rule handles: reading the type and
    // offsets from the cursor costs a call into wasm, materialising a Node costs several.
    const checkMissing = tree.rootNode.hasError;
    const cursor = tree.rootNode.walk();
    try {
      walk: for (;;) {
        const type = cursor.nodeType;
        let descend = type !== 'ERROR';
        if (type === 'comment') {
          const start = cursor.startIndex;
          const end = cursor.endIndex;
          comments.push({ start, end, text: text.slice(start, end) });
          descend = false;
        } else if (descend) {
          if (checkMissing && cursor.nodeIsMissing) syntaxErrors.push({ start: cursor.startIndex, end: cursor.endIndex, message: `missing ${type}` });
          rules.visit(type, () => cursor.currentNode);
        }
        if (descend && cursor.gotoFirstChild()) continue;
        // Next sibling, or climb until one exists (the cursor cannot climb above the root).
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) break walk;
        }
      }
    } finally {
      cursor.delete();
    }
    // ERROR nodes are not entered by the walk; collect them (and comments inside them) here.
    if (tree.rootNode.hasError) collectErrors(tree.rootNode, syntaxErrors, comments);
    rules.finish();
    return { reports, comments, syntaxErrors, ruleFailures: rules.failures };
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

/** The single edit that turns `before` into `after`: common prefix and suffix kept. */
export function editBetween(before: string, after: string): Edit {
  const min = Math.min(before.length, after.length);
  let start = 0;
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  if (oldEnd < before.length && isLowSurrogate(before.charCodeAt(oldEnd))) {
    oldEnd++;
    newEnd++;
  }
  // tree.edit() reads these fields only; web-tree-sitter's Edit class would tie the edit to one
  // copy of the runtime (see parser.ts).
  const edit: Pick<Edit, 'startIndex' | 'oldEndIndex' | 'newEndIndex' | 'startPosition' | 'oldEndPosition' | 'newEndPosition'> = {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
  return edit as Edit;
}

/** Row and column (UTF-16 units, as web-tree-sitter counts them) of an offset; rows end at \n. */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
