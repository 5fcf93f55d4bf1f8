// How deeply Python blocks nest, counted as CPython's tokenizer does (server/src/python/indentation.ts):
// files nested deeper than Python accepts are not given to tree-sitter (its scanner corrupts its
// memory about 500 levels deep in a file with a syntax error). Exact cases, then random programs
// checked against CPython itself where `python3` is installed (skipped, and said so, where not).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { indentationDepth, MAX_INDENT_LEVELS, nestsDeeperThan, tooDeep } from '../server/src/python/indentation';

const ifs = (levels: number, indent = (i: number) => '    '.repeat(i)) =>
  Array.from({ length: levels }, (_, i) => `${indent(i)}if x:\n`).join('') + `${indent(levels)}pass\n`;

describe('python indentation depth', () => {
  it('counts the INDENT levels of nested blocks', () => {
    assert.equal(indentationDepth('x = 1\n'), 0);
    assert.equal(indentationDepth(ifs(1)), 1);
    assert.equal(indentationDepth(ifs(99)), 99);
    assert.equal(nestsDeeperThan(ifs(99)), false);
    assert.equal(nestsDeeperThan(ifs(100)), true);
    assert.equal(MAX_INDENT_LEVELS, 99);
    // Dedents pop; a later block at an old column does not count twice.
    assert.equal(indentationDepth('if a:\n    if b:\n        pass\n    x = 1\nif c:\n    pass\n'), 2);
    // Tabs go to the next multiple of 8; a form feed resets the column.
    assert.equal(indentationDepth('if a:\n\tif b:\n\t\tpass\n'), 2);
    assert.equal(indentationDepth('if a:\n\f    pass\n'), 1);
  });

  it('ignores what is not the start of a logical line', () => {
    const deep = (n: number) => ' '.repeat(n);
    // Inside brackets, after a backslash, inside a triple-quoted string, blank and comment lines.
    assert.equal(indentationDepth(`x = [1,\n${deep(500)}2,\n${deep(900)}3]\n`), 0);
    assert.equal(indentationDepth(`x = 1 + \\\n${deep(500)}2\n`), 0);
    assert.equal(indentationDepth(`s = """\n${deep(500)}text\n"""\n`), 0);
    assert.equal(indentationDepth(`${deep(500)}# comment\n${deep(300)}\nx = 1\n`), 0);
    // Brackets inside strings and comments do not open anything.
    assert.equal(indentationDepth(`s = "(["  # {\nif x:\n    pass\n`), 1);
    assert.equal(indentationDepth(`s = 'it\\'s ('\nif x:\n    pass\n`), 1);
    // An unterminated one-quote string ends at the line's end.
    assert.equal(indentationDepth(`s = "(\nif x:\n    pass\n`), 1);
  });

  it('refuses more than 400 distinct indentation widths even where CPython would see no blocks', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}async def f():\n`).join('');
    assert.equal(tooDeep('""""\n' + lines(401))?.kind, 'parser-limit');
    assert.equal(tooDeep('""""\n' + lines(399)), undefined);
    assert.equal(tooDeep(lines(150))?.kind, 'python-limit');
  });

  it('answers from line starts alone when no line is indented beyond the limit', () => {
    // 10 MB of one line: no need to tokenize it.
    const text = 'x = ' + '('.repeat(10 * 1024 * 1024) + '\n';
    assert.equal(nestsDeeperThan(text), false);
  });

  it('agrees with CPython on random programs around the limit', function () {
    this.timeout(120_000);
    const probe = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      // Not a pass: this machine has no CPython to compare with.
      this.skip();
    }
    let seed = 20261124;
    const rnd = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed % k;
    };
    const programs: string[] = [];
    for (let t = 0; t < 120; t++) {
      const lines: string[] = [];
      let depth = 0;
      const ramp = 88 + rnd(14);
      for (; depth < ramp; depth++) {
        const pad = '    '.repeat(depth);
        const extra = [
          '',
          `x = [1,\n${' '.repeat(rnd(300))}2]\n${pad}`,
          `s = """a\n${' '.repeat(rnd(300))}b"""\n${pad}`,
          `y = 1 + \\\n${' '.repeat(rnd(300))}2\n${pad}`,
          `${' '.repeat(rnd(300))}# comment\n${pad}`,
          `t = 'it\\'s (' # )\n${pad}`,
        ][rnd(6)];
        lines.push(`${pad}${extra}if x:`);
      }
      for (let k = rnd(20); k > 0; k--) {
        if (rnd(3) === 0 && depth > 1) depth -= 1 + rnd(3);
        else if (rnd(2) === 0) lines.push(`${'    '.repeat(depth++)}if y:`);
        else lines.push(`${'    '.repeat(depth)}pass`);
      }
      lines.push(`${'    '.repeat(depth)}pass`);
      programs.push(lines.join('\n') + '\n');
    }
    const script = [
      'import json, sys',
      'out = []',
      'for src in json.load(sys.stdin):',
      '    try:',
      '        compile(src, "x", "exec")',
      '        out.append(False)',
      '    except SyntaxError as e:',
      '        out.append("too many levels of indentation" in str(e.msg))',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script], {
      input: JSON.stringify(programs),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, r.stderr);
    const refused: boolean[] = JSON.parse(r.stdout);
    const ours = programs.map((p) => nestsDeeperThan(p));
    assert.ok(refused.some((x) => x) && refused.some((x) => !x), 'the sample has both kinds');
    assert.deepEqual(ours, refused);
  });
});
