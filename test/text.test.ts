// engine/text.ts: the changed span that the editor's fix-all edit, TypeScript's incremental
// parse and tree-sitter's incremental parse all take.
import assert from 'node:assert/strict';
import { editBetween } from '../server/src/python/backend';
import { changedSpan } from '../server/src/engine/text';
import { minimalEdit } from '../server/src/lsp/convert';
import { textChangeRange } from '../server/src/typescript/host';

describe('changedSpan', () => {
  it('trims the common prefix and suffix', () => {
    assert.deepEqual(changedSpan('const a = 1;', 'const abc = 1;'), { start: 7, oldEnd: 7, newEnd: 9 });
    assert.deepEqual(changedSpan('abc', 'xyz'), { start: 0, oldEnd: 3, newEnd: 3 });
    assert.deepEqual(changedSpan('x', 'x'), { start: 1, oldEnd: 1, newEnd: 1 });
    // A repeated letter: the prefix is taken first, the suffix never crosses it.
    assert.deepEqual(changedSpan('aa', 'aaa'), { start: 2, oldEnd: 2, newEnd: 3 });
  });

  it('never splits a surrogate pair', () => {
    // U+1F600 and U+1F601 share their high surrogate; U+1F600 and U+2F600 their low one.
    assert.deepEqual(changedSpan('a\u{1F600}b', 'a\u{1F601}b'), { start: 1, oldEnd: 3, newEnd: 3 });
    assert.deepEqual(changedSpan('a\uD83D\uDE00b', 'a\uD87D\uDE00b'), { start: 1, oldEnd: 3, newEnd: 3 });
  });

  it('never splits a \\r\\n', () => {
    assert.deepEqual(changedSpan('a\r\nb', 'a\rx\nb'), { start: 1, oldEnd: 3, newEnd: 4 });
    assert.deepEqual(changedSpan('a\r\nb', 'a\r\r\nb'), { start: 1, oldEnd: 3, newEnd: 4 });
  });

  it('is the span of the editor edit, the TypeScript change range and the tree-sitter edit', () => {
    const before = 'line one\r\n\u{1F600} two\r\n';
    const after = 'line one\r\n\u{1F601} two!\r\n';
    const { start, oldEnd, newEnd } = changedSpan(before, after);
    const range = textChangeRange(before, after);
    assert.deepEqual(
      [range.span.start, range.span.start + range.span.length, range.span.start + range.newLength],
      [start, oldEnd, newEnd],
    );
    const edit = editBetween(before, after);
    assert.deepEqual([edit.startIndex, edit.oldEndIndex, edit.newEndIndex], [start, oldEnd, newEnd]);
    const lsp = minimalEdit(before, after);
    assert.equal(lsp?.newText, after.slice(start, newEnd));
    assert.equal(minimalEdit(before, before), undefined);
  });
});
