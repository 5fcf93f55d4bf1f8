// The Python language backend: parses with tree-sitter (incrementally for open documents), copies
// the tree out of WebAssembly memory into a SyntaxTree (syntax.ts), walks that once, and dispatches
// nodes to the enabled rules' handlers. Name resolution and the workspace's module index are built
// only when a rule asks. Rules never call into WebAssembly.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Edit, Parser, Point, Tree } from 'web-tree-sitter';
import type { Analysis, AnalysisRequest, LanguageBackend, NotebookCells, RuleReport } from '../engine/linter';
import { AnalysisStopped, isWasmRuntimeError, RuleDispatch, type Visitor } from '../engine/dispatch';
import type { LineSafety } from '../engine/directive-edit';
import { changedSpan } from '../engine/text';
import type { Comment, Fix, SyntaxProblem } from '../engine/types';
import { PyCacheSupport } from './cache';
import { catalogFor, type Catalog } from './catalog';
import { nodeIndexFileSystem, PythonWorkspace, type IndexFileSystem } from './module-index';
import { NameResolver } from './names';
import { MAX_INDENT_LEVELS, MAX_INDENT_WIDTHS, tooDeep } from './indentation';
import { createPythonParser, discardPythonRuntime, loadPython, pythonRuntime, type PythonRuntime } from './parser';
import { walkTree, type PyRule, type PyRuleContext } from './rule';
import { isPythonFile, PYTHON } from './language';
import { pythonLineSafety } from './line-safety';
import { PY_RULES } from './rules';
import type { SyntaxNode, SyntaxTree } from './syntax';
import { grammarOf, readTree } from './wasm';
import { ParsePool } from './parse-pool';

// What a grammar symbol is to the walk of run().
const PLAIN = 0;
const HANDLED = 1;
const COMMENT = 2;
const ERROR = 3;

/** Open documents whose last tree is kept for incremental re-parsing (trees live in wasm memory). */
const MAX_KEPT_TREES = 32;
/**
 * Texts longer than this are parsed afresh each time and their trees not kept: a tree can take a
 * few hundred bytes of the parser's 2 GB per character of deeply nested text, so at most one tree
 * of a text that large lives at a time.
 */
const MAX_KEPT_TEXT = 1024 * 1024;
/**
 * Trees parsed for the module summary of a file the run has still to analyse are kept for that
 * analysis (each module is parsed once per run), up to this many trees and characters of text;
 * past either, the oldest is dropped (and that file parsed again when its turn comes).
 */
const MAX_PENDING_TREES = 1024;
const MAX_PENDING_TEXT = 4 * 1024 * 1024;

interface KeptTree {
  text: string;
  tree: Tree;
}

interface PendingTree {
  text: string;
  syntax: SyntaxTree;
}

export interface PythonBackendOptions {
  rules?: readonly PyRule[];
  /** The file system the module index reads (tests give a virtual one). */
  fs?: IndexFileSystem;
}

export class PythonBackend implements LanguageBackend {
  readonly language = PYTHON.language;
  readonly extensions = PYTHON.extensions;
  readonly languageIds = PYTHON.languageIds;
  readonly lineComment = PYTHON.lineComment;
  // tree-sitter's error recovery weighs the whole file (see LanguageBackend.nonLocalErrorRecovery).
  readonly nonLocalErrorRecovery = true;
  readonly ruleIds: readonly string[];
  private readonly rules: ReadonlyMap<string, PyRule>;
  readonly workspace: PythonWorkspace;
  /** Last tree per open document, most recently used last. */
  private readonly kept = new Map<string, KeptTree>();
  /** Files announced by prepare() and not analysed since. */
  private readonly awaiting = new Set<string>();
  /** Trees the module index parsed for files in `awaiting`, oldest first (see MAX_PENDING_TREES). */
  private readonly pending = new Map<string, PendingTree>();
  private pendingText = 0;
  /** Parses done, full and incremental, for tests and statistics. */
  readonly parseCount = { full: 0, incremental: 0 };
  /** The CLI's --cache: records what each analysis asked of the workspace. */
  readonly cache: PyCacheSupport;
  /** unused-async counts the uses of a name in every prepared file (names.ts usagesOf). */
  readonly wholeRun = true;
  /** Worker threads parsing a CLI run's files ahead of their analysis (see prepare()). */
  private pool: ParsePool | undefined;

  constructor(options: PythonBackendOptions | readonly PyRule[] = {}) {
    const opts: PythonBackendOptions = Array.isArray(options)
      ? { rules: options as readonly PyRule[] }
      : (options as PythonBackendOptions);
    const rules = opts.rules ?? PY_RULES;
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.ruleIds = rules.map((r) => r.id);
    this.workspace = new PythonWorkspace(
      opts.fs ?? nodeIndexFileSystem,
      (text, file) => this.parseForIndex(text, file),
      (file, text, syntax) => this.adopt(file, text, syntax),
    );
    this.cache = new PyCacheSupport(this.workspace);
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
      this.dropPending();
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
    this.dropPending();
    this.parser = undefined;
    const message = (e as Error).message;
    return new AnalysisStopped(
      message.startsWith('Aborted(')
        ? {
            reason: 'out-of-memory',
            message:
              'skipped: the Python parser ran out of memory on this file (tree-sitter has 2 GB); it was restarted for the next file',
          }
        : {
            reason: 'internal-error',
            message: `internal error: the Python parser crashed (${message}); it was restarted for the next file`,
          },
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

  /** The SyntaxTree of a tree-sitter tree (which the caller still owns). */
  private read(tree: Tree, text: string): SyntaxTree {
    try {
      return readTree(tree, text);
    } catch (e) {
      throw this.crashed(e);
    }
  }

  /** A module's tree for the index; a module nested too deeply to parse is simply unknown. */
  private parseForIndex(text: string, file: string): SyntaxTree | undefined {
    try {
      return this.pool?.take(file, text) ?? this.parseSyntax(text);
    } catch (e) {
      if (e instanceof AnalysisStopped && e.skip.reason === 'too-deep') return undefined;
      throw e;
    }
  }

  /** Parses a text into a SyntaxTree; nothing is left in WebAssembly memory. */
  private parseSyntax(text: string): SyntaxTree {
    const tree = this.parse(text);
    try {
      return this.read(tree, text);
    } finally {
      if (this.parser) tree.delete();
    }
  }

  prepare(files: readonly string[], texts?: readonly string[]): void {
    const mine: { path: string; text?: string }[] = [];
    files.forEach((f, i) => {
      if (isPythonFile(f)) mine.push({ path: path.resolve(f), text: texts?.[i] });
    });
    this.workspace.prepare(mine.map((f) => f.path));
    for (const f of mine) this.awaiting.add(f.path);
    // A run that gives the texts is parsed ahead in worker threads, when that pays (they may start
    // before this thread's own parser is loaded).
    if (texts) this.parseAhead(mine as { path: string; text: string }[]);
  }

  parseAhead(files: readonly { path: string; text: string }[]): void {
    const mine = files.filter((f) => isPythonFile(f.path)).map((f) => ({ path: path.resolve(f.path), text: f.text }));
    if (!this.pool) this.pool = ParsePool.start(mine, () => grammarOf(this.runtime().language));
  }

  knowWorkspaceFiles(files: readonly string[]): void {
    this.workspace.knowWorkspaceFiles(files.filter(isPythonFile));
  }

  fileChanged(file: string): void {
    const abs = path.resolve(file);
    this.awaiting.delete(abs);
    this.takePending(abs);
    this.workspace.fileChanged(file);
  }

  /** Keeps a tree the module index parsed, if its file is still to be analysed in this run. */
  private adopt(file: string, text: string, syntax: SyntaxTree): void {
    if (!this.awaiting.has(file) || text.length > MAX_KEPT_TEXT) return;
    this.takePending(file);
    this.pending.set(file, { text, syntax });
    this.pendingText += text.length;
    while (this.pending.size > MAX_PENDING_TREES || this.pendingText > MAX_PENDING_TEXT) {
      this.takePending(this.pending.keys().next().value as string);
    }
  }

  private takePending(file: string): PendingTree | undefined {
    const entry = this.pending.get(file);
    if (!entry) return undefined;
    this.pending.delete(file);
    this.pendingText -= entry.text.length;
    return entry;
  }

  private dropPending(): void {
    this.pending.clear();
    this.pendingText = 0;
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
   * server gives a version (that tree is kept); on the CLI (no version) the tree the module index
   * parsed for the same text, if a file analysed earlier imported this one, else parsed afresh.
   */
  private syntaxFor(file: string, text: string, version: number | undefined): SyntaxTree {
    this.runtime();
    this.awaiting.delete(file);
    const pending = this.takePending(file);
    if (version === undefined || text.length > MAX_KEPT_TEXT) {
      this.forgetTree(file);
      // The tree the module index parsed for this text, when another file imported it first.
      if (pending && pending.text === text && version === undefined) return pending.syntax;
      return (version === undefined ? this.pool?.take(file, text) : undefined) ?? this.parseSyntax(text);
    }
    const last = this.kept.get(file);
    let tree: Tree;
    if (last && last.text === text) {
      tree = last.tree;
    } else if (last) {
      // Error recovery from an old tree can end elsewhere than a fresh parse of the same text (the
      // fuzzer found 1 syntax error against 2): a text that does not parse is parsed afresh, so it
      // gets the same result whatever was typed before it. While a document stays broken, that is
      // the only parse; an incremental one is tried from a tree without errors.
      const incremental = !last.tree.rootNode.hasError;
      if (incremental) last.tree.edit(editBetween(last.text, text));
      tree = incremental ? this.parse(text, last.tree) : this.parse(text);
      last.tree.delete();
      if (incremental && tree.rootNode.hasError) {
        tree.delete();
        tree = this.parse(text);
      }
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
    return this.read(tree, text);
  }

  analyze(request: AnalysisRequest): Analysis {
    const { timings, text } = request;
    const file = path.resolve(request.path);
    this.cache.startFile(file);
    const p0 = performance.now();
    let syntax: SyntaxTree;
    try {
      syntax = this.syntaxFor(file, text, request.version);
    } catch (e) {
      throw this.crashed(e);
    }
    if (request.version !== undefined) this.workspace.setDocument(file, text);
    if (timings) timings.parse = (timings.parse ?? 0) + (performance.now() - p0);
    return this.run(request, file, syntax);
  }

  private run(request: AnalysisRequest, file: string, tree: SyntaxTree): Analysis {
    const { timings, text } = request;
    const workspace = this.workspace;
    const shared = new FileAnalysis(request, file, tree, workspace, this.cache);
    const reports = shared.reports;
    const rules = new RuleDispatch<string, SyntaxNode>({ timings, timeBudgetMs: request.timeBudgetMs });
    for (const id of request.rules) {
      const rule = this.rules.get(id);
      if (!rule) continue;
      const context = new RuleContext(shared, id);
      rules.add(
        id,
        () => rule.create(context) as Visitor<SyntaxNode>,
        (type) => type,
      );
    }

    const comments: Comment[] = [];
    const syntaxErrors: SyntaxProblem[] = [];
    // One walk, in node order. A node object is made only for nodes a rule handles.
    const { count, after, start, end, missing, symbol } = tree.arrays;
    const checkMissing = tree.hasError;
    const types = tree.grammar.types;
    // What each grammar symbol is to the walk, decided once per file rather than per node.
    const roles = new Uint8Array(types.length);
    for (let s = 0; s < types.length; s++) {
      const type = types[s] || 'ERROR';
      roles[s] = type === 'comment' ? COMMENT : type === 'ERROR' ? ERROR : rules.handles(type) ? HANDLED : PLAIN;
    }
    // With a time budget every node goes through the dispatch, which looks at the clock.
    const visitAll = request.timeBudgetMs !== undefined;
    let at = 0;
    const current = () => tree.node(at)!;
    for (let i = 0; i < count; ) {
      const s = symbol[i];
      const role = s < roles.length ? roles[s] : ERROR;
      if (role === COMMENT) {
        comments.push({ start: start[i], end: end[i], text: text.slice(start[i], end[i]) });
        i = after[i];
      } else if (role === ERROR) {
        i = after[i];
      } else {
        if (checkMissing && missing[i] === 1)
          syntaxErrors.push({ start: start[i], end: end[i], message: `missing ${types[s]}` });
        if (role === HANDLED || visitAll) {
          at = i;
          rules.visit(types[s], current);
        }
        i++;
      }
    }
    // ERROR nodes are not entered by the walk; collect them (and comments inside them) here.
    if (tree.hasError) collectErrors(tree, syntaxErrors, comments);
    rules.finish();
    // No rule needed names here; a file of the run may still be imported by one analysed later,
    // whose summary would otherwise cost a second parse.
    if (!shared.hasNames && workspace.isPrepared(file)) {
      const s0 = performance.now();
      workspace.indexFor(file).store(file, text, tree);
      if (timings) timings.names = (timings.names ?? 0) + (performance.now() - s0);
    }
    return { reports, comments, syntaxErrors, ruleFailures: rules.failures };
  }

  statsNotes(): string[] {
    const pool = this.pool;
    if (!pool) return [];
    const { fromWorkers, toCaller } = pool.counts;
    return [
      `python: ${fromWorkers} of ${fromWorkers + toCaller} files parsed in ${pool.workerCount} worker thread${pool.workerCount === 1 ? '' : 's'}`,
    ];
  }

  lineSafety(_path: string, text: string): LineSafety {
    return pythonLineSafety(text);
  }

  syntaxErrors(_path: string, text: string): SyntaxProblem[] {
    const tree = this.parseSyntax(text);
    const errors: SyntaxProblem[] = [];
    collectErrors(tree, errors, []);
    walkTree(tree.rootNode, (n) => {
      if (n.isMissing) errors.push({ start: n.startIndex, end: n.endIndex, message: `missing ${n.type}` });
    });
    return errors;
  }
}

/** What the rules of one file share: catalog and names, built on first use, and the reports. */
class FileAnalysis {
  readonly reports: RuleReport[] = [];
  private catalog: Catalog | undefined;
  private names: NameResolver | undefined;

  constructor(
    readonly request: AnalysisRequest,
    readonly file: string,
    readonly tree: SyntaxTree,
    private readonly workspace: PythonWorkspace,
    private readonly cache: PyCacheSupport,
  ) {}

  get hasNames(): boolean {
    return this.names !== undefined;
  }

  getCatalog(): Catalog {
    return (this.catalog ??= catalogFor(this.request.config));
  }

  getNames(): NameResolver {
    if (!this.names) {
      const { timings, text } = this.request;
      const n0 = performance.now();
      const workspace = this.workspace;
      workspace.indexFor(this.file).store(this.file, text, this.tree);
      const { moduleName, packageName } = workspace.locate(this.file);
      const lookup = this.cache.observed(this.file, { moduleName, packageName }, workspace.lookupFrom(this.file));
      this.names = new NameResolver(
        this.tree,
        this.getCatalog(),
        { moduleName, packageName },
        lookup,
        this.request.notebook !== undefined,
      );
      if (timings) timings.names = (timings.names ?? 0) + (performance.now() - n0);
    }
    return this.names;
  }
}

/** One rule's view of a file (a class: the rules' accesses stay monomorphic across files). */
class RuleContext implements PyRuleContext {
  constructor(
    private readonly shared: FileAnalysis,
    private readonly ruleId: string,
  ) {}

  get path(): string {
    return this.shared.request.path;
  }

  get text(): string {
    return this.shared.request.text;
  }

  get tree(): SyntaxTree {
    return this.shared.tree;
  }

  get config(): AnalysisRequest['config'] {
    return this.shared.request.config;
  }

  get catalog(): Catalog {
    return this.shared.getCatalog();
  }

  get notebook(): NotebookCells | undefined {
    return this.shared.request.notebook;
  }

  get names(): NameResolver {
    return this.shared.getNames();
  }

  report(at: SyntaxNode | { start: number; end: number }, message: string, fixes?: Fix[]): void {
    const start = 'startIndex' in at ? at.startIndex : at.start;
    const end = 'endIndex' in at ? at.endIndex : at.end;
    this.shared.reports.push({ ruleId: this.ruleId, start, end, message, fixes });
  }
}

/** ERROR nodes (the outermost ones), and the comments inside them. */
function collectErrors(tree: SyntaxTree, errors: SyntaxProblem[], comments: Comment[]): void {
  const { count, after } = tree.arrays;
  for (let i = 0; i < count; ) {
    if (tree.typeOf(i) !== 'ERROR') {
      i++;
      continue;
    }
    const node = tree.node(i)!;
    errors.push({ start: node.startIndex, end: node.endIndex, message: 'syntax error' });
    for (const c of node.descendantsOfType('comment'))
      comments.push({ start: c.startIndex, end: c.endIndex, text: c.text });
    i = after[i];
  }
}

/** The single edit that turns `before` into `after`: common prefix and suffix kept. */
export function editBetween(before: string, after: string): Edit {
  const { start, oldEnd, newEnd } = changedSpan(before, after);
  // tree.edit() reads these fields only; web-tree-sitter's Edit class would tie the edit to one
  // copy of the runtime (see parser.ts).
  const edit: Pick<
    Edit,
    'startIndex' | 'oldEndIndex' | 'newEndIndex' | 'startPosition' | 'oldEndPosition' | 'newEndPosition'
  > = {
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
