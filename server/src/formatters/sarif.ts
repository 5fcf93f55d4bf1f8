// `sarif`: SARIF 2.1.0 for code-scanning upload. One run; tool.driver lists every rule with its
// docs page and default level; results carry 1-based regions (UTF-16 columns, SARIF's default
// columnKind), artifact URIs relative to the working folder through the %SRCROOT% base, and the
// rule's fixes (every fix: `properties.safe` says whether --fix would apply it). Notices about files
// go to invocations[0].toolExecutionNotifications (with a region for a problem with a suppression
// directive); a failed rule makes executionSuccessful false.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsUrl, RULES } from '../engine/rules';
import { LineIndex } from '../engine/text';
import type { Fix, Severity } from '../engine/types';
import type { FileReport, FormatContext, Formatter } from './report';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/async-lint/async-lint';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

/** SARIF has no hint: info and hint are both notes. */
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const rel = path.relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(lines: LineIndex, start: number, end: number) {
  const r = lines.range(start, end);
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

function sarifFix(fix: Fix, location: ArtifactLocation, lines: LineIndex) {
  return {
    description: { text: fix.title },
    artifactChanges: [
      {
        artifactLocation: location,
        replacements: [...fix.edits]
          .sort((a, b) => a.start - b.start)
          .map((e) => ({ deletedRegion: region(lines, e.start, e.end), insertedContent: { text: e.newText } })),
      },
    ],
    properties: { safe: fix.safe },
  };
}

export const sarif: Formatter = (reports: readonly FileReport[], context: FormatContext): string => {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  let failed = false;

  for (const report of reports) {
    const location = artifactLocation(report.path, context.cwd);
    for (const n of report.notices) {
      if (n.level === 'error') failed = true;
      notifications.push({
        level: n.level,
        message: { text: n.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location,
              ...(n.range
                ? {
                    region: {
                      startLine: n.range.start.line + 1,
                      startColumn: n.range.start.character + 1,
                      endLine: n.range.end.line + 1,
                      endColumn: n.range.end.character + 1,
                    },
                  }
                : {}),
            },
          },
        ],
        ...(n.ruleId && ruleIndex.has(n.ruleId)
          ? { associatedRule: { id: n.ruleId, index: ruleIndex.get(n.ruleId) } }
          : {}),
      });
    }
    if (report.findings.length === 0) continue;
    const lines = new LineIndex(report.text ?? '');
    for (const f of report.findings) {
      const fixes = f.fixes.filter((x) => x.edits.length > 0).map((x) => sarifFix(x, location, lines));
      results.push({
        ruleId: f.ruleId,
        ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(lines, f.start, f.end) } }],
        ...(fixes.length > 0 ? { fixes } : {}),
        ...(f.severity === 'hint' ? { properties: { severity: 'hint' } } : {}),
      });
    }
  }

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'async-lint',
            version: context.version,
            semanticVersion: context.version,
            informationUri: INFORMATION_URI,
            rules: RULES.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: docsUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              properties: { languages: [...r.languages], fix: r.fix },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(context.cwd).href.replace(/\/?$/, '/') } },
        invocations: [{ executionSuccessful: !failed, toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
};
