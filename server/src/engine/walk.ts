// The file walker: expands the paths given on the command line (files and folders) to the files a
// language backend supports. It skips dependency and build-output folders, honours .gitignore files
// (nested ones too), configuration `ignorePatterns` and `--ignore-pattern`. All of them are
// matched by ./glob.ts, which builds no regular expression from a pattern: a backtracking one
// (picomatch's, the `ignore` package's) could take minutes on one file name, and a repository's
// .gitignore or async-lint.json is not trusted input. A symlink loop or an unreadable folder is
// reported and skipped.
// Everything it touches goes through WalkFileSystem, so tests can drive it; the walk is an explicit
// stack, so a deep tree cannot overflow the call stack.
import fs from 'node:fs';
import path from 'node:path';
import { compileGlob } from './glob';

export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface DirEntry {
  name: string;
  type: EntryType;
}

/** What the walker needs from a file system. The read functions throw Node-style errors. */
export interface WalkFileSystem {
  /** Entries of a folder, symlinks not followed. */
  readdir(dir: string): DirEntry[];
  /** The type of what a path points at, following symlinks. */
  stat(file: string): 'file' | 'dir' | 'other';
  realpath(file: string): string;
  /** A small text file (.gitignore), or undefined when it does not exist or cannot be read. */
  readFile(file: string): string | undefined;
}

export const nodeWalkFileSystem: WalkFileSystem = {
  readdir(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({
      name: e.name,
      type: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other',
    }));
  },
  stat(file) {
    const s = fs.statSync(file);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
  },
  realpath(file) {
    return fs.realpathSync(file);
  },
  readFile(file) {
    return readRegularFile(file);
  },
};

/**
 * A regular file's text, or undefined: missing, unreadable, or not a regular file. A named pipe
 * called `async-lint.json` or `.gitignore` would block a plain read forever, and a link to
 * /dev/zero would never end; the file is opened without blocking and checked before it is read.
 */
export function readRegularFile(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    if (!fs.fstatSync(fd).isFile()) return undefined;
    return fs.readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Folders never walked into: dependencies, version control, caches and build output. A file named
 * explicitly inside one is reported as ignored, like any other ignored file.
 */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'coverage',
  '.nyc_output',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.output',
  '.turbo',
  '.parcel-cache',
  '.cache',
  '.yarn',
  '.pnpm-store',
  '.vscode-test',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
]);

/** Declaration files hold no code that runs: skipped while walking (a named one is still linted). */
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;

export type WalkIssueKind = 'not-found' | 'ignored' | 'unsupported' | 'symlink-loop' | 'unreadable';

export interface WalkIssue {
  /** Absolute path. */
  path: string;
  kind: WalkIssueKind;
  message: string;
}

export interface WalkResult {
  /** Absolute paths, each once, in walk order. */
  files: string[];
  issues: WalkIssue[];
}

/** Configuration ignore patterns that govern a folder: globs relative to `baseDir`. */
export interface ConfigIgnores {
  baseDir: string;
  patterns: readonly string[];
  /** Where they come from, for messages. */
  source?: string;
}

export interface WalkOptions {
  /** Relative paths and `--ignore-pattern` globs are relative to this folder. */
  cwd: string;
  /** Whether some backend lints this file (Linter.supports). */
  supports(file: string): boolean;
  fs?: WalkFileSystem;
  /** `--ignore-pattern` globs, relative to cwd. */
  ignorePatterns?: readonly string[];
  /** The configuration ignorePatterns governing the entries of a folder. May throw (a broken config). */
  configIgnores?(dir: string): ConfigIgnores | undefined;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
}

/** Expands `paths` to the files to lint. Throws only what `configIgnores` throws. */
export function walk(paths: readonly string[], options: WalkOptions): WalkResult {
  return new Walker(options).run(paths);
}

// ---- glob patterns (--ignore-pattern, ignorePatterns) ------------------------------------------

export interface GlobRule {
  pattern: string;
  negate: boolean;
  dirOnly: boolean;
  match: (relPath: string) => boolean;
}

/**
 * Compiles gitignore-style globs: a pattern without a slash matches a name at any depth, a leading
 * slash anchors it to the base folder, a trailing slash matches folders only, `!` re-includes.
 * Matching is ./glob.ts's: no regular expression, time bounded by pattern x path length.
 */
export function compileGlobs(patterns: readonly string[]): GlobRule[] {
  const rules: GlobRule[] = [];
  for (const raw of patterns) {
    let p = raw.trim();
    if (p === '' || p.startsWith('#')) continue;
    const negate = p.startsWith('!');
    if (negate) p = p.slice(1);
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.replace(/\/+$/, '');
    if (p.startsWith('./')) p = p.slice(2);
    if (p.startsWith('/')) p = p.slice(1);
    else if (!p.includes('/')) p = `**/${p}`;
    if (p === '') continue;
    rules.push({ pattern: raw, negate, dirOnly, match: compileGlob(p) });
  }
  return rules;
}

/** The last rule matching `relPath` decides: the rule that ignores it, or undefined. */
function matchGlobs(rules: readonly GlobRule[], relPath: string, isDir: boolean): GlobRule | undefined {
  let decided: GlobRule | undefined;
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.match(relPath)) decided = r.negate ? undefined : r;
  }
  return decided;
}

/**
 * `file` relative to `base` with forward slashes, or undefined when it is not strictly inside
 * `base`. Both are absolute and normalised (they come from path.resolve / path.join), so a prefix
 * test is enough; it is called for every entry walked.
 */
function relativeInside(base: string, file: string): string | undefined {
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  if (file.length <= prefix.length || !file.startsWith(prefix)) return undefined;
  const rel = file.slice(prefix.length);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

// ---- the walk ----------------------------------------------------------------------------------

interface GitignoreLayer {
  base: string;
  file: string;
  rules: GlobRule[];
}

/**
 * What a .gitignore's rules say about a path: the last matching rule decides, and a path inside an
 * ignored folder is ignored (git does not look inside it, so a later `!` cannot re-include it).
 */
export function gitignoreTest(
  rules: readonly GlobRule[],
  rel: string,
  isDir: boolean,
): 'ignored' | 'unignored' | undefined {
  const decide = (p: string, dir: boolean) => {
    let result: 'ignored' | 'unignored' | undefined;
    for (const r of rules) {
      if (r.dirOnly && !dir) continue;
      if (r.match(p)) result = r.negate ? 'unignored' : 'ignored';
    }
    return result;
  };
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) if (decide(parts.slice(0, i).join('/'), true) === 'ignored') return 'ignored';
  return decide(rel, isDir);
}

interface Frame {
  dir: string;
  real: string;
  parent: Frame | undefined;
}

class Walker {
  private readonly fs: WalkFileSystem;
  private readonly cliGlobs: GlobRule[];
  private readonly configGlobs = new Map<string, GlobRule[]>();
  private readonly gitLayers = new Map<string, GitignoreLayer[]>();
  private readonly gitRoots = new Map<string, string | undefined>();
  private readonly files: string[] = [];
  private readonly issues: WalkIssue[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();

  private readonly cwd: string;

  constructor(private readonly options: WalkOptions) {
    this.fs = options.fs ?? nodeWalkFileSystem;
    this.cwd = path.resolve(options.cwd);
    this.cliGlobs = compileGlobs(options.ignorePatterns ?? []);
  }

  run(paths: readonly string[]): WalkResult {
    const cwd = this.cwd;
    for (const p of paths.length > 0 ? paths : ['.']) {
      const abs = path.resolve(cwd, p);
      let type: 'file' | 'dir' | 'other';
      try {
        type = this.fs.stat(abs);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') this.issue(abs, 'not-found', `No such file or directory: ${p}`);
        else if (code === 'ELOOP') this.issue(abs, 'symlink-loop', `Symbolic link loop: ${p}`);
        else this.issue(abs, 'unreadable', `Cannot read ${p}: ${errorText(e)}`);
        continue;
      }
      const isDir = type === 'dir';
      const why = this.explicitIgnoreReason(abs, isDir);
      if (why) {
        this.issue(abs, 'ignored', `${isDir ? 'Folder' : 'File'} ignored ${why}`);
        continue;
      }
      if (type === 'file') {
        if (!this.options.supports(abs)) {
          this.issue(abs, 'unsupported', 'File ignored: no linter for this file type');
          continue;
        }
        this.addFile(abs, this.realpathOrSelf(abs));
      } else if (isDir) {
        this.walkTree(abs);
      } else {
        this.issue(abs, 'unsupported', 'Not a regular file or folder');
      }
    }
    return { files: this.files, issues: this.issues };
  }

  private walkTree(root: string): void {
    let rootReal: string;
    try {
      rootReal = this.fs.realpath(root);
    } catch (e) {
      this.issue(root, 'unreadable', `Cannot read ${root}: ${errorText(e)}`);
      return;
    }
    if (this.seenDirs.has(rootReal)) return;
    this.seenDirs.add(rootReal);
    const stack: Frame[] = [{ dir: root, real: rootReal, parent: undefined }];
    while (stack.length > 0) {
      const frame = stack.pop()!;
      let entries: DirEntry[];
      try {
        entries = this.fs.readdir(frame.dir);
      } catch (e) {
        this.issue(frame.dir, 'unreadable', `Cannot read folder: ${errorText(e)}`);
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: Frame[] = [];
      for (const entry of entries) {
        const abs = child(frame.dir, entry.name);
        let type = entry.type;
        let real = child(frame.real, entry.name);
        if (type === 'symlink') {
          try {
            type = this.fs.stat(abs);
            real = this.fs.realpath(abs);
          } catch (e) {
            // A dangling link to something we would not lint is not worth a message.
            if ((e as NodeJS.ErrnoException).code === 'ELOOP')
              this.issue(abs, 'symlink-loop', 'Symbolic link loop: skipped');
            else if (this.options.supports(abs)) this.issue(abs, 'unreadable', `Broken symbolic link: ${errorText(e)}`);
            continue;
          }
        }
        if (type === 'dir') {
          if (SKIPPED_FOLDERS.has(entry.name)) continue;
          if (this.ignoreReason(abs, true, frame.dir)) continue;
          if (this.seenDirs.has(real)) {
            if (isAncestor(frame, real))
              this.issue(abs, 'symlink-loop', `Symbolic link loop: ${entry.name} points back to ${real}`);
            continue;
          }
          this.seenDirs.add(real);
          subdirs.push({ dir: abs, real, parent: frame });
        } else if (type === 'file') {
          if (!this.options.supports(abs) || DECLARATION_FILE.test(entry.name)) continue;
          if (this.ignoreReason(abs, false, frame.dir)) continue;
          this.addFile(abs, real);
        }
      }
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
    }
  }

  private addFile(abs: string, real: string): void {
    if (this.seenFiles.has(real)) return;
    this.seenFiles.add(real);
    this.files.push(abs);
  }

  private realpathOrSelf(file: string): string {
    try {
      return this.fs.realpath(file);
    } catch {
      return file;
    }
  }

  private issue(file: string, kind: WalkIssueKind, message: string): void {
    this.issues.push({ path: file, kind, message });
  }

  // ---- ignore decisions ----------------------------------------------------------------------

  /** For a path named on the command line: it, or any folder between cwd and it, is ignored. */
  private explicitIgnoreReason(abs: string, isDir: boolean): string | undefined {
    const cwd = this.cwd;
    const rel = relativeInside(cwd, abs);
    if (rel !== undefined) {
      const parts = rel.split('/');
      const folders = isDir ? parts : parts.slice(0, -1);
      const skipped = folders.find((p) => SKIPPED_FOLDERS.has(p));
      if (skipped) return `because it is inside '${skipped}'`;
      // Each ancestor folder below cwd first: an ignored folder's contents stay ignored.
      let dir = cwd;
      for (const part of parts.slice(0, -1)) {
        const next = path.join(dir, part);
        const why = this.ignoreReason(next, true, dir);
        if (why) return why;
        dir = next;
      }
    }
    return this.ignoreReason(abs, isDir, path.dirname(abs));
  }

  /** Why an entry of folder `dir` is ignored, or undefined. */
  private ignoreReason(abs: string, isDir: boolean, dir: string): string | undefined {
    if (this.cliGlobs.length > 0) {
      const rel = relativeInside(this.cwd, abs);
      const rule = rel === undefined ? undefined : matchGlobs(this.cliGlobs, rel, isDir);
      if (rule) return `by --ignore-pattern '${rule.pattern}'`;
    }
    const config = this.options.configIgnores?.(dir);
    if (config && config.patterns.length > 0) {
      const relToConfig = relativeInside(config.baseDir, abs);
      if (relToConfig !== undefined) {
        const rule = matchGlobs(this.globsFor(config), relToConfig, isDir);
        if (rule) return `by ignorePatterns '${rule.pattern}'${config.source ? ` in ${config.source}` : ''}`;
      }
    }
    if (this.options.gitignore !== false) {
      const layer = this.gitignoreMatch(abs, isDir, dir);
      if (layer) return `by ${layer.file}`;
    }
    return undefined;
  }

  private globsFor(config: ConfigIgnores): GlobRule[] {
    const key = `${config.baseDir}\0${config.patterns.join('\0')}`;
    let rules = this.configGlobs.get(key);
    if (!rules) {
      rules = compileGlobs(config.patterns);
      this.configGlobs.set(key, rules);
    }
    return rules;
  }

  /** The .gitignore layer that ignores `abs` (deeper files override shallower ones), if any. */
  private gitignoreMatch(abs: string, isDir: boolean, dir: string): GitignoreLayer | undefined {
    let decided: GitignoreLayer | undefined;
    for (const layer of this.layersFor(dir)) {
      const rel = relativeInside(layer.base, abs);
      if (rel === undefined) continue;
      const result = gitignoreTest(layer.rules, rel, isDir);
      if (result === 'ignored') decided = layer;
      else if (result === 'unignored') decided = undefined;
    }
    return decided;
  }

  /**
   * The .gitignore files that govern a folder's entries, outermost first: from the repository root
   * (the nearest folder holding `.git`) down to the folder. Outside a repository only the folder's
   * own .gitignore and those of folders below cwd count.
   */
  private layersFor(dir: string): GitignoreLayer[] {
    const cached = this.gitLayers.get(dir);
    if (cached) return cached;
    // Collect the chain of folders up to the top without recursion, then build downwards.
    const top = this.gitRoot(dir) ?? this.topWithoutRepo(dir);
    const chain: string[] = [];
    for (let d = dir; ; d = path.dirname(d)) {
      if (this.gitLayers.has(d)) break;
      chain.push(d);
      if (d === top || path.dirname(d) === d) break;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i];
      const parent = path.dirname(d);
      const inherited = d === top || parent === d ? [] : (this.gitLayers.get(parent) ?? []);
      const file = child(d, '.gitignore');
      const text = this.fs.readFile(file);
      this.gitLayers.set(
        d,
        text === undefined ? inherited : [...inherited, { base: d, file, rules: compileGlobs(text.split(/\r?\n/)) }],
      );
    }
    return this.gitLayers.get(dir)!;
  }

  private topWithoutRepo(dir: string): string {
    return dir === this.cwd || relativeInside(this.cwd, dir) !== undefined ? this.cwd : dir;
  }

  private gitRoot(dir: string): string | undefined {
    if (this.gitRoots.has(dir)) return this.gitRoots.get(dir);
    const visited: string[] = [];
    let found: string | undefined;
    for (let d = dir; ; d = path.dirname(d)) {
      if (this.gitRoots.has(d)) {
        found = this.gitRoots.get(d);
        break;
      }
      visited.push(d);
      if (this.exists(child(d, '.git'))) {
        found = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
    for (const d of visited) this.gitRoots.set(d, found);
    return found;
  }

  private exists(file: string): boolean {
    try {
      this.fs.stat(file);
      return true;
    } catch {
      return false;
    }
  }
}

/** A folder's entry. `dir` is normalised and `name` one segment, so path.join's rescan is not needed. */
function child(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function isAncestor(frame: Frame | undefined, real: string): boolean {
  for (let f = frame; f; f = f.parent) if (f.real === real) return true;
  return false;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}
