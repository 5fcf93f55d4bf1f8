// `json`: ESLint's JSON format, so tools that read ESLint results read ours.
//   severity: 2 for error, 1 for warning and info (and hint, shown only with --include-hints:
//             ESLint has only these two). The exact level is in `level`; errorCount /
//             warningCount count errors and warnings only, and infoCount / hintCount the rest.
//   output:   with --fix-dry-run, the file's text as --fix would leave it (ESLint's `output`),
//             present only when it differs.
//   fix:      the finding's first safe fix as ESLint's {range: [start, end], text}, offsets into
//             the text as analysed (a BOM is not counted); a fix of several edits becomes one
//             replacement over their span.
//   suggestions: every other fix, as [{desc, fix}]; `safe` says whether --fix would apply it.
//   Notices (skipped file, ignored file, a rule that failed) are messages with ruleId null (or the
//   failed rule's id) and no line, like ESLint's "File ignored" warning; only internal failures
//   are counted, as fatal errors. A problem with a suppression directive (an unknown rule id, or
//   an unused directive) is a message with ruleId null and a line, counted as a warning, like
//   ESLint's "Unused eslint-disable directive".
import type { Finding, Fix } from '../engine/types';
import { countFile, type FileReport, type Formatter, mergeEdits, safeFix } from './report';

interface EslintFix {
  range: [number, number];
  text: string;
}

function toEslintFix(fix: Fix, text: string): EslintFix {
  const edit = mergeEdits(text, fix.edits);
  return { range: [edit.start, edit.end], text: edit.newText };
}

function message(f: Finding, text: string) {
  const fix = safeFix(f);
  const others = f.fixes.filter((x) => x !== fix && x.edits.length > 0);
  return {
    ruleId: f.ruleId,
    severity: f.severity === 'error' ? 2 : 1,
    level: f.severity,
    message: f.message,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    ...(fix && fix.edits.length > 0 ? { fix: toEslintFix(fix, text) } : {}),
    ...(others.length > 0
      ? { suggestions: others.map((s) => ({ desc: s.title, safe: s.safe, fix: toEslintFix(s, text) })) }
      : {}),
  };
}

export const json: Formatter = (reports: readonly FileReport[]): string => {
  const files = reports.map((r) => {
    const c = countFile(r);
    const text = r.text ?? '';
    return {
      filePath: r.path,
      messages: [
        ...r.notices.map((n) => ({
          ruleId: n.ruleId ?? null,
          ...(n.range ? {} : { fatal: n.level === 'error' }),
          severity: n.level === 'error' ? 2 : 1,
          message: n.message,
          ...(n.range
            ? {
                line: n.range.start.line + 1,
                column: n.range.start.character + 1,
                endLine: n.range.end.line + 1,
                endColumn: n.range.end.character + 1,
              }
            : {}),
        })),
        ...r.findings.map((f) => message(f, text)),
      ],
      errorCount: c.error + c.fatal,
      fatalErrorCount: c.fatal,
      warningCount: c.warning,
      fixableErrorCount: c.fixableError,
      fixableWarningCount: c.fixableWarning,
      infoCount: c.info,
      hintCount: c.hint,
      ...(r.fixesApplied ? { fixesApplied: r.fixesApplied } : {}),
      ...(r.output !== undefined ? { output: r.output } : {}),
    };
  });
  return JSON.stringify(files);
};
