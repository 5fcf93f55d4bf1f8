// Jupyter notebooks over LSP (notebook document sync), as VS Code drives them: the bundled server
// over stdio, a real JSON-RPC client. The Python cells are one document to the engine; the
// diagnostics, and the edits of quick fixes, must land in the right cell at the right place.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { applyWorkspaceEdit, makeWorkspace, startedClients, type TestCell } from './lspClient';

const DEFS = ['import asyncio', 'import time', '', '', 'async def fetch(n):', '    time.sleep(1)', '    return n'].join(
  '\n',
);
// Would be flagged (a dropped coroutine) if a markdown cell were read as Python.
const MARKDOWN = '# Fetching\n\nfetch(9)\n';
const TOP = ['x = await fetch(1)', 'fetch(2)', 'asyncio.create_task(fetch(3))', 'print(x)'].join('\n');
const CELLS: TestCell[] = [
  { kind: 'code', text: DEFS },
  { kind: 'markdown', text: MARKDOWN },
  { kind: 'code', text: TOP },
];

const ours = (d: Diagnostic[] | undefined, rule?: string) =>
  (d ?? []).filter((x) => x.source === 'async-lint' && (!rule || x.code === rule));
const at = (d: Diagnostic) =>
  `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

describe('language server: Jupyter notebooks', function () {
  this.timeout(120000);
  const start = startedClients();

  it('announces notebook sync for jupyter-notebook Python cells, only to a client that syncs notebooks', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: true, notebooks: true });
    assert.deepEqual(client.initializeResult!.capabilities.notebookDocumentSync, {
      notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
    });
    const plain = await start({ folders: [ws], pull: true });
    assert.equal(plain.initializeResult!.capabilities.notebookDocumentSync, undefined);
  });

  for (const pull of [false, true]) {
    it(`publishes per cell, at the cell's own lines; top-level await is accepted (${pull ? 'pull' : 'push'} client)`, async () => {
      const ws = makeWorkspace({});
      const client = await start({ folders: [ws], pull, notebooks: true });
      const nb = client.openNotebook(path.join(ws, 'analysis.ipynb'), CELLS);
      const first = await client.pushed(nb.cells[0]);
      const third = await client.pushed(nb.cells[2]);
      assert.deepEqual(ours(first).map(at), ['blocking-call@5:4-5:17']);
      // Line 0 (`x = await fetch(1)`) has nothing: a top-level await is what notebooks do.
      assert.deepEqual(ours(third).map(at), ['unawaited@1:0-1:8', 'dangling-task@2:0-2:29']);
      assert.ok(
        !client.published.has(nb.cells[1]) || client.published.get(nb.cells[1])!.length === 0,
        'the markdown cell is not analysed',
      );
      if (pull) {
        // Cells are pushed; a pull for one is answered with nothing, so nothing shows twice.
        const report = await client.pull(nb.cells[2]);
        assert.deepEqual(report.items, []);
      }
    });
  }

  it('offers quick fixes whose edits target the right cells: await in the cell, a task set in the first', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const nb = client.openNotebook(path.join(ws, 'analysis.ipynb'), CELLS);
    const diags = ours(await client.pushed(nb.cells[2], (d) => d.length >= 2));

    const unawaited = diags.find((d) => d.code === 'unawaited')!;
    const actions = await client.codeActions(nb.cells[2], [unawaited]);
    const titles = actions.map((a) => a.title);
    // At a notebook's top level the fix is `await`, not asyncio.run (which would raise there).
    assert.deepEqual(titles, [
      "Add 'await'",
      'Disable unawaited for this line',
      'Disable unawaited for this file',
      'Show documentation for unawaited',
    ]);
    const add = actions[0];
    assert.deepEqual(Object.keys(add.edit!.changes!), [nb.cells[2]]);
    assert.deepEqual(add.edit!.changes![nb.cells[2]], [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'await ' },
    ]);
    assert.deepEqual(add.diagnostics, [unawaited], 'the action names the cell diagnostic it fixes');
    assert.equal(applyWorkspaceEdit(TOP, add.edit!, nb.cells[2]).split('\n')[1], 'await fetch(2)');
    // "for this file" is for the notebook: a directive at the top of the first cell.
    const disableFile = actions.find((a) => a.title === 'Disable unawaited for this file')!;
    assert.deepEqual(Object.keys(disableFile.edit!.changes!), [nb.cells[0]]);
    assert.equal(
      applyWorkspaceEdit(DEFS, disableFile.edit!, nb.cells[0]).split('\n')[0],
      '# async-lint-disable-file unawaited',
    );
    const docs = actions.find((a) => a.title === 'Show documentation for unawaited')!;
    assert.equal(docs.edit, undefined);
    assert.deepEqual(docs.command?.arguments, ['unawaited']);

    // The task's fix rewrites the statement in its cell and adds the set after the imports, in the first cell.
    const dangling = diags.find((d) => d.code === 'dangling-task')!;
    const keep = (await client.codeActions(nb.cells[2], [dangling])).find((a) =>
      a.title.startsWith('Keep a reference'),
    )!;
    assert.deepEqual(Object.keys(keep.edit!.changes!).sort(), [nb.cells[0], nb.cells[2]].sort());
    const defs = applyWorkspaceEdit(DEFS, keep.edit!, nb.cells[0]);
    assert.equal(defs.split('\n').slice(0, 4).join('\n'), 'import asyncio\nimport time\n\n_background_tasks = set()');
    const top = applyWorkspaceEdit(TOP, keep.edit!, nb.cells[2]);
    assert.deepEqual(top.split('\n').slice(2, 5), [
      'task = asyncio.create_task(fetch(3))',
      '_background_tasks.add(task)',
      'task.add_done_callback(_background_tasks.discard)',
    ]);

    // A fix in the first cell stays there.
    const blocking = ours(client.published.get(nb.cells[0]))[0];
    const sleep = (await client.codeActions(nb.cells[0], [blocking])).find((a) => a.title.includes('asyncio.sleep'))!;
    assert.deepEqual(Object.keys(sleep.edit!.changes!), [nb.cells[0]]);
    assert.equal(applyWorkspaceEdit(DEFS, sleep.edit!, nb.cells[0]).split('\n')[5], '    await asyncio.sleep(1)');
  });

  it('"Disable <rule> for this line" writes a # directive in the cell, which silences the finding', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const nb = client.openNotebook(path.join(ws, 'analysis.ipynb'), CELLS);
    const unawaited = ours(await client.pushed(nb.cells[2]), 'unawaited')[0];
    const disable = (await client.codeActions(nb.cells[2], [unawaited])).find(
      (a) => a.title === 'Disable unawaited for this line',
    )!;
    const edits = disable.edit!.changes![nb.cells[2]];
    assert.equal(edits.length, 1);
    assert.equal(
      applyWorkspaceEdit(TOP, disable.edit!, nb.cells[2]).split('\n')[1],
      '# async-lint-disable-next-line unawaited',
    );
    client.changeCell(nb.uri, nb.cells[2], [{ range: edits[0].range, text: edits[0].newText }]);
    const after = await client.pushed(nb.cells[2], (d) => ours(d, 'unawaited').length === 0);
    assert.deepEqual(
      ours(after).map(at),
      ['dangling-task@3:0-3:29'],
      'the other finding moved down a line with its cell',
    );
  });

  it('analyses the cells together: an edit in one cell changes the findings of another', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const nb = client.openNotebook(path.join(ws, 'analysis.ipynb'), CELLS);
    await client.pushed(nb.cells[2], (d) => ours(d, 'unawaited').length === 1);
    // `async def fetch` -> `def fetch` in the first cell: fetch(2) in the third no longer makes a coroutine.
    client.changeCell(nb.uri, nb.cells[0], [
      { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 6 } }, text: '' },
    ]);
    await client.pushed(nb.cells[2], (d) => ours(d, 'unawaited').length === 0);
    assert.deepEqual(ours(client.published.get(nb.cells[0])), [], 'time.sleep in a sync def is no finding');
    client.closeNotebook(nb.uri, nb.cells);
    await client.until('the cells to be cleared', () =>
      nb.cells.every((c) => !client.published.has(c) || client.published.get(c)!.length === 0),
    );
  });

  it('follows cells added and removed: a removed cell is cleared, a new one analysed in its place', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const file = path.join(ws, 'analysis.ipynb');
    const nb = client.openNotebook(file, CELLS);
    await client.pushed(nb.cells[2], (d) => ours(d).length === 2);
    // The third cell goes; a new one between the first two says `fetch(5)`.
    const added = `vscode-notebook-cell:${file}#new`;
    void client.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: nb.uri, version: 2 },
      change: {
        cells: {
          structure: {
            array: {
              start: 1,
              deleteCount: 2,
              cells: [
                { kind: 2, document: added },
                { kind: 1, document: nb.cells[1] },
              ],
            },
            didOpen: [{ uri: added, languageId: 'python', version: 1, text: 'fetch(5)' }],
            didClose: [{ uri: nb.cells[2] }],
          },
        },
      },
    });
    assert.deepEqual(ours(await client.pushed(added)).map(at), ['unawaited@0:0-0:8']);
    await client.pushed(nb.cells[2], (d) => d.length === 0);
    assert.deepEqual(
      ours(client.published.get(nb.cells[0])).map(at),
      ['blocking-call@5:4-5:17'],
      'the first cell is as it was',
    );
  });

  it('treats the top level as running in the event loop only in notebooks, not in .py files', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const script = `${DEFS}\n\n\nfetch(2)\nasyncio.run(fetch(7))\n`;
    const nb = client.openNotebook(path.join(ws, 'run.ipynb'), [
      { kind: 'code', text: DEFS },
      { kind: 'code', text: 'fetch(2)\nasyncio.run(fetch(7))\nprint(1)' },
    ]);
    const cell = ours(await client.pushed(nb.cells[1], (d) => d.length >= 2));
    assert.deepEqual(cell.map(at), ['unawaited@0:0-0:8', 'nested-event-loop@1:0-1:21']);
    assert.match(String(cell[1].message), /at the top level of a notebook raises RuntimeError/);
    const uri = client.open(path.join(ws, 'run.py'), script);
    const py = ours(await client.pushed(uri, (d) => ours(d, 'unawaited').length > 0));
    assert.deepEqual(
      py.map((d) => d.code).sort(),
      ['blocking-call', 'unawaited'],
      'asyncio.run at a script top level is right',
    );
    const titles = (await client.codeActions(uri, ours(py, 'unawaited'))).map((a) => a.title);
    assert.deepEqual(titles.slice(0, 2), ["Run it with 'asyncio.run(...)'", 'Disable unawaited for this line']);
  });

  it('applies the configuration by the notebook path: an override for *.ipynb', async () => {
    const config = JSON.stringify({ overrides: [{ files: ['*.ipynb'], rules: { unawaited: 'off' } }] });
    const ws = makeWorkspace({ 'async-lint.json': config });
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const nb = client.openNotebook(path.join(ws, 'analysis.ipynb'), CELLS);
    await client.pushed(nb.cells[2], (d) => ours(d, 'dangling-task').length === 1);
    assert.deepEqual(ours(client.published.get(nb.cells[2]), 'unawaited'), [], 'unawaited is off for notebooks');
    const uri = client.open(path.join(ws, 'analysis.py'), `${DEFS}\n\n\nfetch(2)\n`);
    assert.equal(
      ours(await client.pushed(uri, (d) => ours(d, 'unawaited').length > 0), 'unawaited').length,
      1,
      'and on for .py files',
    );
  });

  it('ignores cells in other languages and cell magics that run something else; masks IPython syntax', async () => {
    const ws = makeWorkspace({});
    const client = await start({ folders: [ws], pull: false, notebooks: true });
    const nb = client.openNotebook(path.join(ws, 'mixed.ipynb'), [
      { kind: 'code', text: 'async def f():\n    pass\n' },
      { kind: 'code', text: 'f()\n', language: 'r' },
      { kind: 'code', text: '%%bash\nf()\n' },
      { kind: 'code', text: '%time x = 1\n!pip install aiohttp\nf()\n' },
    ]);
    const last = ours(await client.pushed(nb.cells[3]));
    // Magics and shell escapes are IPython's, not syntax errors; the call after them is found.
    assert.deepEqual(last.map(at), ['unawaited@2:0-2:3']);
    assert.ok(!client.published.has(nb.cells[1]), 'an R cell is not analysed');
    assert.deepEqual(ours(client.published.get(nb.cells[2])), [], 'a %%bash cell is not Python');
  });
});
