// A second real LSP client: headless Neovim (Debian package) starts the bundled server over stdio,
// gets a Python and a TypeScript diagnostic, asks for the quick fix, applies it and sees the
// diagnostic clear (scripts/nvim/lsp-check.lua). Neovim speaks push diagnostics only, so this also
// covers the server's push mode with a client that is not ours. .ci/run installs neovim; a
// developer machine without it skips this test (CI never does).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './helpers';
import { buildServer, makeWorkspace } from './lspClient';

function hasNvim(): boolean {
  try {
    execFileSync('nvim', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const TS = [
  'async function save(): Promise<void> {',
  '  await Promise.resolve();',
  '}',
  '',
  'export async function run(): Promise<void> {',
  '  await Promise.resolve();',
  '  save();',
  '}',
  '',
].join('\n');
// ping never awaits and is only ever called directly: unused-async (a function nobody calls is
// public API, and not reported).
const PY = 'async def ping():\n    return "pong"\n\n\nasync def main():\n    return await ping()\n';

describe('Neovim as an LSP client', function () {
  this.timeout(180000);

  it('gets diagnostics and applies a quick fix', async function () {
    if (!hasNvim()) {
      if (process.env.CI) assert.fail('nvim is not installed (scripts/e2e/install.sh installs it)');
      this.skip();
    }
    const server = await buildServer();
    const ws = makeWorkspace({ 'src/run.ts': TS, 'jobs.py': PY });
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        'nvim',
        ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(ROOT, 'scripts/nvim/lsp-check.lua')}`, '--', path.join(ws, 'src/run.ts'), path.join(ws, 'jobs.py')],
        { env: { ...process.env, LSP_SERVER: server }, cwd: ws, timeout: 170000 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: stdout + stderr }),
      );
    });
    assert.equal(out.code, 0, out.stdout);
    assert.match(out.stdout, /python: 1:1 \[unused-async\]/);
    assert.match(out.stdout, /typescript: 7:3 The promise of 'save\(\)' is dropped/);
    assert.match(out.stdout, /^quick fix: Add 'await'$/m, 'offered, not preferred: a suggestion');
    assert.match(out.stdout, /^PASS$/m);
  });
});
