// The language backends every front door uses. The only place that lists them.
import type { LanguageBackend } from './engine/linter';
import { Linter } from './engine/linter';
import { PythonBackend } from './python/backend';
import { TypeScriptBackend } from './typescript/backend';
import type { ProjectHost } from './typescript/host';

export interface BackendOptions {
  /** Share a TypeScript project host (the server keeps one across edits). */
  tsHost?: ProjectHost;
}

export function createBackends(options: BackendOptions = {}): LanguageBackend[] {
  return [new TypeScriptBackend(options.tsHost), new PythonBackend()];
}

export function createLinter(options: BackendOptions = {}): Linter {
  return new Linter(createBackends(options));
}
