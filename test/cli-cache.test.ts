// --cache (server/src/cli/cache.ts): a second run prints exactly what an uncached run prints, in
// every format, and skips the work (no parse, no program: --stats says so and counts the files
// taken from the cache); a file is linted again when its text, its configuration or what its
// analysis read of other files changes (an imported Python module, an imported TypeScript
// function); a damaged, foreign or unwritable cache changes nothing but speed. Mostly run() in
// process; the default location and a rebuilt bundle through a bundle of its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../server/src/cli/run';
import type { Linter } from '../server/src/engine/linter';
import { createLinter, LazyTypeScriptBackend } from '../server/src/languages';
import { decodeData, encodeData } from '../server/src/engine/digest';
import { PythonBackend } from '../server/src/python/backend';
import { summarizeModule } from '../server/src/python/module-index';
import { createPythonParser, loadPython } from '../server/src/python/parser';
import { readTree } from '../server/src/python/wasm';
import { captureStream, ROOT, writeFiles as write } from './helpers';

async function lint(args: string[], cwd: string) {
  const stdout = captureStream();
  const stderr = captureStream();
  let linter: Linter | undefined;
  const code = await run(args, { stdout, stderr, env: {}, cwd }, { createLinter: () => (linter = createLinter()) });
  const ts = linter?.backends.find((b) => b instanceof LazyTypeScriptBackend) as LazyTypeScriptBackend | undefined;
  const py = linter?.backends.find((b) => b instanceof PythonBackend) as PythonBackend | undefined;
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    compilerLoaded: ts?.compilerLoaded,
    pythonParses: py?.parseCount.full,
  };
}

/** The "cached: N files" line of --stats. */
function cachedCount(stderr: string): number {
  const m = /^cached: (\d+) files?$/m.exec(stderr);
  assert.ok(m, `no 'cached:' line in:\n${stderr}`);
  return Number(m[1]);
}

/** Whether --stats shows time spent in a phase (parse: Python, program: TypeScript). */
function spent(stderr: string, phase: string): boolean {
  return new RegExp(`^${phase}\\s+\\d`, 'm').test(stderr);
}

const PYTHON = {
  'pyproject.toml': '[project]\nname = "shop"\n',
  'shop/__init__.py': '',
  'shop/db.py': 'def save_order(order):\n    return order\n',
  'shop/orders.py': [
    'import time',
    'from shop.db import save_order',
    'from shop.other import ping',
    '',
    '',
    'async def checkout(order):',
    '    time.sleep(0.2)',
    '    save_order(order)',
    '    await ping()',
    '    # async-lint-disable-next-line dangling-task',
    '    print(order)',
    '',
  ].join('\n'),
  'shop/other.py': 'async def ping():\n    return 1\n',
  'shop/plain.py': 'def helper():\n    return 2\n',
};

const TYPESCRIPT = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler' },
    include: ['src'],
  }),
  'src/lib.ts': 'export function load(): number {\n  return 1;\n}\n',
  'src/app.ts': [
    "import { load } from './lib';",
    "import { readFileSync } from 'node:fs';",
    '',
    'export async function main(): Promise<void> {',
    '  load();',
    "  readFileSync('x');",
    '  await Promise.resolve();',
    '}',
    '',
  ].join('\n'),
  'src/other.ts':
    'export async function idle() {\n  return 1;\n}\n// async-lint-disable-next-line unawaited\nexport const x = 1;\n',
};

describe('CLI --cache', function () {
  this.timeout(120_000);
  let tmp: string;
  let n = 0;
  /** A new project folder with these files. */
  const project = (files: Record<string, string>) => {
    const dir = path.join(tmp, `p${++n}`);
    write(dir, files);
    return dir;
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-cache-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints from the cache exactly what an uncached run prints, in every format, and skips parsing and programs', async () => {
    const dir = project({ ...PYTHON, ...TYPESCRIPT });
    const variants = [
      ['-f', 'json'],
      ['-f', 'stylish'],
      ['-f', 'concise'],
      ['-f', 'sarif'],
      ['-f', 'github'],
      ['--statistics'],
      ['--statistics', '-f', 'json'],
      ['-q'],
      ['--max-warnings', '10'],
    ];
    const files = Object.keys({ ...PYTHON, ...TYPESCRIPT }).filter((f) => /\.(py|ts)$/.test(f)).length;
    const common = ['--include-hints', '--report-unused-disable-directives'];
    const location = path.join(tmp, `cache-${n}`);
    // The cache keeps results, not output: one run fills it for every format and filter.
    const first = await lint(['-f', 'json', ...common, '--cache', '--cache-location', location, '--stats'], dir);
    assert.equal(first.stdout, (await lint(['-f', 'json', ...common], dir)).stdout);
    assert.equal(cachedCount(first.stderr), 0);
    assert.ok(spent(first.stderr, 'parse') && spent(first.stderr, 'program'), first.stderr);
    for (const variant of variants) {
      const args = [...variant, ...common];
      const plain = await lint(args, dir);
      const cached = await lint([...args, '--cache', '--cache-location', location, '--stats'], dir);
      assert.equal(cached.stdout, plain.stdout, variant.join(' '));
      assert.equal(cached.code, plain.code, variant.join(' '));
      assert.equal(cachedCount(cached.stderr), files, cached.stderr);
      assert.ok(!spent(cached.stderr, 'parse') && !spent(cached.stderr, 'program'), cached.stderr);
      // Not even for the module summaries the checks of the imports need, nor the compiler loaded.
      assert.equal(cached.pythonParses, 0);
      assert.equal(cached.compilerLoaded, false);
    }
    // What the cache reproduces is there to reproduce: findings of both languages, a directive
    // that suppressed nothing in each, and a failing exit code.
    const plain = await lint(['-f', 'concise', '--include-hints', '--report-unused-disable-directives'], dir);
    assert.equal(plain.code, 1);
    for (const expected of [
      /orders\.py:7:5: warning blocking-call/,
      /orders\.py:10:.*dangling-task/,
      /app\.ts:6:3: warning blocking-call/,
      /other\.ts:4:.*unawaited/,
      /other\.py:1:\d+: hint unused-async/,
    ]) {
      assert.match(plain.stdout, expected);
    }
  });

  it('lints again a file whose text changed, and only that file', async () => {
    const dir = project(PYTHON);
    const args = ['-f', 'json', '--cache', '--stats'];
    await lint(args, dir);
    write(dir, { 'shop/plain.py': 'import time\n\n\nasync def helper():\n    time.sleep(1)\n' });
    const after = await lint(args, dir);
    // Only plain.py: other.py asked how `ping` is used in the other files, which plain.py still
    // does not spell.
    assert.equal(cachedCount(after.stderr), 4, after.stderr);
    assert.equal(after.stdout, (await lint(['-f', 'json'], dir)).stdout);
    assert.match(after.stdout, /plain\.py.*time\.sleep/s);
  });

  it('lints again when the configuration or a --rule changes', async () => {
    const dir = project(PYTHON);
    const args = ['-f', 'concise', '--cache', '--stats'];
    await lint(args, dir);
    assert.equal(cachedCount((await lint(args, dir)).stderr), 5);
    const withRule = await lint([...args, '--rule', 'blocking-call=error'], dir);
    assert.equal(cachedCount(withRule.stderr), 0);
    assert.match(withRule.stdout, /orders\.py:7:5: error blocking-call/);
    write(dir, { 'pyproject.toml': '[project]\nname = "shop"\n\n[tool.async-lint.rules]\nblocking-call = "info"\n' });
    const configured = await lint(args, dir);
    assert.equal(cachedCount(configured.stderr), 0);
    assert.match(configured.stdout, /orders\.py:7:5: info blocking-call/);
    assert.equal(configured.stdout, (await lint(['-f', 'concise'], dir)).stdout);
  });

  it('a result made without the rules a run dropped (hints, or all but errors with -q) answers only runs that drop them too', async () => {
    const dir = project({ ...PYTHON, ...TYPESCRIPT });
    const cache = ['--cache', '--stats'];
    for (const args of [[], ['-q'], ['--include-hints'], []]) {
      const cached = await lint(['-f', 'concise', ...args, ...cache], dir);
      assert.equal(cached.stdout, (await lint(['-f', 'concise', ...args], dir)).stdout, args.join(' '));
    }
    assert.match(
      (await lint(['-f', 'concise', '--include-hints', ...cache], dir)).stdout,
      /other\.py:1:\d+: hint unused-async/,
    );
  });

  it('Python: an imported module that becomes async makes the unchanged importing file report an unawaited call', async () => {
    const dir = project(PYTHON);
    const args = ['-f', 'concise', '--cache', '--stats'];
    const before = await lint(args, dir);
    assert.doesNotMatch(before.stdout, /orders\.py:8:5/);
    write(dir, { 'shop/db.py': 'async def save_order(order):\n    return order\n' });
    const after = await lint(args, dir);
    assert.match(after.stdout, /orders\.py:8:5: warning unawaited/);
    assert.equal(after.stdout, (await lint(['-f', 'concise'], dir)).stdout);
    // db.py (changed) and orders.py (asked about save_order) are linted; the others are not.
    assert.equal(cachedCount(after.stderr), 3, after.stderr);
    // And back.
    write(dir, { 'shop/db.py': PYTHON['shop/db.py'] });
    assert.equal((await lint(args, dir)).stdout, before.stdout);
  });

  it('Python: an imported module that disappears is seen', async () => {
    const dir = project({ ...PYTHON, 'shop/db.py': 'async def save_order(order):\n    return order\n' });
    const args = ['-f', 'concise', '--cache'];
    assert.match((await lint(args, dir)).stdout, /orders\.py:8:5: warning unawaited/);
    fs.rmSync(path.join(dir, 'shop', 'db.py'));
    const after = await lint(args, dir);
    assert.doesNotMatch(after.stdout, /orders\.py:8:5/);
    assert.equal(after.stdout, (await lint(['-f', 'concise'], dir)).stdout);
  });

  it('Python: unused-async counts the uses of a name in every file of the run; a new use elsewhere is seen', async () => {
    const dir = project(PYTHON);
    const args = ['-f', 'concise', '--include-hints', '--cache', '--stats'];
    assert.match((await lint(args, dir)).stdout, /other\.py:1:\d+: hint unused-async/);
    // A file no other imports, that passes `ping` as a value: it must stay async.
    write(dir, { 'shop/jobs.py': 'from shop.other import ping\n\nHANDLERS = [ping]\n' });
    const after = await lint(args, dir);
    assert.doesNotMatch(after.stdout, /other\.py/);
    assert.equal(after.stdout, (await lint(['-f', 'concise', '--include-hints'], dir)).stdout);
    // other.py (its answer changed) and jobs.py (new) are linted; orders.py asked nothing that changed.
    assert.equal(cachedCount(after.stderr), 4, after.stderr);
  });

  it('TypeScript: an imported function that comes to return a promise makes the unchanged caller report it dropped', async () => {
    const dir = project(TYPESCRIPT);
    const args = ['-f', 'concise', '--cache', '--stats'];
    const before = await lint(args, dir);
    assert.doesNotMatch(before.stdout, /app\.ts:5:3/);
    assert.equal(cachedCount((await lint(args, dir)).stderr), 3);
    // (An async function that cannot reject is not reported dropped: this one awaits.)
    write(dir, {
      'src/lib.ts': 'export async function load(): Promise<number> {\n  await Promise.resolve();\n  return 1;\n}\n',
    });
    const after = await lint(args, dir);
    assert.match(after.stdout, /app\.ts:5:3: warning unawaited/);
    assert.equal(after.stdout, (await lint(['-f', 'concise'], dir)).stdout);
    // One file of the project changed: the project's program is built again, every file linted.
    assert.equal(cachedCount(after.stderr), 0);
    assert.ok(spent(after.stderr, 'program'));
  });

  it('TypeScript: a run where nothing changed does not load the compiler; a change loads it and relints only its project', async () => {
    const dir = project({
      ...TYPESCRIPT,
      'package.json': '{}',
      'tools/run.mjs': 'export async function go() {\n  await fetch("x");\n}\ngo();\n',
    });
    const args = ['-f', 'concise', '--cache', '--stats'];
    const first = await lint(args, dir);
    assert.equal(first.compilerLoaded, true);
    const second = await lint(args, dir);
    assert.equal(cachedCount(second.stderr), 4);
    assert.equal(second.compilerLoaded, false);
    assert.equal(second.stdout, first.stdout);
    assert.match(second.stdout, /run\.mjs:4:1: warning unawaited/);
    // A new file in the tsconfig's project: that project is linted again, the loose script's
    // (an inferred project) is not.
    write(dir, { 'src/more.ts': 'export const more = 1;\n' });
    const third = await lint(args, dir);
    assert.equal(third.compilerLoaded, true);
    assert.equal(cachedCount(third.stderr), 1);
    assert.equal(third.stdout, (await lint(['-f', 'concise'], dir)).stdout);
  });

  it('TypeScript: a file that joins the project, or a changed tsconfig, makes its files linted again', async () => {
    const dir = project(TYPESCRIPT);
    const args = ['-f', 'concise', '--cache', '--stats'];
    await lint(args, dir);
    // A declaration file is not linted, but it is in the program: load() now returns a promise.
    write(dir, {
      'src/lib.ts': 'export { load } from "./decl";\n',
      'src/decl.d.ts': 'export declare function load(): Promise<number>;\n',
    });
    const after = await lint(args, dir);
    assert.equal(cachedCount(after.stderr), 0);
    assert.match(after.stdout, /app\.ts:5:3: warning unawaited/);
    assert.equal(cachedCount((await lint(args, dir)).stderr), 3);
    write(dir, {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noLib: true },
        include: ['src'],
      }),
    });
    const relinted = await lint(args, dir);
    assert.equal(cachedCount(relinted.stderr), 0);
    assert.equal(relinted.stdout, (await lint(['-f', 'concise'], dir)).stdout);
  });

  it('ignores a damaged or foreign cache file without a word, and replaces it', async () => {
    const dir = project(PYTHON);
    const location = path.join(tmp, `damaged-${n}`);
    const args = ['-f', 'json', '--cache', '--cache-location', location, '--stats'];
    const plain = await lint(['-f', 'json'], dir);
    await lint(args, dir);
    const good = fs.readFileSync(location, 'utf8');
    const damaged = [
      'not json at all',
      good.slice(0, Math.floor(good.length / 2)),
      good.replace(/"message":"[^"]*"/, '"message":"tampered"'),
      good.replace(/"build":"[^"]*"/, '"build":"another"'),
      '',
      '{"format":"async-lint-cache"}\n[]',
    ];
    for (const text of damaged) {
      fs.writeFileSync(location, text);
      const r = await lint(args, dir);
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.code, plain.code);
      assert.equal(cachedCount(r.stderr), 0);
      assert.doesNotMatch(r.stderr, /async-lint: /);
      // Replaced by a good one.
      assert.equal(cachedCount((await lint(args, dir)).stderr), 5);
    }
  });

  it('a cache that cannot be written is a warning; the report and the exit code are as without it', async () => {
    const dir = project(PYTHON);
    const plain = await lint(['-f', 'json'], dir);
    const blocker = path.join(tmp, `file-${n}`);
    fs.writeFileSync(blocker, 'a file, not a folder');
    const r = await lint(['-f', 'json', '--cache', '--cache-location', path.join(blocker, 'cache')], dir);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.code, plain.code);
    assert.match(r.stderr, /could not write the cache .*cache \((ENOTDIR|EEXIST)\)/);
  });

  it('--cache-location: a file, or a folder to hold .async-lint-cache; it needs --cache', async () => {
    const dir = project(PYTHON);
    const folder = path.join(tmp, `folder-${n}`);
    fs.mkdirSync(folder);
    await lint(['--cache', '--cache-location', folder], dir);
    assert.ok(fs.existsSync(path.join(folder, '.async-lint-cache')));
    await lint(['--cache', '--cache-location', 'sub/'], dir);
    assert.ok(fs.existsSync(path.join(dir, 'sub', '.async-lint-cache')));
    await lint(['--cache', '--cache-location', 'named.cache'], dir);
    assert.ok(fs.statSync(path.join(dir, 'named.cache')).isFile());
    await assert.rejects(lint(['--cache-location', 'x'], dir), /--cache-location only takes effect with --cache/);
  });

  it('--fix uses the results it would not change, and writes no cache after changing files; the next run lints the fixed file', async () => {
    const dir = project(PYTHON);
    const location = path.join(tmp, `fix-${n}`);
    const cached = ['-f', 'concise', '--cache', '--cache-location', location, '--stats'];
    await lint(cached, dir);
    // Nothing --fix applies (all fixes are suggestions): every result comes from the cache.
    const fix = await lint(['--fix', ...cached], dir);
    assert.equal(cachedCount(fix.stderr), 5);
    assert.match(fix.stderr, /no safe fixes to apply/);
    const before = fs.statSync(location).mtimeMs;
    // --unsafe-fixes changes orders.py: its result is not taken from the cache, nor are those of the
    // files after it (they are linted with its fixed text, as without the cache), and no cache is
    // written. Before it: __init__.py and db.py.
    const unsafe = await lint(['--fix', '--unsafe-fixes', ...cached], dir);
    assert.match(unsafe.stderr, /applied \d+ fix/);
    assert.equal(cachedCount(unsafe.stderr), 2);
    assert.equal(fs.statSync(location).mtimeMs, before);
    assert.match(fs.readFileSync(path.join(dir, 'shop', 'orders.py'), 'utf8'), /await asyncio\.sleep/);
    const next = await lint(cached, dir);
    assert.equal(next.stdout, (await lint(['-f', 'concise'], dir)).stdout);
  });

  it('keeps a module summary exactly: what the cache stores reads back equal, Maps, Sets and their order', async () => {
    await loadPython();
    const text = [
      'import asyncio',
      'from .db import save as store, load',
      'from .util import *',
      'LIMIT = 3',
      'try:',
      '    import ujson as json',
      'except ImportError:',
      '    import json',
      'def plain(a, b):',
      '    return a == b',
      'async def ticks():',
      '    yield 1',
      'async def fetch():',
      '    await asyncio.sleep(1)',
      'class Base:',
      '    async def run(self):',
      '        await fetch()',
      'class Job(Base, metaclass=Meta):',
      '    def close(self):',
      '        pass',
      '    async def stream(self):',
      '        yield 2',
      '',
    ].join('\n');
    const tree = createPythonParser().parse(text)!;
    const summary = summarizeModule(readTree(tree, text), 'shop');
    tree.delete();
    // The summary has every kind of part, so that the round trip is tested on each.
    assert.ok(
      summary.plainParameters?.size &&
        summary.asyncGenerators?.size &&
        summary.classes.get('Job')?.asyncGenerators?.size &&
        summary.starImports.length &&
        summary.variables.size,
    );
    const back = decodeData(JSON.parse(JSON.stringify(encodeData(summary))));
    assert.deepEqual(back, summary);
    assert.deepEqual([...(back as typeof summary).functions.keys()], [...summary.functions.keys()]);
  });

  describe('bundled', () => {
    let cli = '';
    before(() => {
      const outdir = path.join(tmp, 'dist');
      const build = spawnSync(process.execPath, ['esbuild.mjs', '--only', 'cli', '--outdir', outdir], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
      cli = path.join(outdir, 'cli.js');
    });

    const spawn = (args: string[], cwd: string) =>
      spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });

    it('writes .async-lint-cache in the current folder; a rebuilt bundle starts afresh', () => {
      const dir = project(PYTHON);
      const first = spawn(['--cache', '--stats'], dir);
      assert.equal(first.status, 1, first.stderr);
      assert.ok(fs.existsSync(path.join(dir, '.async-lint-cache')));
      const second = spawn(['--cache', '--stats'], dir);
      assert.equal(second.stdout, first.stdout);
      assert.equal(cachedCount(second.stderr), 5);
      fs.appendFileSync(cli, '\n// another build\n');
      const rebuilt = spawn(['--cache', '--stats'], dir);
      assert.equal(rebuilt.stdout, first.stdout);
      assert.equal(cachedCount(rebuilt.stderr), 0);
    });
  });
});
