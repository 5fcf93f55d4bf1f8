// What the CLI's --cache keeps for TypeScript, and the check of it that needs no compiler.
// (typescript/recording.ts records; this file loads without TypeScript, so that a run where no
// TypeScript input changed never loads the compiler.)
//
// A project record: every question the build of a project's program asked the disk, with its
// answer (and the digest of the text of every file of the program), its root files and settings.
// A layout record: the questions asked while finding each file's project (tsconfig and
// package.json lookups, the tsconfig files themselves and the folders their `include` lists),
// the run's TypeScript files, and what was found: each file's project, each project's roots and
// settings. A file's result still holds when its project record does, and its project is the
// same: either the compiler finds the same project again (typescript/recording.ts), or the layout
// record holds for a run of the same files, checked here without loading the compiler.
import { digest } from '../engine/digest';
import * as disk from './disk';

export type QueryKind =
  | 'readFile'
  | 'fileExists'
  | 'directoryExists'
  | 'getDirectories'
  | 'realpath'
  | 'readDirectory'
  | 'entries';
/** A boolean as it is; a text, a listing or a path by its digest (a real path as it is); null: not readable. */
export type Answer = boolean | string | null;

/** The answer to a question as this module computes it (readDirectory needs the compiler: undefined). */
export function diskAnswer(question: string): Answer | undefined {
  try {
    const [kind, ...args] = JSON.parse(question) as [QueryKind, ...unknown[]];
    const file = String(args[0]);
    switch (kind) {
      case 'readFile': {
        const text = disk.readFile(file);
        return text === undefined ? null : digest(text);
      }
      case 'fileExists':
        return disk.fileExists(file);
      case 'directoryExists':
        return disk.directoryExists(file);
      case 'getDirectories':
        return listingDigest(disk.getDirectories(file));
      case 'realpath':
        return disk.realpath(file);
      case 'entries':
        return listingDigest(entriesFor(file, args[1] as readonly string[] | null | undefined));
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

export function listingDigest(listing: unknown): string {
  return digest(JSON.stringify(listing));
}

/**
 * A folder's entries as a listing with these extensions sees them: files without one of them are
 * left out (ts.matchFiles passes over them first), so a new README or log file beside the
 * sources changes nothing.
 */
export function entriesFor(
  dir: string,
  extensions: readonly string[] | null | undefined,
): { files: string[]; directories: string[] } {
  const all = disk.entries(dir);
  if (!extensions) return all;
  // ts's fileExtensionIs: longer than the extension and ending with it.
  return {
    files: all.files.filter((f) => extensions.some((e) => f.length > e.length && f.endsWith(e))),
    directories: all.directories,
  };
}

export interface ProjectRecord {
  project: string;
  roots: string[];
  /** Digest of the compiler options and the project references. */
  settings: string;
  /** [question, answer], sorted by question. */
  answers: [string, Answer][];
  /** Whether every answer can be checked without the compiler (see RecordingFileSystem). */
  diskOnly: boolean;
}

export interface LayoutRecord {
  /** The run's TypeScript files, sorted. */
  files: string[];
  /** The process's folder (TypeScript resolves relative paths of a folder listing from it). */
  cwd: string;
  answers: [string, Answer][];
  diskOnly: boolean;
  /** File -> the key of its project. */
  assignment: Record<string, string>;
  /** Project key -> digest of its roots, and its settings. */
  projects: Record<string, { roots: string; settings: string }>;
}

/** What a TypeScript file's cache entry depends on. */
export interface TsDependencies {
  project: string;
  record: string;
  layout?: string;
}

export function isDependencies(d: unknown): d is TsDependencies {
  const x = d as TsDependencies;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.project === 'string' &&
    typeof x.record === 'string' &&
    (x.layout === undefined || typeof x.layout === 'string')
  );
}

function isAnswers(a: unknown): a is [string, Answer][] {
  return (
    Array.isArray(a) &&
    a.every(
      (x) =>
        Array.isArray(x) &&
        x.length === 2 &&
        typeof x[0] === 'string' &&
        (x[1] === null || ['string', 'boolean'].includes(typeof x[1])),
    )
  );
}

function isStrings(a: unknown): a is string[] {
  return Array.isArray(a) && a.every((x) => typeof x === 'string');
}

export function isProjectRecord(r: unknown): r is ProjectRecord {
  const x = r as ProjectRecord;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.project === 'string' &&
    typeof x.settings === 'string' &&
    isStrings(x.roots) &&
    isAnswers(x.answers) &&
    typeof x.diskOnly === 'boolean'
  );
}

export function isLayoutRecord(r: unknown): r is LayoutRecord {
  const x = r as LayoutRecord;
  return (
    typeof x === 'object' &&
    x !== null &&
    isStrings(x.files) &&
    typeof x.cwd === 'string' &&
    isAnswers(x.answers) &&
    typeof x.diskOnly === 'boolean' &&
    typeof x.assignment === 'object' &&
    x.assignment !== null &&
    typeof x.projects === 'object' &&
    x.projects !== null
  );
}

/** The records kept by an earlier run: the `typescript` state of the cache. */
export interface TsState {
  records: Record<string, ProjectRecord>;
  layouts: Record<string, LayoutRecord>;
}

export function readState(state: unknown): { records: Map<string, ProjectRecord>; layouts: Map<string, LayoutRecord> } {
  const records = new Map<string, ProjectRecord>();
  const layouts = new Map<string, LayoutRecord>();
  const s = state as Partial<TsState> | undefined;
  if (typeof s?.records === 'object' && s.records !== null)
    for (const [id, r] of Object.entries(s.records)) if (isProjectRecord(r)) records.set(id, r);
  if (typeof s?.layouts === 'object' && s.layouts !== null)
    for (const [id, l] of Object.entries(s.layouts)) if (isLayoutRecord(l)) layouts.set(id, l);
  return { records, layouts };
}

/** The records the kept entries refer to. */
export function keptState(
  records: ReadonlyMap<string, ProjectRecord>,
  layouts: ReadonlyMap<string, LayoutRecord>,
  kept: readonly unknown[],
): TsState {
  const out: TsState = { records: {}, layouts: {} };
  for (const d of kept) {
    if (!isDependencies(d)) continue;
    const record = records.get(d.record);
    if (record) out.records[d.record] = record;
    const layout = d.layout === undefined ? undefined : layouts.get(d.layout);
    if (layout) out.layouts[d.layout!] = layout;
  }
  return out;
}

/**
 * The check without the compiler: a file's result holds when the layout record it refers to was
 * made for a run of the same files and every one of its answers is the same now (so every file
 * has the project it had, with the same roots and settings), the file's project is the one its
 * entry names, and every answer of that project's record is the same now.
 */
export class DiskCheck {
  private readonly records: Map<string, ProjectRecord>;
  private readonly layouts: Map<string, LayoutRecord>;
  private readonly verdicts = new Map<string, boolean>();
  private readonly present = new Map<string, Answer | undefined>();
  private files: string | undefined;

  constructor(state: unknown) {
    ({ records: this.records, layouts: this.layouts } = readState(state));
  }

  /** The run's TypeScript files (absolute). */
  setFiles(files: readonly string[]): void {
    this.files = JSON.stringify([...files].sort());
  }

  unchanged(file: string, dependencies: unknown): boolean {
    if (!isDependencies(dependencies) || dependencies.layout === undefined || this.files === undefined) return false;
    const layout = this.layouts.get(dependencies.layout);
    const record = this.records.get(dependencies.record);
    if (!layout || !record || !layout.diskOnly || !record.diskOnly) return false;
    if (layout.assignment[file] !== dependencies.project || record.project !== dependencies.project) return false;
    const project = layout.projects[dependencies.project];
    if (!project || project.roots !== listingDigest(record.roots) || project.settings !== record.settings) return false;
    const layoutHolds = this.verdict(
      `layout:${dependencies.layout}`,
      () => JSON.stringify(layout.files) === this.files && layout.cwd === process.cwd() && this.same(layout.answers),
    );
    return layoutHolds && this.verdict(`record:${dependencies.record}`, () => this.same(record.answers));
  }

  private verdict(key: string, decide: () => boolean): boolean {
    let v = this.verdicts.get(key);
    if (v === undefined) this.verdicts.set(key, (v = decide()));
    return v;
  }

  /** Whether every answer is the same now; a folder listing was checked through the folders it read. */
  private same(answers: readonly [string, Answer][]): boolean {
    for (const [question, answer] of answers) {
      if (question.startsWith('["readDirectory"')) continue;
      let now = this.present.get(question);
      if (now === undefined && !this.present.has(question)) this.present.set(question, (now = diskAnswer(question)));
      if (now !== answer) return false;
    }
    return true;
  }
}
