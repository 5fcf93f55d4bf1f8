// Suppression comments: async-lint's own directives, and the other linters' suppressions of the
// equivalent rule that are honoured (ESLint's eslint-disable-line / -next-line, Ruff's and
// flake8's # noqa). Unit tests on the engine's parser with findings placed by hand (so they do not
// depend on what a rule flags), then end to end through the real backends.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applySuppressions, parseDirectives, PEER_ESLINT_RULES } from '../server/src/engine/suppress';
import { LineIndex } from '../server/src/engine/text';
import type { Comment, Finding, Language } from '../server/src/engine/types';
import { RULES } from '../server/src/engine/rules';
import { onlyRule, testLinter } from './helpers';

/** Comments of a small text: `//...`, `/* ... *\/` (TS) or `#...` (Python), found by regex. */
function commentsOf(text: string, language: Language): Comment[] {
  const re = language === 'python' ? /#[^\n]*/g : /\/\/[^\n]*|\/\*[\s\S]*?\*\//g;
  return [...text.matchAll(re)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, text: m[0] }));
}

/** A finding of `ruleId` at the first occurrence of `marker` in the text. */
function findingAt(text: string, ruleId: string, marker: string): Finding {
  const lines = new LineIndex(text);
  const start = text.indexOf(marker);
  assert.ok(start >= 0, marker);
  return {
    ruleId,
    severity: 'warning',
    message: 'm',
    start,
    end: start + marker.length,
    range: lines.range(start, start + marker.length),
    fixes: [],
  };
}

/** Whether the finding of `ruleId` at `marker` survives the text's directives. */
function kept(
  text: string,
  language: Language,
  ruleId: string,
  marker: string,
  statementLine?: (offset: number) => number | undefined,
): boolean {
  const lines = new LineIndex(text);
  const directives = parseDirectives(commentsOf(text, language), lines, language);
  return applySuppressions([findingAt(text, ruleId, marker)], directives, statementLine).length === 1;
}

describe('async-lint directives', () => {
  it('are read anywhere in a comment, but not when quoted in prose', () => {
    const text = (comment: string) => `${comment}\nsave();\n`;
    assert.equal(kept(text('// async-lint-disable-next-line unawaited'), 'typescript', 'unawaited', 'save()'), false);
    assert.equal(
      kept(text('// note: async-lint-disable-next-line unawaited'), 'typescript', 'unawaited', 'save()'),
      false,
    );
    assert.equal(
      kept(
        text('// The words after `async-lint-disable-next-line` and where they start'),
        'typescript',
        'unawaited',
        'save()',
      ),
      true,
    );
    assert.equal(
      kept(text("// write 'async-lint-disable-next-line' to silence one line"), 'typescript', 'unawaited', 'save()'),
      true,
    );
    const lines = new LineIndex(text('// The words after `async-lint-disable-next-line` and where'));
    assert.deepEqual(
      parseDirectives(
        commentsOf(text('// The words after `async-lint-disable-next-line` and where'), 'typescript'),
        lines,
        'typescript',
      ),
      [],
    );
  });
});

describe('honoured ESLint suppressions (TS/JS)', () => {
  const cases: [string, string][] = [
    ['@typescript-eslint/no-floating-promises', 'unawaited'],
    ['@typescript-eslint/no-misused-promises', 'async-callback'],
    ['@typescript-eslint/no-misused-promises', 'unawaited'],
    ['no-async-promise-executor', 'async-callback'],
    ['@typescript-eslint/require-await', 'unused-async'],
    ['require-await', 'unused-async'],
    ['no-await-in-loop', 'await-in-loop'],
    ['n/no-sync', 'blocking-call'],
    ['node/no-sync', 'blocking-call'],
  ];
  for (const [eslintRule, ours] of cases) {
    it(`${eslintRule} suppresses ${ours}, on the line and on the next line, and nothing else`, () => {
      const line = `run(); // eslint-disable-line ${eslintRule}\n`;
      assert.equal(kept(line, 'typescript', ours, 'run()'), false, 'eslint-disable-line');
      const next = `// eslint-disable-next-line ${eslintRule} -- the reason\nrun();\n`;
      assert.equal(kept(next, 'typescript', ours, 'run()'), false, 'eslint-disable-next-line');
      const block = `/* eslint-disable-next-line ${eslintRule} */\nrun();\n`;
      assert.equal(kept(block, 'typescript', ours, 'run()'), false, 'block comment');
      const other = RULES.find(
        (r) => r.languages.includes('typescript') && !PEER_ESLINT_RULES[eslintRule].includes(r.id),
      )!;
      assert.equal(kept(next, 'typescript', other.id, 'run()'), true, `${other.id} is not ${eslintRule}'s`);
      assert.equal(
        kept(`// eslint-disable-next-line ${eslintRule}\n\nrun();\n`, 'typescript', ours, 'run()'),
        true,
        'two lines below',
      );
    });
  }

  it('a rule list of other rules suppresses nothing; no list suppresses every rule', () => {
    for (const r of ['unawaited', 'blocking-call', 'unused-async']) {
      assert.equal(kept('run(); // eslint-disable-line no-console\n', 'typescript', r, 'run()'), true);
      assert.equal(kept('// eslint-disable-next-line no-console, max-len\nrun();\n', 'typescript', r, 'run()'), true);
      assert.equal(kept('run(); // eslint-disable-line\n', 'typescript', r, 'run()'), false);
      assert.equal(kept('// eslint-disable-next-line\nrun();\n', 'typescript', r, 'run()'), false);
      assert.equal(kept('/* eslint-disable-next-line */\nrun();\n', 'typescript', r, 'run()'), false);
    }
    // One of ours in a list with others.
    assert.equal(
      kept(
        '// eslint-disable-next-line no-console, @typescript-eslint/no-floating-promises\nrun();\n',
        'typescript',
        'unawaited',
        'run()',
      ),
      false,
    );
    // A description after -- is not a rule name.
    assert.equal(
      kept(
        '// eslint-disable-next-line no-console -- n/no-sync is fine\nrun();\n',
        'typescript',
        'blocking-call',
        'run()',
      ),
      true,
    );
  });

  it('only at the start of a comment, and not in Python files', () => {
    assert.equal(kept('run(); // see eslint-disable-line n/no-sync\n', 'typescript', 'blocking-call', 'run()'), true);
    assert.equal(kept('run()  # eslint-disable-line\n', 'python', 'blocking-call', 'run()'), true);
    // eslint-disable / eslint-enable regions are not honoured (only line directives).
    assert.equal(kept('/* eslint-disable n/no-sync */\nrun();\n', 'typescript', 'blocking-call', 'run()'), true);
  });

  it('a next-line directive before a statement covers its later lines when the backend knows statements', () => {
    const text = '// eslint-disable-next-line n/no-sync\nconst x = load(\n  readFileSync(p));\n';
    const statementLine = (offset: number) => (offset >= text.indexOf('const') ? 1 : undefined);
    assert.equal(kept(text, 'typescript', 'blocking-call', 'readFileSync', statementLine), false);
    assert.equal(
      kept(text, 'typescript', 'blocking-call', 'readFileSync'),
      true,
      'without statements: the start line only',
    );
    assert.equal(kept(text, 'typescript', 'unawaited', 'readFileSync', statementLine), true, 'another rule');
  });
});

describe('honoured # noqa (Python)', () => {
  it('ASYNC1xx / ASYNC2xx suppress blocking-call, RUF006 dangling-task, RUF029 unused-async', () => {
    const cases: [string, string][] = [
      ['ASYNC230', 'blocking-call'],
      ['ASYNC210', 'blocking-call'],
      ['ASYNC101', 'blocking-call'],
      ['RUF006', 'dangling-task'],
      ['RUF029', 'unused-async'],
    ];
    for (const [code, ours] of cases) {
      assert.equal(kept(`run()  # noqa: ${code}\n`, 'python', ours, 'run()'), false, code);
      assert.equal(
        kept(`run()  # noqa:${code.toLowerCase()}\n`, 'python', ours, 'run()'),
        false,
        `${code} spelled tightly`,
      );
      assert.equal(kept(`run()  # noqa: E501, ${code}\n`, 'python', ours, 'run()'), false, `${code} in a list`);
      assert.equal(kept(`run()  # noqa: ${code}\n`, 'python', 'unawaited', 'run()'), true, `${code} is not unawaited`);
      assert.equal(kept(`# noqa: ${code}\nrun()\n`, 'python', ours, 'run()'), true, 'noqa is for its own line');
    }
    assert.equal(
      kept('run()  # noqa: ASYNC300\n', 'python', 'blocking-call', 'run()'),
      true,
      'ASYNC3xx is not a blocking call',
    );
  });

  it('other codes suppress nothing; a bare # noqa suppresses every rule on the line', () => {
    for (const r of ['blocking-call', 'unawaited', 'dangling-task', 'unused-async']) {
      assert.equal(kept('run()  # noqa: E501\n', 'python', r, 'run()'), true);
      assert.equal(kept('run()  # noqa: E402, F401\n', 'python', r, 'run()'), true);
      assert.equal(kept('run()  # noqa\n', 'python', r, 'run()'), false);
      assert.equal(kept('run()  # NOQA\n', 'python', r, 'run()'), false);
      assert.equal(kept('run()  # type: ignore  # noqa\n', 'python', r, 'run()'), false);
      assert.equal(kept('run()  # noqanything\n', 'python', r, 'run()'), true);
    }
    assert.equal(kept('run()  // noqa\n', 'typescript', 'unawaited', 'run()'), true, 'not in TS/JS');
  });
});

describe('honoured suppressions end to end', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-suppress-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const lint = async (name: string, text: string, ruleId: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const linter = await testLinter();
    return linter.lint(file, text, onlyRule(ruleId, file)).findings.map((f) => f.range.start.line);
  };

  it('TS: eslint-disable-next-line @typescript-eslint/no-floating-promises, also before a multi-line statement', async () => {
    const text = [
      'declare function save(a: number, b: number): Promise<void>;',
      'export function f(): void {',
      '  // eslint-disable-next-line @typescript-eslint/no-floating-promises',
      '  save(1, 2);',
      '  save(3, 4); // eslint-disable-line no-console',
      '  /* eslint-disable-next-line */',
      '  save(',
      '    5,',
      '    6,',
      '  );',
      '  save(7, 8);',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await lint('floating.ts', text, 'unawaited'), [4, 10]);
  });

  it('TS: a next-line directive before a multi-line statement covers the call on its later line', async () => {
    const text = [
      "import fs from 'node:fs';",
      'export async function g(p: string): Promise<string> {',
      '  // eslint-disable-next-line n/no-sync',
      '  const text = String(',
      '    fs.readFileSync(p),',
      '  );',
      '  const more = String(',
      '    fs.readFileSync(p), // eslint-disable-line no-console',
      '  );',
      '  await Promise.resolve();',
      '  return text + more;',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await lint('sync.ts', text, 'blocking-call'), [7]);
  });

  it('Python: # noqa: RUF006 and a bare # noqa; # noqa: E501 does not suppress', async () => {
    const text = [
      'import asyncio',
      '',
      '',
      'async def work():',
      '    await asyncio.sleep(1)',
      '',
      '',
      'async def main():',
      '    asyncio.create_task(work())  # noqa: RUF006',
      '    asyncio.create_task(work())  # noqa',
      '    asyncio.create_task(work())  # noqa: E501',
      '    asyncio.create_task(work())',
      '',
    ].join('\n');
    assert.deepEqual(await lint('tasks.py', text, 'dangling-task'), [10, 11]);
  });
});
