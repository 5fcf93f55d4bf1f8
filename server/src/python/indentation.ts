// How deeply a Python text's blocks nest, counted as CPython's tokenizer counts indentation: the
// stack of INDENT levels, changed only at the start of a logical line that holds code (not inside
// brackets, not after a backslash, not on blank or comment-only lines). CPython refuses 100 levels
// or more ("too many levels of indentation"); tree-sitter's Python scanner corrupts its memory
// about 500 levels deep in a file with a syntax error, so such files are not given to it.

/** The most levels CPython accepts (its tokenizer's MAXINDENT is 100, the module level included). */
export const MAX_INDENT_LEVELS = 99;

const TAB_SIZE = 8;

/**
 * The most distinct indentation widths a file may have whatever its strings and brackets: the
 * parser's indentation stack is strictly increasing, so it can never hold more entries than the
 * file has distinct widths at line starts. tree-sitter's Python scanner overflows a buffer at
 * about 510 entries; a file that does not tokenize as Python (an unterminated triple-quoted
 * string) can make it count indentation CPython would not.
 */
export const MAX_INDENT_WIDTHS = 400;

export type TooDeep = { kind: 'python-limit' | 'parser-limit'; levels: number };

/**
 * Why the text must not be parsed, if it must not: blocks nested more than `limit` levels deep
 * as CPython counts them, or more than MAX_INDENT_WIDTHS distinct indentation widths. Linear in
 * the text's length; a text with few widths is answered from line starts alone.
 */
export function tooDeep(text: string, limit: number = MAX_INDENT_LEVELS): TooDeep | undefined {
  const widths = distinctIndentWidths(text, MAX_INDENT_WIDTHS + 1);
  if (widths <= limit) return undefined;
  const depth = indentationDepth(text, limit);
  if (depth > limit) return { kind: 'python-limit', levels: depth };
  if (widths > MAX_INDENT_WIDTHS) return { kind: 'parser-limit', levels: widths };
  return undefined;
}

/** Whether the text nests blocks more than `limit` levels deep, or must not be parsed (see tooDeep). */
export function nestsDeeperThan(text: string, limit: number = MAX_INDENT_LEVELS): boolean {
  return tooDeep(text, limit) !== undefined;
}

/** How many distinct indentation widths begin the text's lines (blank ones included), up to `cap`. */
function distinctIndentWidths(text: string, cap: number): number {
  const seen = new Set<number>();
  for (let start = 0; start < text.length; ) {
    let col = 0;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x20) col++;
      else if (c === 0x09) col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
      else if (c === 0x0c) col = 0;
      else break;
    }
    seen.add(col);
    if (seen.size >= cap) return seen.size;
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    start = nl + 1;
  }
  return seen.size;
}

/**
 * The deepest indentation stack of the text (levels above the module's), stopping early once it
 * exceeds `stopAbove`.
 */
export function indentationDepth(text: string, stopAbove = Infinity): number {
  const stack: number[] = [0];
  let deepest = 0;
  let brackets = 0;
  /** The physical line starting at `i` continues a logical line (brackets open or a backslash). */
  let continued = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (!continued && brackets === 0) {
      let col = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x20) col++;
        else if (c === 0x09) col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
        else if (c === 0x0c) col = 0;
        else break;
      }
      const c = text.charCodeAt(i);
      const blank = i >= n || c === 0x0a || c === 0x0d || c === 0x23; /* # */
      if (!blank) {
        if (col > stack[stack.length - 1]) {
          stack.push(col);
          if (stack.length - 1 > deepest) {
            deepest = stack.length - 1;
            if (deepest > stopAbove) return deepest;
          }
        } else {
          while (stack.length > 1 && col < stack[stack.length - 1]) stack.pop();
        }
      }
    }
    continued = false;
    // The rest of the physical line, and whatever strings carry on past it.
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        i++;
        break;
      }
      if (c === 0x23) {
        // A comment, to the end of the line.
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      } else if (c === 0x5c) {
        // A backslash before the line break joins the next line to this logical line.
        const next = text.charCodeAt(i + 1);
        if (next === 0x0a || (next === 0x0d && text.charCodeAt(i + 2) === 0x0a)) {
          i += next === 0x0d ? 3 : 2;
          continued = true;
          break;
        }
        i++;
      } else if (c === 0x27 || c === 0x22) {
        i = skipString(text, i);
      } else {
        if (c === 0x28 || c === 0x5b || c === 0x7b) brackets++;
        else if ((c === 0x29 || c === 0x5d || c === 0x7d) && brackets > 0) brackets--;
        i++;
      }
    }
  }
  return deepest;
}

/**
 * The index just past the string literal whose opening quote is at `i`. Escapes skip the next
 * character (also in raw strings, as the tokenizer does); a one-quote string ends at the line's end
 * if unterminated, a triple-quoted one at the end of the text.
 */
function skipString(text: string, i: number): number {
  const q = text.charCodeAt(i);
  const n = text.length;
  const triple = text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q;
  let j = i + (triple ? 3 : 1);
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) {
      j += 2;
      continue;
    }
    if (c === q) {
      if (!triple) return j + 1;
      if (text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q) return j + 3;
    } else if (c === 0x0a && !triple) {
      return j; // unterminated: the line break ends it
    }
    j++;
  }
  return n;
}
