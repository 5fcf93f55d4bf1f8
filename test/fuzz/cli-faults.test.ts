// The command line against what a file system can hold besides regular files: named pipes and
// links to endless devices where sources or configuration files are expected, symlink loops,
// dangling links, files that fail to read. The CLI is spawned (built from the current sources) with
// a time limit: a read that blocks must fail the test, not hang it.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './seeds';
import { typeScript7Available } from '../../server/src/typescript/ts7-available';

let cli: string | undefined;
function buildCli(): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-cli-'));
  process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['esbuild.mjs', '--outdir', out, '--only', 'cli'], { cwd: ROOT }, (err, _o, stderr) =>
      err ? reject(new Error(stderr)) : resolve(path.join(out, 'cli.js')),
    ),
  );
}

function run(
  cwd: string,
  args: string[],
): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  // The finding these tests look for is an unused-async hint, which the CLI shows only when asked.
  const r = spawnSync(process.execPath, [cli!, '--include-hints', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    timedOut: r.error !== undefined && /ETIMEDOUT/.test(String(r.error)),
  };
}

const UNUSED_TS = 'export async function f() {\n  return 1;\n}\nvoid f();\n';

describe('CLI faults: what is not a regular file', function () {
  this.timeout(120_000);
  before(async function () {
    if (process.platform === 'win32') this.skip();
    cli = await buildCli();
  });

  const made: string[] = [];
  process.on('exit', () => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  function workspace(): string {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-nasty-')));
    made.push(dir);
    fs.writeFileSync(path.join(dir, 'ok.ts'), UNUSED_TS);
    return dir;
  }

  // TypeScript 7 (when installed) reads the project's files itself: it must not read a pipe either.
  const backends = typeScript7Available().ok ? ['typescript6', 'typescript7'] : ['typescript6'];
  for (const [name, backend] of ['async-lint.json', 'package.json', 'pyproject.toml', '.gitignore'].flatMap((n) =>
    backends.map((b) => [n, b] as const),
  )) {
    it(`a named pipe called ${name} is not read (a read would block forever), type backend ${backend}`, () => {
      const dir = workspace();
      execFileSync('mkfifo', [path.join(dir, name)]);
      const r = run(dir, ['.', '--format', 'json', '--type-backend', backend]);
      assert.equal(r.timedOut, false, 'the CLI blocked on the pipe');
      assert.equal(r.status, 0, r.stderr);
      const [file] = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string }[] }[];
      assert.deepEqual(
        file.messages.map((m) => m.ruleId),
        ['unused-async'],
      );
    });
  }

  it('globs built to make regular expressions backtrack for minutes, in async-lint.json and .gitignore, are matched at once', () => {
    const dir = workspace();
    const name = 'a'.repeat(60);
    fs.mkdirSync(path.join(dir, ...Array.from({ length: 30 }, () => 'a')), { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.ts`), UNUSED_TS);
    fs.writeFileSync(path.join(dir, ...Array.from({ length: 30 }, () => 'a'), 'deep.ts'), UNUSED_TS);
    fs.writeFileSync(path.join(dir, 'async-lint.json'), JSON.stringify({ ignorePatterns: ['*a'.repeat(25) + '*b'] }));
    fs.writeFileSync(path.join(dir, '.gitignore'), `a/${'**/'.repeat(20)}b/${'**/'.repeat(20)}c\n`);
    const r = run(dir, ['.', '--format', 'json']);
    assert.equal(r.timedOut, false, 'the CLI took over 30 s: a glob backtracked');
    const files = (JSON.parse(r.stdout) as { filePath: string; messages: unknown[] }[])
      .map((f) => path.basename(f.filePath))
      .sort();
    assert.deepEqual(files, [`${name}.ts`, 'deep.ts', 'ok.ts']);
  });

  it('sources that are pipes, devices, loops, dangling links and unreadable are reported or skipped; the rest is linted', () => {
    const dir = workspace();
    execFileSync('mkfifo', [path.join(dir, 'pipe.ts')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.ts'));
    fs.symlinkSync('/dev/urandom', path.join(dir, 'random.py'));
    fs.symlinkSync('missing.ts', path.join(dir, 'dangling.ts'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('..', path.join(dir, 'sub', 'loop'));
    if (fs.existsSync('/proc/self/mem')) fs.symlinkSync('/proc/self/mem', path.join(dir, 'mem.ts')); // EIO on read
    const r = run(dir, ['.']);
    assert.equal(r.timedOut, false, 'the CLI blocked');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ok\.ts[\s\S]*unused-async/);
    assert.match(r.stdout, /dangling\.ts[\s\S]*[Bb]roken symbolic link/);
    assert.match(r.stdout, /loop[\s\S]*[Ll]oop/);
    if (fs.existsSync('/proc/self/mem')) assert.match(r.stdout, /mem\.ts[\s\S]*cannot read/);
    // Named on the command line, they are reported one by one.
    for (const name of ['pipe.ts', 'zero.ts', 'random.py']) {
      const one = run(dir, [name]);
      assert.equal(one.timedOut, false, `${name}: blocked`);
      assert.match(one.stdout + one.stderr, /not a regular file/i, name);
    }
  });
});
