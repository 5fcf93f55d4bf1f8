// The language server over LSP, as an editor sees it: the bundled server is spawned over stdio and
// driven with a real JSON-RPC client (vscode-languageserver-protocol). No part of it is mocked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULES } from '../server/src/engine/rules';
import picomatch from 'picomatch';
import { ALL_EXTENSIONS } from '../server/src/language-facts';
import { createLinter } from '../server/src/languages';
import { ROOT } from './helpers';
import { applyWorkspaceEdit, buildServer, type LspTestClient, makeWorkspace, startedClients, uriOf } from './lspClient';

const CALL_LOAD_TS = 'export function callLoad() {\n  void load();\n}\n';
const UNUSED_TS = 'export async function load(): Promise<number> {\n  return 1;\n}\n' + CALL_LOAD_TS;
const USED_TS =
  'export async function load(): Promise<number> {\n  return await Promise.resolve(1);\n}\n' + CALL_LOAD_TS;
const UNUSED_PY =
  'import asyncio\n\n\nasync def load():\n    return 1\n\n\nasync def call_load():\n    return await load()\n';
const SEQUENTIAL_PY = [
  'import asyncio',
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
  '    return a + b',
  '',
].join('\n');

const ours = (d: Diagnostic[] | undefined, rule?: string) =>
  (d ?? []).filter((x) => x.source === 'async-lint' && (!rule || x.code === rule));

describe('language server (LSP over stdio)', function () {
  this.timeout(120000);
  const start = startedClients();

  describe('pull diagnostics', () => {
    it('announces its capabilities and diagnoses TypeScript with rule id, docs link and severity', async () => {
      const ws = makeWorkspace({ 'src/a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: true });
      const caps = client.initializeResult!.capabilities;
      assert.deepEqual(caps.diagnosticProvider, {
        identifier: 'async-lint',
        interFileDependencies: true,
        workspaceDiagnostics: false,
      });
      assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, [
        'quickfix',
        'source.fixAll.asyncLint',
      ]);
      assert.equal((caps.textDocumentSync as { change: number }).change, 2, 'incremental sync');
      await client.until('file watchers to be registered', () =>
        client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'),
      );
      const watchers = (
        client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as {
          watchers: { globPattern: string }[];
        }
      ).watchers;
      const globs = watchers.map((w) => w.globPattern);
      const watched = picomatch(globs);
      // Every file a backend lints or its index reads (.pyi stubs too), and the configuration files.
      for (const name of [
        ...ALL_EXTENSIONS.map((ext) => `src/deep/a${ext}`),
        'async-lint.json',
        'sub/pyproject.toml',
        'package.json',
        'tsconfig.build.json',
        'jsconfig.json',
      ])
        assert.ok(watched(name), `watches ${name}: ${globs.join(' ')}`);
      for (const name of ['a.txt', 'a.pyc', 'README.md']) assert.ok(!watched(name), `does not watch ${name}`);
      const uri = client.open(path.join(ws, 'src/a.ts'), UNUSED_TS);
      const report = await client.pull(uri);
      assert.equal(report.kind, 'full');
      const diags = ours(report.items, 'unused-async');
      assert.equal(diags.length, 1, JSON.stringify(report.items));
      const d = diags[0];
      assert.deepEqual(d.range.start, { line: 0, character: 7 });
      assert.equal(d.severity, 4, 'unused-async defaults to hint');
      // The page installed beside the server (here the test bundle's copy of docs/rules), offline.
      const page = path.join(path.dirname(path.dirname(await buildServer())), 'docs', 'rules', 'unused-async.md');
      assert.equal(d.codeDescription?.href, pathToFileURL(page).href);
      assert.match(fs.readFileSync(fileURLToPath(d.codeDescription!.href), 'utf8'), /^# unused-async/);
      // The same version again: the client keeps what it has.
      const again = await client.pull(uri, report.resultId);
      assert.equal(again.kind, 'unchanged');
    });

    it('diagnoses a Python document', async () => {
      const ws = makeWorkspace({ 'app/main.py': UNUSED_PY });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'app/main.py'), UNUSED_PY);
      const report = await client.pull(uri);
      const diags = ours(report.items, 'unused-async');
      assert.equal(diags.length, 1, JSON.stringify(report.items));
      assert.equal(diags[0].range.start.line, 3);
    });

    it('sees how unopened modules use a Python function (unused-async asks the whole workspace)', async () => {
      // helper awaits nothing and app/main.py only calls it directly; but app/routes.py (never
      // opened) hands it to a router as a value: a framework may need it to be a coroutine.
      const main = 'async def helper():\n    return 1\n\n\nasync def run():\n    return await helper()\n';
      const routes = 'from app.main import helper\n\n\ndef setup(router):\n    router.add("/", helper)\n';
      const ws = makeWorkspace({
        'pyproject.toml': '',
        'app/__init__.py': '',
        'app/main.py': main,
        'app/routes.py': routes,
      });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'app/main.py'), main);
      assert.deepEqual(
        ours((await client.pull(uri)).items, 'unused-async'),
        [],
        'used as a value in an unopened module',
      );
      // Without that use, the direct calls are all there is: reported.
      const alone = makeWorkspace({ 'pyproject.toml': '', 'app/__init__.py': '', 'app/main.py': main });
      const other = await start({ folders: [alone], pull: true });
      const aloneUri = other.open(path.join(alone, 'app/main.py'), main);
      assert.deepEqual(
        ours((await other.pull(aloneUri)).items, 'unused-async').map((d) => d.range.start.line),
        [0],
      );
    });

    it('follows incremental edits: the finding goes when the function awaits', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      assert.equal(ours((await client.pull(uri)).items).length, 1);
      // "return 1;" -> "return await Promise.resolve(1);" as an incremental change on line 1
      client.change(uri, [
        {
          range: { start: { line: 1, character: 9 }, end: { line: 1, character: 10 } },
          text: 'await Promise.resolve(1)',
        },
      ]);
      const after = await client.pull(uri);
      assert.equal(after.kind, 'full');
      assert.deepEqual(ours(after.items), []);
      // and back
      client.change(uri, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 33 } }, text: '2' }]);
      assert.equal(ours((await client.pull(uri)).items).length, 1);
    });

    it('re-analyses an open file when another open file it imports is edited (not saved)', async () => {
      const lib = 'export function save(): Promise<void> {\n  return Promise.resolve();\n}\n';
      const main =
        "import { save } from './lib';\n\nexport async function run(): Promise<void> {\n  await Promise.resolve();\n  save();\n}\n";
      const ws = makeWorkspace({ 'lib.ts': lib, 'main.ts': main });
      const client = await start({ folders: [ws], pull: true });
      const libUri = client.open(path.join(ws, 'lib.ts'), lib);
      const mainUri = client.open(path.join(ws, 'main.ts'), main);
      await client.pull(libUri);
      const first = await client.pull(mainUri);
      assert.equal(ours(first.items, 'unawaited').length, 1, 'save() returns a promise');
      // lib.ts now returns a number: the same call in main.ts drops nothing.
      client.change(libUri, [{ text: 'export function save(): number {\n  return 1;\n}\n' }]);
      await client.pull(libUri);
      const second = await client.pull(mainUri, first.resultId);
      assert.equal(second.kind, 'full', 'main.ts is analysed again');
      assert.deepEqual(ours(second.items, 'unawaited'), []);
    });

    it('analyses untitled documents by language id', async () => {
      const ws = makeWorkspace({});
      const client = await start({ folders: [ws], pull: true });
      const ts = client.open('untitled:Untitled-1', UNUSED_TS, 'typescript');
      const py = client.open('untitled:Untitled-2', UNUSED_PY, 'python');
      assert.equal(ours((await client.pull(ts)).items, 'unused-async').length, 1);
      assert.equal(ours((await client.pull(py)).items, 'unused-async').length, 1);
    });

    it('answers RequestCancelled to a cancelled pull', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      await client.pull(uri);
      client.change(uri, [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 10 } }, text: '2' }]);
      // An edit makes the server wait for a quiet moment; the cancel arrives during that wait.
      const { CancellationTokenSource } = await import('vscode-languageserver-protocol');
      const source = new CancellationTokenSource();
      const pending = client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
      source.cancel();
      await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
      // The server goes on: the next pull is answered for the latest text.
      assert.equal(ours((await client.pull(uri)).items).length, 1);
    });
  });

  describe('push diagnostics', () => {
    it('publishes on open and after edits, debounced to the latest version', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: false });
      const versions: number[] = [];
      client.conn.onNotification(
        'textDocument/publishDiagnostics',
        (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
          versions.push(p.version ?? -1);
          client.published.set(p.uri, p.diagnostics);
        },
      );
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      assert.equal(ours(await client.pushed(uri), 'unused-async').length, 1);
      // Five quick edits ending in an awaiting body: one analysis, of the last version.
      let v = 0;
      for (let i = 0; i < 4; i++) v = client.change(uri, [{ text: UNUSED_TS.replace('1', String(i + 2)) }]);
      v = client.change(uri, [{ text: USED_TS }]);
      await client.pushed(uri, (d) => ours(d).length === 0);
      assert.equal(versions.at(-1), v);
      assert.deepEqual(
        versions.filter((x) => x > 1 && x < v),
        [],
        'intermediate versions were not analysed',
      );
    });

    it('with run: onSave, analyses on save, not on each edit', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: false, settings: { '': { run: 'onSave' } } });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      assert.equal(ours(await client.pushed(uri)).length, 1);
      client.change(uri, [{ text: USED_TS }]);
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(ours(client.published.get(uri)).length, 1, 'an edit alone does not re-analyse');
      client.save(uri);
      await client.pushed(uri, (d) => ours(d).length === 0);
    });

    it('clears diagnostics when the document closes', async () => {
      const ws = makeWorkspace({ 'a.py': UNUSED_PY });
      const client = await start({ folders: [ws], pull: false });
      const uri = client.open(path.join(ws, 'a.py'), UNUSED_PY);
      await client.pushed(uri);
      client.close(uri);
      await client.pushed(uri, (d) => d.length === 0);
    });
  });

  describe('code actions', () => {
    it('offers each fix as a quick fix, and "disable for this line" that really silences the finding', async () => {
      const ws = makeWorkspace({ 'main.py': SEQUENTIAL_PY });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'main.py'), SEQUENTIAL_PY);
      const diags = ours((await client.pull(uri)).items, 'sequential-await');
      assert.equal(diags.length, 1, 'one run of two awaits');
      const actions = await client.codeActions(uri, diags);
      const gather = actions.find((a) => /gather/.test(a.title));
      assert.ok(gather, `a gather fix among: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(gather.kind, 'quickfix');
      assert.notEqual(gather.isPreferred, true, 'a suggestion is never the preferred fix');
      const gathered = applyWorkspaceEdit(SEQUENTIAL_PY, gather.edit!, uri);
      assert.match(gathered, /a, b = await asyncio\.gather\(fetch\(1\), fetch\(2\)\)/);

      const disable = actions.find((a) => a.title === 'Disable sequential-await for this line');
      assert.ok(disable, 'a disable action');
      const silenced = applyWorkspaceEdit(SEQUENTIAL_PY, disable.edit!, uri);
      assert.match(silenced, /\n {4}# async-lint-disable-next-line sequential-await\n {4}a = await fetch\(1\)/);
      client.change(uri, [{ text: silenced }]);
      assert.deepEqual(ours((await client.pull(uri)).items, 'sequential-await'), []);
    });

    it('adds the rule to a directive already on the line above instead of stacking comments', async () => {
      const text =
        '// async-lint-disable-next-line unawaited -- legacy\nexport async function load() {\n  return 1;\n}\n' +
        CALL_LOAD_TS;
      const ws = makeWorkspace({ 'a.ts': text });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'a.ts'), text);
      const diags = ours((await client.pull(uri)).items, 'unused-async');
      assert.equal(diags.length, 1);
      const disable = (await client.codeActions(uri, diags)).find((a) => a.title.startsWith('Disable unused-async'));
      assert.ok(disable);
      const out = applyWorkspaceEdit(text, disable.edit!, uri);
      assert.equal(out.split('\n')[0], '// async-lint-disable-next-line unawaited, unused-async -- legacy');
      client.change(uri, [{ text: out }]);
      assert.deepEqual(ours((await client.pull(uri)).items), []);
    });

    describe('"disable for this line" in JSX', () => {
      const syntaxErrors = (file: string, text: string) => createLinter().backendFor(file)!.syntaxErrors(file, text);
      /** What a JSX file renders as text: its JSX text nodes, each line trimmed, whitespace-only lines dropped (as JSX does). */
      const jsxText = (file: string, text: string) => {
        const out: string[] = [];
        const visit = (n: ts.Node): void => {
          if (ts.isJsxText(n))
            out.push(
              ...n.text
                .split('\n')
                .map((l) => l.trim())
                .filter((l) => l !== ''),
            );
          ts.forEachChild(n, visit);
        };
        visit(
          ts.createSourceFile(
            file,
            text,
            ts.ScriptTarget.Latest,
            false,
            file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.JSX,
          ),
        );
        return out.join(' | ');
      };
      const disableFor = async (client: LspTestClient, uri: string, diags: Diagnostic[], rule: string) => {
        const action = (await client.codeActions(uri, diags)).find((a) => a.title === `Disable ${rule} for this line`);
        assert.ok(action, `a disable action for ${rule}`);
        return action;
      };

      const APP_TSX = [
        'declare function save(): Promise<void>; declare function rows<T>(items: T[], row: (item: T) => unknown): null;',
        'export function List({ items }: { items: string[] }) {',
        '  return (',
        '    <ul>',
        '      {rows(items, async (item) => <li key={item}>{item}</li>)}',
        '      <li>',
        '        <button onClick={() => {',
        '          save();',
        '        }}>',
        '          Save',
        '        </button>',
        '      </li>',
        '    </ul>',
        '  );',
        '}',
        '',
      ].join('\n');

      it('between JSX tags inserts {/* */}, which silences the finding and renders nothing; inside a {...} arrow body keeps //', async () => {
        const ws = makeWorkspace({ 'src/App.tsx': APP_TSX });
        const file = path.join(ws, 'src/App.tsx');
        const client = await start({ folders: [ws], pull: true });
        const uri = client.open(file, APP_TSX);
        assert.deepEqual(syntaxErrors(file, APP_TSX), []);
        const unused = ours((await client.pull(uri)).items, 'unused-async');
        assert.deepEqual(
          unused.map((d) => d.range.start.line),
          [4],
          JSON.stringify(unused),
        );

        // The finding's line is a child of <ul>: a `//` there would be text on the page.
        const disable = await disableFor(client, uri, unused, 'unused-async');
        assert.deepEqual(disable.edit!.changes![uri], [
          {
            range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } },
            newText: '      {/* async-lint-disable-next-line unused-async */}\n',
          },
        ]);
        const once = applyWorkspaceEdit(APP_TSX, disable.edit!, uri);
        assert.deepEqual(syntaxErrors(file, once), []);
        assert.equal(jsxText(file, APP_TSX), 'Save');
        assert.equal(jsxText(file, once), 'Save', 'the page text is unchanged');
        client.change(uri, [{ text: once }]);
        const afterOnce = ours((await client.pull(uri)).items);
        assert.deepEqual(ours(afterOnce, 'unused-async'), [], 'the {/* */} directive silences the finding');

        // save() is on a line of an arrow body inside onClick={...}: JavaScript, where `//` is a comment.
        const unawaited = ours(afterOnce, 'unawaited');
        assert.deepEqual(
          unawaited.map((d) => d.range.start.line),
          [8],
          JSON.stringify(afterOnce),
        );
        const disable2 = await disableFor(client, uri, unawaited, 'unawaited');
        assert.deepEqual(disable2.edit!.changes![uri], [
          {
            range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } },
            newText: '          // async-lint-disable-next-line unawaited\n',
          },
        ]);
        const twice = applyWorkspaceEdit(once, disable2.edit!, uri);
        assert.deepEqual(syntaxErrors(file, twice), []);
        assert.equal(jsxText(file, twice), 'Save');
        client.change(uri, [{ text: twice }]);
        assert.deepEqual(ours((await client.pull(uri)).items), []);
      });

      it('a // line between JSX tags is text, not a directive; a second disable extends the {/* */} one (a .jsx file)', async () => {
        const text = [
          'async function save() {',
          '  await Promise.resolve();',
          '}',
          'export function List({ items }) {',
          '  return (',
          '    <>',
          '      // async-lint-disable-next-line unused-async',
          '      {rows([1, 2], async (item) => { save(); return item; })}',
          '    </>',
          '  );',
          '}',
          '/** @param {number[]} xs @param {(x: number) => unknown} row */',
          'function rows(xs, row) { return xs.length && row ? null : null; }',
          '',
        ].join('\n');
        const ws = makeWorkspace({ 'App.jsx': text });
        const file = path.join(ws, 'App.jsx');
        const client = await start({ folders: [ws], pull: true });
        const uri = client.open(file, text);
        const first = ours((await client.pull(uri)).items);
        assert.deepEqual(
          first.map((d) => `${d.code}@${d.range.start.line}`).sort(),
          ['unawaited@7', 'unused-async@7'],
          'the // line renders as text and suppresses nothing',
        );

        const disable = await disableFor(client, uri, ours(first, 'unused-async'), 'unused-async');
        assert.deepEqual(disable.edit!.changes![uri], [
          {
            range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } },
            newText: '      {/* async-lint-disable-next-line unused-async */}\n',
          },
        ]);
        const once = applyWorkspaceEdit(text, disable.edit!, uri);
        assert.deepEqual(syntaxErrors(file, once), []);
        client.change(uri, [{ text: once }]);
        const second = ours((await client.pull(uri)).items);
        assert.deepEqual(
          second.map((d) => `${d.code}@${d.range.start.line}`),
          ['unawaited@8'],
        );

        // The same line again: the rule joins the directive above instead of a second comment.
        const disable2 = await disableFor(client, uri, second, 'unawaited');
        const twice = applyWorkspaceEdit(once, disable2.edit!, uri);
        assert.equal(twice.split('\n')[7], '      {/* async-lint-disable-next-line unused-async, unawaited */}');
        assert.equal(twice.split('\n').length, once.split('\n').length, 'no line added');
        assert.deepEqual(syntaxErrors(file, twice), []);
        client.change(uri, [{ text: twice }]);
        assert.deepEqual(ours((await client.pull(uri)).items), []);
      });

      it('extends a hand-written {/* */} directive with a reason, keeping the reason', async () => {
        const text = [
          'declare function save(): Promise<void>; declare function rows<T>(items: T[], row: (item: T) => unknown): null;',
          'export const App = () => (',
          '  <div>',
          '    {/* async-lint-disable-next-line unused-async -- demo only */}',
          '    {rows([1], async () => { save(); })}',
          '  </div>',
          ');',
          '',
        ].join('\n');
        const ws = makeWorkspace({ 'App.tsx': text });
        const client = await start({ folders: [ws], pull: true });
        const uri = client.open(path.join(ws, 'App.tsx'), text);
        const diags = ours((await client.pull(uri)).items);
        assert.deepEqual(
          diags.map((d) => `${d.code}@${d.range.start.line}`),
          ['unawaited@4'],
          'the hand-written directive silences unused-async',
        );
        const out = applyWorkspaceEdit(text, (await disableFor(client, uri, diags, 'unawaited')).edit!, uri);
        assert.equal(
          out.split('\n')[3],
          '    {/* async-lint-disable-next-line unused-async, unawaited -- demo only */}',
        );
        client.change(uri, [{ text: out }]);
        assert.deepEqual(ours((await client.pull(uri)).items), []);
      });
    });

    it('source.fixAll.asyncLint never adds await; the quick fix offers it', async function () {
      const linter = createLinter();
      if (!linter.backendFor('x.ts')!.ruleIds.includes('unawaited')) this.skip(); // the TS unawaited rule has not landed
      const text = [
        'async function save(): Promise<void> {',
        '  await Promise.resolve();',
        '}',
        'export async function main(): Promise<void> {',
        '  save();',
        '}',
        '',
      ].join('\n');
      const ws = makeWorkspace({ 'a.ts': text });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'a.ts'), text);
      assert.equal(ours((await client.pull(uri)).items, 'unawaited').length, 1);
      // Adding await changes when the code runs: a suggestion, so fix-all has nothing to do.
      assert.deepEqual(await client.codeActions(uri, [], ['source.fixAll']), []);
      const diags = ours((await client.pull(uri)).items, 'unawaited');
      const quick = (await client.codeActions(uri, diags, ['quickfix'])).filter(
        (a) => a.edit && !a.title.startsWith('Disable'),
      );
      assert.deepEqual(
        quick.map((a) => [a.title, a.isPreferred ?? false]),
        [
          ["Add 'await'", false],
          ["Add 'void' to drop the promise on purpose", false],
        ],
      );
      const fixed = applyWorkspaceEdit(text, quick[0].edit!, uri);
      assert.match(fixed, /\n {2}await save\(\);\n/);
      client.change(uri, [{ text: fixed }]);
      assert.deepEqual(ours((await client.pull(uri)).items, 'unawaited'), []);
    });

    it('offers no fix-all when nothing is safe to fix, and no source action unless asked', async () => {
      const ws = makeWorkspace({ 'main.py': SEQUENTIAL_PY });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'main.py'), SEQUENTIAL_PY);
      const diags = ours((await client.pull(uri)).items);
      assert.ok(diags.length > 0);
      assert.deepEqual(
        await client.codeActions(uri, [], ['source.fixAll.asyncLint']),
        [],
        'the gather suggestion is not safe',
      );
      const quick = await client.codeActions(uri, diags);
      assert.ok(quick.every((a) => a.kind === 'quickfix'));
    });

    describe('per rule: fix all, disable for the file, documentation', () => {
      const titles = (actions: CodeAction[]) => actions.map((a) => a.title);

      it('orders the actions: fixes, disable for the line, disable for the file, the documentation', async () => {
        // An encoding declaration must stay on line 1 or 2: the file directive goes below it.
        const text = `# -*- coding: utf-8 -*-\n${SEQUENTIAL_PY}`;
        const ws = makeWorkspace({ 'main.py': text });
        const client = await start({ folders: [ws], pull: true });
        const caps = client.initializeResult!.capabilities;
        assert.deepEqual(caps.executeCommandProvider?.commands, [
          'async-lint.server.lintWorkspace',
          'async-lint.server.showRuleDocumentation',
        ]);
        const uri = client.open(path.join(ws, 'main.py'), text);
        const diags = ours((await client.pull(uri)).items, 'sequential-await');
        assert.equal(diags.length, 1);
        const actions = await client.codeActions(uri, diags);
        assert.deepEqual(titles(actions), [
          'Await them together with asyncio.gather(...)',
          'Disable sequential-await for this line',
          'Disable sequential-await for this file',
          'Show documentation for sequential-await',
        ]);
        assert.ok(actions.every((a) => a.kind === 'quickfix'));
        const disableFile = actions[2];
        assert.deepEqual(disableFile.edit!.changes![uri], [
          {
            range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
            newText: '# async-lint-disable-file sequential-await\n',
          },
        ]);
        const docs = actions[3];
        assert.equal(docs.edit, undefined);
        assert.deepEqual(docs.command, {
          title: 'Show documentation for sequential-await',
          command: 'async-lint.server.showRuleDocumentation',
          arguments: ['sequential-await'],
        });
        client.change(uri, [{ text: applyWorkspaceEdit(text, disableFile.edit!, uri) }]);
        assert.deepEqual(ours((await client.pull(uri)).items), []);
      });

      it('"Disable <rule> for this file" goes below a shebang and a license header, and joins a file directive there', async () => {
        const text = [
          '#!/usr/bin/env node',
          '// Copyright 2026 ACME Corp.',
          '// SPDX-License-Identifier: MIT',
          '',
          'export async function load(): Promise<number> {',
          '  return 1;',
          '}',
          'export async function main(): Promise<void> {',
          '  await Promise.resolve();',
          '  main();',
          '  void load();',
          '}',
          '',
        ].join('\n');
        const ws = makeWorkspace({ 'tool.ts': text });
        const client = await start({ folders: [ws], pull: true });
        const uri = client.open(path.join(ws, 'tool.ts'), text);
        const first = ours((await client.pull(uri)).items);
        assert.deepEqual(first.map((d) => `${d.code}@${d.range.start.line}`).sort(), ['unawaited@9', 'unused-async@4']);
        const disableUnused = (await client.codeActions(uri, ours(first, 'unused-async'))).find(
          (a) => a.title === 'Disable unused-async for this file',
        );
        assert.ok(disableUnused);
        assert.deepEqual(disableUnused.edit!.changes![uri], [
          {
            range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } },
            newText: '// async-lint-disable-file unused-async\n',
          },
        ]);
        const once = applyWorkspaceEdit(text, disableUnused.edit!, uri);
        client.change(uri, [{ text: once }]);
        const second = ours((await client.pull(uri)).items);
        assert.deepEqual(
          second.map((d) => `${d.code}@${d.range.start.line}`),
          ['unawaited@10'],
        );
        const disableUnawaited = (await client.codeActions(uri, second)).find(
          (a) => a.title === 'Disable unawaited for this file',
        );
        assert.ok(disableUnawaited);
        assert.deepEqual(disableUnawaited.edit!.changes![uri], [
          { range: { start: { line: 4, character: 39 }, end: { line: 4, character: 39 } }, newText: ', unawaited' },
        ]);
        const twice = applyWorkspaceEdit(once, disableUnawaited.edit!, uri);
        assert.equal(twice.split('\n')[4], '// async-lint-disable-file unused-async, unawaited');
        client.change(uri, [{ text: twice }]);
        assert.deepEqual(ours((await client.pull(uri)).items), []);
      });

      it('"Show documentation": window/showDocument of the page installed beside the server', async () => {
        const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
        const client = await start({ folders: [ws], pull: true, showDocument: true });
        const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
        const diags = ours((await client.pull(uri)).items, 'unused-async');
        const docs = (await client.codeActions(uri, diags)).find(
          (a) => a.title === 'Show documentation for unused-async',
        );
        assert.ok(docs?.command);
        const result = await client.conn.sendRequest('workspace/executeCommand', {
          command: docs.command.command,
          arguments: docs.command.arguments,
        });
        const page = path.join(path.dirname(path.dirname(await buildServer())), 'docs', 'rules', 'unused-async.md');
        assert.deepEqual(result, { uri: pathToFileURL(page).href, shown: true });
        assert.deepEqual(client.shownDocuments, [{ uri: pathToFileURL(page).href, external: false, takeFocus: true }]);
        assert.equal(
          fs.readFileSync(page, 'utf8'),
          fs.readFileSync(path.join(ROOT, 'docs', 'rules', 'unused-async.md'), 'utf8'),
        );
        // Not a rule: an error, and nothing is opened.
        await assert.rejects(
          client.conn.sendRequest('workspace/executeCommand', {
            command: docs.command.command,
            arguments: ['../../package'],
          }),
          (e: { code?: number }) => e.code === -32602,
        );
        assert.equal(client.shownDocuments.length, 1);
      });

      it('"Show documentation" to a client that cannot show documents (Neovim 0.7): a message naming the page', async () => {
        const ws = makeWorkspace({ 'a.py': UNUSED_PY });
        const client = await start({ folders: [ws], pull: true });
        const result = await client.conn.sendRequest('workspace/executeCommand', {
          command: 'async-lint.server.showRuleDocumentation',
          arguments: ['dangling-task'],
        });
        const page = path.join(path.dirname(path.dirname(await buildServer())), 'docs', 'rules', 'dangling-task.md');
        assert.deepEqual(result, { uri: pathToFileURL(page).href, shown: false });
        await client.until('the message', () => client.messages.length > 0);
        const description = RULES.find((r) => r.id === 'dangling-task')!.description;
        assert.deepEqual(client.messages, [
          { type: 3, message: `async-lint dangling-task: ${description} Documentation: ${page}` },
        ]);
        assert.deepEqual(client.shownDocuments, []);
      });

      it('offers no "Fix all <rule> problems" for suggestions: they are applied one at a time', async () => {
        const text = [
          'async function save(): Promise<void> {',
          '  await Promise.resolve();',
          '}',
          'export async function main(): Promise<void> {',
          '  save();',
          '  save();',
          '}',
          '',
        ].join('\n');
        const ws = makeWorkspace({ 'a.ts': text });
        const client = await start({ folders: [ws], pull: true });
        const uri = client.open(path.join(ws, 'a.ts'), text);
        const diags = ours((await client.pull(uri)).items, 'unawaited');
        assert.equal(diags.length, 2);
        const actions = await client.codeActions(uri, diags);
        assert.ok(
          actions.some((a) => a.title === "Add 'await'"),
          'the suggestion is offered',
        );
        assert.deepEqual(
          actions.filter((a) => a.title.startsWith('Fix all')),
          [],
        );
      });

      describe('with safe fixes (a server whose fixes of two rules are relabelled: test/server-variants/safe-fixes.ts)', () => {
        const variant = ['--import', 'tsx', path.join(ROOT, 'test', 'server-variants', 'safe-fixes.ts')];

        it('"Fix all blocking-call problems in this file" applies every one of them in one edit, only with two or more', async () => {
          const text = [
            'import time',
            '',
            '',
            'async def poll(check):',
            '    time.sleep(0.1)',
            '    while not await check():',
            '        time.sleep(0.5)',
            '',
            '',
            'async def once():',
            '    return await asyncio.sleep(0)',
            '',
          ].join('\n');
          const ws = makeWorkspace({
            'poll.py': text,
            'one.py': 'import time\n\n\nasync def wait():\n    time.sleep(1)\n',
          });
          const client = await start({ folders: [ws], pull: true, serverArgs: variant });
          const uri = client.open(path.join(ws, 'poll.py'), text);
          const diags = ours((await client.pull(uri)).items, 'blocking-call');
          assert.deepEqual(
            diags.map((d) => d.range.start.line),
            [4, 6],
          );
          const actions = await client.codeActions(uri, [diags[0]]);
          assert.deepEqual(titles(actions), [
            "Replace with 'await asyncio.sleep(...)'",
            'Fix all blocking-call problems in this file',
            'Disable blocking-call for this line',
            'Disable blocking-call for this file',
            'Show documentation for blocking-call',
          ]);
          assert.equal(actions[0].isPreferred, true, 'a safe fix is preferred');
          const fixAll = actions[1];
          assert.equal(fixAll.edit!.changes![uri].length, 1, 'one edit');
          const fixed = applyWorkspaceEdit(text, fixAll.edit!, uri);
          assert.equal(
            fixed,
            [
              'import asyncio',
              'import time',
              '',
              '',
              'async def poll(check):',
              '    await asyncio.sleep(0.1)',
              '    while not await check():',
              '        await asyncio.sleep(0.5)',
              '',
              '',
              'async def once():',
              '    return await asyncio.sleep(0)',
              '',
            ].join('\n'),
          );
          client.change(uri, [{ text: fixed }]);
          assert.deepEqual(ours((await client.pull(uri)).items, 'blocking-call'), []);
          // One finding: its own fix is the whole of it.
          const one = client.open(path.join(ws, 'one.py'), 'import time\n\n\nasync def wait():\n    time.sleep(1)\n');
          const oneDiags = ours((await client.pull(one)).items, 'blocking-call');
          assert.equal(oneDiags.length, 1);
          assert.deepEqual(
            (await client.codeActions(one, oneDiags)).filter((a) => a.title.startsWith('Fix all')),
            [],
          );
        });

        it('never applies an individualOnly fix in bulk, even one labelled safe', async () => {
          const text = [
            'async function save(): Promise<void> {',
            '  await Promise.resolve();',
            '}',
            'export async function main(): Promise<void> {',
            '  save();',
            '  save();',
            '}',
            '',
          ].join('\n');
          const ws = makeWorkspace({ 'a.ts': text });
          const client = await start({ folders: [ws], pull: true, serverArgs: variant });
          const uri = client.open(path.join(ws, 'a.ts'), text);
          const diags = ours((await client.pull(uri)).items, 'unawaited');
          assert.equal(diags.length, 2);
          const actions = await client.codeActions(uri, diags);
          const voidFix = actions.find((a) => a.title === "Add 'void' to drop the promise on purpose");
          assert.equal(voidFix?.isPreferred, true, 'the variant did relabel it safe');
          assert.deepEqual(
            actions.filter((a) => a.title.startsWith('Fix all')),
            [],
          );
          assert.deepEqual(await client.codeActions(uri, [], ['source.fixAll.asyncLint']), []);
        });
      });
    });
  });

  describe('the log', () => {
    it('names the server, Node, TypeScript, the folders and each configuration file; per-file timings at debug level', async () => {
      const ws = makeWorkspace({
        'src/a.ts': UNUSED_TS,
        'tsconfig.json': '{ "include": ["src"] }',
        'async-lint.json': JSON.stringify({ rules: { 'unused-async': 'warning' } }),
        'py/pyproject.toml': '[tool.async-lint]\nignorePatterns = ["gen/"]\n',
        'py/main.py': UNUSED_PY,
      });
      const client = await start({ folders: [ws], pull: true });
      await client.until('the server to be ready', () => client.logs.some((l) => l.includes('server ready')));
      const info = () => client.logMessages.filter((m) => m.type === 3).map((m) => m.message);
      const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.ok(
        info().includes(
          `async-lint ${version} language server, Node ${process.version} (${process.platform} ${process.arch}), for unnamed client`,
        ),
        info().join('\n'),
      );
      assert.ok(
        info().includes(
          `TypeScript/JavaScript: TypeScript ${ts.version}, bundled, in process (a workspace's own TypeScript is never loaded)`,
        ),
      );
      assert.ok(info().includes(`diagnostics: pulled by the client; workspace folders: ${ws}`));
      // The workspace's files are listed at start, and with them the configuration of their folders.
      assert.ok(
        info().includes(`configuration: ${path.join(ws, 'async-lint.json')} (lint root ${ws})`),
        info().join('\n'),
      );
      assert.ok(
        info().includes(`configuration: ${path.join(ws, 'py', 'pyproject.toml')} (lint root ${path.join(ws, 'py')})`),
        info().join('\n'),
      );

      const file = path.join(ws, 'src', 'a.ts');
      const uri = client.open(file, UNUSED_TS);
      assert.equal(ours((await client.pull(uri)).items).length, 1);
      await client.until('the TypeScript project', () =>
        info().includes(`TypeScript project: ${path.join(ws, 'tsconfig.json')}`),
      );
      const debug = client.logMessages.filter((m) => m.type === 5).map((m) => m.message);
      assert.ok(
        debug.some((m) =>
          new RegExp(
            `^analysed ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(version 1\\) in \\d+\\.\\d ms: 1 finding$`,
          ).test(m),
        ),
        debug.join('\n'),
      );
      assert.ok(!info().some((m) => m.startsWith('analysed')), 'timings only at debug level');

      const configFile = path.join(ws, 'async-lint.json');
      fs.writeFileSync(configFile, JSON.stringify({ rules: { 'unused-async': 'error' } }));
      void client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uriOf(configFile), type: 2 }],
      });
      await client.until('the change in the log', () =>
        info().includes(`configuration file changed: ${configFile} (read again when next needed)`),
      );
      const before = info().filter((m) => m === `configuration: ${configFile} (lint root ${ws})`).length;
      assert.equal(ours((await client.pull(uri)).items)[0]?.severity, 1);
      assert.equal(
        info().filter((m) => m === `configuration: ${configFile} (lint root ${ws})`).length,
        before + 1,
        'named again once read again',
      );
    });
  });

  describe('settings and configuration', () => {
    it('reads settings per resource: two folders, two severities', async () => {
      const one = makeWorkspace({ 'a.ts': UNUSED_TS });
      const two = makeWorkspace({ 'b.ts': UNUSED_TS });
      const client = await start({
        folders: [one, two],
        pull: true,
        settings: {
          [uriOf(one)]: { rules: { 'unused-async': 'error' } },
          [uriOf(two)]: { rules: { 'unused-async': 'warning' } },
        },
      });
      const a = client.open(path.join(one, 'a.ts'), UNUSED_TS);
      const b = client.open(path.join(two, 'b.ts'), UNUSED_TS);
      assert.equal(ours((await client.pull(a)).items)[0]?.severity, 1);
      assert.equal(ours((await client.pull(b)).items)[0]?.severity, 2);
      assert.ok(
        client.configurationRequests.includes(a) && client.configurationRequests.includes(b),
        'asked with each document as scopeUri',
      );
    });

    it('honours a settings change: refresh, then the new severity; enable: false silences', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      assert.equal(ours((await client.pull(uri)).items)[0]?.severity, 4);
      client.settings = { '': { rules: { 'unused-async': 'error' } } };
      const before = client.refreshes;
      void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.until('a diagnostics refresh', () => client.refreshes > before);
      assert.equal(ours((await client.pull(uri)).items)[0]?.severity, 1);
      client.settings = { '': { enable: false } };
      void client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await client.until('a second refresh', () => client.refreshes > before + 1);
      assert.deepEqual(ours((await client.pull(uri)).items), []);
    });

    it('lets the project file win over editor settings, and keeps the last good one when it breaks', async () => {
      const ws = makeWorkspace({
        'a.ts': UNUSED_TS,
        'async-lint.json': JSON.stringify({ rules: { 'unused-async': 'warning' } }),
      });
      const client = await start({
        folders: [ws],
        pull: true,
        settings: { '': { rules: { 'unused-async': 'error' } } },
      });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      assert.equal(ours((await client.pull(uri)).items)[0]?.severity, 2, 'async-lint.json says warning');

      const configFile = path.join(ws, 'async-lint.json');
      fs.writeFileSync(configFile, '{ "rules": { "unused-async": "loud" ');
      void client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uriOf(configFile), type: 2 }],
      });
      await client.until('a refresh after the change', () => client.refreshes >= 1);
      assert.equal(ours((await client.pull(uri)).items)[0]?.severity, 2, 'still the last good: warning');
      await client.until('an error message', () => client.messages.some((m) => m.type === 1));
      const msg = client.messages.find((m) => m.type === 1)!.message;
      assert.match(msg, /async-lint\.json/);
      assert.match(msg, /invalid JSON/);
      assert.match(msg, /last good settings/);

      fs.writeFileSync(configFile, JSON.stringify({ rules: { 'unused-async': 'info' } }));
      void client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uriOf(configFile), type: 2 }],
      });
      await client.until('a refresh after the repair', () => client.refreshes >= 2);
      assert.equal(ours((await client.pull(uri)).items)[0]?.severity, 3, 'the repaired file: info');
    });

    it('names the unknown rule of an invalid pyproject.toml section', async () => {
      const toml = '[tool.async-lint]\nrules = { "no-such-rule" = "off" }\n';
      const ws = makeWorkspace({ 'main.py': UNUSED_PY, 'pyproject.toml': toml });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'main.py'), UNUSED_PY);
      assert.equal(ours((await client.pull(uri)).items).length, 1, 'analysis goes on with the editor settings');
      await client.until('an error message', () => client.messages.some((m) => m.type === 1));
      assert.match(client.messages[0].message, /pyproject\.toml.*unknown rule 'no-such-rule'/);
    });

    it('skips files matched by asyncLint.exclude and by the config ignorePatterns', async () => {
      const ws = makeWorkspace({
        'gen/a.ts': UNUSED_TS,
        'legacy/b.py': UNUSED_PY,
        'src/c.ts': UNUSED_TS,
        'async-lint.json': JSON.stringify({ ignorePatterns: ['legacy/'] }),
      });
      const client = await start({ folders: [ws], pull: true, settings: { '': { exclude: ['gen/**'] } } });
      const a = client.open(path.join(ws, 'gen/a.ts'), UNUSED_TS);
      const b = client.open(path.join(ws, 'legacy/b.py'), UNUSED_PY);
      const c = client.open(path.join(ws, 'src/c.ts'), UNUSED_TS);
      assert.deepEqual(ours((await client.pull(a)).items), []);
      assert.deepEqual(ours((await client.pull(b)).items), []);
      assert.equal(ours((await client.pull(c)).items).length, 1);
    });

    it('keeps the Python module index current: a change on disk to an imported module', async () => {
      const jobs = 'def tick():\n    return None\n';
      const main =
        'import asyncio\n\nfrom jobs import tick\n\n\nasync def main():\n    loop = asyncio.get_running_loop()\n    loop.call_soon(tick)\n    await asyncio.sleep(0)\n';
      const ws = makeWorkspace({ 'jobs.py': jobs, 'main.py': main });
      const client = await start({ folders: [ws], pull: true });
      const mainUri = client.open(path.join(ws, 'main.py'), main);
      assert.deepEqual(ours((await client.pull(mainUri)).items, 'async-callback'), [], 'tick is a plain function');
      // jobs.py (not open) becomes a coroutine function on disk: the watcher tells the server.
      fs.writeFileSync(path.join(ws, 'jobs.py'), 'import asyncio\n\n\nasync def tick():\n    await asyncio.sleep(0)\n');
      const before = client.refreshes;
      void client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uriOf(path.join(ws, 'jobs.py')), type: 2 }],
      });
      await client.until('a refresh', () => client.refreshes > before);
      const after = ours((await client.pull(mainUri)).items, 'async-callback');
      assert.equal(after.length, 1, JSON.stringify(after));
      assert.equal(after[0].range.start.line, 7);
    });
  });

  describe('Lint Workspace', () => {
    it('analyses every file, skips what the CLI skips, publishes findings and reports progress', async () => {
      const ws = makeWorkspace({
        'src/a.ts': UNUSED_TS,
        'src/ok.ts': USED_TS,
        'py/b.py': UNUSED_PY,
        'node_modules/dep/index.js': 'async function x() { return 1 }\n',
        'notes.txt': 'async function x() { return 1 }\n',
        // skipped as the CLI skips them: .gitignore, the configuration's ignorePatterns
        '.gitignore': 'build/\n',
        'build/out.js': 'async function x() { return 1 }\n',
        'async-lint.json': JSON.stringify({ ignorePatterns: ['legacy/**'] }),
        'legacy/old.py': UNUSED_PY,
      });
      const client = await start({ folders: [ws], pull: true });
      const result = await client.conn.sendRequest('asyncLint/lintWorkspace', { workDoneToken: 'lint-ws-1' });
      assert.deepEqual(result, { files: 3, findings: 2, filesWithFindings: 2, skipped: 0 });
      assert.equal(ours(client.published.get(uriOf(path.join(ws, 'src/a.ts')))).length, 1);
      assert.equal(ours(client.published.get(uriOf(path.join(ws, 'py/b.py')))).length, 1);
      assert.deepEqual(client.published.get(uriOf(path.join(ws, 'src/ok.ts'))), []);
      for (const skipped of ['node_modules/dep/index.js', 'build/out.js', 'legacy/old.py'])
        assert.ok(!client.published.has(uriOf(path.join(ws, skipped))), skipped);
      const kinds = client.progress
        .filter((p) => (p as { token: string }).token === 'lint-ws-1')
        .map((p) => (p as { value: { kind: string } }).value.kind);
      assert.equal(kinds[0], 'begin');
      assert.equal(kinds.at(-1), 'end');
    });

    it('reads files as the CLI does: a UTF-16 file has the same findings, and is not skipped as binary', async () => {
      const ws = makeWorkspace({});
      const utf16 = (text: string, order: 'le' | 'be') => {
        const body = Buffer.from(text, 'utf16le');
        if (order === 'be') body.swap16();
        return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), body]);
      };
      fs.writeFileSync(path.join(ws, 'a.ts'), utf16(UNUSED_TS, 'le'));
      fs.writeFileSync(path.join(ws, 'b.py'), utf16(UNUSED_PY, 'be'));
      const client = await start({ folders: [ws], pull: true });
      const result = await client.conn.sendRequest('asyncLint/lintWorkspace', {});
      assert.deepEqual(result, { files: 2, findings: 2, filesWithFindings: 2, skipped: 0 });
      const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin/async-lint.js'), '-f', 'json', '--include-hints'], {
        cwd: ws,
        encoding: 'utf8',
      });
      const files = JSON.parse(cli.stdout) as { filePath: string; messages: Record<string, unknown>[] }[];
      assert.equal(files.length, 2);
      for (const f of files) {
        const published = ours(client.published.get(uriOf(f.filePath))).map((d) => [
          d.code,
          d.range.start.line + 1,
          d.range.start.character + 1,
          d.range.end.line + 1,
          d.range.end.character + 1,
          d.message,
        ]);
        const linted = f.messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn, m.message]);
        assert.equal(linted.length, 1, JSON.stringify(f));
        assert.deepEqual(published, linted, f.filePath);
      }
    });

    it('is also a workspace/executeCommand for other editors, with server-created progress', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: false });
      const result = await client.conn.sendRequest('workspace/executeCommand', {
        command: 'async-lint.server.lintWorkspace',
        arguments: [],
      });
      assert.deepEqual(result, { files: 1, findings: 1, filesWithFindings: 1, skipped: 0 });
      assert.ok(client.progress.some((p) => (p as { value: { kind: string } }).value.kind === 'end'));
    });

    it('stops when cancelled and answers RequestCancelled', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 100; i++) files[`src/f${i}.ts`] = UNUSED_TS.replace('load', `load${i}`);
      const ws = makeWorkspace(files);
      const client = await start({ folders: [ws], pull: true });
      const { CancellationTokenSource } = await import('vscode-languageserver-protocol');
      const source = new CancellationTokenSource();
      const pending = client.conn.sendRequest('asyncLint/lintWorkspace', { workDoneToken: 'cancel-me' }, source.token);
      // The cancel reaches the server while it lists the files (asynchronous I/O).
      source.cancel();
      await assert.rejects(
        pending,
        (e: { code?: number; data?: { files: number } }) => e.code === -32800 && e.data!.files < 100,
      );
      const values = client.progress
        .filter((p) => (p as { token: string }).token === 'cancel-me')
        .map((p) => (p as { value: { kind: string } }).value.kind);
      assert.equal(values.at(-1), 'end', 'the progress is ended');
      // and the server still works
      const uri = client.open(path.join(ws, 'src/f1.ts'), UNUSED_TS);
      assert.equal(ours((await client.pull(uri)).items).length, 1);
    });
  });

  describe('status notifications', () => {
    it('tells a client that asks for it how each document stands', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: true, initializationOptions: { statusNotifications: true } });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      await client.pull(uri);
      await client.until('a status', () => client.notifications.some((n) => n.method === 'asyncLint/status'));
      const status = client.notifications
        .filter((n) => n.method === 'asyncLint/status')
        .map((n) => n.params as { uri?: string; state: string; findings?: number });
      assert.deepEqual(
        status.filter((s) => s.uri === uri && s.state !== 'analysing').map((s) => [s.state, s.findings]),
        [['findings', 1]],
      );
    });

    it('sends none to a client that did not ask', async () => {
      const ws = makeWorkspace({ 'a.ts': UNUSED_TS });
      const client = await start({ folders: [ws], pull: true });
      const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
      await client.pull(uri);
      assert.deepEqual(
        client.notifications.filter((n) => n.method === 'asyncLint/status'),
        [],
      );
    });
  });
});
