// Linting a run of files from disk, for the CLI and the server's Lint Workspace alike: each file is
// read and decoded once (engine/source-file.ts: too large, binary and unreadable files are left out
// with the reason), the files are grouped by backend, each backend is told all its files before
// the first analysis (prepare(): one program per TypeScript project, one module index), and the
// files are linted group by group. What is a front door's own comes through hooks: the CLI's cache,
// fixes, --add-noqa, --stdin, progress and --stats; Lint Workspace's open documents, progress and
// cancellation.
import { performance } from 'node:perf_hooks';
import type { ResolvedConfig } from './config';
import { type LanguageBackend, skipReason } from './linter';
import { type Encoding, readSourceFile, sourceText } from './source-file';
import type { LintResult } from './types';

/** One file of a run. Front doors extend it with what they keep per file. */
export interface RunFile {
  readonly path: string;
  readonly config: ResolvedConfig;
  readonly backend: LanguageBackend;
  /** The text, once read (hooks may change it, --fix, or drop it once they are done with it). */
  text?: string;
  /** How the file on disk is encoded; `utf8` for a text given by `textOf`. */
  encoding?: Encoding;
}

export interface LintFilesHooks<F extends RunFile> {
  /**
   * Read every file before the first analysis, and tell the backends only the files that will be
   * linted (the CLI: its cache digests and parse threads need the texts). Otherwise each file is
   * read at its turn and the backends are told every file (Lint Workspace: the server holds no
   * texts it does not need yet).
   */
  readAhead?: boolean;
  /** With `readAhead`: give prepare() the texts too, so Python files are parsed ahead in worker threads. */
  prepareTexts?: boolean;
  /**
   * Files of the run a backend is told about though they are not linted here (the CLI's --shard:
   * the other parts' files, for a backend with `wholeRun`); prepare() then gets no texts, and the
   * hooks have the linted files parsed ahead in afterPrepare.
   */
  alsoPrepare?(backend: LanguageBackend): readonly string[] | undefined;
  /** A file's text when it does not come from disk (the CLI's --stdin): a leading BOM is dropped. */
  textOf?(file: F): string | undefined;
  /**
   * A file open in an editor (Lint Workspace) is not read from disk: its result is the editor's
   * (`result` undefined: open, not linted). Undefined when it is not open.
   */
  openDocument?(file: F): Promise<{ result: LintResult | undefined } | undefined>;
  /** A file that is not linted: too large, binary or unreadable, with why (a `skipped: ...` message). */
  skipped?(file: F, message: string): void;
  /** The files to lint by backend, before the backends are told them (the CLI's --cache starts recording). */
  beforePrepare?(groups: ReadonlyMap<LanguageBackend, readonly F[]>): void;
  /**
   * After prepare() and every backend with files is ready; with `readAhead`, `files` are the files
   * that will be linted, in the order given (the CLI's --cache finds its hits, then has the rest
   * parsed ahead).
   */
  afterPrepare?(files: readonly F[], groups: ReadonlyMap<LanguageBackend, readonly F[]>): void;
  /** Before each file: progress, a pause for other work, cancellation (by throwing). `done` files came before it. */
  beforeEach?(file: F, done: number, total: number): void | Promise<void>;
  /** Lints a file read from disk (or given by `textOf`), `text` (also `file.text`); undefined: not linted (excluded, disabled). */
  lint(file: F, text: string): LintResult | undefined;
  /** Each file's result, in the order linted: `lint`'s, or an open document's. */
  result(file: F, result: LintResult | undefined): void | Promise<void>;
  /** Milliseconds spent in a phase (`read`, `prepare`), for the CLI's --stats. */
  time?(phase: string, ms: number): void;
}

/**
 * Lints `files` (a walk's result, in its order, each with its configuration and backend) as one
 * run. Resolves when every file has its result; a hook's exception ends the run.
 */
export async function lintFiles<F extends RunFile>(files: readonly F[], hooks: LintFilesHooks<F>): Promise<void> {
  const timed = <T>(phase: string, fn: () => T): T => {
    if (!hooks.time) return fn();
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      hooks.time(phase, performance.now() - t0);
    }
  };
  /** Reads a file into `file.text`; false (and `skipped` told) when it is not to be linted. */
  const read = (file: F): boolean =>
    timed('read', () => {
      const given = hooks.textOf?.(file);
      if (given !== undefined) {
        const skip = skipReason(given, file.config);
        if (skip) {
          hooks.skipped?.(file, skip.message);
          return false;
        }
        file.text = sourceText(given);
        file.encoding = 'utf8';
        return true;
      }
      const got = readSourceFile(file.path, file.config);
      if (got.kind !== 'text') {
        hooks.skipped?.(file, got.kind === 'skipped' ? got.skip.message : got.message);
        return false;
      }
      file.text = got.text;
      file.encoding = got.encoding;
      return true;
    });

  const toLint = hooks.readAhead ? files.filter(read) : files;
  const groups = new Map<LanguageBackend, F[]>();
  for (const f of toLint) {
    const list = groups.get(f.backend);
    if (list) list.push(f);
    else groups.set(f.backend, [f]);
  }
  hooks.beforePrepare?.(groups);
  const withTexts = hooks.readAhead && hooks.prepareTexts;
  for (const [backend, list] of groups) {
    const more = hooks.alsoPrepare?.(backend) ?? [];
    timed('prepare', () =>
      backend.prepare?.(
        [...list.map((f) => f.path), ...more],
        withTexts && more.length === 0 ? list.map((f) => f.text!) : undefined,
      ),
    );
  }
  // Only the backends that have files get ready (loading the Python grammar takes time); the
  // Python parse threads started by prepare() load meanwhile.
  const t0 = performance.now();
  await Promise.all([...groups.keys()].map((b) => b.ready()));
  hooks.time?.('prepare', performance.now() - t0);
  hooks.afterPrepare?.(toLint, groups);

  let done = 0;
  for (const list of groups.values()) {
    for (const file of list) {
      await hooks.beforeEach?.(file, done++, toLint.length);
      const open = await hooks.openDocument?.(file);
      if (open) {
        await hooks.result(file, open.result);
        continue;
      }
      // Resolved at once, unless a parser crashed on the last file and is being loaded again.
      await file.backend.ready();
      if (!hooks.readAhead && !read(file)) continue;
      await hooks.result(file, hooks.lint(file, file.text!));
    }
  }
}
