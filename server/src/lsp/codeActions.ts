// Code actions for async-lint diagnostics, for each finding under the cursor (in this order, as
// vscode-eslint orders them): each fix as a quick fix (the first safe one preferred); "Fix all
// <rule> problems in this file" when the rule has more than one finding with a fix that may be
// applied in bulk (a safe one: suggestions change behaviour and are applied one at a time, as
// vscode-eslint and typescript-eslint treat suggestions; never an `individualOnly` fix); "Disable
// <rule> for this line" (a next-line directive, merged into one already there, in the language's
// comment syntax; in JSX children, where `//` would be page text, a `{/* ... */}` one, as the
// backend's LineSafety tells); "Disable <rule> for this file" (an
// `async-lint-disable-file` directive at the top, see directive-edit.ts); "Show documentation for
// <rule>" (a command: see SERVER_SHOW_RULE_DOCUMENTATION_COMMAND). And source.fixAll.asyncLint
// (every safe fix, for editor.codeActionsOnSave).
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import {
  disableFileEdit,
  disableLineEdit,
  disableNextLineEdit,
  type DirectiveStyle,
  type LineSafety,
} from '../engine/directive-edit';
import { bulkFix, type LanguageBackend } from '../engine/linter';
import { LineIndex } from '../engine/text';
import type { Finding, LintResult } from '../engine/types';
import { FIX_ALL_KIND, SERVER_SHOW_RULE_DOCUMENTATION_COMMAND, SOURCE } from '../protocol';
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

export interface QuickFixRequest {
  uri: string;
  file: string;
  text: string;
  result: LintResult;
  version: number | null;
  /** The diagnostics under the cursor. */
  diagnostics: readonly Diagnostic[];
  /** The text with every bulk-applicable fix of one rule applied (as --fix would, in passes). */
  fixAllOfRule(ruleId: string): string;
  /** The text's language backend: its comment syntax, and where a comment may stand. */
  backend: Pick<LanguageBackend, 'lineComment' | 'lineSafety'>;
}

export function quickFixes(req: QuickFixRequest): CodeAction[] {
  const { uri, file, result } = req;
  const lines = new LineIndex(req.text);
  const fixes: CodeAction[] = [];
  const fixAlls: CodeAction[] = [];
  const disableLines: CodeAction[] = [];
  const disableFiles: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const disabledKeys = new Set<string>();
  const rulesSeen = new Set<string>();
  const leader = req.backend.lineComment;
  // Asked for only when a disable action is made (it parses a text that may hold JSX, as it is asked).
  let safety: LineSafety | undefined;
  const inJsxChildren = (line: number) =>
    (safety ??= req.backend.lineSafety?.(file, req.text) ?? NO_JSX).inJsxChildren(line);
  for (const d of req.diagnostics) {
    if (d.source !== SOURCE || typeof d.code !== 'string') continue;
    const finding = findingFor(d, result, req.version);
    if (!finding) continue;
    const ruleId = finding.ruleId;
    const preferred = finding.fixes.find((f) => f.safe);
    for (const fix of finding.fixes) {
      fixes.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix === preferred,
        edit: { changes: { [uri]: toTextEdits(lines, fix.edits) } },
      });
    }
    const key = `${ruleId}:${finding.range.start.line}`;
    if (!disabledKeys.has(key)) {
      disabledKeys.add(key);
      disableLines.push(
        disableForLine(uri, lines, finding, d, { leader, jsx: inJsxChildren(finding.range.start.line) }),
      );
    }
    if (rulesSeen.has(ruleId)) continue;
    rulesSeen.add(ruleId);
    const fixAll = fixAllOfRule(req, ruleId, d);
    if (fixAll) fixAlls.push(fixAll);
    const fileEdit = disableFileEdit(lines, [ruleId], { leader });
    if (fileEdit) {
      disableFiles.push({
        title: `Disable ${ruleId} for this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [uri]: toTextEdits(lines, [fileEdit]) } },
      });
    }
    const title = `Show documentation for ${ruleId}`;
    docs.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title, command: SERVER_SHOW_RULE_DOCUMENTATION_COMMAND, arguments: [ruleId] },
    });
  }
  // Fixes first, then the escape hatches, then the page.
  return [...fixes, ...fixAlls, ...disableLines, ...disableFiles, ...docs];
}

/**
 * "Fix all <rule> problems in this file", when more than one of the rule's findings has a fix a
 * bulk pass applies (a safe one): one edit, from the text the engine's fix passes produce.
 */
function fixAllOfRule(req: QuickFixRequest, ruleId: string, d: Diagnostic): CodeAction | undefined {
  const fixable = req.result.findings.filter((f) => f.ruleId === ruleId && bulkFix(f, false) !== undefined);
  if (fixable.length < 2) return undefined;
  const edit = minimalEdit(req.text, req.fixAllOfRule(ruleId));
  if (!edit) return undefined;
  return {
    title: `Fix all ${ruleId} problems in this file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { changes: { [req.uri]: [edit] } },
  };
}

/** A backend that cannot say where comments may stand: no line is in JSX children. */
const NO_JSX: LineSafety = { canInsertBefore: () => true, canAppendTo: () => true, inJsxChildren: () => false };

/** `style.jsx`: the line is in JSX children, where a `//` line is text that renders; only a comment in braces is one there. */
function disableForLine(
  uri: string,
  lines: LineIndex,
  finding: Finding,
  d: Diagnostic,
  style: DirectiveStyle,
): CodeAction {
  const line = finding.range.start.line;
  const title = `Disable ${finding.ruleId} for this line`;
  // The directive above names the rule already and did not take (the parser saw no comment
  // there, as before a closing brace): end the line with one instead.
  const edit =
    disableNextLineEdit(lines, line, [finding.ruleId], style) ?? disableLineEdit(lines, line, [finding.ruleId], style);
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { changes: { [uri]: toTextEdits(lines, [edit]) } },
  };
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
