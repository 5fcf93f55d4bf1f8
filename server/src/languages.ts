// The language backends every front door uses. The only place that lists them.
import type { Analysis, AnalysisRequest, LanguageBackend } from './engine/linter';
import { Linter } from './engine/linter';
import { RULES } from './engine/rules';
import type { SyntaxProblem } from './engine/types';
import { PythonBackend } from './python/backend';
import type { TypeScriptBackend } from './typescript/backend';
import { TS_EXTENSIONS } from './typescript/extensions';
import type { ProjectHost } from './typescript/host';

export interface BackendOptions {
  /** Share a TypeScript project host (the server keeps one across edits). */
  tsHost?: ProjectHost;
}

export function createBackends(options: BackendOptions = {}): LanguageBackend[] {
  return [options.tsHost ? loadTypeScriptBackend(options.tsHost) : new LazyTypeScriptBackend(), new PythonBackend()];
}

function loadTypeScriptBackend(host?: ProjectHost): TypeScriptBackend {
  // A require, not an import: the bundler then initialises the compiler (most of the bundle, a
  // sixth of a second to load) only when this runs.
  const { TypeScriptBackend: Backend } = require('./typescript/backend') as typeof import('./typescript/backend');
  return new Backend(host);
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

  private get backend(): TypeScriptBackend {
    return (this.loaded ??= loadTypeScriptBackend());
  }

  async ready(): Promise<void> {}

  analyze(request: AnalysisRequest): Analysis {
    return this.backend.analyze(request);
  }

  syntaxErrors(path: string, text: string): SyntaxProblem[] {
    return this.backend.syntaxErrors(path, text);
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
}

export function createLinter(options: BackendOptions = {}): Linter {
  return new Linter(createBackends(options));
}
