// The real language server, started from the sources, with one thing changed: the safety label of
// some fixes. No rule has a safe fix today (each fix changes when code runs: a suggestion), so the
// code actions that apply safe fixes only ("Fix all <rule> problems in this file", fix-all) could
// not be seen doing anything over the protocol. test/lsp.test.ts spawns this (through tsx):
//   - blocking-call (both languages): every fix is labelled safe;
//   - unawaited (both languages): only the fixes marked individualOnly (`void ...`) are labelled
//     safe, so a bulk action that applied them, against their mark, would show.
// The fixes themselves, and everything else, are the real server's.
import type { Fix } from '../../server/src/engine/types';
import { PY_RULES } from '../../server/src/python/rules';
import { TS_RULES } from '../../server/src/typescript/rules';

const RELABEL: Record<string, (fix: Fix) => boolean> = {
  'blocking-call': () => true,
  unawaited: (fix) => fix.individualOnly === true,
};

type Report = (at: unknown, message: string, fixes?: Fix[]) => void;
type Create = (context: { report: Report }) => unknown;

for (const rule of [...TS_RULES, ...PY_RULES]) {
  const safe = RELABEL[rule.id];
  if (!safe) continue;
  const r = rule as unknown as { create: Create };
  const create = r.create.bind(rule);
  r.create = (context) => {
    const report: Report = (at, message, fixes) =>
      context.report(
        at,
        message,
        fixes?.map((f) => (safe(f) ? { ...f, safe: true } : f)),
      );
    return create(new Proxy(context, { get: (target, key) => (key === 'report' ? report : Reflect.get(target, key)) }));
  };
}

// After the patch: the server's modules see the same rule objects.
require('../../server/src/server');
