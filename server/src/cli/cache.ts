// --cache: a file's result is reused, without parsing or linting it, when nothing it depends on
// has changed since the run that linted it, as ESLint's and Ruff's caches do. What it depends on:
//   - its text (by digest) and its resolved configuration (after overrides and --rule);
//   - this build of async-lint: the cache is ignored when the code that runs is not the code that
//     wrote it (the bundle's bytes, or the sources', so a rebuild starts afresh);
//   - what its analysis read of other files, as its language backend records it
//     (engine/linter.ts CacheSupport: python/cache.ts, typescript/recording.ts).
// What is cached is the LintResult, before the CLI filters hints, --quiet and unused directives
// and formats: a run from the cache prints exactly what the run without it would.
//
// The file (`.async-lint-cache` in the current folder by default) is one line of header JSON
// (format, schema, build, digest of the body) and the body, JSON. It is written through a
// temporary file and a rename; one that cannot be read, is damaged (its digest does not match),
// or comes from another build is ignored without a word, and one that cannot be written is a
// warning. Nothing in it is trusted beyond that: entries are checked again before use.
import fs from 'node:fs';
import path from 'node:path';
import { version } from '../../../package.json';
import { digest, stableJson } from '../engine/digest';
import type { ResolvedConfig } from '../engine/config';
import { TOO_DEEP_MESSAGE } from '../engine/linter';
import type { LintResult } from '../engine/types';

export const DEFAULT_CACHE_FILE = '.async-lint-cache';
const FORMAT = 'async-lint-cache';
const SCHEMA = 1;

/** A result as the cache keeps it: the LintResult without its path and timings. */
export type CachedResult = Omit<LintResult, 'path' | 'timings'>;

export interface CacheEntry {
  /** Digest of the text that was linted. */
  text: string;
  /** Digest of the file's resolved configuration. */
  config: string;
  /** What the backend recorded the analysis read besides the text (CacheSupport.dependencies). */
  dependencies: unknown;
  result: CachedResult;
}

interface Body {
  files: Record<string, CacheEntry>;
  /** Per language: what the backend's CacheSupport.save() returned. */
  backends: Record<string, unknown>;
}

/**
 * The cache file for `--cache-location` (or the default): a folder (existing, or named with a
 * trailing slash) gets `.async-lint-cache` inside it.
 */
export function cacheFilePath(cwd: string, location: string | undefined): string {
  if (location === undefined) return path.join(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  if (/[\\/]$/.test(location)) return path.join(resolved, DEFAULT_CACHE_FILE);
  try {
    if (fs.statSync(resolved).isDirectory()) return path.join(resolved, DEFAULT_CACHE_FILE);
  } catch {
    // Not there yet: a file of that name.
  }
  return resolved;
}

let build: string | undefined;

/**
 * What identifies the code that runs: the package version and a digest of the files it runs.
 * Bundled (dist/cli.js), those are the bundle and the files it loads beside it (the tree-sitter
 * runtime and grammar, by their bytes; the TypeScript compiler, 9 MB, by its size and time, which
 * every build rewrites); from sources (tests), every source file, the lock file and the grammar
 * in node_modules. The TypeScript lib files are read by every program and so checked by the
 * TypeScript records.
 */
export function buildId(): string {
  if (build !== undefined) return build;
  const parts: string[] = [version];
  const add = (file: string, byStat = false) => {
    try {
      if (byStat) {
        const st = fs.statSync(file);
        parts.push(`${path.basename(file)}:${st.size}:${st.mtimeMs}:${st.ino}`);
      } else {
        parts.push(`${path.basename(file)}:${digest(fs.readFileSync(file))}`);
      }
    } catch {
      parts.push(`${path.basename(file)}:missing`);
    }
  };
  const here = __dirname;
  if (/\.js$/.test(__filename) && fs.existsSync(path.join(here, 'cli.js'))) {
    const beside = fs
      .readdirSync(here)
      .filter(
        (f) => f === 'cli.js' || f === 'typescript.js' || f.endsWith('.wasm') || /^web-tree-sitter\.(c|m)?js$/.test(f),
      );
    for (const f of beside.sort()) add(path.join(here, f), f === 'typescript.js');
  } else {
    const root = path.resolve(here, '..', '..', '..');
    const sources: string[] = [];
    const stack = [path.join(root, 'server', 'src')];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile()) sources.push(p);
      }
    }
    for (const f of sources.sort()) add(f);
    add(path.join(root, 'package-lock.json'));
    add(path.join(root, 'node_modules', 'tree-sitter-python', 'tree-sitter-python.wasm'));
  }
  build = digest(parts.join('\n'));
  return build;
}

/** The digest of a file's configuration, as the cache keys it. */
export function configDigest(config: ResolvedConfig): string {
  return digest(stableJson(config));
}

export class LintCache {
  private readonly old: Body;
  private readonly files: Record<string, CacheEntry>;

  private constructor(
    readonly file: string,
    private readonly build: string,
    body: Body | undefined,
  ) {
    this.old = body ?? { files: {}, backends: {} };
    this.files = { ...this.old.files };
  }

  /** The cache in `file`; empty when there is none, or it is damaged or from another build. */
  static load(file: string, build: string): LintCache {
    return new LintCache(file, build, read(file, build));
  }

  /** What the backend of `language` kept in the earlier run. */
  backendState(language: string): unknown {
    return this.old.backends[language];
  }

  /** The entry of `file`, if its text and configuration are those it was made for. */
  lookup(file: string, textDigest: string, configDigest: string): CacheEntry | undefined {
    const entry = this.files[file];
    if (!entry || entry.text !== textDigest || entry.config !== configDigest || !isResult(entry.result))
      return undefined;
    return entry;
  }

  set(file: string, entry: CacheEntry): void {
    this.files[file] = entry;
  }

  delete(file: string): void {
    delete this.files[file];
  }

  /** Entries kept, by language. */
  entries(): [string, CacheEntry][] {
    return Object.entries(this.files);
  }

  /**
   * Writes the cache: `backends(kept)` gives each language's state given the entries kept. Entries
   * of files that no longer exist are dropped. Throws when the file cannot be written.
   */
  save(backends: (language: string, kept: readonly CacheEntry[]) => unknown): void {
    const files: Record<string, CacheEntry> = {};
    for (const [file, entry] of Object.entries(this.files)) if (fs.existsSync(file)) files[file] = entry;
    const byLanguage = new Map<string, CacheEntry[]>();
    for (const entry of Object.values(files)) {
      const list = byLanguage.get(entry.result.language) ?? [];
      list.push(entry);
      byLanguage.set(entry.result.language, list);
    }
    const states: Record<string, unknown> = {};
    for (const language of new Set([...Object.keys(this.old.backends), ...byLanguage.keys()])) {
      const state = backends(language, byLanguage.get(language) ?? []);
      if (state !== undefined) states[language] = state;
    }
    const body = JSON.stringify({ files, backends: states } satisfies Body);
    const header = JSON.stringify({ format: FORMAT, schema: SCHEMA, build: this.build, digest: digest(body) });
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now().toString(36)}.tmp`;
    try {
      fs.writeFileSync(tmp, `${header}\n${body}\n`);
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }
}

function read(file: string, build: string): Body | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(text.slice(0, newline)) as {
      format?: unknown;
      schema?: unknown;
      build?: unknown;
      digest?: unknown;
    };
    if (header.format !== FORMAT || header.schema !== SCHEMA || header.build !== build) return undefined;
    const bodyText = text.slice(newline + 1).replace(/\n$/, '');
    if (header.digest !== digest(bodyText)) return undefined;
    const body = JSON.parse(bodyText) as Body;
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.files !== 'object' ||
      body.files === null ||
      typeof body.backends !== 'object' ||
      body.backends === null
    )
      return undefined;
    return body;
  } catch {
    return undefined;
  }
}

/** The shape the CLI reads of a cached result (the digest has already vouched for the bytes). */
function isResult(r: unknown): r is CachedResult {
  const x = r as CachedResult;
  return (
    typeof x === 'object' &&
    x !== null &&
    (x.language === 'typescript' || x.language === 'python') &&
    Array.isArray(x.findings) &&
    Array.isArray(x.syntaxErrors) &&
    Array.isArray(x.ruleFailures) &&
    (x.directiveProblems === undefined || Array.isArray(x.directiveProblems))
  );
}

/**
 * Whether a result may be cached: one a later run would give again. Not when a rule failed (exit
 * 2: run it again), nor for a skip that depends on the moment (out of memory, a parser out of
 * stack, which depends on how warm the process is).
 */
export function cacheable(result: LintResult): boolean {
  if (result.ruleFailures.length > 0) return false;
  if (!result.skipped) return true;
  const { reason, message } = result.skipped;
  // Python's too-deep is the text's indentation, measured before parsing; a stack overflow is not.
  return (
    reason === 'syntax-errors' ||
    (reason === 'too-deep' && result.language === 'python' && message !== TOO_DEEP_MESSAGE)
  );
}

/** The result as cached. */
export function toCached(result: LintResult): CachedResult {
  const { path: _path, timings: _timings, ...rest } = result;
  return rest;
}
