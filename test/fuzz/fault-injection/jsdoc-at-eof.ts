// Run by test/fuzz/regressions.test.ts in a child process with a time limit: TypeScript 6's JSDoc
// parser loops forever on a text that ends inside an unterminated `/**` comment right after a
// hyphenated word (found by the fuzzer). In process, a regression would hang the test run itself.
// Lints each case the way the server and the CLI do, and the syntax check of fixes; prints what it found.
import { FuzzHarness } from '../harness';

const CASES: [string, string][] = [
  ['.js', 'x;\n/** @see a-bc'],
  ['.ts', '/**c-ca'],
  ['.cjs', 'export async function f() {}\n/**\n * {@link a-bc'],
  ['.tsx', 'export const A = () => <div/>;\n/** @param c-ca'],
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
