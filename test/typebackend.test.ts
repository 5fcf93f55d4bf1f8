// The TypeScript 7 type backend (an experiment; see server/src/typescript/typebackend.ts) may only
// become the default if it answers exactly as TypeScript 6 does: here, for every TS/JS fixture
// file (fix cases included), both backends are asked whether each expression statement's value
// must be awaited, and must agree on every one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { awaitCandidates, createTypeBackend, type TypeBackend } from '../server/src/typescript/typebackend';
import { FIXTURES } from './helpers';

const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      // regressions/ holds the fuzzer's inputs (10,000-term chains and the like), not rule fixtures.
      if (e.isDirectory()) {
        if (e.name !== 'regressions') stack.push(p);
      }
      else if (TS_FILE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  }
  return out.sort();
}

describe('type backends: TypeScript 7 agrees with TypeScript 6', function () {
  this.timeout(120_000);
  let ts6: TypeBackend;
  let ts7: TypeBackend;

  before(() => {
    ts6 = createTypeBackend('typescript6');
    ts7 = createTypeBackend('typescript7', { cwd: FIXTURES });
  });

  after(() => {
    ts6?.dispose();
    ts7?.dispose();
  });

  it('answers alike for every candidate in every fixture', () => {
    const files = fixtureFiles(FIXTURES);
    assert.ok(files.length > 10, 'the fixtures are there');
    const counts = { always: 0, never: 0, may: 0 };
    const disagreements: string[] = [];
    for (const file of files) {
      const sf6 = ts6.sourceFile(file);
      const sf7 = ts7.sourceFile(file);
      const c6 = awaitCandidates(sf6);
      const c7 = awaitCandidates(sf7);
      assert.deepEqual(
        c7.map((n) => `${n.pos}-${n.end}`),
        c6.map((n) => `${n.pos}-${n.end}`),
        `same candidates in ${file}`,
      );
      const a6 = ts6.awaitability(sf6, c6);
      const a7 = ts7.awaitability(sf7, c7);
      a6.forEach((answer, i) => {
        counts[answer]++;
        if (a7[i] !== answer) {
          const { line } = ts.getLineAndCharacterOfPosition(sf6, c6[i].getStart(sf6));
          disagreements.push(`${path.relative(FIXTURES, file)}:${line + 1} ${c6[i].getText(sf6).slice(0, 60)}: TS 6 ${answer}, TS 7 ${a7[i]}`);
        }
      });
    }
    assert.deepEqual(disagreements, []);
    // Both kinds of answer occur, so agreement is not agreement on nothing.
    assert.ok(counts.always >= 20 && counts.never >= 20, JSON.stringify(counts));
  });
});
