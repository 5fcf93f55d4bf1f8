// Notebooks in the engine: joining cells and mapping back (python/notebook.ts), masking IPython's
// syntax without moving a character, and the Python rules in notebook mode (top-level code runs
// in IPython's event loop) against the same text as a plain module.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConfigResolver } from '../server/src/engine/config';
import { applyFixes } from '../server/src/engine/fixes';
import { Linter } from '../server/src/engine/linter';
import { RULES } from '../server/src/engine/rules';
import type { LintResult, SeverityOrOff } from '../server/src/engine/types';
import { PythonBackend } from '../server/src/python/backend';
import { maskIPython, NotebookText } from '../server/src/python/notebook';

const NOTEBOOK = '/nonexistent/async-lint-test/analysis.ipynb';
const SCRIPT = '/nonexistent/async-lint-test/analysis.py';

function allRules(file: string) {
  const overrides: Record<string, SeverityOrOff> = {};
  for (const r of RULES) overrides[r.id] = r.defaultSeverity;
  return new ConfigResolver({ readFile: () => undefined }, { ruleOverrides: overrides }).forFile(file);
}

let linter: Linter;
before(async () => {
  linter = new Linter([new PythonBackend()]);
  await linter.ready();
});

function lintNotebook(cells: string[]): { nb: NotebookText; result: LintResult; found: string[] } {
  const nb = new NotebookText(cells);
  const result = linter.lint(NOTEBOOK, nb.text, allRules(NOTEBOOK), { notebook: nb });
  assert.deepEqual(result.ruleFailures, []);
  assert.deepEqual(result.syntaxErrors, [], 'IPython syntax is masked; top-level await parses');
  const found = result.findings.map((f) => {
    const span = nb.cellSpan(f.start, f.end)!;
    return `${span.cell}:${f.ruleId}:${cells[span.cell].slice(span.start, span.end)}`;
  });
  return { nb, result, found };
}

describe('notebooks: joined cells', () => {
  it('joins the cells, each starting a line, and maps spans and edits back to their cell', () => {
    const nb = new NotebookText(['a = 1', 'b = 2\n', 'c\r\nd']);
    assert.equal(nb.text, 'a = 1\n\nb = 2\n\n\nc\r\nd\n\n');
    assert.deepEqual(nb.cellStarts, [0, 7, 15]);
    assert.deepEqual(nb.cellSpan(7, 8), { cell: 1, start: 0, end: 1 });
    assert.deepEqual(nb.cellSpan(15 + 3, 15 + 4), { cell: 2, start: 3, end: 4 });
    // A span running past its cell ends with the cell.
    assert.deepEqual(nb.cellSpan(2, 12), { cell: 0, start: 2, end: 5 });
    assert.deepEqual(nb.cellEdit({ start: 15, end: 15, newText: 'await ' }), {
      cell: 2,
      edit: { start: 0, end: 0, newText: 'await ' },
    });
    assert.deepEqual(
      nb.cellEdit({ start: 5, end: 5, newText: 'x' }),
      { cell: 0, edit: { start: 5, end: 5, newText: 'x' } },
      'the end of a cell is in it',
    );
    assert.equal(nb.cellEdit({ start: 4, end: 8, newText: '' }), undefined, 'an edit across cells is no cell edit');
    assert.equal(nb.cellEdit({ start: 6, end: 6, newText: 'x' }), undefined, 'nor one in the blank line between cells');
    assert.equal(new NotebookText([]).cellSpan(0, 0), undefined);
  });

  it('masks IPython syntax at statement starts, keeping every offset and line break', () => {
    const cases: [string, string][] = [
      ['%matplotlib inline', '0#atplotlib inline'],
      ['!pip install aiohttp', '0#ip install aiohttp'],
      ['  !ls', '  0#s'],
      ['!', '0'],
      ['files = !ls -la', 'files = 0#s -la'],
      ['a, b = %timeit -o f()', 'a, b = 0#imeit -o f()'],
      ['?obj', '0#bj'],
      ['fetch?', 'fetch '],
      ['mod.fetch??', 'mod.fetch  '],
      ['for i in x:\n    %time f(i)', 'for i in x:\n    0#ime f(i)'],
      // Python, left alone: an operator on a continuation line, a string, a comparison.
      ['msg = ("%s"\n       % x)', 'msg = ("%s"\n       % x)'],
      ['s = """\n!not a command\n"""', 's = """\n!not a command\n"""'],
      ['t = a \\\n  % b', 't = a \\\n  % b'],
      ['if a != b: pass', 'if a != b: pass'],
      ['x = 1 # !comment', 'x = 1 # !comment'],
      // Cell magics: Python bodies kept, others blanked.
      ['%%time\nawait f()', '0#time\nawait f()'],
      ['%%bash\necho hi\r\nf()', '      \n       \r\n   '],
      ['%%python3\nimport asyncio', '         \n              '],
    ];
    for (const [cell, masked] of cases) {
      assert.equal(maskIPython(cell), masked, cell);
      assert.equal(maskIPython(cell).length, cell.length);
    }
  });

  it('keeps length and line breaks for any text, and maps every offset back to its cell', () => {
    const piece = fc.constantFrom(
      '%',
      '%%',
      '!',
      '?',
      '??',
      '"',
      "'",
      '"""',
      '(',
      ')',
      '\\',
      '\n',
      '\r\n',
      '\r',
      '#',
      ' ',
      'x',
      'a = ',
      'bash',
      'time',
    );
    const cell = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 5 }), (cells) => {
        for (const c of cells) {
          const masked = maskIPython(c);
          assert.equal(masked.length, c.length);
          for (let i = 0; i < c.length; i++) if (c[i] === '\n' || c[i] === '\r') assert.equal(masked[i], c[i]);
        }
        const nb = new NotebookText(cells);
        cells.forEach((c, i) => {
          for (let o = 0; o <= c.length; o++)
            assert.deepEqual(nb.cellSpan(nb.cellStarts[i] + o, nb.cellStarts[i] + o), { cell: i, start: o, end: o });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never maps an edit onto masked text', () => {
    const nb = new NotebookText(['%time x = 1\ny = 2']);
    assert.equal(nb.cellEdit({ start: 0, end: 12, newText: '' }), undefined);
    assert.ok(nb.cellEdit({ start: 12, end: 12, newText: 'z' }));
  });
});

describe('notebooks: the Python rules at the top level', () => {
  const DEFS =
    'import asyncio\nimport time\n%matplotlib inline\n\n\nasync def fetch(n):\n    time.sleep(1)\n    return n';

  it('accepts top-level await; flags a dropped coroutine and a blocking call in an async def', () => {
    const { found, result, nb } = lintNotebook([DEFS, 'x = await fetch(1)\nfetch(2)\nprint(x)']);
    assert.deepEqual(found, ['0:blocking-call:time.sleep(1)', '1:unawaited:fetch(2)']);
    const unawaited = result.findings.find((f) => f.ruleId === 'unawaited')!;
    assert.deepEqual(
      unawaited.fixes.map((f) => f.title),
      ["Add 'await'"],
    );
    assert.ok(applyFixes(nb.text, unawaited.fixes).text.includes('\nawait fetch(2)\n'));
  });

  it('keeps the last expression of a cell (its output), unless a ; silences it', () => {
    const { found } = lintNotebook([
      DEFS,
      'asyncio.create_task(fetch(1))\nprint(1)',
      'asyncio.create_task(fetch(2))\n# a comment after it',
      'asyncio.create_task(fetch(3));',
      'if True:\n    asyncio.create_task(fetch(4))',
    ]);
    assert.deepEqual(found, [
      '0:blocking-call:time.sleep(1)',
      '1:dangling-task:asyncio.create_task(fetch(1))',
      '3:dangling-task:asyncio.create_task(fetch(3))',
      '4:dangling-task:asyncio.create_task(fetch(4))',
    ]);
  });

  it('flags asyncio.run at the top level, class bodies included: the kernel loop is running', () => {
    const { found, result } = lintNotebook([
      DEFS,
      'asyncio.run(fetch(1))\nclass A:\n    asyncio.run(fetch(2))\ndef main():\n    asyncio.run(fetch(3))',
    ]);
    assert.deepEqual(found, [
      '0:blocking-call:time.sleep(1)',
      '1:nested-event-loop:asyncio.run(fetch(1))',
      '1:nested-event-loop:asyncio.run(fetch(2))',
    ]);
    // `await` may replace it at the top level, not in a class body.
    assert.deepEqual(
      result.findings[1].fixes.map((f) => f.title),
      ["Await the coroutine: 'await fetch(1)'"],
    );
    assert.deepEqual(result.findings[2].fixes, []);
  });

  it('leaves the same text as a .py module as it was: no top-level await, asyncio.run is right there', () => {
    const nb = new NotebookText([DEFS, 'fetch(2)\nasyncio.run(fetch(1))\nasyncio.create_task(fetch(3))']);
    const plain = linter.lint(SCRIPT, nb.text, allRules(SCRIPT));
    const found = plain.findings.map((f) => `${f.ruleId}:${nb.text.slice(f.start, f.end)}`);
    assert.deepEqual(found, [
      'blocking-call:time.sleep(1)',
      'unawaited:fetch(2)',
      'dangling-task:asyncio.create_task(fetch(3))',
    ]);
    assert.deepEqual(
      plain.findings[1].fixes.map((f) => f.title),
      ["Run it with 'asyncio.run(...)'"],
    );
  });
});
