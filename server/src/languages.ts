// The language backends every front door uses. The only place that lists them.
import type { LineSafety } from './engine/directive-edit';
import path from 'node:path';
import type { Analysis, AnalysisRequest, BackendProject, CacheSupport, LanguageBackend } from './engine/linter';
import { Linter } from './engine/linter';
import { RULES } from './engine/rules';
import type { SyntaxProblem } from './engine/types';
import { PythonBackend } from './python/backend';
import { guardedIndexFileSystem, nodeIndexFileSystem } from './python/module-index';
import type { TypeScriptBackend } from './typescript/backend';
import { DiskCheck, keptState, readState } from './typescript/cache-records';
import { TYPESCRIPT } from './typescript/language';

/** Which compiler answers the TypeScript rules' type questions (see typescript/engine.ts). */
export type TypeBackendChoice = 'typescript6' | 'typescript7' | 'auto';

export interface BackendOptions {
  /** The CLI's `--type-backend`; the server and tests use TypeScript 6 (the default here). */
  typeBackend?: TypeBackendChoice;
  /**
   * The language server's read boundary (see README, Security); the CLI gives none. `boundary`:
   * the highest folder in which a file's project and configuration files are looked for (Python
   * root markers; the TypeScript ProjectHost's discoveryBoundary). `mayRead`: the files Python
   * analysis may read (imported modules, root markers). With it, the TypeScript backend is loaded
   * at once: the server keeps one, with one ProjectHost, for its life (programs stay incremental
   * across edits).
   */
  readBoundary?: { boundary: (file: string) => string | undefined; mayRead: (file: string) => boolean };
}

export function createBackends(options: BackendOptions = {}): LanguageBackend[] {
  const limit = options.readBoundary;
  const ts = limit ? loadTypeScriptBackend(limit.boundary) : new LazyTypeScriptBackend(undefined, options.typeBackend);
  const py = limit
    ? new PythonBackend({ fs: guardedIndexFileSystem(nodeIndexFileSystem, limit.mayRead, limit.boundary) })
    : new PythonBackend();
  return [ts, py];
}

function loadTypeScriptBackend(
  discoveryBoundary?: (file: string) => string | undefined,
  recording = false,
  choice: TypeBackendChoice = 'typescript6',
): TypeScriptBackend {
  // A require, not an import: the bundler then initialises the compiler (most of the bundle, a
  // sixth of a second to load) only when this runs.
  const { TypeScriptBackend: Backend } = require('./typescript/backend') as typeof import('./typescript/backend');
  const { ProjectHost } = require('./typescript/host') as typeof import('./typescript/host');
  const { RecordingFileSystem } = require('./typescript/recording') as typeof import('./typescript/recording');
  const host = new ProjectHost(recording ? new RecordingFileSystem() : undefined, { discoveryBoundary });
  // The --cache records what TypeScript 6's programs read (typescript/recording.ts): with it,
  // auto is TypeScript 6 (a forced TypeScript 7 still runs; its results are not cached).
  const effective = choice === 'auto' && recording ? 'typescript6' : choice;
  if (effective === 'typescript6') return new Backend(host);
  const engines = require('./typescript/engine') as typeof import('./typescript/engine');
  const { typeScript7Available } = require('./typescript/ts7-available') as typeof import('./typescript/ts7-available');
  const available = typeScript7Available();
  if (!available.ok) {
    if (effective === 'typescript7')
      throw new Error(`--type-backend typescript7: TypeScript 7 is not available here (${available.reason})`);
    return new Backend(
      host,
      undefined,
      new engines.Ts6Engine(host, `TypeScript 7 is not available here: ${available.reason}`),
    );
  }
  return new Backend(host, undefined, new engines.Ts7Engine(host));
}

/**
 * The TypeScript backend, loaded on first use, so a run over Python files alone never loads the
 * TypeScript compiler. Its rule ids come from the rule table (a meta-test checks that every
 * TypeScript row has an implementation). With the CLI's --cache, a run whose TypeScript inputs
 * are all unchanged does not load it either: prepare() is put off until a file must be analysed,
 * and the cache's records are first checked without the compiler (typescript/cache-records.ts).
 */
export class LazyTypeScriptBackend implements LanguageBackend {
  readonly language = TYPESCRIPT.language;
  readonly extensions = TYPESCRIPT.extensions;
  readonly languageIds = TYPESCRIPT.languageIds;
  readonly lineComment = TYPESCRIPT.lineComment;
  readonly ruleIds = RULES.filter((r) => r.languages.includes('typescript')).map((r) => r.id);
  private loaded: TypeScriptBackend | undefined;
  /** Set by cache.begin() (the CLI's --cache): the backend, once loaded, records what programs read. */
  private cacheState: { state: unknown; check: DiskCheck } | undefined;
  /** With --cache, the files prepare() was given, until the backend is loaded. */
  private pending: readonly string[] | undefined;

  constructor(
    private readonly discoveryBoundary?: (file: string) => string | undefined,
    private readonly typeBackend?: TypeBackendChoice,
  ) {}

  /** Whether the TypeScript compiler was loaded (a file needed it). */
  get compilerLoaded(): boolean {
    return this.loaded !== undefined;
  }

  private get backend(): TypeScriptBackend {
    if (!this.loaded) {
      this.loaded = loadTypeScriptBackend(this.discoveryBoundary, this.cacheState !== undefined, this.typeBackend);
      if (this.cacheState) this.loaded.cache.begin(this.cacheState.state);
      if (this.pending) this.loaded.prepare(this.pending);
      this.pending = undefined;
    }
    return this.loaded;
  }

  readonly cache: CacheSupport = {
    begin: (state) => {
      if (this.loaded) throw new Error('cache.begin() after the TypeScript backend was loaded');
      this.cacheState = { state, check: new DiskCheck(state) };
    },
    dependencies: (file) => this.loaded?.cache.dependencies(file),
    unchanged: (file, dependencies) => {
      if (!this.loaded && this.cacheState?.check.unchanged(path.resolve(file), dependencies)) return true;
      return this.backend.cache.unchanged(file, dependencies);
    },
    save: (kept) => {
      if (this.loaded) return this.loaded.cache.save(kept);
      // Not loaded: every TypeScript result came from the earlier run's records.
      const { records, layouts } = readState(this.cacheState?.state);
      return keptState(records, layouts, kept);
    },
  };

  async ready(): Promise<void> {}

  analyze(request: AnalysisRequest): Analysis {
    return this.backend.analyze(request);
  }

  syntaxErrors(path: string, text: string): SyntaxProblem[] {
    return this.backend.syntaxErrors(path, text);
  }

  lineSafety(path: string, text: string): LineSafety {
    return this.backend.lineSafety(path, text);
  }

  prepare(files: readonly string[]): void {
    if (files.length === 0) return;
    if (this.cacheState && !this.loaded) {
      this.pending = files;
      this.cacheState.check.setFiles(files.map((f) => path.resolve(f)));
      return;
    }
    this.backend.prepare(files);
  }

  fileChanged(file: string): void {
    this.loaded?.fileChanged(file);
  }

  closeDocument(file: string): void {
    this.loaded?.closeDocument(file);
  }

  statsNotes(): string[] {
    return this.loaded?.statsNotes() ?? [];
  }

  projects(): readonly BackendProject[] {
    return this.loaded?.projects() ?? [];
  }

  dispose(): void {
    this.loaded?.dispose();
  }
}

export function createLinter(options: BackendOptions = {}): Linter {
  return new Linter(createBackends(options));
}
