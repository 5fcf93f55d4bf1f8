// Snapshot tests of the rule fixtures (see test/snapshots.ts for what a snapshot holds): each
// fixture's findings, messages, columns and fixes must match test/fixtures/<rule-id>/__snapshots__/.
// After a deliberate change, `npm run test:update-snapshots` rewrites them; review with `git diff`.
import assert from 'node:assert/strict';
import path from 'node:path';
import { testLinter } from './helpers';
import {
  readSnapshot,
  renderSnapshot,
  repoPath,
  snapshotCases,
  snapshotFiles,
  unifiedDiff,
  UPDATE_COMMAND,
} from './snapshots';

const HINT = `Run \`${UPDATE_COMMAND}\` to rewrite the snapshots, then review them with \`git diff\`.`;

describe('snapshots', () => {
  const cases = snapshotCases();

  it('every fixture has a snapshot and every snapshot a fixture', () => {
    const wanted = new Set(cases.map((c) => c.snapshot));
    const onDisk = new Set(snapshotFiles());
    const missing = [...wanted].filter((f) => !onDisk.has(f)).map(repoPath);
    const orphans = [...onDisk].filter((f) => !wanted.has(f)).map(repoPath);
    assert.ok(cases.length > 0, 'no fixtures found');
    const problems = [...missing.map((f) => `missing: ${f}`), ...orphans.map((f) => `no fixture: ${f}`)];
    if (problems.length > 0) assert.fail(`${problems.join('\n')}\n${HINT}`);
  });

  it('renders a fix as the changed lines with one line of context, hunks apart joined by ...', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    assert.deepEqual(unifiedDiff(before, before), []);
    assert.deepEqual(unifiedDiff(before, ['x', ...before.slice(0, 5), 'F', 'g']), [
      '  1 |+x',
      '1 2 | a',
      '...',
      '5 6 | e',
      '6   |-f',
      '  7 |+F',
      '7 8 | g',
    ]);
    // Changes two unchanged lines apart share one hunk; an empty line has no trailing blank.
    assert.deepEqual(unifiedDiff(['a', '', 'b', 'c'], ['A', '', 'b', 'C']), [
      '1   |-a',
      '  1 |+A',
      '2 2 |',
      '3 3 | b',
      '4   |-c',
      '  4 |+C',
    ]);
  });

  for (const c of cases) {
    it(`${c.ruleId}/${path.basename(c.fixture)}`, async () => {
      const linter = await testLinter();
      const now = renderSnapshot(linter, c);
      const committed = readSnapshot(c.snapshot);
      if (committed === undefined) assert.fail(`${repoPath(c.snapshot)} is missing. ${HINT}\nIt would be:\n${now}`);
      if (committed !== now) {
        const diff = unifiedDiff(committed.split('\n'), now.split('\n'), 2).join('\n');
        assert.fail(`${repoPath(c.snapshot)} differs (- committed, + now):\n${diff}\n${HINT}`);
      }
    });
  }
});
