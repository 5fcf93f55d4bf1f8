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
    'package.json': JSON.stringify({ name: 'trap', 'async-lint': { rules: { 'unused-async': 'warning' } }, scripts: { postinstall: 'node async-lint.js' } }),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, plugins: [{ name: 'evil-plugin' }] }, include: ['src'] }),
    'node_modules/evil-plugin/package.json': JSON.stringify({ name: 'evil-plugin', main: 'index.js' }),
    'node_modules/evil-plugin/index.js': run + 'module.exports = () => ({ create: (info) => info.languageService });\n',
    'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', version: '6.0.0', main: 'lib/typescript.js' }),
    'node_modules/typescript/lib/typescript.js': run,
    'node_modules/typescript/lib/tsserverlibrary.js': run,
    'src/main.ts': "import { helper } from './helper';\nexport async function main() {\n  helper();\n  return 1;\n}\n",
    'src/helper.ts': 'export async function helper() {\n  await Promise.resolve();\n}\n',
    'app/conftest.py': py,
    'app/setup.py': py,
    'app/sitecustomize.py': py,
    'app/__init__.py': py,
    'app/main.py': 'from app import helper\n\n\nasync def main():\n    return 1\n',
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

describe('security: nothing in the workspace runs; the server reads inside its folders', function () {
  this.timeout(180_000);

  it('the CLI lints the trap without running any of it', async () => {
    const marker = path.join(os.tmpdir(), `async-lint-marker-${process.pid}-cli`);
    const ws = trap(marker);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-cli-'));
    process.on('exit', () => fs.rmSync(out, { recursive: true, force: true }));
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', out, '--only', 'cli'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(out, 'cli.js'), ...args], { cwd: ws, encoding: 'utf8', timeout: 60_000 });
    const r = cli('.', '--format', 'json');
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const rules = (JSON.parse(r.stdout) as { messages: { ruleId: string }[] }[]).flatMap((f) => f.messages.map((m) => m.ruleId));
    assert.ok(rules.includes('unawaited') && rules.includes('unused-async'), `it did lint: ${rules.join(', ')}`);
    const fixed = cli('.', '--fix');
    assert.ok(fixed.status === 0 || fixed.status === 1, `exit ${fixed.status}: ${fixed.stderr}`);
    assert.match(fs.readFileSync(path.join(ws, 'src/main.ts'), 'utf8'), /await helper\(\);/, '--fix ran');
    assert.equal(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '', '', 'something in the workspace was executed');
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
      assert.deepEqual(py.map((d) => [d.code, d.severity]), [['unused-async', 2]]);
      for (const uri of [tsUri, pyUri]) {
        const range = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
        await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll.asyncLint'] } });
      }
      await client.conn.sendRequest('asyncLint/lintWorkspace', {});
      assert.equal(fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '', '', 'something in the workspace was executed');
      assert.ok(uriOf(ws));
    } finally {
      await client.stop();
    }
  });
});
