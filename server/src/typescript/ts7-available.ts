// Whether the native TypeScript 7 compiler can run here: its package (the `typescript7` alias of
// `typescript@7`) and this platform's binary package are installed, and its API module loads.
// No TypeScript 6 import: the CLI asks this before it loads any compiler.

let answer: { ok: true; version: string } | { ok: false; reason: string } | undefined;

export function typeScript7Available(): { ok: true; version: string } | { ok: false; reason: string } {
  if (answer) return answer;
  try {
    const { version } = require('typescript7/package.json') as { version: string };
    if (!version.startsWith('7.')) throw new Error(`the typescript7 package is ${version}, not 7.x`);
    // The binary, as the API looks for it (lib/getExePath.js): @typescript/typescript-<platform>-<arch>.
    const platform = `@typescript/typescript-${process.platform}-${process.arch}`;
    try {
      require.resolve(`${platform}/package.json`);
    } catch {
      throw new Error(`no native compiler for ${process.platform}-${process.arch} (${platform} is not installed)`);
    }
    require('typescript7/unstable/sync');
    answer = { ok: true, version };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    answer = { ok: false, reason: /Cannot find module 'typescript7/.test(message) ? "the 'typescript7' package is not installed" : message };
  }
  return answer;
}
