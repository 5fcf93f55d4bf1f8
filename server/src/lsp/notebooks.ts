// Jupyter notebooks over LSP 3.17 notebook document sync (`notebookDocument/didOpen|didChange|
// didSave|didClose`). A notebook's Python code cells are analysed as one document (their texts
// joined in order, python/notebook.ts), with top-level `await` allowed, and the findings are
// published per cell URI, positions relative to the cell. Markdown cells and cells in other
// languages are left out. Quick fixes work inside cells: a diagnostic of a cell is found again in
// the joined text, codeActions.ts builds the actions there, and each edit is mapped back to the
// cell it falls in (a fix may edit several cells: an import added to the first; "Disable <rule>
// for this file" goes to the top of the first cell and covers the notebook); an action that
// cannot be mapped is not offered.
//
// Diagnostics of cells are pushed (textDocument/publishDiagnostics), also to clients that pull the
// diagnostics of text documents: what a cell shows depends on every cell before it, which a pull
// per cell cannot follow, and Ruff's and ty's servers do the same. A pull for a cell's URI is
// answered with nothing (server.ts), so a client that pulls as well never shows a finding twice.
import path from 'node:path';
import {
  CodeActionKind,
  NotebookCellKind,
  NotebookDocuments,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type NotebookDocument,
  type NotebookDocumentSyncOptions,
  type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../engine/text';
import type { LintResult } from '../engine/types';
import { NotebookText } from '../python/notebook';
import { SOURCE, type StatusParams } from '../protocol';
import type { Analysis } from './analysis';
import { quickFixes, wants } from './codeActions';
import { toDiagnostic } from './convert';
import type { SettingsCache } from './settings';
import { uriToPath, type Workspace } from './workspace';

/** The notebook type VS Code gives `.ipynb` files, and the cells of it we analyse. */
export const NOTEBOOK_TYPE = 'jupyter-notebook';
const CELL_LANGUAGE = 'python';

/** Quiet time after the last edit before a notebook is analysed again (at most; see debounce). */
const DEBOUNCE_MS = 200;
/** After an edit to another Python document (the notebook may import it). */
const DEPENDENCY_DELAY_MS = 4 * DEBOUNCE_MS;

/** What the server gives this module. */
export interface NotebookHost {
  readonly connection: Connection;
  readonly analysis: Analysis;
  readonly workspace: Workspace;
  /** The current settings cache (replaced once the client's capabilities are known). */
  settings(): SettingsCache;
  /** The backends, loaded (server.ts ensureReady). */
  ready(): Promise<void>;
  /** Bumped when settings, configuration or files on disk change: every analysis is stale then. */
  generation(): number;
  status(params: StatusParams): void;
}

/** The last analysis of an open notebook. */
interface NotebookState {
  /**
   * What was analysed: the notebook's version and each cell's. VS Code leaves the notebook's
   * version as it is when only a cell's text changes, so the cells' versions must be part of it.
   */
  stamp: string;
  /** Counts this notebook's analyses: the version the engine and the diagnostics' data carry. */
  version: number;
  /** The server's generation when analysed. */
  generation: number;
  /** The path the engine analysed it under. */
  file: string;
  joined: NotebookText;
  /** The URIs of the analysed cells, in the order of `joined.cells`. */
  cellUris: string[];
  result: LintResult | undefined;
  elapsedMs: number;
}

export class Notebooks {
  readonly documents = new NotebookDocuments(TextDocument);
  /** Open notebooks: URI -> the path the engine analyses it under. */
  private readonly open = new Map<string, string>();
  private readonly states = new Map<string, NotebookState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Cell URIs with diagnostics published, per notebook: cleared when they go. */
  private readonly published = new Map<string, Set<string>>();
  /** The analysis last published per notebook: an unchanged one is not sent again. */
  private readonly publishedState = new Map<string, NotebookState>();
  /** Notebooks saved since their last analysis (run: onSave). */
  private readonly saved = new Set<string>();

  constructor(private readonly host: NotebookHost) {}

  /** The server's `notebookDocumentSync` capability, for a client that syncs notebooks. */
  static capability(params: InitializeParams): NotebookDocumentSyncOptions | undefined {
    if (!params.capabilities.notebookDocument?.synchronization) return undefined;
    return { notebookSelector: [{ notebook: { notebookType: NOTEBOOK_TYPE }, cells: [{ language: CELL_LANGUAGE }] }] };
  }

  listen(connection: Connection): void {
    const docs = this.documents;
    docs.onDidOpen((nb) => {
      this.open.set(nb.uri, this.enginePath(nb));
      this.schedule(nb.uri, 0);
    });
    docs.onDidChange((e) => {
      const uri = e.notebookDocument.uri;
      void this.host
        .settings()
        .get(uri)
        .then((s) => {
          if (s.run === 'onSave' && this.states.has(uri)) return;
          this.schedule(uri, this.debounce(uri));
        });
    });
    docs.onDidSave((nb) => {
      this.saved.add(nb.uri);
      this.schedule(nb.uri, 0);
    });
    docs.onDidClose((nb) => this.closed(nb));
    docs.listen(connection);
  }

  /** Whether `uri` is a cell of an open notebook. */
  isCell(uri: string): boolean {
    return this.documents.findNotebookDocumentForCell(uri) !== undefined;
  }

  /** The engine paths of the open notebooks. */
  paths(): Iterable<string> {
    return this.open.values();
  }

  /** Settings, configuration or files on disk changed: every open notebook is analysed again. */
  invalidate(delay = 0): void {
    for (const uri of this.openUris()) this.schedule(uri, delay);
  }

  /** Another Python document was edited: a notebook that imports it may see it differently. */
  dependencyChanged(): void {
    for (const uri of this.openUris()) if (!this.timers.has(uri)) this.schedule(uri, DEPENDENCY_DELAY_MS);
  }

  private openUris(): string[] {
    return [...this.open.keys()];
  }

  /** As long as the last analysis took, at most DEBOUNCE_MS: a quick notebook gets findings at once. */
  private debounce(uri: string): number {
    const prev = this.states.get(uri);
    return prev ? Math.min(DEBOUNCE_MS, Math.ceil(prev.elapsedMs)) : DEBOUNCE_MS;
  }

  private schedule(uri: string, delay: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.publish(uri).catch((e: unknown) =>
          this.host.connection.console.error(`notebook ${uri}: ${(e as Error).stack ?? e}`),
        );
      }, delay),
    );
  }

  /** Analyses the notebook as it is now (unless its last analysis is current) and publishes per cell. */
  private async publish(uri: string): Promise<void> {
    const state = await this.analyse(uri);
    // Closed meanwhile, or a newer edit is already waiting.
    if (!state || this.timers.has(uri) || !this.documents.getNotebookDocument(uri)) return;
    if (this.publishedState.get(uri) === state) return;
    this.publishedState.set(uri, state);
    const byCell = new Map<string, Diagnostic[]>(state.cellUris.map((c) => [c, []]));
    const findings = state.result?.findings ?? [];
    const lineIndexes = new Map<number, LineIndex>();
    findings.forEach((f, i) => {
      const span = state.joined.cellSpan(f.start, f.end);
      if (!span) return;
      let lines = lineIndexes.get(span.cell);
      if (!lines) lineIndexes.set(span.cell, (lines = new LineIndex(state.joined.cells[span.cell])));
      const d = toDiagnostic(f, i, state.version);
      d.range = lines.range(span.start, span.end);
      byCell.get(state.cellUris[span.cell])!.push(d);
    });
    const before = this.published.get(uri) ?? new Set<string>();
    const now = new Set<string>();
    for (const [cellUri, diagnostics] of byCell) {
      const cell = this.documents.cellTextDocuments.get(cellUri);
      if (diagnostics.length > 0) now.add(cellUri);
      if (diagnostics.length > 0 || before.has(cellUri))
        void this.host.connection.sendDiagnostics({ uri: cellUri, version: cell?.version, diagnostics });
      this.host.status({
        uri: cellUri,
        state: diagnostics.length > 0 ? 'findings' : 'ready',
        findings: diagnostics.length,
        elapsedMs: state.elapsedMs,
      });
    }
    // Cells that left the notebook, or are no longer Python, keep nothing.
    for (const cellUri of before)
      if (!byCell.has(cellUri)) void this.host.connection.sendDiagnostics({ uri: cellUri, diagnostics: [] });
    this.published.set(uri, now);
  }

  /**
   * The analysis of the notebook's current text: the last one when nothing changed since (and,
   * with run: onSave, until it is saved), else a new one.
   */
  private async analyse(uri: string, force = false): Promise<NotebookState | undefined> {
    const settings = await this.host.settings().get(uri);
    await this.host.ready();
    const nb = this.documents.getNotebookDocument(uri);
    if (!nb) return undefined;
    const prev = this.states.get(uri);
    if (prev && !force && prev.generation === this.host.generation()) {
      if (prev.stamp === this.stamp(nb)) return prev;
      if (settings.run === 'onSave' && !this.saved.has(uri)) return prev;
    }
    this.saved.delete(uri);
    const cellUris: string[] = [];
    const texts: string[] = [];
    for (const cell of nb.cells) {
      const doc = this.documents.getCellTextDocument(cell);
      if (cell.kind !== NotebookCellKind.Code || doc?.languageId !== CELL_LANGUAGE) continue;
      cellUris.push(cell.document);
      texts.push(doc.getText());
    }
    const joined = new NotebookText(texts);
    const state: NotebookState = {
      stamp: this.stamp(nb),
      version: (prev?.version ?? 0) + 1,
      generation: this.host.generation(),
      file: this.open.get(uri) ?? this.enginePath(nb),
      joined,
      cellUris,
      result: undefined,
      elapsedMs: 0,
    };
    if (texts.length > 0) {
      const outcome = this.host.analysis.lint(state.file, joined.text, state.version, settings, joined);
      if (outcome.kind === 'linted') {
        state.result = outcome.result;
        state.elapsedMs = outcome.elapsedMs;
      }
    }
    this.states.set(uri, state);
    return state;
  }

  /** The notebook's version and its cells (kind, language, version, URI), in order: changes when anything in it does. */
  private stamp(nb: NotebookDocument): string {
    const cells = nb.cells.map((c) => {
      const doc = this.documents.getCellTextDocument(c);
      return `${c.kind}:${doc?.languageId}:${doc?.version}:${c.document}`;
    });
    return `${nb.version}\n${cells.join('\n')}`;
  }

  /**
   * The path the engine sees for a notebook: its own for a file (configuration, `overrides` and
   * `asyncLint.exclude` match it as `*.ipynb`), a stable virtual one inside the first workspace
   * folder for an untitled notebook.
   */
  private enginePath(nb: NotebookDocument): string {
    const real = uriToPath(nb.uri);
    if (real) return real;
    const virtual = this.host.workspace.enginePath(nb.uri, CELL_LANGUAGE)!;
    return path.join(path.dirname(virtual), `${path.basename(virtual).replace(/(\.ipynb)?\.py$/, '')}.ipynb`);
  }

  private closed(nb: NotebookDocument): void {
    const uri = nb.uri;
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    const file = this.open.get(uri);
    this.open.delete(uri);
    this.states.delete(uri);
    this.saved.delete(uri);
    this.host.settings().forget(uri);
    if (file) this.host.analysis.closeNotebook(file);
    for (const cellUri of this.published.get(uri) ?? [])
      void this.host.connection.sendDiagnostics({ uri: cellUri, diagnostics: [] });
    this.published.delete(uri);
    this.publishedState.delete(uri);
  }

  /**
   * Quick fixes for the diagnostics of a cell: found in the joined text (codeActions.ts builds the
   * actions there), each edit mapped back to the cell it falls in.
   */
  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const cellUri = params.textDocument.uri;
    const nb = this.documents.findNotebookDocumentForCell(cellUri);
    const ours = params.context.diagnostics.filter((d) => d.source === SOURCE);
    if (!nb || ours.length === 0 || !wants(params.context.only, CodeActionKind.QuickFix)) return [];
    let state = await this.analyse(nb.uri);
    // With run: onSave the findings may be older than the text: fixes need the current text's.
    const now = this.documents.getNotebookDocument(nb.uri);
    if (state && now && state.stamp !== this.stamp(now)) state = await this.analyse(nb.uri, true);
    const backend = this.host.analysis.linter.notebookBackend();
    if (!state?.result || !backend) return [];
    const cell = state.cellUris.indexOf(cellUri);
    if (cell < 0) return [];
    const { joined } = state;
    const joinedLines = new LineIndex(joined.text);
    const cellLines = state.cellUris.map((_, i) => new LineIndex(joined.cells[i]));
    const base = joined.cellStarts[cell];
    const toJoined = ours.map((d) => ({
      ...d,
      range: joinedLines.range(
        base + cellLines[cell].offsetAt(d.range.start),
        base + cellLines[cell].offsetAt(d.range.end),
      ),
    }));
    const actions = quickFixes({
      uri: nb.uri,
      file: state.file,
      text: joined.text,
      result: state.result,
      version: state.version,
      diagnostics: toJoined,
      // No "Fix all <rule> problems" in notebooks: the engine's fix passes re-lint a text whose
      // cells would move under them (and async-lint has no safe fix today, which it applies).
      fixAllOfRule: () => joined.text,
      backend,
    });
    const out: CodeAction[] = [];
    for (const action of actions) {
      const changes: Record<string, TextEdit[]> = {};
      let mapped = true;
      for (const e of action.edit?.changes?.[nb.uri] ?? []) {
        const start = joinedLines.offsetAt(e.range.start);
        const inCell = joined.cellEdit({ start, end: joinedLines.offsetAt(e.range.end), newText: e.newText });
        if (!inCell) {
          mapped = false;
          break;
        }
        const lines = cellLines[inCell.cell];
        (changes[state.cellUris[inCell.cell]] ??= []).push({
          range: lines.range(inCell.edit.start, inCell.edit.end),
          newText: inCell.edit.newText,
        });
      }
      if (!mapped) continue;
      const diagnostics = action.diagnostics?.map((d) => ours[toJoined.indexOf(d as (typeof toJoined)[number])] ?? d);
      // A command (Show documentation) has no edit to map.
      out.push(action.edit ? { ...action, diagnostics, edit: { changes } } : { ...action, diagnostics });
    }
    return out;
  }
}
