// The disk as TypeScript's ts.sys sees it, answered the way TypeScript 6's sys.ts answers, without
// loading the compiler: the CLI's --cache checks with these that nothing a project's program read
// has changed before deciding whether to load TypeScript at all (typescript/cache-records.ts).
// Each answer a cache record keeps was also given by ts.sys when it was recorded: a question
// these functions answered differently from ts.sys is marked as not checkable without it.
import fs from 'node:fs';

const NO_THROW = { throwIfNoEntry: false } as const;

function stat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, NO_THROW);
  } catch {
    return undefined;
  }
}

/** ts's combinePaths for a folder and a name, as ts.sys uses it on entries (forward slashes). */
function combine(dir: string, name: string): string {
  const d = dir.replace(/\\/g, '/');
  return d === '' ? name : d.endsWith('/') ? d + name : `${d}/${name}`;
}

export function fileExists(file: string): boolean {
  return stat(file)?.isFile() ?? false;
}

export function directoryExists(dir: string): boolean {
  return stat(dir)?.isDirectory() ?? false;
}

/** A file's text: UTF-16 (either byte order) or UTF-8 by its byte order mark, else UTF-8. */
export function readFile(file: string): string | undefined {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  let len = buffer.length;
  if (len >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    len &= ~1;
    for (let i = 0; i < len; i += 2) {
      const t = buffer[i];
      buffer[i] = buffer[i + 1];
      buffer[i + 1] = t;
    }
    return buffer.toString('utf16le', 2);
  }
  if (len >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString('utf16le', 2);
  if (len >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.toString('utf8', 3);
  return buffer.toString('utf8');
}

/** A folder's files and folders (symlinks followed), each list sorted; empty when it cannot be read. */
export function entries(dir: string): { files: string[]; directories: string[] } {
  try {
    const dirents = fs.readdirSync(dir || '.', { withFileTypes: true });
    const files: string[] = [];
    const directories: string[] = [];
    for (const dirent of dirents) {
      const name = dirent.name;
      if (name === '.' || name === '..') continue;
      let kind: { isFile(): boolean; isDirectory(): boolean } | undefined = dirent;
      if (dirent.isSymbolicLink()) kind = stat(combine(dir, name));
      if (!kind) continue;
      if (kind.isFile()) files.push(name);
      else if (kind.isDirectory()) directories.push(name);
    }
    files.sort();
    directories.sort();
    return { files, directories };
  } catch {
    return { files: [], directories: [] };
  }
}

export function getDirectories(dir: string): string[] {
  return entries(dir).directories.slice();
}

const nativeRealpath = fs.realpathSync.native
  ? process.platform === 'win32'
    ? (p: string) => (p.length < 260 ? fs.realpathSync.native(p) : fs.realpathSync(p))
    : fs.realpathSync.native
  : fs.realpathSync;

/** The path with symlinks resolved, or the path itself when that fails. */
export function realpath(file: string): string {
  try {
    return nativeRealpath(file);
  } catch {
    return file;
  }
}
