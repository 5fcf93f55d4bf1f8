// What the formatters are given: per file, its findings and its notices (the file was skipped,
// ignored, or a rule failed on it). Messages are data until here; the formatters turn them into
// text for people (stylish) or tools (json, sarif).
import path from 'node:path';
import type { Finding, Fix, Range, TextEdit } from '../engine/types';

/** Something to say about a file that is not a finding. */
export interface Notice {
  /** `error` only for internal failures (a rule threw, the analysis crashed): the run exits 2. */
  level: 'error' | 'warning';
  message: string;
  /** The rule that failed, for rule failures. */
  ruleId?: string;
  /**
   * Where in the file, for notices about the code itself (a problem with a suppression
   * directive). A warning with a place is counted as a warning and can fail the run.
   */
  range?: Range;
}

export interface FileReport {
  /** Absolute path. */
  path: string;
  findings: Finding[];
  notices: Notice[];
  /** The analysed text: present when there are findings (fix ranges and regions refer to it). */
  text?: string;
  /** Safe fixes `--fix` applied to this file. */
  fixesApplied?: number;
  /** With --fix-dry-run: the text as --fix would leave it, when that differs from the file. */
  output?: string;
}

export interface FormatContext {
  /** Relative paths in the output are relative to this folder. */
  cwd: string;
  /** ANSI colours (stylish only). */
  color: boolean;
  /** async-lint's version, for SARIF's tool.driver. */
  version: string;
  /** Terminal width stylish wraps messages to (default 80). */
  columns?: number;
}

export type Formatter = (reports: readonly FileReport[], context: FormatContext) => string;

export interface Counts {
  error: number;
  warning: number;
  info: number;
  hint: number;
  fixableError: number;
  fixableWarning: number;
  /** Findings of any severity with a safe fix. */
  fixable: number;
  /** Notices at error level (internal failures). */
  fatal: number;
}

export function emptyCounts(): Counts {
  return { error: 0, warning: 0, info: 0, hint: 0, fixableError: 0, fixableWarning: 0, fixable: 0, fatal: 0 };
}

export function safeFix(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.safe);
}

export function countFile(report: FileReport, into: Counts = emptyCounts()): Counts {
  for (const f of report.findings) {
    into[f.severity]++;
    if (safeFix(f)) {
      into.fixable++;
      if (f.severity === 'error') into.fixableError++;
      else if (f.severity === 'warning') into.fixableWarning++;
    }
  }
  for (const n of report.notices) {
    if (n.level === 'error') into.fatal++;
    else if (n.range) into.warning++;
  }
  return into;
}

export function countAll(reports: readonly FileReport[]): Counts {
  const total = emptyCounts();
  for (const r of reports) countFile(r, total);
  return total;
}

/** `file` relative to cwd with forward slashes when inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return file;
  return rel.split(path.sep).join('/');
}

/**
 * A fix as one replacement over the span of its edits (ESLint's `fix` has a single range): the
 * text between edits is copied from the source.
 */
export function mergeEdits(text: string, edits: readonly TextEdit[]): TextEdit {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const start = sorted[0].start;
  let pos = start;
  let newText = '';
  for (const e of sorted) {
    newText += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return { start, end: pos, newText };
}

/** A notice's or a finding's 1-based start as `line:column`, or '' for a notice about the whole file. */
export function startOf(range: Range | undefined): string {
  return range ? `${range.start.line + 1}:${range.start.character + 1}` : '';
}
