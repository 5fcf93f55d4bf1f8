// The CLI's Python parse pool (server/src/python/parse-pool.ts, worker threads running the bundled
// dist/python-parse-worker.js): a tree made in a worker must be exactly the tree the main thread
// makes; a file needed before its turn is parsed next; a text other than the one given and a file
// nested too deeply are left to the caller; workers stay within their lead; and a CLI run reports
// the same with and without the pool.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPythonParser, loadPython, pythonRuntime } from '../server/src/python/parser';
import { ParsePool, workersWanted, type PoolOptions } from '../server/src/python/parse-pool';
import type { SyntaxTree } from '../server/src/python/syntax';
import { grammarOf, readTree } from '../server/src/python/wasm';
import { FIXTURES } from './helpers';

const ROOT = path.join(__dirname, '..');
const SCRIPT = path.join(ROOT, 'dist', 'python-parse-worker.js');

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.py')) out.push(p);
    }
  }
  return out.sort();
}

/** The main thread's own tree of a text. */
function parseHere(text: string): SyntaxTree {
  const parser = createPythonParser();
  const tree = parser.parse(text)!;
  try {
    return readTree(tree, text);
  } finally {
    tree.delete();
    parser.delete();
  }
}

async function startPool(files: { path: string; text: string }[], options: PoolOptions = {}): Promise<ParsePool> {
  await loadPython();
  const pool = ParsePool.start(files, () => grammarOf(pythonRuntime()!.language), {
    script: SCRIPT,
    workers: 2,
    minText: 0,
    ...options,
  });
  assert.ok(pool, 'a pool starts');
  return pool;
}

/** Waits (not a timing assertion: up to 30 s) until the workers have answered `n` times. */
async function answered(pool: ParsePool, n: number): Promise<void> {
  for (let waited = 0; pool.delivered() < n && waited < 30_000; waited += 20)
    await new Promise((r) => setTimeout(r, 20));
}

const DEEP = `${Array.from({ length: 120 }, (_, i) => `${' '.repeat(i)}if x:`).join('\n')}\n${' '.repeat(120)}pass\n`;

describe('Python parse pool (worker threads)', function () {
  this.timeout(120_000);

  before(() => {
    if (!fs.existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: npm run build`);
  });

  it('gives the trees the main thread would make, fixtures and broken text alike', async () => {
    const files = pyFiles(FIXTURES).map((f) => ({ path: f, text: fs.readFileSync(f, 'utf8') }));
    files.push({
      path: '/virtual/broken.py',
      text: 'def f(:\n  (1,\nclass C(D): pass\nasync def g():\n    await h(\u00e9, "\u{1F600}")\n',
    });
    const pool = await startPool(files);
    await answered(pool, 1);
    for (const f of files) {
      const tree = pool.take(f.path, f.text);
      if (!tree) continue;
      const here = parseHere(f.text);
      assert.equal(tree.hasError, here.hasError, f.path);
      assert.deepEqual(tree.arrays, here.arrays, f.path);
      assert.equal(tree.text, f.text);
    }
    assert.ok(pool.counts.fromWorkers > 0, 'some trees came from the workers');
    assert.equal(pool.counts.fromWorkers + pool.counts.toCaller, files.length, 'every file answered once');
  });

  it('leaves to the caller a changed text, a file not given, a second take and a file nested too deeply', async () => {
    const files = [
      { path: '/v/a.py', text: 'import asyncio\n\nasync def a():\n    await asyncio.sleep(1)\n' },
      { path: '/v/deep.py', text: DEEP },
      { path: '/v/b.py', text: 'def b():\n    return 1\n' },
    ];
    const pool = await startPool(files);
    await answered(pool, files.length);
    assert.equal(pool.take('/v/a.py', 'changed = 1\n'), undefined, 'not the text it was given');
    assert.equal(pool.take('/v/elsewhere.py', files[2].text), undefined, 'not a file of the pool');
    assert.equal(pool.take('/v/deep.py', DEEP), undefined, 'too deep for the parser: the caller says so');
    const b = pool.take('/v/b.py', files[2].text);
    assert.ok(b, 'parsed by a worker');
    assert.deepEqual(b.arrays, parseHere(files[2].text).arrays);
    assert.equal(pool.take('/v/b.py', files[2].text), undefined, 'taken once');
  });

  it('has a worker parse next a file the main thread needs before its turn', async () => {
    // Many files, and the last one asked for first (as an import is).
    const text = (i: number) => `async def f${i}():\n    return ${i}\n`.repeat(200);
    const files = Array.from({ length: 200 }, (_, i) => ({ path: `/v/m${i}.py`, text: text(i) }));
    // With a lead of 20 files, the workers cannot reach the last file in order before it is taken.
    const pool = await startPool(files, { maxAhead: 20 * text(0).length });
    const last = files[files.length - 1];
    const tree = pool.take(last.path, last.text);
    assert.ok(tree, 'made by a worker, waited for');
    assert.deepEqual(tree.arrays, parseHere(last.text).arrays);
    assert.ok(pool.delivered() < files.length / 2, `${pool.delivered()} files parsed before it`);
    for (const f of files.slice(0, -1)) {
      const t = pool.take(f.path, f.text);
      assert.ok(t, f.path);
      assert.deepEqual(t.arrays, parseHere(f.text).arrays);
    }
    assert.equal(pool.counts.fromWorkers, files.length);
  });

  it('keeps its workers within their lead over the analysis, and finishes with the smallest lead', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `/v/n${i}.py`, text: `x${i} = ${i}\n`.repeat(50) }));
    const pool = await startPool(files, { maxAhead: 1 });
    await answered(pool, 1);
    await new Promise((r) => setTimeout(r, 300));
    // Each of the two workers may have sent one file before it saw the other's.
    assert.ok(pool.delivered() <= 2, `${pool.delivered()} answers sent with a lead of one character`);
    for (const f of files) pool.take(f.path, f.text);
    assert.ok(pool.counts.fromWorkers >= 1);
    assert.equal(pool.counts.fromWorkers + pool.counts.toCaller, files.length);
  });

  it('takes its thread count from ASYNC_LINT_PARSE_THREADS, else the CPUs (none on one)', () => {
    assert.equal(workersWanted({ ASYNC_LINT_PARSE_THREADS: '0' }), 0);
    assert.equal(workersWanted({ ASYNC_LINT_PARSE_THREADS: '3' }), 3);
    const cpus = os.availableParallelism();
    assert.equal(workersWanted({}), cpus < 2 ? 0 : Math.min(cpus, 4));
  });

  it('a CLI run reports the same with the pool as without it', () => {
    // A package large enough for the pool: the fixture packages, many times over.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-pool-'));
    try {
      const sources = [path.join(FIXTURES, 'python-project'), path.join(FIXTURES, 'unawaited', 'pkg')];
      for (let i = 0; i < 80; i++)
        for (const [j, src] of sources.entries()) fs.cpSync(src, path.join(dir, `copy${i}_${j}`), { recursive: true });
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "copies"\n');
      const size = pyFiles(dir).reduce((n, f) => n + fs.statSync(f).size, 0);
      assert.ok(size > 256 * 1024, `${size} bytes: enough for the pool`);
      const run = (threads: string) =>
        spawnSync(
          process.execPath,
          [path.join(ROOT, 'bin', 'async-lint.js'), '.', '-f', 'json', '--include-hints', '--stats'],
          {
            cwd: dir,
            encoding: 'utf8',
            env: { ...process.env, ASYNC_LINT_PARSE_THREADS: threads },
          },
        );
      const without = run('0');
      const withPool = run('2');
      assert.equal(without.status, 1, without.stderr);
      assert.equal(withPool.status, 1, withPool.stderr);
      assert.ok(
        JSON.parse(without.stdout).some((f: { messages: unknown[] }) => f.messages.length > 0),
        'findings to compare',
      );
      assert.equal(withPool.stdout, without.stdout);
      const note = /^python: (\d+) of (\d+) files parsed in 2 worker threads$/m.exec(withPool.stderr);
      assert.ok(note && Number(note[1]) > 0, `the workers parsed files:\n${withPool.stderr}`);
      assert.doesNotMatch(without.stderr, /worker thread/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
