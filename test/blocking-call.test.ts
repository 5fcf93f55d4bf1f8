// blocking-call (TS/JS) beyond the fixtures: which fixes are safe, what --fix does over several
// passes, and resolution in a project where @types/node is absent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '../server/src/engine/types';
import { ProjectHost } from '../server/src/typescript/host';
import { onlyRule, ROOT, testLinter } from './helpers';

/** A project in a temporary folder (outside this repository, so no node_modules above it). */
function tempProject(files: Record<string, string>, compilerOptions: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-blocking-'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, allowJs: true, noEmit: true, ...compilerOptions } }),
  );
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const WITH_NODE_TYPES = {
  typeRoots: [path.join(ROOT, 'node_modules', '@types')],
  types: ['node'],
  module: 'nodenext',
  moduleResolution: 'nodenext',
};

async function lint(file: string): Promise<Finding[]> {
  const linter = await testLinter();
  const result = linter.lint(file, fs.readFileSync(file, 'utf8'), onlyRule('blocking-call', file));
  assert.deepEqual(result.ruleFailures, []);
  return result.findings;
}

function byLine(findings: Finding[]): Map<number, Finding> {
  return new Map(findings.map((f) => [f.range.start.line + 1, f]));
}

describe('blocking-call (TS/JS)', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('never marks a fix safe, and says where the promise API is not equivalent', async () => {
    const dir = tempProject(
      {
        'safety.ts': [
          "import fs from 'node:fs';",
          'declare const loose: any;',
          'export async function f(path: string, fd: number, url: URL) {',
          "  fs.readFileSync(path, 'utf8');", // 4: a path: safe
          '  fs.readFileSync(fd);', // 5: a descriptor: fs/promises wants a FileHandle
          '  fs.readFileSync(loose);', // 6: any: cannot tell
          '  fs.readFileSync(url);', // 7: a URL: safe
          '  fs.statSync(path);', // 8: one argument: safe
          '  fs.statSync(path, { throwIfNoEntry: false });', // 9: returns undefined where stat rejects
          '  fs.existsSync(path);', // 10: access().then(...) is close, not identical
          '  fs.realpathSync(path);', // 11: realpath(3) vs the JS implementation
          '  fs.mkdirSync(path, { recursive: true });', // 12: safe
          '  fs.closeSync(fd);', // 13: no fs/promises function: no fix
          "  require('node:zlib').gzipSync(path);", // 14: no fix
          '}',
        ].join('\n'),
      },
      WITH_NODE_TYPES,
    );
    dirs.push(dir);
    const found = byLine(await lint(path.join(dir, 'safety.ts')));
    const safety = (line: number) => {
      const f = found.get(line);
      assert.ok(f, `line ${line} should be flagged`);
      if (f.fixes.length === 0) return 'none';
      assert.equal(f.fixes[0].safe, false, `line ${line}: switching to the async API changes when the call runs`);
      return f.fixes[0].title.endsWith('(not equivalent: check the result)') ? 'approximate' : 'equivalent';
    };
    assert.deepEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].map(safety), [
      'equivalent',
      'approximate',
      'approximate',
      'equivalent',
      'equivalent',
      'approximate',
      'approximate',
      'approximate',
      'equivalent',
      'none',
      'none',
    ]);
  });

  it('offers no fix in a parameter default, where await is not allowed', async () => {
    const dir = tempProject(
      {
        'param.ts':
          "import fs from 'node:fs';\nexport async function f(text = fs.readFileSync('a', 'utf8')) {\n  return text;\n}\n",
      },
      WITH_NODE_TYPES,
    );
    dirs.push(dir);
    const findings = await lint(path.join(dir, 'param.ts'));
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].fixes, []);
  });

  it('offers no fix for a call that is assigned to or incremented (broken code; a fuzz finding)', async () => {
    // `await fs.promises.readFile(p) = x` would not parse; `await fs.promises.stat(p)++` would
    // increment the promise. The plain call after them still gets its fix.
    const source = [
      "import fs from 'node:fs';",
      'export async function f(path: string, text: string) {',
      "  fs.readFileSync(path, 'utf8') = text;",
      "  fs.readFileSync(path, 'utf8') += text;",
      '  fs.statSync(path)++;',
      '  --fs.statSync(path);',
      "  return fs.readFileSync(path, 'utf8');",
      '}',
      '',
    ].join('\n');
    const dir = tempProject({ 'written.ts': source }, WITH_NODE_TYPES);
    dirs.push(dir);
    const findings = await lint(path.join(dir, 'written.ts'));
    assert.deepEqual(
      findings.map((f) => [f.range.start.line + 1, f.fixes.map((x) => x.title)]),
      [
        [3, []],
        [4, []],
        [5, []],
        [6, []],
        [7, ["Replace with 'await fs.promises.readFile(…)'"]],
      ],
    );
  });

  it('--fix --unsafe-fixes adds one fs/promises import for several named imports, over passes', async () => {
    const source = [
      "import { readFileSync, statSync } from 'node:fs';",
      '',
      'export async function f(path: string) {',
      "  const text = readFileSync(path, 'utf8');",
      '  return statSync(path).size + text.length;',
      '}',
      '',
    ].join('\n');
    const dir = tempProject({ 'named.ts': source }, WITH_NODE_TYPES);
    dirs.push(dir);
    const file = path.join(dir, 'named.ts');
    const linter = await testLinter();
    assert.equal(
      linter.fix(file, source, onlyRule('blocking-call', file)).text,
      source,
      'no safe fix: --fix alone changes nothing',
    );
    const out = linter.fix(file, source, onlyRule('blocking-call', file), { unsafe: true });
    assert.equal(
      out.text,
      [
        "import { readFileSync, statSync } from 'node:fs';",
        "import { readFile, stat } from 'node:fs/promises';",
        '',
        'export async function f(path: string) {',
        "  const text = await readFile(path, 'utf8');",
        '  return (await stat(path)).size + text.length;',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(out.applied, 2);
    assert.equal(out.result.findings.length, 0);
  });

  it('--fix leaves suggestions alone', async () => {
    const source = "import fs from 'node:fs';\nexport async function f(p: string) {\n  return fs.existsSync(p);\n}\n";
    const dir = tempProject({ 'exists.ts': source }, WITH_NODE_TYPES);
    dirs.push(dir);
    const file = path.join(dir, 'exists.ts');
    const out = (await testLinter()).fix(file, source, onlyRule('blocking-call', file));
    assert.equal(out.text, source);
    assert.equal(out.result.findings.length, 1);
  });

  describe('without @types/node', () => {
    const sources: Record<string, string> = {
      'esm.ts': [
        "import { readFileSync as load } from 'node:fs';",
        "import * as fs from 'fs';",
        "import fsDefault from 'fs';",
        "import { execSync } from 'child_process';",
        'class Own { readFileSync(p: string) { return p; } }',
        'export async function f(own: Own) {',
        "  load('a');", // 7
        "  fs.writeFileSync('b', '');", // 8
        "  fsDefault.statSync('c');", // 9
        "  execSync('ls');", // 10
        "  own.readFileSync('d');", // 11: the user's own method
        '  while (Date.now() < 0) {}', // 12
        '}',
      ].join('\n'),
      'cjs.js': [
        "const fs = require('fs');",
        "const { readdirSync } = require('node:fs');",
        'exports.g = async function g() {',
        "  fs.readFileSync('a');", // 4
        "  readdirSync('.');", // 5
        '};',
      ].join('\n'),
      'named.ts': "import { readFileSync } from 'fs';\nexport async function h() {\n  return readFileSync('a');\n}\n",
    };
    let dir = '';
    before(() => {
      dir = tempProject(sources, { types: [], module: 'esnext', moduleResolution: 'bundler' });
      dirs.push(dir);
    });

    it('has no @types/node in the program (the premise of these tests)', () => {
      const file = path.join(dir, 'esm.ts');
      const host = new ProjectHost();
      const program = host.projectFor(file).program();
      assert.ok(program.getSourceFile(file));
      assert.equal(program.getSourceFiles().filter((f) => f.fileName.includes('@types/node')).length, 0);
      host.dispose();
    });

    it('resolves imports by their declarations', async () => {
      const lines = (await lint(path.join(dir, 'esm.ts'))).map((f) => f.range.start.line + 1);
      assert.deepEqual(lines, [7, 8, 9, 10, 12]);
    });

    it('resolves requires in JavaScript', async () => {
      const lines = (await lint(path.join(dir, 'cjs.js'))).map((f) => f.range.start.line + 1);
      assert.deepEqual(lines, [4, 5]);
    });

    it('still offers the fs/promises fix', async () => {
      const findings = byLine(await lint(path.join(dir, 'esm.ts')));
      assert.equal(findings.get(8)?.fixes[0]?.title, "Replace with 'await fs.promises.writeFile(…)'");
      // The named import reuses the namespace import of fs the file already has.
      assert.equal(findings.get(7)?.fixes[0]?.title, "Replace with 'await fs.promises.readFile(…)'");
    });

    it('adds an fs/promises import for a named import', async () => {
      const file = path.join(dir, 'named.ts');
      const out = (await testLinter()).fix(file, sources['named.ts'], onlyRule('blocking-call', file), {
        unsafe: true,
      });
      assert.equal(
        out.text,
        "import { readFileSync } from 'fs';\nimport { readFile } from 'fs/promises';\nexport async function h() {\n  return await readFile('a');\n}\n",
      );
    });
  });
});
