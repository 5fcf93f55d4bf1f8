// The language backends every front door uses. The only place that lists them.
import type { LineSafety } from './engine/directive-edit';
import type { Analysis, AnalysisRequest, LanguageBackend } from './engine/linter';
import { Linter } from './engine/linter';
import { RULES } from './engine/rules';
import type { SyntaxProblem } from './engine/types';
import { PythonBackend } from './python/backend';
import { guardedIndexFileSystem, nodeIndexFileSystem } from './python/module-index';
import type { TypeScriptBackend } from './typescript/backend';
import { TS_EXTENSIONS } from './typescript/extensions';
import type { ProjectHost } from './typescript/host';

/** Which compiler answers the TypeScript rules' type questions (see typescript/engine.ts). */
export type TypeBackendChoice = 'typescript6' | 'typescript7' | 'auto';

export interface BackendOptions {
  /** The CLI's `--type-backend`; the server and tests use TypeScript 6 (the default here). */
  typeBackend?: TypeBackendChoice;
  /** Share a TypeScript project host (the server keeps one across edits, with its own discovery boundary). */
  tsHost?: ProjectHost;
  /**
   * The language server's read boundary (see README, Security); the CLI gives none. `boundary`:
   * the highest folder in which a file's project and configuration files are looked for (Python
   * root markers; for TypeScript, the host's discoveryBoundary when no tsHost is given).
   * `mayRead`: the files Python analysis may read (imported modules, root markers).
   */
  readBoundary?: { boundary: (file: string) => string | undefined; mayRead: (file: string) => boolean };
}

export function createBackends(options: BackendOptions = {}): LanguageBackend[] {
  const limit = options.readBoundary;
  const ts = options.tsHost ? loadTypeScriptBackend(options.tsHost) : new LazyTypeScriptBackend(limit?.boundary, options.typeBackend);
  const py = limit ? new PythonBackend({ fs: guardedIndexFileSystem(nodeIndexFileSystem, limit.mayRead, limit.boundary) }) : new PythonBackend();
  return [ts, py];
}

function loadTypeScriptBackend(host?: ProjectHost, discoveryBoundary?: (file: string) => string | undefined, choice: TypeBackendChoice = 'typescript6'): TypeScriptBackend {
  // A require, not an import: the bundler then initialises the compiler (most of the bundle, a
  // sixth of a second to load) only when this runs.
  const { TypeScriptBackend: Backend } = require('./typescript/backend') as typeof import('./typescript/backend');
  const engines = require('./typescript/engine') as typeof import('./typescript/engine');
  const { ProjectHost: Host } = require('./typescript/host') as typeof import('./typescript/host');
  host ??= new Host(undefined, discoveryBoundary ? { discoveryBoundary } : {});
  if (choice === 'typescript6') return new Backend(host);
  const { typeScript7Available } = require('./typescript/ts7-available') as typeof import('./typescript/ts7-available');
  const available = typeScript7Available();
  if (!available.ok) {
    if (choice === 'typescript7') throw new Error(`--type-backend typescript7: TypeScript 7 is not available here (${available.reason})`);
    return new Backend(host, undefined, new engines.Ts6Engine(host, `TypeScript 7 is not available here: ${available.reason}`));
  }
  return new Backend(host, undefined, new engines.Ts7Engine(host));
}

/**
 * The TypeScript backend, loaded on first use, so a run over Python files alone never loads the
 * TypeScript compiler. Its rule ids come from the rule table (a meta-test checks that every
 * TypeScript row has an implementation).
 */
class LazyTypeScriptBackend implements LanguageBackend {
  readonly language = 'typescript' as const;
  readonly extensions = TS_EXTENSIONS;
  readonly ruleIds = RULES.filter((r) => r.languages.includes('typescript')).map((r) => r.id);
  private loaded: TypeScriptBackend | undefined;

  constructor(
    private readonly discoveryBoundary?: (file: string) => string | undefined,
    private readonly typeBackend?: TypeBackendChoice,
  ) {}

  private get backend(): TypeScriptBackend {
    return (this.loaded ??= loadTypeScriptBackend(undefined, this.discoveryBoundary, this.typeBackend));
  }

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
    if (files.length > 0) this.backend.prepare(files);
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

  dispose(): void {
    this.loaded?.dispose();
  }
}

export function createLinter(options: BackendOptions = {}): Linter {
  return new Linter(createBackends(options));
}
