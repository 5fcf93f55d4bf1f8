// ProjectHost: one ts.LanguageService per tsconfig/jsconfig project, over a store of open
// documents layered on the disk. Files outside any project go to an inferred project per folder
// that holds a package.json. The CLI and the server use this same host: the CLI reads each program
// once per project; the server edits documents and gets incremental programs back.
// The TypeScript used is always the bundled one: nothing from the workspace is loaded or run.
import path from 'node:path';
import ts from 'typescript';
import { TOO_DEEP_MESSAGE } from '../engine/linter';
import { changedSpan } from '../engine/text';
import type { Skip } from '../engine/types';
import { recoverFromParserOverflow } from './utils';
import { configSearchEndsAt, inferredProjectRoot, projectConfigIn } from './project-search';

export { TS_EXTENSIONS } from './language';

/** What the host reads from disk. Defaults to ts.sys; tests and the server may wrap it. */
export interface HostFileSystem {
  readFile(file: string): string | undefined;
  fileExists(file: string): boolean;
  directoryExists(dir: string): boolean;
  getDirectories(dir: string): string[];
  readDirectory(
    dir: string,
    extensions?: readonly string[],
    exclude?: readonly string[],
    include?: readonly string[],
    depth?: number,
  ): string[];
  realpath?(file: string): string;
  /**
   * Runs a program build of the project `key`: what is read meanwhile is read for that project
   * (the CLI's --cache records it, typescript/recording.ts). Without it, the build just runs.
   */
  within?<T>(key: string, build: () => T): T;
}

export interface ProjectHostOptions {
  /**
   * The highest folder in which the project of a file is looked for (its tsconfig/jsconfig, or
   * the package.json that roots an inferred project); undefined: no limit, up to the file
   * system's root (the CLI). The server gives the workspace folder holding the file, or the file's
   * own folder for a document opened from outside every folder, so a tsconfig.json in a home
   * folder above the workspace never becomes the project. What a project found so names (extends,
   * references, files and include) and what its imports resolve to are read wherever they are,
   * as tsc does.
   */
  discoveryBoundary?: (file: string) => string | undefined;
}

interface OpenDocument {
  text: string;
  version: string;
  snapshot: DocumentSnapshot;
}

/**
 * JSDoc is parsed only where it carries types (JavaScript files); in TypeScript files, the lib
 * files included, it is skipped. No rule reads JSDoc, and skipping it saves about a tenth of a
 * CLI run (the lib .d.ts files are full of it).
 */
const JSDOC_PARSING = ts.JSDocParsingMode.ParseForTypeInfo;

/**
 * An open document's text that can tell TypeScript what changed since the previous version, so
 * an edit re-parses only the changed region (TypeScript's incremental parser) instead of the
 * whole file. Only the immediately previous snapshot is remembered; anything else gets a full
 * parse.
 */
export class DocumentSnapshot implements ts.IScriptSnapshot {
  private previous: DocumentSnapshot | undefined;
  /**
   * Whether the next version may be parsed incrementally from this one. Not after a parse with
   * errors: from a tree the parser had to recover, TypeScript's incremental parser can end with
   * other errors than a full parse of the same text (the fuzzer found 8 against 7), and the same
   * text must give the same result whatever was typed before it.
   */
  incrementalBase = true;

  /** The document's text. */
  readonly text: string;

  constructor(text: string, previous?: DocumentSnapshot) {
    this.text = text;
    this.previous = previous;
    // Keep one step of history, not a chain of every version.
    if (previous) previous.previous = undefined;
  }

  getText(start: number, end: number): string {
    return this.text.substring(start, end);
  }

  getLength(): number {
    return this.text.length;
  }

  getChangeRange(old: ts.IScriptSnapshot): ts.TextChangeRange | undefined {
    return old === this.previous && this.previous ? textChangeRange(this.previous.text, this.text) : undefined;
  }

  /** The next parse of this text is a full one. */
  forgetPrevious(): void {
    this.previous = undefined;
  }
}

/** The one span that differs between two texts (common prefix and suffix trimmed). */
export function textChangeRange(before: string, after: string): ts.TextChangeRange {
  const { start, oldEnd, newEnd } = changedSpan(before, after);
  return ts.createTextChangeRange(ts.createTextSpanFromBounds(start, oldEnd), newEnd - start);
}

/** Syntax errors past which a file is not analysed (see ProjectHost.quarantiningRegistry). */
export const MAX_SYNTAX_ERRORS = 1000;

/** What TypeScript's parser recorded for a file (reading it costs nothing: no checking). */
export function parseDiagnostics(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  return (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
}

/** The script kind of a file, by its extension. */
export function scriptKindFor(file: string): ts.ScriptKind {
  switch (path.extname(file).toLowerCase()) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

export function kindOfScript(file: string): string {
  const kind = scriptKindFor(file);
  return kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX ? 'JavaScript' : 'TypeScript';
}

/** What the program sees of a file in quarantine (too deep or too broken for TypeScript). */
const EMPTY_SNAPSHOT = ts.ScriptSnapshot.fromString('');

/** Compiler options for files that belong to no tsconfig/jsconfig, close to tsserver's inferred projects. */
export const INFERRED_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowNonTsExtensions: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  maxNodeModuleJsDepth: 0,
};

/**
 * INFERRED_OPTIONS as a tsconfig's `compilerOptions` (for TypeScript 7, which reads its projects'
 * options from config files; allowNonTsExtensions has no tsconfig form and no effect there).
 * test/typebackend.test.ts checks that both say the same.
 */
export const INFERRED_TSCONFIG_OPTIONS = {
  target: 'es2022',
  module: 'esnext',
  moduleResolution: 'bundler',
  allowJs: true,
  checkJs: false,
  jsx: 'preserve',
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  maxNodeModuleJsDepth: 0,
} as const;

export class Project {
  readonly languageService: ts.LanguageService;
  /** Root files: the config's files plus open documents assigned here. */
  private readonly roots: Set<string>;
  private projectVersion = 0;
  /** The last program built, for the files it held. */
  private lastProgram: ts.Program | undefined;

  constructor(
    private readonly host: ProjectHost,
    /** tsconfig/jsconfig path, or undefined for an inferred project. */
    readonly configFile: string | undefined,
    readonly directory: string,
    readonly options: ts.CompilerOptions,
    fileNames: readonly string[],
    readonly projectReferences: readonly ts.ProjectReference[] | undefined,
  ) {
    this.roots = new Set(fileNames.map((f) => path.resolve(f)));
    const lsHost: ts.LanguageServiceHost = {
      getProjectVersion: () => `${this.projectVersion}:${host.version}`,
      getScriptFileNames: () => [...this.roots],
      getScriptVersion: (f) => host.scriptVersion(f),
      getScriptSnapshot: (f) => host.snapshot(f),
      getCompilationSettings: () => this.options,
      getProjectReferences: () => this.projectReferences,
      getCurrentDirectory: () => this.directory,
      getDefaultLibFileName: (o) => host.defaultLibFile(o),
      fileExists: (f) => host.fileExists(f),
      readFile: (f) => host.readFile(f),
      readDirectory: (d, ext, exc, inc, depth) => host.fs.readDirectory(d, ext, exc, inc, depth),
      directoryExists: (d) => host.fs.directoryExists(d),
      getDirectories: (d) => host.fs.getDirectories(d),
      realpath: host.fs.realpath ? (f) => host.fs.realpath!(f) : undefined,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      jsDocParsingMode: JSDOC_PARSING,
    };
    this.languageService = ts.createLanguageService(lsHost, host.documentRegistry);
  }

  contains(file: string): boolean {
    return this.roots.has(file);
  }

  addRoot(file: string): void {
    if (!this.roots.has(file)) {
      this.roots.add(file);
      this.projectVersion++;
    }
  }

  removeRoot(file: string): void {
    if (this.roots.delete(file)) this.projectVersion++;
  }

  /** The root files in the order the program gets them (TypeScript 7's inferred projects list them so too). */
  rootFilesInOrder(): string[] {
    return [...this.roots];
  }

  /** Changes whenever a root is added or removed. */
  get rootsVersion(): number {
    return this.projectVersion;
  }

  get rootCount(): number {
    return this.roots.size;
  }

  /** How the server's log names the project (engine/linter.ts BackendProject). */
  get description(): string {
    return this.configFile
      ? `TypeScript project: ${this.configFile}`
      : `TypeScript inferred project (no tsconfig.json or jsconfig.json) in ${this.directory}`;
  }

  /** The project's name for the cache: its tsconfig/jsconfig, or `inferred:` and its folder. */
  get key(): string {
    return this.configFile ?? `inferred:${this.directory}`;
  }

  /** The root files, sorted. */
  rootFiles(): string[] {
    return [...this.roots].sort();
  }

  /** The last program built, if any (no build). */
  get builtProgram(): ts.Program | undefined {
    return this.lastProgram;
  }

  /** The root files, and every other source file of the last program that was built. */
  knownFiles(): string[] {
    const files = new Set(this.roots);
    for (const sf of this.lastProgram?.getSourceFiles() ?? []) files.add(path.resolve(sf.fileName));
    return [...files];
  }

  /** The current program; incremental: unchanged files are reused from the last one. */
  program(): ts.Program {
    let p: ts.Program | undefined;
    const fs = this.host.fs;
    try {
      p = fs.within ? fs.within(this.key, () => this.languageService.getProgram()) : this.languageService.getProgram();
    } catch (e) {
      recoverFromParserOverflow(e);
      // The language service records the project version before it builds the program: after a
      // build that threw, asking again with the same version would return the previous program,
      // with the previous texts. A new version makes the next request build again.
      this.projectVersion++;
      throw e;
    }
    if (!p) throw new Error(`TypeScript produced no program for ${this.configFile ?? this.directory}`);
    this.lastProgram = p;
    return p;
  }

  dispose(): void {
    this.languageService.dispose();
  }
}

export class ProjectHost {
  readonly documentRegistry: ts.DocumentRegistry;
  /** Bumped whenever any document or disk file changes, so language services re-sync. */
  version = 0;
  private readonly documents = new Map<string, OpenDocument>();
  private readonly diskVersions = new Map<string, number>();
  private readonly diskCache = new Map<string, { text: string; snapshot: ts.IScriptSnapshot }>();
  private readonly configProjects = new Map<string, Project>();
  private readonly inferredProjects = new Map<string, Project>();
  /** folder (keyed with the discovery boundary, if any) -> config file governing it (undefined: none). */
  private readonly configForDir = new Map<string, string | undefined>();
  private readonly libDir: string;
  private readonly discoveryBoundary: ((file: string) => string | undefined) | undefined;

  constructor(
    readonly fs: HostFileSystem = ts.sys,
    options: ProjectHostOptions = {},
  ) {
    this.discoveryBoundary = options.discoveryBoundary;
    this.documentRegistry = this.quarantiningRegistry(
      ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, undefined, JSDOC_PARSING),
    );
    this.libDir = path.dirname(ts.getDefaultLibFilePath({}));
  }

  // ---- documents -------------------------------------------------------------------------

  /**
   * Sets the text of a document (open in an editor, or being fixed). Text equal to the disk's
   * (the CLI's case) adds no overlay, so the project's program is not rebuilt for it.
   */
  setDocument(file: string, text: string, version?: number): void {
    const f = path.resolve(file);
    const existing = this.documents.get(f);
    if (existing && existing.text === text) return;
    if (!existing && version === undefined && this.diskText(f)?.text === text) return;
    const v =
      version !== undefined
        ? `doc:${version}`
        : `text:${(existing ? Number(existing.version.split(':')[1]) || 0 : 0) + 1}`;
    const base = existing?.snapshot.incrementalBase ? existing.snapshot : undefined;
    this.documents.set(f, { text, version: v, snapshot: new DocumentSnapshot(text, base) });
    this.version++;
  }

  /**
   * After a program failed to build: the next parse of every open document is a full one.
   * TypeScript marks a source file as incrementally parsed before it re-parses from it; when that
   * parse throws (a stack overflow on deep nesting), the old file stays current but may not be
   * re-parsed from again ("Debug Failure. Source file has already been incrementally parsed").
   */
  dropEditHistory(): void {
    for (const doc of this.documents.values()) doc.snapshot.forgetPrevious();
  }

  /** The document's current text did not parse cleanly: its next version gets a full parse. */
  noIncrementalParseFrom(file: string): void {
    const doc = this.documents.get(path.resolve(file));
    if (doc) doc.snapshot.incrementalBase = false;
  }

  /** Whether the file's text is a document's (set by setDocument), not the disk's. */
  hasDocument(file: string): boolean {
    return this.documents.has(path.resolve(file));
  }

  /** Forgets a document's overlay: its text comes from disk again. */
  closeDocument(file: string): void {
    const f = path.resolve(file);
    if (this.documents.delete(f)) {
      this.bumpDisk(f);
    }
  }

  /** A file changed, appeared or disappeared on disk. Config changes drop the affected projects. */
  fileChanged(file: string): void {
    const f = path.resolve(file);
    const base = path.basename(f);
    if (/^(tsconfig|jsconfig)(\..*)?\.json$/.test(base) || base === 'package.json') {
      this.reloadProjects();
      return;
    }
    this.bumpDisk(f);
  }

  private bumpDisk(f: string): void {
    this.diskCache.delete(f);
    this.diskVersions.set(f, (this.diskVersions.get(f) ?? 0) + 1);
    this.version++;
  }

  /** Drops every project; they are rebuilt on the next request. */
  reloadProjects(): void {
    for (const p of [...this.configProjects.values(), ...this.inferredProjects.values()]) p.dispose();
    this.configProjects.clear();
    this.inferredProjects.clear();
    this.configForDir.clear();
    this.diskCache.clear();
    this.version++;
  }

  scriptVersion(file: string): string {
    const version = this.textVersion(file);
    const fresh =
      this.reparses > 0 && !file.startsWith(this.libDir + path.sep) ? `${version}#${this.reparses}` : version;
    return this.quarantine.get(file)?.version === version ? `${fresh}:quarantined` : fresh;
  }

  /** Bumped by forceReparse: part of every non-lib file's script version. */
  private reparses = 0;

  /**
   * After a program build ran out of stack: every file but the lib files is parsed afresh next
   * time. TypeScript's binder marks a file as bound when it starts on it, so a file whose binding
   * overflowed half-way would otherwise be reused half-bound (nodes without parents or symbols).
   */
  forceReparse(): void {
    this.reparses++;
    this.dropEditHistory();
    this.version++;
  }

  /** The version of a file's own text (open document or disk), whether or not it is too deep. */
  private textVersion(file: string): string {
    const doc = this.documents.get(file);
    if (doc) return doc.version;
    return `disk:${this.diskVersions.get(file) ?? 0}`;
  }

  snapshot(file: string): ts.IScriptSnapshot | undefined {
    if (this.quarantined(file)) return EMPTY_SNAPSHOT;
    const doc = this.documents.get(file);
    if (doc) return doc.snapshot;
    return this.diskText(file)?.snapshot;
  }

  // ---- texts TypeScript cannot take: analysed as empty ------------------------------------

  /** Files the program sees as empty: file -> the text version it was decided for, and why. */
  private readonly quarantine = new Map<string, { version: string; skip: Skip }>();

  /** Why the file's current text is analysed as empty (too deep, too broken), if it is. */
  quarantined(file: string): Skip | undefined {
    const f = path.resolve(file);
    const entry = this.quarantine.get(f);
    return entry !== undefined && entry.version === this.textVersion(f) ? entry.skip : undefined;
  }

  /**
   * After a program failed to build with a stack overflow: finds the project's files whose text
   * TypeScript cannot parse and bind (`parsesAndBinds` says), and puts an empty text in the
   * program in their place, so that one generated file nested thousands of levels deep does not
   * stop the analysis of every other file of its project. Returns whether it found any; a file
   * marked so is tried again once its text changes.
   */
  quarantineTooDeep(project: Project, parsesAndBinds: (file: string, text: string) => boolean): boolean {
    let found = false;
    for (const file of project.knownFiles()) {
      if (
        this.quarantined(file) ||
        file.startsWith(this.libDir + path.sep) ||
        file.includes(`${path.sep}node_modules${path.sep}`)
      )
        continue;
      const text = this.documents.get(file)?.text ?? this.diskText(file)?.text;
      if (text === undefined || parsesAndBinds(file, text)) continue;
      this.quarantine.set(file, {
        version: this.textVersion(file),
        skip: { reason: 'too-deep', message: TOO_DEEP_MESSAGE },
      });
      found = true;
    }
    if (found) this.version++;
    return found;
  }

  /**
   * The language service's document registry, with one check: a file parsed with more than
   * MAX_SYNTAX_ERRORS syntax errors is put in quarantine and its entry replaced by the empty text,
   * before the program binds it. Such a text is not code anyone wrote, and TypeScript's binder can
   * take seconds and gigabytes on it (a fuzzed file of 100 KB made 6 million "Duplicate identifier"
   * errors). The version given with the empty text is the one scriptVersion says from now on.
   */
  private quarantiningRegistry(inner: ts.DocumentRegistry): ts.DocumentRegistry {
    const checked = (
      sf: ts.SourceFile,
      redo: (snapshot: ts.IScriptSnapshot, version: string) => ts.SourceFile,
    ): ts.SourceFile => {
      const errors = parseDiagnostics(sf).length;
      if (errors <= MAX_SYNTAX_ERRORS) return sf;
      const file = path.resolve(sf.fileName);
      this.quarantine.set(file, {
        version: this.textVersion(file),
        skip: {
          reason: 'syntax-errors',
          message: `skipped: ${errors} syntax errors (more than ${MAX_SYNTAX_ERRORS}); is it ${kindOfScript(file)}?`,
        },
      });
      return redo(EMPTY_SNAPSHOT, this.scriptVersion(file));
    };
    // Both entry points get the same check; the replacement updates the entry just made.
    const guarded =
      (get: ts.DocumentRegistry['updateDocumentWithKey']): ts.DocumentRegistry['updateDocumentWithKey'] =>
      (fileName, filePath, settings, key, snapshot, version, kind, options) =>
        checked(get(fileName, filePath, settings, key, snapshot, version, kind, options), (s, v) =>
          inner.updateDocumentWithKey(fileName, filePath, settings, key, s, v, kind, options),
        );
    return {
      ...inner,
      acquireDocumentWithKey: guarded(inner.acquireDocumentWithKey),
      updateDocumentWithKey: guarded(inner.updateDocumentWithKey),
    };
  }

  /** A file's text on disk, read once per disk version. */
  private diskText(file: string): { text: string; snapshot: ts.IScriptSnapshot } | undefined {
    const cached = this.diskCache.get(file);
    if (cached) return cached;
    const text = this.fs.readFile(file);
    if (text === undefined) return undefined;
    const entry = { text, snapshot: ts.ScriptSnapshot.fromString(text) };
    this.diskCache.set(file, entry);
    return entry;
  }

  /** The text of an open document (one set by setDocument), undefined for a file read from disk. */
  documentText(file: string): string | undefined {
    return this.documents.get(path.resolve(file))?.text;
  }

  readFile(file: string): string | undefined {
    const doc = this.documents.get(path.resolve(file));
    if (doc) return doc.text;
    return this.fs.readFile(file);
  }

  fileExists(file: string): boolean {
    return this.documents.has(path.resolve(file)) || this.fs.fileExists(file);
  }

  defaultLibFile(options: ts.CompilerOptions): string {
    return path.join(this.libDir, ts.getDefaultLibFileName(options));
  }

  // ---- projects --------------------------------------------------------------------------

  /** The project a file belongs to: its nearest tsconfig/jsconfig (or a referenced one), else inferred. */
  projectFor(file: string): Project {
    const f = path.resolve(file);
    const top = this.boundaryOf(f);
    const configFile = this.nearestConfig(path.dirname(f), top);
    if (configFile) {
      const owner = this.findOwningProject(configFile, f, new Set());
      if (owner) return owner;
    }
    return this.inferredProjectFor(f, top);
  }

  private boundaryOf(file: string): string | undefined {
    const top = this.discoveryBoundary?.(file);
    return top === undefined ? undefined : path.resolve(top);
  }

  /** Every project created so far. */
  projects(): Project[] {
    return [...this.configProjects.values(), ...this.inferredProjects.values()];
  }

  /** The nearest tsconfig/jsconfig from `start` up, not above `top`; cached per folder and boundary. */
  private nearestConfig(start: string, top: string | undefined): string | undefined {
    const key = (dir: string) => (top === undefined ? dir : `${top}\0${dir}`);
    const passed: string[] = [];
    let found: string | undefined;
    for (let dir = start; ; dir = path.dirname(dir)) {
      const k = key(dir);
      if (this.configForDir.has(k)) {
        found = this.configForDir.get(k);
        break;
      }
      passed.push(k);
      found = projectConfigIn(dir, (c) => this.fs.fileExists(c));
      if (found || configSearchEndsAt(dir, top)) break;
    }
    for (const k of passed) this.configForDir.set(k, found);
    return found;
  }

  private findOwningProject(configFile: string, file: string, seen: Set<string>): Project | undefined {
    if (seen.has(configFile)) return undefined;
    seen.add(configFile);
    const project = this.configProject(configFile);
    if (!project) return undefined;
    if (project.contains(file)) return project;
    for (const ref of project.projectReferences ?? []) {
      const refConfig = ts.resolveProjectReferencePath(ref);
      const owner = this.findOwningProject(path.resolve(refConfig), file, seen);
      if (owner) return owner;
    }
    return undefined;
  }

  /** Problems reading tsconfig files, reported once per file. */
  readonly configProblems = new Map<string, string>();

  private configProject(configFile: string): Project | undefined {
    const existing = this.configProjects.get(configFile);
    if (existing) return existing;
    if (!this.fs.fileExists(configFile)) return undefined;
    const parseHost: ts.ParseConfigFileHost = {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      readDirectory: (d, ext, exc, inc, depth) => this.fs.readDirectory(d, ext, exc, inc, depth),
      fileExists: (f) => this.fileExists(f),
      readFile: (f) => this.readFile(f),
      getCurrentDirectory: () => path.dirname(configFile),
      onUnRecoverableConfigFileDiagnostic: (d) => {
        this.configProblems.set(configFile, ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    };
    const parsed = ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, parseHost);
    if (!parsed) return undefined;
    const fatal = parsed.errors.find(
      (d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003 /* no inputs */,
    );
    if (fatal && !this.configProblems.has(configFile)) {
      this.configProblems.set(configFile, ts.flattenDiagnosticMessageText(fatal.messageText, '\n'));
    }
    const options: ts.CompilerOptions = {
      ...parsed.options,
      noEmit: true,
      skipLibCheck: true,
      allowNonTsExtensions: true,
    };
    const project = new Project(
      this,
      configFile,
      path.dirname(configFile),
      options,
      parsed.fileNames,
      parsed.projectReferences,
    );
    this.configProjects.set(configFile, project);
    return project;
  }

  private inferredProjectFor(file: string, top: string | undefined): Project {
    const root = this.inferredRoot(path.dirname(file), top);
    let project = this.inferredProjects.get(root);
    if (!project) {
      project = new Project(this, undefined, root, INFERRED_OPTIONS, [], undefined);
      this.inferredProjects.set(root, project);
    }
    project.addRoot(file);
    return project;
  }

  /**
   * The nearest folder with a package.json (where node_modules/@types would be found), not above
   * `top`, else the file's folder.
   */
  private inferredRoot(dir: string, top: string | undefined): string {
    return inferredProjectRoot(dir, top, (f) => this.fs.fileExists(f));
  }

  dispose(): void {
    this.reloadProjects();
  }
}
