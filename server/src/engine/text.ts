// Offsets <-> 0-based line/character for one text. Lines end at \n, \r\n or \r.
import type { Position, Range } from './types';

export class LineIndex {
  /** Offset at which each line starts. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineOf(offset: number): number {
    return spanAt(this.lineStarts, offset);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[pos.line];
    const lineEnd = pos.line + 1 < this.lineStarts.length ? this.lineStarts[pos.line + 1] : this.text.length;
    return Math.max(lineStart, Math.min(lineStart + pos.character, lineEnd));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Start offset of the line holding `offset`. */
  lineStartOf(offset: number): number {
    return this.lineStarts[this.lineOf(offset)];
  }

  /** The leading whitespace of the line holding `offset`. */
  indentOf(offset: number): string {
    const start = this.lineStartOf(offset);
    let end = start;
    while (end < this.text.length && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }

  /** The end-of-line sequence the text mostly uses. */
  get eol(): string {
    const crlf = this.text.indexOf('\r\n');
    return crlf >= 0 ? '\r\n' : '\n';
  }
}

/**
 * The index of the span holding `offset`, of spans given by their ascending start offsets (the
 * first starting at 0): the last start at or before the offset. Lines of a text, cells of a notebook.
 */
export function spanAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The one span that differs between two texts, common prefix and suffix trimmed: `before`'s
 * [start, oldEnd) became `after`'s [start, newEnd). Never splits a surrogate pair or a \r\n, so
 * the span can be given to an editor, an incremental parser or a line index as it is.
 */
export function changedSpan(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  while (start > 0 && isInsidePair(before, start)) start--;
  while (oldEnd < before.length && isInsidePair(before, oldEnd)) {
    oldEnd++;
    newEnd++;
  }
  return { start, oldEnd, newEnd };
}

/** Whether offset `i` falls between the halves of a surrogate pair or of a \r\n. */
function isInsidePair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c >= 0xdc00 && c <= 0xdfff) return true;
  return c === 10 && text.charCodeAt(i - 1) === 13;
}
