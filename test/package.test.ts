// The npm package and the .vsix as users get them. `npm pack` runs in a copy of the repository
// (its prepare script, scripts/prepare.mjs, builds dist/ for production there, so the working
// tree's dist/ is left alone); the tarball is installed globally into a temporary prefix with --offline (it has no
// dependencies: everything it runs is bundled); then the installed `async-lint` lints a copy of
// examples/, prints a rule's page, and `async-lint-server --stdio` serves an LSP client. The .vsix
// is packaged by vsce from the same copy and build.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, version } from '../package.json';
import { run } from '../server/src/cli/run';
import { RULE_IDS } from '../server/src/engine/rules';
import { ALL_EXTENSIONS } from '../server/src/language-facts';
import { ROOT } from './helpers';
import { LspTestClient, uriOf } from './lspClient';

const TARBALL_NAME = `async-lint-${version}.tgz`;

/** What the installed CLI and server need at run time, besides package.json and the README. */
const REQUIRED = [
  'bin/async-lint.js',
  'bin/async-lint-server.js',
  'dist/cli.js',
  'dist/server.js',
  'dist/typescript.js',
  'dist/lib.es5.d.ts',
  'dist/lib.dom.d.ts',
  'dist/web-tree-sitter.cjs',
  'dist/web-tree-sitter.wasm',
  'dist/tree-sitter-python.wasm',
  'schemas/async-lint.schema.json',
  'LICENSE',
  'CHANGELOG.md',
  ...RULE_IDS.map((id) => `docs/rules/${id}.md`),
];

/** The extension also needs its client, the grammar and the icon. */
const REQUIRED_IN_VSIX = [
  ...REQUIRED.filter((f) => !f.startsWith('bin/') && f !== 'dist/cli.js'),
  'dist/client.js',
  'syntaxes/async-lint-directive.injection.tmLanguage.json',
  'docs/images/icon.png',
];

/** Nothing from the sources, the tests or a development build. */
const FORBIDDEN =
  /(^|\/)(node_modules|test|examples|server\/src|client\/src|bench|scripts|patches)\/|\.map$|\.ts$(?<!\.d\.ts$)|\.tgz$|\.vsix$/;

let tmp = '';
let stage = '';
let tarball = '';
let prefix = '';
let examples = '';

function exec(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  assert.equal(r.status, 0, `${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The names in a zip file's central directory (a .vsix is a zip). */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    names.push(buf.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('the npm package and the .vsix', function () {
  this.timeout(300000);

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-package-')));
    stage = path.join(tmp, 'repo');
    // The repository as a checkout has it: no build output, no packages, nothing ignored by git.
    const skipTop = new Set(['node_modules', '.git', 'dist', '.e2e']);
    fs.cpSync(ROOT, stage, {
      recursive: true,
      filter: (src) => {
        const rel = path.relative(ROOT, src).split(path.sep);
        return (
          !skipTop.has(rel[0]) &&
          !/\.(vsix|tgz)$/.test(src) &&
          !['bench/corpus', 'bench/results.json'].includes(rel.slice(0, 2).join('/'))
        );
      },
    });
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(stage, 'node_modules'), 'dir');
    ok(exec('npm', ['pack', '--pack-destination', tmp], stage), 'npm pack');
    tarball = path.join(tmp, TARBALL_NAME);
    prefix = path.join(tmp, 'prefix');
    ok(
      exec('npm', ['install', '--global', tarball, '--prefix', prefix, '--offline', '--no-audit', '--no-fund'], tmp),
      'npm install -g',
    );
    // Linted outside the repository, so nothing of it (its tsconfig, .gitignore) is seen.
    examples = path.join(tmp, 'examples');
    fs.cpSync(path.join(ROOT, 'examples'), examples, { recursive: true });
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds the bundles, the wasm files, the rule pages, and nothing from the sources', () => {
    const entries = ok(exec('tar', ['-tzf', tarball], tmp), 'tar')
      .stdout.trim()
      .split('\n');
    assert.ok(
      entries.every((e) => e.startsWith('package/')),
      'one package folder',
    );
    const files = entries.map((e) => e.slice('package/'.length));
    for (const f of [...REQUIRED, 'package.json', 'README.md']) assert.ok(files.includes(f), `the package has ${f}`);
    assert.deepEqual(
      files.filter((f) => FORBIDDEN.test(f)),
      [],
    );
    const size = fs.statSync(tarball).size;
    assert.ok(size < 4_000_000, `the package is ${size} bytes`);
  });

  it('declares no dependencies and no script that would run on install', () => {
    const manifest = JSON.parse(ok(exec('tar', ['-xzOf', tarball, 'package/package.json'], tmp), 'tar').stdout) as {
      private?: boolean;
      dependencies?: object;
      optionalDependencies?: object;
      scripts: Record<string, string>;
      bin: Record<string, string>;
    };
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.dependencies ?? {}, {});
    assert.deepEqual(manifest.optionalDependencies ?? {}, {});
    // prepare runs only for a package installed from a folder or git, never from a tarball or the registry.
    for (const s of ['preinstall', 'install', 'postinstall']) assert.equal(manifest.scripts[s], undefined, s);
    assert.deepEqual(Object.keys(manifest.bin).sort(), ['async-lint', 'async-lint-server']);
  });

  it('installed, async-lint reports on examples/ what the sources report', async () => {
    const installed = exec(path.join(prefix, 'bin', 'async-lint'), ['-f', 'json', '--include-hints', '.'], examples);
    assert.equal(installed.status, 1, installed.stderr);
    const files = JSON.parse(installed.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[];
    const found = new Set(files.flatMap((f) => f.messages.map((m) => m.ruleId)));
    for (const id of RULE_IDS) assert.ok(found.has(id), `examples show ${id} (found: ${[...found].join(', ')})`);
    assert.ok(files.some((f) => f.filePath.endsWith(path.join('ts-service', 'src', 'orders.ts'))));
    assert.ok(files.some((f) => f.filePath.endsWith(path.join('py-service', 'src', 'inventory', 'app.py'))));

    let stdout = '';
    const code = await run(['-f', 'json', '--include-hints', '.'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: () => true },
      env: {},
      cwd: examples,
    });
    assert.equal(code, 1);
    assert.deepEqual(JSON.parse(installed.stdout), JSON.parse(stdout), 'the production bundle agrees with the sources');
  });

  it('installed, async-lint rule prints the page shipped in the package, and --version the version', () => {
    const r = ok(exec(path.join(prefix, 'bin', 'async-lint'), ['rule', 'unawaited'], tmp), 'async-lint rule');
    const shipped = path.join(prefix, 'lib', 'node_modules', 'async-lint', 'docs', 'rules', 'unawaited.md');
    assert.equal(r.stdout, fs.readFileSync(shipped, 'utf8'));
    assert.equal(r.stdout, fs.readFileSync(path.join(ROOT, 'docs', 'rules', 'unawaited.md'), 'utf8'));
    assert.match(r.stdout, /^# unawaited\n/);
    assert.equal(
      ok(exec(path.join(prefix, 'bin', 'async-lint'), ['--version'], tmp), 'async-lint --version').stdout.trim(),
      version,
    );
  });

  it('installed, async-lint-server --stdio analyses TypeScript and Python files', async () => {
    const client = await LspTestClient.start({
      folders: [examples],
      pull: false,
      command: path.join(prefix, 'bin', 'async-lint-server'),
    });
    try {
      assert.equal(client.initializeResult?.serverInfo?.name, 'async-lint');
      const ts = path.join(examples, 'ts-service', 'src', 'jobs.ts');
      const py = path.join(examples, 'py-service', 'src', 'inventory', 'suppliers.py');
      const tsUri = client.open(ts, fs.readFileSync(ts, 'utf8'));
      const pyUri = client.open(py, fs.readFileSync(py, 'utf8'));
      const tsFound = await client.pushed(tsUri, (d) => d.some((x) => x.code === 'unawaited'));
      const pyFound = await client.pushed(pyUri, (d) => d.some((x) => x.code === 'blocking-call'));
      assert.ok(
        tsFound.some((d) => d.code === 'blocking-call'),
        JSON.stringify(tsFound),
      );
      assert.ok(
        pyFound.some((d) => d.code === 'await-in-loop'),
        JSON.stringify(pyFound),
      );
      assert.equal(uriOf(ts), tsUri);
    } finally {
      await client.stop();
    }
  });

  it('vsce packages the .vsix without warnings, with what the extension runs and nothing else', () => {
    // dist/ is the production build npm pack made; `npm run package` builds the same.
    const vsix = path.join(tmp, 'async-lint.vsix');
    const vsce = path.join(stage, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = ok(exec(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], stage), 'vsce package');
    assert.doesNotMatch(r.stdout + r.stderr, /WARNING|ERROR/);
    const entries = zipEntries(vsix);
    const files = entries.filter((e) => e.startsWith('extension/')).map((e) => e.slice('extension/'.length));
    for (const f of REQUIRED_IN_VSIX) {
      const name = f === 'LICENSE' ? 'LICENSE.txt' : f === 'CHANGELOG.md' ? 'changelog.md' : f;
      assert.ok(files.includes(name), `the .vsix has ${name}`);
    }
    assert.ok(files.includes('readme.md') && files.includes('package.json'));
    assert.deepEqual(
      files.filter((f) => FORBIDDEN.test(f)),
      [],
    );
  });
});

describe('the pre-commit hook', () => {
  it("runs the package's command on every file async-lint lints, in one process", () => {
    const text = fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    const field = (name: string) => text.match(new RegExp(`^  ${name}: (.+)$`, 'm'))?.[1];
    assert.ok(Object.keys(bin).includes(field('entry') ?? ''), 'entry is a bin of the package');
    assert.equal(field('language'), 'node');
    assert.equal(field('require_serial'), 'true');
    const files = new RegExp(field('files') ?? '^$');
    for (const ext of ALL_EXTENSIONS) assert.match(`src/a${ext}`, files);
    for (const name of ['README.md', 'package.json', 'a.ts.orig', 'bin/script']) assert.doesNotMatch(name, files);
  });
});
