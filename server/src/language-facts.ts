// Every language's facts (engine/linter.ts LanguageFacts: extensions, editor language ids, comment
// syntax) as plain data, in the order of languages.ts's backends, which carry the same objects (a
// test checks it). For what must not load a backend: the VS Code client's document selector, the
// CLI's help, `npm run generate` (the manifest's activation events, the pre-commit hook's pattern).
import type { LanguageFacts } from './engine/linter';
import { PYTHON } from './python/language';
import { TYPESCRIPT } from './typescript/language';

export const LANGUAGE_FACTS: readonly LanguageFacts[] = [TYPESCRIPT, PYTHON];

/** Every extension async-lint lints, lower-case with the dot. */
export const ALL_EXTENSIONS: readonly string[] = LANGUAGE_FACTS.flatMap((l) => l.extensions);

/** Every LSP / VS Code language id of the documents async-lint analyses. */
export const ALL_LANGUAGE_IDS: readonly string[] = LANGUAGE_FACTS.flatMap((l) => Object.keys(l.languageIds));

/** The extension of a document with language id `languageId` and no file name, if async-lint analyses it. */
export function extensionForLanguageId(languageId: string): string | undefined {
  for (const l of LANGUAGE_FACTS) if (Object.hasOwn(l.languageIds, languageId)) return l.languageIds[languageId];
  return undefined;
}
