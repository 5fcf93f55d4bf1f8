// The messages between the VS Code client and the language server beyond standard LSP, declared
// once and imported by both sides (client/src/extension.ts and server/src/server.ts), plus the
// editor settings' shape. Other LSP editors need none of this: everything here is optional.
// Plain data, no imports at run time: the client and the server bundle different releases of
// vscode-jsonrpc, so each side registers these by `method` and takes its types from here.
import type { SeverityOrOff } from './engine/types';

/** A request: its method name, with its params and result as types. */
export interface RequestSpec<P, R> {
  readonly method: string;
  /** Never set: carries the types. */
  readonly types?: { params: P; result: R };
}

/** A notification: its method name, with its params as a type. */
export interface NotificationSpec<P> {
  readonly method: string;
  readonly types?: { params: P };
}

/** The language server's name in logs, and `source` of every diagnostic. */
export const SOURCE = 'async-lint';

/** The code-action kind for `editor.codeActionsOnSave`: applies every safe fix. */
export const FIX_ALL_KIND = 'source.fixAll.asyncLint';

/** VS Code command ids (contributed in package.json). */
export const Commands = {
  lintWorkspace: 'asyncLint.lintWorkspace',
  restartServer: 'asyncLint.restartServer',
  showOutput: 'asyncLint.showOutput',
  /** Opens a rule's bundled page in the Markdown preview; arguments: [ruleId] (none: pick one). */
  showRuleDocumentation: 'asyncLint.showRuleDocumentation',
} as const;

/** `workspace/executeCommand` command the server offers to any editor (same as the request below). */
export const SERVER_LINT_WORKSPACE_COMMAND = 'async-lint.server.lintWorkspace';

/**
 * `workspace/executeCommand` command of the "Show documentation for <rule>" code action; arguments:
 * [ruleId]. The server asks the client to open the rule's page, as installed beside the server
 * (`window/showDocument` with its file: URI), or, to a client that cannot show documents, says in a
 * message where the page is. The VS Code client runs Commands.showRuleDocumentation instead.
 */
export const SERVER_SHOW_RULE_DOCUMENTATION_COMMAND = 'async-lint.server.showRuleDocumentation';

/** What SERVER_SHOW_RULE_DOCUMENTATION_COMMAND answers. */
export interface ShowRuleDocumentationResult {
  /** The page: a file: URI of the installed page, or its web address when the page is missing. */
  uri: string;
  /** Whether the client said it showed the page (`window/showDocument` succeeded). */
  shown: boolean;
}

/** When diagnostics are recomputed: as you type (debounced) or when the file is saved. */
export type RunMode = 'onType' | 'onSave';

/** The `asyncLint.*` editor settings, as the server reads them per resource. */
export interface Settings {
  enable: boolean;
  /** Severity per rule id; the project's async-lint.json / package.json / pyproject.toml wins. */
  rules: Record<string, SeverityOrOff>;
  run: RunMode;
  /** Glob patterns (relative to the workspace folder) of files not to lint. */
  exclude: string[];
  /** Milliseconds the rules may spend on one file; past it the file gets a message instead of findings. */
  timeBudget: number;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, rules: {}, run: 'onType', exclude: [], timeBudget: 5000 };

/** The configuration section the server asks for with `workspace/configuration`. */
export const SETTINGS_SECTION = 'asyncLint';

/** What the client tells the server at start-up (LSP `initializationOptions`). */
export interface InitializationOptions {
  /** Send `asyncLint/status` notifications (the VS Code client shows them in a language status item). */
  statusNotifications?: boolean;
}

// ---- asyncLint/lintWorkspace ---------------------------------------------------------------

export interface LintWorkspaceParams {
  /** LSP work-done progress token: progress is reported on it, else on a server-created one. */
  workDoneToken?: number | string;
}

export interface LintWorkspaceResult {
  /** Files analysed. */
  files: number;
  /** Findings in all of them, after configuration and suppressions. */
  findings: number;
  /** Files with at least one finding. */
  filesWithFindings: number;
  /** Files that could not be analysed (too large, unreadable, internal error). */
  skipped: number;
}

/**
 * Analyses every supported file of every workspace folder and publishes all findings, with
 * progress on the request's workDoneToken. Cancelling it answers RequestCancelled; what was
 * analysed by then stays published.
 */
export const LintWorkspaceRequest: RequestSpec<LintWorkspaceParams, LintWorkspaceResult> = {
  method: 'asyncLint/lintWorkspace',
};

// ---- asyncLint/status ----------------------------------------------------------------------

export type StatusState = 'ready' | 'analysing' | 'findings' | 'error';

export interface StatusParams {
  /** The document this is about; absent for server-wide states (a broken config, a workspace run). */
  uri?: string;
  state: StatusState;
  /** Findings in the document (state `findings` or `ready`). */
  findings?: number;
  /** One line for people: what went wrong, or what is being analysed. */
  message?: string;
  /** Milliseconds the last analysis took. */
  elapsedMs?: number;
}

/** Server -> client: the state of a document's analysis, for the language status item. */
export const StatusNotification: NotificationSpec<StatusParams> = { method: 'asyncLint/status' };
