// --add-noqa (issue 14, Baseline): directives written for today's findings, so that the next run
// is clean. Unit tests of where a directive goes (engine/directive-edit.ts with each language's
// LineSafety), then the CLI on a small project: a second run reports nothing and nothing more
// fails to parse.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../server/src/cli/run';
import {
  applyTextEdits,
  planDirectives,
  type DirectiveStyle,
  type LineSafety,
} from '../server/src/engine/directive-edit';
import { LineIndex } from '../server/src/engine/text';
import { pythonLineSafety } from '../server/src/python/line-safety';
import { tsLineSafety } from '../server/src/typescript/line-safety';
import { PythonBackend } from '../server/src/python/backend';
import { TypeScriptBackend } from '../server/src/typescript/backend';

/** The text with directives for rule ids on 1-based lines, and the lines left unsuppressible. */
function add(
  file: string,
  text: string,
  findings: Array<[number, string]>,
  reason?: string,
): { text: string; unsuppressible: number[] } {
  const lines = new LineIndex(text);
  const safety: LineSafety = file.endsWith('.py') ? pythonLineSafety(text, lines) : tsLineSafety(file, text, lines);
  const style: DirectiveStyle = { leader: file.endsWith('.py') ? '#' : '//', reason };
  const plan = planDirectives(
    lines,
    findings.map(([line, ruleId]) => ({ line: line - 1, ruleId })),
    safety,
    style,
  );
  return { text: applyTextEdits(text, plan.edits), unsuppressible: plan.unsuppressible.map((l) => l + 1) };
}

describe('--add-noqa: where a directive goes', () => {
  it('TypeScript: a next-line comment above, with the line indentation (tabs kept); rules of one line in one directive', () => {
    const out = add('a.ts', 'async function f() {\n\tg();\n\tif (x) {\n\t\th();\n\t}\n}\n', [
      [2, 'unawaited'],
      [4, 'unawaited'],
      [4, 'blocking-call'],
    ]);
    assert.equal(
      out.text,
      'async function f() {\n\t// async-lint-disable-next-line unawaited\n\tg();\n\tif (x) {\n\t\t// async-lint-disable-next-line unawaited, blocking-call\n\t\th();\n\t}\n}\n',
    );
  });

  it('JavaScript: merges into a next-line directive already above, keeping its reason; a rule named there is not added twice', () => {
    const text = 'function f() {\n  // async-lint-disable-next-line unawaited -- legacy\n  g();\n}\n';
    assert.equal(
      add('a.js', text, [[3, 'async-callback']]).text,
      'function f() {\n  // async-lint-disable-next-line unawaited, async-callback -- legacy\n  g();\n}\n',
    );
    assert.equal(add('a.js', text, [[3, 'unawaited']]).text, text);
  });

  it('TSX/JSX children: the {/* */} form; in attributes and code, //', () => {
    const text =
      'export const A = () => (\n  <ul>\n    {items.map(async (i) => <li>{i}</li>)}\n    <li\n      onClick={async () => {\n        load();\n      }}\n    />\n  </ul>\n);\n';
    for (const file of ['a.tsx', 'a.jsx']) {
      const out = add(file, text, [
        [3, 'async-callback'],
        [6, 'unawaited'],
      ]);
      assert.match(out.text, /\n {4}\{\/\* async-lint-disable-next-line async-callback \*\/\}\n {4}\{items\.map/);
      assert.match(out.text, /\n {8}\/\/ async-lint-disable-next-line unawaited\n {8}load\(\);/);
    }
  });

  it('Python: a # line above; inside brackets a comment line is fine', () => {
    const out = add('a.py', 'async def f():\n    x = g(\n        time.sleep(1),\n    )\n    time.sleep(2)\n', [
      [3, 'blocking-call'],
      [5, 'blocking-call'],
    ]);
    assert.equal(
      out.text,
      'async def f():\n    x = g(\n        # async-lint-disable-next-line blocking-call\n        time.sleep(1),\n    )\n    # async-lint-disable-next-line blocking-call\n    time.sleep(2)\n',
    );
  });

  it('Python backslash continuation: no comment line after a backslash; the directive ends the line instead', () => {
    const out = add('a.py', 'async def f():\n    x = 1 + \\\n        time.sleep(1)\n', [[3, 'blocking-call']]);
    assert.equal(
      out.text,
      'async def f():\n    x = 1 + \\\n        time.sleep(1)  # async-lint-disable-line blocking-call\n',
    );
    // A line that itself continues takes no comment either.
    const stuck = add('a.py', 'async def f():\n    x = 1 + \\\n        time.sleep(1) + \\\n        2\n', [
      [3, 'blocking-call'],
    ]);
    assert.deepEqual(stuck.unsuppressible, [3]);
  });

  it('CRLF: the new line ends in CRLF too', () => {
    const out = add('a.ts', 'async function f() {\r\n  g();\r\n}\r\n', [[2, 'unawaited']]);
    assert.equal(out.text, 'async function f() {\r\n  // async-lint-disable-next-line unawaited\r\n  g();\r\n}\r\n');
  });

  it('a line starting inside a multi-line template literal: end of line when that is code, else unsuppressible', () => {
    const text = 'async function f() {\n  const s = `a\n${g()}`;\n  const t = `b\n${g()} c\nd`;\n}\n';
    const out = add('a.ts', text, [
      [3, 'unawaited'],
      [5, 'unawaited'],
    ]);
    assert.equal(
      out.text,
      'async function f() {\n  const s = `a\n${g()}`;  // async-lint-disable-line unawaited\n  const t = `b\n${g()} c\nd`;\n}\n',
    );
    assert.deepEqual(out.unsuppressible, [5]);
  });

  it('Python triple-quoted strings: a line starting inside one is not given a comment line above', () => {
    const out = add(
      'a.py',
      'async def f():\n    s = """a\n""" + str(time.sleep(1))\n    u = """b\n""" + str(time.sleep(2)) + """\n"""\n',
      [
        [3, 'blocking-call'],
        [5, 'blocking-call'],
      ],
    );
    assert.equal(
      out.text,
      'async def f():\n    s = """a\n""" + str(time.sleep(1))  # async-lint-disable-line blocking-call\n    u = """b\n""" + str(time.sleep(2)) + """\n"""\n',
    );
    assert.deepEqual(out.unsuppressible, [5]);
  });

  it('a reason is written after --', () => {
    assert.equal(
      add('a.py', 'async def f():\n    time.sleep(1)\n', [[2, 'blocking-call']], 'baseline').text,
      'async def f():\n    # async-lint-disable-next-line blocking-call -- baseline\n    time.sleep(1)\n',
    );
  });
});

describe('--add-noqa: the CLI', function () {
  this.timeout(120_000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-noqa-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
      cwd: tmp,
    };
    const code = await run(args, io);
    return { code, stdout, stderr };
  }

  it('writes directives for every finding; the next run reports nothing and every file still parses', async () => {
    const files: Record<string, string> = {
      'src/app.ts':
        'export async function load(): Promise<number> {\r\n  return 1;\r\n}\r\nexport async function main() {\r\n  load();\r\n  const s = `x\r\n${load()}`;\r\n  return s;\r\n}\r\n',
      'src/view.tsx':
        'import { load } from "./app";\nexport const V = () => (\n  <div>\n    {[1].forEach(async () => { await load(); })}\n  </div>\n);\n',
      'py/svc.py':
        '\ufeffimport asyncio\nimport time\n\nasync def main():\n\ttime.sleep(1)\n\tx = (1 +\n\t     time.sleep(2))\n\tasyncio.create_task(main())\n\treturn x\n',
      'py/broken.py': 'import time\nasync def f(:\n    time.sleep(1)\n',
      'src/save.ts':
        'async function save(v: number): Promise<void> {\n  await fetch(String(v));\n}\nexport const kept = () => save(1);\nexport function main(x: boolean) {\n  if (x) {\n    return 1;\n  } else save(2);\n  save(3);\n  return 0;\n}\n',
      'tsconfig.json': '{"compilerOptions": {"strict": true, "jsx": "react-jsx"}}',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    }
    const before = JSON.parse((await cli(['-f', 'json', '.'])).stdout) as Array<{
      filePath: string;
      messages: Array<{ ruleId: string | null; message: string }>;
    }>;
    const findings = (f: typeof before) =>
      f.flatMap((r) =>
        r.messages.filter((m) => m.ruleId !== null).map((m) => `${path.relative(tmp, r.filePath)}:${m.ruleId}`),
      );
    const syntax = (f: typeof before) =>
      f.flatMap((r) =>
        r.messages.filter((m) => m.ruleId === null).map((m) => `${path.relative(tmp, r.filePath)}:${m.message}`),
      );
    assert.ok(findings(before).filter((f) => !f.startsWith('py/broken')).length >= 5, findings(before).join('\n'));

    const added = await cli(['--add-noqa', '.']);
    assert.equal(added.code, 0);
    assert.match(added.stderr, /async-lint: added \d+ directives in 4 files/);
    assert.match(added.stderr, /left alone because of syntax errors:\n {2}py[/\\]broken\.py/);

    const after = JSON.parse((await cli(['-f', 'json', '.'])).stdout) as typeof before;
    assert.deepEqual(
      findings(after).filter((f) => !f.startsWith('py/broken')),
      [],
    );
    assert.deepEqual(syntax(after), syntax(before));
    const svc = fs.readFileSync(path.join(tmp, 'py/svc.py'), 'utf8');
    assert.ok(svc.startsWith('\ufeffimport asyncio\n'), 'the BOM is kept');
    assert.match(svc, /\n\t# async-lint-disable-next-line blocking-call\n\ttime\.sleep\(1\)/);
    assert.match(
      fs.readFileSync(path.join(tmp, 'src/view.tsx'), 'utf8'),
      /\{\/\* async-lint-disable-next-line async-callback \*\/\}/,
    );
    assert.match(
      fs.readFileSync(path.join(tmp, 'src/app.ts'), 'utf8'),
      /\r\n {2}\/\/ async-lint-disable-next-line unawaited\r\n {2}const s = `x\r\n/,
    );
    assert.equal(fs.readFileSync(path.join(tmp, 'py/broken.py'), 'utf8'), files['py/broken.py']);
    // A comment line just before a closing brace is read as a directive too (a line after the
    // block's last statement belongs to no node's leading comments; the backend collects it).
    assert.match(
      fs.readFileSync(path.join(tmp, 'src/save.ts'), 'utf8'),
      /\n {2}\/\/ async-lint-disable-next-line unawaited\n {2}\} else save\(2\);\n {2}\/\/ async-lint-disable-next-line unawaited\n {2}save\(3\);/,
    );
    // Every file parses as before.
    const py = new PythonBackend();
    await py.ready();
    assert.deepEqual(py.syntaxErrors('svc.py', svc.replace(/^\ufeff/, '')), []);
    const ts = new TypeScriptBackend();
    for (const f of ['src/app.ts', 'src/view.tsx', 'src/save.ts'])
      assert.deepEqual(ts.syntaxErrors(f, fs.readFileSync(path.join(tmp, f), 'utf8')), [], f);

    // A second --add-noqa has nothing to add.
    assert.match((await cli(['--add-noqa', '.'])).stderr, /added 0 directives in 0 files/);
  });

  it('--add-noqa-reason ends each directive with -- TEXT; it needs --add-noqa and cannot go with --fix', async () => {
    fs.writeFileSync(path.join(tmp, 'a.py'), 'import time\nasync def f():\n    time.sleep(1)\n');
    await cli(['--add-noqa', '--add-noqa-reason', 'adopted 2026-12', '.']);
    assert.match(
      fs.readFileSync(path.join(tmp, 'a.py'), 'utf8'),
      /# async-lint-disable-next-line blocking-call -- adopted 2026-12\n {4}time\.sleep/,
    );
    await assert.rejects(cli(['--add-noqa-reason', 'x', '.']), /only takes effect with --add-noqa/);
    await assert.rejects(cli(['--add-noqa', '--fix', '.']), /cannot be combined/);
  });
});
