// The CLI conveniences a team adopting async-lint on an existing codebase reaches for (issue 14):
// the concise and github formats, stylish wrapped to the terminal, hints left out unless asked
// for, --stdin, -o, --fix-dry-run, --diff, --statistics, --exit-zero, ESLint's severities,
// `async-lint rule ID`, and problems of suppression directives. Mostly run() in process (fast);
// `rule` and --stdin also through the built bundle, as users run them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv-draft-04';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unifiedDiff } from '../server/src/cli/diff';
import { Progress, run } from '../server/src/cli/run';
import { RULE_IDS } from '../server/src/engine/rules';
import { escapeData, escapeProperty } from '../server/src/formatters/github';
import { captureStream, ROOT } from './helpers';

const FIXTURES = path.join(ROOT, 'test', 'cli-fixtures');

async function lint(args: string[], cwd: string, options: { columns?: number; stdin?: string } = {}) {
  const stdout = captureStream(options.columns);
  const stderr = captureStream();
  const io = {
    stdout,
    stderr,
    env: {},
    cwd,
    ...(options.stdin !== undefined ? { readStdin: async () => options.stdin! } : {}),
  };
  const code = await run(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('CLI adoption conveniences', function () {
  this.timeout(120_000);
  let tmp: string;
  const copy = (name: string, as: string) => {
    const dest = path.join(tmp, as);
    fs.cpSync(path.join(FIXTURES, name), dest, { recursive: true });
    return dest;
  };
  let basic: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-adopt-'));
    basic = copy('basic', 'basic');
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('formats', () => {
    it('concise: path:line:col: severity rule message, one line per finding, in file order', async () => {
      const r = await lint(['-f', 'concise', '--include-hints'], basic);
      assert.equal(r.code, 0);
      assert.deepEqual(r.stdout.split('\n'), [
        "lib/jobs.py:4:1: hint unused-async 'async def ping' never awaits: calling it only creates a coroutine that returns the result. Make it a plain 'def' (and drop 'await' at its call sites) unless an interface requires a coroutine function.",
        "src/report.js:2:8: hint unused-async Async function 'summary' has no 'await'; 'async' only wraps its result in a promise.",
        "src/users.ts:9:8: hint unused-async Async function 'cachedUser' has no 'await'; 'async' only wraps its result in a promise.",
        "src/users.ts:19:22: hint unused-async Async function 'clear' has no 'await'; 'async' only wraps its result in a promise.",
        '',
      ]);
      assert.equal((await lint(['-f', 'concise'], basic)).stdout, '', 'no findings: no output');
    });

    it('github: workflow commands with file, positions and title; info and hint are notices', async () => {
      const r = await lint(['-f', 'github', '--rule', 'unused-async=2', 'src/users.ts'], basic);
      assert.equal(r.code, 1);
      assert.deepEqual(r.stdout.split('\n'), [
        "::error file=src/users.ts,line=9,col=8,endLine=9,endColumn=13,title=async-lint unused-async::Async function 'cachedUser' has no 'await'; 'async' only wraps its result in a promise.",
        "::error file=src/users.ts,line=19,col=22,endLine=19,endColumn=27,title=async-lint unused-async::Async function 'clear' has no 'await'; 'async' only wraps its result in a promise.",
        '',
      ]);
      const notice = await lint(['-f', 'github', '--include-hints', 'src/report.js'], basic);
      assert.match(notice.stdout, /^::notice file=src\/report\.js,line=2,col=8,/);
    });

    it("github escapes as the runner unescapes: %, CR, LF in data; also ':' and ',' in properties", () => {
      assert.equal(escapeData('100% sure\r\nnext: a, b'), '100%25 sure%0D%0Anext: a, b');
      assert.equal(escapeProperty('dir,with:odd%name\n'), 'dir%2Cwith%3Aodd%25name%0A');
    });

    it('stylish wraps message and rule id to the terminal width, continued under the message; 0 columns means 80', async () => {
      for (const columns of [50, 0]) {
        const r = await lint(['--include-hints'], basic, { columns });
        const width = columns || 80;
        const lines = r.stdout.split('\n');
        assert.ok(
          lines.every((l) => l.length <= width),
          `${columns}:\n${r.stdout}`,
        );
        const at = lines.indexOf('lib/jobs.py');
        assert.match(lines[at + 1], /^ {2}4:1 {2}hint {2}'async def ping' never awaits:/);
        // Continuation lines start under the message (2 + 3 + 2 + 4 + 2 = 13 columns in).
        assert.match(lines[at + 2], /^ {13}\S/);
        const ruleLine = lines.slice(at + 1).findIndex((l) => l.endsWith('unused-async'));
        assert.ok(ruleLine >= 1, 'the rule id ends the wrapped message');
      }
    });

    it('the progress line is cut to the width by characters, never inside one, and 0 columns means 80', () => {
      const stream = captureStream(0, true);
      const progress = new Progress(stream, 400, '/work', true);
      const file = `/work/${'d'.repeat(55)}/\u{1F600}\u{1F600}\u{1F600}.py`;
      progress.update(1, file);
      const shown = stream.text.replace('\r\u001b[K', '');
      assert.equal(Array.from(shown).length, 79, shown);
      assert.ok(!/[\uD800-\uDBFF]$/.test(shown), 'no lone half of a surrogate pair');
    });
  });

  describe('severities', () => {
    it('hints are left out of every format unless --include-hints; info is ESLint severity 1', async () => {
      for (const format of ['stylish', 'concise', 'github', 'sarif']) {
        const r = await lint(['-f', format], basic);
        assert.ok(!r.stdout.includes('unused-async') || format === 'sarif', `${format}: ${r.stdout}`);
        if (format === 'sarif') assert.deepEqual(JSON.parse(r.stdout).runs[0].results, []);
      }
      const json = JSON.parse((await lint(['-f', 'json', '--rule', 'unused-async=info'], basic)).stdout) as {
        messages: { severity: number; level: string }[];
      }[];
      const messages = json.flatMap((f) => f.messages);
      assert.equal(messages.length, 4);
      assert.ok(messages.every((m) => m.severity === 1 && m.level === 'info'));
    });

    it("--rule takes ESLint's warn and 0/1/2", async () => {
      const levels = async (sev: string) => {
        const r = await lint(['-f', 'json', '--rule', `unused-async=${sev}`], basic);
        return [
          ...new Set(
            (JSON.parse(r.stdout) as { messages: { level: string }[] }[]).flatMap((f) =>
              f.messages.map((m) => m.level),
            ),
          ),
        ];
      };
      assert.deepEqual(await levels('warn'), ['warning']);
      assert.deepEqual(await levels('1'), ['warning']);
      assert.deepEqual(await levels('2'), ['error']);
      assert.deepEqual(await levels('0'), []);
      await assert.rejects(lint(['--rule', 'unused-async=3'], basic), /invalid severity '3'/);
    });

    it('--exit-zero exits 0 with findings; usage errors still exit 2', async () => {
      assert.equal((await lint(['--rule', 'unused-async=error'], basic)).code, 1);
      assert.equal((await lint(['--rule', 'unused-async=error', '--exit-zero'], basic)).code, 0);
      await assert.rejects(lint(['--exit-zero', '--format', 'xml'], basic), /unknown format/);
    });
  });

  describe('input and output', () => {
    it('--stdin --stdin-filename lints the text as that file: its language, its configuration', async () => {
      const dir = copy('basic', 'stdin');
      fs.writeFileSync(path.join(dir, 'async-lint.json'), JSON.stringify({ rules: { unawaited: 'error' } }));
      const text = 'export async function f(s: { save(): Promise<void> }) {\n  s.save();\n}\n';
      const r = await lint(['-f', 'json', '--stdin', '--stdin-filename', 'src/piped.ts'], dir, { stdin: text });
      assert.equal(r.code, 1);
      const [file] = JSON.parse(r.stdout) as {
        filePath: string;
        messages: { ruleId: string; level: string; line: number }[];
      }[];
      assert.equal(file.filePath, path.join(dir, 'src', 'piped.ts'));
      assert.deepEqual(
        file.messages.map((m) => [m.ruleId, m.level, m.line]),
        [['unawaited', 'error', 2]],
      );
      assert.ok(!fs.existsSync(path.join(dir, 'src', 'piped.ts')));
      await assert.rejects(lint(['--stdin'], dir, { stdin: text }), /--stdin needs --stdin-filename/);
      await assert.rejects(
        lint(['--stdin', '--stdin-filename', 'notes.md'], dir, { stdin: text }),
        /not a file async-lint lints/,
      );
    });

    it('--stdin --fix prints the fixed text to stdout and the report to stderr; writes nothing', async () => {
      const text = 'import asyncio\n\nasync def main():\n    asyncio.sleep(1)\n';
      const r = await lint(['--stdin', '--stdin-filename', 'job.py', '--fix', '--unsafe-fixes'], tmp, { stdin: text });
      assert.equal(r.stdout, 'import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n');
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!fs.existsSync(path.join(tmp, 'job.py')));
      const unfixed = await lint(['--stdin', '--stdin-filename', 'job.py', '--fix'], tmp, { stdin: text });
      assert.equal(unfixed.stdout, text, 'no safe fix: the text comes back as it was');
      assert.match(unfixed.stderr, /4:5 +warning +/);
      assert.equal(unfixed.code, 1);
      const skipped = await lint(['--stdin', '--stdin-filename', 'blob.py', '--fix'], tmp, { stdin: 'a\u0000b' });
      assert.equal(skipped.stdout, 'a\u0000b', 'a text that is not analysed comes back as it was');
      assert.match(skipped.stderr, /skipped: binary file/);
    });

    it('-o/--output-file writes the report to a file (creating its folder), not to stdout', async () => {
      const out = path.join(tmp, 'reports', 'nested', 'lint.json');
      const r = await lint(['-f', 'json', '--rule', 'unused-async=warn', '-o', out], basic);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      const files = JSON.parse(fs.readFileSync(out, 'utf8')) as { messages: unknown[] }[];
      assert.equal(files.flatMap((f) => f.messages).length, 4);
      await lint(['--output-file', path.join(tmp, 'reports', 'lint.txt'), '--include-hints'], basic, { columns: 200 });
      assert.match(fs.readFileSync(path.join(tmp, 'reports', 'lint.txt'), 'utf8'), /4 problems/);
    });

    it('--fix-dry-run reports what --fix would leave, with the fixed text as json output, and writes nothing', async () => {
      const dir = copy('fix', 'dry-run');
      const orders = path.join(dir, 'src', 'orders.ts');
      const before = fs.readFileSync(orders, 'utf8');
      const r = await lint(['-f', 'json', '--fix-dry-run', '--unsafe-fixes', '--rule', 'sequential-await=off'], dir);
      assert.equal(r.code, 0, r.stdout);
      assert.equal(fs.readFileSync(orders, 'utf8'), before);
      const files = JSON.parse(r.stdout) as { filePath: string; output?: string; messages: unknown[] }[];
      const o = files.find((f) => f.filePath === orders)!;
      assert.equal(o.output, fs.readFileSync(path.join(FIXTURES, 'fix-expected', 'orders.ts'), 'utf8'));
      assert.deepEqual(o.messages, []);
      assert.equal(
        files.find((f) => f.filePath.endsWith('plain.js'))!.output,
        undefined,
        'no output for a file without changes',
      );
      assert.equal(r.stderr, '');
    });

    it('--diff prints a unified diff that applies, writes nothing, exits 1 on a change and 0 without', async () => {
      const dir = copy('fix', 'diff');
      const orders = path.join(dir, 'src', 'orders.ts');
      const before = fs.readFileSync(orders, 'utf8');
      const r = await lint(['--diff', '--unsafe-fixes', '--rule', 'sequential-await=off', 'src/orders.ts'], dir);
      assert.equal(r.code, 1);
      assert.equal(fs.readFileSync(orders, 'utf8'), before);
      assert.match(r.stdout, /^--- a\/src\/orders\.ts\n\+\+\+ b\/src\/orders\.ts\n@@ -10,8 \+10,8 @@\n/);
      assert.match(
        r.stdout,
        /^- {2}store\.save\(order\);\n- {2}store\.audit\(`placed \$\{order\.id\}`\);\n\+ {2}await store\.save\(order\);$/m,
      );
      const patch = spawnSync('patch', ['-p1'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
      assert.equal(patch.status, 0, patch.stderr);
      assert.equal(
        fs.readFileSync(orders, 'utf8'),
        fs.readFileSync(path.join(FIXTURES, 'fix-expected', 'orders.ts'), 'utf8'),
      );
      const none = await lint(['--diff', 'src/plain.js'], dir);
      assert.deepEqual([none.code, none.stdout], [0, '']);
    });

    it('unified diffs of random edits apply with patch', () => {
      let seed = 7;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let t = 0; t < 40; t++) {
        const a =
          Array.from({ length: Math.floor(rand() * 40) }, () => `l${Math.floor(rand() * 4)}`).join('\n') +
          (rand() < 0.5 ? '\n' : '');
        const b = a
          .split('\n')
          .filter(() => rand() > 0.1)
          .map((l) => (rand() < 0.15 ? `x${l}` : l))
          .join('\n');
        const dir = path.join(tmp, `patch${t}`);
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'f.txt'), a);
        const diff = unifiedDiff(a, b, 'f.txt');
        if (a === b) {
          assert.equal(diff, '');
          continue;
        }
        const p = spawnSync('patch', ['-p1'], { cwd: dir, input: diff, encoding: 'utf8' });
        assert.equal(p.status, 0, `${JSON.stringify(a)} -> ${JSON.stringify(b)}\n${diff}\n${p.stdout}${p.stderr}`);
        assert.equal(fs.readFileSync(path.join(dir, 'f.txt'), 'utf8'), b);
      }
    });

    it('--statistics counts findings per rule, most first, with [*] for safe fixes; json like Ruff', async () => {
      const dir = copy('fix', 'statistics');
      const r = await lint(['--statistics', '--include-hints'], dir);
      assert.equal(r.code, 1);
      assert.deepEqual(r.stdout.split('\n'), [
        '3  unawaited             A promise or coroutine is created and dropped: never awaited, returned, stored or handled.',
        '1  sequential-await      Consecutive independent awaits run one after another; they could run concurrently.',
        '',
      ]);
      const json = await lint(['--statistics', '-f', 'json'], dir);
      assert.deepEqual(JSON.parse(json.stdout), [
        { code: 'unawaited', name: 'unawaited', count: 3, fixable: false },
        { code: 'sequential-await', name: 'sequential-await', count: 1, fixable: false },
      ]);
    });
  });

  describe('suppression directives', () => {
    const source = [
      'export async function f(s: { save(): Promise<void> }) {',
      '  // async-lint-disable-next-line unawaitd',
      '  s.save();',
      '  // async-lint-disable-next-line unawaited',
      '  s.save();',
      '  // async-lint-disable-next-line unawaited -- nothing below to suppress',
      '  const x = 1;',
      '  // eslint-disable-next-line @typescript-eslint/no-floating-promises',
      '  await s.save();',
      '  return x; // async-lint-disable-line blocking-call',
      '}',
      '',
    ].join('\n');
    let dir: string;
    before(() => {
      dir = path.join(tmp, 'directives');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'a.ts'), source);
    });

    it('an unknown rule id in a directive is a warning naming the nearest rule, without a flag', async () => {
      const r = await lint(['-f', 'concise'], dir);
      assert.equal(r.code, 1);
      assert.deepEqual(r.stdout.split('\n'), [
        "a.ts:2:6: warning unknown rule 'unawaitd' in directive; did you mean 'unawaited'?",
        "a.ts:3:3: warning unawaited The promise of 's.save()' is dropped: it is not awaited, returned, stored or given a rejection handler.",
        '',
      ]);
      const far = path.join(tmp, 'directive-far');
      fs.mkdirSync(far);
      fs.writeFileSync(path.join(far, 'b.py'), 'x = 1  # async-lint-disable-line frobnicate\n');
      const json = JSON.parse((await lint(['-f', 'json'], far)).stdout) as {
        warningCount: number;
        messages: object[];
      }[];
      assert.deepEqual(json[0].messages, [
        {
          ruleId: null,
          severity: 1,
          message: `unknown rule 'frobnicate' in directive; valid rules: ${RULE_IDS.join(', ')}`,
          line: 1,
          column: 10,
          endLine: 1,
          endColumn: 44,
        },
      ]);
      assert.equal(json[0].warningCount, 1);
    });

    it('--report-unused-disable-directives reports async-lint directives that suppressed nothing, on their line', async () => {
      const r = await lint(['-f', 'concise', '--report-unused-disable-directives'], dir);
      assert.deepEqual(r.stdout.split('\n'), [
        "a.ts:2:6: warning unknown rule 'unawaitd' in directive; did you mean 'unawaited'?",
        "a.ts:3:3: warning unawaited The promise of 's.save()' is dropped: it is not awaited, returned, stored or given a rejection handler.",
        "a.ts:6:6: warning unused async-lint-disable-next-line directive (no problems were reported from 'unawaited')",
        "a.ts:10:16: warning unused async-lint-disable-line directive (no problems were reported from 'blocking-call')",
        '',
      ]);
      const sarif = JSON.parse((await lint(['-f', 'sarif', '--report-unused-disable-directives'], dir)).stdout) as {
        runs: { invocations: { toolExecutionNotifications: unknown[] }[] }[];
      };
      const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
      ajv.addFormat('uri', (x: string) => URL.canParse(x));
      ajv.addFormat('uri-reference', (x: string) => URL.canParse(x, 'file:///base/'));
      ajv.addFormat('date-time', (x: string) => !Number.isNaN(Date.parse(x)));
      const validate = ajv.compile(sarifSchema);
      assert.ok(validate(sarif as unknown), JSON.stringify(validate.errors, null, 2));
      const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as {
        level: string;
        locations: { physicalLocation: { region: { startLine: number } } }[];
      }[];
      assert.deepEqual(
        notes.map((n) => [n.level, n.locations[0].physicalLocation.region.startLine]),
        [
          ['warning', 2],
          ['warning', 6],
          ['warning', 10],
        ],
      );
      const stylish = await lint(['--report-unused-disable-directives'], dir);
      assert.match(stylish.stdout, /^ +6:6 {2}warning {2}unused async-lint-disable-next-line directive/m);
      assert.match(stylish.stdout, /4 problems \(0 errors, 4 warnings\)/);
    });
  });

  describe('a project linted from outside it', () => {
    // The built-in overrides (test code: no await-in-loop) are relative to the lint root. Run from
    // another folder, the root is the project's own top folder (its pyproject.toml), not the cwd.
    it('gets the built-in test-code overrides as when run inside it', async () => {
      const project = path.join(tmp, 'outside', 'proj');
      fs.mkdirSync(path.join(project, 'tests'), { recursive: true });
      fs.writeFileSync(path.join(project, 'pyproject.toml'), '[project]\nname = "proj"\n');
      const loop = 'async def check(client, keys):\n    for key in keys:\n        await client.get(key)\n';
      fs.writeFileSync(path.join(project, 'tests', 'test_loop.py'), loop);
      fs.writeFileSync(path.join(project, 'loop.py'), loop);
      const elsewhere = path.join(tmp, 'outside', 'elsewhere');
      fs.mkdirSync(elsewhere, { recursive: true });
      for (const cwd of [project, elsewhere]) {
        const r = await lint(['--format', 'concise', project], cwd);
        const flagged = r.stdout
          .split('\n')
          .filter((l) => l.includes('await-in-loop'))
          .map((l) => path.basename(l.split(':')[0]));
        assert.deepEqual(flagged, ['loop.py'], `run from ${cwd}:\n${r.stdout}${r.stderr}`);
      }
    });
  });

  describe('async-lint rule ID (built bundle, docs beside dist/)', () => {
    let cli: string;
    before(() => {
      const outdir = path.join(tmp, 'pkg', 'dist');
      const build = spawnSync(process.execPath, ['esbuild.mjs', '--only', 'cli', '--outdir', outdir], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(build.status, 0, build.stderr);
      fs.cpSync(path.join(ROOT, 'docs', 'rules'), path.join(tmp, 'pkg', 'docs', 'rules'), { recursive: true });
      cli = path.join(outdir, 'cli.js');
    });
    const spawn = (args: string[], input?: string) =>
      spawnSync(process.execPath, [cli, ...args], { cwd: tmp, encoding: 'utf8', input });

    it('prints the bundled page of a rule, offline', () => {
      for (const id of RULE_IDS) {
        const r = spawn(['rule', id]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, fs.readFileSync(path.join(ROOT, 'docs', 'rules', `${id}.md`), 'utf8'));
      }
    });

    it('an unknown id exits 2 naming the nearest and listing the valid ids', () => {
      const r = spawn(['rule', 'unawaitd']);
      assert.equal(r.status, 2);
      assert.ok(
        r.stderr.includes(`unknown rule 'unawaitd'; did you mean 'unawaited'? valid rules: ${RULE_IDS.join(', ')}`),
        r.stderr,
      );
      assert.equal(spawn(['rule']).status, 2);
    });

    it('--stdin reads standard input in the bundle', () => {
      const r = spawn(
        ['--stdin', '--stdin-filename', 'x.py', '-f', 'concise'],
        'import time\n\nasync def f():\n    time.sleep(1)\n',
      );
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^x\.py:4:5: warning blocking-call /);
    });
  });
});
