// Fuzz properties in `npm test`: a bounded number of mutated fixture files per language (the long
// runs are `npm run fuzz`), and the inputs the issue names on purpose: 10,000-deep nesting of every
// shape, a 10 MB line, NULs and binary content, unbalanced brackets and quotes. Every property of
// harness.ts is checked on each input; a failure prints the input's mutations and fast-check's
// seed and path, so it replays with FUZZ_SEED / FUZZ_PATH.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FuzzHarness, isTypeScriptStackLimit, type Outcome } from './harness';
import { inputArb, longLine, mutate, nest, NEST_SHAPES, type Lang } from './mutate';
import { loadSeeds } from './seeds';

/** Inputs per language in `npm test`. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_601);

function describeProblems(o: Outcome): string {
  return o.problems.map((p) => `${p.kind}: ${p.detail.split('\n').slice(0, 15).join('\n')}`).join('\n\n');
}

describe('fuzz: mutated fixtures', function () {
  this.timeout(10 * 60_000);
  let harness: FuzzHarness;
  before(async () => {
    harness = await FuzzHarness.create({ hangScale: 3 });
  });
  after(() => harness.dispose());

  for (const lang of ['typescript', 'python'] as const satisfies readonly Lang[]) {
    it(`${lang}: ${RUNS} mutated inputs: no crash, fixes keep the file parsing, same findings twice`, () => {
      const seeds = loadSeeds(lang);
      assert.ok(seeds.length >= 3, `expected fixture seeds for ${lang}, found ${seeds.length}`);
      const donors = seeds.map((s) => s.text);
      let findings = 0;
      let fixes = 0;
      fc.assert(
        fc.property(inputArb(lang, seeds.length, { maxLongLine: 20_000 }), (input) => {
          const seed = seeds[input.seed];
          const outcome = harness.check(seed.ext, mutate(lang, seed.text, input.mutations, donors));
          findings += outcome.findings;
          fixes += outcome.fixesChecked;
          assert.deepEqual(
            outcome.problems,
            [],
            `${seed.name} mutated by ${JSON.stringify(input.mutations)}:\n${describeProblems(outcome)}`,
          );
        }),
        { numRuns: RUNS, seed: SEED, path: process.env.FUZZ_PATH, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
      );
      // The inputs must reach the rules: a corpus that yields nothing would prove nothing.
      assert.ok(findings > RUNS, `only ${findings} findings over ${RUNS} inputs`);
      assert.ok(fixes > 0, 'no fix was offered on any input');
    });
  }
});

describe('fuzz: limits', function () {
  this.timeout(10 * 60_000);
  let harness: FuzzHarness;
  before(async () => {
    harness = await FuzzHarness.create({ hangScale: 3 });
  });
  after(() => harness.dispose());

  for (const lang of ['typescript', 'python'] as const satisfies readonly Lang[]) {
    const ext = lang === 'python' ? '.py' : '.ts';

    it(`${lang}: every shape nested 10,000 deep is analysed or skipped with a message, never a crash`, () => {
      for (const shape of NEST_SHAPES[lang]) {
        const text = nest(lang, shape, 10_000);
        const outcome = harness.check(ext, text);
        assert.deepEqual(outcome.problems, [], `${shape}:\n${describeProblems(outcome)}`);
        if (outcome.tooDeep) {
          // Only TypeScript's own recursive parser may give up, and then the file gets a message.
          assert.equal(lang, 'typescript', `${shape}: a depth limit in ${lang}`);
          // Either the file is skipped with a message, or (the checker ran out of stack on one node,
          // while the parser and binder got through) that rule's failure is logged and the others report.
          const r = harness.linter.lint(harness.fileFor(ext), text, harness.config());
          if (r.skipped) {
            assert.equal(r.skipped.reason, 'too-deep', shape);
            assert.match(r.skipped.message, /nested too deeply/);
          } else {
            for (const f of r.ruleFailures) assert.ok(isTypeScriptStackLimit(f.error), `${shape}: ${f.error}`);
          }
        }
      }
    });

    it(`${lang}: after a 10,000-deep file the same document analyses normally again`, () => {
      const file = harness.fileFor(ext);
      const normal =
        lang === 'python'
          ? 'import time\n\nasync def f():\n    time.sleep(1)\n\n\nasync def g():\n    await f()\n'
          : "import fs from 'node:fs';\nexport async function f() {\n  fs.readFileSync('x');\n}\nvoid f();\n";
      const before = harness.linter.lint(file, normal, harness.config(), { version: 1_000_001 });
      assert.ok(
        before.findings.some((f) => f.ruleId === 'unused-async'),
        'the normal file has findings',
      );
      harness.linter.lint(file, nest(lang, 'parens', 10_000) + normal, harness.config(), { version: 1_000_002 });
      const after = harness.linter.lint(file, normal, harness.config(), { version: 1_000_003 });
      assert.deepEqual(
        after.findings.map((f) => [f.ruleId, f.start]),
        before.findings.map((f) => [f.ruleId, f.start]),
      );
    });

    it(`${lang}: a 10 MB line is skipped as too large by default, with the size in the message`, () => {
      const text = longLine(lang, 'a + ', 10 * 1024 * 1024);
      const r = harness.linter.lint(harness.fileFor(ext), text, harness.config());
      assert.equal(r.skipped?.reason, 'too-large');
      assert.match(r.skipped!.message, /10\.0 MiB.*maxFileSize \(2\.0 MiB\)/);
      assert.deepEqual(r.findings, []);
    });

    it(`${lang}: a 256 KB line under a raised maxFileSize is analysed (the 10 MB ones run in npm run fuzz)`, () => {
      for (const unit of ['a + ', '"x" + ', 'load(), ', 'load(); ', 'f(', '(']) {
        const outcome = harness.check(ext, longLine(lang, unit, 256 * 1024), { maxFileSize: 16 * 1024 * 1024 });
        assert.deepEqual(outcome.problems, [], `${JSON.stringify(unit)}:\n${describeProblems(outcome)}`);
        // In TypeScript, 256 K open brackets nest as deep and the parser may give up; a chain of
        // 64 K operators is past the checker's depth limit. Statements on one line are analysed.
        const deep = unit !== 'load(); ';
        if (lang === 'python' || !deep) assert.equal(outcome.skipped, undefined, `${unit}: skipped ${outcome.skipped}`);
        else
          assert.ok(
            outcome.skipped === undefined || outcome.skipped === 'too-deep',
            `${unit}: skipped ${outcome.skipped}`,
          );
      }
    });

    it(`${lang}: NULs mean a binary file: skipped with a message; NULs after the first 8 KiB are analysed`, () => {
      const file = harness.fileFor(ext);
      const r = harness.linter.lint(file, 'x = 1\n\u0000\u0001\u0002', harness.config());
      assert.equal(r.skipped?.reason, 'binary');
      assert.match(r.skipped!.message, /binary/);
      const late = 'x = 1;\n'.repeat(2000) + '\u0000';
      const outcome = harness.check(ext, late);
      assert.deepEqual(outcome.problems, [], describeProblems(outcome));
      assert.equal(outcome.skipped, undefined);
    });

    it(`${lang}: unbalanced brackets and quotes, lone surrogates, BOMs and CRs anywhere in a seed`, () => {
      const seeds = loadSeeds(lang).filter((s) => s.name.startsWith('test/fuzz/seeds/'));
      assert.ok(seeds.length > 0);
      const pieces = [
        '(',
        ')',
        '[',
        '{',
        '}',
        '"',
        "'",
        '`',
        '"""',
        '/*',
        '${',
        '\ud800',
        '\udc00',
        '\ufeff',
        '\r',
        '\u2028',
        '\\',
      ];
      for (const seed of seeds) {
        for (const [i, piece] of pieces.entries()) {
          // Spread over the file: a different place for each piece.
          const at = Math.floor(((i + 1) * seed.text.length) / (pieces.length + 1));
          const text = seed.text.slice(0, at) + piece + seed.text.slice(at);
          const outcome = harness.check(seed.ext, text);
          assert.deepEqual(
            outcome.problems,
            [],
            `${seed.name} with ${JSON.stringify(piece)} at ${at}:\n${describeProblems(outcome)}`,
          );
        }
      }
    });
  }
});
