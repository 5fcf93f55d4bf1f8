// --shard i/n and `async-lint merge-sarif` (server/src/cli/shard.ts, merge-sarif.ts): the parts of
// a matrix lint each file once, keep a TypeScript project in one part, find together exactly what
// one run finds (Python's cross-file answers included), and their SARIF logs merge into the log of
// that one run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeSarif } from '../server/src/cli/merge-sarif';
import { run, UsageError } from '../server/src/cli/run';
import { dealShards, parseShard, typeScriptUnit } from '../server/src/cli/shard';
import { captureStream, writeFiles as write } from './helpers';

async function lint(args: string[], cwd: string) {
  const stdout = captureStream();
  const stderr = captureStream();
  let code: number;
  try {
    code = await run(args, { stdout, stderr, env: {}, cwd });
  } catch (e) {
    // What bin/async-lint.js does with a usage error.
    if (!(e instanceof UsageError)) throw e;
    stderr.write(`async-lint: ${e.message}\n`);
    code = 2;
  }
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext' } });

const PROJECT: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "shop"\n',
  'shop/__init__.py': '',
  // unused-async reads the other files: ping is awaited in orders.py (a hint), pong is also handed
  // to a registry in hooks.py (a coroutine function is wanted: no hint).
  'shop/other.py': 'async def ping():\n    return 1\n\n\nasync def pong():\n    return 2\n',
  'shop/hooks.py': 'from shop.other import pong\n\nHOOKS = [pong]\n',
  'shop/orders.py':
    'import time\n\nfrom shop.other import ping, pong\n\n\nasync def checkout():\n    time.sleep(1)\n    await ping()\n    await pong()\n',
  'shop/plain.py': 'def helper():\n    return 2\n',
  'web/tsconfig.json': TSCONFIG,
  'web/src/a.ts': 'import { load } from "./b";\n\nexport async function main(): Promise<void> {\n  load();\n}\n',
  'web/src/b.ts': 'export async function load(): Promise<number> {\n  await Promise.resolve();\n  return 1;\n}\n',
  'web/src/c.ts':
    'import fs from "node:fs";\n\nexport async function read(): Promise<string> {\n  return fs.readFileSync("x", "utf8");\n}\n',
  'api/tsconfig.json': TSCONFIG,
  'api/index.ts': 'export async function go(): Promise<void> {\n  fetch("x");\n}\n',
  'loose/tool.js': 'async function t() {\n  fetch("y");\n}\nt();\n',
};

interface EslintFile {
  filePath: string;
  messages: { ruleId: string; line: number; column: number; message: string }[];
}

describe('CLI --shard and merge-sarif', function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-shard-'));
    write(dir, PROJECT);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('rejects a malformed part with exit 2, and --shard with --stdin', async () => {
    for (const spec of ['0/2', '3/2', '1/0', 'x', '1-2']) {
      const r = await lint(['--shard', spec, '.'], dir);
      assert.equal(r.code, 2, spec);
      assert.match(r.stderr, /--shard/, spec);
    }
    const stdin = await lint(['--shard', '1/2', '--stdin', '--stdin-filename', 'a.ts'], dir);
    assert.equal(stdin.code, 2);
    assert.match(stdin.stderr, /cannot be combined with --stdin/);
  });

  it('the parts lint each file once, keep each TypeScript project whole, and find together what one run finds', async () => {
    const whole = JSON.parse((await lint(['-f', 'json', '--include-hints', '.'], dir)).stdout) as EslintFile[];
    const findings = (files: EslintFile[]) =>
      files
        .flatMap((f) =>
          f.messages.map((m) => `${path.relative(dir, f.filePath)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`),
        )
        .sort();
    const expected = findings(whole);
    // What there is to find: each language, and the hint that depends on another file (hooks.py).
    for (const want of [
      /^shop\/orders\.py:7:5 blocking-call/,
      /^shop\/other\.py:1:\d+ unused-async/,
      /^web\/src\/a\.ts:4:3 unawaited/,
      /^api\/index\.ts:2:3 unawaited/,
    ]) {
      assert.ok(
        expected.some((f) => want.test(f)),
        `${want} in ${expected.join('\n')}`,
      );
    }
    assert.ok(!expected.some((f) => /^shop\/other\.py:5:/.test(f)), 'pong is used as a value in hooks.py');
    let splitPython = false;
    for (const n of [2, 3, 4]) {
      const parts: EslintFile[][] = [];
      for (let i = 1; i <= n; i++) {
        const r = await lint(['-f', 'json', '--include-hints', '--shard', `${i}/${n}`, '.'], dir);
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        parts.push(r.stdout.trim() === '' ? [] : (JSON.parse(r.stdout) as EslintFile[]));
      }
      const partOf = new Map<string, number>();
      parts.forEach((files, i) => {
        for (const f of files) {
          assert.ok(!partOf.has(f.filePath), `${f.filePath} linted twice with n=${n}`);
          partOf.set(f.filePath, i);
        }
      });
      assert.deepEqual([...partOf.keys()].sort(), whole.map((f) => f.filePath).sort(), `n=${n}: every file once`);
      const at = (p: string) => partOf.get(path.join(dir, p));
      assert.equal(at('web/src/a.ts'), at('web/src/b.ts'), 'one project, one part');
      assert.equal(at('web/src/a.ts'), at('web/src/c.ts'), 'one project, one part');
      if (at('shop/other.py') !== at('shop/hooks.py') || at('shop/other.py') !== at('shop/orders.py'))
        splitPython = true;
      assert.deepEqual(findings(parts.flat()), expected, `n=${n}`);
    }
    // The case that needs every Python file told to each part happened.
    assert.ok(splitPython, 'other.py and a file that uses its functions were in different parts for some n');
  });

  it('merge-sarif joins the parts into the log one run writes; it refuses what is not async-lint SARIF', async () => {
    const whole = JSON.parse((await lint(['-f', 'sarif', '--include-hints', '.'], dir)).stdout);
    const files: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await lint(['-f', 'sarif', '--include-hints', '--shard', `${i}/3`, '.'], dir);
      const file = path.join(dir, `part-${i}.sarif`);
      fs.writeFileSync(file, r.stdout);
      files.push(file);
    }
    const merged = await lint(['merge-sarif', ...files.reverse()], dir);
    assert.equal(merged.code, 0, merged.stderr);
    const log = JSON.parse(merged.stdout);
    const sorted = (results: unknown[]) => results.map((r) => JSON.stringify(r)).sort();
    assert.ok(whole.runs[0].results.length >= 4);
    assert.deepEqual(sorted(log.runs[0].results), sorted(whole.runs[0].results));
    assert.deepEqual(log.runs[0].tool, whole.runs[0].tool);
    assert.deepEqual(log.runs[0].invocations, whole.runs[0].invocations);
    assert.deepEqual(
      log,
      JSON.parse(mergeSarif(files.reverse().map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') })))),
      'order of parts does not matter',
    );

    const other = path.join(dir, 'other.sarif');
    fs.writeFileSync(other, JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'eslint' } } }] }));
    const refused = await lint(['merge-sarif', files[0], other], dir);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /other\.sarif: not a SARIF 2\.1\.0 log of one async-lint run/);
    const older = JSON.parse(fs.readFileSync(files[1], 'utf8'));
    older.runs[0].tool.driver.version = '0.0.1';
    fs.writeFileSync(other, JSON.stringify(older));
    assert.match((await lint(['merge-sarif', files[0], other], dir)).stderr, /async-lint 0\.0\.1.*one version/);
    assert.equal((await lint(['merge-sarif'], dir)).code, 2);
  });

  it('deals units largest first to the lightest part, the same whatever the order of the files', () => {
    const cwd = '/repo';
    const files = [
      { path: '/repo/a', size: 50, unit: 'A' },
      { path: '/repo/b1', size: 30, unit: '/repo/b' },
      { path: '/repo/b2', size: 30, unit: '/repo/b' },
      { path: '/repo/c', size: 40, unit: '/repo/c' },
      { path: '/repo/d', size: 10, unit: '/repo/d' },
    ];
    const dealt = dealShards(files, 2, cwd);
    // b (60) to part 1, a (50) to part 2, c (40) to part 2 (50 < 60), d (10) to part 1 (60 < 90).
    assert.deepEqual(Object.fromEntries(dealt), {
      '/repo/b1': 1,
      '/repo/b2': 1,
      '/repo/a': 2,
      '/repo/c': 2,
      '/repo/d': 1,
    });
    assert.deepEqual(Object.fromEntries(dealShards([...files].reverse(), 2, cwd)), Object.fromEntries(dealt));
    assert.deepEqual(parseShard(' 2 / 3 '), { index: 2, count: 3 });
  });

  it("finds a TypeScript file's unit as the backend finds its project: nearest tsconfig, else the package.json folder", () => {
    const known = new Map<string, string>();
    assert.equal(typeScriptUnit(path.join(dir, 'web/src/a.ts'), known), path.join(dir, 'web/tsconfig.json'));
    assert.equal(typeScriptUnit(path.join(dir, 'api/index.ts'), known), path.join(dir, 'api/tsconfig.json'));
    const loose = typeScriptUnit(path.join(dir, 'loose/tool.js'), known);
    assert.ok(loose.startsWith('inferred:'), loose);
  });
});
