// Reading files to lint (engine/source-file.ts: the one decoder) and the run both front doors share
// (engine/lint-files.ts): the CLI and Lint Workspace read, decode and lint a file from disk alike,
// whatever its encoding, and the Python module index reads an imported module with the same decoder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { run } from '../server/src/cli/run';
import { decode, encode, readSourceFile } from '../server/src/engine/source-file';
import { Analysis } from '../server/src/lsp/analysis';
import { lintClosedFile, lintWorkspace } from '../server/src/lsp/lintWorkspace';
import { pathToUri, Workspace } from '../server/src/lsp/workspace';
import { DEFAULT_SETTINGS } from '../server/src/protocol';
import { makeWorkspace } from './lspClient';

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const body = Buffer.from(text, 'utf16le');
  body.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), body]);
};
const utf8bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

describe('reading a file to lint', () => {
  it('decodes by its BOM (UTF-8, UTF-16 in either byte order), else UTF-8, else Latin-1, and encodes back', () => {
    const text = 'const café = "☕";\n';
    const cases = [
      ['utf8', Buffer.from(text, 'utf8')],
      ['utf8-bom', utf8bom(text)],
      ['utf16le', utf16le(text)],
      ['utf16be', utf16be(text)],
    ] as const;
    for (const [encoding, bytes] of cases) {
      const decoded = decode(bytes);
      assert.deepEqual(decoded, { text, encoding }, encoding);
      assert.deepEqual(encode(decoded.text, decoded.encoding), bytes, `${encoding} round trip`);
    }
    // Not UTF-8: Latin-1, every byte its own character (0x80, not windows-1252's euro sign).
    const latin1 = Buffer.from([0x23, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x80, 0x0a]);
    assert.deepEqual(decode(latin1), { text: '# caf\u00e9\u0080\n', encoding: 'latin1' });
    assert.deepEqual(encode('# caf\u00e9\u0080\n', 'latin1'), latin1);
    assert.equal(encode('☕', 'latin1'), undefined, 'a character Latin-1 cannot hold');
    // A truncated UTF-16 file: the odd last byte is dropped, not an error.
    assert.equal(decode(utf16be('ab').subarray(0, 5)).text, 'a');
  });

  it('leaves out files too large (unread), binary or not regular, with the reason the CLI prints', () => {
    const dir = makeWorkspace({ 'big.ts': `export const x = '${'x'.repeat(100)}';\n`, 'ok.py': 'x = 1\n' });
    fs.writeFileSync(path.join(dir, 'blob.ts'), Buffer.from([0x61, 0x00, 0x62]));
    // UTF-16 without a BOM reads as UTF-8 with NUL bytes: binary, as git would say.
    fs.writeFileSync(path.join(dir, 'nobom.ts'), Buffer.from('export const x = 1;\n', 'utf16le'));
    fs.mkdirSync(path.join(dir, 'folder.ts'));
    const config = { maxFileSize: 64 };
    const read = (name: string) => readSourceFile(path.join(dir, name), config);
    assert.deepEqual(read('ok.py'), { kind: 'text', text: 'x = 1\n', encoding: 'utf8' });
    assert.deepEqual(read('big.ts'), {
      kind: 'skipped',
      skip: { reason: 'too-large', message: 'skipped: 121 B is over maxFileSize (64 B)' },
    });
    assert.deepEqual(read('blob.ts'), { kind: 'skipped', skip: { reason: 'binary', message: 'skipped: binary file' } });
    assert.equal(read('nobom.ts').kind, 'skipped');
    assert.deepEqual(read('folder.ts'), { kind: 'unreadable', message: 'skipped: not a regular file' });
    assert.deepEqual(read('gone.ts'), { kind: 'unreadable', message: 'skipped: cannot read the file (ENOENT)' });
    if (process.platform !== 'win32' && spawnSync('mkfifo', [path.join(dir, 'pipe.py')]).status === 0) {
      // Opened without blocking, and refused: a plain read would wait for a writer forever.
      assert.deepEqual(read('pipe.py'), { kind: 'unreadable', message: 'skipped: not a regular file' });
    }
  });
});

/** Each file's findings as [rule, line, column, end line, end column, message], 1-based, sorted. */
type Row = [string, number, number, number, number, string];
const sorted = (rows: Row[]) => rows.sort((a, b) => a[1] - b[1] || a[2] - b[2] || (a[0] < b[0] ? -1 : 1));

async function cliRows(dir: string): Promise<Map<string, Row[]>> {
  let out = '';
  const sink = (s: string) => {
    out += s;
    return true;
  };
  const stderr = { write: () => true };
  await run(['-f', 'json', '--include-hints', '.'], { stdout: { write: sink }, stderr, env: {}, cwd: dir });
  const files = JSON.parse(out) as {
    filePath: string;
    messages: {
      ruleId: string | null;
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
      message: string;
    }[];
  }[];
  return new Map(
    files.map((f) => [
      path.relative(dir, f.filePath),
      sorted(f.messages.map((m) => [m.ruleId ?? '', m.line, m.column, m.endLine, m.endColumn, m.message])),
    ]),
  );
}

const diagnosticRows = (diagnostics: readonly Diagnostic[]): Row[] =>
  sorted(
    diagnostics.map(
      (d): Row => [
        String(d.code),
        d.range.start.line + 1,
        d.range.start.character + 1,
        d.range.end.line + 1,
        d.range.end.character + 1,
        typeof d.message === 'string' ? d.message : d.message.value,
      ],
    ),
  );

function serverAnalysis(dir: string): Analysis {
  const workspace = new Workspace();
  workspace.setFolders([{ uri: pathToUri(dir) }]);
  return new Analysis(workspace, { info: () => {}, error: () => {}, configProblem: () => {} }, () => []);
}

async function lintWorkspaceRows(dir: string, analysis: Analysis) {
  const published = new Map<string, Row[]>();
  const result = await lintWorkspace({
    folders: [dir],
    analysis,
    settingsFor: async () => DEFAULT_SETTINGS,
    mayRead: () => true,
    openDocumentFindings: async () => 'not-open',
    publish: (uri, diagnostics) => published.set(path.relative(dir, fileURLToPath(uri)), diagnosticRows(diagnostics)),
    isCancelled: () => false,
  });
  return { published, result };
}

describe('the CLI and Lint Workspace', () => {
  // Characters outside ASCII and outside the BMP (two UTF-16 code units) before each finding.
  const ts =
    "import fs from 'node:fs';\n\nexport async function load() {\n  return ['caf\u00e9 \u{1f642}', fs.readFileSync('x')];\n}\n";
  const py = "# caf\u00e9\nimport time\n\n\nasync def pause():\n    print('\u{1f642}'); time.sleep(1)\n";
  const files: Record<string, Buffer> = {
    'le.ts': utf16le(ts),
    'be.ts': utf16be(ts),
    'le.py': utf16le(py),
    'be.py': utf16be(py),
    'bom.ts': utf8bom(ts),
    'plain.ts': Buffer.from(ts, 'utf8'),
    'latin1.py': Buffer.from(py.replace('\u{1f642}', '\u00e9\u00e9'), 'latin1'),
    'plain.py': Buffer.from(py, 'utf8'),
    // A coroutine function in a UTF-16 module that is not linted, called and dropped from another:
    // the module index reads the module from disk, with the same decoder.
    'jobs.py': utf16le('async def tick():\n    return 1\n'),
    'async-lint.json': Buffer.from('{ "ignorePatterns": ["jobs.py"] }\n'),
    'main.py': Buffer.from('from jobs import tick\n\n\nasync def main():\n    tick()\n    await main()\n', 'utf8'),
  };

  it('lint a UTF-16 file (either byte order), a BOM and Latin-1 alike, as in a UTF-8 file', async function () {
    this.timeout(120_000);
    const dir = makeWorkspace({});
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
    const cli = await cliRows(dir);
    const analysis = serverAnalysis(dir);
    await analysis.ready();
    const { published, result } = await lintWorkspaceRows(dir, analysis);
    const names = Object.keys(files)
      .filter((f) => !['jobs.py', 'async-lint.json'].includes(f))
      .sort();
    assert.deepEqual([...cli.keys()].sort(), names);
    assert.deepEqual([...published.keys()].sort(), names, 'Lint Workspace skipped none as binary');
    for (const name of names) assert.deepEqual(published.get(name), cli.get(name), name);
    assert.deepEqual(result, { files: names.length, findings: 9, filesWithFindings: 9, skipped: 0 });

    // What both found: the same findings in every encoding (a BOM is no column; columns count UTF-16 code units).
    const tsRows = cli.get('plain.ts')!;
    assert.deepEqual(
      tsRows.map((r) => r.slice(0, 5)),
      [['blocking-call', 4, 22, 4, 37]],
    );
    for (const name of ['le.ts', 'be.ts', 'bom.ts']) assert.deepEqual(cli.get(name), tsRows, name);
    const pyRows = cli.get('plain.py')!;
    assert.deepEqual(
      pyRows.map((r) => r.slice(0, 5)),
      [['blocking-call', 6, 18, 6, 31]],
    );
    for (const name of ['le.py', 'be.py', 'latin1.py']) assert.deepEqual(cli.get(name), pyRows, name);
    assert.deepEqual(
      cli.get('main.py')!.map((r) => r.slice(0, 3)),
      [['unawaited', 5, 5]],
      'the UTF-16 module was read: tick() is a coroutine',
    );

    // Changed on disk after Lint Workspace reported on it: read again the same way.
    fs.writeFileSync(path.join(dir, 'be.py'), utf16be(py.replace('time.sleep(1)', 'await pause()')));
    analysis.fileChanged(path.join(dir, 'be.py'));
    const again = lintClosedFile(analysis, path.join(dir, 'be.py'), DEFAULT_SETTINGS);
    assert.deepEqual(
      again?.findings.map((f) => f.ruleId),
      [],
      'no blocking call, and pause now awaits',
    );
  });
});
