// The VS Code side of async-lint, and the only module that knows VS Code: starts the bundled
// language server over IPC, shows the state of the active document in a language status item,
// and offers the commands. All analysis happens in the server (dist/server.js).
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, WorkDoneProgress, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  Commands,
  LintWorkspaceRequest,
  SETTINGS_SECTION,
  StatusNotification,
  type InitializationOptions,
  type LintWorkspaceParams,
  type LintWorkspaceResult,
  type StatusParams,
} from '../../server/src/protocol';

/** An analysis slower than this turns the status item into a warning (like vscode-eslint's time budget). */
const SLOW_MS = 2000;

const LANGUAGES = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python'];
/** Files on disk and untitled documents; in a virtual workspace only untitled ones (the server reads files from disk). */
const SELECTOR: { scheme: string; language: string }[] = LANGUAGES.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: StatusItem;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Async Lint', { log: true });
  status = new StatusItem();
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, () => restart(context)),
    vscode.commands.registerCommand(Commands.lintWorkspace, () => lintWorkspace()),
    vscode.window.onDidChangeActiveTextEditor(() => status.render()),
  );
  await start(context);
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
    documentSelector: SELECTOR,
    outputChannel: output,
    initializationOptions,
    diagnosticCollectionName: 'async-lint',
    // Pull again on every change (the server debounces) and on save (run: onSave).
    diagnosticPullOptions: { onChange: true, onSave: true },
    synchronize: { configurationSection: SETTINGS_SECTION },
  };
  const c = new LanguageClient('asyncLint', 'Async Lint', serverOptions, clientOptions);
  context.subscriptions.push(
    c.onDidChangeState((e) => {
      if (e.newState === State.Running) status.serverState('running');
      else if (e.newState === State.Starting) status.serverState('starting');
      else status.serverState('stopped');
    }),
  );
  c.onNotification(StatusNotification.method, (p: StatusParams) => status.update(p));
  client = c;
  try {
    await c.start();
  } catch (e) {
    status.serverState('failed', String(e));
    output.error(`Async Lint could not start its server: ${e}`);
    void vscode.window.showErrorMessage('Async Lint could not start its server; see the output.', 'Show Output').then((pick) => {
      if (pick) output.show(true);
    });
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop().catch((e: unknown) => output.warn(`stopping the server: ${e}`));
    c.dispose();
  }
  status.clear();
  await start(context);
  output.info('Async Lint server restarted');
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

/** The language status item: the active document's state, or the server's when it is not running. */
class StatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('asyncLint.status', SELECTOR);
  private readonly byUri = new Map<string, StatusParams>();
  private server: 'starting' | 'running' | 'stopped' | 'failed' = 'starting';
  private serverMessage: string | undefined;
  /** A problem not tied to one document (a broken configuration file). */
  private global: StatusParams | undefined;

  constructor() {
    this.item.name = 'Async Lint';
    this.item.command = { command: Commands.showOutput, title: 'Show Output' };
    this.render();
  }

  serverState(state: 'starting' | 'running' | 'stopped' | 'failed', message?: string): void {
    this.server = state;
    this.serverMessage = message;
    this.render();
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
    if (this.server !== 'running') {
      item.text = this.server === 'starting' ? 'Async Lint: starting' : 'Async Lint: stopped';
      item.busy = this.server === 'starting';
      item.detail = this.serverMessage;
      if (this.server === 'failed') {
        item.severity = vscode.LanguageStatusSeverity.Error;
        item.text = 'Async Lint: error';
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
        item.detail = s?.message ?? (s?.elapsedMs !== undefined ? `no findings (${Math.round(s.elapsedMs)} ms)` : undefined);
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
