// The engine: routes a file to its language backend, then applies configuration (which rules,
// what severity), suppression comments, sorting and de-duplication. Front doors (CLI, server)
// call only this; rules never know which front door asked.
import path from 'node:path';
import type { ResolvedConfig } from './config';
import { AnalysisStopped } from './dispatch';
import type { LineSafety } from './directive-edit';
import { applyFixes, MAX_FIX_PASSES } from './fixes';
import { applySuppressions, directiveProblems, parseDirectives, type Directive } from './suppress';
import { RULE_IDS } from './rules';
import { LineIndex } from './text';
import type {
  Comment,
  Fix,
  Finding,
  Language,
  LintResult,
  Report,
  RuleFailure,
  Severity,
  Skip,
  SyntaxProblem,
} from './types';

/** What a backend gets for one file. */
export interface AnalysisRequest {
  path: string;
  text: string;
  /** Document version in the server; undefined on the CLI (text is as on disk). */
  version?: number;
  config: ResolvedConfig;
  /** Rules to run (severity not off), in registry order. */
  rules: readonly string[];
  /** Collect per-phase and per-rule milliseconds. */
  timings?: Record<string, number>;
  /**
   * Milliseconds the rules may take on this file (the server's per-file budget), counted once the
   * file is parsed; past it the analysis stops with AnalysisStopped. Undefined: no limit (CLI).
   */
  timeBudgetMs?: number;
  /**
   * The text is a Jupyter notebook's code cells joined in order (python/notebook.ts), each cell
   * starting at `cellStarts[i]`: top-level code runs in IPython's event loop (a top-level `await` is
   * allowed), and a cell's last expression is kept as its output.
   */
  notebook?: NotebookCells;
}

/** Where each code cell of a notebook begins in the joined text (see AnalysisRequest.notebook). */
export interface NotebookCells {
  readonly cellStarts: readonly number[];
}

export interface RuleReport extends Report {
  ruleId: string;
}

export interface Analysis {
  reports: RuleReport[];
  comments: Comment[];
  syntaxErrors: SyntaxProblem[];
  ruleFailures: RuleFailure[];
  /**
   * Where the innermost statement holding an offset starts, if the backend can tell: a
   * `next-line` suppression before a statement's first line covers findings on its later lines.
   */
  statementStart?(offset: number): number | undefined;
}

/**
 * What a language is to the front doors, as plain data: which files are its, which editor
 * documents, how its comments are written. Each language states them once, in
 * `<language>/language.ts`; its backend carries them, and `language-facts.ts` lists them for what
 * must not load a backend (the VS Code client, the CLI's help, `npm run generate`).
 */
export interface LanguageFacts {
  readonly language: Language;
  /**
   * Lower-case extensions with the dot: the files the backend lints (the CLI's walk, Lint
   * Workspace, --stdin-filename) and the server asks the client to watch.
   */
  readonly extensions: readonly string[];
  /**
   * The LSP / VS Code language ids of its documents (the client's document selector and activation
   * events), each with the extension a document of that id is analysed under when it has no file
   * name (untitled documents, virtual workspaces).
   */
  readonly languageIds: Readonly<Record<string, string>>;
  /** The line-comment leader directives are written with: `//` or `#`. */
  readonly lineComment: string;
}

/** One language: parses, runs its rules, reports raw findings. Knows nothing of LSP or the CLI. */
export interface LanguageBackend extends LanguageFacts {
  /** One-time asynchronous set-up (loading a parser). Idempotent. */
  ready(): Promise<void>;
  analyze(request: AnalysisRequest): Analysis;
  /** Parse errors of a text, to check that fixes add none. */
  syntaxErrors(path: string, text: string): SyntaxProblem[];
  /**
   * Whether an edit far from a syntax error can change how the parser recovers from it. True for
   * tree-sitter (its recovery weighs the whole file: a fix 100 lines below the errors took a file
   * from 3 to 27 of them); then, in a file that does not parse, every fix is checked, not only
   * those near an error.
   */
  readonly nonLocalErrorRecovery?: boolean;
  /** The rule ids this backend implements. */
  readonly ruleIds: readonly string[];
  /**
   * Where a suppression directive may be written in a text (the CLI's --add-noqa, the editor's
   * "Disable <rule> for this line"); computed as it is asked.
   */
  lineSafety?(path: string, text: string): LineSafety;
  /**
   * Announces every file a run will analyse before the first analysis (the CLI does this, in the
   * order it will analyse them, with their texts), so a backend can build one program or index for
   * all of them instead of growing it file by file, or parse them ahead in other threads.
   */
  prepare?(files: readonly string[], texts?: readonly string[]): void;
  /**
   * The CLI with --cache: of the prepared files, those it will analyse (its cache misses), with
   * their texts, in order; a backend may parse them ahead in other threads, as prepare() with
   * texts does for all of them.
   */
  parseAhead?(files: readonly { path: string; text: string }[]): void;
  /**
   * Whether what the backend finds in a file depends on the other files of the run (Python:
   * unused-async counts the uses of a name in them). The CLI's --shard then still prepares the
   * backend with every file of the run, though it analyses only its part's.
   */
  readonly wholeRun?: boolean;
  /**
   * The workspace's files (the server, at start and when folders change), for questions about the
   * whole workspace (where is this name used?); unlike prepare(), they are not all to be analysed.
   */
  knowWorkspaceFiles?(files: readonly string[]): void;
  /** A file was created, changed or deleted on disk (the server's didChangeWatchedFiles). */
  fileChanged?(file: string): void;
  /** An editor closed a document: from now on its text comes from disk. */
  closeDocument?(file: string): void;
  /**
   * Lines for --stats about how the backend worked (which engine, what it counted, Python: files
   * parsed in worker threads); none before its first file.
   */
  statsNotes?(): string[];
  /**
   * The projects the backend made so far (TypeScript: one per tsconfig/jsconfig and per inferred
   * folder), for the server's log; each keeps its identity while it lives.
   */
  projects?(): readonly BackendProject[];
  /** Ends child processes and drops programs (the CLI calls this when the run is over). */
  dispose?(): void;
  /** What the backend offers the CLI's --cache (see CacheSupport); without it nothing is cached. */
  readonly cache?: CacheSupport;
}

/** A project of a backend, as the server's log names it. */
export interface BackendProject {
  readonly description: string;
}

/**
 * The CLI's --cache (cli/cache.ts) reuses a file's result when its text and configuration are
 * the same as when it was linted and everything else its analysis read is too. The backend
 * records that "everything else" (for Python, the answers of the module index; for TypeScript,
 * what building the project's program read) as JSON data, its dependencies, and later checks them
 * against the present. Only the CLI uses this, for files on disk and no open documents.
 */
export interface CacheSupport {
  /**
   * Called once, before prepare() and the first analysis: record dependencies from now on.
   * `state` is what save() returned in an earlier run of the same build (undefined: none).
   */
  begin(state: unknown): void;
  /**
   * The dependencies of the last analysis of `file` (JSON data), or undefined when they cannot
   * be told (then its result is not cached).
   */
  dependencies(file: string): unknown;
  /**
   * After prepare() with every file of the run: whether dependencies an earlier run recorded for
   * `file` are unchanged, so that analysing it now would give the result it gave then.
   */
  unchanged(file: string, dependencies: unknown): boolean;
  /** What to keep for the next run; `kept` are the dependencies of the results the cache keeps. */
  save(kept: readonly unknown[]): unknown;
}

export interface LintOptions {
  version?: number;
  timings?: boolean;
  /** See AnalysisRequest.timeBudgetMs. */
  timeBudgetMs?: number;
  /** See AnalysisRequest.notebook: the text is a notebook's code cells, analysed as Python. */
  notebook?: NotebookCells;
  /**
   * Severities whose findings the caller drops unseen (the CLI's hints without --include-hints):
   * rules configured at one of them are not run at all for this file.
   */
  unreported?: ReadonlySet<Severity>;
}

export const TOO_DEEP_MESSAGE = 'skipped: nested too deeply to analyse (the parser ran out of stack)';

/** A JavaScript stack overflow (V8 reports it as a RangeError). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack size/i.test(e.message);
}

/** NUL bytes in the first 8 KiB mean a binary file, as git decides it. */
export function looksBinary(text: string): boolean {
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  return head.includes('\u0000');
}

/** Why a text should not be analysed, if it should not: too large or binary. `size` is in bytes. */
export function skipReason(
  text: string,
  config: Pick<ResolvedConfig, 'maxFileSize'>,
  size = Buffer.byteLength(text),
): Skip | undefined {
  if (size > config.maxFileSize) {
    return {
      reason: 'too-large',
      message: `skipped: ${formatBytes(size)} is over maxFileSize (${formatBytes(config.maxFileSize)})`,
    };
  }
  if (looksBinary(text)) return { reason: 'binary', message: 'skipped: binary file' };
  return undefined;
}

export class Linter {
  private readonly byExtension = new Map<string, LanguageBackend>();

  constructor(readonly backends: readonly LanguageBackend[]) {
    for (const b of backends) for (const ext of b.extensions) this.byExtension.set(ext, b);
  }

  /** Ends what the backends started (TypeScript 7's child process). */
  dispose(): void {
    for (const b of this.backends) b.dispose?.();
  }

  async ready(): Promise<void> {
    await Promise.all(this.backends.map((b) => b.ready()));
  }

  backendFor(file: string): LanguageBackend | undefined {
    return this.byExtension.get(path.extname(file).toLowerCase());
  }

  supports(file: string): boolean {
    return this.backendFor(file) !== undefined;
  }

  /** The backend of notebooks' code cells (Jupyter notebooks with a Python kernel). */
  notebookBackend(): LanguageBackend | undefined {
    return this.backends.find((b) => b.language === 'python');
  }

  lint(file: string, text: string, config: ResolvedConfig, options: LintOptions = {}): LintResult {
    const backend = options.notebook ? this.notebookBackend() : this.backendFor(file);
    if (!backend) throw new Error(`no language backend for ${file}`);
    const base = { path: file, language: backend.language, findings: [], syntaxErrors: [], ruleFailures: [] };
    const skipped = skipReason(text, config);
    if (skipped) return { ...base, skipped };

    const unreported = options.unreported;
    const rules = backend.ruleIds.filter((id) => {
      const severity = config.severities.get(id) ?? 'off';
      return severity !== 'off' && !unreported?.has(severity);
    });
    const timings: Record<string, number> | undefined = options.timings ? {} : undefined;
    let analysis: Analysis;
    try {
      analysis = backend.analyze({
        path: file,
        text,
        version: options.version,
        config,
        rules,
        timings,
        timeBudgetMs: options.timeBudgetMs,
        notebook: options.notebook,
      });
    } catch (e) {
      if (e instanceof AnalysisStopped) return { ...base, skipped: e.skip };
      // TypeScript's parser, binder and checker recurse on the syntax tree: a few hundred levels
      // of nesting exhaust the stack. That is a limit of the input, said plainly.
      if (isStackOverflow(e)) return { ...base, skipped: { reason: 'too-deep', message: TOO_DEEP_MESSAGE } };
      return { ...base, skipped: { reason: 'internal-error', message: `internal error: ${(e as Error).stack ?? e}` } };
    }
    const lines = new LineIndex(text);
    const findings: Finding[] = [];
    for (const r of analysis.reports) {
      const severity = config.severities.get(r.ruleId);
      if (!severity || severity === 'off') continue;
      findings.push(toFinding(r, severity as Severity, lines));
    }
    const statementStart = analysis.statementStart?.bind(analysis);
    const statementLine =
      statementStart &&
      ((offset: number) => {
        const at = statementStart(offset);
        return at === undefined ? undefined : lines.lineOf(at);
      });
    const directives = parseDirectives(analysis.comments, lines, backend.language);
    const used = new Map<Directive, Set<string>>();
    const kept = applySuppressions(dedupe(findings), directives, statementLine, used);
    const problems = directiveProblems(directives, used, RULE_IDS).map((p) => ({
      ...p,
      range: lines.range(p.start, p.end),
    }));
    kept.sort(compareFindings);
    if (analysis.syntaxErrors.length > 0) keepFixesThatParse(backend, file, text, lines, kept, analysis.syntaxErrors);
    return {
      ...base,
      findings: kept,
      syntaxErrors: analysis.syntaxErrors,
      ruleFailures: analysis.ruleFailures,
      ...(problems.length > 0 ? { directiveProblems: problems } : {}),
      timings,
    };
  }

  /**
   * Applies safe fixes until none are left or MAX_FIX_PASSES is reached; with `unsafe`, each
   * finding's first fix that may be applied in bulk when it has no safe one; with `ruleId`, only
   * that rule's (the editor's "Fix all <rule> problems"). A fix marked `individualOnly` is never
   * applied here. A pass whose result has more syntax errors than the text it started from is
   * dropped, and fixing stops there.
   */
  fix(
    file: string,
    text: string,
    config: ResolvedConfig,
    options: { unsafe?: boolean; ruleId?: string } = {},
  ): { text: string; applied: number; result: LintResult } {
    const backend = this.backendFor(file);
    if (!backend) throw new Error(`no language backend for ${file}`);
    let current = text;
    let applied = 0;
    let result = this.lint(file, current, config);
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const chosen: Fix[] = [];
      for (const f of result.findings) {
        if (options.ruleId !== undefined && f.ruleId !== options.ruleId) continue;
        const fix = bulkFix(f, options.unsafe === true);
        if (fix) chosen.push(fix);
      }
      if (chosen.length === 0) break;
      const out = applyFixes(current, chosen);
      if (out.applied.length === 0 || out.text === current) break;
      // Both counts from the same parser: the analysis's own parse may have been incremental.
      let before: number;
      let after: number;
      try {
        before = backend.syntaxErrors(file, current).length;
        after = backend.syntaxErrors(file, out.text).length;
      } catch {
        break; // the fixed text cannot even be parsed (too deep): keep the last good one
      }
      if (after > before) break;
      current = out.text;
      applied += out.applied.length;
      result = this.lint(file, current, config);
    }
    return { text: current, applied, result };
  }
}

/**
 * The fix a bulk pass (`--fix`, fix-all) applies to a finding: its first safe one; with `unsafe`,
 * else its first suggestion. Never one marked `individualOnly`.
 */
export function bulkFix(finding: Finding, unsafe: boolean): Fix | undefined {
  const bulk = finding.fixes.filter((x) => !x.individualOnly);
  return bulk.find((x) => x.safe) ?? (unsafe ? bulk[0] : undefined);
}

/** Lines around a syntax error where fixes are checked before they are offered. */
const NEAR_ERROR_LINES = 20;
/** Fixes re-parsed per analysis at most; near-error fixes past it are not offered. */
const MAX_CHECKED_FIXES = 16;

/**
 * In a file that does not parse, the syntax tree near an error is the parser's guess, and a fix
 * built from it can make the file worse (`for (const x of) ...` has no iterable to rewrite). Near
 * a syntax error (anywhere, for a backend whose parser recovers non-locally), a fix is offered
 * only if applying it adds no syntax error; the check costs a parse per fix, so it is bounded.
 * Away from errors, fixes are the rules' own (the fuzzer checks them all).
 */
function keepFixesThatParse(
  backend: LanguageBackend,
  file: string,
  text: string,
  lines: LineIndex,
  findings: Finding[],
  errors: readonly SyntaxProblem[],
): void {
  const errorLines = [...new Set(errors.map((e) => lines.lineOf(e.start)))].sort((a, b) => a - b);
  const nearError = (offset: number) => {
    const line = lines.lineOf(offset);
    let lo = 0;
    let hi = errorLines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (Math.abs(errorLines[mid] - line) <= NEAR_ERROR_LINES) return true;
      if (errorLines[mid] < line) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  const count = (t: string): number | undefined => {
    try {
      return backend.syntaxErrors(file, t).length;
    } catch {
      return undefined;
    }
  };
  let baseline: number | undefined;
  let budget = MAX_CHECKED_FIXES;
  for (const f of findings) {
    if (f.fixes.length === 0) continue;
    f.fixes = f.fixes.filter((fix) => {
      if (!backend.nonLocalErrorRecovery && !fix.edits.some((e) => nearError(e.start) || nearError(e.end))) return true;
      if (budget-- <= 0) return false;
      baseline ??= count(text);
      const after = count(applyFixes(text, [fix]).text);
      return baseline !== undefined && after !== undefined && after <= baseline;
    });
  }
}

function toFinding(r: RuleReport, severity: Severity, lines: LineIndex): Finding {
  return {
    ruleId: r.ruleId,
    severity,
    message: r.message,
    start: r.start,
    end: r.end,
    range: lines.range(r.start, r.end),
    fixes: r.fixes ?? [],
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}:${f.start}:${f.end}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.start - b.start || a.end - b.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
