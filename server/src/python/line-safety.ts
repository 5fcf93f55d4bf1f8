// Where a suppression comment may be written in a Python text (engine/directive-edit.ts): a
// comment line may stand between two lines unless the line before ends in a backslash
// continuation or the line starts inside a triple-quoted string; inside brackets it is fine.
// A comment may end a line unless the line ends inside a string or with a backslash.
import type { LineSafety } from '../engine/directive-edit';
import { LineIndex } from '../engine/text';

interface LineState {
  /** The line starts inside a string (triple-quoted, or a quoted one continued with `\`). */
  startsInString: boolean;
  /** The line ends in a backslash continuation outside a string and comment. */
  continues: boolean;
}

/** The text is scanned when first asked about (never for inJsxChildren: Python has no JSX). */
export function pythonLineSafety(text: string, lines = new LineIndex(text)): LineSafety {
  let scanned: LineState[] | undefined;
  const states = () => (scanned ??= scan(text, lines));
  const startsIn = (line: number) => states()[line]?.startsInString ?? false;
  const continues = (line: number) => line >= 0 && (states()[line]?.continues ?? false);
  return {
    canInsertBefore: (line) => !startsIn(line) && !continues(line - 1),
    // The line after starts in a string: this one ends in it.
    canAppendTo: (line) => !startsIn(line + 1) && !continues(line),
    inJsxChildren: () => false,
  };
}

/** One pass over the text: strings (any prefix, triple or single quotes), comments and `\` continuations. */
function scan(text: string, lines: LineIndex): LineState[] {
  const states: LineState[] = Array.from({ length: lines.lineCount }, () => ({
    startsInString: false,
    continues: false,
  }));
  let line = 0;
  let quote: string | undefined; // the closing quote sequence of the string we are in
  let i = 0;
  const n = text.length;
  const newline = (at: number): number => {
    // Returns the index after the end-of-line sequence at `at` and moves to the next line.
    const next = text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
    line++;
    if (line < states.length) states[line].startsInString = quote !== undefined;
    return next;
  };
  while (i < n) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\') {
        // An escape, or a backslash-newline inside a string (raw strings too: the quote stays open).
        if (text[i + 1] === '\r' || text[i + 1] === '\n') i = newline(i + 1);
        else i += 2;
        continue;
      }
      if (text.startsWith(quote, i)) {
        i += quote.length;
        quote = undefined;
        continue;
      }
      if (c === '\r' || c === '\n') {
        // A single-quoted string does not span lines: a newline ends it (a syntax error).
        if (quote.length === 1) quote = undefined;
        i = newline(i);
        continue;
      }
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\r' && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\r' || text[i + 1] === '\n')) {
      states[line].continues = true;
      i = newline(i + 1);
      continue;
    }
    if (c === '\r' || c === '\n') {
      i = newline(i);
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      quote = triple ? c.repeat(3) : c;
      i += quote.length;
      continue;
    }
    i++;
  }
  return states;
}
