// The fast paths into tree-sitter's WebAssembly module (server/src/python/wasm.ts): the walker that
// calls the cursor functions directly must visit exactly what web-tree-sitter's own TreeCursor
// visits, on every fixture and on broken, deep and non-ASCII text, also when Node methods use the
// transfer buffer between two of its moves and when the wasm memory grows in the middle of a walk.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { createPythonParser, loadPython } from '../server/src/python/parser';
import { hasFastPaths, walker, wasmMemoryBytes } from '../server/src/python/wasm';
import { FIXTURES } from './helpers';

const ROOT = path.join(__dirname, '..');

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.py')) out.push(p);
    }
  }
  return out.sort();
}

/**
 * Every node of the walk: type, offsets, field, missing; and, for every seventh node, the Node
 * itself (id, type, end, first child's field) asked between two moves, as the rules' handlers do.
 */
function visit(root: Node, fast: boolean, between?: (i: number) => void): string[] {
  const out: string[] = [];
  const w = walker(root, fast);
  let i = 0;
  try {
    for (;;) {
      let line = `${w.type} ${w.startIndex}-${w.endIndex} ${w.fieldName ?? '-'}${w.isMissing ? ' missing' : ''}`;
      if (i % 7 === 0) {
        const n = w.node();
        line += ` | ${n.id} ${n.type} ${n.endIndex} ${n.childForFieldName('name')?.text ?? '-'} ${n.namedChildCount}`;
      }
      out.push(line);
      between?.(i);
      i++;
      if (w.gotoFirstChild()) continue;
      while (!w.gotoNextSibling()) {
        if (!w.gotoParent()) return out;
      }
    }
  } finally {
    w.delete();
  }
}

describe('python: fast paths into tree-sitter', () => {
  let parse: (text: string) => Tree;
  before(async () => {
    await loadPython();
    const parser = createPythonParser();
    parse = (text) => parser.parse(text)!;
  });

  it('are in use on this machine (else the comparisons below compare the slow path with itself)', async () => {
    const runtime = await loadPython();
    assert.equal(hasFastPaths(runtime.language), true);
  });

  it('walk every fixture exactly as web-tree-sitter does', () => {
    const files = [...pyFiles(FIXTURES), ...pyFiles(path.join(ROOT, 'examples'))];
    assert.ok(files.length > 50, `${files.length} Python fixtures`);
    for (const file of files) {
      const tree = parse(fs.readFileSync(file, 'utf8'));
      try {
        assert.deepEqual(visit(tree.rootNode, true), visit(tree.rootNode, false), file);
      } finally {
        tree.delete();
      }
    }
  });

  it('walk broken, deep and non-ASCII text and subtrees exactly as web-tree-sitter does', () => {
    const texts = [
      'def f(:\n    return (1,\nclass\n  x = [1, 2\n',
      'async def g():\n    await h(\n    if x\n        pass\n',
      `# caf\u00e9 \u{1F600}\ns = "\u{1F600}\u00e9"\ndef \u00e9t\u00e9(a, *, b=1, **k):\n    return a  # \u{1F600}\n`,
      `x = ${'('.repeat(500)}1${')'.repeat(500)}\n`,
      `${Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('')}${' '.repeat(60)}pass\n`,
      '',
    ];
    for (const text of texts) {
      const tree = parse(text);
      try {
        assert.deepEqual(visit(tree.rootNode, true), visit(tree.rootNode, false), JSON.stringify(text.slice(0, 40)));
        // A walker over a subtree stays in it.
        const sub = tree.rootNode.namedChild(0);
        if (sub) assert.deepEqual(visit(sub, true), visit(sub, false));
      } finally {
        tree.delete();
      }
    }
  });

  it('keep walking correctly when the wasm memory grows in the middle of a walk', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'unawaited', 'same_file.py'), 'utf8');
    const tree = parse(text);
    const big: Tree[] = [];
    const language = tree.language;
    try {
      const expected = visit(tree.rootNode, false);
      const before = wasmMemoryBytes(language)!;
      // Parsing a few MB in between grows the memory, which detaches the old heap view.
      const grown = visit(tree.rootNode, true, (i) => {
        if (i === 3 || i === 40) big.push(parse(`def f(x):\n    return [x, (x + 1), {'k': x}]\n`.repeat(40000)));
      });
      assert.ok(wasmMemoryBytes(language)! > before, 'the memory grew during the walk');
      assert.deepEqual(grown, expected);
    } finally {
      for (const t of big) t.delete();
      tree.delete();
    }
  });
});
