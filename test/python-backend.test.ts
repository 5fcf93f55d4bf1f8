// The Python backend on hostile input and across edits: a BOM, Latin-1 text, tabs and spaces
// mixed, Python 2, a 5 MB module, 10,000-deep nesting (no crash, no hang, no rule failure, and
// still the findings it can stand behind), and incremental re-parsing of open documents giving
// the same findings as a fresh parse.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { Linter } from '../server/src/engine/linter';
import { RULES } from '../server/src/engine/rules';
import type { SeverityOrOff } from '../server/src/engine/types';
import { ConfigResolver } from '../server/src/engine/config';
import { PythonBackend } from '../server/src/python/backend';
import { decode } from '../server/src/engine/source-file';

const FILE = '/nonexistent/async-lint-test/module.py';

/** Every rule on, no project configuration. */
function allRules() {
  const overrides: Record<string, SeverityOrOff> = {};
  for (const r of RULES) overrides[r.id] = r.defaultSeverity;
  return new ConfigResolver({ readFile: () => undefined }, { ruleOverrides: overrides }).forFile(FILE);
}

async function setup(): Promise<{ linter: Linter; backend: PythonBackend }> {
  const backend = new PythonBackend();
  const linter = new Linter([backend]);
  await linter.ready();
  return { linter, backend };
}

function lint(linter: Linter, text: string, version?: number) {
  const result = linter.lint(FILE, text, { ...allRules(), maxFileSize: 64 * 1024 * 1024 }, { version });
  assert.deepEqual(result.ruleFailures, [], 'no rule may throw');
  assert.equal(result.skipped, undefined, result.skipped?.message);
  return result;
}

const ids = (r: { findings: { ruleId: string; range: { start: { line: number } } }[] }) =>
  r.findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`);

describe('python backend: bad input', () => {
  it('reads UTF-8 with a BOM and Latin-1 bytes; offsets stay in the decoded text', async () => {
    const { linter } = await setup();
    const latin1 = Buffer.from('# caf\xe9\nimport time\nasync def f():\n    time.sleep(1)\n', 'latin1');
    const { text } = decode(latin1);
    assert.ok(text.startsWith('# café'));
    const bom = decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('import time\n', 'utf8')])).text;
    assert.equal(bom, 'import time\n');
    const r = lint(linter, text);
    const f = r.findings.find((x) => x.ruleId === 'blocking-call');
    assert.ok(f);
    assert.equal(text.slice(f.start, f.end), 'time.sleep(1)');
    // A BOM left in the text (an editor may keep it) does not shift the anchor.
    const withBom = '\ufeffimport time\nasync def f():\n    time.sleep(1)\n';
    const g = lint(linter, withBom).findings.find((x) => x.ruleId === 'blocking-call');
    assert.ok(g);
    assert.equal(withBom.slice(g.start, g.end), 'time.sleep(1)');
  });

  it('analyses code with tabs and spaces mixed as far as it parses', async () => {
    const { linter } = await setup();
    const text =
      'import time\nasync def f():\n\tif True:\n\t\ttime.sleep(1)\n        time.sleep(2)\nasync def g():\n    time.sleep(3)\n';
    const r = lint(linter, text);
    assert.ok(ids(r).includes('7:blocking-call'), ids(r).join(' '));
  });

  it('survives Python 2 syntax and reports nothing from inside errors', async () => {
    const { linter } = await setup();
    const text = [
      'import time',
      'print "hello"',
      'exec "code"',
      'async def f():',
      '    time.sleep(1)',
      'def g():',
      '    raise ValueError, "old"',
      '    print >>sys.stderr, time.sleep(2)',
      'x = 0777',
      'async def h(:',
      '    time.sleep(3)',
      '',
    ].join('\n');
    const r = lint(linter, text);
    assert.ok(ids(r).includes('5:blocking-call'), ids(r).join(' '));
    assert.ok(!ids(r).includes('8:blocking-call'));
    assert.ok(r.syntaxErrors.length > 0);
  });

  it('lints a 5 MB module', async () => {
    const { linter } = await setup();
    const unit = 'async def handler_N(x):\n    time.sleep(1)\n    await fetch(x)\n    return requests.get(x)\n\n\n';
    const parts = ['import time\nimport requests\n\n\nasync def fetch(x):\n    return x\n\n\n'];
    let size = parts[0].length;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const u = unit.replace('N', String(i));
      parts.push(u);
      size += u.length;
    }
    const r = lint(linter, parts.join(''));
    const blocking = r.findings.filter((f) => f.ruleId === 'blocking-call').length;
    assert.equal(blocking, 2 * (parts.length - 1));
  });

  for (const [title, make] of [
    ['parentheses', (n: number) => `${'('.repeat(n)}time.sleep(1)${')'.repeat(n)}`],
    ['calls', (n: number) => `${'f('.repeat(n)}time.sleep(1)${')'.repeat(n)}`],
    ['attribute chains', (n: number) => `time${'.x'.repeat(n)}()`],
    ['lists', (n: number) => `${'['.repeat(n)}time.sleep(1)${']'.repeat(n)}`],
    ['binary operators', (n: number) => `${'1 + '.repeat(n)}time.sleep(1)`],
    ['lambdas', (n: number) => `${'lambda: '.repeat(n)}time.sleep(1)`],
  ] as const) {
    it(`survives 10,000-deep nested ${title}`, async () => {
      const { linter } = await setup();
      const text = `import time\n\n\nasync def f():\n    x = ${make(10_000)}\n    time.sleep(2)\n`;
      const r = lint(linter, text);
      assert.ok(
        ids(r).includes('6:blocking-call'),
        `the statement after the deep one is still analysed: ${ids(r).join(' ')}`,
      );
    });
  }

  it('blocks nested as deep as Python accepts (99 levels) are analysed; deeper ones are skipped with a message', async () => {
    const { linter } = await setup();
    const nestedDefs = (levels: number) => {
      let text = 'import time\n';
      for (let i = 0; i < levels; i++) text += `${' '.repeat(i)}${i % 2 ? 'def' : 'async def'} f${i}():\n`;
      return text + `${' '.repeat(levels)}time.sleep(1)\n`;
    };
    // 99 levels: f98, the innermost, is an async def (even index): its time.sleep is flagged.
    const ok = lint(linter, nestedDefs(99));
    assert.equal(ok.skipped, undefined);
    assert.ok(ids(ok).includes('101:blocking-call'), ids(ok).join(' '));
    // 100 levels and more: Python refuses the file ("too many levels of indentation"), and
    // tree-sitter's scanner corrupts its memory on such files when they also have a syntax error.
    for (const levels of [100, 1_000, 10_000]) {
      for (const broken of ['', 'x = `\n']) {
        const r = linter.lint(FILE, broken + nestedDefs(levels), { ...allRules(), maxFileSize: 64 * 1024 * 1024 });
        assert.equal(r.skipped?.reason, 'too-deep', `${levels} levels${broken ? ', with a syntax error' : ''}`);
        assert.match(r.skipped!.message, /more than 99 levels deep.*too many levels of indentation/);
      }
    }
    // Fuzz finding: after an unterminated `""""` CPython sees one string (no blocks at all), but
    // tree-sitter's recovery still counts the indentation: 595 distinct widths crashed it.
    const unterminated = linter.lint(FILE, '""""\n' + nestedDefs(595), {
      ...allRules(),
      maxFileSize: 64 * 1024 * 1024,
    });
    assert.equal(unterminated.skipped?.reason, 'too-deep');
    assert.match(unterminated.skipped!.message, /more than 400 different depths/);
    // The parser is intact afterwards.
    assert.ok(ids(lint(linter, nestedDefs(3))).includes('5:blocking-call'));
  });
});

describe('python backend: incremental parsing', () => {
  const base = [
    'import asyncio',
    'import time',
    '',
    '',
    'async def fetch(x):',
    '    await asyncio.sleep(0)',
    '',
    '',
    'async def handler(x):',
    '    time.sleep(1)  # é😀',
    '    fetch(x)',
    '    asyncio.create_task(fetch(x))',
    '',
  ].join('\n');

  it('re-parses an open document from its last tree and finds what a fresh parse finds', async () => {
    const { linter, backend } = await setup();
    const fresh = (await setup()).linter;
    lint(linter, base, 1);
    const edited = base.replace('    fetch(x)', '    fetch(x)\n    time.sleep(2)');
    const r = lint(linter, edited, 2);
    assert.equal(backend.parseCount.incremental, 1);
    assert.deepEqual(ids(r), ids(lint(fresh, edited)));
    assert.ok(ids(r).includes('12:blocking-call'));
    // The same text again reuses the tree.
    lint(linter, edited, 3);
    assert.equal(backend.parseCount.full + backend.parseCount.incremental, 2);
    // After closing, the document is parsed afresh.
    backend.closeDocument(FILE);
    lint(linter, edited, 4);
    assert.equal(backend.parseCount.full, 2);
  });

  it('matches a fresh parse after any sequence of edits', async () => {
    const { linter, backend } = await setup();
    const fresh = (await setup()).linter;
    const pieces = [
      'time.sleep(1)',
      '\n',
      '    ',
      'async ',
      'def g():\n',
      'fetch(x)',
      '(',
      ')',
      'é',
      '😀',
      '# c\n',
      ':',
      '\t',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...pieces)), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          let text = base;
          let version = 1;
          lint(linter, text, version);
          for (const [at, len, insert] of edits) {
            const start = at % (text.length + 1);
            text = text.slice(0, start) + insert + text.slice(Math.min(text.length, start + len));
            const incremental = lint(linter, text, ++version);
            assert.deepEqual(ids(incremental), ids(lint(fresh, text)));
            assert.deepEqual(incremental.syntaxErrors, lint(fresh, text).syntaxErrors);
          }
          backend.closeDocument(FILE);
        },
      ),
      { numRuns: 40 },
    );
    assert.ok(backend.parseCount.incremental > 0);
  });
});

describe('python backend: a crashed parser', () => {
  it("frees the dead instance's leftovers without ending the process, and a new instance parses", function () {
    this.timeout(60_000);
    const script = path.join(__dirname, 'fuzz', 'fault-injection', 'parser-crash-gc.ts');
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 50_000,
    });
    assert.equal(r.status, 0, `the process ended: ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.match(out.crashed, /RuntimeError/, 'the instance did crash (else this test checks nothing)');
    assert.deepEqual([out.newGeneration, out.parsed], [true, 'module']);
  });
});
