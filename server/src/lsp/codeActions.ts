// Code actions for async-lint diagnostics: each fix as a quick fix (the first safe one preferred),
// "Disable <rule> for this line" (a next-line directive, merged into one already there; in JSX
// children, where `//` would be page text, a `{/* ... */}` one), and source.fixAll.asyncLint
// (every safe fix, for editor.codeActionsOnSave).
import type ts from 'typescript';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { commentLeader, disableLineEdit, disableNextLineEdit } from '../engine/directive-edit';
import { LineIndex } from '../engine/text';
import type { Finding, LintResult } from '../engine/types';
import { FIX_ALL_KIND, SOURCE } from '../protocol';
import { parseCodeOnly } from '../typescript/backend';
import { isInJsxChildren, mayHoldJsx } from '../typescript/jsx';
import { minimalEdit, toTextEdits, type DiagnosticData } from './convert';

/** The finding a diagnostic was made from, by the index it carries or else by rule and range. */
export function findingFor(d: Diagnostic, result: LintResult, version: number | null): Finding | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (data && data.version === version && typeof data.index === 'number') {
    const f = result.findings[data.index];
    if (f && f.ruleId === d.code) return f;
  }
  return result.findings.find(
    (f) =>
      f.ruleId === d.code &&
      f.range.start.line === d.range.start.line &&
      f.range.start.character === d.range.start.character &&
      f.range.end.line === d.range.end.line &&
      f.range.end.character === d.range.end.character,
  );
}

export function quickFixes(uri: string, file: string, text: string, result: LintResult, version: number | null, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const lines = new LineIndex(text);
  const actions: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const disabledKeys = new Set<string>();
  // Parsed only when a disable action is asked for in a file that may hold JSX.
  let sourceFile: ts.SourceFile | undefined;
  const inJsxChildren = (offset: number) => mayHoldJsx(file) && isInJsxChildren((sourceFile ??= parseCodeOnly(file, text)), offset);
  for (const d of diagnostics) {
    if (d.source !== SOURCE || typeof d.code !== 'string') continue;
    const finding = findingFor(d, result, version);
    if (!finding) continue;
    const preferred = finding.fixes.find((f) => f.safe);
    for (const fix of finding.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix === preferred,
        edit: { changes: { [uri]: toTextEdits(lines, fix.edits) } },
      });
    }
    const key = `${finding.ruleId}:${finding.range.start.line}`;
    if (!disabledKeys.has(key)) {
      disabledKeys.add(key);
      disables.push(disableForLine(uri, file, lines, finding, d, inJsxChildren));
    }
  }
  // Fixes first, then the escape hatches.
  return [...actions, ...disables];
}

function disableForLine(uri: string, file: string, lines: LineIndex, finding: Finding, d: Diagnostic, inJsxChildren: (offset: number) => boolean): CodeAction {
  const line = finding.range.start.line;
  const title = `Disable ${finding.ruleId} for this line`;
  // Between JSX tags a `//` line is text that renders; only a comment in braces is a comment there.
  const jsx = inJsxChildren(lines.lineStarts[line]);
  const style = { leader: commentLeader(file), jsx };
  // The directive above names the rule already and did not take (the parser saw no comment
  // there, as before a closing brace): end the line with one instead.
  const edit = disableNextLineEdit(lines, line, [finding.ruleId], style) ?? disableLineEdit(lines, line, [finding.ruleId], style);
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: toTextEdits(lines, [edit]) } } };
}

/** The fix-all source action, or nothing when no safe fix changes the text. */
export function fixAllAction(uri: string, before: string, after: string): CodeAction | undefined {
  const edit = minimalEdit(before, after);
  if (!edit) return undefined;
  return { title: 'Fix all safe async-lint problems', kind: FIX_ALL_KIND, edit: { changes: { [uri]: [edit] } } };
}

/** Whether a request's `only` filter asks for kind `kind` (a requested parent kind includes its children). */
export function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return kind === CodeActionKind.QuickFix;
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}
