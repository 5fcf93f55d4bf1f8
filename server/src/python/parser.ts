// Loads web-tree-sitter and the Python grammar once. The wasm files sit beside the bundle in
// dist/ (esbuild.mjs copies them); from sources (tests) they are found in node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

let loading: Promise<Language> | undefined;
let language: Language | undefined;

function locate(file: string, fromNodeModules: () => string): string {
  const beside = path.join(__dirname, file);
  return fs.existsSync(beside) ? beside : fromNodeModules();
}

/** The Python language, loaded on first call. */
export function loadPython(): Promise<Language> {
  loading ??= (async () => {
    const runtime = locate('web-tree-sitter.wasm', () => require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
    await Parser.init({ locateFile: () => runtime });
    language = await Language.load(fs.readFileSync(locate('tree-sitter-python.wasm', () =>
      path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
    )));
    return language;
  })();
  return loading;
}

/** A parser for Python; loadPython() must have resolved first. */
export function createPythonParser(): Parser {
  if (!language) throw new Error('the Python grammar is not loaded yet (await loadPython())');
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
