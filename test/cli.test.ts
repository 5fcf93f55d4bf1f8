// The built CLI, run as a user runs it, on the small projects in test/cli-fixtures (copied once to a
// temporary folder, so --fix and generated files never touch the repository). One build for the
// whole file, of the CLI only, into a folder of its own: `npm run build` elsewhere (another test
// run) cannot rewrite the bundle under these tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import ts from 'typescript';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { version } from '../package.json';
import { run } from '../server/src/cli/run';
import { DEFAULT_MAX_FILE_SIZE } from '../server/src/engine/config';
import { Linter } from '../server/src/engine/linter';
import { docsUrl, RULES, unknownRuleMessage } from '../server/src/engine/rules';
import { TypeScriptBackend } from '../server/src/typescript/backend';
import { ProjectHost } from '../server/src/typescript/host';
import type { TsRule } from '../server/src/typescript/rule';
import { TS_RULES } from '../server/src/typescript/rules';
import { unusedAsync } from '../server/src/typescript/rules/unused-async';
import { typeScript7Available } from '../server/src/typescript/ts7-available';
import { expectedLines, ROOT } from './helpers';

/** Every option of the CLI: --help and the README must name each. */
const CLI_OPTIONS = [
  '--format',
  '--fix',
  '--rule',
  '--config',
  '--print-config',
  '--max-warnings',
  '--quiet',
  '--stats',
  '--ignore-pattern',
  '--version',
  '--help',
  '--output-file',
  '--fix-dry-run',
  '--diff',
  '--stdin',
  '--stdin-filename',
  '--include-hints',
  '--report-unused-disable-directives',
  '--statistics',
  '--exit-zero',
  '--add-noqa',
  '--add-noqa-reason',
  '--unsafe-fixes',
  '--cache',
  '--cache-location',
  '--type-backend',
];

/** Set by the build in `before`. */
let CLI = '';
const FIXTURES = path.join(ROOT, 'test', 'cli-fixtures');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const base = { ...process.env };
  delete base.FORCE_COLOR;
  delete base.NO_COLOR;
  delete base.ASYNC_LINT_TYPE_BACKEND;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonMessage {
  ruleId: string | null;
  severity: number;
  level?: string;
  fatal?: boolean;
  message: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  fix?: { range: [number, number]; text: string };
  suggestions?: { desc: string; safe: boolean; fix: { range: [number, number]; text: string } }[];
}

interface JsonFile {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  infoCount: number;
  hintCount: number;
}

function json(run: Run): JsonFile[] {
  assert.doesNotThrow(() => JSON.parse(run.stdout), `stdout is not JSON:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout) as JsonFile[];
}

function byFile(files: JsonFile[], root: string): Map<string, JsonFile> {
  return new Map(files.map((f) => [path.relative(root, f.filePath).split(path.sep).join('/'), f]));
}

describe('CLI (built)', function () {
  this.timeout(120_000);
  let tmp: string;
  /** The fixture projects, copied once. Tests that change files make their own copy. */
  let fx: string;
  const project = (name: string) => path.join(fx, name);
  const freshCopy = (name: string, as: string) => {
    const dest = path.join(tmp, as);
    fs.cpSync(path.join(FIXTURES, name), dest, { recursive: true });
    return dest;
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-cli-'));
    const outdir = path.join(tmp, 'dist');
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--only', 'cli', '--outdir', outdir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
    CLI = path.join(outdir, 'cli.js');
    fx = path.join(tmp, 'fixtures');
    fs.cpSync(FIXTURES, fx, { recursive: true });
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('information', () => {
    it('--version prints the package version', () => {
      const r = cli(['--version'], tmp);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${version}\n`);
    });

    it('--help lists every option and every rule with its description', () => {
      const r = cli(['--help'], tmp);
      assert.equal(r.code, 0);
      for (const option of [...CLI_OPTIONS, 'async-lint rule ID']) {
        assert.ok(r.stdout.includes(option), `help mentions ${option}`);
      }
      for (const rule of RULES)
        assert.match(
          r.stdout,
          new RegExp(`^  ${rule.id} +${rule.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
        );
    });
  });

  describe('stylish', () => {
    it('prints findings with 1-based positions, severity, message and rule, then a summary; hints do not fail the run', () => {
      const r = cli(['--include-hints'], project('basic'));
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.split('\n');
      const users = lines.indexOf('src/users.ts');
      assert.ok(users >= 0, r.stdout);
      // Wrapped to 80 columns (no terminal), continued under the message, not padded.
      assert.equal(lines[users + 1], "    9:8  hint  Async function 'cachedUser' has no 'await'; 'async' only wraps");
      assert.equal(lines[users + 2], '               its result in a promise.  unused-async');
      assert.equal(lines[users + 3], "  19:22  hint  Async function 'clear' has no 'await'; 'async' only wraps its");
      assert.equal(lines[users + 4], '               result in a promise.  unused-async');
      assert.ok(
        lines.every((l) => l.length <= 80),
        r.stdout,
      );
      assert.ok(!r.stdout.includes('src/clean.ts'), 'files without problems are not listed');
      assert.match(r.stdout, /^✖ 4 problems \(0 errors, 0 warnings, 4 hints\)$/m);
      assert.ok(!r.stdout.includes('\u001b['), 'no colours when stdout is not a terminal');
      assert.equal(r.stderr, '');
    });

    it('uses colours only when asked and never with NO_COLOR', () => {
      assert.ok(
        cli(['--include-hints'], project('basic'), { FORCE_COLOR: '1' }).stdout.includes(
          '\u001b[4msrc/users.ts\u001b[0m',
        ),
      );
      assert.ok(!cli(['--include-hints'], project('basic'), { NO_COLOR: '1' }).stdout.includes('\u001b['));
    });
  });

  describe('json', () => {
    it('is ESLint-shaped, field by field', () => {
      const dir = project('basic');
      const r = cli(['--format', 'json', '--rule', 'unused-async=warning'], dir);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, '');
      const files = byFile(json(r), dir);
      assert.deepEqual([...files.keys()].sort(), ['lib/jobs.py', 'src/clean.ts', 'src/report.js', 'src/users.ts']);
      const users = files.get('src/users.ts')!;
      assert.equal(users.filePath, path.join(dir, 'src', 'users.ts'));
      assert.deepEqual(users.messages[0], {
        ruleId: 'unused-async',
        severity: 1,
        level: 'warning',
        message: "Async function 'cachedUser' has no 'await'; 'async' only wraps its result in a promise.",
        line: 9,
        column: 8,
        endLine: 9,
        endColumn: 13,
      });
      assert.equal(users.messages.length, 2);
      const { filePath, messages, ...counts } = users;
      assert.deepEqual(counts, {
        errorCount: 0,
        fatalErrorCount: 0,
        warningCount: 2,
        fixableErrorCount: 0,
        fixableWarningCount: 0,
        infoCount: 0,
        hintCount: 0,
      });
      assert.deepEqual(files.get('src/clean.ts')!.messages, []);
    });

    it('maps error to 2 and info/hint to 1 with the exact level kept; hints only with --include-hints', () => {
      const r = cli(['-f', 'json', '--rule', 'unused-async=error'], project('basic'));
      assert.equal(r.code, 1);
      const all = json(r).flatMap((f) => f.messages);
      assert.ok(all.length > 0 && all.every((m) => m.severity === 2 && m.level === 'error'));
      const hints = json(cli(['-f', 'json', '--include-hints'], project('basic'))).flatMap((f) => f.messages);
      assert.ok(hints.length > 0 && hints.every((m) => m.severity === 1 && m.level === 'hint'));
      const infos = json(cli(['-f', 'json', '--rule', 'unused-async=info'], project('basic'))).flatMap(
        (f) => f.messages,
      );
      assert.ok(infos.length > 0 && infos.every((m) => m.severity === 1 && m.level === 'info'));
      const hidden = json(cli(['-f', 'json'], project('basic')));
      assert.deepEqual(
        hidden.flatMap((f) => f.messages),
        [],
        'hints are left out by default',
      );
      assert.ok(hidden.every((f) => f.hintCount === 0));
    });

    it('gives no ESLint fix where no fix is safe: await and void are suggestions', () => {
      const dir = project('fix');
      const r = cli(['-f', 'json'], dir);
      const orders = byFile(json(r), dir).get('src/orders.ts')!;
      const text = fs.readFileSync(path.join(dir, 'src', 'orders.ts'), 'utf8');
      const unawaited = orders.messages.filter((m) => m.ruleId === 'unawaited');
      assert.equal(unawaited.length, 2);
      for (const m of unawaited) {
        assert.equal(m.fix, undefined, 'adding await changes when the code runs: not a fix');
        assert.deepEqual(
          m.suggestions?.map((x) => [x.desc, x.safe]),
          [
            ["Add 'await'", false],
            ["Add 'void' to drop the promise on purpose", false],
          ],
        );
        const [start, end] = m.suggestions![0].fix.range;
        const fixed = text.slice(0, start) + m.suggestions![0].fix.text + text.slice(end);
        assert.match(fixed.split('\n')[m.line! - 1], /^ {2}await store\./);
      }
      assert.equal(orders.fixableWarningCount, 0);
    });
  });

  describe('sarif', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    const validate = ajv.compile(sarifSchema);
    const assertValid = (log: unknown) => assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));

    it('validates against the SARIF 2.1.0 schema and carries rules, levels, regions and fixes', () => {
      const dir = project('fix');
      const r = cli(['--format', 'sarif', '--rule', 'unused-async=hint'], dir);
      assert.equal(r.code, 1, r.stderr);
      const log = JSON.parse(r.stdout);
      assertValid(log);
      assert.equal(log.version, '2.1.0');
      const run = log.runs[0];
      assert.equal(run.tool.driver.name, 'async-lint');
      assert.equal(run.tool.driver.version, version);
      assert.match(run.tool.driver.informationUri, /^https:\/\//);
      assert.deepEqual(
        run.tool.driver.rules.map((x: { id: string }) => x.id),
        RULES.map((x) => x.id),
      );
      const nested = run.tool.driver.rules.find((x: { id: string }) => x.id === 'nested-event-loop');
      assert.equal(nested.helpUri, docsUrl('nested-event-loop'));
      assert.equal(nested.defaultConfiguration.level, 'error');
      assert.equal(
        run.tool.driver.rules.find((x: { id: string }) => x.id === 'sequential-await').defaultConfiguration.level,
        'note',
      );

      const unawaited = run.results.filter((x: { ruleId: string }) => x.ruleId === 'unawaited');
      assert.equal(unawaited.length, 3);
      const first = unawaited.find(
        (x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          x.locations[0].physicalLocation.artifactLocation.uri === 'src/orders.ts',
      );
      assert.equal(first.level, 'warning');
      assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, {
        uri: 'src/orders.ts',
        uriBaseId: '%SRCROOT%',
      });
      assert.deepEqual(first.locations[0].physicalLocation.region, {
        startLine: 13,
        startColumn: 3,
        endLine: 13,
        endColumn: 21,
      });
      assert.equal(first.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'await ');
      assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${dir}/`);
      assert.equal(run.invocations[0].executionSuccessful, true);
      const levels = new Set(run.results.map((x: { level: string }) => x.level));
      assert.ok(levels.has('note'), 'info findings are notes');
    });

    it('reports skipped files as notifications and stays valid', () => {
      const dir = freshCopy('files', 'sarif-files');
      fs.writeFileSync(path.join(dir, 'blob.ts'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]));
      const log = JSON.parse(cli(['-f', 'sarif'], dir).stdout);
      assertValid(log);
      const notes = log.runs[0].invocations[0].toolExecutionNotifications;
      assert.ok(notes.some((n: { message: { text: string } }) => n.message.text === 'skipped: binary file'));
    });
  });

  describe('exit codes', () => {
    const basic = () => project('basic');

    it('0 with only info and hint findings, 1 with warnings or errors', () => {
      assert.equal(cli([], basic()).code, 0);
      assert.equal(cli(['--rule', 'unused-async=info'], basic()).code, 0);
      assert.equal(cli(['--rule', 'unused-async=warning'], basic()).code, 1);
      assert.equal(cli(['--rule', 'unused-async=error'], basic()).code, 1);
      const off = cli(['--rule', 'unused-async=off', '--rule', 'sequential-await=off'], basic());
      assert.equal(off.code, 0);
      assert.equal(off.stdout, '');
    });

    it('--max-warnings N tolerates up to N warnings; -1 any number', () => {
      const args = ['--rule', 'unused-async=warning'];
      assert.equal(cli([...args, '--max-warnings', '4'], basic()).code, 0);
      assert.equal(cli([...args, '--max-warnings', '3'], basic()).code, 1);
      assert.equal(cli([...args, '--max-warnings', '-1'], basic()).code, 0);
      assert.equal(cli(['--rule', 'unused-async=error', '--max-warnings', '-1'], basic()).code, 1, 'errors still fail');
      const bad = cli(['--max-warnings', 'many'], basic());
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--max-warnings expects a whole number/);
    });

    it('--quiet reports errors only, and warnings no longer fail the run', () => {
      const quiet = cli(['--rule', 'unused-async=warning', '--quiet'], basic());
      assert.equal(quiet.code, 0);
      assert.equal(quiet.stdout, '');
      const errors = cli(['--config', path.join(fx, 'configs', 'strict.json'), '--quiet', '-f', 'json'], basic());
      assert.equal(errors.code, 1);
      assert.ok(
        json(errors)
          .flatMap((f) => f.messages)
          .every((m) => m.severity === 2),
      );
    });

    it('0 with a note on stderr when there is nothing to lint', () => {
      const empty = path.join(tmp, 'empty');
      fs.mkdirSync(path.join(empty, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(empty, 'docs', 'notes.md'), '# notes\n');
      const r = cli([], empty);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'async-lint: no files to lint\n');
    });

    it('2 for usage errors: unknown rule id (naming the valid ones), bad severity, option, format, missing path', () => {
      const unknown = cli(['--rule', 'no-floating=error'], basic());
      assert.equal(unknown.code, 2);
      assert.ok(unknown.stderr.includes(unknownRuleMessage('no-floating')), unknown.stderr);
      assert.equal(unknown.stdout, '');
      const severity = cli(['--rule', 'unawaited=loud'], basic());
      assert.equal(severity.code, 2);
      assert.match(severity.stderr, /invalid severity 'loud'/);
      assert.equal(cli(['--frobnicate'], basic()).code, 2);
      const format = cli(['--format', 'xml'], basic());
      assert.equal(format.code, 2);
      assert.match(format.stderr, /unknown format 'xml'; use one of stylish, concise, json, sarif, github/);
      const missing = cli(['src', 'nowhere'], basic());
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /No such file or directory: nowhere/);
    });
  });

  describe('configuration', () => {
    const configs = () => path.join(fx, 'configs');

    it('is found in async-lint.json, package.json and pyproject.toml', () => {
      const severities = (dir: string) =>
        json(cli(['-f', 'json', dir], configs()))
          .flatMap((f) => f.messages)
          .map((m) => `${m.ruleId}:${m.level}`);
      assert.deepEqual(severities('json-config'), ['unused-async:error']);
      assert.deepEqual(severities('pkg-config'), ['unused-async:warning']);
      assert.deepEqual(severities('pyproject-config'), ['unused-async:error']);
    });

    it('a broken file stops the run with exit 2 and a message naming the file', () => {
      const broken = cli(['broken-json'], configs());
      assert.equal(broken.code, 2);
      assert.ok(broken.stderr.includes(path.join(configs(), 'broken-json', 'async-lint.json')), broken.stderr);
      assert.match(broken.stderr, /invalid JSON/);
      assert.equal(broken.stdout, '');
      const toml = cli(['broken-toml'], configs());
      assert.equal(toml.code, 2);
      assert.ok(toml.stderr.includes(path.join(configs(), 'broken-toml', 'pyproject.toml')));
      assert.match(toml.stderr, /invalid TOML/);
    });

    it('an unknown key stops the run with exit 2, naming the file and the key', () => {
      const r = cli(['unknown-key'], configs());
      assert.equal(r.code, 2);
      assert.ok(
        r.stderr.includes(`${path.join(configs(), 'unknown-key', 'async-lint.json')}: unknown key 'strict'`),
        r.stderr,
      );
    });

    it('--config FILE replaces the search; --rule beats it; a missing file is exit 2', () => {
      const strict = path.join(configs(), 'strict.json');
      const r = cli(['-f', 'json', '--config', strict, 'pkg-config'], configs());
      assert.deepEqual(
        json(r).flatMap((f) => f.messages.map((m) => m.level)),
        ['error'],
      );
      const overridden = cli(
        ['-f', 'json', '--config', strict, '--rule', 'unused-async=info', 'pkg-config'],
        configs(),
      );
      assert.deepEqual(
        json(overridden).flatMap((f) => f.messages.map((m) => m.level)),
        ['info'],
      );
      const missing = cli(['--config', 'nope.json', 'pkg-config'], configs());
      assert.equal(missing.code, 2);
      assert.ok(missing.stderr.includes(path.join(configs(), 'nope.json')));
    });

    it('ignorePatterns skip files; a named ignored file is reported and skipped', () => {
      const dir = path.join(configs(), 'ignores');
      const files = byFile(json(cli(['-f', 'json'], dir)), dir);
      assert.deepEqual([...files.keys()], ['index.ts']);
      const named = cli(['-f', 'json', 'generated/client.ts'], dir);
      assert.equal(named.code, 0);
      const [only] = json(named);
      assert.deepEqual(only.messages, [
        {
          ruleId: null,
          fatal: false,
          severity: 1,
          message: "File ignored by ignorePatterns 'generated/' in async-lint.json",
        },
      ]);
    });

    it('--ignore-pattern skips files matching a glob', () => {
      const dir = project('basic');
      const files = byFile(
        json(cli(['-f', 'json', '--ignore-pattern', 'src/*.ts', '--ignore-pattern', '*.py'], dir)),
        dir,
      );
      assert.deepEqual([...files.keys()], ['src/report.js']);
    });
  });

  describe('overrides', () => {
    const dir = () => project('overrides');
    it('the built-in test override turns blocking-call off in test code; a project override turns it back on; unawaited stays on', () => {
      const lines = [...byFile(json(cli(['-f', 'json'], dir())), dir())].map(
        ([file, f]) => `${file} ${f.messages.map((m) => `${m.ruleId}:${m.line}`).join(' ')}`,
      );
      assert.deepEqual(lines.sort(), [
        'src/load.spec.ts unawaited:12',
        'src/load.ts blocking-call:4 unawaited:12',
        'tests/integration/load.ts blocking-call:4 unawaited:12',
        'tests/unit/load.ts unawaited:12',
      ]);
      const forced = json(cli(['-f', 'json', '--rule', 'blocking-call=error', 'tests/unit'], dir()));
      assert.deepEqual(
        forced.flatMap((f) => f.messages.map((m) => `${m.ruleId}:${m.level}`)),
        ['blocking-call:error', 'unawaited:warning'],
        '--rule beats every override',
      );
    });

    it('--print-config FILE prints the resolved configuration as JSON and exits 0', () => {
      const r = cli(['--print-config', 'tests/integration/load.ts'], dir());
      assert.equal(r.code, 0, r.stderr);
      const printed = JSON.parse(r.stdout) as Record<string, unknown> & {
        rules: Record<string, string>;
        overrides: { from: string; files: string[]; matched: boolean }[];
      };
      assert.equal(printed.file, path.join(dir(), 'tests', 'integration', 'load.ts'));
      assert.equal(printed.source, path.join(dir(), 'async-lint.json'));
      assert.equal(printed.root, dir());
      assert.equal(printed.rules['blocking-call'], 'warning');
      assert.equal(printed.rules['unused-async'], 'off');
      assert.equal(printed.rules.unawaited, 'warning');
      assert.deepEqual(
        printed.overrides.map((o) => [o.from, o.matched]),
        [
          ['default', true],
          ['default', false],
          [path.join(dir(), 'async-lint.json'), true],
        ],
      );
      assert.deepEqual(printed.ignorePatterns, []);
      assert.equal(printed.maxFileSize, 2 * 1024 * 1024);
      assert.deepEqual([printed['blocking-calls'], printed.coroutines], [[], []]);
      const plain = JSON.parse(
        cli(['--print-config', 'src/load.ts', '--rule', 'unawaited=error'], dir()).stdout,
      ) as typeof printed;
      assert.deepEqual(
        plain.overrides.map((o) => o.matched),
        [false, false, false],
      );
      assert.equal(plain.rules['blocking-call'], 'warning');
      assert.equal(plain.rules.unawaited, 'error');
      const broken = cli(['--print-config', 'index.ts'], path.join(fx, 'configs', 'broken-json'));
      assert.equal(broken.code, 2);
    });
  });

  it('npm run real-world: findings and findings per 10k non-blank lines per project and rule, and a seeded sample with context', () => {
    const script = path.join(ROOT, 'scripts', 'real-world.mjs');
    const runScript = (args: string[]) =>
      spawnSync(process.execPath, [script, '--cli', CLI, ...args], { cwd: fx, encoding: 'utf8' });
    const r = runScript(['--sample', '3', '--seed', '7', 'overrides']);
    assert.equal(r.status, 0, r.stderr);
    // 4 files of 13 lines, 3 of them blank.
    assert.match(r.stdout, /^4 files, 40 non-blank lines, 6 findings, 0 notices/m);
    assert.match(r.stdout, /^blocking-call +2 +500\.0$/m);
    assert.match(r.stdout, /^unawaited +4 +1000\.0$/m);
    assert.match(r.stdout, /^unused-async +0 +0 +0\.0$/m, 'every rule in the totals, 0 included');
    assert.match(r.stdout, /^-- unawaited: 3 of 4$/m);
    assert.match(r.stdout, /^> 12 \| {3}save\(\);$/m, 'the finding line, marked, with its context');
    assert.match(r.stdout, /^ {3}9 \| declare function save/m);
    assert.equal(
      runScript(['--sample', '3', '--seed', '7', 'overrides']).stdout.replace(/[\d.]+ s \(/g, ''),
      r.stdout.replace(/[\d.]+ s \(/g, ''),
      'the same seed, the same sample',
    );
    const md = runScript(['--markdown', '--sample', '0', 'overrides', 'basic']);
    assert.match(md.stdout, /^\| `unawaited` \| 4 \| 0 \| 4 \| 454\.5 \|$/m, '4 findings in 40 + 48 non-blank lines');
    assert.match(md.stdout, /^\| lines \| 40 \| \d+ \| \d+ \| {2}\|$/m);
  });

  it('honours .gitignore', () => {
    const dir = freshCopy('basic', 'gitignored');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'src/users.ts\nlib/\n');
    const files = byFile(json(cli(['-f', 'json'], dir)), dir);
    assert.deepEqual([...files.keys()].sort(), ['src/clean.ts', 'src/report.js']);
  });

  it('suppression comments: next-line, line and file, with and without rule lists', () => {
    const dir = project('suppress');
    const files = json(cli(['-f', 'json', '--rule', 'unused-async=warning'], dir));
    assert.equal(files.length, 5);
    for (const file of files) {
      const text = fs.readFileSync(file.filePath, 'utf8');
      const expected = [...expectedLines(text, 'unused-async').keys()].map((l) => l + 1).sort((a, b) => a - b);
      const actual = file.messages.map((m) => m.line!).sort((a, b) => a - b);
      assert.deepEqual(actual, expected, path.basename(file.filePath));
    }
  });

  describe('files', () => {
    it('skips binary and oversized files with a message and analyses files with syntax errors, a BOM or Latin-1', () => {
      const dir = freshCopy('files', 'files-skips');
      fs.writeFileSync(
        path.join(dir, 'blob.ts'),
        Buffer.concat([Buffer.from('export const x = 1;\n'), Buffer.from([0, 1, 2, 3])]),
      );
      fs.writeFileSync(path.join(dir, 'huge.ts'), `export const data = '${'x'.repeat(5000)}';\n`);
      const r = cli(['-f', 'json', '--rule', 'unused-async=warning'], dir);
      assert.equal(r.code, 1, r.stderr);
      const files = byFile(json(r), dir);
      assert.deepEqual(files.get('blob.ts')!.messages, [
        { ruleId: null, fatal: false, severity: 1, message: 'skipped: binary file' },
      ]);
      assert.deepEqual(files.get('huge.ts')!.messages, [
        { ruleId: null, fatal: false, severity: 1, message: 'skipped: 4.9 KiB is over maxFileSize (4.0 KiB)' },
      ]);
      const broken = files.get('broken.ts')!;
      assert.match(
        broken.messages[0].message,
        /^syntax error at 6:12: Property assignment expected; the rest of the file was still analysed$/,
      );
      assert.deepEqual(
        broken.messages.filter((m) => m.ruleId === 'unused-async').map((m) => m.line),
        [2, 8],
        'both functions around the syntax error are analysed',
      );
      // The BOM is not a column: `async` is the 8th character as editors show it.
      assert.deepEqual(
        files.get('bom.ts')!.messages.map((m) => [m.line, m.column]),
        [[1, 8]],
      );
      assert.deepEqual(
        files.get('latin1.py')!.messages.map((m) => [m.ruleId, m.line]),
        [['unused-async', 4]],
      );
      assert.equal(DEFAULT_MAX_FILE_SIZE > 5000, true, 'the fixture lowers maxFileSize below the default');
    });

    it('skip messages never fail a run', () => {
      const dir = freshCopy('files', 'files-exit');
      fs.writeFileSync(path.join(dir, 'blob.ts'), Buffer.from([0, 0, 0]));
      assert.equal(cli([], dir).code, 0);
    });
  });

  describe('--fix', () => {
    it('applies safe fixes only: with none, writes nothing and points at the suggestions', () => {
      const dir = freshCopy('fix', 'fix-safe-only');
      const orders = path.join(dir, 'src', 'orders.ts');
      const before = fs.readFileSync(orders, 'utf8');
      const r = cli(['--fix', '--rule', 'sequential-await=off'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        'async-lint: no safe fixes to apply (3 findings have suggestions: review them in the editor, or apply them with --fix --unsafe-fixes)\n',
      );
      assert.equal(fs.readFileSync(orders, 'utf8'), before);
    });

    it('--unsafe-fixes needs --fix', () => {
      const r = cli(['--unsafe-fixes'], project('fix'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--unsafe-fixes only takes effect with --fix/);
    });

    it('--fix --unsafe-fixes applies suggestions, writes exact text (keeping a BOM and CRLF), and reports the count', () => {
      const dir = freshCopy('fix', 'fix-run');
      const plain = path.join(dir, 'src', 'plain.js');
      const plainStat = fs.statSync(plain);
      const r = cli(['--fix', '--unsafe-fixes', '--rule', 'sequential-await=off'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, 'async-lint: applied 3 fixes in 2 files\n');
      assert.equal(
        fs.readFileSync(path.join(dir, 'src', 'orders.ts'), 'utf8'),
        fs.readFileSync(path.join(FIXTURES, 'fix-expected', 'orders.ts'), 'utf8'),
      );
      assert.deepEqual(
        fs.readFileSync(path.join(dir, 'src', 'bom.ts')),
        fs.readFileSync(path.join(FIXTURES, 'fix-expected', 'bom.ts')),
      );
      assert.equal(fs.statSync(plain).mtimeMs, plainStat.mtimeMs, 'a file without fixes is not written');
      assert.deepEqual(
        fs.readdirSync(path.join(dir, 'src')).sort(),
        ['bom.ts', 'orders.ts', 'plain.js'],
        'no temporary files left',
      );
    });

    it('the fixed files parse and a second run has nothing to do and writes nothing', () => {
      const dir = freshCopy('fix', 'fix-twice');
      const args = ['--fix', '--unsafe-fixes', '--rule', 'sequential-await=off'];
      cli(args, dir);
      const orders = path.join(dir, 'src', 'orders.ts');
      const before = fs.statSync(orders).mtimeMs;
      const again = cli([...args, '-f', 'json'], dir);
      assert.equal(again.stderr, 'async-lint: no fixes to apply\n');
      assert.equal(fs.statSync(orders).mtimeMs, before);
      const messages = json(again).flatMap((f) => f.messages);
      assert.deepEqual(
        messages.filter((m) => m.ruleId === null),
        [],
        'no syntax errors after fixing',
      );
      assert.deepEqual(
        messages.map((m) => m.ruleId),
        [],
      );
    });

    it('writes through a symlink to the real file instead of replacing the link', () => {
      const dir = freshCopy('fix', 'fix-link');
      const real = path.join(dir, 'src', 'orders.ts');
      const moved = path.join(dir, 'orders.real.ts.txt');
      fs.renameSync(real, moved);
      fs.symlinkSync(moved, real);
      cli(['--fix', '--unsafe-fixes', '--rule', 'sequential-await=off', 'src/orders.ts'], dir);
      assert.ok(fs.lstatSync(real).isSymbolicLink());
      assert.equal(
        fs.readFileSync(moved, 'utf8'),
        fs.readFileSync(path.join(FIXTURES, 'fix-expected', 'orders.ts'), 'utf8'),
      );
    });
  });

  it('--stats prints time per phase and per rule, file count and wall time to stderr; stdout stays JSON', () => {
    const r = cli(['--stats', '-f', 'json', '--include-hints'], project('basic'));
    json(r);
    for (const phase of ['phase', 'find files', 'read', 'program', 'rule:unawaited', 'rule:unused-async'])
      assert.match(r.stderr, new RegExp(`^${phase} `, 'm'));
    assert.match(r.stderr, /^files: 4 {2}wall: \d+\.\d ms/m);
  });

  it('does not run a rule whose findings the run would drop (hints without --include-hints, all but errors with --quiet)', () => {
    const ran = (args: string[]) =>
      [...cli(['--stats', '-f', 'json', ...args], project('basic')).stderr.matchAll(/^rule:(\S+)/gm)].map((m) => m[1]);
    assert.ok(!ran([]).includes('unused-async'), 'a hint, dropped');
    assert.ok(ran([]).includes('unawaited'));
    assert.ok(ran(['--report-unused-disable-directives']).includes('unused-async'), 'its findings can use a directive');
    const quiet = ran(['--quiet', '--rule', 'unawaited=error']);
    assert.ok(quiet.includes('unawaited') && quiet.includes('nested-event-loop'), 'errors');
    assert.ok(
      !quiet.includes('blocking-call') && !quiet.includes('sequential-await'),
      'a warning and an info, dropped',
    );
  });

  describe('--type-backend', () => {
    const ts7 = typeScript7Available().ok;

    it('says in --stats which backend ran; the findings are the same with both', function () {
      if (!ts7) this.skip();
      const six = cli(['--stats', '-f', 'json', '--include-hints', '--type-backend', 'typescript6'], project('basic'));
      const seven = cli(
        ['--stats', '-f', 'json', '--include-hints', '--type-backend', 'typescript7'],
        project('basic'),
      );
      assert.match(six.stderr, /^type backend: typescript6 \(TypeScript 6\./m);
      assert.match(seven.stderr, /^type backend: typescript7 \(TypeScript 7\./m);
      assert.match(seven.stderr, /typescript7 requests: [1-9]\d*/);
      assert.equal(seven.code, six.code);
      assert.ok(
        json(six).some((f) => f.messages.length > 0),
        'findings to compare',
      );
      assert.deepEqual(json(seven), json(six));
    });

    it('defaults to typescript6; auto is TypeScript 7 where installed; ASYNC_LINT_TYPE_BACKEND chooses, the option beats it', () => {
      const byDefault = cli(['--stats', '-f', 'json'], project('basic'));
      assert.match(byDefault.stderr, /^type backend: typescript6 \(TypeScript 6\.[\d.]+, in process\)$/m);
      const auto = cli(['--stats', '-f', 'json', '--type-backend', 'auto'], project('basic'));
      assert.match(
        auto.stderr,
        ts7 ? /^type backend: typescript7 /m : /^type backend: typescript6 .*TypeScript 7 is not available/m,
      );
      const fromEnv = cli(['--stats', '-f', 'json'], project('basic'), { ASYNC_LINT_TYPE_BACKEND: 'auto' });
      assert.match(fromEnv.stderr, ts7 ? /^type backend: typescript7 /m : /^type backend: typescript6 /m);
      if (ts7) {
        const flag = cli(['--stats', '-f', 'json', '--type-backend', 'typescript6'], project('basic'), {
          ASYNC_LINT_TYPE_BACKEND: 'typescript7',
        });
        assert.match(flag.stderr, /^type backend: typescript6 /m);
      }
    });

    it('rejects an unknown backend with exit 2', () => {
      const r = cli(['--type-backend', 'typescript5'], project('basic'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--type-backend must be one of typescript6, typescript7, auto, got 'typescript5'/);
      const env = cli([], project('basic'), { ASYNC_LINT_TYPE_BACKEND: 'fast' });
      assert.equal(env.code, 2);
      assert.match(env.stderr, /ASYNC_LINT_TYPE_BACKEND must be one of/);
    });
  });

  it('the bundled examples show a finding of every TypeScript rule', () => {
    const examples = path.join(ROOT, 'examples');
    const r = cli(['-f', 'json', '--include-hints', 'ts-service', 'js-scripts'], examples);
    assert.equal(r.code, 1, r.stderr);
    const found = new Set(json(r).flatMap((f) => f.messages.map((m) => m.ruleId)));
    for (const rule of TS_RULES) assert.ok(found.has(rule.id), `examples show ${rule.id}`);
    assert.ok(!found.has(null), 'no example is skipped or broken');
  });
});

describe('README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('has a row per rule with its languages, default severity, fix kind, description and docs link', () => {
    const lang = (l: readonly string[]) => l.map((x) => (x === 'typescript' ? 'TS/JS' : 'Python')).join(', ');
    for (const r of RULES) {
      const row = `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${lang(r.languages)} | ${r.defaultSeverity} | ${r.fix} | ${r.description} |`;
      assert.ok(readme.includes(row), `README row for ${r.id}:\n${row}`);
    }
  });

  it('documents every CLI option and the sections other parts of the project fill', () => {
    for (const option of [...CLI_OPTIONS, 'async-lint rule']) {
      assert.ok(readme.includes(`\`${option}`), `README documents ${option}`);
    }
    for (const format of ['stylish', 'concise', 'json', 'sarif', 'github'])
      assert.ok(readme.includes(`\`${format}\``), `README documents the ${format} format`);
    for (const heading of [
      '## Editor setup',
      '### VS Code',
      '### Neovim',
      '## Performance',
      '## Reliability',
      '## Configuration',
    ]) {
      assert.match(readme, new RegExp(`^${heading}$`, 'm'));
    }
  });
});

describe('CLI run() in process', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-run-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const capture = (isTTY = false) => {
    const stream = {
      text: '',
      isTTY,
      columns: 120,
      write: (s: string) => {
        stream.text += s;
        return true;
      },
    };
    return stream;
  };

  it('a rule that throws is a message and exit 2; the other rules still report, the stack is logged once', async () => {
    const dir = path.join(tmp, 'throwing');
    await fs.promises.mkdir(dir);
    const source = 'export async function f() {\n  g();\n}\nfunction g() {}\nexport function h() {\n  void f();\n}\n';
    await Promise.all(['a.ts', 'b.ts'].map((name) => fs.promises.writeFile(path.join(dir, name), source)));
    // A real rule that fails on every call expression, beside the real unused-async.
    const throwing: TsRule = {
      id: 'unawaited',
      create: () => ({
        [ts.SyntaxKind.CallExpression]: () => {
          throw new Error('boom');
        },
      }),
    };
    const stdout = capture();
    const stderr = capture();
    const code = await run(
      ['-f', 'json', '--include-hints'],
      { stdout, stderr, env: {}, cwd: dir },
      {
        createLinter: () => new Linter([new TypeScriptBackend(new ProjectHost(), [throwing, unusedAsync])]),
      },
    );
    assert.equal(code, 2);
    const files = JSON.parse(stdout.text) as JsonFile[];
    assert.equal(files.length, 2);
    for (const f of files) {
      assert.deepEqual(f.messages[0], {
        ruleId: 'unawaited',
        fatal: true,
        severity: 2,
        message: "rule 'unawaited' failed: Error: boom",
      });
      assert.equal(f.messages[1].ruleId, 'unused-async');
      assert.equal(f.fatalErrorCount, 1);
    }
    assert.equal(stderr.text.match(/rule 'unawaited' failed on /g)?.length, 1, stderr.text);
    assert.match(stderr.text, /Error: boom\n\s+at /);
  });

  it('shows progress on a terminal for many files, on stderr only, and clears it', async () => {
    const dir = path.join(tmp, 'many');
    await fs.promises.mkdir(dir);
    const names = Array.from({ length: 320 }, (_, i) => i);
    await Promise.all(
      names.map((i) =>
        fs.promises.writeFile(
          path.join(dir, `m${String(i).padStart(3, '0')}.py`),
          `async def f${i}():\n    return ${i}\n`,
        ),
      ),
    );
    const stdout = capture(true);
    const stderr = capture(true);
    const code = await run(['-f', 'json'], { stdout, stderr, env: {}, cwd: dir });
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout.text) as JsonFile[]).length, 320);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's erase-line sequence
    assert.match(stderr.text, /^\r\u001b\[Kasync-lint: 1\/320 m000\.py/);
    assert.ok(stderr.text.endsWith('\r\u001b[K'), 'the progress line is cleared');
    const quiet = capture(false);
    await run(['-f', 'json'], { stdout: capture(true), stderr: quiet, env: {}, cwd: dir });
    assert.equal(quiet.text, '', 'no progress when stderr is not a terminal');
  });
});
