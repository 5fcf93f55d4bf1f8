// `concise`: one line per problem, `path:line:col: severity rule message`, like Ruff's concise
// output and ESLint's unix format, for grep, editors' quickfix lists and compilers' error parsers.
// A notice about a whole file (skipped, ignored, a rule failed) has no position:
// `path: warning message`. No summary line: an empty output means no problems.
import { displayPath, startOf, type FileReport, type FormatContext, type Formatter } from './report';

const oneLine = (s: string) => s.replace(/\s*\r?\n\s*/g, ' ');

export const concise: Formatter = (reports: readonly FileReport[], context: FormatContext): string => {
  const out: string[] = [];
  for (const report of reports) {
    const file = displayPath(report.path, context.cwd);
    const lines: { at: number; text: string }[] = [];
    for (const n of report.notices) {
      const where = startOf(n.range);
      const at = n.range ? n.range.start.line * 1e6 + n.range.start.character : -1;
      lines.push({
        at,
        text: `${file}:${where ? `${where}:` : ''} ${n.level}${n.ruleId ? ` ${n.ruleId}` : ''} ${oneLine(n.message)}`,
      });
    }
    for (const f of report.findings) {
      lines.push({
        at: f.range.start.line * 1e6 + f.range.start.character,
        text: `${file}:${startOf(f.range)}: ${f.severity} ${f.ruleId} ${oneLine(f.message)}`,
      });
    }
    // In the order of the file: a directive's problem before the findings below it.
    for (const l of lines.sort((a, b) => a.at - b.at)) out.push(l.text);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
