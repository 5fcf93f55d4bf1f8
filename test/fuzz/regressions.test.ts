// Regressions: every input the fuzzer ever found failing is kept in test/fixtures/regressions/
// (the file's extension says its language) and must now pass every fuzz property. Beside them,
// the failures that needed a sequence of documents rather than one input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FuzzHarness } from './harness';
import { nest } from './mutate';
import { ROOT } from './seeds';

const DIR = path.join(ROOT, 'test', 'fixtures', 'regressions');
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;

describe('fuzz regressions', function () {
  this.timeout(5 * 60_000);
  let harness: FuzzHarness;
  before(async () => {
    harness = await FuzzHarness.create({ hangScale: 3 });
  });
  after(() => harness.dispose());

  const files = fs.existsSync(DIR)
    ? fs
        .readdirSync(DIR)
        .filter((f) => SOURCE.test(f))
        .sort()
    : [];
  for (const name of files) {
    it(`${name}: no crash, fixes keep it parsing, same findings twice`, () => {
      const text = fs.readFileSync(path.join(DIR, name), 'utf8');
      const outcome = harness.check(path.extname(name), text, { maxFileSize: 64 * 1024 * 1024 });
      assert.deepEqual(outcome.problems, []);
    });
  }

  it('typescript: operator chains deeper than the checker handles are skipped as too deep before any rule runs', () => {
    // hang-typescript-binary-of-calls.ts at four times the size, hang-typescript-comma-chain.ts four
    // times longer, and the fuzz input whose one type query after the chain took seconds: TypeScript
    // parses and binds these chains iteratively, but its checker resolves each name by walking up
    // the chain (quadratic). A type query anywhere after such a chain paid for all of it.
    const inputs = {
      'binary of calls': 'const n = load()' + ' + load()'.repeat(40_000) + ';\n',
      'comma chain': 'const long = ' + 'load(), '.repeat(60_000) + ';\n',
      'flow after a comma chain': fs.readFileSync(path.join(DIR, 'hang-typescript-flow-after-comma-chain.ts'), 'utf8'),
    };
    for (const [name, text] of Object.entries(inputs)) {
      const r = harness.linter.lint(harness.fileFor('.ts'), text, harness.config(64 * 1024 * 1024));
      assert.equal(r.skipped?.reason, 'too-deep', name);
      assert.match(r.skipped!.message, /nested too deeply to analyse \(more than 1000 levels/, name);
      assert.deepEqual(r.ruleFailures, [], name);
    }
  });

  it('typescript: chains just under the depth limit are analysed, and their findings reported', () => {
    // The rules' own bounds (unawaited looks at 512 parts of a statement, blocking-call and the
    // resolver share one answer per name and scope) keep these cheap; the fixtures above are past the limit.
    const prelude =
      "import fs from 'node:fs';\ndeclare function load(): Promise<void>;\nconst read = fs.readFileSync;\n";
    const inputs = {
      'comma chain':
        prelude +
        'export async function f(out: string[]) {\n  ' +
        'load(), '.repeat(900) +
        'load();\n  out.push(...await Promise.all([load()]).then(() => []));\n  load();\n}\n',
      'await chain of aliases':
        prelude + 'export async function g() {\n  return ' + "await read('a') + ".repeat(900) + '1;\n}\n',
    };
    // unawaited looks at the first 512 parts of the chain (none of them a leaf: it is nested to the
    // left), so the finding is the dropped `load()` after it, on line 7.
    const expected = { 'comma chain': ['unawaited@7'], 'await chain of aliases': ['blocking-call@5'] };
    for (const [name, text] of Object.entries(inputs)) {
      const outcome = harness.check('.ts', text);
      assert.deepEqual(outcome.problems, [], name);
      assert.equal(outcome.skipped, undefined, name);
      const r = harness.linter.lint(harness.fileFor('.ts'), text, harness.config());
      const found = [
        ...new Set(r.findings.map((f) => `${f.ruleId}@${text.slice(0, f.start).split('\n').length}`)),
      ].sort();
      assert.deepEqual(found, expected[name as keyof typeof expected], name);
    }
  });

  it('typescript: a file with more than 1000 syntax errors is skipped before TypeScript binds it; the next version is analysed', () => {
    // The fuzz input: a mutated fixture whose 100 KB of `load(), load(), ...` landed in a class
    // body; TypeScript's binder made 6 million "Duplicate identifier" errors (5 s, gigabytes).
    const storm = fs.readFileSync(path.join(DIR, 'hang-typescript-duplicate-identifier-storm.ts'), 'utf8');
    const file = harness.fileFor('.ts');
    const config = harness.config();
    const broken = harness.linter.lint(file, storm, config, { version: 1 });
    assert.equal(broken.skipped?.reason, 'syntax-errors', broken.skipped?.message);
    assert.match(broken.skipped!.message, /^skipped: 6122 syntax errors \(more than 1000\); is it TypeScript\?$/);
    // Just under the limit: analysed, syntax errors and findings reported.
    const many = 'export async function f() {}\nvoid f();\n' + 'x = ;\n'.repeat(999);
    const analysed = harness.linter.lint(file, many, config, { version: 2 });
    assert.equal(analysed.skipped, undefined, analysed.skipped?.message);
    assert.deepEqual(
      analysed.findings.map((f) => f.ruleId),
      ['unused-async'],
    );
    assert.ok(analysed.syntaxErrors.length > 0);
    const over = harness.linter.lint(file, many + 'x = ;\n'.repeat(2), config, { version: 3 });
    assert.equal(over.skipped?.reason, 'syntax-errors');
    assert.match(over.skipped!.message, /^skipped: 1001 syntax errors/);
    const fixed = harness.linter.lint(file, 'export async function f() {}\nvoid f();\n', config, { version: 4 });
    assert.equal(fixed.skipped, undefined, fixed.skipped?.message);
    assert.deepEqual(
      fixed.findings.map((f) => f.ruleId),
      ['unused-async'],
    );
  });

  it('typescript: JSDoc comments whose text ends in `word-` are analysed (TypeScript 6.0.3 looped forever; patched)', () => {
    // In a child process with a time limit: the loop is synchronous and would hang this run.
    const script = path.join(ROOT, 'test', 'fuzz', 'fault-injection', 'jsdoc-at-eof.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.error, undefined, `did not finish: ${r.error}`);
    assert.equal(r.status, 0, r.stderr);
    const results: { ext: string; problems: string[] }[] = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(results.length, 9);
    for (const { ext, problems } of results) assert.deepEqual(problems, [], ext);
  });

  it('typescript: a JavaScript file that overflows the parser after a broken JSDoc comment does not poison later parses', () => {
    // Found by the fuzzer (notify.cjs with a 60,000-character line of `f(`): TypeScript's parser
    // kept the abandoned file's JSDoc diagnostics in its module state, and every later parse of any
    // file failed with "Debug Failure. Expected a.cjs === b.cjs" until the process ended.
    const js = harness.fileFor('.cjs');
    const ts = harness.fileFor('.ts');
    const config = harness.config();
    const deep = '/** @param {string a */\nfunction g(a) {}\nconst long = ' + 'f('.repeat(30_000) + '\n';
    const r = harness.linter.lint(js, deep, config, { version: 10 });
    assert.equal(r.skipped?.reason, 'too-deep', r.skipped?.message);
    for (const [file, version] of [
      [js, 11],
      [ts, 12],
    ] as const) {
      const after = harness.linter.lint(file, 'export async function f() {\n  return 1;\n}\nvoid f();\n', config, {
        version,
      });
      assert.equal(after.skipped, undefined, after.skipped?.message);
      assert.deepEqual(
        after.findings.map((f) => f.ruleId),
        ['unused-async'],
        file,
      );
      assert.deepEqual(harness.linter.backendFor(file)!.syntaxErrors(file, 'let x = 1;\n'), []);
    }
  });

  it('typescript: a document re-analysed while it is too deep stays too-deep, then recovers (no "already incrementally parsed")', () => {
    // Found by the fuzzer: an incremental re-parse that overflowed left TypeScript's old source
    // file marked as re-parsed, and every later analysis of the project failed with a Debug Failure.
    const file = harness.fileFor('.ts');
    const config = harness.config();
    const normal = 'export async function f() {\n  return 1;\n}\nvoid f();\n';
    const deep = normal + nest('typescript', 'parens', 10_000);
    assert.equal(harness.linter.lint(file, normal, config, { version: 1 }).skipped, undefined);
    for (const [version, options] of [
      [2, { version: 2 }],
      [2, { version: 2 }],
      [undefined, {}],
    ] as const) {
      const r = harness.linter.lint(file, deep, config, options);
      assert.equal(r.skipped?.reason, 'too-deep', `version ${version}: ${r.skipped?.message}`);
    }
    const after = harness.linter.lint(file, normal + '// edited\n', config, { version: 3 });
    assert.equal(after.skipped, undefined, after.skipped?.message);
    assert.deepEqual(
      after.findings.map((f) => f.ruleId),
      ['unused-async'],
    );
  });

  it('typescript: an edit to a file holding a 10,000-term chain does not crash the incremental parser', () => {
    // Found by the fuzzer: the chain parses and binds (TypeScript does both iteratively for binary
    // expressions), but the incremental parser recurses on the previous tree and ran out of stack.
    // The chain is past the checker's depth limit, so both versions are skipped with a message; the
    // re-parse still happens (the program is built first), and the next normal version is analysed.
    const file = harness.fileFor('.mts');
    const config = harness.config();
    const chain = nest('typescript', 'binary', 10_000);
    const first = harness.linter.lint(file, chain, config, { version: 1 });
    assert.equal(first.skipped?.reason, 'too-deep', first.skipped?.message);
    // The edit is at the start, inside the chain's first term: every level of the chain holds it.
    const edited = harness.linter.lint(
      file,
      chain.replace('load()', 'reload()') + 'export async function f() {}\nvoid f();\n',
      config,
      { version: 2 },
    );
    assert.equal(edited.skipped?.reason, 'too-deep', edited.skipped?.message);
    assert.match(edited.skipped!.message, /more than 1000 levels/);
    const normal = harness.linter.lint(file, 'export async function f() {}\nvoid f();\n', config, { version: 3 });
    assert.equal(normal.skipped, undefined, normal.skipped?.message);
    assert.deepEqual(
      normal.findings.map((f) => f.ruleId),
      ['unused-async'],
    );
  });
});
