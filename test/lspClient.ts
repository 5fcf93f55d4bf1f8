// A real JSON-RPC client for the language server tests: builds the server bundle from the current
// sources into a private folder (so a concurrent `npm run build` cannot disturb a run), spawns it
// over stdio, answers the requests a client must answer, and records what the server sends.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from './helpers';

let bundle: Promise<string> | undefined;

/**
 * Bundles server/src/server.ts (with esbuild.mjs, as `npm run build` does) into a private folder,
 * once per run, laid out as the package is: `dist/server.js` beside `docs/rules/` (a copy of the
 * rule pages, which the server links to and opens).
 */
export function buildServer(): Promise<string> {
  bundle ??= (async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-server-'));
    removeOnExit(out);
    const dist = path.join(out, 'dist');
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        ['esbuild.mjs', '--outdir', dist, '--only', 'server'],
        { cwd: ROOT },
        (err, _stdout, stderr) => (err ? reject(new Error(`building the server failed: ${stderr}`)) : resolve()),
      ),
    );
    fs.cpSync(path.join(ROOT, 'docs', 'rules'), path.join(out, 'docs', 'rules'), { recursive: true });
    return path.join(dist, 'server.js');
  })();
  return bundle;
}

const temporary: string[] = [];
function removeOnExit(dir: string): void {
  if (temporary.length === 0)
    process.on('exit', () => {
      for (const d of temporary) fs.rmSync(d, { recursive: true, force: true });
    });
  temporary.push(dir);
}

export const uriOf = (file: string) => pathToFileURL(file).href;

/** A temporary workspace folder with the given files. */
export function makeWorkspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-ws-')));
  removeOnExit(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export interface ClientOptions {
  folders: string[];
  /** Pull diagnostics (textDocument/diagnostic) or push only. */
  pull: boolean;
  /** `asyncLint` settings by scope URI prefix; '' for every resource. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  /** Run this server command (given `--stdio`) instead of the server bundled from the sources. */
  command?: string;
  /** Announce `window.showDocument` support (LSP 3.16); the client answers such requests with success. */
  showDocument?: boolean;
  /** What node runs instead of the bundled server (before `--stdio`), e.g. tsx and a server variant. */
  serverArgs?: string[];
  /** Sync notebooks (LSP 3.17 notebook documents), as VS Code does. */
  notebooks?: boolean;
}

/** A cell to open a notebook with. */
export interface TestCell {
  kind: 'code' | 'markdown';
  text: string;
  /** Default: python for code, markdown for markdown. */
  language?: string;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
}

export class LspTestClient {
  readonly conn: ProtocolConnection;
  readonly proc: ChildProcess;
  /** Last publishDiagnostics per URI. */
  readonly published = new Map<string, Diagnostic[]>();
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  /** The same with their MessageType (1 error, 2 warning, 3 info, 4 log, 5 debug). */
  readonly logMessages: { type: number; message: string }[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly progress: unknown[] = [];
  refreshes = 0;
  readonly configurationRequests: string[] = [];
  settings: Record<string, unknown>;
  stderr = '';
  initializeResult: InitializeResult | undefined;
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** `window/showDocument` requests received. */
  readonly shownDocuments: { uri: string; external?: boolean; takeFocus?: boolean }[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();

  private constructor(command: readonly string[], options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.proc = spawn(command[0], [...command.slice(1), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.conn = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    const c = this.conn;
    c.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      this.published.set(p.uri, p.diagnostics);
      this.poke();
    });
    c.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
    });
    c.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p.message);
      this.logMessages.push(p);
      this.poke();
    });
    c.onNotification('$/progress', (p: unknown) => {
      this.progress.push(p);
      this.poke();
    });
    c.onUnhandledNotification((n) => {
      this.notifications.push({ method: n.method, params: n.params });
      this.poke();
    });
    c.onRequest('workspace/configuration', (p: { items: { scopeUri?: string; section?: string }[] }) =>
      p.items.map((item) => {
        this.configurationRequests.push(item.scopeUri ?? '');
        let best: unknown = null;
        let bestLen = -1;
        for (const [prefix, value] of Object.entries(this.settings)) {
          if ((item.scopeUri ?? '').startsWith(prefix) && prefix.length > bestLen) {
            best = value;
            bestLen = prefix.length;
          }
        }
        return best;
      }),
    );
    c.onRequest(
      'client/registerCapability',
      (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
        this.registrations.push(...p.registrations);
        this.poke();
        return null;
      },
    );
    c.onRequest('window/workDoneProgress/create', () => null);
    c.onRequest('window/showDocument', (p: { uri: string; external?: boolean; takeFocus?: boolean }) => {
      this.shownDocuments.push(p);
      this.poke();
      return { success: true };
    });
    c.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
      return null;
    });
    c.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      this.poke();
      return null;
    });
    c.listen();
  }

  /** `textDocument/codeAction` at the first diagnostic's range (the document's start without one), optionally of the given kinds. */
  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only },
    });
  }

  static async start(options: ClientOptions): Promise<LspTestClient> {
    const command = options.command
      ? [options.command]
      : [process.execPath, ...(options.serverArgs ?? [await buildServer()])];
    const client = new LspTestClient(command, options);
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        diagnostics: { refreshSupport: true },
        didChangeConfiguration: { dynamicRegistration: false },
      },
      window: {
        workDoneProgress: true,
        showMessage: {},
        ...(options.showDocument ? { showDocument: { support: true } } : {}),
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: false },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
          isPreferredSupport: true,
        },
        publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      ...(options.notebooks
        ? { notebookDocument: { synchronization: { dynamicRegistration: false, executionSummarySupport: false } } }
        : {}),
    };
    const exited = new Promise<never>((_, reject) =>
      client.proc.on('exit', (code) =>
        reject(new Error(`the server exited (${code}) during initialize: ${client.stderr.slice(-2000)}`)),
      ),
    );
    exited.catch(() => undefined);
    const initialized = client.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: uriOf(options.folders[0]),
      workspaceFolders: options.folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    client.initializeResult = await Promise.race([initialized, exited]);
    await client.conn.sendNotification('initialized', {});
    return client;
  }

  private poke(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  /** Waits until `test` holds (checked on every message from the server and every 50 ms). */
  async until(what: string, test: () => boolean, timeoutMs = 30000): Promise<void> {
    if (test()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        clearInterval(tick);
        reject(
          new Error(
            `timed out waiting for ${what}; server stderr: ${this.stderr.slice(-2000)}; logs: ${this.logs.slice(-5).join(' | ')}`,
          ),
        );
      }, timeoutMs);
      const tick = setInterval(() => this.poke(), 50);
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          clearInterval(tick);
          resolve();
        },
      });
    });
  }

  open(file: string, text: string, languageId = languageOf(file)): string {
    const uri = file.includes(':') && !file.startsWith('/') ? file : uriOf(file);
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return version;
  }

  /**
   * Opens a notebook (`notebookDocument/didOpen`) of type jupyter-notebook; cell URIs are
   * `vscode-notebook-cell:<path>#cell<i>`, as VS Code spells them (with its own fragment).
   */
  openNotebook(file: string, cells: TestCell[], notebookType = 'jupyter-notebook'): { uri: string; cells: string[] } {
    const uri = uriOf(file);
    const cellUris = cells.map((_, i) => `vscode-notebook-cell:${file}#cell${i}`);
    this.versions.set(uri, 1);
    for (const c of cellUris) this.versions.set(c, 1);
    void this.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri,
        notebookType,
        version: 1,
        cells: cells.map((c, i) => ({ kind: c.kind === 'code' ? 2 : 1, document: cellUris[i] })),
      },
      cellTextDocuments: cells.map((c, i) => ({
        uri: cellUris[i],
        languageId: c.language ?? (c.kind === 'code' ? 'python' : 'markdown'),
        version: 1,
        text: c.text,
      })),
    });
    return { uri, cells: cellUris };
  }

  /**
   * Edits one cell's text (`notebookDocument/didChange` with textContent). The cell's version goes
   * up; the notebook's stays, as VS Code sends it (a cell's text is not the notebook's structure).
   */
  changeCell(notebookUri: string, cellUri: string, changes: TextDocumentContentChangeEvent[]): void {
    const version = this.versions.get(notebookUri) ?? 1;
    const cellVersion = (this.versions.get(cellUri) ?? 1) + 1;
    this.versions.set(cellUri, cellVersion);
    void this.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: notebookUri, version },
      change: { cells: { textContent: [{ document: { uri: cellUri, version: cellVersion }, changes }] } },
    });
  }

  closeNotebook(notebookUri: string, cellUris: string[]): void {
    void this.conn.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: notebookUri },
      cellTextDocuments: cellUris.map((uri) => ({ uri })),
    });
  }

  save(uri: string): void {
    void this.conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  pull(uri: string, previousResultId?: string): Promise<{ kind: string; items?: Diagnostic[]; resultId?: string }> {
    return this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId });
  }

  /** Pushed diagnostics of `uri` from our server, once `test` accepts them. */
  async pushed(uri: string, test: (d: Diagnostic[]) => boolean = (d) => d.length > 0): Promise<Diagnostic[]> {
    await this.until(`diagnostics for ${uri}`, () => this.published.has(uri) && test(this.published.get(uri)!));
    return this.published.get(uri)!;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      void this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 3000);
      this.proc.on('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

export function languageOf(file: string): string {
  if (file.endsWith('.py')) return 'python';
  if (file.endsWith('.tsx')) return 'typescriptreact';
  if (file.endsWith('.jsx')) return 'javascriptreact';
  if (/\.[mc]?js$/.test(file)) return 'javascript';
  return 'typescript';
}

/** Applies a WorkspaceEdit's changes for one URI to a text (edits in LSP positions, UTF-16). */
export function applyWorkspaceEdit(text: string, edit: WorkspaceEdit, uri: string): string {
  const edits = edit.changes?.[uri] ?? [];
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; character: number }) =>
    p.line >= starts.length ? text.length : starts[p.line] + p.character;
  const sorted = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * A `start` for a suite's tests: each client it starts is stopped after the test (mocha's
 * `afterEach`, registered where this is called, inside a `describe`).
 */
export function startedClients(): (options: ClientOptions) => Promise<LspTestClient> {
  const clients: LspTestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });
  return async (options) => {
    const c = await LspTestClient.start(options);
    clients.push(c);
    return c;
  };
}
