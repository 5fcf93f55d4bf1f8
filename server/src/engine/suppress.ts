// Suppression directives, the same words in every comment syntax:
//   async-lint-disable-next-line [rule, ...]
//   async-lint-disable-line [rule, ...]
//   async-lint-disable-file [rule, ...]
// No rule list means all rules. Text after ` -- ` is a free-form reason and is ignored.
import type { Comment, Finding } from './types';
import type { LineIndex } from './text';

export type DirectiveKind = 'next-line' | 'line' | 'file';

export interface Directive {
  kind: DirectiveKind;
  /** Empty means every rule. */
  rules: string[];
  /** The line the directive applies to (unused for `file`). */
  line: number;
  /** Where the directive's words are, for diagnostics about unknown rule ids. */
  start: number;
  end: number;
}

const DIRECTIVE = /async-lint-disable-(next-line|line|file)\b([^\n\r]*)/g;

export function parseDirectives(comments: readonly Comment[], lines: LineIndex): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    DIRECTIVE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = DIRECTIVE.exec(c.text)) !== null) {
      const kind = m[1] as DirectiveKind;
      let rest = m[2];
      const reason = rest.indexOf('--');
      if (reason >= 0) rest = rest.slice(0, reason);
      // Strip a block comment's closing `*/` and anything that is not part of a rule list.
      rest = rest.replace(/\*\/.*$/, '');
      const rules = rest
        .split(/[\s,]+/)
        .map((r) => r.trim())
        .filter((r) => /^[a-z][a-z0-9-]*$/.test(r));
      const start = c.start + m.index;
      const end = start + m[0].length;
      const commentLine = lines.lineOf(start);
      out.push({ kind, rules, line: kind === 'next-line' ? lastLineOf(c, lines) + 1 : commentLine, start, end });
    }
  }
  return out;
}

function lastLineOf(c: Comment, lines: LineIndex): number {
  return lines.lineOf(Math.max(c.start, c.end - 1));
}

function covers(d: Directive, ruleId: string): boolean {
  return d.rules.length === 0 || d.rules.includes(ruleId);
}

/** Drops findings a directive covers. A finding is on the line of its start. */
export function applySuppressions(findings: Finding[], directives: readonly Directive[]): Finding[] {
  if (directives.length === 0) return findings;
  const fileWide = directives.filter((d) => d.kind === 'file');
  const byLine = new Map<number, Directive[]>();
  for (const d of directives) {
    if (d.kind === 'file') continue;
    const list = byLine.get(d.line) ?? [];
    list.push(d);
    byLine.set(d.line, list);
  }
  return findings.filter((f) => {
    if (fileWide.some((d) => covers(d, f.ruleId))) return false;
    const onLine = byLine.get(f.range.start.line);
    return !onLine || !onLine.some((d) => covers(d, f.ruleId));
  });
}
