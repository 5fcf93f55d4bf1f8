// "Lint Workspace": every supported file of every workspace folder, once, through the CLI's own
// run (engine/lint-files.ts: the same read and decoding of each file, each language backend told
// the whole file list first: one program per TypeScript project, not one per file). Open documents
// are analysed from the editor's text, closed ones from disk; findings are published as they come,
// with progress, and the run stops between two files when it is cancelled.
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { lintFiles, type RunFile } from '../engine/lint-files';
import { readSourceFile } from '../engine/source-file';
import type { LintResult } from '../engine/types';
import { walk } from '../engine/walk';
import type { LintWorkspaceResult, Settings } from '../protocol';
import type { Analysis } from './analysis';
import { toDiagnostic } from './convert';
import { pathToUri } from './workspace';

export interface WorkspaceProgress {
  begin(title: string, percentage?: number, message?: string, cancellable?: boolean): void;
  report(percentage: number, message?: string): void;
  done(): void;
}

export interface WorkspaceRun {
  folders: readonly string[];
  analysis: Analysis;
  /** Settings for a folder (scope = the folder's URI). */
  settingsFor(folder: string): Promise<Settings>;
  /** Whether the server may read a file (inside a workspace folder, symlinks resolved). */
  mayRead(file: string): boolean;
  /** An open document's current findings (the server keeps these up to date itself). */
  openDocumentFindings(uri: string): Promise<LintResult | undefined | 'not-open'>;
  /** Publishes a closed file's diagnostics. */
  publish(uri: string, diagnostics: Diagnostic[]): void;
  progress?: WorkspaceProgress;
  isCancelled(): boolean;
}

/** Report progress at most this often, and let other messages (a cancel) through as often. */
const YIELD_EVERY_MS = 50;

export class Cancelled extends Error {
  constructor(readonly partial: LintWorkspaceResult) {
    super('Lint Workspace was cancelled');
  }
}

/**
 * The files of each enabled folder that the CLI would lint there (its walker: skipped folders,
 * .gitignore files, ignorePatterns), inside the folders the server may read, each listed once.
 */
export async function listWorkspaceFiles(
  run: Pick<WorkspaceRun, 'folders' | 'analysis' | 'settingsFor' | 'mayRead' | 'isCancelled'>,
): Promise<{ folder: string; files: string[]; settings: Settings }[]> {
  const perFolder: { folder: string; files: string[]; settings: Settings }[] = [];
  const seen = new Set<string>();
  const settingsOf = await Promise.all(run.folders.map((folder) => run.settingsFor(folder)));
  for (const [i, folder] of run.folders.entries()) {
    const settings = settingsOf[i];
    if (!settings.enable) continue;
    const found = walk([folder], {
      cwd: folder,
      supports: (f) => run.analysis.supports(f),
      configIgnores: (dir) => {
        const { config } = run.analysis.configForDir(dir, settings);
        return { baseDir: config.baseDir ?? folder, patterns: config.ignorePatterns, source: config.source };
      },
    });
    // A symbolic link may lead out of the workspace: the server reads only inside it.
    const files = found.files.map((f) => path.resolve(f)).filter((f) => !seen.has(f) && run.mayRead(realpathOr(f)));
    for (const f of files) seen.add(f);
    files.sort();
    perFolder.push({ folder, files, settings });
    if (run.isCancelled()) break;
  }
  return perFolder;
}

export async function lintWorkspace(run: WorkspaceRun): Promise<LintWorkspaceResult> {
  const result: LintWorkspaceResult = { files: 0, findings: 0, filesWithFindings: 0, skipped: 0 };
  run.progress?.begin('Async Lint: linting the workspace', 0, 'listing files', true);
  try {
    const perFolder = await listWorkspaceFiles(run);
    if (run.isCancelled()) throw new Cancelled(result);
    const { analysis } = run;
    const files: WorkspaceFile[] = perFolder.flatMap(({ folder, files, settings }) =>
      files.map((file) => ({
        path: file,
        uri: pathToUri(file),
        folder,
        settings,
        config: analysis.configFor(file, settings).config,
        backend: analysis.linter.backendFor(file)!,
      })),
    );
    let lastYield = Date.now();
    // Each file is read at its turn (the CLI reads them all first, for its cache and parse threads).
    await lintFiles(files, {
      beforeEach: async (f, done, total) => {
        if (Date.now() - lastYield >= YIELD_EVERY_MS) {
          run.progress?.report(
            Math.floor((done / Math.max(total, 1)) * 100),
            `${done}/${total} ${path.relative(f.folder, f.path)}`,
          );
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
        if (run.isCancelled()) throw new Cancelled(result);
      },
      openDocument: async (f) => {
        const open = await run.openDocumentFindings(f.uri);
        return open === 'not-open' ? undefined : { result: open };
      },
      skipped: () => {
        result.skipped++;
      },
      lint: (f, text) => {
        const lint = lintText(analysis, f.path, text, f.settings);
        f.text = undefined;
        if (lint)
          run.publish(
            f.uri,
            lint.findings.map((x, i) => toDiagnostic(x, i, null)),
          );
        return lint;
      },
      result: (_f, lint) => {
        if (!lint) return;
        if (lint.skipped) result.skipped++;
        result.files++;
        result.findings += lint.findings.length;
        if (lint.findings.length > 0) result.filesWithFindings++;
      },
    });
    return result;
  } finally {
    run.progress?.done();
  }
}

/** A file of the run (engine/lint-files.ts), with its folder and the folder's settings. */
interface WorkspaceFile extends RunFile {
  readonly uri: string;
  readonly folder: string;
  readonly settings: Settings;
}

function realpathOr(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** The result of linting a text as the server does, or undefined when the file is not linted (excluded, disabled). */
function lintText(analysis: Analysis, file: string, text: string, settings: Settings): LintResult | undefined {
  const outcome = analysis.lint(file, text, undefined, settings);
  return outcome.kind === 'linted' ? outcome.result : undefined;
}

/**
 * A closed file Lint Workspace reported on, linted again as it is on disk now (it changed), read
 * and decoded as Lint Workspace and the CLI read it; undefined when it is not linted (gone,
 * unreadable, too large, binary, excluded).
 */
export function lintClosedFile(analysis: Analysis, file: string, settings: Settings): LintResult | undefined {
  const read = readSourceFile(file, analysis.configFor(file, settings).config);
  return read.kind === 'text' ? lintText(analysis, file, read.text, settings) : undefined;
}
