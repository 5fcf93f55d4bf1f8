// The type engine of the TypeScript backend: who builds the programs and answers the rules' type
// questions (typebackend.ts). Both engines find a file's project the same way (the ProjectHost:
// its tsconfig/jsconfig, or an inferred project with INFERRED_OPTIONS).
//   typescript6  the ProjectHost's language services: one program per project, incremental in the
//                server; the rules walk the program's own trees and ask its checker.
//   typescript7  the native compiler (typebackend-ts7.ts) builds the programs and answers; the
//                rules walk a bare TypeScript 6 parse of each file (no program, no binder).
// The CLI picks TypeScript 7 when its package loads for this platform (`--type-backend` or
// ASYNC_LINT_TYPE_BACKEND can force either); the language server uses TypeScript 6.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { AnalysisStopped } from '../engine/dispatch';
import { isStackOverflow } from '../engine/linter';
import {
  INFERRED_TSCONFIG_OPTIONS,
  kindOfScript,
  MAX_SYNTAX_ERRORS,
  parseDiagnostics,
  ProjectHost,
  scriptKindFor,
  type Project,
} from './host';
import { CheckerTypes, type TypeBackendKind, type Types } from './typebackend';
import type { NativeCompiler, NativeStats, NativeTypes } from './typebackend-ts7';
import { typeScript7Available } from './ts7-available';
import { recoverFromParserOverflow } from './utils';

/** A file opened for analysis: the tree the rules walk and the questions about it. */
export interface OpenedFile {
  readonly sourceFile: ts.SourceFile;
  /** The type questions, created on first use. */
  types(): Types;
  /** With TypeScript 7: the questions, which can be gathered and answered in batches. */
  readonly batching?: NativeTypes;
}

export interface TypeEngine {
  readonly kind: TypeBackendKind;
  readonly host: ProjectHost;
  /** Every file of the run, before any is analysed (the CLI), so projects are opened once. */
  prepare(files: readonly string[]): void;
  /** Throws AnalysisStopped for a file that cannot be analysed (too deep, too broken). */
  open(
    file: string,
    text: string,
    version: number | undefined,
    timings: Record<string, number> | undefined,
  ): OpenedFile;
  /** After a file's analysis: whether its tree had syntax errors. */
  analysed(file: string, syntaxErrors: boolean): void;
  fileChanged(file: string): void;
  closeDocument(file: string): void;
  /** Which compiler, for --stats and logs: `typescript6 (TypeScript 6.0.3)`. */
  describe(): string;
  /** What the engine did, for --stats (counts, not times). */
  counters(): Record<string, number>;
  dispose(): void;
}

function addTime(timings: Record<string, number> | undefined, phase: string, since: number): void {
  if (timings) timings[phase] = (timings[phase] ?? 0) + (performance.now() - since);
}

// ---- TypeScript 6 ------------------------------------------------------------------------------

export class Ts6Engine implements TypeEngine {
  readonly kind = 'typescript6' as const;

  constructor(
    readonly host: ProjectHost = new ProjectHost(),
    /** Why TypeScript 7 is not used, when it was wanted. */
    private readonly note?: string,
  ) {}

  describe(): string {
    return `typescript6 (TypeScript ${ts.version}, in process)${this.note ? `; ${this.note}` : ''}`;
  }

  prepare(files: readonly string[]): void {
    for (const f of files) this.host.projectFor(f);
  }

  open(
    file: string,
    text: string,
    version: number | undefined,
    timings: Record<string, number> | undefined,
  ): OpenedFile {
    const t0 = performance.now();
    this.host.setDocument(file, text, version);
    const project = this.host.projectFor(file);
    const program = this.buildProgram(project);
    const quarantined = this.host.quarantined(file);
    if (quarantined) throw new AnalysisStopped(quarantined);
    const sourceFile = program.getSourceFile(file);
    addTime(timings, 'program', t0);
    if (!sourceFile) throw new Error(`${file} is not in its TypeScript program`);
    return {
      sourceFile,
      types: () => {
        let types = this.typesOf.get(program);
        if (!types) {
          const c0 = performance.now();
          types = new CheckerTypes(program, program.getTypeChecker());
          this.typesOf.set(program, types);
          addTime(timings, 'checker', c0);
        }
        return types;
      },
    };
  }

  /**
   * One Types per program, as there is one checker: what a rule keeps per `context.types` (a
   * memo of answers) holds for the whole program, as it would per checker.
   */
  private readonly typesOf = new WeakMap<ts.Program, Types>();

  /**
   * The project's program. TypeScript's parser and binder recurse on the syntax tree and run out
   * of stack a few hundred levels deep. When that happens, every file is parsed afresh (nothing
   * half-bound is reused) and the build tried again: full parses get through where the
   * incremental parser, which also recurses on the previous tree, did not (an edit to a file with a
   * 10,000-term chain). If it overflows again, the files TypeScript cannot parse and bind are
   * replaced by empty texts, so the rest of the project is analysed. So are files with more
   * syntax errors than real code has, before they are bound (ProjectHost.quarantiningRegistry).
   */
  private buildProgram(project: Project): ts.Program {
    for (let attempt = 0; ; attempt++) {
      try {
        return project.program();
      } catch (e) {
        if (!isStackOverflow(e)) {
          this.host.dropEditHistory();
          throw e;
        }
        this.host.forceReparse();
        if (attempt === 0) continue;
        if (attempt === 1 && this.host.quarantineTooDeep(project, parsesAndBinds)) continue;
        throw e;
      }
    }
  }

  analysed(file: string, syntaxErrors: boolean): void {
    if (syntaxErrors) this.host.noIncrementalParseFrom(file);
  }

  fileChanged(file: string): void {
    this.host.fileChanged(file);
  }

  closeDocument(file: string): void {
    this.host.closeDocument(file);
  }

  counters(): Record<string, number> {
    return {};
  }

  dispose(): void {
    this.host.dispose();
  }
}

/** Whether TypeScript parses and binds a text alone (no lib, no imports) without running out of stack. */
function parsesAndBinds(file: string, text: string): boolean {
  try {
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindFor(file));
    const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, types: [], noEmit: true };
    const host = ts.createCompilerHost(options);
    host.getSourceFile = (f) => (f === file ? sourceFile : undefined);
    host.fileExists = (f) => f === file;
    ts.createProgram({ rootNames: [file], options, host }).getTypeChecker();
    return true;
  } catch (e) {
    recoverFromParserOverflow(e);
    if (isStackOverflow(e)) return false;
    throw e;
  }
}

// ---- TypeScript 7 ------------------------------------------------------------------------------

/** The name of the tsconfig TypeScript 7 is given for an inferred project (it exists only for TypeScript 7). */
const INFERRED_CONFIG = '__async-lint-inferred__.tsconfig.json';

/**
 * The TypeScript 7 engine. Projects are the ProjectHost's (a configured project opens its
 * tsconfig; an inferred one, a tsconfig that exists only for TypeScript 7, with the inferred
 * options and roots). Open documents reach TypeScript 7 through its file system callbacks.
 */
export class Ts7Engine implements TypeEngine {
  readonly kind = 'typescript7' as const;
  private compiler: NativeCompiler | undefined;
  /** TypeScript 6 trees by file: the analysed files' and those of declarations the rules read. */
  private readonly trees = new Map<string, { text: string; sourceFile: ts.SourceFile }>();
  /** Inferred projects' tsconfig texts, by their (virtual) path. */
  private readonly inferredConfigs = new Map<string, string>();

  constructor(
    readonly host: ProjectHost = new ProjectHost(),
    private readonly cwd: string = process.cwd(),
  ) {}

  private get native(): NativeCompiler {
    if (!this.compiler) {
      const { NativeCompiler: Compiler } = require('./typebackend-ts7') as typeof import('./typebackend-ts7');
      this.compiler = new Compiler(this.cwd, (f) => this.overlay(f), { tree: (f, text) => this.tree(f, text) });
      if (this.opened.size > 0) this.compiler.openProjects([...this.opened]);
    }
    return this.compiler;
  }

  /** The configs opened so far (opened again by a new compiler). */
  private readonly opened = new Set<string>();

  /**
   * What TypeScript 7 reads instead of the disk (it asks before every file it reads): an inferred
   * project's config, an open document's text; nothing (null: "no such file") for what is not a
   * regular file, which TypeScript 6 never reads either (a named pipe called package.json would
   * block the read forever); undefined: read the disk.
   */
  private overlay(file: string): string | null | undefined {
    const text = this.inferredConfigs.get(file) ?? this.host.documentText(file);
    if (text !== undefined) return text;
    try {
      return fs.statSync(file).isFile() ? undefined : null;
    } catch {
      return undefined;
    }
  }

  /** The run's files, in the order they will be analysed; parseAhead() parses them before their turn. */
  private upcoming: readonly string[] = [];
  private nextAhead = 0;

  /**
   * Parses the next file of the run not parsed yet (from disk; its tree is used if the text the
   * CLI gives is the same): work for this process while the compiler answers a batch.
   */
  private parseAhead(): void {
    while (this.nextAhead < this.upcoming.length) {
      const file = this.upcoming[this.nextAhead++];
      if (this.trees.has(file)) continue;
      const { readText } = require('./typebackend-ts7') as typeof import('./typebackend-ts7');
      const text = readText(file);
      if (text === undefined) continue;
      try {
        this.tree(file, text);
      } catch (e) {
        // Parsed again, and reported, when its turn comes.
        recoverFromParserOverflow(e);
      }
      return;
    }
  }

  prepare(files: readonly string[]): void {
    this.upcoming = files.map((f) => path.resolve(f));
    this.nextAhead = 0;
    const configs = new Set<string>();
    for (const f of files) configs.add(this.configOf(this.host.projectFor(f)));
    for (const c of configs) this.opened.add(c);
    this.native.openProjects([...configs]);
  }

  /** The tsconfig TypeScript 7 opens for a project. */
  private configOf(project: Project): string {
    if (project.configFile) return project.configFile;
    const config = path.join(project.directory, INFERRED_CONFIG);
    // Written again only when the roots change.
    if (this.inferredRoots.get(config) !== project.rootsVersion) {
      this.inferredRoots.set(config, project.rootsVersion);
      const text = JSON.stringify({ compilerOptions: INFERRED_TSCONFIG_OPTIONS, files: project.rootFilesInOrder() });
      const before = this.inferredConfigs.get(config);
      if (before !== text) {
        this.inferredConfigs.set(config, text);
        if (before !== undefined) this.compiler?.fileChanged(config);
      }
    }
    return config;
  }

  /** The roots version each inferred project's config was written for. */
  private readonly inferredRoots = new Map<string, number>();

  /** Our tree of a file's text: parsed once per text, and the same tree for every question. */
  tree(file: string, text: string): ts.SourceFile {
    const known = this.trees.get(file);
    if (known && known.text === text) return known.sourceFile;
    const sourceFile = ts.createSourceFile(
      file,
      text,
      { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo },
      true,
      scriptKindFor(file),
    );
    this.trees.set(file, { text, sourceFile });
    return sourceFile;
  }

  private textOf(file: string): string | undefined {
    const { readText } = require('./typebackend-ts7') as typeof import('./typebackend-ts7');
    return this.host.documentText(file) ?? this.trees.get(file)?.text ?? readText(file);
  }

  open(
    file: string,
    text: string,
    version: number | undefined,
    timings: Record<string, number> | undefined,
  ): OpenedFile {
    const before = this.host.documentText(file);
    this.host.setDocument(file, text, version);
    if (this.host.documentText(file) !== before) this.compiler?.fileChanged(file);

    const p0 = performance.now();
    let sourceFile: ts.SourceFile;
    try {
      sourceFile = this.tree(file, text);
    } catch (e) {
      recoverFromParserOverflow(e);
      throw e;
    }
    const errors = parseDiagnostics(sourceFile).length;
    addTime(timings, 'parse', p0);
    if (errors > MAX_SYNTAX_ERRORS) {
      throw new AnalysisStopped({
        reason: 'syntax-errors',
        message: `skipped: ${errors} syntax errors (more than ${MAX_SYNTAX_ERRORS}); is it ${kindOfScript(file)}?`,
      });
    }

    const t0 = performance.now();
    const config = this.configOf(this.host.projectFor(file));
    this.opened.add(config);
    const project = this.native.project(config);
    addTime(timings, 'program', t0);
    if (!project) throw new Error(`TypeScript 7 has no project ${config} for ${file}`);
    const { NativeTypes: Native } = require('./typebackend-ts7') as typeof import('./typebackend-ts7');
    const types = new Native(
      project,
      (f) => this.textOf(f),
      () => this.parseAhead(),
    );
    return { sourceFile, types: () => types, batching: types };
  }

  analysed(): void {}

  fileChanged(file: string): void {
    this.host.fileChanged(file);
    this.compiler?.fileChanged(path.resolve(file));
  }

  closeDocument(file: string): void {
    const had = this.host.documentText(file) !== undefined;
    this.host.closeDocument(file);
    if (had) this.compiler?.fileChanged(path.resolve(file));
  }

  describe(): string {
    const available = typeScript7Available();
    const version = available.ok ? available.version : '7';
    return `typescript7 (TypeScript ${version}, native, in a child process)`;
  }

  counters(): Record<string, number> {
    const s: NativeStats | undefined = this.compiler?.stats;
    if (!s) return {};
    const cpu = (s.childCpuMs ?? 0) + (this.compiler?.cpuMs() ?? 0);
    const pipe = this.compiler?.pipe;
    return {
      'typescript7 requests': s.requests,
      'recording rounds': s.rounds,
      'unmatched nodes': s.unmatched,
      'typescript7 process cpu ms': cpu,
      ...(pipe ? { 'requests sent ahead': pipe.sent, 'of them answered ahead': pipe.used } : {}),
    };
  }

  /** A request to TypeScript 7 that failed during this run, if one did. */
  failure(): string | undefined {
    return this.compiler?.stats.failure;
  }

  /** Rounds of recording, counted by the backend. */
  countRound(): void {
    if (this.compiler) this.compiler.stats.rounds++;
  }

  /** Ends the compiler's process (the host stays, for an engine that takes over). */
  closeCompiler(): void {
    const compiler = this.compiler;
    this.compiler = undefined;
    compiler?.dispose();
  }

  dispose(): void {
    this.closeCompiler();
    this.host.dispose();
  }
}
