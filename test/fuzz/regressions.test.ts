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

  const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => SOURCE.test(f)).sort() : [];
  for (const name of files) {
    it(`${name}: no crash, fixes keep it parsing, same findings twice`, () => {
      const text = fs.readFileSync(path.join(DIR, name), 'utf8');
      const outcome = harness.check(path.extname(name), text, { maxFileSize: 64 * 1024 * 1024 });
      assert.deepEqual(outcome.problems, []);
    });
  }

  it('typescript: 40,000 calls in one expression take time linear in the depth (timed only against a wide bound)', () => {
    // hang-typescript-binary-of-calls.ts at four times the size: the quadratic walk took minutes
    // here, the linear one a second or two; the harness's bound is 3 x (10 s + 5 s per MB).
    const text = 'const n = load()' + ' + load()'.repeat(40_000) + ';\n';
    const outcome = harness.check('.ts', text);
    assert.deepEqual(outcome.problems, []);
  });

  it('typescript: a statement of 60,000 comma-separated calls is analysed in bounded time', () => {
    // hang-typescript-comma-chain.ts, four times longer: minutes before the fix, milliseconds after.
    const outcome = harness.check('.ts', 'const long = ' + 'load(), '.repeat(60_000) + ';\n');
    assert.deepEqual(outcome.problems, []);
  });

  it('typescript: texts ending inside an unterminated /** comment after a hyphenated word are analysed (TypeScript 6 looped forever)', () => {
    // In a child process with a time limit: the loop is synchronous and would hang this run.
    const script = path.join(ROOT, 'test', 'fuzz', 'fault-injection', 'jsdoc-at-eof.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.error, undefined, `did not finish: ${r.error}`);
    assert.equal(r.status, 0, r.stderr);
    const results: { ext: string; problems: string[] }[] = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.equal(results.length, 4);
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
    for (const [file, version] of [[js, 11], [ts, 12]] as const) {
      const after = harness.linter.lint(file, 'export async function f() {\n  return 1;\n}\n', config, { version });
      assert.equal(after.skipped, undefined, after.skipped?.message);
      assert.deepEqual(after.findings.map((f) => f.ruleId), ['unused-async'], file);
      assert.deepEqual(harness.linter.backendFor(file)!.syntaxErrors(file, 'let x = 1;\n'), []);
    }
  });

  it('typescript: a document re-analysed while it is too deep stays too-deep, then recovers (no "already incrementally parsed")', () => {
    // Found by the fuzzer: an incremental re-parse that overflowed left TypeScript's old source
    // file marked as re-parsed, and every later analysis of the project failed with a Debug Failure.
    const file = harness.fileFor('.ts');
    const config = harness.config();
    const normal = 'export async function f() {\n  return 1;\n}\n';
    const deep = normal + nest('typescript', 'parens', 10_000);
    assert.equal(harness.linter.lint(file, normal, config, { version: 1 }).skipped, undefined);
    for (const [version, options] of [[2, { version: 2 }], [2, { version: 2 }], [undefined, {}]] as const) {
      const r = harness.linter.lint(file, deep, config, options);
      assert.equal(r.skipped?.reason, 'too-deep', `version ${version}: ${r.skipped?.message}`);
    }
    const after = harness.linter.lint(file, normal + '// edited\n', config, { version: 3 });
    assert.equal(after.skipped, undefined, after.skipped?.message);
    assert.deepEqual(after.findings.map((f) => f.ruleId), ['unused-async']);
  });

  it('typescript: an edit to a file holding a 10,000-term chain is analysed (the incremental re-parse overflowed)', () => {
    // Found by the fuzzer: the chain parses and binds (TypeScript does both iteratively for binary
    // expressions), but the incremental parser recurses on the previous tree and ran out of stack.
    const file = harness.fileFor('.mts');
    const config = harness.config();
    const chain = nest('typescript', 'binary', 10_000);
    const first = harness.linter.lint(file, chain, config, { version: 1 });
    assert.equal(first.skipped, undefined, first.skipped?.message);
    // The edit is at the start, inside the chain's first term: every level of the chain holds it.
    const edited = harness.linter.lint(file, chain.replace('load()', 'reload()') + 'export async function f() {}\n', config, { version: 2 });
    assert.equal(edited.skipped, undefined, edited.skipped?.message);
    assert.deepEqual(edited.findings.map((f) => f.ruleId), ['unused-async']);
  });
});
