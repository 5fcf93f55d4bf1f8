// Fault tests for the language server: the server is spawned over stdio (the bundle built from the
// current sources, as test/lspClient.ts builds it) and fed what editors and file systems really do
// to it: edits for documents it never saw, positions past the end, requests cancelled in bursts,
// configuration broken or deleted mid-session, files deleted under open documents, documents too
// deep, too large or binary, and long streams of random incremental edits. After each, the server
// must still answer, with the findings a fresh analysis of the document's text gives.
// One case needs a rule that throws: no rule does (the fuzzer checks that), so that server is
// started from the sources with one rule's implementation replaced by a throwing one
// (test/fuzz/fault-injection/throwing-rules.ts); everything else in it is the real server. The time
// budget case likewise uses a rule slowed down on purpose (fault-injection/slow-rules.ts).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { ConfigResolver } from '../server/src/engine/config';
import { LineIndex } from '../server/src/engine/text';
import { createLinter } from '../server/src/languages';
import { nest } from './fuzz/mutate';
import { ROOT } from './helpers';
import { buildServer, languageOf, makeWorkspace, uriOf } from './lspClient';

const UNUSED_TS =
  'export async function load(): Promise<number> {\n  return 1;\n}\nexport function callLoad() {\n  void load();\n}\n';
const UNUSED_PY = 'async def load():\n    return 1\n\n\nasync def call_load():\n    return await load()\n';

/** A small LSP client that records everything the server says and answers what it asks. */
class FaultClient {
  readonly conn: ProtocolConnection;
  readonly logs: string[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly status: { uri?: string; state: string; message?: string }[] = [];
  stderr = '';
  exited: number | null | undefined = undefined;
  /** The `asyncLint` settings the client answers with (null: the defaults). */
  settings: unknown = null;
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  private constructor(readonly proc: ChildProcess) {
    proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    proc.on('exit', (code) => (this.exited = code));
    this.conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.conn.onNotification('window/logMessage', (p: { message: string }) => void this.logs.push(p.message));
    this.conn.onNotification(
      'window/showMessage',
      (p: { type: number; message: string }) => void this.messages.push(p),
    );
    this.conn.onNotification(
      'asyncLint/status',
      (p: { uri?: string; state: string; message?: string }) => void this.status.push(p),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', () => undefined);
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      this.messages.push(p);
      return null;
    });
    this.conn.listen();
  }

  /** `args` after the node executable: the built bundle, or tsx and a source entry. */
  static async start(args: string[], folder: string): Promise<FaultClient> {
    const client = new FaultClient(
      spawn(process.execPath, [...args, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT }),
    );
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        diagnostics: { refreshSupport: true },
      },
      textDocument: {
        synchronization: { didSave: true },
        diagnostic: { dynamicRegistration: false },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
      },
    };
    await client.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(folder),
      workspaceFolders: [{ uri: uriOf(folder), name: 'ws' }],
      capabilities,
      initializationOptions: { statusNotifications: true },
    });
    await client.conn.sendNotification('initialized', {});
    return client;
  }

  open(file: string, text: string): string {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: languageOf(file), version: 1, text },
    });
    return uri;
  }

  /** Sends incremental changes; `text` is what the document holds afterwards (kept for checks). */
  change(uri: string, changes: TextDocumentContentChangeEvent[], text?: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    if (text !== undefined) this.texts.set(uri, text);
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  async pull(uri: string): Promise<Diagnostic[]> {
    const r: { items?: Diagnostic[] } = await this.conn.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
    });
    return (r.items ?? []).filter((d) => d.source === 'async-lint');
  }

  watched(file: string, type: 1 | 2 | 3): void {
    void this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(file), type }] });
  }

  async until(what: string, test: () => boolean, timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    while (!test()) {
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(
          `timed out waiting for ${what}; stderr: ${this.stderr.slice(-1500)}; messages: ${JSON.stringify(this.messages)}; logs: ${this.logs.slice(-5).join(' | ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async untilAsync(what: string, test: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const t0 = Date.now();
    while (!(await test())) {
      if (Date.now() - t0 > timeoutMs)
        throw new Error(`timed out waiting for ${what}; logs: ${this.logs.slice(-5).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The server is alive and answers: a pull on a fresh document gives its finding. */
  async assertServing(
    dir: string,
    name = `alive-${Date.now()}-${Math.random().toString(36).slice(2)}.ts`,
  ): Promise<void> {
    const file = path.join(dir, name);
    const uri = this.open(file, UNUSED_TS);
    const found = await this.pull(uri);
    assert.deepEqual(
      found.map((d) => d.code),
      ['unused-async'],
      `the server stopped serving; stderr: ${this.stderr.slice(-1500)}`,
    );
    assert.equal(this.exited, undefined, 'the server exited');
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      await Promise.race([
        this.conn.sendRequest('shutdown').catch(() => undefined),
        new Promise((r) => setTimeout(r, 3000)),
      ]);
      void this.conn.sendNotification('exit');
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      if (this.exited === undefined) this.proc.kill();
    }
    this.conn.dispose();
  }
}

/** What a fresh in-process analysis finds in a text: rule and 0-based start line/character. */
const fresh = createLinter();
async function expected(file: string, text: string): Promise<string[]> {
  await fresh.ready();
  const config = new ConfigResolver({ readFile: () => undefined }).forFile(file);
  return fresh
    .lint(file, text, config)
    .findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}`)
    .sort();
}
const shown = (ds: Diagnostic[]) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();

describe('language server faults (spawned over stdio)', function () {
  this.timeout(180_000);
  let serverJs: string;
  const clients: FaultClient[] = [];
  const start = async (folder: string, args?: string[]) => {
    const c = await FaultClient.start(args ?? [serverJs], folder);
    clients.push(c);
    return c;
  };
  before(async () => {
    serverJs = await buildServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });

  it('edits, closes, pulls and code actions for documents it never opened are ignored', async () => {
    const ws = makeWorkspace({});
    const client = await start(ws);
    const ghost = uriOf(path.join(ws, 'never-opened.ts'));
    client.change(ghost, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
    client.change(ghost, [{ text: 'whole text' }]);
    void client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: ghost } });
    void client.conn.sendNotification('textDocument/didSave', { textDocument: { uri: ghost } });
    assert.deepEqual(await client.pull(ghost), []);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
    assert.deepEqual(
      await client.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri: ghost },
        range,
        context: { diagnostics: [] },
      }),
      [],
    );
    // Schemes the server cannot read, and a URI that is no URI.
    assert.deepEqual(await client.pull('untitled:Untitled-9'), []);
    assert.deepEqual(await client.pull('not a uri at all'), []);
    await client.assertServing(ws);
  });

  it('positions past the end, reversed ranges and bogus diagnostics in requests are survived', async () => {
    const ws = makeWorkspace({});
    const client = await start(ws);
    const file = path.join(ws, 'a.ts');
    const uri = client.open(file, UNUSED_TS);
    const far = { line: 1_000_000, character: 1_000_000_000 };
    client.change(uri, [{ range: { start: far, end: far }, text: '\n// appended past the end\n' }]);
    client.change(uri, [{ range: { start: { line: 2, character: 5 }, end: { line: 1, character: 0 } }, text: '' }]);
    client.change(uri, [{ range: { start: { line: 0, character: 999 }, end: { line: 0, character: 999 } }, text: '' }]);
    const diagnostics = await client.pull(uri);
    assert.ok(Array.isArray(diagnostics));
    const bogus: Diagnostic = {
      range: { start: far, end: { line: -1, character: -5 } },
      message: 'not ours',
      source: 'async-lint',
      code: 'unawaited',
      data: { nonsense: true },
    };
    const actions = await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: far, end: far },
      context: { diagnostics: [bogus, ...diagnostics], only: ['quickfix', 'source.fixAll.asyncLint'] },
    });
    assert.ok(Array.isArray(actions));
    await client.assertServing(ws);
  });

  it('a burst of cancelled pulls and code actions between edits leaves the right findings', async () => {
    const ws = makeWorkspace({});
    const client = await start(ws);
    const file = path.join(ws, 'a.ts');
    let text = UNUSED_TS;
    const uri = client.open(file, text);
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      const edit = `// edit ${i}\n`;
      client.change(
        uri,
        [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: edit }],
        (text = edit + text),
      );
      // vscode-jsonrpc's CancellationTokenSource: a request whose token is cancelled right away.
      const source = new (await import('vscode-languageserver-protocol')).CancellationTokenSource();
      const req = client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
      source.cancel();
      pending.push(req.catch((e: { code?: number }) => e.code));
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const source2 = new (await import('vscode-languageserver-protocol')).CancellationTokenSource();
      pending.push(
        client.conn
          .sendRequest(
            'textDocument/codeAction',
            { textDocument: { uri }, range, context: { diagnostics: [] } },
            source2.token,
          )
          .catch((e: { code?: number }) => e.code),
      );
      source2.cancel();
    }
    const answers = await Promise.all(pending);
    // Each answer is a result or RequestCancelled (-32800); none is an internal error.
    for (const a of answers) assert.ok(typeof a !== 'number' || a === -32800, `answered ${a}`);
    assert.deepEqual(shown(await client.pull(uri)), await expected(file, text));
  });

  it('configuration broken, turned into a folder, and deleted mid-session: the server keeps serving', async () => {
    const ws = makeWorkspace({ 'async-lint.json': JSON.stringify({ rules: { 'unused-async': 'error' } }) });
    const client = await start(ws);
    const configFile = path.join(ws, 'async-lint.json');
    const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
    assert.equal((await client.pull(uri))[0]?.severity, 1, 'async-lint.json says error');

    fs.writeFileSync(configFile, '{ "rules": ');
    client.watched(configFile, 2);
    await client.pull(uri);
    await client.until('the broken configuration to be reported', () =>
      client.messages.some((m) => m.type === 1 && /async-lint\.json/.test(m.message)),
    );
    assert.equal((await client.pull(uri))[0]?.severity, 1, 'the last good configuration still applies');

    fs.rmSync(configFile);
    fs.mkdirSync(configFile);
    client.watched(configFile, 2);
    assert.equal((await client.pull(uri)).length, 1, 'a folder where the configuration was: still serving');

    fs.rmSync(configFile, { recursive: true });
    client.watched(configFile, 3);
    const after = await client.pull(uri);
    assert.deepEqual(
      after.map((d) => [d.code, d.severity]),
      [['unused-async', 4]],
      'defaults: unused-async is a hint',
    );
    await client.assertServing(ws);
  });

  it('a named pipe where the configuration should be does not block the server', async function () {
    if (process.platform === 'win32') this.skip();
    const ws = makeWorkspace({});
    execFileSync('mkfifo', [path.join(ws, 'async-lint.json')]);
    execFileSync('mkfifo', [path.join(ws, 'package.json')]);
    const client = await start(ws);
    const uri = client.open(path.join(ws, 'a.ts'), UNUSED_TS);
    assert.deepEqual(
      (await client.pull(uri)).map((d) => [d.code, d.severity]),
      [['unused-async', 4]],
      'defaults apply',
    );
    await client.assertServing(ws);
  });

  it('an ignorePatterns glob built to make a regular expression backtrack for minutes does not stall the server', async () => {
    const ws = makeWorkspace({ 'async-lint.json': JSON.stringify({ ignorePatterns: ['*a'.repeat(25) + '*b'] }) });
    const client = await start(ws);
    const uri = client.open(path.join(ws, `${'a'.repeat(60)}.ts`), UNUSED_TS);
    assert.deepEqual(
      (await client.pull(uri)).map((d) => d.code),
      ['unused-async'],
    );
    await client.assertServing(ws);
  });

  it('a file deleted on disk under an open document, and an imported module deleted, are survived', async () => {
    const ws = makeWorkspace({
      'lib.ts': 'export async function fetchIt(): Promise<number> {\n  return await Promise.resolve(1);\n}\n',
      'main.ts': "import { fetchIt } from './lib';\nexport function go() {\n  fetchIt();\n}\n",
      'helper.py': 'async def work():\n    return 1\n',
      'app.py': 'from helper import work\n\n\ndef go():\n    work()\n',
    });
    const client = await start(ws);
    const mainUri = client.open(path.join(ws, 'main.ts'), fs.readFileSync(path.join(ws, 'main.ts'), 'utf8'));
    const appUri = client.open(path.join(ws, 'app.py'), fs.readFileSync(path.join(ws, 'app.py'), 'utf8'));
    assert.deepEqual(
      (await client.pull(mainUri)).map((d) => d.code),
      ['unawaited'],
      'the imported promise is dropped',
    );
    assert.deepEqual(
      (await client.pull(appUri)).map((d) => d.code),
      ['unawaited'],
      'the imported coroutine is dropped',
    );

    for (const name of ['lib.ts', 'helper.py', 'main.ts', 'app.py']) {
      fs.rmSync(path.join(ws, name));
      client.watched(path.join(ws, name), 3);
    }
    // The imports no longer resolve: nothing to stand behind, so no finding; but an answer.
    assert.deepEqual(await client.pull(mainUri), []);
    assert.deepEqual(await client.pull(appUri), []);
    void client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: mainUri } });
    void client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: appUri } });
    await client.assertServing(ws);
  });

  it('documents nested 10,000 deep, over maxFileSize, or binary get a message, not diagnostics, and nothing else breaks', async () => {
    const ws = makeWorkspace({});
    const client = await start(ws);
    const cases: [string, string, RegExp][] = [
      ['deep.ts', nest('typescript', 'parens', 10_000) + UNUSED_TS, /nested too deeply/],
      // (its own names: the nest calls `load()` without awaiting it)
      ['deep.py', nest('python', 'lists', 10_000) + UNUSED_PY.replace(/load/g, 'deep_load'), /.^/], // tree-sitter takes it: analysed
      ['large.ts', UNUSED_TS + `const big = "${'x'.repeat(3 * 1024 * 1024)}";\n`, /over maxFileSize/],
      ['binary.py', UNUSED_PY.replace(/load/g, 'binary_load') + '\u0000\u0001\u0002', /binary/],
    ];
    for (const [name, text, message] of cases) {
      const uri = client.open(path.join(ws, name), text);
      const diagnostics = await client.pull(uri);
      if (name === 'deep.py') {
        assert.deepEqual(
          diagnostics.map((d) => d.code),
          ['unused-async'],
          name,
        );
        continue;
      }
      assert.deepEqual(diagnostics, [], name);
      await client.until(`a status message for ${name}`, () =>
        client.status.some((s) => s.uri === uri && message.test(s.message ?? '')),
      );
    }
    await client.assertServing(ws);
  });

  it('a long stream of random incremental edits ends with the findings of a fresh analysis of the final text', async () => {
    const ws = makeWorkspace({});
    const client = await start(ws);
    const seeds: [string, string][] = [
      [
        'stream.ts',
        "import fs from 'node:fs';\nexport async function f(p: string) {\n  fs.readFileSync(p);\n  const a = await g(1);\n  const b = await g(2);\n  return a + b;\n}\nasync function g(n: number) {\n  return n;\n}\n",
      ],
      [
        'stream.py',
        'import time\nimport asyncio\n\n\nasync def f():\n    time.sleep(1)\n    a = await g(1)\n    b = await g(2)\n    return a + b\n\n\nasync def g(n):\n    await asyncio.sleep(0)\n    return n\n',
      ],
    ];
    // Replacements that matter: surrogate pairs split across edits, CRLF, brackets, keywords.
    const piece = fc.constantFrom(
      '',
      'await ',
      'async ',
      '(',
      ')',
      '{',
      '}',
      '\n',
      '\r\n',
      '    ',
      '💥',
      '\ud83d',
      '\ude00',
      'é',
      '"',
      "'",
      '#',
      '//',
      'time.sleep(1)\n',
      'g(3);\n',
    );
    for (const [name, seed] of seeds) {
      const file = path.join(ws, name);
      let text = seed;
      const uri = client.open(file, text);
      const edits = fc.sample(fc.tuple(fc.nat(), fc.nat({ max: 6 }), piece, fc.boolean()), { numRuns: 300, seed: 42 });
      for (const [at, length, insert, pullNow] of edits) {
        const start = at % (text.length + 1);
        const end = Math.min(text.length, start + length);
        const lines = new LineIndex(text);
        client.change(
          uri,
          [{ range: { start: lines.positionAt(start), end: lines.positionAt(end) }, text: insert }],
          (text = text.slice(0, start) + insert + text.slice(end)),
        );
        if (pullNow && at % 7 === 0) await client.pull(uri);
      }
      assert.deepEqual(shown(await client.pull(uri)), await expected(file, text), `${name} after 300 edits`);
    }
    await client.assertServing(ws);
  });

  it('a rule that throws is logged once with its rule id and the file; the other rules still report', async () => {
    const ws = makeWorkspace({});
    const entry = path.join(ROOT, 'test', 'fuzz', 'fault-injection', 'throwing-rules.ts');
    const client = await start(ws, ['--import', 'tsx', entry]);
    const tsFile = path.join(ws, 'a.ts');
    const pyFile = path.join(ws, 'a.py');
    const tsText =
      'declare function io(): Promise<void>;\nasync function g() {\n  await io();\n}\nexport function f() {\n  g();\n}\n';
    const pyText = 'import asyncio\n\n\nasync def g():\n    await asyncio.sleep(0)\n\n\ndef f():\n    g()\n';
    const tsUri = client.open(tsFile, tsText);
    const pyUri = client.open(pyFile, pyText);
    for (let i = 0; i < 3; i++) {
      // unused-async throws (see throwing-rules.ts); unawaited still reports, every time.
      assert.deepEqual(
        (await client.pull(tsUri)).map((d) => d.code),
        ['unawaited'],
      );
      assert.deepEqual(
        (await client.pull(pyUri)).map((d) => d.code),
        ['unawaited'],
      );
      client.change(tsUri, [
        { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: `// ${i}\n` },
      ]);
      client.change(pyUri, [
        { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: `# ${i}\n` },
      ]);
    }
    const failures = (file: string) => client.logs.filter((l) => l.includes('unused-async') && l.includes(file));
    await client.until('the failures to be logged', () => failures(tsFile).length > 0 && failures(pyFile).length > 0);
    assert.equal(failures(tsFile).length, 1, `logged once for ${tsFile}:\n${failures(tsFile).join('\n')}`);
    assert.equal(failures(pyFile).length, 1, `logged once for ${pyFile}:\n${failures(pyFile).join('\n')}`);
    assert.match(failures(tsFile)[0], /injected fault/);
    assert.equal(client.exited, undefined);
  });
  it('a file whose rules outlast the time budget gets a message, not diagnostics; other files and later budgets are served', async () => {
    const ws = makeWorkspace({});
    const entry = path.join(ROOT, 'test', 'fuzz', 'fault-injection', 'slow-rules.ts');
    const client = await start(ws, ['--import', 'tsx', entry]);
    // unused-async spins 5 ms per identifier (slow-rules.ts): 400 identifiers take 2 s, over a
    // budget of 300 ms; UNUSED_TS has three and stays well within it.
    client.settings = { timeBudget: 300 };
    const many = (lang: 'ts' | 'py') =>
      Array.from({ length: 200 }, (_, i) =>
        lang === 'ts' ? `export const v${i} = v${i}b;\n` : `v${i} = v${i}b\n`,
      ).join('');
    const slowTs = client.open(path.join(ws, 'slow.ts'), UNUSED_TS + many('ts'));
    const slowPy = client.open(path.join(ws, 'slow.py'), UNUSED_PY + many('py'));
    for (const uri of [slowTs, slowPy]) {
      assert.deepEqual(await client.pull(uri), [], uri);
      await client.until(`a time budget message for ${uri}`, () =>
        client.status.some((s) => s.uri === uri && /time budget of 300 ms/.test(s.message ?? '')),
      );
    }
    const logged = client.logs.filter((l) => /time budget/.test(l));
    assert.ok(
      logged.some((l) => l.includes('slow.ts')) && logged.some((l) => l.includes('slow.py')),
      `logged: ${logged.join(' | ')}`,
    );
    await client.assertServing(ws);
    // A larger budget: the same files are analysed in full.
    client.settings = { timeBudget: 60_000 };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    for (const uri of [slowTs, slowPy]) {
      let codes: unknown[] = [];
      await client.untilAsync(`findings for ${uri} under a larger budget`, async () => {
        codes = (await client.pull(uri)).map((d) => d.code);
        return codes.length > 0;
      });
      assert.deepEqual(codes, ['unused-async'], uri);
    }
  });

  it("a Python file that exhausts the parser's memory is skipped with a message; the parser is reloaded and serves the next files", async () => {
    // 5 million unclosed calls: tree-sitter's error recovery needs more than its 2 GB for them.
    const ws = makeWorkspace({ 'async-lint.json': JSON.stringify({ maxFileSize: 16 * 1024 * 1024 }) });
    const client = await start(ws);
    const before = client.open(path.join(ws, 'before.py'), UNUSED_PY);
    assert.deepEqual(
      (await client.pull(before)).map((d) => d.code),
      ['unused-async'],
    );
    const huge = client.open(path.join(ws, 'huge.py'), 'x = ' + 'f('.repeat(5_000_000) + '\n');
    assert.deepEqual(await client.pull(huge), []);
    await client.until('an out-of-memory message', () =>
      client.status.some((s) => s.uri === huge && /ran out of memory/.test(s.message ?? '')),
    );
    // Names of its own: a name defined in two open documents is not reported (either may be awaited).
    const after = client.open(
      path.join(ws, 'after.py'),
      UNUSED_PY.replace(/load/g, 'later') +
        '\n\nasync def more():\n    return 2\n\n\nasync def call_more():\n    return await more()\n',
    );
    assert.deepEqual(
      (await client.pull(after)).map((d) => d.code),
      ['unused-async', 'unused-async'],
    );
    // The open document analysed before the crash is analysed again by the new parser after an edit.
    client.change(before, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '# edited\n' },
    ]);
    assert.deepEqual(
      (await client.pull(before)).map((d) => d.code),
      ['unused-async'],
    );
    await client.assertServing(ws);
  });
  it('Lint Workspace over pipes, devices, symlink loops, dangling links and unreadable files finishes and lints the rest', async function () {
    if (process.platform === 'win32') this.skip();
    const ws = makeWorkspace({ 'ok.ts': UNUSED_TS, 'sub/ok.py': UNUSED_PY });
    execFileSync('mkfifo', [path.join(ws, 'pipe.ts')]);
    execFileSync('mkfifo', [path.join(ws, 'pipe.py')]);
    fs.symlinkSync('/dev/zero', path.join(ws, 'zero.ts'));
    fs.symlinkSync('/dev/urandom', path.join(ws, 'random.py'));
    fs.symlinkSync('missing.ts', path.join(ws, 'dangling.ts'));
    fs.symlinkSync('..', path.join(ws, 'sub', 'loop'));
    if (fs.existsSync('/proc/self/mem')) fs.symlinkSync('/proc/self/mem', path.join(ws, 'mem.ts')); // EIO on read
    const client = await start(ws);
    const result: { files: number; findings: number; filesWithFindings: number } = await client.conn.sendRequest(
      'asyncLint/lintWorkspace',
      {},
    );
    // ok.ts and sub/ok.py, each with its unused-async finding; nothing else counts as linted.
    assert.deepEqual([result.files, result.findings, result.filesWithFindings], [2, 2, 2], JSON.stringify(result));
    await client.assertServing(ws);
  });
});
