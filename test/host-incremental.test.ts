// The ProjectHost's document snapshots tell TypeScript what changed between versions, so an edit
// is re-parsed incrementally. These tests check that the incremental result is the same tree a
// fresh parse gives (for many random edits), and that unchanged statements are really reused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { DocumentSnapshot, ProjectHost, textChangeRange } from '../server/src/typescript/host';

/** Every node's kind and span, in order: two trees are the same parse when these are equal. */
function shape(sf: ts.SourceFile): string {
  const out: string[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(`${n.kind}:${n.pos}-${n.end}`);
    const kids: ts.Node[] = [];
    ts.forEachChild(n, (c) => {
      kids.push(c);
    });
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out.join(' ');
}

const BASE = `import { readFile } from 'node:fs/promises';

export async function load(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  return text.trim();
}

export class Store {
  private items = new Map<string, number>();

  async save(key: string, value: number): Promise<void> {
    this.items.set(key, value);
  }
}
`;

describe('ProjectHost incremental parsing', () => {
  let dir: string;
  let file: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-incremental-'));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['*.ts'] }),
    );
    file = path.join(dir, 'main.ts');
    fs.writeFileSync(file, BASE);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('textChangeRange finds the one span that differs', () => {
    const r = textChangeRange('const a = 1;', 'const abc = 1;');
    assert.deepEqual([r.span.start, r.span.length, r.newLength], [7, 0, 2]);
    const same = textChangeRange('x', 'x');
    assert.deepEqual([same.span.start, same.span.length, same.newLength], [1, 0, 0]);
    const all = textChangeRange('abc', 'xyz');
    assert.deepEqual([all.span.start, all.span.length, all.newLength], [0, 3, 3]);
  });

  it('a snapshot answers a change range only against its predecessor', () => {
    const a = new DocumentSnapshot('one');
    const b = new DocumentSnapshot('one two', a);
    const c = new DocumentSnapshot('one two three', b);
    assert.ok(c.getChangeRange(b));
    assert.equal(c.getChangeRange(a), undefined, 'only one step of history is kept');
    assert.equal(b.getChangeRange(a), undefined, 'the predecessor forgets its own predecessor');
  });

  it('reuses unchanged statements after an edit at the end', () => {
    const host = new ProjectHost();
    host.setDocument(file, BASE, 1);
    const before = host.projectFor(file).program().getSourceFile(file)!;
    host.setDocument(file, `${BASE}export const extra = 1;\n`, 2);
    const after = host.projectFor(file).program().getSourceFile(file)!;
    assert.notEqual(after, before);
    assert.equal(after.statements.length, before.statements.length + 1);
    assert.equal(after.statements[0], before.statements[0], 'the import statement node is reused, not re-parsed');
    host.dispose();
  });

  it('gives the same tree as a fresh parse, for random sequences of edits', () => {
    const pieces = [
      'await ',
      'x',
      ';',
      '\n',
      '{',
      '}',
      '(',
      ')',
      'const y = 2;\n',
      '// c\n',
      '`t${',
      '"',
      'async ',
      '/*',
      '*/',
      ' ',
    ];
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 12 }), insert: fc.constantFrom(...pieces) });
    // One host for all runs (loading the lib files per run would be slow); each run starts with
    // BASE as a new version, itself an incremental edit of the previous run's text.
    const host = new ProjectHost();
    let version = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        let text = BASE;
        host.setDocument(file, text, ++version);
        host.projectFor(file).program();
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.del));
          host.setDocument(file, text, ++version);
          const incremental = host.projectFor(file).program().getSourceFile(file)!;
          assert.equal(incremental.text, text);
          const fresh = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
          assert.equal(shape(incremental), shape(fresh));
        }
      }),
      { numRuns: 100, seed: 5 },
    );
    host.dispose();
  });
});
