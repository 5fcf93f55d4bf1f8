// Where a TypeScript/JavaScript file's project is, as the ProjectHost looks for it (host.ts
// projectFor), without loading the compiler: the CLI's --shard (cli/shard.ts) deals files by
// project with the same answers.

import path from 'node:path';

/** The project file of a folder, if it has one: tsconfig.json first, then jsconfig.json. */
export function projectConfigIn(dir: string, fileExists: (file: string) => boolean): string | undefined {
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const file = path.join(dir, name);
    if (fileExists(file)) return file;
  }
  return undefined;
}

/** Whether the search for a project file ends at `dir`: the root, `top`, or a node_modules folder. */
export function configSearchEndsAt(dir: string, top: string | undefined): boolean {
  return !mayClimb(dir, top) || path.basename(dir) === 'node_modules';
}

/**
 * The root of the inferred project of a file in `dir` that has no project file: the nearest folder
 * with a package.json (where node_modules/@types would be found), not above `top`, else `dir`.
 */
export function inferredProjectRoot(
  dir: string,
  top: string | undefined,
  fileExists: (file: string) => boolean,
): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fileExists(path.join(d, 'package.json'))) return d;
    if (!mayClimb(d, top)) return dir;
  }
}

/** Whether a search may go on from `dir` to its parent: not at the root, and below `top` if there is one. */
function mayClimb(dir: string, top: string | undefined): boolean {
  if (path.dirname(dir) === dir) return false;
  if (top === undefined) return true;
  const rel = path.relative(top, dir);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
