// Run by test/fuzz/regressions.test.ts in a child process with a time limit: TypeScript 6.0.3's
// JSDoc scanner loops forever when a JSDoc comment's scanned text ends in `word-` (a comment ending
// in `word-*/`, or an unterminated one whose last characters fall so: found by the fuzzer;
// microsoft/TypeScript#63580). We ship TypeScript with the upstream fix applied (patches/). In
// process, a regression would hang the test run itself.
// Lints each case the way the server and the CLI do, and the syntax check of fixes; prints what it found.
import { FuzzHarness } from '../harness';

const CASES: [string, string][] = [
  ['.js', 'x;\n/** @see a-bc'],
  ['.ts', '/**c-ca'],
  ['.cjs', 'export async function f() {}\n/**\n * {@link a-bc'],
  ['.tsx', 'export const A = () => <div/>;\n/** @param c-ca'],
  // Terminated comments: in JavaScript every JSDoc comment is parsed, in TypeScript those with @see.
  ['.js', '/**a-*/\nconst x = 1;\n'],
  ['.mjs', 'export async function f() {}\n/** retries-*/\n'],
  ['.ts', '/** @see a-*/\nexport const x = 1;\n'],
  // Ends in whitespace after the hyphenated word (the fuzz input: a mutated examples/js-scripts/retry.js).
  ['.js', 'x;\n/** unused-a\n'],
  ['.js', 'x;\n/** unused-a '],
];

async function main(): Promise<void> {
  const harness = await FuzzHarness.create({ hangScale: 3 });
  try {
    const out = CASES.map(([ext, text]) => ({ ext, problems: harness.check(ext, text).problems.map((p) => p.kind) }));
    console.log(JSON.stringify(out));
  } finally {
    harness.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
