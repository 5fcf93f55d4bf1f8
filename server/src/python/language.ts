// What Python is to the front doors (engine/linter.ts LanguageFacts), as plain data the VS Code
// client may import too. Stub files (`.pyi`) are linted as the CLI always did, and the module index
// reads them (an import resolves to `x.pyi` beside or instead of `x.py`): the server watches them,
// so a changed stub reaches the index.
import type { LanguageFacts } from '../engine/linter';

export const PY_EXTENSIONS = ['.py', '.pyi'] as const;

export const PYTHON = {
  language: 'python',
  extensions: PY_EXTENSIONS,
  languageIds: { python: '.py' },
  lineComment: '#',
} as const satisfies LanguageFacts;

/** Whether a file name is a Python module's: `.py` or a `.pyi` stub (any case). */
export function isPythonFile(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot >= 0 && (PY_EXTENSIONS as readonly string[]).includes(file.slice(dot).toLowerCase());
}
