// "Lint Workspace": every supported file of every workspace folder, once. Each language backend is
// told the whole file list first (one program per TypeScript project, not one per file), open
// documents are analysed from the editor's text, closed ones from disk; findings are published as
// they come, with progress, and the run stops between two files when it is cancelled.
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { walk } from '../engine/walk';
import type { LintResult } from '../engine/types';
import type { LintWorkspaceResult, Settings } from '../protocol';
import type { Analysis } from './analysis';
import { toDiagnostic } from './convert';
import { pathToUri, readTextFile } from './workspace';

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

    const total = perFolder.reduce((n, f) => n + f.files.length, 0);
    for (const backend of run.analysis.linter.backends) {
      const mine = perFolder.flatMap((f) => f.files).filter((f) => run.analysis.linter.backendFor(f) === backend);
      if (mine.length > 0) backend.prepare?.(mine);
    }

    let done = 0;
    let lastYield = Date.now();
    for (const { folder, files, settings } of perFolder) {
      for (const file of files) {
        if (Date.now() - lastYield >= YIELD_EVERY_MS) {
          run.progress?.report(
            Math.floor((done / Math.max(total, 1)) * 100),
            `${done}/${total} ${path.relative(folder, file)}`,
          );
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
        if (run.isCancelled()) throw new Cancelled(result);
        done++;
        const uri = pathToUri(file);
        const open = await run.openDocumentFindings(uri);
        let lint: LintResult | undefined;
        if (open !== 'not-open') {
          lint = open;
        } else {
          await run.analysis.ready(); // again, if a parser had to be reloaded
          const fromDisk = lintFromDisk(run.analysis, file, settings);
          if (fromDisk === 'skipped') {
            result.skipped++;
            continue;
          }
          lint = fromDisk;
          if (lint)
            run.publish(
              uri,
              lint.findings.map((f, i) => toDiagnostic(f, i, null)),
            );
        }
        if (!lint) continue;
        if (lint.skipped) result.skipped++;
        result.files++;
        result.findings += lint.findings.length;
        if (lint.findings.length > 0) result.filesWithFindings++;
      }
    }
    return result;
  } finally {
    run.progress?.done();
  }
}

function realpathOr(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

function lintFromDisk(analysis: Analysis, file: string, settings: Settings): LintResult | undefined | 'skipped' {
  const { config } = analysis.configFor(file, settings);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return 'skipped';
  }
  // Do not even read a file the size limit would skip.
  if (size > config.maxFileSize) return 'skipped';
  const text = readTextFile(file);
  if (text === undefined) return 'skipped';
  const outcome = analysis.lint(file, text, undefined, settings);
  return outcome.kind === 'linted' ? outcome.result : undefined;
}
