// Suppression directives, the same words in every comment syntax:
//   async-lint-disable-next-line [rule, ...]
//   async-lint-disable-line [rule, ...]
//   async-lint-disable-file [rule, ...]
// No rule list means all rules. Text after ` -- ` is a free-form reason and is ignored.
//
// Other linters' suppressions of the equivalent rule are honoured too: a project that already
// silenced it on a line has decided. In TypeScript/JavaScript, `eslint-disable-line` and
// `eslint-disable-next-line` (line or block comment) naming a peer rule (PEER_ESLINT_RULES), or
// naming no rule (every rule); in Python, `# noqa: CODE, ...` with a peer code (peerOfNoqaCode),
// or a bare `# noqa` (every rule). Other rule names and codes suppress nothing here.
import type { Comment, Finding, Language } from './types';
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
  /** Which linter's syntax: async-lint's own, or an honoured ESLint / noqa comment. */
  from?: 'eslint' | 'noqa';
}

// Anywhere in a comment (after code in a Python comment, inside a JSX `{/* */}`), but not quoted
// in prose: "the words after `async-lint-disable-next-line`" names the directive, it is not one.
const DIRECTIVE = /(?<![\w`'"-])async-lint-disable-(next-line|line|file)\b(?![`'"])([^\n\r]*)/g;

/** ESLint rules (core, typescript-eslint, eslint-plugin-n / -node) and the async-lint rules they cover. */
export const PEER_ESLINT_RULES: Readonly<Record<string, readonly string[]>> = {
  '@typescript-eslint/no-floating-promises': ['unawaited'],
  // Checks async functions where a void callback is expected, and promises used as conditions.
  '@typescript-eslint/no-misused-promises': ['async-callback', 'unawaited'],
  'no-async-promise-executor': ['async-callback'],
  '@typescript-eslint/require-await': ['unused-async'],
  'require-await': ['unused-async'],
  'no-await-in-loop': ['await-in-loop'],
  'n/no-sync': ['blocking-call'],
  'node/no-sync': ['blocking-call'],
};

/** The async-lint rule a Ruff / flake8 code stands for: ASYNC1xx and ASYNC2xx, RUF006, RUF029. */
export function peerOfNoqaCode(code: string): string | undefined {
  const c = code.toUpperCase();
  if (/^ASYNC[12]\d\d$/.test(c)) return 'blocking-call';
  if (c === 'RUF006') return 'dangling-task';
  if (c === 'RUF029') return 'unused-async';
  return undefined;
}

// `eslint-disable-line` / `eslint-disable-next-line` at the start of the comment's text, as ESLint
// reads them; the rule list runs to the end of the comment or to ` -- description`.
const ESLINT_DIRECTIVE = /^(?:\/\/|\/\*)\s*eslint-disable-(next-line|line)(?=\s|\*\/|$)([^\n\r]*)/;
// Ruff's and flake8's `# noqa`, anywhere in a comment (`# type: ignore  # noqa: E501`).
const NOQA = /#\s*noqa(?!\w)(\s*:\s*([A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*))?/i;

export function parseDirectives(comments: readonly Comment[], lines: LineIndex, language?: Language): Directive[] {
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
    const peer =
      language === 'python'
        ? noqaDirective(c, lines)
        : language === 'typescript'
          ? eslintDirective(c, lines)
          : undefined;
    if (peer) out.push(peer);
  }
  return out;
}

function eslintDirective(c: Comment, lines: LineIndex): Directive | undefined {
  const m = ESLINT_DIRECTIVE.exec(c.text);
  if (!m) return undefined;
  const kind = m[1] as 'next-line' | 'line';
  let list = m[2].replace(/\*\/.*$/, '');
  const reason = list.search(/\s--(\s|$)/);
  if (reason >= 0) list = list.slice(0, reason);
  const named = list
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const rules = [...new Set(named.flatMap((r) => PEER_ESLINT_RULES[r] ?? []))];
  // Rules of its own only (`no-console`): nothing of ours is suppressed.
  if (named.length > 0 && rules.length === 0) return undefined;
  const start = c.start;
  const line = kind === 'next-line' ? lastLineOf(c, lines) + 1 : lines.lineOf(Math.max(c.start, c.end - 1));
  return { kind, rules, line, start, end: c.end, from: 'eslint' };
}

function noqaDirective(c: Comment, lines: LineIndex): Directive | undefined {
  const m = NOQA.exec(c.text);
  if (!m) return undefined;
  let rules: string[] = [];
  if (m[2]) {
    rules = [...new Set(m[2].split(/[\s,]+/).flatMap((code) => peerOfNoqaCode(code) ?? []))];
    if (rules.length === 0) return undefined;
  }
  const start = c.start + m.index;
  return { kind: 'line', rules, line: lines.lineOf(start), start, end: start + m[0].length, from: 'noqa' };
}

function lastLineOf(c: Comment, lines: LineIndex): number {
  return lines.lineOf(Math.max(c.start, c.end - 1));
}

function covers(d: Directive, ruleId: string): boolean {
  return d.rules.length === 0 || d.rules.includes(ruleId);
}

/**
 * Drops findings a directive covers. A finding is on the line of its start; a `next-line`
 * directive also covers a finding inside a statement that spans several lines when it stands
 * right before the statement's first line (`statementLine`: the first line of the innermost
 * statement holding an offset, where the backend knows it).
 */
export function applySuppressions(
  findings: Finding[],
  directives: readonly Directive[],
  statementLine?: (offset: number) => number | undefined,
  /** Filled with each directive that suppressed something, and the rule ids it suppressed. */
  used?: Map<Directive, Set<string>>,
): Finding[] {
  if (directives.length === 0) return findings;
  const covering = (list: readonly Directive[] | undefined, ruleId: string): boolean => {
    const d = list?.find((x) => covers(x, ruleId));
    if (!d) return false;
    if (used) {
      const ids = used.get(d) ?? new Set<string>();
      ids.add(ruleId);
      used.set(d, ids);
    }
    return true;
  };
  const fileWide = directives.filter((d) => d.kind === 'file');
  const byLine = new Map<number, Directive[]>();
  const nextLine = new Map<number, Directive[]>();
  for (const d of directives) {
    if (d.kind === 'file') continue;
    for (const map of d.kind === 'next-line' ? [byLine, nextLine] : [byLine]) {
      const list = map.get(d.line) ?? [];
      list.push(d);
      map.set(d.line, list);
    }
  }
  return findings.filter((f) => {
    if (covering(fileWide, f.ruleId)) return false;
    if (covering(byLine.get(f.range.start.line), f.ruleId)) return false;
    if (nextLine.size === 0 || !statementLine) return true;
    const first = statementLine(f.start);
    if (first === undefined || first === f.range.start.line) return true;
    return !covering(nextLine.get(first), f.ruleId);
  });
}

/** Something wrong with an async-lint directive itself: a rule id that does not exist, or nothing suppressed. */
export interface DirectiveProblem {
  kind: 'unknown-rule' | 'unused';
  message: string;
  /** The directive's words. */
  start: number;
  end: number;
}

/**
 * Problems of async-lint's own directives (ESLint and noqa comments are other linters' business):
 * each unknown rule id, with the nearest known id when one is close; and each directive, or rule
 * named in one, that suppressed nothing (`used` from applySuppressions).
 */
export function directiveProblems(
  directives: readonly Directive[],
  used: ReadonlyMap<Directive, ReadonlySet<string>>,
  knownRules: readonly string[],
): DirectiveProblem[] {
  const out: DirectiveProblem[] = [];
  for (const d of directives) {
    if (d.from) continue;
    const at = { start: d.start, end: d.end };
    const unknown = d.rules.filter((r) => !knownRules.includes(r));
    for (const id of unknown) {
      const near = nearestRule(id, knownRules);
      out.push({
        kind: 'unknown-rule',
        message: `unknown rule '${id}' in directive; ${near ? `did you mean '${near}'?` : `valid rules: ${knownRules.join(', ')}`}`,
        ...at,
      });
    }
    const hits = used.get(d);
    const directive = `async-lint-disable-${d.kind}`;
    if (d.rules.length === 0) {
      if (!hits)
        out.push({ kind: 'unused', message: `unused ${directive} directive (no problems were reported)`, ...at });
      continue;
    }
    const idle = d.rules.filter((r) => knownRules.includes(r) && !hits?.has(r));
    if (idle.length > 0) {
      out.push({
        kind: 'unused',
        message: `unused ${directive} directive (no problems were reported from ${idle.map((r) => `'${r}'`).join(', ')})`,
        ...at,
      });
    }
  }
  return out;
}

/** The known id closest to a misspelt one (edit distance at most a third of its length, at least 2), if any. */
export function nearestRule(id: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(id.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
