// Data-driven rule tests. For each rule folder test/fixtures/<rule-id>/:
//   *.ts, *.js, *.py ...   lines that must be flagged carry `expect: <rule-id>` in a comment (once
//                          per finding); every other line must not be flagged by that rule.
//   fix/<case>.<ext>       a fix case: every finding's fix is applied (the first fix, or the one
//   fix/<case>.fixed.<ext> whose title contains the text after `fix:` on the first line) and the
//                          result must equal <case>.fixed.<ext> exactly and parse with no new errors.
// Adding a case is adding a file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyFixes } from '../server/src/engine/fixes';
import { RULE_IDS } from '../server/src/engine/rules';
import type { Fix } from '../server/src/engine/types';
import { expectedLines, FIXED_FILE, FIXTURES, listFiles, onlyRule, SOURCE_FILE, testLinter } from './helpers';

for (const ruleId of RULE_IDS) {
  const dir = path.join(FIXTURES, ruleId);
  const cases = listFiles(dir, (f) => SOURCE_FILE.test(f));
  const fixCases = listFiles(path.join(dir, 'fix'), (f) => SOURCE_FILE.test(f) && !FIXED_FILE.test(f));
  if (cases.length === 0 && fixCases.length === 0) continue;

  describe(`rule ${ruleId}`, () => {
    for (const file of cases) {
      it(`flags exactly the marked lines of ${path.basename(file)}`, async () => {
        const linter = await testLinter();
        const text = fs.readFileSync(file, 'utf8');
        const result = linter.lint(file, text, onlyRule(ruleId, file));
        assert.deepEqual(result.ruleFailures, [], 'no rule may throw');
        assert.equal(result.skipped, undefined, `file was skipped: ${result.skipped?.message}`);
        const expected = expectedLines(text, ruleId);
        const actual = new Map<number, number>();
        for (const f of result.findings) {
          assert.equal(f.ruleId, ruleId);
          actual.set(f.range.start.line, (actual.get(f.range.start.line) ?? 0) + 1);
        }
        const show = (m: Map<number, number>) =>
          [...m].sort((a, b) => a[0] - b[0]).map(([l, n]) => (n > 1 ? `${l + 1} (x${n})` : `${l + 1}`));
        const lines = text.split(/\r\n|\r|\n/);
        const detail = result.findings
          .map((f) => `  ${f.range.start.line + 1}: ${f.message} | ${lines[f.range.start.line].trim()}`)
          .join('\n');
        assert.deepEqual(
          show(actual),
          show(expected),
          `flagged lines (1-based) differ from the markers\nfindings:\n${detail}`,
        );
      });
    }

    for (const file of fixCases) {
      it(`fix output of fix/${path.basename(file)}`, async () => {
        const linter = await testLinter();
        const text = fs.readFileSync(file, 'utf8');
        const ext = path.extname(file);
        const expectedFile = file.slice(0, -ext.length) + '.fixed' + ext;
        assert.ok(fs.existsSync(expectedFile), `missing ${path.basename(expectedFile)}`);
        const want = /fix:\s*(.+?)\s*(\*\/)?$/m.exec(text.split(/\r?\n/)[0])?.[1];
        const result = linter.lint(file, text, onlyRule(ruleId, file));
        assert.ok(result.findings.length > 0, 'a fix case must have at least one finding');
        const fixes: Fix[] = [];
        for (const f of result.findings) {
          const fix = want ? f.fixes.find((x) => x.title.includes(want)) : f.fixes[0];
          assert.ok(
            fix,
            `finding at line ${f.range.start.line + 1} has no fix${want ? ` titled like '${want}'` : ''}; has: ${f.fixes.map((x) => x.title).join(' | ')}`,
          );
          fixes.push(fix);
        }
        const out = applyFixes(text, fixes);
        assert.equal(out.deferred.length, 0, 'fixes in one case must not overlap');
        assert.equal(out.text, fs.readFileSync(expectedFile, 'utf8'));
        const backend = linter.backendFor(file)!;
        assert.ok(
          backend.syntaxErrors(file, out.text).length <= backend.syntaxErrors(file, text).length,
          `the fix added syntax errors: ${JSON.stringify(backend.syntaxErrors(file, out.text))}`,
        );
      });
    }
  });
}
