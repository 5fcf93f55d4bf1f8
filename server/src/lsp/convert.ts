// Engine model -> LSP: findings to diagnostics, fixes to text edits. Positions are the engine's
// 0-based UTF-16 positions, which is LSP's default encoding, so they pass through unchanged.
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import { ruleDocLink } from '../engine/rule-docs';
import { changedSpan, LineIndex } from '../engine/text';
import type { Finding, Severity, TextEdit as EngineEdit } from '../engine/types';
import { SOURCE } from '../protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries so a code-action request can find its finding again. */
export interface DiagnosticData {
  /** Document version the finding was computed for. */
  version: number | null;
  /** Index into that lint result's findings. */
  index: number;
}

/** Each rule's link, looked up once: the page installed beside the server, else its web address. */
const links = new Map<string, string>();

function linkOf(ruleId: string): string {
  let href = links.get(ruleId);
  if (href === undefined) {
    href = ruleDocLink(ruleId);
    links.set(ruleId, href);
  }
  return href;
}

export function toDiagnostic(f: Finding, index: number, version: number | null): Diagnostic {
  const data: DiagnosticData = { version, index };
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.ruleId,
    codeDescription: { href: linkOf(f.ruleId) },
    message: f.message,
    data,
  };
}

export function toTextEdits(lines: LineIndex, edits: readonly EngineEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: lines.range(e.start, e.end), newText: e.newText }));
}

/**
 * One edit that turns `before` into `after`: the changed middle between the common prefix and
 * suffix. Replacing the whole document would move the cursor and fold state on every fix-all.
 */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const { start, oldEnd, newEnd } = changedSpan(before, after);
  const lines = new LineIndex(before);
  return { range: lines.range(start, oldEnd), newText: after.slice(start, newEnd) };
}
