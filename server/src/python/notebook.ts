// Jupyter notebooks as one Python text. The code cells are joined in order, as Ruff reads a
// notebook: a name defined in one cell is known in the next, and the engine sees the notebook as
// IPython runs it, top to bottom. Each cell is followed by a line break and a blank line, so every
// cell begins at a line start of the joined text (a finding maps back to its cell by offset alone)
// and a `disable-next-line` directive at the end of one cell never reaches into the next.
//
// IPython's own syntax is not Python: line magics (`%time f()`, `x = %timeit -o f()`), shell
// escapes (`!pip install x`, `files = !ls`), help (`?obj`, `obj??`) and cell magics (`%%bash`).
// The text the engine parses has them masked, character for character, so offsets and lines stay
// the cells': an escape at the start of a statement becomes `0#...` (an expression statement and a
// comment; a block whose only line it is still parses), a trailing `?` becomes a space, and a cell
// whose magic runs something other than this notebook's Python (`%%bash`, `%%html`, `%%python3`) is
// blanked whole. Escapes count only where a statement starts: not inside brackets, strings or after
// a `\` continuation (`("%s"\n % name)` is Python). Edits are applied to the cells as they are,
// so an edit that would touch masked text is never mapped back (NotebookText.cellEdit).
import type { NotebookCells } from '../engine/linter';
import { spanAt } from '../engine/text';
import type { TextEdit } from '../engine/types';

/** What follows each cell in the joined text: its line break, and a blank line. */
const CELL_SEPARATOR = '\n\n';

/** Cell magics whose body is this notebook's Python, run in its namespace and event loop. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);

/** `name = !cmd`, `a, b = %magic`: an assignment whose value is an IPython escape. */
const ASSIGNED_ESCAPE = /^[ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*(?=[!%])/;
/** `obj?`, `obj.attr??`: help on a name. */
const TRAILING_HELP = /^([ \t]*[A-Za-z_][\w.]*)(\?\??)[ \t]*$/;

/** A notebook's code cells joined: the text to analyse, and the way back to each cell. */
export class NotebookText implements NotebookCells {
  /** The text the engine analyses: the cells joined, IPython syntax masked. */
  readonly text: string;
  /** Where each cell begins in `text`, in cell order. */
  readonly cellStarts: readonly number[];
  private readonly original: string;

  constructor(readonly cells: readonly string[]) {
    const starts: number[] = [];
    let original = '';
    let masked = '';
    for (const cell of cells) {
      starts.push(original.length);
      original += cell + CELL_SEPARATOR;
      masked += maskIPython(cell) + CELL_SEPARATOR;
    }
    this.original = original;
    this.text = masked;
    this.cellStarts = starts;
  }

  /** The cell holding `offset` (a cell's end, before its line break, belongs to it). */
  cellAt(offset: number): number {
    return cellAt(this, offset);
  }

  /** Offset just past the last character of cell `i` (where its separator begins). */
  cellEnd(i: number): number {
    return this.cellStarts[i] + this.cells[i].length;
  }

  /**
   * A span of the joined text in its cell: the cell of `start`, offsets into that cell's text, the
   * end clamped to the cell's end (a finding spanning cells is shown where it starts).
   */
  cellSpan(start: number, end: number): { cell: number; start: number; end: number } | undefined {
    if (this.cells.length === 0) return undefined;
    const cell = this.cellAt(start);
    const base = this.cellStarts[cell];
    const last = this.cellEnd(cell);
    const s = Math.min(start, last);
    return { cell, start: s - base, end: Math.max(s, Math.min(end, last)) - base };
  }

  /**
   * An edit of the joined text as an edit of one cell, or undefined when it cannot be one: it
   * crosses a cell boundary, or it replaces text that was masked (the cell holds IPython syntax
   * there, which the edit would overwrite with the mask).
   */
  cellEdit(edit: TextEdit): { cell: number; edit: TextEdit } | undefined {
    if (this.cells.length === 0) return undefined;
    const cell = this.cellAt(edit.start);
    if (edit.end > this.cellEnd(cell) || edit.end < edit.start) return undefined;
    if (this.text.slice(edit.start, edit.end) !== this.original.slice(edit.start, edit.end)) return undefined;
    const base = this.cellStarts[cell];
    return { cell, edit: { start: edit.start - base, end: edit.end - base, newText: edit.newText } };
  }
}

/** The index of the cell holding `offset` in a notebook's joined text. */
export function cellAt(cells: NotebookCells, offset: number): number {
  return spanAt(cells.cellStarts, offset);
}

/**
 * A cell's text with its IPython syntax masked (same length, same line breaks). See the header.
 */
export function maskIPython(cell: string): string {
  const magic = /^%%([A-Za-z_]\w*)?/.exec(cell);
  if (magic) {
    const firstLineEnd = lineEnd(cell, 0);
    if (!PYTHON_CELL_MAGICS.has(magic[1] ?? '')) return cell.replace(/[^\r\n]/g, ' ');
    return escapeLine(cell, 0, firstLineEnd) + maskLines(cell.slice(firstLineEnd));
  }
  return maskLines(cell);
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Masks the escapes that start a statement's line. */
function maskLines(text: string): string {
  const starts = statementLineStarts(text);
  if (starts.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const start of starts) {
    const end = lineEnd(text, start);
    const line = text.slice(start, end);
    let from = -1;
    const indent = /^[ \t]*/.exec(line)![0].length;
    const first = line[indent];
    if (first === '%' || first === '!' || first === '?') from = start + indent;
    else {
      const assigned = ASSIGNED_ESCAPE.exec(line);
      if (assigned) from = start + assigned[0].length;
      else {
        const help = TRAILING_HELP.exec(line);
        if (help) {
          out +=
            text.slice(pos, start) + help[1] + ' '.repeat(help[2].length) + line.slice(help[1].length + help[2].length);
          pos = end;
        }
        continue;
      }
    }
    out += text.slice(pos, from) + escapeLine(text, from, end);
    pos = end;
  }
  return out + text.slice(pos);
}

/** text[from, end) as `0#...`: a statement, then a comment. */
function escapeLine(text: string, from: number, end: number): string {
  if (end <= from) return '';
  return `0${end - from > 1 ? `#${text.slice(from + 2, end)}` : ''}`;
}

/**
 * The offsets of the lines on which a statement starts: not inside brackets or a string, and not
 * after a line ending in a `\` continuation. A light scan (strings, comments, brackets), enough
 * to tell where IPython would read an escape.
 */
function statementLineStarts(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  let continued = false;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    if (atLineStart) {
      if (depth === 0 && quote === undefined && !continued) out.push(i);
      atLineStart = false;
      continued = false;
    }
    const c = text[i];
    if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      // An unterminated one-line string ends with its line (a syntax error; recover).
      if (quote !== undefined && quote.length === 1) quote = undefined;
      atLineStart = true;
      continue;
    }
    if (quote !== undefined) {
      if (c === '\\') {
        // An escaped character; `\` before a line break continues the string's line.
        if (text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      } else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = undefined;
      }
      continue;
    }
    if (c === '#') {
      i = lineEnd(text, i) - 1;
    } else if (c === '"' || c === "'") {
      quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      i += quote.length - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    } else if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
      continued = true;
    }
  }
  return out;
}
