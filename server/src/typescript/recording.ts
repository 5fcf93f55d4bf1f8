// The TypeScript side of the CLI's --cache (engine/linter.ts CacheSupport, cli/cache.ts).
//
// A file's findings depend on its project's whole program: types come from other files, and
// unused-async looks for references in every file of the program. A program is a function of the
// answers its host gave while it was built (which files exist, what they contain, what a folder
// lists, where a symlink points), of its root files and of its compiler options. So while a
// program is built, RecordingFileSystem notes every question asked of the disk and its answer (a
// text by its digest), and a project's record is those answers plus the digest of the text of
// every file of the program. A later run asks the same questions again: if every answer is the
// same and the project has the same roots and options, its program would be the same, and so
// would each file's findings. One file changed, appeared or disappeared anywhere the program
// looked (a module resolution candidate included) and every file of the project is linted again.
//
// The questions asked while finding a file's project (tsconfig lookups, the tsconfig's own file
// list) are not recorded: the CLI finds every file's project before it asks unchanged(), and the
// project found, its roots and its options are compared directly.
import ts from 'typescript';
import { digest, stableJson } from '../engine/digest';
import type { CacheSupport } from '../engine/linter';
import type { HostFileSystem, Project, ProjectHost } from './host';

type QueryKind = 'readFile' | 'fileExists' | 'directoryExists' | 'getDirectories' | 'realpath' | 'readDirectory';
/** A boolean as it is; a text, a listing or a path by its digest; null for a file that could not be read. */
type Answer = boolean | string | null;

/** A HostFileSystem that notes, per project being built, each question and its answer. */
export class RecordingFileSystem implements HostFileSystem {
  /** The answers noted for the project being built (undefined: none is). */
  private current: Map<string, Answer> | undefined;
  private readonly byProject = new Map<string, Map<string, Answer>>();
  /** Every file read, with the digest of the text read (null: it could not be). */
  private readonly texts = new Map<string, string | null>();
  /** False once a file was read twice with different texts (it changed during the run). */
  consistent = true;
  /** Answers of the present, asked again to check a record (each question once per run). */
  private readonly present = new Map<string, Answer | undefined>();
  readonly realpath?: (file: string) => string;

  constructor(readonly inner: HostFileSystem = ts.sys) {
    if (inner.realpath) {
      const realpath = inner.realpath.bind(inner);
      this.realpath = (file) => {
        const answer = realpath(file);
        this.note(['realpath', file], answer);
        return answer;
      };
    }
  }

  within<T>(key: string, build: () => T): T {
    const outer = this.current;
    let answers = this.byProject.get(key);
    if (!answers) this.byProject.set(key, (answers = new Map()));
    this.current = answers;
    try {
      return build();
    } finally {
      this.current = outer;
    }
  }

  /** The answers noted while the project `key` was built. */
  answersFor(key: string): ReadonlyMap<string, Answer> {
    return this.byProject.get(key) ?? new Map();
  }

  /** The digest of the text read from `file`, if it was read. */
  textDigest(file: string): string | null | undefined {
    return this.texts.get(file);
  }

  readFile(file: string): string | undefined {
    const text = this.inner.readFile(file);
    const d = text === undefined ? null : digest(text);
    const before = this.texts.get(file);
    if (before !== undefined && before !== d) this.consistent = false;
    this.texts.set(file, d);
    this.note(['readFile', file], d);
    return text;
  }

  fileExists(file: string): boolean {
    const answer = this.inner.fileExists(file);
    this.note(['fileExists', file], answer);
    return answer;
  }

  directoryExists(dir: string): boolean {
    const answer = this.inner.directoryExists(dir);
    this.note(['directoryExists', dir], answer);
    return answer;
  }

  getDirectories(dir: string): string[] {
    const answer = this.inner.getDirectories(dir);
    this.note(['getDirectories', dir], digest(JSON.stringify(answer)));
    return answer;
  }

  readDirectory(dir: string, extensions?: readonly string[], exclude?: readonly string[], include?: readonly string[], depth?: number): string[] {
    const answer = this.inner.readDirectory(dir, extensions, exclude, include, depth);
    this.note(['readDirectory', dir, extensions, exclude, include, depth], digest(JSON.stringify(answer)));
    return answer;
  }

  private note(query: [QueryKind, ...unknown[]], answer: Answer): void {
    // undefined arguments are written as null; answerNow() turns them back.
    this.current?.set(JSON.stringify(query), answer);
  }

  /** The answer the disk gives now to a noted question (asked once per run). */
  answerNow(key: string): Answer | undefined {
    if (this.present.has(key)) return this.present.get(key);
    let answer: Answer | undefined;
    try {
      const [kind, ...raw] = JSON.parse(key) as [QueryKind, ...unknown[]];
      const args = raw.map((a) => (a === null ? undefined : a));
      const str = (i: number) => String(args[i]);
      switch (kind) {
        case 'readFile': {
          const text = this.inner.readFile(str(0));
          answer = text === undefined ? null : digest(text);
          break;
        }
        case 'fileExists':
          answer = this.inner.fileExists(str(0));
          break;
        case 'directoryExists':
          answer = this.inner.directoryExists(str(0));
          break;
        case 'getDirectories':
          answer = digest(JSON.stringify(this.inner.getDirectories(str(0))));
          break;
        case 'realpath':
          answer = this.inner.realpath ? this.inner.realpath(str(0)) : undefined;
          break;
        case 'readDirectory':
          answer = digest(
            JSON.stringify(this.inner.readDirectory(str(0), args[1] as string[] | undefined, args[2] as string[] | undefined, args[3] as string[] | undefined, args[4] as number | undefined)),
          );
          break;
        default:
          answer = undefined;
      }
    } catch {
      answer = undefined;
    }
    this.present.set(key, answer);
    return answer;
  }
}

/** What a TypeScript file's cache entry depends on: its project, by name and by record. */
interface TsDependencies {
  project: string;
  record: string;
}

/** Everything a project's program was built from, as noted (see the top of this file). */
interface ProjectRecord {
  project: string;
  roots: string[];
  /** Digest of the compiler options and of the project references. */
  settings: string;
  /** [question, answer], sorted by question. */
  answers: [string, Answer][];
}

function isDependencies(d: unknown): d is TsDependencies {
  return typeof d === 'object' && d !== null && typeof (d as TsDependencies).project === 'string' && typeof (d as TsDependencies).record === 'string';
}

function isRecord(r: unknown): r is ProjectRecord {
  const x = r as ProjectRecord;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.project === 'string' &&
    typeof x.settings === 'string' &&
    Array.isArray(x.roots) &&
    x.roots.every((f) => typeof f === 'string') &&
    Array.isArray(x.answers) &&
    x.answers.every((a) => Array.isArray(a) && a.length === 2 && typeof a[0] === 'string')
  );
}

/** The compiler options and project references, by digest (the parsed tsconfig object left out). */
function settingsDigest(project: Project): string {
  const { configFile: _configFile, ...options } = project.options as ts.CompilerOptions & { configFile?: unknown };
  return digest(stableJson({ options, references: project.projectReferences ?? null }));
}

/** CacheSupport for the TypeScript backend; records only when its host reads through a RecordingFileSystem. */
export class TsCacheSupport implements CacheSupport {
  /** Records by id: those of the earlier run, and those made in this one. */
  private readonly records = new Map<string, ProjectRecord>();
  /** The record made of each program built in this run. */
  private readonly made = new WeakMap<ts.Program, string | undefined>();
  /** Whether each record checked in this run still holds. */
  private readonly verdicts = new Map<string, boolean>();

  constructor(private readonly host: ProjectHost) {}

  private get recorder(): RecordingFileSystem | undefined {
    return this.host.fs instanceof RecordingFileSystem ? this.host.fs : undefined;
  }

  begin(state: unknown): void {
    const records = (state as { records?: unknown } | undefined)?.records;
    if (typeof records !== 'object' || records === null) return;
    for (const [id, record] of Object.entries(records)) if (isRecord(record)) this.records.set(id, record);
  }

  dependencies(file: string): unknown {
    const recorder = this.recorder;
    if (!recorder) return undefined;
    const project = this.host.projectFor(file);
    const program = project.builtProgram;
    if (!program) return undefined;
    let id: string | undefined;
    if (this.made.has(program)) {
      id = this.made.get(program);
    } else {
      id = this.makeRecord(recorder, project, program);
      this.made.set(program, id);
    }
    return id === undefined ? undefined : ({ project: project.key, record: id } satisfies TsDependencies);
  }

  private makeRecord(recorder: RecordingFileSystem, project: Project, program: ts.Program): string | undefined {
    if (!recorder.consistent) return undefined;
    const answers = new Map(recorder.answersFor(project.key));
    for (const sf of program.getSourceFiles()) {
      // A text the program did not read from disk (an open document) cannot be asked again.
      if (this.host.hasDocument(sf.fileName)) return undefined;
      const d = recorder.textDigest(sf.fileName);
      if (d === undefined || d === null) return undefined;
      answers.set(JSON.stringify(['readFile', sf.fileName]), d);
    }
    let settings: string;
    try {
      settings = settingsDigest(project);
    } catch {
      return undefined;
    }
    const record: ProjectRecord = {
      project: project.key,
      roots: project.rootFiles(),
      settings,
      answers: [...answers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    };
    const id = digest(JSON.stringify(record));
    this.records.set(id, record);
    this.verdicts.set(id, true);
    return id;
  }

  unchanged(file: string, dependencies: unknown): boolean {
    const recorder = this.recorder;
    if (!recorder || !isDependencies(dependencies)) return false;
    const project = this.host.projectFor(file);
    if (project.key !== dependencies.project) return false;
    const id = dependencies.record;
    let verdict = this.verdicts.get(id);
    if (verdict === undefined) {
      verdict = this.holds(recorder, project, this.records.get(id));
      this.verdicts.set(id, verdict);
    }
    return verdict;
  }

  private holds(recorder: RecordingFileSystem, project: Project, record: ProjectRecord | undefined): boolean {
    if (!record || record.project !== project.key) return false;
    const roots = project.rootFiles();
    if (roots.length !== record.roots.length || roots.some((f, i) => f !== record.roots[i])) return false;
    try {
      if (settingsDigest(project) !== record.settings) return false;
    } catch {
      return false;
    }
    return record.answers.every(([question, answer]) => recorder.answerNow(question) === answer);
  }

  save(kept: readonly unknown[]): unknown {
    const records: Record<string, ProjectRecord> = {};
    for (const d of kept) {
      if (!isDependencies(d)) continue;
      const record = this.records.get(d.record);
      if (record) records[d.record] = record;
    }
    return { records };
  }
}
