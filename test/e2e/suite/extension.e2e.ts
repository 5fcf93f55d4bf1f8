// The extension in a real VS Code: these tests run in code-server's extension host against the
// `vscode` API, with the .vsix installed as a user would. The workspace is a fresh copy of
// test/e2e/workspace. The built-in TypeScript extension reports problems too: ours are the ones
// whose source is 'async-lint'.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { TestHooks } from '../../../client/src/extension';

const EXTENSION_ID = 'async-lint.async-lint';

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

const file = (rel: string) => vscode.Uri.joinPath(folder(), rel);

function ours(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'async-lint' && (!rule || codeOf(d) === rule));
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** Polls until `test` holds: the machine is slow and shared, so the waits are generous. */
async function until<T>(
  what: string,
  get: () => T | Promise<T>,
  test: (v: T) => boolean,
  timeoutMs = 60000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await get();
  while (!test(last)) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${show(last)}`);
    await new Promise((r) => setTimeout(r, 200));
    last = await get();
  }
  return last;
}

function show(v: unknown): string {
  if (Array.isArray(v) && v.every((d) => d instanceof vscode.Diagnostic)) {
    return JSON.stringify(v.map((d: vscode.Diagnostic) => `${d.range.start.line + 1}: ${codeOf(d)} ${d.message}`));
  }
  return typeof v === 'string' ? JSON.stringify(v.slice(0, 500)) : JSON.stringify(v);
}

async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(file(rel));
  return vscode.window.showTextDocument(doc);
}

async function setRules(rules: Record<string, string> | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('asyncLint').update('rules', rules, vscode.ConfigurationTarget.Workspace);
}

/**
 * The running async-lint servers: children of this extension host (the tests run in it, and the
 * extension forks the server from it) whose command line runs the extension's dist/server.js.
 */
function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => /async-lint[^/]*\/dist\/server\.js$/.test(a))) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Waits for exactly one running server other than `not`, and returns its pid. */
async function theServer(hooks: TestHooks, not?: number): Promise<number> {
  await until(
    'the server to be running',
    () => hooks.serverState,
    (s) => s === 'running',
  );
  const [pid] = await until(
    `one server process${not ? ` other than ${not}` : ''}`,
    serverPids,
    (p) => p.length === 1 && p[0] !== not,
  );
  return pid;
}

/** Kills the server the way the OOM killer or a crash would, and returns its pid. */
async function killServer(hooks: TestHooks, not?: number): Promise<number> {
  const pid = await theServer(hooks, not);
  process.kill(pid, 'SIGKILL');
  return pid;
}

/** The output channel's lines as VS Code wrote them to its log file. */
async function outputLog(hooks: TestHooks): Promise<string> {
  try {
    return new TextDecoder().decode(
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(hooks.logUri, 'Async Lint.log')),
    );
  } catch {
    return '';
  }
}

function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return until(
    'code actions',
    async () =>
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        range,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [],
    (a) => a.length > 0,
  );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('Async Lint in VS Code', () => {
  let hooks: TestHooks;
  before(async () => {
    const ext = vscode.extensions.getExtension<TestHooks>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    hooks = await ext.activate();
    assert.ok(hooks && typeof hooks.restartNotices === 'number', 'activate() returns the test hooks');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows findings in a TypeScript file, with the rule id and a link to its page shipped in the extension', async () => {
    await open('src/orders.ts');
    const uri = file('src/orders.ts');
    const diags = await until(
      'unawaited and unused-async in orders.ts',
      () => ours(uri),
      (d) => d.some((x) => codeOf(x) === 'unawaited') && d.some((x) => codeOf(x) === 'unused-async'),
    );
    const unawaited = diags.find((d) => codeOf(d) === 'unawaited')!;
    assert.equal(unawaited.range.start.line, 6, 'the statement `save(order);`');
    assert.equal(unawaited.severity, vscode.DiagnosticSeverity.Warning);
    const code = unawaited.code as { value: string; target: vscode.Uri };
    const page = vscode.Uri.joinPath(
      vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri,
      'docs',
      'rules',
      'unawaited.md',
    );
    assert.equal(code.target.toString(), page.toString(), 'the installed page, offline');
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(code.target)), /^# unawaited/);
  });

  it('shows findings in a JavaScript file', async () => {
    await open('src/signup.js');
    const uri = file('src/signup.js');
    const diags = await until(
      'unawaited in signup.js',
      () => ours(uri),
      (d) => d.some((x) => codeOf(x) === 'unawaited'),
    );
    assert.equal(diags.find((d) => codeOf(d) === 'unawaited')!.range.start.line, 5, 'the statement `notify(user);`');
  });

  it('shows findings in a Python file', async () => {
    await open('app/jobs.py');
    const uri = file('app/jobs.py');
    const diags = await until(
      'sequential-await and unused-async in jobs.py',
      () => ours(uri),
      (d) => d.some((x) => codeOf(x) === 'sequential-await') && d.some((x) => codeOf(x) === 'unused-async'),
    );
    assert.equal(diags.find((d) => codeOf(d) === 'sequential-await')!.range.start.line, 9);
    assert.equal(diags.find((d) => codeOf(d) === 'unused-async')!.range.start.line, 14);
  });

  it('lints a Jupyter notebook: findings in their cells, top-level await accepted, a quick fix in the cell', async () => {
    // VS Code's built-in ipynb extension (vscode.ipynb) opens .ipynb files as jupyter-notebook
    // notebooks: no Jupyter extension is needed to edit one, only to run it.
    const notebook = await vscode.workspace.openNotebookDocument(file('app/fetching.ipynb'));
    await vscode.window.showNotebookDocument(notebook);
    assert.equal(notebook.notebookType, 'jupyter-notebook');
    const [defs, markdown, top] = notebook.getCells();
    assert.equal(defs.document.languageId, 'python');
    assert.equal(markdown.kind, vscode.NotebookCellKind.Markup);
    const [sleep] = await until(
      'blocking-call in the first cell',
      () => ours(defs.document.uri),
      (d) => d.some((x) => codeOf(x) === 'blocking-call'),
    );
    assert.deepEqual(
      [sleep.range.start.line, sleep.range.start.character],
      [5, 4],
      '`time.sleep(0.1)` in `async def fetch`',
    );
    const found = await until(
      'unawaited in the third cell',
      () => ours(top.document.uri),
      (d) => d.some((x) => codeOf(x) === 'unawaited'),
    );
    // `x = await fetch(1)` on line 0 is fine in a notebook; `fetch(2)` on line 1 is dropped.
    assert.deepEqual(
      found.map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`),
      ['unawaited@1:0'],
    );
    assert.deepEqual(ours(markdown.document.uri), []);
    try {
      const actions = await until(
        "the Add 'await' quick fix in the cell",
        async () =>
          vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            top.document.uri,
            found[0].range,
            vscode.CodeActionKind.QuickFix.value,
          ),
        (a) => (a ?? []).some((x) => x.title === "Add 'await'"),
      );
      const fix = actions.find((a) => a.title === "Add 'await'")!;
      assert.deepEqual(
        fix.edit!.entries().map(([uri]) => uri.toString()),
        [top.document.uri.toString()],
        'the edit targets the cell',
      );
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.equal(top.document.getText(), 'x = await fetch(1)\nawait fetch(2)\nprint(x)');
      await until(
        'unawaited to clear',
        () => ours(top.document.uri),
        (d) => d.length === 0,
      );
      assert.equal(ours(defs.document.uri, 'blocking-call').length, 1, 'the other cell keeps its finding');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('applies a quick fix, and the finding goes away', async () => {
    const editor = await open('src/orders.ts');
    const uri = editor.document.uri;
    const [finding] = await until(
      'unawaited in orders.ts',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 1,
    );
    const actions = await until(
      "the Add 'await' quick fix",
      async () =>
        vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          finding.range,
          vscode.CodeActionKind.QuickFix.value,
        ),
      (a) => (a ?? []).some((x) => x.title === "Add 'await'"),
    );
    const fix = actions.find((a) => a.title === "Add 'await'")!;
    assert.notEqual(
      fix.isPreferred,
      true,
      'a suggestion (it changes when the code runs) is not preferred for auto-fix',
    );
    assert.equal(
      actions.filter((a) => a.edit && !a.title.startsWith('Disable'))[0],
      fix,
      'it is the first fix offered',
    );
    assert.ok(
      actions.some((a) => a.title === 'Disable unawaited for this line'),
      'and the disable comment is offered',
    );
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(editor.document.getText(), /\n {2}await save\(order\);\n/);
    await until(
      'unawaited to clear',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 0,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('fix-all on save (editor.codeActionsOnSave) never adds await: it is a suggestion', async () => {
    await vscode.workspace
      .getConfiguration('editor')
      .update('codeActionsOnSave', { 'source.fixAll.asyncLint': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await open('src/audit.ts');
      const uri = editor.document.uri;
      await until(
        'two unawaited findings in audit.ts',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 2,
      );
      const before = editor.document.getText();
      // Make the file dirty, then save the way a person does (the save participant runs fix-all).
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// audited\n'));
      await vscode.commands.executeCommand('workbench.action.files.save');
      const onDisk = await until(
        'the saved file',
        async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)),
        (t) => t.startsWith('// audited\n'),
      );
      assert.equal(onDisk, `// audited\n${before}`, 'saved as typed: no await added');
      assert.equal(editor.document.isDirty, false);
      await until(
        'both unawaited findings still there',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 2,
      );
    } finally {
      await vscode.workspace
        .getConfiguration('editor')
        .update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('"Show documentation for <rule>" opens the page shipped in the extension in the Markdown preview', async () => {
    const editor = await open('src/orders.ts');
    const uri = editor.document.uri;
    const [finding] = await until(
      'unawaited in orders.ts',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 1,
    );
    const actions = await codeActionsAt(uri, finding.range);
    // In this order (other extensions' actions, if any, aside).
    const expected = [
      "Add 'await'",
      "Add 'void' to drop the promise on purpose",
      'Disable unawaited for this line',
      'Disable unawaited for this file',
      'Show documentation for unawaited',
    ];
    assert.deepEqual(
      actions.map((a) => a.title).filter((t) => expected.includes(t) || t.startsWith('Fix all')),
      expected,
    );
    const docs = actions.find((a) => a.title === 'Show documentation for unawaited')!;
    assert.equal(docs.edit, undefined);
    assert.ok(docs.command, 'a command');
    // What the light bulb does when the action is chosen.
    await vscode.commands.executeCommand(docs.command.command, ...(docs.command.arguments ?? []));
    const tab = await until(
      'the Markdown preview of unawaited.md',
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs),
      (tabs) =>
        tabs.some(
          (t) =>
            t.input instanceof vscode.TabInputWebview &&
            /markdown\.preview/.test(t.input.viewType) &&
            /unawaited\.md/.test(t.label),
        ),
    );
    assert.ok(tab.length > 0);
    // From the command palette, with an argument as the code action gives it.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('asyncLint.showRuleDocumentation', 'dangling-task');
    await until(
      'the Markdown preview of dangling-task.md',
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs),
      (tabs) =>
        tabs.some(
          (t) =>
            t.input instanceof vscode.TabInputWebview &&
            /markdown\.preview/.test(t.input.viewType) &&
            /dangling-task\.md/.test(t.label),
        ),
    );
  });

  it('"Disable <rule> for this file" writes the directive at the top and the findings go', async () => {
    const editor = await open('src/audit.ts');
    const uri = editor.document.uri;
    try {
      const diags = await until(
        'two unawaited findings in audit.ts',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 2,
      );
      const action = (await codeActionsAt(uri, diags[0].range)).find(
        (a) => a.title === 'Disable unawaited for this file',
      );
      assert.ok(action?.edit, 'the action, with an edit');
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      assert.equal(editor.document.lineAt(0).text, '// async-lint-disable-file unawaited');
      await until(
        'both unawaited findings to go',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 0,
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('offers no "Fix all <rule> problems" for suggestions: two unawaited findings, each fixed on its own', async () => {
    const editor = await open('src/audit.ts');
    const uri = editor.document.uri;
    const diags = await until(
      'two unawaited findings in audit.ts',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 2,
    );
    const actions = await codeActionsAt(uri, diags[0].range);
    assert.ok(
      actions.some((a) => a.title === "Add 'await'"),
      'the suggestion is offered',
    );
    assert.deepEqual(
      actions.filter((a) => a.title.startsWith('Fix all')).map((a) => a.title),
      [],
    );
  });

  it('asyncLint.trace.server shows the LSP traffic in the output without touching the log level; the log names the server and its configuration', async () => {
    // The configuration is named once the workspace's files are listed, before "server ready".
    const log = await until(
      'the start-up lines',
      () => outputLog(hooks),
      (t) => /\[info\] async-lint server ready/.test(t),
    );
    assert.match(log, /\[info\] async-lint \d+\.\d+\.\d+ language server, Node v\d+/);
    assert.match(log, /\[info\] TypeScript\/JavaScript: TypeScript \d+\.\d+\.\d+, bundled, in process/);
    assert.match(
      log,
      new RegExp(
        `\\[info\\] no configuration file for ${escapeRegExp(folder().fsPath)}: rule defaults and editor settings`,
      ),
    );
    assert.doesNotMatch(log, /Sending request 'textDocument\/codeAction/, 'no traffic while the setting is off');
    assert.doesNotMatch(log, /\] analysed /, 'per-file timings are debug lines: hidden at the default level');
    const editor = await open('src/orders.ts');
    const [finding] = await until(
      'unawaited in orders.ts',
      () => ours(editor.document.uri, 'unawaited'),
      (d) => d.length === 1,
    );
    try {
      await vscode.workspace
        .getConfiguration('asyncLint')
        .update('trace.server', 'messages', vscode.ConfigurationTarget.Workspace);
      // The request is traced once the client has taken the setting in: ask until one is.
      await until(
        'a traced codeAction request in the output',
        async () => {
          await codeActionsAt(editor.document.uri, finding.range);
          return outputLog(hooks);
        },
        (t) =>
          /Sending request 'textDocument\/codeAction - \(\d+\)'/.test(t) &&
          /Received response 'textDocument\/codeAction - \(\d+\)' in \d+ms/.test(t),
      );
      // An edit: analysed again, and the server's debug line about it shows too.
      await editor.edit((b) => b.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
      await until(
        'the analysis of the edit in the output',
        () => outputLog(hooks),
        (t) =>
          new RegExp(
            `analysed ${escapeRegExp(editor.document.uri.fsPath)} \\(version \\d+\\) in [\\d.]+ ms: \\d+ finding`,
          ).test(t),
      );
      assert.equal(hooks.outputLogLevel, vscode.LogLevel.Info, 'the channel is still at its default level');
    } finally {
      await vscode.workspace
        .getConfiguration('asyncLint')
        .update('trace.server', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('honours a settings change: rule off, then error', async () => {
    await open('app/jobs.py');
    const uri = file('app/jobs.py');
    await until(
      'unused-async in jobs.py',
      () => ours(uri, 'unused-async'),
      (d) => d.length === 1,
    );
    try {
      await setRules({ 'unused-async': 'off' });
      await until(
        'unused-async to go (rule off)',
        () => ours(uri, 'unused-async'),
        (d) => d.length === 0,
      );
      assert.ok(ours(uri, 'sequential-await').length > 0, 'the other rules still run');
      await setRules({ 'unused-async': 'error' });
      const [d] = await until(
        'unused-async as an error',
        () => ours(uri, 'unused-async'),
        (x) => x.length === 1 && x[0].severity === vscode.DiagnosticSeverity.Error,
      );
      assert.equal(d.range.start.line, 14);
    } finally {
      await setRules(undefined);
    }
  });

  it('follows the project file on disk: async-lint.json wins, a broken one keeps the last good settings', async () => {
    await open('app/jobs.py');
    const uri = file('app/jobs.py');
    const config = file('async-lint.json');
    const write = (text: string) => vscode.workspace.fs.writeFile(config, new TextEncoder().encode(text));
    await until(
      'unused-async as a hint',
      () => ours(uri, 'unused-async'),
      (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Hint,
    );
    try {
      await write(JSON.stringify({ rules: { 'unused-async': 'error' } }));
      await until(
        'unused-async as an error (file watcher, refresh)',
        () => ours(uri, 'unused-async'),
        (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Error,
      );
      await write('{ "rules": ');
      // Broken: the server goes on with the last good settings.
      await new Promise((r) => setTimeout(r, 2000));
      const d = ours(uri, 'unused-async');
      assert.equal(d.length, 1);
      assert.equal(d[0].severity, vscode.DiagnosticSeverity.Error);
      await write(JSON.stringify({ rules: { 'unused-async': 'off' } }));
      await until(
        'unused-async off after the repair',
        () => ours(uri, 'unused-async'),
        (x) => x.length === 0,
      );
    } finally {
      await vscode.workspace.fs.delete(config);
    }
    await until(
      'unused-async back to a hint',
      () => ours(uri, 'unused-async'),
      (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Hint,
    );
  });

  it('checks async-lint.json against the contributed JSON schema', async () => {
    const config = file('async-lint.json');
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode('{ "rules": { "unawaited": "loud" } }\n'));
    try {
      const doc = await vscode.workspace.openTextDocument(config);
      await vscode.window.showTextDocument(doc);
      const diags = await until(
        'a schema problem on the severity',
        () => vscode.languages.getDiagnostics(config),
        (d) => d.some((x) => /off|hint|warning/.test(x.message)),
      );
      const problem = diags.find((x) => /off|hint|warning/.test(x.message))!;
      assert.equal(doc.getText(problem.range), '"loud"');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(config);
    }
  });

  it('Lint Workspace reports files that are not open', async () => {
    const idle = file('src/idle.ts');
    assert.deepEqual(ours(idle), [], 'nothing before the run: idle.ts was never opened');
    const result = await vscode.commands.executeCommand<{ files: number; findings: number }>('asyncLint.lintWorkspace');
    assert.ok(result, 'the command returns its summary');
    assert.equal(result.files, 5, 'three TypeScript files, one JavaScript file and one Python file');
    await until(
      'unused-async in the closed idle.ts',
      () => ours(idle, 'unused-async'),
      (d) => d.length === 1,
    );
  });

  it('Restart Server brings findings back, and Show Output runs', async () => {
    await vscode.commands.executeCommand('asyncLint.showOutput');
    await vscode.commands.executeCommand('asyncLint.restartServer');
    await open('src/idle.ts');
    const idle = file('src/idle.ts');
    // The restarted server analyses the open file on its own (its pushed Lint Workspace results are gone with the old one).
    await until(
      'unused-async in idle.ts after the restart',
      () => ours(idle, 'unused-async'),
      (d) => d.length === 1,
    );
    await vscode.workspace.openTextDocument(file('src/orders.ts')).then((d) => vscode.window.showTextDocument(d));
    await until(
      'findings in orders.ts after the restart',
      () => ours(file('src/orders.ts'), 'unawaited'),
      (d) => d.length === 1,
    );
  });

  it('restarts a killed server: findings come back, the user is told once, the output logs each restart', async () => {
    const editor = await open('src/orders.ts');
    const uri = editor.document.uri;
    await until(
      'unawaited in orders.ts',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 1,
    );
    assert.equal(hooks.restartNotices, 0, 'no notice before any crash');
    const restarts = hooks.restarts;
    const states = hooks.serverStates.length;
    try {
      const first = await killServer(hooks);
      await until(
        'the first automatic restart',
        () => hooks.restarts,
        (n) => n === restarts + 1,
      );
      const second = await theServer(hooks, first);
      assert.deepEqual(
        hooks.serverStates.slice(states),
        ['restarting', 'running'],
        'the status item showed the restart',
      );
      await until(
        'the finding back after the restart',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 1 && d[0].range.start.line === 6,
      );
      // A new analysis by the new server: an edit adds a second mistake.
      await editor.edit((b) =>
        b.insert(
          new vscode.Position(12, 0),
          '\nexport async function refund(order: string): Promise<void> {\n  save(order);\n}\n',
        ),
      );
      await until(
        'the new finding from the restarted server',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 2 && d.some((x) => x.range.start.line === 14),
      );
      assert.equal(hooks.restartNotices, 1, 'one notice after the first crash');

      assert.equal(await killServer(hooks), second, 'the server killed is the restarted one');
      await until(
        'the second automatic restart',
        () => hooks.restarts,
        (n) => n === restarts + 2,
      );
      await theServer(hooks, second);
      // The restarted server gets the unsaved text and the client pulls again.
      await until(
        'both findings of the unsaved text after the second restart',
        () => ours(uri, 'unawaited'),
        (d) => d.length === 2 && d.some((x) => x.range.start.line === 14),
      );
      assert.equal(hooks.restartNotices, 1, 'still one notice after the second crash');
      assert.equal(hooks.failureNotices, 0);
      const log = await until(
        'both restarts, with their exit reason, in the output log',
        () => outputLog(hooks),
        (t) => (t.match(/stopped unexpectedly \(killed by SIGKILL\); restarting it/g) ?? []).length >= 2,
      );
      assert.match(log, /automatic restart 1 of this session/);
      assert.match(log, /automatic restart 2 of this session/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('stops restarting after repeated crashes, says so, and Restart Server brings it back', async () => {
    // A fresh count of crashes (Restart Server resets it); five kills in a row is one more than
    // the four automatic restarts allowed within three minutes (MAX_RESTARTS in extension.ts).
    await vscode.commands.executeCommand('asyncLint.restartServer');
    const editor = await open('src/orders.ts');
    const uri = editor.document.uri;
    await until(
      'unawaited in orders.ts',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 1,
    );
    const restarts = hooks.restarts;
    const notices = hooks.restartNotices;
    let last: number | undefined;
    for (let i = 1; i <= 4; i++) {
      last = await killServer(hooks, last);
      await until(
        `automatic restart ${i}`,
        () => hooks.restarts,
        (n) => n === restarts + i,
      );
    }
    await killServer(hooks, last);
    await until(
      'the server to be given up',
      () => hooks.serverState,
      (s) => s === 'failed',
    );
    assert.equal(hooks.restarts, restarts + 4, 'no fifth restart');
    assert.equal(hooks.failureNotices, 1, 'one notice that it stopped');
    assert.equal(hooks.restartNotices, notices, 'no more restart notices');
    await until('no server process left', serverPids, (p) => p.length === 0);
    assert.match(
      await until(
        'the reason in the output log',
        () => outputLog(hooks),
        (t) => /stopped unexpectedly 5 times/.test(t),
      ),
      /not restarted again/,
    );

    await vscode.commands.executeCommand('asyncLint.restartServer');
    await theServer(hooks);
    await until(
      'findings after Restart Server',
      () => ours(uri, 'unawaited'),
      (d) => d.length === 1,
    );
    assert.equal(hooks.failureNotices, 1);
  });
});
