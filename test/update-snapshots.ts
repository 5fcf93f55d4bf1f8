// `npm run test:update-snapshots`: rewrites every fixture snapshot (test/snapshots.ts), writes the
// missing ones, deletes those whose fixture is gone, and lists what changed. Review with `git diff`.
import { testLinter } from './helpers';
import { UPDATE_COMMAND, updateSnapshots } from './snapshots';

async function main(): Promise<void> {
  const linter = await testLinter();
  const report = updateSnapshots(linter);
  for (const f of report.added) console.log(`added    ${f}`);
  for (const f of report.changed) console.log(`changed  ${f}`);
  for (const f of report.deleted) console.log(`deleted  ${f}`);
  const { added, changed, deleted, unchanged } = report;
  const counts = `${added.length} added, ${changed.length} changed, ${deleted.length} deleted, ${unchanged} unchanged`;
  const touched = added.length + changed.length + deleted.length > 0;
  const review = touched ? ' Review with `git status` and `git diff -- test/fixtures`.' : '';
  console.log(`${UPDATE_COMMAND}: ${counts}.${review}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
