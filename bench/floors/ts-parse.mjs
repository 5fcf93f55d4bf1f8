// Floor: a bare parse of every TypeScript/JavaScript file of a project with ts.createSourceFile
// (no binding, no checking, no lib files). The files are the tsconfig's when the folder has one.
// usage: node bench/floors/ts-parse.mjs <dir>   (prints {"files":n,"bytes":n,"parseMs":n})
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { listSourceFiles, TS_EXTENSIONS } from '../lib/files.mjs';

const dir = path.resolve(process.argv[2] ?? '.');
const files = projectFiles(dir);
const t0 = performance.now();
let bytes = 0;
let nodes = 0;
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  bytes += text.length;
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, false, kindOf(f));
  nodes += sf.statements.length;
}
console.log(JSON.stringify({ files: files.length, bytes, statements: nodes, parseMs: performance.now() - t0 }));

function projectFiles(root) {
  const config = path.join(root, 'tsconfig.json');
  if (fs.existsSync(config)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      config,
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (parsed) return parsed.fileNames.filter((f) => TS_EXTENSIONS.includes(path.extname(f)) && !f.endsWith('.d.ts'));
  }
  return listSourceFiles(root, TS_EXTENSIONS);
}

function kindOf(f) {
  const ext = path.extname(f);
  if (ext === '.tsx') return ts.ScriptKind.TSX;
  if (ext === '.jsx') return ts.ScriptKind.JSX;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
