// Glob matching without regular expressions. Globs come from configuration a workspace carries
// (`ignorePatterns`) and from settings; a glob compiled to a backtracking regular expression can
// take minutes on one file name (`*a*a*a*a*a*a*a*a*a*a*a*a*b` against forty `a`s), so a cloned
// repository could stall the linter with one line of JSON. Here a path is matched segment by
// segment with the classic wildcard algorithm (backtracking only to the last star), in time
// bounded by pattern length x path length.
//
// Syntax: `*` (any run of characters but `/`), `?` (one character but `/`), `[abc]`, `[a-z]`,
// `[!x]` / `[^x]`, `{a,b}` alternatives (nested; at most MAX_ALTERNATIVES), `**` as a whole
// segment (any number of segments, zero included), `\` escapes the next character. Dotfiles are
// matched like any other name. Paths use `/`.

/** Brace alternatives one pattern may expand to; past it, the rest are not matched. */
export const MAX_ALTERNATIVES = 256;

type Token =
  | { kind: 'char'; ch: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negate: boolean; ranges: [string, string][] };

/** One path segment's pattern: `**`, or tokens. */
type Segment = 'globstar' | Token[];

/** A matcher for `pattern`; it takes a relative path with `/` separators. */
export function compileGlob(pattern: string): (path: string) => boolean {
  const alternatives = expandBraces(pattern).map(parseSegments);
  return (p: string) => {
    const parts = p.split('/');
    return alternatives.some((segments) => matchSegments(segments, parts));
  };
}

/** Matches any of the patterns. */
export function compileAnyGlob(patterns: readonly string[]): (path: string) => boolean {
  const matchers = patterns.map(compileGlob);
  return (p: string) => matchers.some((m) => m(p));
}

// ---- braces --------------------------------------------------------------------------------------

/** `a{b,c{d,e}}f` -> abf, acdf, acef; without braces, the pattern itself. Iterative, bounded. */
export function expandBraces(pattern: string): string[] {
  const done: string[] = [];
  const work = [pattern];
  while (work.length > 0 && done.length < MAX_ALTERNATIVES) {
    const p = work.pop()!;
    const group = firstBraceGroup(p);
    if (!group) {
      done.push(p);
      continue;
    }
    const { open, close, options } = group;
    // Reversed, so alternatives come out in the order written.
    for (let i = options.length - 1; i >= 0; i--) {
      if (work.length + done.length >= MAX_ALTERNATIVES * 4) break;
      work.push(p.slice(0, open) + options[i] + p.slice(close + 1));
    }
  }
  return done;
}

/** The first top-level `{...}` holding a comma, with its comma-separated options. */
function firstBraceGroup(p: string): { open: number; close: number; options: string[] } | undefined {
  for (let open = 0; open < p.length; open++) {
    if (p[open] === '\\') {
      open++;
      continue;
    }
    if (p[open] !== '{') continue;
    let depth = 0;
    const cuts: number[] = [];
    for (let i = open; i < p.length; i++) {
      const c = p[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          if (cuts.length === 0) break; // `{x}`: no alternatives, literal braces
          const options: string[] = [];
          let from = open + 1;
          for (const cut of cuts) {
            options.push(p.slice(from, cut));
            from = cut + 1;
          }
          options.push(p.slice(from, i));
          return { open, close: i, options };
        }
      } else if (c === ',' && depth === 1) cuts.push(i);
    }
  }
  return undefined;
}

// ---- parsing -------------------------------------------------------------------------------------

function parseSegments(pattern: string): Segment[] {
  const segments: Segment[] = [];
  for (const raw of splitUnescaped(pattern)) segments.push(raw === '**' ? 'globstar' : parseSegment(raw));
  return segments;
}

/** Splits at `/` not preceded by a backslash. */
function splitUnescaped(pattern: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[++i];
    } else if (c === '/') {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

function parseSegment(raw: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      tokens.push({ kind: 'char', ch: raw[++i] });
    } else if (c === '*') {
      // Consecutive stars inside a segment are one star.
      if (tokens.length === 0 || tokens[tokens.length - 1].kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '[') {
      const parsed = parseClass(raw, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else {
        tokens.push({ kind: 'char', ch: c });
      }
    } else {
      tokens.push({ kind: 'char', ch: c });
    }
  }
  return tokens;
}

/** `[...]` starting at `start`: the token and the index of the closing `]`, or undefined if unclosed. */
function parseClass(raw: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (raw[i] === '!' || raw[i] === '^') {
    negate = true;
    i++;
  }
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < raw.length; i++) {
    let c = raw[i];
    if (c === ']' && !first) return { token: { kind: 'class', negate, ranges }, end: i };
    first = false;
    if (c === '\\' && i + 1 < raw.length) c = raw[++i];
    if (raw[i + 1] === '-' && i + 2 < raw.length && raw[i + 2] !== ']') {
      let hi = raw[i + 2];
      i += 2;
      if (hi === '\\' && i + 1 < raw.length) hi = raw[++i];
      ranges.push([c, hi]);
    } else {
      ranges.push([c, c]);
    }
  }
  return undefined;
}

// ---- matching ------------------------------------------------------------------------------------

function tokenMatches(t: Token, c: string): boolean {
  switch (t.kind) {
    case 'char':
      return t.ch === c;
    case 'any':
      return true;
    case 'class': {
      const inside = t.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return inside !== t.negate;
    }
    case 'star':
      return false;
  }
}

/** One segment against one name: stars backtrack only to the last star, O(pattern x name). */
function matchSegment(tokens: readonly Token[], name: string): boolean {
  // `.` and `..` are matched only literally, never by a wildcard.
  if (
    (name === '.' || name === '..') &&
    !(tokens.length === name.length && tokens.every((t) => t.kind === 'char' && t.ch === '.'))
  )
    return false;
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    const tok = tokens[t];
    if (t < tokens.length && tok.kind !== 'star' && tokenMatches(tok, name[n])) {
      t++;
      n++;
    } else if (t < tokens.length && tok.kind === 'star') {
      starT = t++;
      starN = n;
    } else if (starT >= 0) {
      t = starT + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t].kind === 'star') t++;
  return t === tokens.length;
}

/** Segments against path parts, `**` standing for any number of parts: the same algorithm, one level up. */
function matchSegments(segments: readonly Segment[], parts: readonly string[]): boolean {
  let s = 0;
  let p = 0;
  let starS = -1;
  let starP = 0;
  while (p < parts.length) {
    const seg = segments[s];
    if (s < segments.length && seg !== 'globstar' && matchSegment(seg, parts[p])) {
      s++;
      p++;
    } else if (s < segments.length && seg === 'globstar') {
      starS = s++;
      starP = p;
    } else if (starS >= 0) {
      s = starS + 1;
      p = ++starP;
    } else {
      return false;
    }
  }
  while (s < segments.length && segments[s] === 'globstar') s++;
  return s === segments.length;
}
