// The real language server, started from the sources, with one fault injected: the unused-async
// rule of both languages also spins for SPIN_MS on every identifier, so a file with many
// identifiers outlasts a small time budget while a file with few does not. test/lsp-faults.test.ts
// spawns this (through tsx) to check the per-file time budget over the protocol: no rule is that
// slow on purpose, so there is no other way to make one file reliably slow.
import { PY_RULES } from '../../../server/src/python/rules';
import { TS_RULES } from '../../../server/src/typescript/rules';
import ts from 'typescript';

const SPIN_MS = 5;

function spin(): void {
  const until = performance.now() + SPIN_MS;
  while (performance.now() < until) {
    // busy: a rule that computes for a long time
  }
}

type Visitor = Record<string | number, ((node: unknown) => void) | undefined>;

function slowedDown(create: (context: unknown) => Visitor, key: string | number) {
  return (context: unknown): Visitor => {
    const visitor = { ...create(context) };
    const own = visitor[key];
    visitor[key] = (node) => {
      spin();
      own?.(node);
    };
    return visitor;
  };
}

for (const [rules, key] of [
  [TS_RULES, ts.SyntaxKind.Identifier],
  [PY_RULES, 'identifier'],
] as const) {
  for (const rule of rules) {
    if (rule.id !== 'unused-async') continue;
    const r = rule as unknown as { create: (context: unknown) => Visitor };
    r.create = slowedDown(r.create.bind(rule), key);
  }
}

// After the patch: the server's modules see the same rule objects.
require('../../../server/src/server');
