// The TypeScript side of the CLI's --cache (engine/linter.ts CacheSupport, cli/cache.ts).
//
// A file's findings depend on its project's whole program: types come from other files, the
// bodies of functions elsewhere decide whether their promise can reject, and unused-async looks
// for references in every file of the program. A program is a function of the answers its host
// gave while it was built (which files exist, what they contain, what a folder lists, where a
// symlink points), of its root files and of its compiler options. So while a program is built,
// RecordingFileSystem notes every question asked of the disk and its answer (a text by its
// digest), and a project's record is those answers plus the digest of the text of every file of
// the program (typescript/cache-records.ts). A later run asks the same questions again: if every
// answer is the same and the project has the same roots and options, its program would be the
// same, and so would each file's findings. One file changed, appeared or disappeared anywhere the
// program looked (a module resolution candidate included) and every file of the project is
// linted again; a project where nothing changed is not built.
//
// The questions asked while finding each file's project make the run's layout record. Checked
// with the answers of typescript/disk.ts, which needs no compiler, it lets a run where nothing
// changed skip loading TypeScript altogether (languages.ts). Each answer is also computed that way
// when it is recorded: a question disk.ts answers differently from ts.sys makes its record
// checkable only with the compiler (as is a folder listing disk.ts cannot retrace).
import path from 'node:path';
import ts from 'typescript';
import { digest, stableJson } from '../engine/digest';
import type { CacheSupport } from '../engine/linter';
import {
  diskAnswer,
  entriesFor,
  isDependencies,
  keptState,
  listingDigest,
  readState,
  type Answer,
  type LayoutRecord,
  type ProjectRecord,
  type QueryKind,
  type TsDependencies,
} from './cache-records';
import * as disk from './disk';
import type { HostFileSystem, Project, ProjectHost } from './host';

/** The scope of the questions asked outside any program build (finding projects). */
const LAYOUT = '';

/** ts.matchFiles: not in the public API, the function behind ts.sys.readDirectory. */
type MatchFiles = (
  path: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (path: string) => { files: readonly string[]; directories: readonly string[] },
  realpath: (path: string) => string,
) => string[];

/** A HostFileSystem that notes, per project being built (or for the layout), each question and its answer. */
export class RecordingFileSystem implements HostFileSystem {
  private scope = LAYOUT;
  private readonly byScope = new Map<string, Map<string, Answer>>();
  /** Every file read, with the digest of the text read (null: it could not be). */
  private readonly texts = new Map<string, string | null>();
  /** Questions whose answer cannot be checked without the compiler. */
  private readonly compilerOnly = new Set<string>();
  private readonly verified = new Set<string>();
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
    const outer = this.scope;
    this.scope = key;
    try {
      return build();
    } finally {
      this.scope = outer;
    }
  }

  /** The answers noted while the project `key` was built (LAYOUT: while finding projects). */
  answersFor(key: string): ReadonlyMap<string, Answer> {
    return this.byScope.get(key) ?? new Map();
  }

  /** Whether every one of these questions can be checked without the compiler. */
  diskOnly(questions: Iterable<string>): boolean {
    for (const q of questions) if (this.compilerOnly.has(q)) return false;
    return true;
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
    this.note(['getDirectories', dir], listingDigest(answer));
    return answer;
  }

  readDirectory(
    dir: string,
    extensions?: readonly string[],
    exclude?: readonly string[],
    include?: readonly string[],
    depth?: number,
  ): string[] {
    const answer = this.inner.readDirectory(dir, extensions, exclude, include, depth);
    const question = this.note(
      ['readDirectory', dir, extensions, exclude, include, depth],
      listingDigest(answer),
      false,
    );
    // Retraced through the folders it read, noted as `entries` questions disk.ts can check; if the
    // retrace does not give the same list, the listing needs the compiler to be checked.
    const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;
    let retraced: string[] | undefined;
    if (typeof matchFiles === 'function' && path.isAbsolute(dir)) {
      try {
        retraced = matchFiles(
          dir,
          extensions,
          exclude,
          include,
          ts.sys.useCaseSensitiveFileNames,
          process.cwd(),
          depth,
          (d) => {
            this.note(['entries', d, extensions], listingDigest(entriesFor(d, extensions)));
            return disk.entries(d);
          },
          (p) => {
            const real = disk.realpath(p);
            this.note(['realpath', p], real);
            return real;
          },
        );
      } catch {
        retraced = undefined;
      }
    }
    if (!retraced || JSON.stringify(retraced) !== JSON.stringify(answer)) this.compilerOnly.add(question);
    return answer;
  }

  private note(query: [QueryKind, ...unknown[]], answer: Answer, verify = true): string {
    // undefined arguments are written as null; answerNow() turns them back.
    const question = JSON.stringify(query);
    let answers = this.byScope.get(this.scope);
    if (!answers) this.byScope.set(this.scope, (answers = new Map()));
    answers.set(question, answer);
    if (verify && !this.verified.has(question)) {
      this.verified.add(question);
      if (diskAnswer(question) !== answer) this.compilerOnly.add(question);
    }
    return question;
  }

  /** The answer ts.sys (or disk.ts, for a folder's entries) gives now to a noted question (asked once per run). */
  answerNow(question: string): Answer | undefined {
    if (this.present.has(question)) return this.present.get(question);
    let answer: Answer | undefined;
    try {
      const [kind, ...raw] = JSON.parse(question) as [QueryKind, ...unknown[]];
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
          answer = listingDigest(this.inner.getDirectories(str(0)));
          break;
        case 'realpath':
          answer = this.inner.realpath ? this.inner.realpath(str(0)) : undefined;
          break;
        case 'readDirectory':
          answer = listingDigest(
            this.inner.readDirectory(
              str(0),
              args[1] as string[] | undefined,
              args[2] as string[] | undefined,
              args[3] as string[] | undefined,
              args[4] as number | undefined,
            ),
          );
          break;
        case 'entries':
          answer = diskAnswer(question);
          break;
        default:
          answer = undefined;
      }
    } catch {
      answer = undefined;
    }
    this.present.set(question, answer);
    return answer;
  }
}

/** The compiler options and project references, by digest (the parsed tsconfig object left out). */
function settingsDigest(project: Project): string {
  const { configFile: _configFile, ...options } = project.options as ts.CompilerOptions & { configFile?: unknown };
  return digest(stableJson({ options, references: project.projectReferences ?? null }));
}

function sortedAnswers(answers: ReadonlyMap<string, Answer>): [string, Answer][] {
  return [...answers].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** CacheSupport for the TypeScript backend; records only when its host reads through a RecordingFileSystem. */
export class TsCacheSupport implements CacheSupport {
  /** Records by id: those of the earlier run, and those made in this one. */
  private records = new Map<string, ProjectRecord>();
  private layouts = new Map<string, LayoutRecord>();
  /** The record made of each program built in this run. */
  private readonly made = new WeakMap<ts.Program, string | undefined>();
  /** Whether each record checked in this run still holds. */
  private readonly verdicts = new Map<string, boolean>();
  /** The files of the run (prepare()), the questions asked to find their projects, and the layout record made of them. */
  private files: string[] = [];
  private layoutAnswers: ReadonlyMap<string, Answer> = new Map();
  private layout: { id: string | undefined } | undefined;

  constructor(private readonly host: ProjectHost) {}

  private get recorder(): RecordingFileSystem | undefined {
    return this.host.fs instanceof RecordingFileSystem ? this.host.fs : undefined;
  }

  begin(state: unknown): void {
    ({ records: this.records, layouts: this.layouts } = readState(state));
  }

  /** The run's files, once their projects are found (TypeScriptBackend.prepare). */
  prepared(files: readonly string[]): void {
    this.files = [...new Set(files.map((f) => path.resolve(f)))].sort();
    // Asked later outside a build: a file's own text read again (each project record has the
    // texts of its files), the same lookups again (projects are found once per run).
    this.layoutAnswers = new Map(this.recorder?.answersFor(LAYOUT) ?? []);
    this.layout = undefined;
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
    if (id === undefined) return undefined;
    const layout = this.layoutId(recorder);
    return { project: project.key, record: id, ...(layout !== undefined ? { layout } : {}) } satisfies TsDependencies;
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
      answers: sortedAnswers(answers),
      diskOnly: recorder.diskOnly(answers.keys()),
    };
    const id = digest(JSON.stringify(record));
    this.records.set(id, record);
    this.verdicts.set(id, true);
    return id;
  }

  /** The layout record of this run: where each of its files' project was found, and how. */
  private layoutId(recorder: RecordingFileSystem): string | undefined {
    if (this.layout) return this.layout.id;
    const answers = this.layoutAnswers;
    let id: string | undefined;
    if (recorder.consistent && this.files.length > 0) {
      const assignment: Record<string, string> = {};
      const projects: LayoutRecord['projects'] = {};
      try {
        for (const f of this.files) {
          const project = this.host.projectFor(f);
          assignment[f] = project.key;
          projects[project.key] ??= { roots: listingDigest(project.rootFiles()), settings: settingsDigest(project) };
        }
        const record: LayoutRecord = {
          files: this.files,
          cwd: process.cwd(),
          answers: sortedAnswers(answers),
          diskOnly: recorder.diskOnly(answers.keys()),
          assignment,
          projects,
        };
        id = digest(JSON.stringify(record));
        this.layouts.set(id, record);
      } catch {
        id = undefined;
      }
    }
    this.layout = { id };
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
    return keptState(this.records, this.layouts, kept);
  }
}
