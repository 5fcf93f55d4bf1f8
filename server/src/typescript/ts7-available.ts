// Where the native TypeScript 7 compiler is, and whether it can run here: async-lint's own
// `typescript7` package (the alias of `typescript@7`, a dev dependency that `npm ci` installs with
// this platform's binary package), never a linted workspace's: it is looked for only in the
// node_modules of async-lint's own folder. No TypeScript 6 import: the CLI asks this before it
// loads any compiler.
import fs from 'node:fs';
import path from 'node:path';

/** The repository the bundle was built from (esbuild.mjs defines it), for bundles built outside it (tests, the benchmark). */
declare const __ASYNC_LINT_BUILD_ROOT__: string | undefined;

/** async-lint's own folder: the nearest package.json named async-lint above this file, else the build's. */
function ownRoot(): string | undefined {
  for (let dir = __dirname, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'async-lint') return dir;
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) break;
  }
  return typeof __ASYNC_LINT_BUILD_ROOT__ === 'string' ? __ASYNC_LINT_BUILD_ROOT__ : undefined;
}

/**
 * The absolute path of a module of async-lint's typescript7 package (`typescript7/unstable/sync`),
 * resolved through the package's exports; throws when the package is not in async-lint's own
 * node_modules.
 */
export function typeScript7Module(specifier: string, root: string | undefined = ownRoot()): string {
  if (!root) throw new Error("cannot find async-lint's own folder to look for the 'typescript7' package in");
  let own: string;
  let resolved: string;
  try {
    // Real paths: node_modules may be a link (a worktree sharing another's), and require resolves links.
    own = path.join(fs.realpathSync(path.join(root, 'node_modules')), 'typescript7') + path.sep;
    resolved = require.resolve(specifier, { paths: [root] });
  } catch {
    throw new Error(`the 'typescript7' package is not installed (in ${path.join(root, 'node_modules')})`);
  }
  if (!resolved.startsWith(own))
    throw new Error(`'${specifier}' resolves outside async-lint's own node_modules (${resolved})`);
  return resolved;
}

let answer: { ok: true; version: string } | { ok: false; reason: string } | undefined;

export function typeScript7Available(): { ok: true; version: string } | { ok: false; reason: string } {
  if (answer) return answer;
  try {
    const { version } = JSON.parse(fs.readFileSync(typeScript7Module('typescript7/package.json'), 'utf8')) as {
      version: string;
    };
    if (!version.startsWith('7.')) throw new Error(`the typescript7 package is ${version}, not 7.x`);
    // The binary, as the API looks for it (lib/getExePath.js): @typescript/typescript-<platform>-<arch>,
    // resolved from the typescript7 package.
    const platform = `@typescript/typescript-${process.platform}-${process.arch}`;
    try {
      require.resolve(`${platform}/package.json`, {
        paths: [path.dirname(typeScript7Module('typescript7/package.json'))],
      });
    } catch {
      throw new Error(`no native compiler for ${process.platform}-${process.arch} (${platform} is not installed)`);
    }
    require(typeScript7Module('typescript7/unstable/sync'));
    answer = { ok: true, version };
  } catch (e) {
    answer = { ok: false, reason: (e as Error).message.split('\n')[0] };
  }
  return answer;
}
