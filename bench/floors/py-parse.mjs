// Floor: a bare tree-sitter parse (web-tree-sitter + tree-sitter-python.wasm, as async-lint uses)
// of every Python file of a folder. Start-up (loading the wasm) is part of it, as it is of a CLI run.
// usage: node bench/floors/py-parse.mjs <dir>   (prints {"files":n,"bytes":n,"parseMs":n})
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Language, Parser } from 'web-tree-sitter';
import { listSourceFiles, PY_EXTENSIONS } from '../lib/files.mjs';

const require = createRequire(import.meta.url);
const dir = path.resolve(process.argv[2] ?? '.');
const files = listSourceFiles(dir, PY_EXTENSIONS);
await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/web-tree-sitter.wasm') });
const python = await Language.load(
  fs.readFileSync(
    path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  ),
);
const parser = new Parser();
parser.setLanguage(python);
const t0 = performance.now();
let bytes = 0;
let nodes = 0;
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  bytes += text.length;
  const tree = parser.parse(text);
  nodes += tree.rootNode.childCount;
  tree.delete();
}
console.log(JSON.stringify({ files: files.length, bytes, statements: nodes, parseMs: performance.now() - t0 }));
