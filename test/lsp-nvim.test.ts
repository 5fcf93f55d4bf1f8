// A second real LSP client: headless Neovim (Debian package, 0.7) set up exactly as the README's
// Neovim 0.7 section says: its snippet, read from README.md between the `neovim-0.7-setup` markers
// with only the server's path replaced, is the init.lua. scripts/nvim/lsp-check.lua then opens a
// Python and a TypeScript file, sees their diagnostics, applies a quick fix, asks for a rule's
// documentation and disables a rule for a file through Neovim's code action menu. Neovim speaks
// push diagnostics only, so this also covers the server's push mode with a client that is not
// ours. .ci/run installs neovim; a developer machine without it skips this test (CI never does).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers';
import { buildServer, makeWorkspace } from './lspClient';
import { createLinter } from '../server/src/languages';
import { onlyRule } from './helpers';

function hasNvim(): boolean {
  try {
    execFileSync('nvim', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The README's Neovim 0.7 setup: the Lua block between its markers. */
function readmeNeovimSetup(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- neovim-0\.7-setup:start -->\n```lua\n([\s\S]*?)```\n<!-- neovim-0\.7-setup:end -->/.exec(readme);
  assert.ok(
    m,
    'README.md has the Neovim 0.7 setup between <!-- neovim-0.7-setup:start --> and <!-- neovim-0.7-setup:end -->',
  );
  return m[1];
}

const SERVER_PLACEHOLDER = '/path/to/async-lint/dist/server.js';

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
// public API, and not reported). main's two awaits are sequential-await, which the README's
// settings turn off.
const PY = [
  'import asyncio',
  '',
  '',
  'async def ping():',
  '    return "pong"',
  '',
  '',
  'async def fetch(n):',
  '    await asyncio.sleep(0)',
  '    return n',
  '',
  '',
  'async def main():',
  '    a = await fetch(1)',
  '    b = await fetch(2)',
  '    return await ping(), a, b',
  '',
].join('\n');

describe('Neovim as an LSP client, set up as the README says', function () {
  this.timeout(180000);

  it('the README names the server path once, as a placeholder the test can replace', () => {
    const setup = readmeNeovimSetup();
    assert.equal(setup.split(SERVER_PLACEHOLDER).length, 2, setup);
    assert.doesNotMatch(setup, /vim\.lsp\.start\(|vim\.fs\./, 'nothing Neovim 0.7 lacks');
  });

  it('gets diagnostics with the settings applied, a quick fix, the documentation and a file directive', async function () {
    if (!hasNvim()) {
      if (process.env.CI) assert.fail('nvim is not installed (scripts/e2e/install.sh installs it)');
      this.skip();
    }
    const server = await buildServer();
    const ws = makeWorkspace({ 'package.json': '{ "name": "nvim-check" }\n', 'src/run.ts': TS, 'jobs.py': PY });
    // Without the README's settings, main's awaits are reported: the setting below is what silences them.
    const linter = createLinter();
    await linter.ready();
    const pyFile = path.join(ws, 'jobs.py');
    assert.deepEqual(
      linter.lint(pyFile, PY, onlyRule('sequential-await', pyFile)).findings.map((f) => f.range.start.line),
      [13],
    );

    const init = path.join(ws, 'init.lua');
    fs.writeFileSync(init, readmeNeovimSetup().replace(SERVER_PLACEHOLDER, server.replace(/\\/g, '/')));
    const out = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        'nvim',
        [
          '--headless',
          '-u',
          init,
          '-i',
          'NONE',
          '-n',
          '-c',
          `luafile ${path.join(ROOT, 'scripts/nvim/lsp-check.lua')}`,
          '--',
          path.join(ws, 'src/run.ts'),
          pyFile,
        ],
        { cwd: ws, timeout: 170000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: stdout + stderr }),
      );
    });
    assert.equal(out.code, 0, out.stdout);
    assert.match(out.stdout, /^python: 4:1 \[unused-async\]/m);
    assert.doesNotMatch(out.stdout, /\[sequential-await\]/, "the README's settings reached the server");
    assert.match(out.stdout, /^clients: one for both files$/m);
    assert.match(out.stdout, /typescript: 7:3 The promise of 'save\(\)' is dropped/);
    assert.match(out.stdout, /^quick fix: Add 'await'$/m, 'offered, not preferred: a suggestion');
    assert.match(out.stdout, /^action: Show documentation for unawaited$/m);
    const page = path.join(path.dirname(path.dirname(server)), 'docs', 'rules', 'unused-async.md');
    assert.ok(
      out.stdout
        .split('\n')
        .includes(
          `message: async-lint unused-async: An async function that never awaits: the async keyword only wraps the result in a promise. Documentation: ${page}`,
        ),
      out.stdout,
    );
    assert.match(
      out.stdout,
      /^menu: Disable unused-async for this line \| Disable unused-async for this file \| Show documentation for unused-async$/m,
    );
    assert.match(out.stdout, /^PASS$/m);
  });
});
