// `stylish`: ESLint's default look. One block per file with problems, aligned columns
// (line:column, severity, then the message followed by the rule id, 1-based), then a summary line.
// Messages are not padded to the longest one: a message and its rule id wrap at word boundaries to
// the terminal's width (80 when it reports none, or 0), continued under the message's column.
// Colours only when the caller says so (a TTY without NO_COLOR).
import type { Severity } from '../engine/types';
import { countAll, displayPath, startOf, type FileReport, type FormatContext, type Formatter } from './report';

/** Below this many columns for the message, wrapping would make a tall thin column: do not wrap. */
const MIN_MESSAGE_WIDTH = 30;

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrapWords(words: readonly string[], width: number): string[][] {
  const lines: string[][] = [];
  let line: string[] = [];
  let length = 0;
  for (const w of words) {
    const add = line.length === 0 ? w.length : length + 1 + w.length;
    if (line.length > 0 && add > width) {
      lines.push(line);
      line = [w];
      length = w.length;
    } else {
      line.push(w);
      length = add;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  underline: '\u001b[4m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
  gray: '\u001b[90m',
} as const;

type Style = keyof typeof ANSI;

const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', warning: 'yellow', info: 'cyan', hint: 'gray' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const stylish: Formatter = (reports: readonly FileReport[], context: FormatContext): string => {
  const paint = (style: Style, s: string) => (context.color ? `${ANSI[style]}${s}${ANSI.reset}` : s);
  const out: string[] = [];

  for (const report of reports) {
    if (report.findings.length === 0 && report.notices.length === 0) continue;
    const rows: { where: string; level: string; style: Style; message: string; rule: string }[] = [];
    for (const n of report.notices) {
      rows.push({
        where: startOf(n.range),
        level: n.level,
        style: n.level === 'error' ? 'red' : 'yellow',
        message: n.message,
        rule: n.ruleId ?? '',
      });
    }
    for (const f of report.findings) {
      rows.push({
        where: `${f.range.start.line + 1}:${f.range.start.character + 1}`,
        level: f.severity,
        style: SEVERITY_STYLE[f.severity],
        // Keep each finding on one line: a message never spans lines in this format.
        message: f.message.replace(/\s*\r?\n\s*/g, ' '),
        rule: f.ruleId,
      });
    }
    // In the order of the file: notices about the whole file first, then by position.
    const position = (where: string) => (where ? where.split(':').map(Number) : [-1, -1]);
    rows.sort((a, b) => {
      const [la, ca] = position(a.where);
      const [lb, cb] = position(b.where);
      return la - lb || ca - cb;
    });
    const whereWidth = Math.max(...rows.map((r) => r.where.length));
    const levelWidth = Math.max(...rows.map((r) => r.level.length));
    const indent = 2 + whereWidth + 2 + levelWidth + 2;
    const columns = context.columns && context.columns > 0 ? context.columns : 80;
    const width = columns - indent;
    out.push(paint('underline', displayPath(report.path, context.cwd)));
    for (const r of rows) {
      // The rule id is the last word, two spaces after the message; a message never spans lines
      // of its own accord.
      const words = r.message.split(/\s+/).filter((w) => w !== '');
      const ruleWord = r.rule ? ` ${r.rule}` : undefined;
      const all = ruleWord ? [...words, ruleWord] : words;
      const lines = width >= MIN_MESSAGE_WIDTH ? wrapWords(all, width) : [all];
      lines.forEach((line, i) => {
        const text = line
          .map((w) => (w === ruleWord ? (i === lines.length - 1 ? ` ${paint('dim', r.rule)}` : w) : w))
          .join(' ')
          .replace(/^ +/, '');
        const head =
          i === 0
            ? `  ${paint('dim', r.where.padStart(whereWidth))}  ${paint(r.style, r.level.padEnd(levelWidth))}  `
            : ' '.repeat(indent);
        out.push((head + text).trimEnd());
      });
    }
    out.push('');
  }

  const c = countAll(reports);
  const problems = c.error + c.warning + c.info + c.hint;
  if (problems > 0) {
    const parts = [plural(c.error, 'error'), plural(c.warning, 'warning')];
    if (c.info > 0) parts.push(`${c.info} info`);
    if (c.hint > 0) parts.push(plural(c.hint, 'hint'));
    const style: Style = c.error > 0 ? 'red' : c.warning > 0 ? 'yellow' : 'cyan';
    out.push(paint(style, paint('bold', `\u2716 ${plural(problems, 'problem')} (${parts.join(', ')})`)));
    if (c.fixable > 0) {
      out.push(paint(style, `  ${plural(c.fixable, 'problem')} potentially fixable with the \`--fix\` option.`));
    }
    out.push('');
  }
  return out.join('\n');
};
