// What TypeScript/JavaScript is to the front doors (engine/linter.ts LanguageFacts), in a module of
// its own that does not load the compiler: front doors list supported files before (and often
// without) analysing any, and the VS Code client imports it.
import type { LanguageFacts } from '../engine/linter';

export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export const TYPESCRIPT = {
  language: 'typescript',
  extensions: TS_EXTENSIONS,
  languageIds: { typescript: '.ts', typescriptreact: '.tsx', javascript: '.js', javascriptreact: '.jsx' },
  lineComment: '//',
} as const satisfies LanguageFacts;
