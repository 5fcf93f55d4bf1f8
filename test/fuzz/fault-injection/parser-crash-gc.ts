// Run by test/python-backend.test.ts in a child process with --expose-gc: crashes tree-sitter's
// WebAssembly instance on purpose (a file nested 600 levels deep with a syntax error corrupts its
// scanner's memory; the backend never parses such a file, this calls the parser directly), drops
// the parser, discards the runtime, and collects garbage. web-tree-sitter's finalizers then free
// the dead instance's objects; one that throws would end this process. Prints what happened.
import { createPythonParser, discardPythonRuntime, loadPython } from '../../../server/src/python/parser';

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const dead = await loadPython();
  let crashed = '';
  (() => {
    const parser = createPythonParser();
    const text = 'def f(`):\n' + Array.from({ length: 600 }, (_, i) => `${' '.repeat(4 + 4 * i)}if x:\n`).join('');
    try {
      parser.parse(text);
    } catch (e) {
      crashed = String(e);
    }
  })();
  discardPythonRuntime(dead.generation);
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const fresh = await loadPython();
  const tree = createPythonParser().parse('async def f():\n    pass\n')!;
  console.log(
    JSON.stringify({ crashed, newGeneration: fresh.generation > dead.generation, parsed: tree.rootNode.type }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
