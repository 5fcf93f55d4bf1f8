// The async-lint language server: the only module that knows LSP. Transports: --stdio, --node-ipc
// (what the VS Code client uses), --socket=N. It wires documents, settings, diagnostics (pulled
// where the client supports it, pushed otherwise), code actions and the workspace run to the
// engine; everything else lives in ./lsp/ and the engine. Nothing from the workspace is executed.
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import ts from 'typescript';
import { version } from '../../package.json';
import type { ConfigError } from './engine/config';
import type { LintResult } from './engine/types';
import { Analysis } from './lsp/analysis';
import { fixAllAction, quickFixes, wants } from './lsp/codeActions';
import { toDiagnostic } from './lsp/convert';
import { Cancelled, lintClosedFile, lintWorkspace, listWorkspaceFiles, type WorkspaceRun } from './lsp/lintWorkspace';
import { Notebooks } from './lsp/notebooks';
import { showRuleDocumentation } from './lsp/ruleDocumentation';
import { SettingsCache } from './lsp/settings';
import { isInside, pathToUri, uriToPath, Workspace } from './lsp/workspace';
import {
  FIX_ALL_KIND,
  LintWorkspaceRequest,
  SERVER_LINT_WORKSPACE_COMMAND,
  SERVER_SHOW_RULE_DOCUMENTATION_COMMAND,
  SETTINGS_SECTION,
  SOURCE,
  StatusNotification,
  type InitializationOptions,
  type LintWorkspaceParams,
  type LintWorkspaceResult,
  type StatusParams,
} from './protocol';

/** Quiet time after the last keystroke before a document is analysed again. */
const DEBOUNCE_MS = 200;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const workspace = new Workspace();

/** What the last analysis of an open document produced. */
interface DocumentState {
  version: number;
  /** `generation` when computed: settings, configuration or files on disk changed since if different. */
  generation: number;
  /** Edits to other open documents of the same language when computed (their types and exports feed this one). */
  editsStamp: number;
  file: string;
  result: LintResult | undefined;
  diagnostics: Diagnostic[];
  resultId: string;
  /** How long the analysis took: the next edit waits about as long before analysing again. */
  elapsedMs: number;
}

/**
 * Push mode: the pause before analysing an edited document: as long as its last analysis took, at
 * most DEBOUNCE_MS. A file that analyses in 20 ms gets fresh findings almost at once; a slow one waits
 * for typing to pause instead of analysing every keystroke.
 */
function debounceFor(prev: DocumentState | undefined): number {
  return prev ? Math.min(DEBOUNCE_MS, Math.ceil(prev.elapsedMs)) : DEBOUNCE_MS;
}

const states = new Map<string, DocumentState>();
/** Documents saved since their last analysis (run: onSave). */
const savedSinceAnalysis = new Set<string>();
const timers = new Map<string, NodeJS.Timeout>();
let generation = 0;
/** Edits per language: an edit to one TypeScript file can change another's findings. */
const editsByLanguage = new Map<string, number>();

function languageOf(uri: string, languageId: string): string | undefined {
  const file = workspace.enginePath(uri, languageId);
  return file ? analysis.linter.backendFor(file)?.language : undefined;
}

function editsStamp(uri: string, languageId: string): number {
  return editsByLanguage.get(languageOf(uri, languageId) ?? '') ?? 0;
}

let pullDiagnostics = false;
let refreshSupport = false;
let workDoneSupport = false;
let statusNotifications = false;
let settings = new SettingsCache(undefined);
/** Resolves once the backends are loaded (the Python parser is loaded asynchronously). */
let readyPromise: Promise<void> = Promise.resolve();

/**
 * The backends, ready: loaded at start-up, and loaded again when one had to start over (the Python
 * parser after its WebAssembly instance crashed). Cheap once ready.
 */
async function ensureReady(): Promise<void> {
  await readyPromise;
  await analysis.ready().catch(logLoadFailure);
}

function logLoadFailure(e: unknown): void {
  connection.console.error(`could not load a language backend: ${(e as Error).stack ?? e}`);
}
const shownConfigProblems = new Set<string>();

const analysis = new Analysis(
  workspace,
  {
    debug: (m) => connection.console.debug(m),
    info: (m) => connection.console.info(m),
    error: (m) => connection.console.error(m),
    configProblem: (e: ConfigError) => {
      if (shownConfigProblems.has(e.message)) return;
      shownConfigProblems.add(e.message);
      const text = `Async Lint: ${e.message}. Using the last good settings until it is fixed.`;
      connection.console.error(text);
      void connection.window.showErrorMessage(text);
      sendStatus({ state: 'error', message: text });
    },
  },
  () => openOutsideFolders(),
);

function* openOutsideFolders(): Iterable<string> {
  const folders = workspace.folderPaths();
  for (const doc of documents.all()) {
    const p = uriToPath(doc.uri);
    if (p && !folders.some((f) => isInside(p, f))) yield p;
  }
  for (const p of notebooks.paths()) if (!folders.some((f) => isInside(p, f))) yield p;
}

/** Jupyter notebooks (notebook document sync): their Python cells analysed as one document. */
const notebooks = new Notebooks({
  connection,
  analysis,
  workspace,
  settings: () => settings,
  ready: () => ensureReady(),
  generation: () => generation,
  status: (params) => sendStatus(params),
});

function sendStatus(params: StatusParams): void {
  if (statusNotifications) void connection.sendNotification(StatusNotification.method, params);
}

// ---- initialize ------------------------------------------------------------------------------

let clientCapabilities: InitializeParams['capabilities'] = {};
/** The client's name and version as it gave them, for the log. */
let clientName = '';

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = (clientCapabilities = params.capabilities);
  pullDiagnostics = caps.textDocument?.diagnostic !== undefined;
  refreshSupport = caps.workspace?.diagnostics?.refreshSupport === true;
  workDoneSupport = caps.window?.workDoneProgress === true;
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  statusNotifications = options.statusNotifications === true;
  if (caps.workspace?.configuration === true) {
    settings = new SettingsCache((scopeUri) =>
      connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }),
    );
  }
  if (params.workspaceFolders) workspace.setFolders(params.workspaceFolders);
  else if (params.rootUri) workspace.setFolders([{ uri: params.rootUri }]);
  clientName = params.clientInfo
    ? `${params.clientInfo.name}${params.clientInfo.version ? ` ${params.clientInfo.version}` : ''}`
    : 'unnamed client';

  const result: InitializeResult = {
    serverInfo: { name: SOURCE },
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: [SERVER_LINT_WORKSPACE_COMMAND, SERVER_SHOW_RULE_DOCUMENTATION_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
  if (pullDiagnostics) {
    result.capabilities.diagnosticProvider = {
      identifier: SOURCE,
      interFileDependencies: true,
      workspaceDiagnostics: false,
    };
  }
  const notebookSync = Notebooks.capability(params);
  if (notebookSync) result.capabilities.notebookDocumentSync = notebookSync;
  return result;
});

/** What the log starts with: which server, on which Node, with which parsers, for which folders. */
function logStart(): void {
  const log = (m: string) => connection.console.info(m);
  log(
    `${SOURCE} ${version} language server, Node ${process.version} (${process.platform} ${process.arch}), for ${clientName}`,
  );
  log(
    `TypeScript/JavaScript: TypeScript ${ts.version}, bundled, in process (a workspace's own TypeScript is never loaded)`,
  );
  log('Python: tree-sitter (web-tree-sitter) with the tree-sitter-python grammar, bundled');
  log(
    `diagnostics: ${pullDiagnostics ? 'pulled by the client' : 'pushed'}; workspace folders: ${workspace.folderPaths().join(', ') || 'none'}`,
  );
}

connection.onInitialized(async () => {
  logStart();
  // The first analyses wait for the workspace's file list too (one walk, as the CLI's).
  readyPromise = analysis.ready().catch(logLoadFailure).then(announceWorkspaceFiles);
  const caps = clientCapabilities;
  if (caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
    await connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: analysis.watchedGlobs().map((globPattern) => ({ globPattern })),
    });
  }
  if (caps.workspace?.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
      workspace.addFolders(e.added, e.removed);
      connection.console.info(`workspace folders changed: ${workspace.folderPaths().join(', ') || 'none'}`);
      await announceWorkspaceFiles();
      invalidate();
    });
  }
  await readyPromise;
  // The server keeps TypeScript 6 in process: its programs are updated edit by edit (the CLI may
  // use TypeScript 7, see typescript/engine.ts).
  connection.console.info(
    `${SOURCE} server ready (${pullDiagnostics ? 'pull' : 'push'} diagnostics, TypeScript type backend: typescript6, in process) for ${workspace.folderPaths().join(', ') || 'no folder'}`,
  );
});

// ---- analysis of open documents --------------------------------------------------------------

/**
 * The document's findings, analysed again only when its version, the settings, the configuration
 * or a file on disk changed (and, with run: onSave, only after a save).
 */
async function diagnose(uri: string, force = false): Promise<DocumentState | undefined> {
  const s = await settings.get(uri);
  await ensureReady();
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const prev = states.get(uri);
  const stamp = editsStamp(uri, doc.languageId);
  if (prev && prev.generation === generation && !force) {
    if (prev.version === doc.version && prev.editsStamp === stamp) return prev;
    if (s.run === 'onSave' && !savedSinceAnalysis.has(uri)) return prev;
  }
  const file = workspace.enginePath(uri, doc.languageId);
  const state: DocumentState = {
    version: doc.version,
    generation,
    editsStamp: stamp,
    file: file ?? '',
    result: undefined,
    diagnostics: [],
    resultId: `${generation}:${stamp}:${doc.version}`,
    elapsedMs: 0,
  };
  savedSinceAnalysis.delete(uri);
  if (file) {
    const outcome = analysis.lint(file, doc.getText(), doc.version, s);
    if (outcome.kind === 'linted') {
      state.elapsedMs = outcome.elapsedMs;
      state.result = outcome.result;
      state.diagnostics = outcome.result.findings.map((f, i) => toDiagnostic(f, i, doc.version));
      const n = outcome.result.findings.length;
      if (outcome.configProblem) {
        sendStatus({
          uri,
          state: 'error',
          findings: n,
          message: `${outcome.configProblem.message} (using the last good settings)`,
          elapsedMs: outcome.elapsedMs,
        });
      } else if (outcome.result.skipped) {
        // Too large or binary is a choice the configuration made; an internal error is an error.
        const state = outcome.result.skipped.reason === 'internal-error' ? 'error' : 'ready';
        sendStatus({
          uri,
          state,
          findings: 0,
          message: outcome.result.skipped.message.split('\n')[0],
          elapsedMs: outcome.elapsedMs,
        });
      } else {
        sendStatus({ uri, state: n > 0 ? 'findings' : 'ready', findings: n, elapsedMs: outcome.elapsedMs });
      }
    } else {
      sendStatus({ uri, state: 'ready', findings: 0, message: `not analysed: ${outcome.reason}` });
    }
  }
  states.set(uri, state);
  return state;
}

/** Push mode: analyse after a quiet period; a newer version restarts the wait. */
function schedule(uri: string, delay: number): void {
  const old = timers.get(uri);
  if (old) clearTimeout(old);
  if (delay > 0) sendStatus({ uri, state: 'analysing' });
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      void publish(uri);
    }, delay),
  );
}

/** The state last published per document (push mode), so an unchanged one is not sent again. */
const published = new Map<string, DocumentState>();

async function publish(uri: string): Promise<void> {
  const state = await diagnose(uri);
  const doc = documents.get(uri);
  if (!state || !doc || timers.has(uri)) return; // closed, or a newer version is already waiting
  if (published.get(uri) === state) return;
  published.set(uri, state);
  void connection.sendDiagnostics({ uri, version: state.version, diagnostics: state.diagnostics });
}

/** What a walk of the workspace's files needs: its folders, the analysis, each folder's settings, what may be read. */
function workspaceWalk(): Pick<WorkspaceRun, 'folders' | 'analysis' | 'settingsFor' | 'mayRead'> {
  return {
    folders: workspace.folderPaths(),
    analysis,
    settingsFor: (folder) => settings.get(pathToUri(folder)),
    mayRead: (file) => workspace.mayRead(file, openOutsideFolders()),
  };
}

/**
 * Tells the backends which files the workspace holds (walked as the CLI and Lint Workspace walk),
 * so whole-workspace questions see the files no editor has open: Python's unused-async asks how a
 * function is used elsewhere, and a use in an unopened module must count.
 */
async function announceWorkspaceFiles(): Promise<void> {
  try {
    const perFolder = await listWorkspaceFiles({
      ...workspaceWalk(),
      isCancelled: () => false,
    });
    const files = perFolder.flatMap((f) => f.files);
    for (const backend of analysis.linter.backends)
      backend.knowWorkspaceFiles?.(files.filter((f) => analysis.linter.backendFor(f) === backend));
  } catch (e) {
    connection.console.error(`${SOURCE}: could not list the workspace's files: ${(e as Error).stack ?? e}`);
  }
}

/** Settings, configuration or files on disk changed: every open document is analysed again. */
function invalidate(): void {
  generation++;
  notebooks.invalidate();
  if (pullDiagnostics) {
    if (refreshSupport) void connection.languages.diagnostics.refresh();
  } else {
    for (const doc of documents.all()) schedule(doc.uri, 0);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
  const uri = params.textDocument.uri;
  const doc = documents.get(uri);
  if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const prev = states.get(uri);
  // An edit: the client cancels this request when the next edit comes, so no pause is needed;
  // yielding once lets a cancellation already on its way arrive before the analysis starts.
  if (prev && prev.version !== doc.version) await sleep(0);
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  const state = await diagnose(uri);
  if (!state) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  if (params.previousResultId === state.resultId)
    return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: state.resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId: state.resultId, items: state.diagnostics };
});

/** Files "Lint Workspace" published diagnostics for while closed. */
const workspacePublished = new Set<string>();

documents.onDidOpen((e) => {
  const uri = e.document.uri;
  // The pulled diagnostics of the open document replace what Lint Workspace pushed for it.
  if (pullDiagnostics && workspacePublished.delete(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
});

/** Push mode: other open documents of the edited one's language follow after a longer pause. */
const DEPENDENTS_DELAY_MS = 4 * DEBOUNCE_MS;

documents.onDidChangeContent((e) => {
  const uri = e.document.uri;
  const known = states.has(uri);
  const language = languageOf(uri, e.document.languageId);
  if (known && language) editsByLanguage.set(language, (editsByLanguage.get(language) ?? 0) + 1);
  if (known && language === 'python') notebooks.dependencyChanged();
  if (pullDiagnostics) return; // the client pulls (interFileDependencies: the other visible documents too)
  schedule(uri, known ? debounceFor(states.get(uri)) : 0);
  if (!known || !language) return;
  for (const other of documents.all()) {
    if (other.uri !== uri && !timers.has(other.uri) && languageOf(other.uri, other.languageId) === language)
      schedule(other.uri, DEPENDENTS_DELAY_MS);
  }
});

documents.onDidSave((e) => {
  const uri = e.document.uri;
  savedSinceAnalysis.add(uri);
  if (!pullDiagnostics) {
    schedule(uri, 0);
    return;
  }
  // A client that pulls only on change (not on save) is asked to pull again in run: onSave mode.
  void settings.get(uri).then((s) => {
    if (s.run === 'onSave' && refreshSupport) void connection.languages.diagnostics.refresh();
  });
});

documents.onDidClose((e) => {
  const uri = e.document.uri;
  const timer = timers.get(uri);
  if (timer) clearTimeout(timer);
  timers.delete(uri);
  const state = states.get(uri);
  states.delete(uri);
  published.delete(uri);
  savedSinceAnalysis.delete(uri);
  settings.forget(uri);
  const file = state?.file || workspace.enginePath(uri, e.document.languageId);
  if (file) analysis.closeDocument(file);
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri, diagnostics: [] });
});

// ---- settings and files on disk --------------------------------------------------------------

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as Record<string, unknown> | null | undefined)?.[SETTINGS_SECTION];
  settings.changed(pushed);
  analysis.settingsChanged();
  invalidate();
});

connection.onDidChangeWatchedFiles(async (params) => {
  let changed = false;
  for (const change of params.changes) {
    const file = uriToPath(change.uri);
    if (!file) continue;
    changed = true;
    if (analysis.fileChanged(file)) shownConfigProblems.clear();
    // A closed file Lint Workspace reported on: its findings follow the disk.
    if (workspacePublished.has(change.uri) && !documents.get(change.uri)) await refreshClosedFile(change.uri, file);
  }
  if (changed) invalidate();
});

async function refreshClosedFile(uri: string, file: string): Promise<void> {
  const s = await settings.get(uri);
  // Read and decoded as Lint Workspace read it.
  const result = workspace.mayRead(file, openOutsideFolders()) ? lintClosedFile(analysis, file, s) : undefined;
  const diagnostics = result ? result.findings.map((f, i) => toDiagnostic(f, i, null)) : [];
  void connection.sendDiagnostics({ uri, diagnostics });
}

// ---- code actions ----------------------------------------------------------------------------

connection.onCodeAction(async (params): Promise<CodeAction[]> => {
  const uri = params.textDocument.uri;
  if (notebooks.isCell(uri)) return notebooks.codeActions(params);
  const doc = documents.get(uri);
  if (!doc) return [];
  const file = workspace.enginePath(uri, doc.languageId);
  if (!file) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const ours = params.context.diagnostics.filter((d) => d.source === SOURCE);
  if (ours.length > 0 && wants(only, CodeActionKind.QuickFix)) {
    let state = await diagnose(uri);
    // With run: onSave the findings may be older than the text: fixes need the current text's.
    if (state && state.version !== doc.version) state = await diagnose(uri, true);
    const backend = analysis.linter.backendFor(file);
    if (state?.result && backend) {
      const s = await settings.get(uri);
      const text = doc.getText();
      const fixAllOfRule = (ruleId: string) => analysis.fixAll(file, text, doc.version, s, ruleId);
      actions.push(
        ...quickFixes({
          uri,
          file,
          text,
          result: state.result,
          version: state.version,
          diagnostics: ours,
          fixAllOfRule,
          backend,
        }),
      );
    }
  }
  if (wants(only, FIX_ALL_KIND)) {
    const s = await settings.get(uri);
    await ensureReady();
    const text = doc.getText();
    const action = fixAllAction(uri, text, analysis.fixAll(file, text, doc.version, s));
    if (action) actions.push(action);
  }
  return actions;
});

// ---- Lint Workspace --------------------------------------------------------------------------

async function runLintWorkspace(params: LintWorkspaceParams, token: CancellationToken): Promise<LintWorkspaceResult> {
  await ensureReady();
  let reporter: WorkDoneProgressReporter | undefined;
  let serverToken: CancellationToken | undefined;
  if (params.workDoneToken !== undefined) {
    reporter = connection.window.attachWorkDoneProgress(params.workDoneToken);
  } else if (workDoneSupport) {
    const created = await connection.window.createWorkDoneProgress();
    reporter = created;
    serverToken = created.token;
  }
  sendStatus({ state: 'analysing', message: 'Linting the workspace' });
  try {
    const result = await lintWorkspace({
      ...workspaceWalk(),
      openDocumentFindings: async (uri) => {
        if (!documents.get(uri)) return 'not-open';
        return (await diagnose(uri))?.result;
      },
      publish: (uri, diagnostics) => {
        workspacePublished.add(uri);
        void connection.sendDiagnostics({ uri, diagnostics });
      },
      progress: reporter,
      isCancelled: () => token.isCancellationRequested || serverToken?.isCancellationRequested === true,
    });
    const summary = `${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ${result.files} files`;
    connection.console.info(`Lint Workspace: ${summary}`);
    sendStatus({
      state: result.findings > 0 ? 'findings' : 'ready',
      findings: result.findings,
      message: `Workspace: ${summary}`,
    });
    return result;
  } catch (e) {
    if (e instanceof Cancelled) {
      sendStatus({ state: 'ready', message: 'Lint Workspace cancelled' });
      throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Lint Workspace was cancelled', e.partial);
    }
    throw e;
  }
}

connection.onRequest(LintWorkspaceRequest.method, (params: LintWorkspaceParams | undefined, token: CancellationToken) =>
  runLintWorkspace(params ?? {}, token),
);

connection.onExecuteCommand(async (params, token) => {
  if (params.command === SERVER_LINT_WORKSPACE_COMMAND)
    return runLintWorkspace({ workDoneToken: params.workDoneToken }, token);
  if (params.command === SERVER_SHOW_RULE_DOCUMENTATION_COMMAND) {
    return showRuleDocumentation(params.arguments, {
      canShowDocument: clientCapabilities.window?.showDocument?.support === true,
      showDocument: (p) => connection.window.showDocument(p),
      // A notification: showInformationMessage would be a showMessageRequest, which some clients answer with a prompt.
      showMessage: (text) =>
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: text }),
    });
  }
  throw new ResponseError(-32601 /* MethodNotFound */, `unknown command ${params.command}`);
});

connection.onShutdown(() => {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
});

// A bug in one request must not take the editor's linting down: log it and keep serving.
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
process.on('uncaughtException', (e) => connection.console.error(`uncaught exception: ${e.stack ?? e}`));

documents.listen(connection);
notebooks.listen(connection);
connection.listen();
