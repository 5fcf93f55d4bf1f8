// The Python syntax tree in JavaScript (server/src/python/syntax.ts) and the walk that copies it
// out of WebAssembly (server/src/python/wasm.ts readTree): every node of every Python fixture, and
// of broken, deep and non-ASCII text, must answer exactly as web-tree-sitter's Node does (type,
// offsets, text, position, parent, children, named children, every field, siblings, descendants
// of a type); the fast copy (the module's cursor functions called directly) must equal the copy
// through web-tree-sitter's TreeCursor; and both must hold after the wasm memory has grown.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { createPythonParser, loadPython } from '../server/src/python/parser';
import type { SyntaxNode, SyntaxTree } from '../server/src/python/syntax';
import { hasFastPaths, readTree, wasmMemoryBytes } from '../server/src/python/wasm';
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

/** web-tree-sitter's nodes in walk order. */
function wasmNodes(tree: Tree): Node[] {
  const out: Node[] = [];
  const cursor = tree.walk();
  try {
    for (;;) {
      out.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return out;
      }
    }
  } finally {
    cursor.delete();
  }
}

const TYPES_ASKED = ['call', 'await', 'comment', 'identifier', 'string', 'ERROR', 'block'];

/** Compares every node's answers; `what` names the text in messages. */
function compare(tree: Tree, syntax: SyntaxTree, what: string): void {
  const nodes = wasmNodes(tree);
  assert.equal(syntax.arrays.count, nodes.length, `${what}: node count`);
  assert.equal(syntax.hasError, tree.rootNode.hasError, `${what}: hasError`);
  const index = new Map<number, number>();
  for (const [i, n] of nodes.entries()) index.set(n.id, i);
  assert.equal(index.size, nodes.length, `${what}: node ids are unique`);
  const idOf = (n: Node | null) => (n ? index.get(n.id) : null);
  const ids = (list: (Node | null)[]) => list.map(idOf);
  const mine = (list: SyntaxNode[]) => list.map((n) => n.id);
  const fields = tree.language.fields.filter((f): f is string => !!f);
  nodes.forEach((w, i) => {
    const s = syntax.node(i)!;
    const at = `${what}: node ${i} (${w.type} at ${w.startIndex})`;
    assert.deepEqual(
      [s.type, s.startIndex, s.endIndex, s.text, s.isNamed, s.isMissing, s.startPosition, s.parent?.id ?? null],
      [w.type, w.startIndex, w.endIndex, w.text, w.isNamed, w.isMissing, w.startPosition, idOf(w.parent)],
      at,
    );
    assert.deepEqual(
      [s.childCount, mine(s.children), s.namedChildCount, mine(s.namedChildren)],
      [w.childCount, ids(w.children), w.namedChildCount, ids(w.namedChildren)],
      `${at}: children`,
    );
    for (let k = -1; k <= w.childCount; k++) {
      assert.equal(s.child(k)?.id ?? null, idOf(w.child(k)), `${at}: child(${k})`);
      assert.equal(s.namedChild(k)?.id ?? null, idOf(w.namedChild(k)), `${at}: namedChild(${k})`);
      if (k >= 0 && k < w.namedChildCount)
        assert.equal(s.fieldNameForNamedChild(k), w.fieldNameForNamedChild(k), `${at}: fieldNameForNamedChild(${k})`);
    }
    for (const f of fields) {
      assert.equal(s.childForFieldName(f)?.id ?? null, idOf(w.childForFieldName(f)), `${at}: childForFieldName(${f})`);
      assert.deepEqual(
        mine(s.childrenForFieldName(f)),
        ids(w.childrenForFieldName(f)),
        `${at}: childrenForFieldName(${f})`,
      );
    }
    assert.equal(s.previousNamedSibling?.id ?? null, idOf(w.previousNamedSibling), `${at}: previousNamedSibling`);
    // Descendants (a walk of the subtree each): the root, definitions, blocks and every 16th node.
    if (i === 0 || i % 16 === 0 || w.type.endsWith('_definition') || w.type === 'block' || w.type === 'ERROR') {
      for (const t of TYPES_ASKED)
        assert.deepEqual(mine(s.descendantsOfType(t)), ids(w.descendantsOfType(t)), `${at}: descendantsOfType(${t})`);
      assert.deepEqual(
        mine(s.descendantsOfType(['call', 'await'])),
        ids(w.descendantsOfType(['call', 'await'])),
        `${at}: descendantsOfType(call, await)`,
      );
    }
  });
}

const ODD_TEXTS = [
  'def f(:\n    return (1,\nclass\n  x = [1, 2\n',
  'async def g():\n    await h(\n    if x\n        pass\n',
  'print "python 2"\nexec "x"\n',
  `# caf\u00e9 \u{1F600}\ns = "\u{1F600}\u00e9"\ndef \u00e9t\u00e9(a, *, b=1, **k):\n    return a  # \u{1F600}\n`,
  'x = 1\r\ny = 2\rz = 3\n\tif x:\n\t\tpass\n',
  `x = ${'('.repeat(300)}1${')'.repeat(300)}\n`,
  `${Array.from({ length: 60 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('')}${' '.repeat(60)}pass\n`,
  '(',
  '',
];

describe('python: the syntax tree copied out of tree-sitter', () => {
  let parse: (text: string) => Tree;
  before(async () => {
    await loadPython();
    const parser = createPythonParser();
    parse = (text) => parser.parse(text)!;
  });

  it('is copied by the fast path on this machine (else fast and slow below are the same walk)', async () => {
    const runtime = await loadPython();
    assert.equal(hasFastPaths(runtime.language), true);
  });

  it("answers as web-tree-sitter's nodes do, on every Python fixture", function () {
    this.timeout(600_000);
    const files = [...pyFiles(FIXTURES), ...pyFiles(path.join(ROOT, 'examples'))];
    assert.ok(files.length > 50, `${files.length} Python fixtures`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const tree = parse(text);
      try {
        const syntax = readTree(tree, text);
        compare(tree, syntax, path.relative(ROOT, file));
        assert.deepEqual(readTree(tree, text, false).arrays, syntax.arrays, `${file}: fast and slow copies`);
      } finally {
        tree.delete();
      }
    }
  });

  it('answers as web-tree-sitter does on broken, deep and non-ASCII text', () => {
    for (const text of ODD_TEXTS) {
      const tree = parse(text);
      try {
        const syntax = readTree(tree, text);
        compare(tree, syntax, JSON.stringify(text.slice(0, 30)));
        assert.deepEqual(readTree(tree, text, false).arrays, syntax.arrays);
      } finally {
        tree.delete();
      }
    }
  });

  it('is copied the same after the wasm memory has grown (the heap view is renewed)', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'unawaited', 'same_file.py'), 'utf8');
    const tree = parse(text);
    const big: Tree[] = [];
    try {
      const before = readTree(tree, text);
      const bytes = wasmMemoryBytes(tree.language)!;
      for (let i = 0; i < 8 && wasmMemoryBytes(tree.language)! <= bytes; i++) {
        big.push(parse(`def f(x):\n    return [x, (x + 1), {'k': x}]\n`.repeat(20000)));
      }
      assert.ok(wasmMemoryBytes(tree.language)! > bytes, 'the memory grew');
      const after = readTree(tree, text);
      assert.deepEqual(after.arrays, before.arrays);
      assert.deepEqual(readTree(tree, text, false).arrays, before.arrays);
      compare(tree, after, 'after growth');
    } finally {
      for (const t of big) t.delete();
      tree.delete();
    }
  });
});
