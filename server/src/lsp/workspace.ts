// Where documents live: workspace folders, the file path the engine sees for a document (a real
// path for `file:` URIs, a stable virtual one for untitled and virtual-workspace documents), which
// files the server may read, and which files are excluded.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResolvedConfig } from '../engine/config';
import { compileAnyGlob } from '../engine/glob';
import { compileGlobs, readRegularFile } from '../engine/walk';
import { extensionForLanguageId } from '../language-facts';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

export function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class Workspace {
  private folders: { uri: string; path: string }[] = [];

  setFolders(folders: readonly { uri: string }[]): void {
    this.folders = [];
    for (const f of folders) {
      const p = uriToPath(f.uri);
      if (p) this.folders.push({ uri: f.uri, path: p });
    }
  }

  addFolders(added: readonly { uri: string }[], removed: readonly { uri: string }[]): void {
    const gone = new Set(removed.map((r) => r.uri));
    this.setFolders([...this.folders.filter((f) => !gone.has(f.uri)), ...added]);
  }

  folderPaths(): string[] {
    return this.folders.map((f) => f.path);
  }

  /** The innermost workspace folder holding `file`. */
  folderOf(file: string): string | undefined {
    let best: string | undefined;
    for (const f of this.folders) {
      if (isInside(file, f.path) && (!best || f.path.length > best.length)) best = f.path;
    }
    return best;
  }

  /**
   * The highest folder in which the server looks for a file's configuration and project files
   * (tsconfig/jsconfig, package.json, Python root markers): the outermost workspace folder holding
   * the file, or, for a file outside every folder (a document opened from elsewhere), its own
   * folder. Never above: a tsconfig.json or a .git in the home folder is not the workspace's.
   */
  discoveryBoundary(file: string): string {
    let top: string | undefined;
    for (const f of this.folders) {
      if (isInside(file, f.path) && (!top || f.path.length < top.length)) top = f.path;
    }
    return top ?? path.dirname(file);
  }

  /**
   * The path the engine analyses a document under. A `file:` document is its own path; any other
   * scheme (untitled, a virtual workspace) gets a path that exists nowhere, inside the first
   * workspace folder so the folder's settings apply, named after the URI so it is stable.
   */
  enginePath(uri: string, languageId: string): string | undefined {
    const real = uriToPath(uri);
    if (real) return real;
    const ext = extensionForLanguageId(languageId);
    if (!ext) return undefined;
    const base = this.folders[0]?.path ?? path.resolve('/');
    const name =
      uri
        .replace(/^[a-z][a-z0-9+.-]*:/i, '')
        .replace(/[^A-Za-z0-9_.-]+/g, '_')
        .replace(/^_+/, '') || 'untitled';
    return path.join(base, `.async-lint-virtual`, name.endsWith(ext) ? name : name + ext);
  }

  /**
   * The server reads only inside workspace folders, plus the folder of a document opened from
   * outside them (the person opened that file; its configuration sits next to it).
   */
  mayRead(file: string, openOutside: Iterable<string>): boolean {
    if (this.folders.some((f) => isInside(file, f.path))) return true;
    for (const doc of openOutside) if (isInside(file, path.dirname(doc))) return true;
    return false;
  }
}

/**
 * `asyncLint.exclude` globs (relative to the workspace folder) and the configuration's
 * `ignorePatterns`, matched as the CLI's walker matches them (gitignore-style, last rule decides,
 * a folder pattern covers what is inside), so the editor and CI skip the same files.
 */
export class Exclusions {
  private readonly globCache = new Map<string, (p: string) => boolean>();
  private readonly rulesCache = new Map<string, ReturnType<typeof compileGlobs>>();

  isExcluded(file: string, folder: string | undefined, exclude: readonly string[], config: ResolvedConfig): boolean {
    if (exclude.length > 0) {
      const rel = toPosix(path.relative(folder ?? path.dirname(file), file));
      if (!rel.startsWith('../') && this.glob(exclude)(rel)) return true;
    }
    if (config.ignorePatterns.length > 0) {
      const base = config.baseDir ?? folder;
      if (base && isInside(file, base) && file !== base)
        return this.ignored(config.ignorePatterns, toPosix(path.relative(base, file)));
    }
    return false;
  }

  private glob(patterns: readonly string[]): (p: string) => boolean {
    const key = patterns.join('\0');
    let m = this.globCache.get(key);
    if (!m) {
      // A pattern without a slash matches at any depth, as in VS Code's files.exclude.
      const expanded = patterns.flatMap((p) => (p.includes('/') ? [p, `${p}/**`] : [`**/${p}`, `**/${p}/**`]));
      m = compileAnyGlob(expanded);
      this.globCache.set(key, m);
    }
    return m;
  }

  /** Ignored when a folder on the way or the file itself is matched by the last rule that matches it. */
  private ignored(patterns: readonly string[], rel: string): boolean {
    const key = patterns.join('\0');
    let rules = this.rulesCache.get(key);
    if (!rules) {
      rules = compileGlobs(patterns);
      this.rulesCache.set(key, rules);
    }
    const decide = (p: string, isDir: boolean) => {
      let ignored = false;
      for (const r of rules) if ((!r.dirOnly || isDir) && r.match(p)) ignored = !r.negate;
      return ignored;
    };
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) if (decide(parts.slice(0, i).join('/'), true)) return true;
    return decide(rel, false);
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Reads a regular file as UTF-8, or undefined when it cannot be read (or is a pipe or device). */
export function readTextFile(file: string): string | undefined {
  return readRegularFile(file);
}
