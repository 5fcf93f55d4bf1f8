// The real language server, started from the sources, with one fault injected: the unused-async
// rule of both languages throws on every file. test/lsp-faults.test.ts spawns this (through tsx) to
// check that a throwing rule is logged once per file and the other rules' findings still arrive.
// No rule throws on purpose, so there is no other way to see that path over the protocol.
import { PY_RULES } from '../../../server/src/python/rules';
import { TS_RULES } from '../../../server/src/typescript/rules';

for (const rule of [...TS_RULES, ...PY_RULES]) {
  if (rule.id !== 'unused-async') continue;
  (rule as { create: unknown }).create = () => {
    throw new Error('injected fault: unused-async throws on every file');
  };
}

// After the patch: the server's modules see the same rule objects.
require('../../../server/src/server');
