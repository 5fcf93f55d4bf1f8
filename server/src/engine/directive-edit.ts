// Writing suppression directives into a text: one implementation for the editor's "Disable <rule>
// for this line" action and the CLI's --add-noqa. Knows nothing of LSP or the CLI; what is safe to
// write where (strings, JSX children, continued lines) comes from the language backend's LineSafety.
import type { LineIndex } from './text';
import type { TextEdit } from './types';

/** Where a directive may go, as the language backend sees the text. */
export interface LineSafety {
  /** A comment line can stand before this line: its start is code, not inside a string or a continued line. */
  canInsertBefore(line: number): boolean;
  /** A comment can be appended at the end of this line without changing a string or JSX text. */
  canAppendTo(line: number): boolean;
  /** The line starts in JSX children, where a comment is written `{/* ... *\/}`. */
  inJsxChildren(line: number): boolean;
}

export interface DirectiveStyle {
  /** The line-comment leader, the language backend's `lineComment`: `//` or `#`. */
  leader: string;
  /** Write the JSX children form, `{/* ... *\/}`. */
  jsx?: boolean;
  /** A reason, written after ` -- `. */
  reason?: string;
}

const NEXT_LINE_DIRECTIVE = /^([ \t]*)(\/\/|#)[ \t]*async-lint-disable-next-line\b([^\r\n]*)$/;
/** The JSX children form, `{/* async-lint-disable-next-line <rules> -- <reason> *\/}`: [1] is what follows the words, [2] the close. */
const JSX_NEXT_LINE_DIRECTIVE = /^[ \t]*\{[ \t]*\/\*[ \t]*async-lint-disable-next-line\b(.*?)(\*\/[ \t]*\}[ \t]*)$/;

/** The offset where line `line`'s text ends, before its end-of-line characters. */
export function lineEndWithoutEol(lines: LineIndex, line: number): number {
  let end = line + 1 < lines.lineCount ? lines.lineStarts[line + 1] : lines.text.length;
  while (end > lines.lineStarts[line] && (lines.text[end - 1] === '\n' || lines.text[end - 1] === '\r')) end--;
  return end;
}

function directiveText(
  kind: 'next-line' | 'line' | 'file',
  ruleIds: readonly string[],
  reason: string | undefined,
): string {
  return `async-lint-disable-${kind} ${ruleIds.join(', ')}${reason ? ` -- ${reason}` : ''}`;
}

/**
 * The edit that disables `ruleIds` on line `line` with a `next-line` directive: the rules added to
 * the list of a directive already on the line above (its reason kept), else a new comment line
 * above with the line's indentation. Undefined when the directive above already names them all.
 */
export function disableNextLineEdit(
  lines: LineIndex,
  line: number,
  ruleIds: readonly string[],
  style: DirectiveStyle,
): TextEdit | undefined {
  const lineStart = lines.lineStarts[line];
  if (line > 0) {
    const prevStart = lines.lineStarts[line - 1];
    const prev = lines.text.slice(prevStart, lineEndWithoutEol(lines, line - 1));
    // The words after `async-lint-disable-next-line` and where they start in `prev`.
    let rest: string | undefined;
    let restAt = 0;
    const m = style.jsx ? JSX_NEXT_LINE_DIRECTIVE.exec(prev) : NEXT_LINE_DIRECTIVE.exec(prev);
    if (m && style.jsx) {
      rest = m[1];
      restAt = prev.length - m[2].length - m[1].length;
    } else if (m) {
      rest = m[3];
      restAt = prev.length - m[3].length;
    }
    if (rest !== undefined) {
      const reasonAt = rest.indexOf('--');
      const list = (reasonAt >= 0 ? rest.slice(0, reasonAt) : rest).trimEnd();
      const named = list.split(/[\s,]+/).filter((r) => r !== '');
      if (named.length > 0) {
        const missing = ruleIds.filter((r) => !named.includes(r));
        if (missing.length === 0) return undefined;
        const insertAt = prevStart + restAt + list.length;
        return { start: insertAt, end: insertAt, newText: missing.map((r) => `, ${r}`).join('') };
      }
    }
  }
  const indent = lines.indentOf(lineStart);
  const directive = directiveText('next-line', ruleIds, style.reason);
  const comment = style.jsx ? `{/* ${directive} */}` : `${style.leader} ${directive}`;
  return { start: lineStart, end: lineStart, newText: `${indent}${comment}${lines.eol}` };
}

/** The edit that appends an `async-lint-disable-line` comment to the end of line `line` (in braces when `style.jsx`). */
export function disableLineEdit(
  lines: LineIndex,
  line: number,
  ruleIds: readonly string[],
  style: DirectiveStyle,
): TextEdit {
  const end = lineEndWithoutEol(lines, line);
  const directive = directiveText('line', ruleIds, style.reason);
  return { start: end, end, newText: style.jsx ? ` {/* ${directive} */}` : `  ${style.leader} ${directive}` };
}

export interface DirectivePlan {
  edits: TextEdit[];
  /** Directives written or extended. */
  directives: number;
  /** Lines (0-based) with findings no directive can safely be written for. */
  unsuppressible: number[];
}

/**
 * Directives that disable each rule on each line given: a next-line directive above the line
 * where a comment line may stand there, else one at the end of the line where that is a comment,
 * else the line is reported as unsuppressible.
 */
export function planDirectives(
  lines: LineIndex,
  findings: ReadonlyArray<{ line: number; ruleId: string }>,
  safety: LineSafety,
  style: DirectiveStyle,
  /** Lines to give an end-of-line directive where one can stand (a comment line above them was not read as one). */
  preferEndOfLine?: ReadonlySet<number>,
): DirectivePlan {
  const byLine = new Map<number, string[]>();
  for (const f of findings) {
    const ids = byLine.get(f.line) ?? [];
    if (!ids.includes(f.ruleId)) ids.push(f.ruleId);
    byLine.set(f.line, ids);
  }
  const plan: DirectivePlan = { edits: [], directives: 0, unsuppressible: [] };
  for (const [line, ids] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const jsx = safety.inJsxChildren(line);
    let edit: TextEdit | undefined;
    if (preferEndOfLine?.has(line) && !jsx && safety.canAppendTo(line))
      edit = disableLineEdit(lines, line, ids, { ...style, jsx: false });
    else if (safety.canInsertBefore(line)) edit = disableNextLineEdit(lines, line, ids, { ...style, jsx });
    else if (!jsx && safety.canAppendTo(line)) edit = disableLineEdit(lines, line, ids, { ...style, jsx: false });
    else {
      plan.unsuppressible.push(line);
      continue;
    }
    if (edit) {
      plan.edits.push(edit);
      plan.directives++;
    }
  }
  return plan;
}

/** Applies non-overlapping edits to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** PEP 263: an encoding declaration, which must stay on the first or second line. */
const ENCODING_DECLARATION = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;
/** A leading comment that is a license header: it stays the first thing in the file. */
const LICENSE_WORDS = /copyright|licen[cs]e|spdx-license-identifier|\(c\)|©/i;
/** An `async-lint-disable-file` directive in a comment (as suppress.ts reads it); [1] is what follows the words. */
const FILE_DIRECTIVE = /(?<![\w`'"-])async-lint-disable-file\b(?![`'"])([^\r\n]*)/;

/** The lines a file starts with before its first line of code: blank lines and comments, grouped. */
interface HeaderBlock {
  kind: 'blank' | 'comment';
  first: number;
  /** Inclusive. */
  last: number;
  /** Made of line comments (`//`, `#`), which run together; a block comment stands alone. */
  lineComments?: boolean;
}

/**
 * The blocks of blank lines and comments before the first line of code, from line `from`. A block
 * comment (`/* ... *\/`, not in Python) counts only if nothing but white space follows its end.
 */
function headerBlocks(lines: LineIndex, from: number, python: boolean): HeaderBlock[] {
  const blocks: HeaderBlock[] = [];
  const textOf = (l: number) => lines.text.slice(lines.lineStarts[l], lineEndWithoutEol(lines, l));
  const extend = (kind: HeaderBlock['kind'], l: number) => {
    const prev = blocks[blocks.length - 1];
    if (prev && prev.kind === kind && prev.last === l - 1 && (kind === 'blank' || prev.lineComments)) prev.last = l;
    else blocks.push({ kind, first: l, last: l, lineComments: kind === 'comment' });
  };
  for (let l = from; l < lines.lineCount; l++) {
    const t = textOf(l);
    if (t.trim() === '') {
      if (l === lines.lineCount - 1 && t === '') break; // the empty "line" after a final newline
      extend('blank', l);
    } else if (python ? /^\s*#/.test(t) : /^\s*\/\//.test(t)) {
      extend('comment', l);
    } else if (!python && /^\s*\/\*/.test(t)) {
      const start = lines.lineStarts[l] + t.indexOf('/*');
      const close = lines.text.indexOf('*/', start + 2);
      if (close < 0) break;
      const last = lines.lineOf(close);
      if (lines.text.slice(close + 2, lineEndWithoutEol(lines, last)).trim() !== '') break; // code follows on its last line
      blocks.push({ kind: 'comment', first: l, last });
      l = last;
    } else {
      break;
    }
  }
  return blocks;
}

/**
 * The edit that disables `ruleIds` in the whole file: the rules added to the list of an
 * `async-lint-disable-file` directive already among the comments the file starts with (its reason
 * kept), else a new directive line at the top, after what must stay first: a shebang, Python's
 * encoding declaration (PEP 263: the first or second line) and a leading license comment (then
 * after the blank line that ends it, if there is one). Undefined when a directive there names them all.
 */
export function disableFileEdit(
  lines: LineIndex,
  ruleIds: readonly string[],
  style: DirectiveStyle,
): TextEdit | undefined {
  const python = style.leader === '#';
  const text = lines.text;
  const textOf = (l: number) => text.slice(lines.lineStarts[l], lineEndWithoutEol(lines, l));
  let top = 0;
  if (lines.lineCount > 0 && textOf(0).startsWith('#!')) top = 1;
  if (python) {
    for (const l of [0, 1]) {
      if (l < lines.lineCount && ENCODING_DECLARATION.test(textOf(l)) && (l === 0 || /^\s*#/.test(textOf(0))))
        top = Math.max(top, l + 1);
    }
  }
  const blocks = headerBlocks(lines, top, python);
  // A directive already there: add the rules to its list.
  for (const b of blocks) {
    if (b.kind !== 'comment') continue;
    for (let l = b.first; l <= b.last; l++) {
      const t = textOf(l);
      const m = FILE_DIRECTIVE.exec(t);
      if (!m) continue;
      let rest = m[1];
      const reasonAt = rest.indexOf('--');
      if (reasonAt >= 0) rest = rest.slice(0, reasonAt);
      rest = rest.replace(/\*\/.*$/, '');
      const list = rest.trimEnd();
      const named = list.split(/[\s,]+/).filter((r) => /^[a-z][a-z0-9-]*$/.test(r));
      if (named.length === 0) continue; // every rule: nothing to add to
      const missing = ruleIds.filter((r) => !named.includes(r));
      if (missing.length === 0) return undefined;
      const at = lines.lineStarts[l] + m.index + m[0].length - m[1].length + list.length;
      return { start: at, end: at, newText: missing.map((r) => `, ${r}`).join('') };
    }
  }
  // After a leading license comment, and the blank lines that end it.
  let line = top;
  const firstComment = blocks.findIndex((b) => b.kind === 'comment');
  const license =
    firstComment >= 0 && blocks.slice(0, firstComment).every((b) => b.kind === 'blank')
      ? blocks[firstComment]
      : undefined;
  if (
    license &&
    LICENSE_WORDS.test(text.slice(lines.lineStarts[license.first], lineEndWithoutEol(lines, license.last)))
  ) {
    line = license.last + 1;
    const after = blocks[firstComment + 1];
    if (after?.kind === 'blank') line = after.last + 1;
  }
  const comment = `${style.leader} ${directiveText('file', ruleIds, style.reason)}`;
  if (line >= lines.lineCount) {
    // At the end of a text that is all header: after its last line.
    const ends = /[\r\n]$/.test(text) || text === '';
    return {
      start: text.length,
      end: text.length,
      newText: ends ? `${comment}${lines.eol}` : `${lines.eol}${comment}${lines.eol}`,
    };
  }
  const at = lines.lineStarts[line];
  return { start: at, end: at, newText: `${comment}${lines.eol}` };
}
