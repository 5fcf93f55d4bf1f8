// The VS Code side of async-lint, and the only module that knows VS Code: starts the bundled
// language server over IPC, restarts it if it stops unexpectedly (Supervisor), shows the state of
// the active document in a language status item, offers the commands, opens rule pages in the
// Markdown preview, and makes `asyncLint.trace.server` show the LSP traffic (TraceAwareChannel).
// All analysis happens in the server (dist/server.js).
import type { ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  WorkDoneProgress,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  Commands,
  LintWorkspaceRequest,
  SERVER_SHOW_RULE_DOCUMENTATION_COMMAND,
  SETTINGS_SECTION,
  StatusNotification,
  type InitializationOptions,
  type LintWorkspaceParams,
  type LintWorkspaceResult,
  type StatusParams,
} from '../../server/src/protocol';
import { ALL_LANGUAGE_IDS } from '../../server/src/language-facts';

/** An analysis slower than this turns the status item into a warning (like vscode-eslint's time budget). */
const SLOW_MS = 2000;

/**
 * Files on disk and untitled documents of every language the server analyses (each backend's
 * language ids, as plain data); in a virtual workspace only untitled ones (the server reads files
 * from disk).
 */
const SELECTOR: { scheme: string; language: string }[] = ALL_LANGUAGE_IDS.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);
/**
 * The Python cells of Jupyter notebooks, on disk or untitled. The server syncs them as notebook
 * documents (its notebookDocumentSync capability) and analyses each notebook's cells as one
 * document; the selector lets the client send code actions and show the status item for cells.
 */
const NOTEBOOK_SCHEMES = ['file', 'untitled'];
const NOTEBOOK_CELLS = NOTEBOOK_SCHEMES.map((scheme) => ({
  notebook: { notebookType: 'jupyter-notebook', scheme },
  language: 'python',
}));

/** Automatic restarts: a server that stops unexpectedly more than MAX_RESTARTS times within
 * RESTART_WINDOW_MS is not restarted again (it would most likely crash again). */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

type ServerState = 'starting' | 'restarting' | 'running' | 'stopped' | 'failed';

let client: LanguageClient | undefined;
/** The current client's state listener, disposed with it by restart(). */
let clientListener: vscode.Disposable | undefined;
let output: vscode.LogOutputChannel;
/** `output` as the LanguageClient sees it: see TraceAwareChannel. */
let clientChannel: TraceAwareChannel;
let status: StatusItem;
let supervisor: Supervisor;

/**
 * TEST-ONLY, not an API: what `activate()` returns (`vscode.extensions.getExtension(...).exports`)
 * so the end-to-end suite (test/e2e) can observe what it cannot see through the `vscode` API.
 * It may change in any release; nothing else should read it.
 */
export interface TestHooks {
  /** How many "stopped unexpectedly and was restarted" notifications were shown (at most 1 per session). */
  readonly restartNotices: number;
  /** How many "not restarted again" / "could not start" notifications were shown. */
  readonly failureNotices: number;
  /** Automatic restarts in this session. */
  readonly restarts: number;
  /** The server's state as the status item shows it. */
  readonly serverState: ServerState;
  /** Every server state the status item has shown, in order (repeats dropped). */
  readonly serverStates: readonly ServerState[];
  /** The extension's log folder (`context.logUri`): the output channel is written to `Async Lint.log` in it. */
  readonly logUri: vscode.Uri;
  /** The output channel's own log level (what the user set, or the default). */
  readonly outputLogLevel: vscode.LogLevel;
}

export async function activate(context: vscode.ExtensionContext): Promise<TestHooks> {
  output = vscode.window.createOutputChannel('Async Lint', { log: true });
  clientChannel = new TraceAwareChannel(output);
  status = new StatusItem();
  supervisor = new Supervisor();
  context.subscriptions.push(
    output,
    clientChannel,
    status,
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.showRuleDocumentation, (ruleId?: unknown) =>
      showRuleDocumentation(context, ruleId),
    ),
    vscode.commands.registerCommand(Commands.restartServer, () => restart(context)),
    vscode.commands.registerCommand(Commands.lintWorkspace, () => lintWorkspace()),
    vscode.window.onDidChangeActiveTextEditor(() => status.render()),
  );
  await start(context);
  const s = supervisor;
  return {
    get restartNotices() {
      return s.restartNotices;
    },
    get failureNotices() {
      return s.failureNotices;
    },
    get restarts() {
      return s.restarts;
    },
    get serverState() {
      return status.state;
    },
    get serverStates() {
      return status.history;
    },
    logUri: context.logUri,
    get outputLogLevel() {
      return output.logLevel;
    },
  };
}

export function deactivate(): Thenable<void> | undefined {
  const c = client;
  client = undefined;
  return c?.stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = { statusNotifications: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...SELECTOR, ...NOTEBOOK_CELLS],
    // Also the trace channel (the client uses its output channel for both when none is given).
    outputChannel: clientChannel,
    initializationOptions,
    diagnosticCollectionName: 'async-lint',
    // Pull again on every change (the server debounces) and on save (run: onSave). After a
    // restart the client pulls every open document again (vscode-languageclient's pull feature
    // does so when it is initialised on the new connection), so findings come back on their own.
    diagnosticPullOptions: { onChange: true, onSave: true },
    synchronize: { configurationSection: SETTINGS_SECTION },
    middleware: {
      // "Show documentation for <rule>": the page shipped in the extension, in the Markdown
      // preview, rather than the server's window/showDocument (which opens it as text).
      executeCommand: (command, args, next) =>
        command === SERVER_SHOW_RULE_DOCUMENTATION_COMMAND
          ? vscode.commands.executeCommand(Commands.showRuleDocumentation, args[0])
          : next(command, args),
    },
    // Ours replaces the default handler, which shows its own message after several crashes.
    errorHandler: supervisor,
    // Logged only: the failure is shown once, by the Supervisor or by start() below.
    initializationFailedHandler: (e) => {
      output.error(`The server failed to initialise: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    },
  };
  const c = new AsyncLintClient('asyncLint', 'Async Lint', serverOptions, clientOptions);
  const stateListener = c.onDidChangeState((e) => {
    if (c !== client) return; // an old client being stopped by restart()
    if (e.newState === State.Running) {
      supervisor.running(c.serverProcess);
      status.serverState('running');
    } else if (e.newState === State.Starting) {
      status.serverState(supervisor.restarting ? 'restarting' : 'starting', supervisor.restarting);
    } else if (supervisor.failure) {
      status.serverState('failed', supervisor.failure);
    } else if (e.newState === State.StartFailed) {
      supervisor.fail('Async Lint could not start its server.');
      status.serverState('failed', supervisor.failure);
    } else {
      status.serverState(supervisor.restarting ? 'restarting' : 'stopped', supervisor.restarting);
    }
  });
  context.subscriptions.push(stateListener);
  c.onNotification(StatusNotification.method, (p: StatusParams) => status.update(p));
  client = c;
  clientListener = stateListener;
  try {
    await c.start();
  } catch (e) {
    output.error(`Async Lint could not start its server: ${e}`);
    supervisor.fail('Async Lint could not start its server.');
    status.serverState('failed', supervisor.failure);
  }
}

/** The Restart Server command: a fresh client and server, and a fresh count of crashes. */
async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    clientListener?.dispose();
    // A client that is (re)starting cannot be stopped: let it finish, or it would go on running
    // next to the new one.
    if (c.state === State.Starting) await c.start().catch(() => undefined);
    await c.stop().catch((e: unknown) => output.warn(`stopping the server: ${e}`));
    await Promise.resolve(c.dispose()).catch(() => undefined);
  }
  supervisor.reset();
  status.clear();
  await start(context);
  output.info('Async Lint server restarted');
}

/**
 * vscode-languageclient's client, quiet where the Supervisor speaks: once a failure has been
 * reported to the user, the library's own forced notifications about it ("couldn't create
 * connection to server", "Restarting server failed") go to the output channel only.
 */
class AsyncLintClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    super.error(message, data, supervisor.failure !== undefined ? false : showNotification);
  }
}

/**
 * The client's ErrorHandler: decides what happens when the server's connection closes without
 * the client asking (a crash, an out-of-memory abort, a kill). It restarts the server, logs every
 * restart with the process's exit reason, and tells the user once per session, not once per
 * crash. More than MAX_RESTARTS stops within RESTART_WINDOW_MS, or a server that stops before it
 * finished starting, and it gives up: the status item turns to failed with a Restart action and
 * one more notification says so. That second notification is deliberate: the state changed from
 * "restarted, all is well" to "not running until you act".
 * vscode-languageclient shows nothing itself for results marked `handled`; it logs their message.
 */
class Supervisor implements ErrorHandler {
  restartNotices = 0;
  failureNotices = 0;
  restarts = 0;
  /** Why the server is not running and will not be restarted; undefined while all is well. */
  failure: string | undefined;
  /** Set from a crash until the restarted server runs: the status item's detail meanwhile. */
  restarting: string | undefined;
  private crashes: number[] = [];
  private process: ChildProcess | undefined;
  private isRunning = false;

  /** The client reached Running: remember its process for the exit reason. */
  running(process: ChildProcess | undefined): void {
    this.process = process;
    this.isRunning = true;
    this.restarting = undefined;
    this.failure = undefined;
  }

  /** Restart Server: start counting afresh. The once-per-session restart notice stays shown. */
  reset(): void {
    this.crashes = [];
    this.failure = undefined;
    this.restarting = undefined;
    this.isRunning = false;
    this.process = undefined;
  }

  error(error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
    // A read or write failed. When the process died the connection closes next and closed()
    // decides; a few errors on a live connection are let pass, a stream of them stops the server.
    if ((count ?? 1) <= 3)
      return { action: ErrorAction.Continue, message: `Connection to the server: ${error.message}`, handled: true };
    const message = `Async Lint stopped its server after repeated connection errors (${error.message}).`;
    this.fail(message);
    return { action: ErrorAction.Shutdown, message, handled: true };
  }

  async closed(): Promise<CloseHandlerResult> {
    const wasRunning = this.isRunning;
    this.isRunning = false;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < RESTART_WINDOW_MS);
    this.crashes.push(now);
    if (!wasRunning) {
      // Decided before any await: the failed start is reported next by the library, and
      // AsyncLintClient keeps that quiet only once `failure` is set.
      const message = "Async Lint's server stopped while starting; it is not restarted. See the output.";
      this.fail(message);
      return { action: CloseAction.DoNotRestart, message, handled: true };
    }
    const reason = await this.exitReason();
    this.process = undefined;
    if (this.crashes.length > MAX_RESTARTS) {
      const minutes = RESTART_WINDOW_MS / 60_000;
      const message = `Async Lint's server stopped unexpectedly ${this.crashes.length} times in ${minutes} minutes (last: ${reason}); it is not restarted again.`;
      this.fail(message);
      return { action: CloseAction.DoNotRestart, message, handled: true };
    }
    this.restarts++;
    this.restarting = `restarting after the server stopped unexpectedly (${reason})`;
    status.serverState('restarting', this.restarting);
    if (this.restartNotices === 0) {
      this.restartNotices++;
      void vscode.window
        .showWarningMessage("Async Lint's server stopped unexpectedly and was restarted.", 'Show Output')
        .then((pick) => pick && output.show(true));
    }
    // The client logs this message in the output channel.
    return {
      action: CloseAction.Restart,
      message: `The server stopped unexpectedly (${reason}); restarting it (automatic restart ${this.restarts} of this session).`,
      handled: true,
    };
  }

  /** Gives up until Restart Server: the status item shows `message`; one notification per failure. */
  fail(message: string): void {
    this.restarting = undefined;
    if (this.failure !== undefined) return;
    this.failure = message;
    this.failureNotices++;
    void vscode.window.showErrorMessage(message, 'Restart', 'Show Output').then((pick) => {
      if (pick === 'Restart') void vscode.commands.executeCommand(Commands.restartServer);
      else if (pick) output.show(true);
    });
  }

  /** How the server process ended: its exit code or signal, waiting a moment for the exit event. */
  private async exitReason(): Promise<string> {
    const p = this.process;
    if (!p) return 'exit reason unknown';
    if (p.exitCode === null && p.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        p.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (p.signalCode !== null) return `killed by ${p.signalCode}`;
    if (p.exitCode !== null) return `exit code ${p.exitCode}`;
    // Alive but unreachable: end it, so that two servers never run side by side.
    p.kill();
    return `its connection closed; process ${p.pid} was still running and was ended`;
  }
}

async function lintWorkspace(): Promise<LintWorkspaceResult | undefined> {
  const c = client;
  if (!c || c.state !== State.Running) {
    void vscode.window.showWarningMessage('Async Lint: the server is not running.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Async Lint', cancellable: true },
    async (progress, token) => {
      const workDoneToken = `asyncLint.lintWorkspace.${Date.now()}`;
      let last = 0;
      const sub = c.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
        if (v.kind === 'end') return;
        const pct = v.percentage ?? last;
        progress.report({ message: v.message, increment: Math.max(0, pct - last) });
        last = pct;
      });
      try {
        const params: LintWorkspaceParams = { workDoneToken };
        const result = await c.sendRequest<LintWorkspaceResult>(LintWorkspaceRequest.method, params, token);
        const text = `Async Lint: ${result.findings} finding${result.findings === 1 ? '' : 's'} in ${result.filesWithFindings} of ${result.files} files${result.skipped ? ` (${result.skipped} skipped)` : ''}.`;
        void vscode.window.showInformationMessage(text, 'Show Problems').then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
        return result;
      } catch (e) {
        if (token.isCancellationRequested) return undefined;
        output.error(`Lint Workspace failed: ${e}`);
        void vscode.window.showErrorMessage(`Async Lint: Lint Workspace failed: ${e}`);
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  );
}

/** The rules as the manifest lists them (the `asyncLint.rules` setting, generated from the rule table). */
function rulesOf(context: vscode.ExtensionContext): { id: string; description: string }[] {
  const json = context.extension.packageJSON as {
    contributes?: {
      configuration?: { properties?: Record<string, { properties?: Record<string, { description?: string }> }> };
    };
  };
  const rules = json.contributes?.configuration?.properties?.[`${SETTINGS_SECTION}.rules`]?.properties ?? {};
  return Object.entries(rules).map(([id, r]) => ({ id, description: r.description ?? '' }));
}

/**
 * Show Rule Documentation: the rule's page as shipped in the extension (docs/rules/<id>.md), in the
 * Markdown preview beside the editor, offline. Without a rule id, the rules to pick from. Returns
 * the page opened.
 */
async function showRuleDocumentation(
  context: vscode.ExtensionContext,
  ruleId: unknown,
): Promise<vscode.Uri | undefined> {
  const rules = rulesOf(context);
  let id = typeof ruleId === 'string' ? ruleId : undefined;
  if (id === undefined) {
    const pick = await vscode.window.showQuickPick(
      rules.map((r) => ({ label: r.id, detail: r.description })),
      { title: 'Async Lint: Show Rule Documentation', placeHolder: 'Rule', matchOnDetail: true },
    );
    if (!pick) return undefined;
    id = pick.label;
  }
  if (!rules.some((r) => r.id === id)) {
    void vscode.window.showWarningMessage(`Async Lint: there is no rule '${id}'.`);
    return undefined;
  }
  const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${id}.md`);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', page);
  } catch (e) {
    // The built-in Markdown extension is disabled: the page as text.
    output.warn(
      `Markdown preview unavailable (${e instanceof Error ? e.message : String(e)}); opening ${page.fsPath} as text`,
    );
    await vscode.window.showTextDocument(page, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
  return page;
}

/**
 * The Async Lint output channel as the LanguageClient sees it. vscode-languageclient (since 9)
 * traces the LSP traffic only while its channel's log level is Trace, whatever
 * `asyncLint.trace.server` says, and writes the traces at trace level and the server's debug
 * messages at debug level, which a channel at its default level (Info) hides: the setting alone
 * showed nothing until the user also raised the channel's level (Developer: Set Log Level). This
 * view reports level Trace while the setting asks for a trace (and tells the client when the setting
 * changes), and writes at info level what the channel's own level would hide. With the setting off,
 * it is the channel as it is.
 */
class TraceAwareChannel implements vscode.LogOutputChannel {
  private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly channel: vscode.LogOutputChannel) {
    this.subscriptions = [
      this.changed,
      channel.onDidChangeLogLevel(() => this.changed.fire(this.logLevel)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS_SECTION}.trace.server`)) this.changed.fire(this.logLevel);
      }),
    ];
  }

  /** `asyncLint.trace.server` asks for the traffic. */
  get tracing(): boolean {
    const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trace.server', 'off');
    return value === 'messages' || value === 'verbose';
  }

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): vscode.LogLevel {
    return this.tracing ? vscode.LogLevel.Trace : this.channel.logLevel;
  }

  trace(message: string, ...args: unknown[]): void {
    this.below(vscode.LogLevel.Trace, message, args);
  }

  debug(message: string, ...args: unknown[]): void {
    this.below(vscode.LogLevel.Debug, message, args);
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(message, ...args);
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(error, ...args);
  }

  append(value: string): void {
    this.channel.append(value);
  }

  appendLine(value: string): void {
    this.channel.appendLine(value);
  }

  replace(value: string): void {
    this.channel.replace(value);
  }

  clear(): void {
    this.channel.clear();
  }

  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    this.channel.show(typeof columnOrPreserveFocus === 'boolean' ? columnOrPreserveFocus : preserveFocus);
  }

  hide(): void {
    this.channel.hide();
  }

  /** The channel itself belongs to activate(). */
  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** A trace or debug line: at its level when the channel shows that level, else at info while tracing. */
  private below(level: vscode.LogLevel.Trace | vscode.LogLevel.Debug, message: string, args: unknown[]): void {
    const own = this.channel.logLevel;
    if (own !== vscode.LogLevel.Off && own <= level) {
      if (level === vscode.LogLevel.Trace) this.channel.trace(message, ...args);
      else this.channel.debug(message, ...args);
    } else if (this.tracing) {
      this.channel.info(message, ...args);
    }
  }
}

/** The language status item: the active document's state, or the server's when it is not running. */
class StatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('asyncLint.status', [
    ...SELECTOR,
    ...NOTEBOOK_CELLS.map((c) => ({ notebookType: c.notebook.notebookType, language: c.language })),
  ]);
  private readonly byUri = new Map<string, StatusParams>();
  private server: ServerState = 'starting';
  /** The server states shown, for the test hooks. */
  readonly history: ServerState[] = ['starting'];
  private serverMessage: string | undefined;
  /** A problem not tied to one document (a broken configuration file). */
  private global: StatusParams | undefined;

  constructor() {
    this.item.name = 'Async Lint';
    this.render();
  }

  serverState(state: ServerState, message?: string): void {
    if (this.history[this.history.length - 1] !== state) this.history.push(state);
    this.server = state;
    this.serverMessage = message;
    this.render();
  }

  get state(): ServerState {
    return this.server;
  }

  update(p: StatusParams): void {
    if (p.uri) {
      this.byUri.set(p.uri, p);
      // A document analysed without a configuration problem means the problem is gone.
      if (p.state !== 'error' && this.global?.state === 'error') this.global = undefined;
    } else {
      this.global = p;
    }
    this.render();
  }

  clear(): void {
    this.byUri.clear();
    this.global = undefined;
    this.render();
  }

  render(): void {
    const item = this.item;
    item.busy = false;
    item.severity = vscode.LanguageStatusSeverity.Information;
    item.command = { command: Commands.showOutput, title: 'Show Output' };
    if (this.server !== 'running') {
      item.text = `Async Lint: ${this.server}`;
      item.busy = this.server === 'starting' || this.server === 'restarting';
      item.detail = this.serverMessage;
      if (this.server === 'failed') {
        // Not running until the user acts: the item offers the way back.
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.text = 'Async Lint: server stopped';
        item.command = { command: Commands.restartServer, title: 'Restart' };
      } else if (this.server === 'restarting') {
        item.severity = vscode.LanguageStatusSeverity.Warning;
      }
      return;
    }
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const doc = uri ? this.byUri.get(uri) : undefined;
    const s = doc?.state === 'error' || !doc ? (this.global?.state === 'error' ? this.global : doc) : doc;
    switch (s?.state) {
      case 'analysing':
        item.text = 'Async Lint: analysing';
        item.busy = true;
        item.detail = s.message;
        break;
      case 'findings':
        item.text = `Async Lint: ${s.findings} finding${s.findings === 1 ? '' : 's'}`;
        item.detail = s.elapsedMs !== undefined ? `analysed in ${Math.round(s.elapsedMs)} ms` : s.message;
        this.slow(s);
        break;
      case 'error':
        item.text = 'Async Lint: error';
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.detail = s.message;
        break;
      default:
        item.text = 'Async Lint: ready';
        item.detail =
          s?.message ?? (s?.elapsedMs !== undefined ? `no findings (${Math.round(s.elapsedMs)} ms)` : undefined);
        if (s) this.slow(s);
    }
  }

  private slow(s: StatusParams): void {
    if (s.elapsedMs === undefined || s.elapsedMs <= SLOW_MS) return;
    this.item.severity = vscode.LanguageStatusSeverity.Warning;
    this.item.detail = `slow: this file took ${(s.elapsedMs / 1000).toFixed(1)} s to analyse (consider asyncLint.run: onSave or asyncLint.exclude)`;
  }

  dispose(): void {
    this.item.dispose();
  }
}
