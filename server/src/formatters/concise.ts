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
    for (const n of report.notices) {
      const where = startOf(n.range);
      out.push(`${file}:${where ? `${where}:` : ''} ${n.level}${n.ruleId ? ` ${n.ruleId}` : ''} ${oneLine(n.message)}`);
    }
    for (const f of report.findings) out.push(`${file}:${startOf(f.range)}: ${f.severity} ${f.ruleId} ${oneLine(f.message)}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
