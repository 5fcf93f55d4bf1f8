// The TypeScript module resolver: every spelling of one Node.js export resolves to the same
// ModuleRef, with and without @types/node; the user's own names resolve to nothing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { GLOBAL, ModuleResolver, refName, type ModuleRef } from '../server/src/typescript/names';
import { CheckerTypes } from '../server/src/typescript/typebackend';
import { ROOT } from './helpers';

const MAIN = `
import { readFileSync as load } from 'node:fs';
import * as nodeFs from 'node:fs';
import fsDefault from 'fs';
import fsEquals = require('fs');
import { promises as fsp } from 'fs';
import * as fsPromises from 'node:fs/promises';
import { slurp, gunzipSync } from './lib';
const fsRequired = require('fs');
const { readFileSync: destructured, promises: { readFile: nestedReadFile } } = require('node:fs');
const member = fsDefault.readFileSync;
const Atomics2 = Atomics;
class Own { readFileSync(p: string) { return p; } }
function readFileSync(p: string) { return p; }
declare const own: Own;
export async function probe() {
  load;
  nodeFs.readFileSync;
  fsDefault.readFileSync;
  fsEquals.readFileSync;
  fsRequired.readFileSync;
  destructured;
  member;
  require('fs').readFileSync;
  (await import('node:fs')).readFileSync;
  (await import('fs')).default.readFileSync;
  fsp.readFile;
  fsPromises.readFile;
  nodeFs.promises.readFile;
  nestedReadFile;
  slurp;
  gunzipSync;
  Atomics.wait;
  globalThis.Atomics.wait;
  Atomics2.wait;
  Date.now;
  own.readFileSync;
  readFileSync;
}
`;

const LIB = `
export { readFileSync as slurp } from 'node:fs';
export * from 'zlib';
`;

const EXPECTED: (string | undefined)[] = [
  'fs.readFileSync', // load
  'fs.readFileSync', // nodeFs.readFileSync
  'fs.readFileSync', // default import
  'fs.readFileSync', // import = require
  'fs.readFileSync', // const = require
  'fs.readFileSync', // destructured require
  'fs.readFileSync', // const member = fsDefault.readFileSync
  'fs.readFileSync', // require('fs').readFileSync
  'fs.readFileSync', // await import
  'fs.readFileSync', // await import ... .default
  'fs/promises.readFile', // { promises as fsp }
  'fs/promises.readFile', // namespace of fs/promises
  'fs/promises.readFile', // nodeFs.promises
  'fs/promises.readFile', // nested destructuring
  'fs.readFileSync', // re-exported under another name
  'zlib.gunzipSync', // export * from 'zlib' (needs @types/node to see the names)
  'Atomics.wait',
  'Atomics.wait', // globalThis.Atomics
  'Atomics.wait', // const Atomics2 = Atomics
  'Date.now',
  undefined, // the user's own method
  undefined, // the user's own function
];

function resolveAll(typeRoots: string[] | undefined, types: string[]): (ModuleRef | undefined)[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-resolve-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.ts'), MAIN);
    fs.writeFileSync(path.join(dir, 'lib.ts'), LIB);
    const program = ts.createProgram([path.join(dir, 'main.ts')], {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      strict: true,
      noEmit: true,
      types,
      typeRoots,
    });
    const sf = program.getSourceFile(path.join(dir, 'main.ts'))!;
    const resolver = new ModuleResolver(new CheckerTypes(program, program.getTypeChecker()), sf);
    const fn = sf.statements.find(
      (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'probe',
    )!;
    return fn.body!.statements.map((s) => resolver.expression((s as ts.ExpressionStatement).expression));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('TypeScript module resolver', () => {
  it('resolves every spelling with @types/node', () => {
    const refs = resolveAll([path.join(ROOT, 'node_modules', '@types')], ['node']);
    assert.deepEqual(
      refs.map((r) => r && refName(r)),
      EXPECTED,
    );
  });

  it('resolves from the import declarations without @types/node', () => {
    const refs = resolveAll([], []);
    // Without types, `export * from 'zlib'` lists no names: that one re-export cannot be seen.
    const expected = EXPECTED.map((e, i) => (i === 15 ? undefined : e));
    assert.deepEqual(
      refs.map((r) => r && refName(r)),
      expected,
    );
  });

  it('names globals with the GLOBAL module', () => {
    const refs = resolveAll([], []);
    assert.deepEqual(refs[16], { module: GLOBAL, path: ['Atomics', 'wait'] });
  });
});
