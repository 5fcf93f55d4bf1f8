// The server's analysis state without the connection: a rule that throws is logged once per rule
// and file (with both named) and the other rules still report; a broken project file is reported
// and the last good configuration is used.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ConfigError } from '../server/src/engine/config';
import { Linter } from '../server/src/engine/linter';
import { Analysis } from '../server/src/lsp/analysis';
import { Workspace, pathToUri } from '../server/src/lsp/workspace';
import { DEFAULT_SETTINGS } from '../server/src/protocol';
import { TypeScriptBackend } from '../server/src/typescript/backend';
import { ProjectHost } from '../server/src/typescript/host';
import type { TsRule } from '../server/src/typescript/rule';
import { unusedAsync } from '../server/src/typescript/rules/unused-async';
import { makeWorkspace } from './lspClient';

function analysisFor(folder: string, rules: TsRule[]) {
  const errors: string[] = [];
  const problems: ConfigError[] = [];
  const workspace = new Workspace();
  workspace.setFolders([{ uri: pathToUri(folder) }]);
  const linter = new Linter([new TypeScriptBackend(new ProjectHost(), rules)]);
  const analysis = new Analysis(
    workspace,
    { info: () => {}, error: (m) => errors.push(m), configProblem: (e) => problems.push(e) },
    () => [],
    linter,
  );
  return { analysis, errors, problems };
}

describe('server analysis state', () => {
  it('logs a throwing rule once per file, naming rule and file, and keeps the other rules', () => {
    // blocking-call's slot, throwing on every return statement
    const rule: TsRule = {
      id: 'blocking-call',
      create: () => ({
        [ts.SyntaxKind.ReturnStatement]: () => {
          throw new Error('boom');
        },
      }),
    };
    const text = 'export async function f() {\n  return 1;\n}\nexport function h() {\n  void f();\n}\n';
    const dir = makeWorkspace({ 'a.ts': text, 'b.ts': text });
    const { analysis, errors } = analysisFor(dir, [rule, unusedAsync]);
    for (let i = 0; i < 3; i++) {
      const out = analysis.lint(path.join(dir, 'a.ts'), text.replace('1', String(i)), i + 1, DEFAULT_SETTINGS);
      assert.equal(out.kind, 'linted');
      if (out.kind !== 'linted') return;
      assert.deepEqual(
        out.result.findings.map((f) => f.ruleId),
        ['unused-async'],
        'the other rule still reports',
      );
      assert.equal(out.result.ruleFailures.length, 1);
    }
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /rule blocking-call failed on .*a\.ts/);
    assert.match(errors[0], /boom/);
    analysis.lint(path.join(dir, 'b.ts'), text, 1, DEFAULT_SETTINGS);
    assert.equal(errors.length, 2, 'another file is logged once too');
    assert.match(errors[1], /b\.ts/);
  });

  it('uses the last good configuration when the project file breaks, and reports the problem', () => {
    const dir = makeWorkspace({ 'a.ts': 'export {};\n', 'async-lint.json': '{"rules":{"unused-async":"error"}}' });
    const { analysis, problems } = analysisFor(dir, [unusedAsync]);
    const file = path.join(dir, 'a.ts');
    assert.equal(analysis.configFor(file, DEFAULT_SETTINGS).config.severities.get('unused-async'), 'error');
    fs.writeFileSync(path.join(dir, 'async-lint.json'), '{"rules":');
    assert.equal(analysis.fileChanged(path.join(dir, 'async-lint.json')), true, 'a config file');
    const out = analysis.configFor(file, DEFAULT_SETTINGS);
    assert.equal(out.config.severities.get('unused-async'), 'error', 'the last good');
    assert.ok(out.problem instanceof ConfigError);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /async-lint\.json: invalid JSON/);
  });

  it('reads no configuration outside the workspace folders', () => {
    const outer = makeWorkspace({ 'async-lint.json': '{"rules":{"unused-async":"error"}}' });
    const inner = path.join(outer, 'project');
    fs.mkdirSync(inner);
    fs.writeFileSync(path.join(inner, 'a.ts'), 'export {};\n');
    const { analysis } = analysisFor(inner, [unusedAsync]);
    // The outer folder's async-lint.json is not in the workspace: the rule keeps its default.
    assert.equal(
      analysis.configFor(path.join(inner, 'a.ts'), DEFAULT_SETTINGS).config.severities.get('unused-async'),
      'hint',
    );
  });
});

describe('server analysis state: overrides and the lint root', () => {
  it('applies the built-in test override below the workspace folder, which is the root without a configuration file', () => {
    // The workspace folder itself sits in a folder named tests: that is not test code.
    const outer = makeWorkspace({});
    const folder = path.join(outer, 'tests', 'proj');
    fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'tests'), { recursive: true });
    const { analysis } = analysisFor(folder, [unusedAsync]);
    const severity = (rel: string) =>
      analysis.configFor(path.join(folder, rel), DEFAULT_SETTINGS).config.severities.get('blocking-call');
    assert.equal(severity('src/a.ts'), 'warning');
    assert.equal(severity('tests/a.ts'), 'off');
    assert.equal(severity('src/a.spec.ts'), 'off');
    assert.equal(analysis.configFor(path.join(folder, 'tests/a.ts'), DEFAULT_SETTINGS).config.root, folder);
  });

  it("a configuration file's overrides apply per file, its folder being the root", () => {
    const dir = makeWorkspace({
      'pkg/async-lint.json': '{"overrides":[{"files":["gen/"],"rules":{"unused-async":"error"}}]}',
      'pkg/gen/a.ts': 'export {};\n',
    });
    const { analysis } = analysisFor(dir, [unusedAsync]);
    assert.equal(
      analysis.configFor(path.join(dir, 'pkg/gen/a.ts'), DEFAULT_SETTINGS).config.severities.get('unused-async'),
      'error',
    );
    assert.equal(
      analysis.configFor(path.join(dir, 'pkg/a.ts'), DEFAULT_SETTINGS).config.severities.get('unused-async'),
      'hint',
    );
    assert.equal(
      analysis.configForDir(path.join(dir, 'pkg/gen'), DEFAULT_SETTINGS).config.severities.get('unused-async'),
      'hint',
      'a folder has no file overrides',
    );
  });
});
