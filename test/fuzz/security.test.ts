// Nothing in a workspace is executed, and the language server reads configuration only inside
// its workspace folders. A workspace here is a trap: every file a linter might be tempted to run
// (a JavaScript config, a TypeScript in node_modules, a tsserver plugin named in tsconfig.json,
// Python hooks) writes a marker file when executed. The CLI and the language server (both built
// from the current sources and spawned) go over it; the marker must not appear.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectHost } from '../../server/src/typescript/host';
import { buildServer, LspTestClient, uriOf } from '../lspClient';
import { ROOT } from './seeds';

function trap(marker: string): string {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-trap-')));
  process.on('exit', () => fs.rmSync(parent, { recursive: true, force: true }));
  const ws = path.join(parent, 'ws');
  const run = `require('fs').appendFileSync(${JSON.stringify(marker)}, 'executed ' + __filename + '\\n');\n`;
  const py = `open(${JSON.stringify(marker)}, "a").write("executed " + __file__ + "\\n")\n`;
  const files: Record<string, string> = {
    'async-lint.config.js': run,
    'async-lint.config.cjs': run,
    'async-lint.config.mjs': run.replace("require('fs')", "(await import('fs'))"),
    '.async-lintrc.js': run,
    'async-lint.js': run,
    'package.json': JSON.stringify({
      name: 'trap',
      'async-lint': { rules: { 'unused-async': 'warning' } },
      scripts: { postinstall: 'node async-lint.js' },
    }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { strict: true, plugins: [{ name: 'evil-plugin' }] },
      include: ['src'],
    }),
    'node_modules/evil-plugin/package.json': JSON.stringify({ name: 'evil-plugin', main: 'index.js' }),
    'node_modules/evil-plugin/index.js': run + 'module.exports = () => ({ create: (info) => info.languageService });\n',
    'node_modules/typescript/package.json': JSON.stringify({
      name: 'typescript',
      version: '6.0.0',
      main: 'lib/typescript.js',
    }),
    'node_modules/typescript/lib/typescript.js': run,
    'node_modules/typescript/lib/tsserverlibrary.js': run,
    'src/main.ts':
      "import { helper } from './helper';\nexport async function main() {\n  helper();\n  return 1;\n}\nexport function start() {\n  void main();\n}\n",
    'src/helper.ts': 'export async function helper() {\n  await Promise.resolve();\n}\n',
    'app/conftest.py': py,
    'app/setup.py': py,
    'app/sitecustomize.py': py,
    'app/__init__.py': py,
    'app/main.py':
      'from app import helper\n\n\nasync def main():\n    return 1\n\n\nasync def start():\n    return await main()\n',
    'app/helper.py': py,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
    fs.writeFileSync(path.join(ws, name), text);
  }
  // Above the workspace folder: a configuration the language server must not read.
  fs.writeFileSync(path.join(parent, 'async-lint.json'), JSON.stringify({ rules: { 'unused-async': 'error' } }));
  return ws;
}

let cliBundle: string | undefined;
/** Bundles the CLI from the current sources into a private folder, once per run; returns cli.js. */
function buildCli(): string {
  if (cliBundle) return cliBundle;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-cli-'));
  process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', out, '--only', 'cli'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stderr);
  return (cliBundle = path.join(out, 'cli.js'));
}

describe('security: nothing in the workspace runs; the server reads inside its folders', function () {
  this.timeout(180_000);

  it('the CLI lints the trap without running any of it', async () => {
    const marker = path.join(os.tmpdir(), `async-lint-marker-${process.pid}-cli`);
    const ws = trap(marker);
    const cliJs = buildCli();
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [cliJs, ...args], { cwd: ws, encoding: 'utf8', timeout: 60_000 });
    const r = cli('.', '--format', 'json');
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const rules = (JSON.parse(r.stdout) as { messages: { ruleId: string }[] }[]).flatMap((f) =>
      f.messages.map((m) => m.ruleId),
    );
    assert.ok(rules.includes('unawaited') && rules.includes('unused-async'), `it did lint: ${rules.join(', ')}`);
    const fixed = cli('.', '--fix', '--unsafe-fixes');
    assert.ok(fixed.status === 0 || fixed.status === 1, `exit ${fixed.status}: ${fixed.stderr}`);
    assert.match(fs.readFileSync(path.join(ws, 'src/main.ts'), 'utf8'), /await helper\(\);/, '--fix ran');
    assert.equal(
      fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '',
      '',
      'something in the workspace was executed',
    );
  });

  it('the language server analyses, fixes and lints the whole trap without running any of it, and ignores the config above its folder', async () => {
    const marker = path.join(os.tmpdir(), `async-lint-marker-${process.pid}-lsp`);
    const ws = trap(marker);
    await buildServer();
    const client = await LspTestClient.start({ folders: [ws], pull: true });
    try {
      const tsUri = client.open(path.join(ws, 'src/main.ts'), fs.readFileSync(path.join(ws, 'src/main.ts'), 'utf8'));
      const pyUri = client.open(path.join(ws, 'app/main.py'), fs.readFileSync(path.join(ws, 'app/main.py'), 'utf8'));
      const ts = (await client.pull(tsUri)).items ?? [];
      const py = (await client.pull(pyUri)).items ?? [];
      assert.deepEqual(ts.map((d) => d.code).sort(), ['unawaited', 'unused-async']);
      // package.json in the folder says warning (2); the async-lint.json above the folder says error.
      assert.deepEqual(
        py.map((d) => [d.code, d.severity]),
        [['unused-async', 2]],
      );
      for (const uri of [tsUri, pyUri]) {
        const range = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
        await client.conn.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range,
          context: { diagnostics: [], only: ['source.fixAll.asyncLint'] },
        });
      }
      await client.conn.sendRequest('asyncLint/lintWorkspace', {});
      assert.equal(
        fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '',
        '',
        'something in the workspace was executed',
      );
      assert.ok(uriOf(ws));
    } finally {
      await client.stop();
    }
  });
});

/** Files under a fresh temporary folder (its real path), removed when the run ends. */
function tree(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-boundary-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** `(code, 0-based line)` of each diagnostic, sorted. */
const found = (items: { code?: string | number; range: { start: { line: number } } }[]) =>
  items.map((d) => `${d.code}@${d.range.start.line}`).sort();

const TS_MAIN =
  "import { helper } from '~/helper';\n\nasync function local() {\n  await Promise.resolve();\n}\n\nexport function f() {\n  helper();\n  local();\n}\n";
const PY_MAIN =
  'import asyncio\nfrom helpers import fetch\n\n\nasync def local():\n    await asyncio.sleep(0)\n\n\ndef main():\n    fetch()\n    local()\n';
const PY_FETCH = 'async def fetch():\n    return 1\n';

describe('security: the language server looks for projects and reads Python modules only inside its folders', function () {
  this.timeout(300_000);

  // Every case sits in its own folder of one tree; the server gets the `ws`-like folders as its
  // workspace folders, never their parents. Each file has a local coroutine dropped on purpose, so
  // an absent finding means "not resolved", not "not analysed".
  const root = tree({
    // 1. A tsconfig.json above the folder maps `~/*` to its lib/ (whose helper is async).
    'ts/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, paths: { '~/*': ['./lib/*'] } } }),
    'ts/lib/helper.ts': 'export async function helper() {\n  await Promise.resolve();\n}\n',
    'ts/ws/main.ts': TS_MAIN,
    // 2. A Python root marker above the folder, and the imported module next to it.
    'py/pyproject.toml': '[project]\nname = "above"\n',
    'py/helpers.py': PY_FETCH,
    'py/ws/main.py': PY_MAIN,
    // 3. A marker above the folder would name the folder's modules `app.*`.
    'named/pyproject.toml': '',
    'named/app/helpers.py': PY_FETCH,
    'named/app/main.py': PY_MAIN.replace('from helpers import', 'from app.helpers import'),
    // 4. The folder is a package with its own marker: its import base is the folder's parent,
    //    where a helpers.py sits. Only the read guard keeps the server out of it.
    'pkg/helpers.py': PY_FETCH,
    'pkg/lib/pyproject.toml': '',
    'pkg/lib/__init__.py': '',
    'pkg/lib/main.py': PY_MAIN,
    // 5. Positive control: marker and module inside the folder.
    'ok/ws/pyproject.toml': '',
    'ok/ws/helpers.py': PY_FETCH,
    'ok/ws/main.py': PY_MAIN,
    // 6. Documents opened from outside every folder: their own folder's configuration, nothing above.
    'out/tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, paths: { '~/*': ['./lib/*'] } } }),
    'out/lib/helper.ts': 'export async function helper() {\n  await Promise.resolve();\n}\n',
    'out/pyproject.toml': '',
    'out/far.py': PY_FETCH + '\n\nasync def call_fetch():\n    return await fetch()\n',
    'out/async-lint.json': JSON.stringify({ rules: { unawaited: 'off' } }),
    'out/doc/async-lint.json': JSON.stringify({ rules: { unawaited: 'error' } }),
    'out/doc/near.py': 'async def soon():\n    return 1\n',
    'out/doc/x.ts': TS_MAIN,
    'out/doc/sub/z.ts':
      'async function local() {\n  await Promise.resolve();\n}\n\nexport function f() {\n  local();\n}\n',
    'out/doc/y.py': 'from near import soon\nfrom far import fetch\n\n\ndef main():\n    fetch()\n    soon()\n',
  });
  const folders = ['ts/ws', 'py/ws', 'named/app', 'pkg/lib', 'ok/ws'].map((f) => path.join(root, f));
  let client: LspTestClient;

  before(async () => {
    client = await LspTestClient.start({ folders, pull: true });
  });
  after(async () => {
    await client?.stop();
  });

  const serverFindings = async (rel: string) => {
    const file = path.join(root, rel);
    const uri = client.open(file, fs.readFileSync(file, 'utf8'));
    return (await client.pull(uri)).items ?? [];
  };
  const cliFindings = (rel: string) => {
    const file = path.join(root, rel);
    const r = spawnSync(process.execPath, [buildCli(), path.basename(file), '--format', 'json'], {
      cwd: path.dirname(file),
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const results = JSON.parse(r.stdout) as { messages: { ruleId: string; line: number }[] }[];
    return results.flatMap((f) => f.messages.map((m) => `${m.ruleId}@${m.line - 1}`)).sort();
  };

  it('does not take a tsconfig.json above the workspace folder as the project (the CLI, run there, does)', async () => {
    // Through the parent's paths mapping `helper()` (line 7) is a dropped promise.
    assert.deepEqual(cliFindings('ts/ws/main.ts'), ['unawaited@7', 'unawaited@8']);
    assert.deepEqual(found(await serverFindings('ts/ws/main.ts')), ['unawaited@8']);
  });

  it('does not take a Python root marker above the folder, nor read the module beside it (the CLI does)', async () => {
    assert.deepEqual(cliFindings('py/ws/main.py'), ['unawaited@10', 'unawaited@9']);
    assert.deepEqual(found(await serverFindings('py/ws/main.py')), ['unawaited@10']);
  });

  it('names Python modules from the folder, not from a marker above it', async () => {
    assert.deepEqual(cliFindings('named/app/main.py'), ['unawaited@10', 'unawaited@9']);
    assert.deepEqual(found(await serverFindings('named/app/main.py')), ['unawaited@10']);
  });

  it('reads no Python module outside the folders, even where the import search path reaches', async () => {
    assert.deepEqual(cliFindings('pkg/lib/main.py'), ['unawaited@10', 'unawaited@9']);
    assert.deepEqual(found(await serverFindings('pkg/lib/main.py')), ['unawaited@10']);
  });

  it('ProjectHost: with a discovery boundary, no tsconfig.json or package.json above it is used; without one, both are', () => {
    const dir = tree({
      'cfg/tsconfig.json': '{}',
      'cfg/ws/src/main.ts': 'export const a = 1;\n',
      'pkg/package.json': '{}',
      'pkg/ws/src/main.ts': 'export const b = 1;\n',
    });
    let top: string | undefined;
    const host = new ProjectHost(undefined, { discoveryBoundary: () => top });
    try {
      // The same folders asked without, then with, then again without a boundary: the per-folder
      // cache must not carry an answer from one to the other.
      for (const boundary of [undefined, 'ws', undefined, 'ws']) {
        const cfg = path.join(dir, 'cfg/ws/src/main.ts');
        const pkg = path.join(dir, 'pkg/ws/src/main.ts');
        top = boundary && path.join(dir, 'cfg', boundary);
        assert.equal(
          host.projectFor(cfg).configFile,
          boundary ? undefined : path.join(dir, 'cfg/tsconfig.json'),
          `boundary ${top}`,
        );
        top = boundary && path.join(dir, 'pkg', boundary);
        const project = host.projectFor(pkg);
        assert.equal(project.configFile, undefined);
        assert.equal(
          project.directory,
          boundary ? path.join(dir, 'pkg/ws/src') : path.join(dir, 'pkg'),
          `boundary ${top}`,
        );
      }
    } finally {
      host.dispose();
    }
  });

  it('resolves Python imports inside the folder (positive control)', async () => {
    assert.deepEqual(found(await serverFindings('ok/ws/main.py')), ['unawaited@10', 'unawaited@9']);
  });

  it('analyses a document opened from outside every folder with its own folder only', async () => {
    // Its own async-lint.json applies (unawaited: error, over the one above that turns it off);
    // the tsconfig.json and the Python marker above it are not used.
    const ts = await serverFindings('out/doc/x.ts');
    assert.deepEqual(found(ts), ['unawaited@8']);
    assert.deepEqual(
      ts.map((d) => d.severity),
      [1],
    );
    // Another document open from the folder above makes that folder readable (its own
    // configuration sits there), but y.py's root is still looked for in y.py's folder only.
    assert.deepEqual(found(await serverFindings('out/far.py')), ['unused-async@0']);
    const py = await serverFindings('out/doc/y.py');
    assert.deepEqual(found(py), ['unawaited@6']);
    assert.deepEqual(
      py.map((d) => d.severity),
      [1],
    );
    // With x.ts and y.py open, their folder is readable; z.ts, one folder down, still gets only
    // its own folder's configuration (none: unawaited keeps its default, warning).
    const z = await serverFindings('out/doc/sub/z.ts');
    assert.deepEqual(found(z), ['unawaited@5']);
    assert.deepEqual(
      z.map((d) => d.severity),
      [2],
    );
    // The CLI, run there, climbs to both.
    assert.deepEqual(cliFindings('out/doc/x.ts'), ['unawaited@7', 'unawaited@8']);
    assert.deepEqual(cliFindings('out/doc/y.py'), ['unawaited@5', 'unawaited@6']);
  });
});
