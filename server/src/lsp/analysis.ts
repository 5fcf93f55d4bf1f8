// The server's analysis state, independent of the connection: one Linter (its backends live as long
// as the server: TypeScript's programs stay incremental across edits), configuration
// resolvers per distinct editor settings, the last good configuration per folder (a broken
// project file must not stop analysis), and rule failures logged once per rule and file. It also
// says in the log which configuration files and backends' projects it uses (once each, and again
// after a configuration file changed) and, at debug level, how long each analysis took.
import path from 'node:path';
import { ConfigError, ConfigResolver, type ConfigFileSystem, type ResolvedConfig } from '../engine/config';
import type { BackendProject, Linter, NotebookCells } from '../engine/linter';
import type { LintResult } from '../engine/types';
import { createLinter } from '../languages';
import type { Settings } from '../protocol';
import { Exclusions, readTextFile, type Workspace } from './workspace';

export interface AnalysisLog {
  /** Per-file detail (each analysis and its time): LSP's debug level, hidden by default. */
  debug?(message: string): void;
  info(message: string): void;
  error(message: string): void;
  /** A project configuration file is broken (shown to the person once per distinct problem). */
  configProblem(error: ConfigError): void;
}

/** Names of files whose change means the project configuration may have changed. */
export const CONFIG_FILE_NAMES = new Set(['async-lint.json', 'package.json', 'pyproject.toml']);

export type LintOutcome =
  | { kind: 'linted'; result: LintResult; config: ResolvedConfig; elapsedMs: number; configProblem?: ConfigError }
  | { kind: 'not-linted'; reason: 'disabled' | 'unsupported' | 'excluded'; configProblem?: ConfigError };

export interface ConfigOutcome {
  config: ResolvedConfig;
  /** The project file is broken: `config` is the last good one (or the editor settings alone). */
  problem?: ConfigError;
}

export class Analysis {
  readonly linter: Linter;
  private readonly resolvers = new Map<string, ConfigResolver>();
  private readonly lastGood = new Map<string, ResolvedConfig>();
  private readonly loggedFailures = new Set<string>();
  /** Configuration files (or `\0` + lint root where there is none) already named in the log. */
  private readonly loggedConfigs = new Set<string>();
  private readonly loggedProjects = new WeakSet<BackendProject>();
  private readonly exclusions = new Exclusions();
  private readonly configFs: ConfigFileSystem;

  constructor(
    private readonly workspace: Workspace,
    private readonly log: AnalysisLog,
    /** Paths of open documents that lie outside every workspace folder. */
    private readonly openOutsideFolders: () => Iterable<string>,
    /** The engine; by default every language backend, within the workspace's read boundary. */
    linter?: Linter,
  ) {
    // Projects and Python roots are looked for only inside the workspace folder holding a file
    // (a document from outside every folder: its own folder); Python reads only what mayRead allows.
    const boundary = (file: string) => this.workspace.discoveryBoundary(file);
    const mayRead = (file: string) => this.workspace.mayRead(file, this.openOutsideFolders());
    this.linter = linter ?? createLinter({ readBoundary: { boundary, mayRead } });
    this.configFs = {
      readFile: (f) => (mayRead(f) ? readTextFile(f) : undefined),
    };
  }

  ready(): Promise<void> {
    return this.linter.ready();
  }

  supports(file: string): boolean {
    return this.linter.supports(file);
  }

  /**
   * Globs the client watches for the server: every backend's files (what the module index and the
   * TypeScript programs read, `.pyi` stubs too) and configuration files.
   */
  watchedGlobs(): string[] {
    const extensions = this.linter.backends.flatMap((b) => b.extensions.map((e) => e.slice(1)));
    return [
      `**/*.{${extensions.join(',')}}`,
      `**/{${[...CONFIG_FILE_NAMES].join(',')}}`,
      '**/{tsconfig,jsconfig}*.json',
    ];
  }

  /** The configuration for a file: the project file over the editor settings; the last good one if it is broken. */
  configFor(file: string, settings: Settings): ConfigOutcome {
    const { config, problem, resolver } = this.resolveDir(path.dirname(file), settings);
    return { config: resolver.applyOverrides(config, file), problem };
  }

  /** The configuration that governs the files of a folder (before any file's `overrides`). */
  configForDir(dir: string, settings: Settings): ConfigOutcome {
    const { config, problem } = this.resolveDir(dir, settings);
    return { config, problem };
  }

  private resolveDir(dir: string, settings: Settings): ConfigOutcome & { resolver: ConfigResolver } {
    const key = JSON.stringify(settings.rules);
    // A folder outside every workspace folder (a document opened from elsewhere): its own
    // configuration files only, even where another such document makes a folder above readable.
    const outside = this.workspace.folderOf(dir) === undefined;
    const resolverKey = outside ? `${key}\0${dir}` : key;
    // The lint root where no configuration file applies: the workspace folder (the innermost
    // holding the folder), or a document's own folder outside every workspace folder.
    const defaultRoot = (d: string) => this.workspace.folderOf(d) ?? d;
    let resolver = this.resolvers.get(resolverKey);
    if (!resolver) {
      const fs: ConfigFileSystem = outside
        ? { readFile: (f) => (path.dirname(f) === dir ? this.configFs.readFile(f) : undefined) }
        : this.configFs;
      resolver = new ConfigResolver(fs, { defaults: { rules: settings.rules }, defaultRoot });
      this.resolvers.set(resolverKey, resolver);
    }
    const goodKey = `${key}\0${dir}`;
    try {
      const config = resolver.forDir(dir);
      this.lastGood.set(goodKey, config);
      this.logConfig(config);
      return { config, resolver };
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.log.configProblem(e);
      const previous = this.lastGood.get(goodKey);
      if (previous) return { config: previous, problem: e, resolver };
      // Never good since the server started: the editor settings alone.
      const config = new ConfigResolver(
        { readFile: () => undefined },
        { defaults: { rules: settings.rules }, defaultRoot },
      ).forDir(dir);
      return { config, problem: e, resolver };
    }
  }

  isExcluded(file: string, settings: Settings, config: ResolvedConfig): boolean {
    return this.exclusions.isExcluded(file, this.workspace.folderOf(file), settings.exclude, config);
  }

  /**
   * Lints one text. `version` is the editor's document version (undefined for a file read from
   * disk); `notebook`, for a notebook's code cells joined (lsp/notebooks.ts), where its cells begin.
   * Never throws: an internal error becomes a skipped result and is logged once.
   */
  lint(
    file: string,
    text: string,
    version: number | undefined,
    settings: Settings,
    notebook?: NotebookCells,
  ): LintOutcome {
    if (!settings.enable) return { kind: 'not-linted', reason: 'disabled' };
    const backend = notebook ? this.linter.notebookBackend() : this.linter.backendFor(file);
    if (!backend) return { kind: 'not-linted', reason: 'unsupported' };
    const { config, problem } = this.configFor(file, settings);
    if (this.isExcluded(file, settings, config))
      return { kind: 'not-linted', reason: 'excluded', configProblem: problem };
    const t0 = performance.now();
    let result: LintResult;
    try {
      result = this.linter.lint(file, text, config, { version, timeBudgetMs: settings.timeBudget, notebook });
    } catch (e) {
      result = {
        path: file,
        language: backend.language,
        findings: [],
        syntaxErrors: [],
        ruleFailures: [],
        skipped: { reason: 'internal-error', message: `internal error: ${(e as Error).stack ?? e}` },
      };
    }
    const elapsedMs = performance.now() - t0;
    this.logFailures(result);
    this.logProjects(backend.projects?.() ?? []);
    const what = result.skipped
      ? result.skipped.message.split('\n')[0]
      : `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}`;
    this.log.debug?.(
      `analysed ${file}${version === undefined ? ' (from disk)' : ` (version ${version})`} in ${elapsedMs.toFixed(1)} ms: ${what}`,
    );
    return { kind: 'linted', result, config, elapsedMs, configProblem: problem };
  }

  /**
   * Applies every safe fix (as `--fix` does), or with `ruleId` that rule's; returns the fixed text. The editor's document keeps
   * its text until the client applies the edit, so the backends are given that text back.
   */
  fixAll(file: string, text: string, version: number | undefined, settings: Settings, ruleId?: string): string {
    if (!settings.enable || !this.linter.supports(file)) return text;
    const { config } = this.configFor(file, settings);
    if (this.isExcluded(file, settings, config)) return text;
    try {
      const out = this.linter.fix(file, text, config, { ruleId });
      this.logFailures(out.result);
      if (out.text !== text) this.linter.lint(file, text, config, { version });
      return out.text;
    } catch (e) {
      this.log.error(`fix-all failed on ${file}: ${(e as Error).stack ?? e}`);
      return text;
    }
  }

  /** A file changed on disk. Returns true when it was a configuration file. */
  fileChanged(file: string): boolean {
    for (const b of this.linter.backends) b.fileChanged?.(file);
    if (CONFIG_FILE_NAMES.has(path.basename(file))) {
      for (const r of this.resolvers.values()) r.clear();
      this.log.info(`configuration file changed: ${file} (read again when next needed)`);
      this.loggedConfigs.clear();
      return true;
    }
    return false;
  }

  closeDocument(file: string): void {
    this.linter.backendFor(file)?.closeDocument?.(file);
  }

  /** An editor closed a notebook: its joined text is no longer an open document. */
  closeNotebook(file: string): void {
    this.linter.notebookBackend()?.closeDocument?.(file);
  }

  /** Settings changed: resolvers are rebuilt from the new editor settings on demand. */
  settingsChanged(): void {
    this.resolvers.clear();
  }

  /** Names a configuration the first time it is used: where the settings of a folder's files come from. */
  private logConfig(config: ResolvedConfig): void {
    const key = config.source ?? `\0${config.root}`;
    if (this.loggedConfigs.has(key)) return;
    this.loggedConfigs.add(key);
    this.log.info(
      config.source
        ? `configuration: ${config.source} (lint root ${config.root})`
        : `no configuration file for ${config.root}: rule defaults and editor settings`,
    );
  }

  /** Names each project of a backend (TypeScript's) the first time one of its files is analysed. */
  private logProjects(projects: readonly BackendProject[]): void {
    for (const p of projects) {
      if (this.loggedProjects.has(p)) continue;
      this.loggedProjects.add(p);
      this.log.info(p.description);
    }
  }

  private logFailures(result: LintResult): void {
    for (const f of result.ruleFailures) {
      const key = `${f.ruleId}\0${result.path}`;
      if (this.loggedFailures.has(key)) continue;
      this.loggedFailures.add(key);
      this.log.error(`rule ${f.ruleId} failed on ${result.path} (skipped; the other rules still ran):\n${f.error}`);
    }
    const reason = result.skipped?.reason;
    if (reason === 'internal-error' || reason === 'time-budget' || reason === 'out-of-memory') {
      const key = `\0${reason}\0${result.path}`;
      if (!this.loggedFailures.has(key)) {
        this.loggedFailures.add(key);
        this.log.error(`could not analyse ${result.path}: ${result.skipped!.message}`);
      }
    }
  }
}
