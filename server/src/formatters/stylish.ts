// `stylish`: ESLint's default look. One block per file with problems, aligned columns
// (line:column, severity, message, rule id, 1-based), then a summary line. Colours only when the
// caller says so (a TTY without NO_COLOR).
import type { Severity } from '../engine/types';
import { countAll, displayPath, type FileReport, type FormatContext, type Formatter } from './report';

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
      rows.push({ where: '', level: n.level, style: n.level === 'error' ? 'red' : 'yellow', message: n.message, rule: n.ruleId ?? '' });
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
    const whereWidth = Math.max(...rows.map((r) => r.where.length));
    const levelWidth = Math.max(...rows.map((r) => r.level.length));
    const messageWidth = Math.max(...rows.map((r) => r.message.length));
    out.push(paint('underline', displayPath(report.path, context.cwd)));
    for (const r of rows) {
      const line = [
        '  ' + paint('dim', r.where.padStart(whereWidth)),
        paint(r.style, r.level.padEnd(levelWidth)),
        r.rule ? r.message.padEnd(messageWidth) : r.message,
        r.rule ? paint('dim', r.rule) : '',
      ];
      out.push(line.join('  ').trimEnd());
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
