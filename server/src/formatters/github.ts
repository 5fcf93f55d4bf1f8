// `github`: GitHub Actions workflow commands, which the runner turns into annotations on the pull
// request's diff: `::warning file=src/a.ts,line=3,col=5,endLine=3,endColumn=9,title=async-lint
// unawaited::message`. error stays error, warning warning, info and hint become notice. Paths
// are relative to the current folder (run from the repository root). Escaped as the runner
// unescapes: %, CR and LF in the message; also ',' and ':' in the properties.
import type { Severity } from '../engine/types';
import { displayPath, type FileReport, type FormatContext, type Formatter } from './report';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, properties: Record<string, string | number>, message: string): string {
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

export const github: Formatter = (reports: readonly FileReport[], context: FormatContext): string => {
  const out: string[] = [];
  for (const report of reports) {
    const file = displayPath(report.path, context.cwd);
    for (const n of report.notices) {
      const at: Record<string, number> = n.range
        ? {
            line: n.range.start.line + 1,
            col: n.range.start.character + 1,
            endLine: n.range.end.line + 1,
            endColumn: n.range.end.character + 1,
          }
        : {};
      out.push(command(n.level, { file, ...at, title: n.ruleId ? `async-lint ${n.ruleId}` : 'async-lint' }, n.message));
    }
    for (const f of report.findings) {
      const r = f.range;
      out.push(
        command(
          COMMAND[f.severity],
          {
            file,
            line: r.start.line + 1,
            col: r.start.character + 1,
            endLine: r.end.line + 1,
            endColumn: r.end.character + 1,
            title: `async-lint ${f.ruleId}`,
          },
          f.message,
        ),
      );
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};
