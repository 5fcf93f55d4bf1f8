// The module index: for each workspace root, what every module defines (which names are
// `async def`: module functions and methods by class), what it exports and re-exports, and how
// `import x`, `import x as y`, `from x import y as z` and relative imports resolve to files, `src/`
// layouts and packages with __init__.py included.
//
// A module is summarised from its tree once per content: the analysis of a file hands over its own
// summary, and a module imported before it is analysed is read and parsed once, then cached (the
// backend keeps that tree for the module's own analysis). Open documents' unsaved text is what the
// index sees for them; a change on disk (fileChanged) drops what depended on that file. Nothing in
// the workspace is ever executed.
import fs from 'node:fs';
import path from 'node:path';
import { digest } from '../engine/digest';
import { decode } from '../engine/source-file';
import type { SyntaxNode as Node, SyntaxTree } from './syntax';
import type { IndexedSymbol, ModuleIdentity, WorkspaceLookup } from './names';
import { importBindings, targetNames } from './scope';
import { hasOwnYield, plainParameters } from './value-use';
import { isPythonFile } from './language';
import { compactText } from './utils';

/** Files whose folder is a workspace root, nearest first. */
export const ROOT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'] as const;
/** Modules larger than this are not indexed (their names are simply unknown). */
export const MAX_INDEXED_SIZE = 4 * 1024 * 1024;
/** Sync functions with a longer body are not examined for plain-value parameters. */
const MAX_PLAIN_BODY = 1500;
/** Re-export chains longer than this are not followed. */
const MAX_HOPS = 12;

export interface ClassSummary {
  /** Method name -> is `async def`. */
  methods: Map<string, boolean>;
  /** Base class expressions as written (`Base`, `models.Base`), resolved on lookup. */
  bases: string[];
  /** Methods that are async generators (`async def` with a `yield`): calling one makes no coroutine. */
  asyncGenerators?: Set<string>;
  /** How many superclass arguments the class has (subscripts and keywords such as `metaclass=` included). */
  baseCount: number;
}

export interface ModuleSummary {
  /** Module-level functions: name -> is `async def`. */
  functions: Map<string, boolean>;
  /** Small module-level sync functions -> positions of the parameters used only as plain values (value-use.ts). */
  plainParameters?: Map<string, number[]>;
  /** Module functions that are async generators (`async def` with a `yield`). */
  asyncGenerators?: Set<string>;
  classes: Map<string, ClassSummary>;
  /** Names imported at module level -> absolute qualified target (re-exports). */
  imports: Map<string, string>;
  /** Other module-level names (assignments, loop targets). */
  variables: Set<string>;
  /** `from m import *` modules. */
  starImports: string[];
}

/** What the index reads: a file's text (undefined if missing), whether a file or any entry exists. */
export interface IndexFileSystem {
  readFile(file: string): string | undefined;
  isFile(file: string): boolean;
  exists(entry: string): boolean;
  /**
   * The names in a folder: null when it does not exist (or is not a folder), undefined when it
   * cannot be listed (then nothing is concluded from it). Optional: without it, every import
   * candidate is asked with isFile().
   */
  listFolder?(dir: string): readonly string[] | null | undefined;
  /**
   * The highest folder searched for a root marker above `file`; undefined (or no method): up to
   * the file system's root (the CLI). The language server gives the workspace folder holding the
   * file, or the file's own folder for a document opened from outside every folder.
   */
  rootBoundary?(file: string): string | undefined;
}

/**
 * The language server's view of the disk for the module index: only what `mayRead` accepts
 * exists (other files read as missing), and root markers are looked for only up to `boundary`.
 */
export function guardedIndexFileSystem(
  inner: IndexFileSystem,
  mayRead: (file: string) => boolean,
  boundary: (file: string) => string | undefined,
): IndexFileSystem {
  return {
    readFile: (file) => (mayRead(file) ? inner.readFile(file) : undefined),
    isFile: (file) => mayRead(file) && inner.isFile(file),
    exists: (entry) => mayRead(entry) && inner.exists(entry),
    listFolder: inner.listFolder && ((dir) => (mayRead(dir) ? inner.listFolder!(dir) : undefined)),
    rootBoundary: boundary,
  };
}

export const nodeIndexFileSystem: IndexFileSystem = {
  readFile(file) {
    let buf: Buffer;
    try {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st?.isFile() || st.size > MAX_INDEXED_SIZE) return undefined;
      buf = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    // Decoded as the files the run lints are (a BOM, UTF-16, Latin-1): the same text, the same offsets.
    return decode(buf).text;
  },
  isFile(file) {
    try {
      // A missing file is the common answer (import candidates): no exception for it.
      return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      return false;
    }
  },
  exists(entry) {
    return fs.existsSync(entry);
  },
  listFolder(dir) {
    try {
      return fs.readdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR' ? null : undefined;
    }
  },
};

// --- summaries ------------------------------------------------------------------------------------

/**
 * Summarises a module from its tree: the module's statements and its classes' bodies (conditional
 * blocks included; function bodies and expressions are never entered).
 */
export function summarizeModule(tree: SyntaxTree, packageName: string | undefined): ModuleSummary {
  const summary: ModuleSummary = {
    functions: new Map(),
    classes: new Map(),
    imports: new Map(),
    variables: new Set(),
    starImports: [],
  };
  type Frame = { node: Node; where: 'module' | 'class'; cls?: ClassSummary };
  const stack: Frame[] = [{ node: tree.rootNode, where: 'module' }];
  while (stack.length > 0) {
    const { node, where, cls } = stack.pop()!;
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      let stmt: Node | null = children[i];
      if (stmt?.type === 'decorated_definition') stmt = stmt.childForFieldName('definition');
      if (!stmt || stmt.type === 'ERROR' || stmt.type === 'comment') continue;
      switch (stmt.type) {
        case 'function_definition': {
          const name = stmt.childForFieldName('name')?.text;
          if (!name) break;
          const isAsync = stmt.child(0)?.type === 'async';
          if (isAsync && hasOwnYield(stmt)) {
            if (where === 'module') (summary.asyncGenerators ??= new Set()).add(name);
            else if (cls && !cls.methods.has(name)) (cls.asyncGenerators ??= new Set()).add(name);
          }
          if (where === 'module') {
            summary.functions.set(name, isAsync);
            const body = stmt.childForFieldName('body');
            if (!isAsync && body && body.endIndex - body.startIndex <= MAX_PLAIN_BODY) {
              const plain = plainParameters(stmt);
              if (plain.length > 0) (summary.plainParameters ??= new Map()).set(name, plain);
            }
          } else if (cls && !cls.methods.has(name)) cls.methods.set(name, isAsync);
          break;
        }
        case 'class_definition': {
          // Only module-level classes are summarised (a nested class is not reachable by name here).
          if (where !== 'module') break;
          const name = stmt.childForFieldName('name')?.text;
          const body = stmt.childForFieldName('body');
          if (!name) break;
          const inner: ClassSummary = { methods: new Map(), bases: [], baseCount: 0 };
          for (const b of stmt.childForFieldName('superclasses')?.namedChildren ?? []) {
            if (!b || b.type === 'comment') continue;
            inner.baseCount++;
            if (b.type === 'identifier' || b.type === 'attribute') inner.bases.push(compactText(b));
          }
          summary.classes.set(name, inner);
          if (body) stack.push({ node: body, where: 'class', cls: inner });
          break;
        }
        case 'import_statement':
        case 'import_from_statement': {
          if (where !== 'module') break;
          const { bindings, star } = importBindings(stmt, packageName);
          for (const b of bindings) if (b.target !== undefined) summary.imports.set(b.name, b.target);
          if (star !== undefined) summary.starImports.push(star);
          break;
        }
        case 'expression_statement': {
          if (where !== 'module') break;
          const a = stmt.namedChild(0);
          if (a?.type === 'assignment') {
            const left = a.childForFieldName('left');
            if (left) for (const t of targetNames(left)) summary.variables.add(t.node.text);
          }
          break;
        }
        case 'if_statement':
        case 'try_statement':
        case 'with_statement':
        case 'for_statement':
        case 'while_statement':
        case 'elif_clause':
        case 'else_clause':
        case 'except_clause':
        case 'except_group_clause':
        case 'finally_clause':
        case 'block':
          // Conditional definitions (`try: import ujson as json`, `if sys.version_info ...`).
          stack.push({ node: stmt, where, cls });
          break;
      }
    }
  }
  return summary;
}

// --- name usages ----------------------------------------------------------------------------------

/** How a name is used in some text: as the callee of an awaited call, or any other way. */
export interface NameUsage {
  /** `await name(...)`, `await obj.name(...)`, `await super().name(...)`. */
  awaitedCalls: number;
  /** Every other occurrence (a value, a call not awaited at once, an attribute, a keyword argument). */
  other: number;
  /** `def name` (a function or method of that name, in any class). */
  definitions: number;
}

const PY_KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
]);

/** An identifier starting at lastIndex (the tokenizer's slow path, for names with non-ASCII letters). */
const PY_IDENTIFIER = /[\p{L}_][\p{L}\p{N}_]*/uy;
const PY_SPACE = /^\s$/u;

/** `r b u f` in either case: the prefixes of a string literal. */
function isStringPrefix(c: number): boolean {
  return c === 114 || c === 82 || c === 98 || c === 66 || c === 117 || c === 85 || c === 102 || c === 70;
}

function isAsciiIdentifierPart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}

/**
 * The end of a string literal starting at `i` (an optional prefix of one or two of `rbuf`, then a
 * quote), or -1: a triple-quoted string up to its closing quotes, else a one-line string whose
 * backslash escapes any character but a line end.
 */
function stringEnd(text: string, i: number): number {
  let q = i;
  while (q < i + 2 && isStringPrefix(text.charCodeAt(q))) q++;
  const quote = text.charCodeAt(q);
  if (quote !== 39 && quote !== 34) return -1;
  if (text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote) {
    const close = text.indexOf(quote === 39 ? "'''" : '"""', q + 3);
    if (close >= 0) return close + 3;
  }
  for (let j = q + 1; j < text.length; ) {
    const c = text.charCodeAt(j);
    if (c === quote) return j + 1;
    if (c === 10) return -1;
    if (c === 92) {
      const next = text.charCodeAt(j + 1);
      // A backslash escapes any character but a line end (or the end of the text).
      if (j + 1 >= text.length || next === 10 || next === 13 || next === 0x2028 || next === 0x2029) return -1;
      j += 2;
    } else {
      j++;
    }
  }
  return -1;
}

/**
 * Every identifier of a module's text and how it is used, from a light tokenizer (comments and
 * strings, f-strings included, skipped: a name only used there is not seen). The name after `def` is counted as a definition,
 * after `class` not at all. Cheap enough to run over a workspace once: a hand-written scanner
 * (tokens: comments, line continuations, line ends, string literals, identifiers, and any other
 * non-space character alone).
 */
export function countNameUsages(text: string): Map<string, NameUsage> {
  const kinds: number[] = []; // 0 string, 1 identifier, 2 punctuation
  const texts: string[] = [];
  // Names of import statements (`from .jobs import tick`, `import a.b as c`) are not uses.
  let inImport = false;
  let lineStart = true;
  let depth = 0;
  const lineEnd = (): void => {
    if (depth === 0) {
      inImport = false;
      lineStart = true;
    }
  };
  const token = (kind: number, t: string): void => {
    const atStart = lineStart;
    lineStart = false;
    if (kind === 2) {
      if (t === '(' || t === '[' || t === '{') depth++;
      else if (t === ')' || t === ']' || t === '}') depth = Math.max(0, depth - 1);
      else if (t === ';' && depth === 0) {
        inImport = false;
        lineStart = true;
      }
    } else if (kind === 1 && atStart && (t === 'import' || t === 'from')) {
      inImport = true;
    }
    if (inImport) return;
    kinds.push(kind);
    texts.push(t);
  };
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 35) {
      // `#` comment, up to the line end.
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === 92) {
      // A line continuation, else a lone backslash.
      if (text.charCodeAt(i + 1) === 10) i += 2;
      else if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 3;
      else {
        token(2, '\\');
        i++;
      }
      continue;
    }
    if (c === 10) {
      lineEnd();
      i++;
      continue;
    }
    if (c === 13 && text.charCodeAt(i + 1) === 10) {
      lineEnd();
      i += 2;
      continue;
    }
    if (c === 39 || c === 34 || isStringPrefix(c)) {
      const end = stringEnd(text, i);
      if (end >= 0) {
        token(0, '');
        i = end;
        continue;
      }
    }
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
        let j = i + 1;
        while (j < n && isAsciiIdentifierPart(text.charCodeAt(j))) j++;
        if (j < n && text.charCodeAt(j) >= 128) {
          PY_IDENTIFIER.lastIndex = i;
          PY_IDENTIFIER.test(text);
          j = PY_IDENTIFIER.lastIndex;
        }
        token(1, text.slice(i, j));
        i = j;
      } else {
        // Spaces (a lone carriage return among them) are no token; anything else is one alone.
        if (!(c === 32 || c === 9 || c === 11 || c === 12 || c === 13)) token(2, text[i]);
        i++;
      }
      continue;
    }
    PY_IDENTIFIER.lastIndex = i;
    if (PY_IDENTIFIER.test(text)) {
      token(1, text.slice(i, PY_IDENTIFIER.lastIndex));
      i = PY_IDENTIFIER.lastIndex;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!PY_SPACE.test(ch)) token(2, ch);
    i += ch.length;
  }
  const out = new Map<string, NameUsage>();
  const closer: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== 1 || PY_KEYWORDS.has(texts[i])) continue;
    const prev = texts[i - 1];
    let usage = out.get(texts[i]);
    if (!usage) out.set(texts[i], (usage = { awaitedCalls: 0, other: 0, definitions: 0 }));
    if (i > 0 && kinds[i - 1] === 1 && (prev === 'def' || prev === 'class')) {
      if (prev === 'def') usage.definitions++;
      continue;
    }
    let awaited = false;
    if (texts[i + 1] === '(' && kinds[i + 1] === 2) {
      // Walk back to the head of the `a.b(...).c` chain and look for `await` before it.
      let j = i;
      while (j >= 2 && texts[j - 1] === '.' && kinds[j - 1] === 2) {
        j -= 2;
        if (kinds[j] === 2 && closer[texts[j]]) {
          const open = closer[texts[j]];
          const close = texts[j];
          let depth = 0;
          for (; j >= 0; j--) {
            if (kinds[j] !== 2) continue;
            if (texts[j] === close) depth++;
            else if (texts[j] === open && --depth === 0) break;
          }
          if (j > 0 && kinds[j - 1] === 1 && !PY_KEYWORDS.has(texts[j - 1])) j--;
          else break;
        } else if (kinds[j] !== 1) {
          break;
        }
      }
      awaited = j > 0 && kinds[j - 1] === 1 && texts[j - 1] === 'await';
    }
    if (awaited) usage.awaitedCalls++;
    else usage.other++;
  }
  return out;
}

/** How many names a text is searched for before its usages are counted whatever the name. */
const MAX_USAGE_SEARCHES = 4;

// --- the index ------------------------------------------------------------------------------------

export interface ModuleLocation extends ModuleIdentity {
  /** Folders absolute imports are searched in, in order. */
  searchPaths: readonly string[];
  /** The search paths as one string (a cache key). */
  searchKey: string;
  root: string;
}

interface CachedSummary {
  text: string;
  summary: ModuleSummary;
}

/**
 * Summaries kept from an earlier run (the CLI's --cache, python/cache.ts): a summary is a function
 * of the module's text and package, so one made from the same text for the same package is the
 * one a parse would make.
 */
export interface SummaryStore {
  get(file: string, text: string, packageName: string | undefined): ModuleSummary | undefined;
  put(file: string, text: string, packageName: string | undefined, summary: ModuleSummary): void;
}

/** Parses a module for its summary; undefined when it will not be parsed (nested too deeply). */
export type ParseForIndex = (text: string, file: string) => SyntaxTree | undefined;

/**
 * Offered the tree the index parsed to summarise a file. The backend keeps the trees of files its
 * run has still to analyse, so that each module is parsed once per run.
 */
export type AdoptIndexTree = (file: string, text: string, tree: SyntaxTree) => void;

/** All Python modules under one workspace root. */
export class ModuleIndex {
  private readonly summaries = new Map<string, CachedSummary>();
  private readonly exists = new Map<string, boolean>();
  private readonly resolved = new Map<string, string | null>();
  /** Per search folder, per module name: its file there, or null (shared by every file that searches the folder). */
  private readonly resolvedIn = new Map<string, Map<string, string | null>>();
  /** Statistics for tests and --stats: how many modules were parsed for the index. */
  parsed = 0;

  constructor(
    readonly root: string,
    private readonly workspace: PythonWorkspace,
  ) {}

  /** The summary of a module file, parsing it once per content. */
  summaryOf(file: string): ModuleSummary | undefined {
    const open = this.workspace.documentText(file);
    const cached = this.summaries.get(file);
    if (cached && (open === undefined || open === cached.text)) return cached.summary;
    const text = open ?? this.workspace.fs.readFile(file);
    if (text === undefined) return undefined;
    const stored = this.workspace.summaryStore?.get(file, text, this.workspace.locate(file).packageName);
    if (stored) {
      this.summaries.set(file, { text, summary: stored });
      return stored;
    }
    const tree = this.workspace.parse(text, file);
    if (!tree) return undefined;
    this.parsed++;
    const summary = this.store(file, text, tree);
    this.workspace.adopt?.(file, text, tree);
    return summary;
  }

  /** Records the summary of a file being analysed from its tree (no second parse). */
  store(file: string, text: string, tree: SyntaxTree): ModuleSummary {
    const cached = this.summaries.get(file);
    if (cached && cached.text === text) return cached.summary;
    const packageName = this.workspace.locate(file).packageName;
    const summary = summarizeModule(tree, packageName);
    this.summaries.set(file, { text, summary });
    this.workspace.summaryStore?.put(file, text, packageName, summary);
    return summary;
  }

  forget(file: string): void {
    this.summaries.delete(file);
    this.exists.clear();
    this.resolved.clear();
    this.resolvedIn.clear();
  }

  isFile(file: string): boolean {
    let e = this.exists.get(file);
    if (e === undefined) {
      e = this.workspace.isFile(file);
      this.exists.set(file, e);
    }
    return e;
  }

  /** The file of a module (`app.db`) as seen from `fromFile`, if it is in the workspace. */
  resolveModule(name: string, fromFile: string): string | undefined {
    const where = this.workspace.locate(fromFile);
    const key = `${where.searchKey}\0${name}`;
    const hit = this.resolved.get(key);
    if (hit !== undefined) return hit ?? undefined;
    let found: string | null = null;
    for (const dir of where.searchPaths) {
      found = this.resolveIn(dir, name);
      if (found) break;
    }
    this.resolved.set(key, found);
    return found ?? undefined;
  }

  /** The file of module `name` under one search folder, or null. */
  private resolveIn(dir: string, name: string): string | null {
    let known = this.resolvedIn.get(dir);
    if (!known) this.resolvedIn.set(dir, (known = new Map()));
    const hit = known.get(name);
    if (hit !== undefined) return hit;
    const segments = name.split('.');
    // `a.b.c` lies under the folder `a`: most dotted names asked (`asyncio.sleep`, a class's
    // method) have none in this search folder.
    if (segments.length > 1 && !this.workspace.folderMayExist(path.join(dir, segments[0]))) {
      known.set(name, null);
      return null;
    }
    const base = path.join(dir, ...segments);
    let found: string | null = null;
    for (const candidate of [
      `${base}.py`,
      path.join(base, '__init__.py'),
      `${base}.pyi`,
      path.join(base, '__init__.pyi'),
    ]) {
      if (this.isFile(candidate)) {
        found = candidate;
        break;
      }
    }
    known.set(name, found);
    return found;
  }

  /** What a qualified name is, looked up from `fromFile`: a module, a function (async?), a class, a variable. */
  lookup(qname: string, fromFile: string, hops = 0): IndexedSymbol | undefined {
    if (hops > MAX_HOPS) return undefined;
    const parts = qname.split('.');
    for (let i = parts.length; i >= 1; i--) {
      const moduleName = parts.slice(0, i).join('.');
      const file = this.resolveModule(moduleName, fromFile);
      if (file) return this.member(file, moduleName, parts.slice(i), hops);
    }
    return undefined;
  }

  /**
   * The name outside the workspace that a workspace import re-exports (`pkg.compat.create_task`,
   * with `from asyncio import create_task` in pkg/compat.py, is `asyncio.create_task`); undefined
   * when `qname` is not such a re-export.
   */
  external(qname: string, fromFile: string, hops = 0): string | undefined {
    if (hops > MAX_HOPS) return undefined;
    const parts = qname.split('.');
    for (let i = parts.length - 1; i >= 1; i--) {
      const file = this.resolveModule(parts.slice(0, i).join('.'), fromFile);
      if (!file) continue;
      const summary = this.summaryOf(file);
      if (!summary) return undefined;
      const [name, ...more] = parts.slice(i);
      if (summary.functions.has(name) || summary.classes.has(name)) return undefined;
      const target = summary.imports.get(name);
      if (target === undefined) return undefined;
      const next = [target, ...more].join('.');
      if (this.inWorkspace(target, file)) return this.external(next, file, hops + 1);
      return next;
    }
    return undefined;
  }

  private inWorkspace(qname: string, fromFile: string): boolean {
    const parts = qname.split('.');
    for (let i = parts.length; i >= 1; i--) if (this.resolveModule(parts.slice(0, i).join('.'), fromFile)) return true;
    return false;
  }

  private member(file: string, moduleName: string, rest: string[], hops: number): IndexedSymbol | undefined {
    if (rest.length === 0) return { kind: 'module', file };
    const summary = this.summaryOf(file);
    if (!summary) return undefined;
    const [name, ...more] = rest;
    const fn = summary.functions.get(name);
    if (fn !== undefined) {
      if (more.length > 0) return undefined;
      const plain = summary.plainParameters?.get(name);
      const symbol: IndexedSymbol = { kind: 'function', isAsync: fn, file };
      if (plain) symbol.plainParameters = plain;
      if (summary.asyncGenerators?.has(name)) symbol.generator = true;
      return symbol;
    }
    const cls = summary.classes.get(name);
    if (cls) {
      if (more.length === 0) return { kind: 'class', qname: `${moduleName}.${name}`, file };
      if (more.length === 1) return this.method(file, moduleName, cls, more[0], hops);
      return undefined;
    }
    const target = summary.imports.get(name);
    if (target !== undefined) return this.lookup([target, ...more].join('.'), file, hops + 1);
    if (summary.variables.has(name)) return { kind: 'variable', file };
    for (const star of summary.starImports) {
      const s = this.lookup([star, ...rest].join('.'), file, hops + 1);
      if (s) return s;
    }
    return undefined;
  }

  /**
   * Whether the class `qname` (looked up from `fromFile`) or one of its bases defines `name`:
   * 'no' only when the class and every base up to `object` are classes of the workspace and none
   * defines it; 'unknown' when a base is not found (a library class, `Generic[T]`, a builtin).
   */
  classDefines(qname: string, name: string, fromFile: string, hops = 0): 'yes' | 'no' | 'unknown' {
    if (hops > MAX_HOPS) return 'unknown';
    const s = this.lookup(qname, fromFile);
    if (s?.kind !== 'class') return 'unknown';
    const summary = this.summaryOf(s.file);
    const clsName = s.qname.slice(s.qname.lastIndexOf('.') + 1);
    const moduleName = s.qname.slice(0, s.qname.lastIndexOf('.'));
    const cls = summary?.classes.get(clsName);
    if (!summary || !cls) return 'unknown';
    if (cls.methods.has(name)) return 'yes';
    if (cls.bases.length < cls.baseCount) return 'unknown';
    let answer: 'no' | 'unknown' = 'no';
    for (const base of cls.bases) {
      if (base === 'object') continue;
      const [head, ...tail] = base.split('.');
      let q: string | undefined;
      if (summary.classes.has(head) && tail.length === 0) q = `${moduleName}.${head}`;
      else if (summary.imports.has(head)) q = [summary.imports.get(head)!, ...tail].join('.');
      if (!q) return 'unknown';
      const r = this.classDefines(q, name, s.file, hops + 1);
      if (r === 'yes') return 'yes';
      if (r === 'unknown') answer = 'unknown';
    }
    return answer;
  }

  private method(
    file: string,
    moduleName: string,
    cls: ClassSummary,
    name: string,
    hops: number,
  ): IndexedSymbol | undefined {
    const own = cls.methods.get(name);
    if (own !== undefined)
      return cls.asyncGenerators?.has(name)
        ? { kind: 'function', isAsync: own, file, generator: true }
        : { kind: 'function', isAsync: own, file };
    const summary = this.summaryOf(file);
    if (!summary) return undefined;
    for (const base of cls.bases) {
      const [head, ...tail] = base.split('.');
      let q: string | undefined;
      if (summary.classes.has(head) && tail.length === 0) q = `${moduleName}.${head}`;
      else if (summary.imports.has(head)) q = [summary.imports.get(head)!, ...tail].join('.');
      if (!q) continue;
      const s = this.lookup(`${q}.${name}`, file, hops + 1);
      if (s) return s;
    }
    return undefined;
  }
}

/**
 * Every workspace root's ModuleIndex, the location of each file (root, module name, search paths),
 * and the text of open documents.
 */
export class PythonWorkspace {
  private readonly indexes = new Map<string, ModuleIndex>();
  private readonly roots = new Map<string, string>();
  private readonly locations = new Map<string, ModuleLocation>();
  private readonly documents = new Map<string, string>();
  /**
   * Per root: file -> its text until a name it spells is asked, then its usage counts (name ->
   * usage), over the prepared files and open documents (listed once, each counted at most once).
   */
  private readonly usageIndexes = new Map<
    string,
    Map<string, { text?: string; searches: number; usages?: Map<string, NameUsage> }>
  >();
  /** Files announced by prepare(): known to exist until a change says otherwise. */
  private readonly prepared = new Set<string>();
  /** The workspace's modules as the server walked them (empty in the CLI: its run's files are prepared). */
  private readonly workspaceFiles = new Set<string>();
  /** Summaries from an earlier run (the CLI's --cache). */
  summaryStore: SummaryStore | undefined;
  /**
   * Per root, when `fingerprintUsages` is set (the CLI's --cache): the digest of the files the
   * usage counts are taken over and their texts, which decide every answer of usagesOf.
   */
  private readonly usageFingerprints = new Map<string, string>();
  fingerprintUsages = false;
  /** Folder listings (lower-cased names; null: no such folder), read once to rule out missing files. */
  private readonly listings = new Map<string, ReadonlySet<string> | null | undefined>();
  /** The folders holding prepared files and open documents (which exist whatever the disk says). */
  private knownFolders: Set<string> | undefined;

  constructor(
    readonly fs: IndexFileSystem,
    readonly parse: ParseForIndex,
    readonly adopt?: AdoptIndexTree,
  ) {}

  /** Whether prepare() announced the file and nothing has changed it since. */
  isPrepared(file: string): boolean {
    return this.prepared.has(file);
  }

  /**
   * The files of a run (the CLI's, or the server's Lint Workspace): their existence is known
   * without asking the disk. Modules are still summarised lazily, each once per content.
   */
  prepare(files: readonly string[]): void {
    for (const f of files) this.prepared.add(path.resolve(f));
    this.knownFolders = undefined;
  }

  /** An open document's text (the server), which the index sees instead of the disk. */
  setDocument(file: string, text: string): void {
    if (this.documents.get(file) === text) return;
    const isNew = !this.documents.has(file);
    this.documents.set(file, text);
    if (isNew) this.invalidate(file);
  }

  closeDocument(file: string): void {
    if (this.documents.delete(file)) this.invalidate(file);
  }

  documentText(file: string): string | undefined {
    return this.documents.get(file);
  }

  /** A file was created, changed or deleted on disk. */
  fileChanged(file: string): void {
    const abs = path.resolve(file);
    this.invalidate(abs);
    // The workspace's file list follows the disk: a created module joins it, a deleted one leaves.
    if (this.workspaceFiles.size > 0 && isPythonFile(abs)) {
      if (this.fs.isFile(abs)) this.workspaceFiles.add(abs);
      else this.workspaceFiles.delete(abs);
    }
  }

  /**
   * Every module of the workspace (the server: its folders walked as the CLI walks them), so that
   * questions about the whole workspace (usagesOf) see the files no editor has open.
   */
  knowWorkspaceFiles(files: readonly string[]): void {
    for (const f of files) this.workspaceFiles.add(path.resolve(f));
    this.usageIndexes.clear();
    this.usageFingerprints.clear();
  }

  private invalidate(file: string): void {
    this.prepared.delete(file);
    this.usageIndexes.clear();
    this.usageFingerprints.clear();
    this.listings.clear();
    this.knownFolders = undefined;
    const base = path.basename(file);
    if ((ROOT_MARKERS as readonly string[]).includes(base) || base === '__init__.py' || base === '__init__.pyi') {
      // Roots and package boundaries may have moved.
      this.roots.clear();
      this.locations.clear();
    }
    for (const index of this.indexes.values()) index.forget(file);
  }

  isFile(file: string): boolean {
    return this.prepared.has(file) || this.documents.has(file) || (this.mayExist(file) && this.fs.isFile(file));
  }

  /**
   * False when the listing of the entry's folder shows it cannot exist, so that the many import
   * candidates that do not exist (`pkg/asyncio/sleep.py`, `pkg/asyncio/sleep/__init__.pyi`, ... for
   * `asyncio.sleep`) cost no system call each. Names are compared lower-cased, so that a file
   * system that ignores case is never answered "missing" for a file it has; a name with non-ASCII
   * characters (which a file system may normalise) is never ruled out.
   */
  private mayExist(entry: string): boolean {
    const listing = this.listing(path.dirname(entry));
    if (listing === undefined) return true;
    const name = path.basename(entry);
    return listing !== null && (!ASCII.test(name) || listing.has(name.toLowerCase()));
  }

  /**
   * False when no file can lie under `folder`: it is missing from its parent's listing, and holds
   * no prepared file or open document. Module resolution asks this for a name's first segment
   * before it asks about each candidate file under it.
   */
  folderMayExist(folder: string): boolean {
    if (!this.knownFolders) {
      const known = new Set<string>();
      for (const f of [...this.prepared, ...this.documents.keys()]) {
        for (let d = path.dirname(f); !known.has(d); d = path.dirname(d)) {
          known.add(d);
          if (path.dirname(d) === d) break;
        }
      }
      this.knownFolders = known;
    }
    return this.knownFolders.has(folder) || this.mayExist(folder);
  }

  /**
   * A folder's listing (see `listings`). A folder whose parent's listing lacks it is known missing
   * without being read; parents are looked at first, so each folder is read at most once.
   */
  private listing(dir: string): ReadonlySet<string> | null | undefined {
    if (this.listings.has(dir) || !this.fs.listFolder) return this.listings.get(dir);
    // The folders from `dir` up to the nearest one already known, then resolved top-down.
    const chain: string[] = [];
    for (let d = dir; !this.listings.has(d); d = path.dirname(d)) {
      chain.push(d);
      if (path.dirname(d) === d) break;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i];
      const parent = path.dirname(d);
      const up = parent === d ? undefined : this.listings.get(parent);
      const name = path.basename(d);
      let result: ReadonlySet<string> | null | undefined;
      if (up === null || (up !== undefined && ASCII.test(name) && !up.has(name.toLowerCase()))) {
        result = null;
      } else {
        const names = this.fs.listFolder(d);
        result = names ? new Set(names.map((n) => n.toLowerCase())) : names;
      }
      this.listings.set(d, result);
    }
    return this.listings.get(dir);
  }

  /**
   * The workspace root of a file: the nearest folder up with a root marker (not above the file
   * system's root boundary, if it has one), else the file's folder.
   */
  rootOf(file: string): string {
    const abs = path.resolve(file);
    const start = path.dirname(abs);
    const boundary = this.fs.rootBoundary?.(abs);
    const top = boundary === undefined ? undefined : path.resolve(boundary);
    // Cached per folder, and per boundary when there is one (the search stops there).
    const key = (dir: string) => (top === undefined ? dir : `${top}\0${dir}`);
    const seen: string[] = [];
    let root: string | undefined;
    for (let dir = start; ; dir = path.dirname(dir)) {
      const cached = this.roots.get(key(dir));
      if (cached !== undefined) {
        root = cached === '' ? undefined : cached;
        break;
      }
      seen.push(key(dir));
      if (ROOT_MARKERS.some((m) => this.mayExist(path.join(dir, m)) && this.fs.exists(path.join(dir, m)))) {
        root = dir;
        break;
      }
      if (path.dirname(dir) === dir || (top !== undefined && !isInside(dir, top))) break;
    }
    // Folders between the file and the root share the root; above it, nothing is known.
    for (const d of seen) this.roots.set(d, root ?? '');
    return root ?? start;
  }

  indexFor(file: string): ModuleIndex {
    const root = this.rootOf(file);
    let index = this.indexes.get(root);
    if (!index) {
      index = new ModuleIndex(root, this);
      this.indexes.set(root, index);
    }
    return index;
  }

  /** Module name, package and import search paths of a file. */
  locate(file: string): ModuleLocation {
    // Asked with the same absolute path again and again (every import resolved from a file).
    const known = this.locations.get(file);
    if (known) return known;
    const abs = path.resolve(file);
    const cached = this.locations.get(abs);
    if (cached) {
      this.locations.set(file, cached);
      return cached;
    }
    const root = this.rootOf(abs);
    const dir = path.dirname(abs);
    const src = path.join(root, 'src');
    let base: string;
    if (this.isPackageDir(dir)) {
      // Climb the regular package (folders with __init__.py); the module is named from above it.
      let top = dir;
      while (top !== root && this.isPackageDir(path.dirname(top)) && path.dirname(top) !== top) top = path.dirname(top);
      base = path.dirname(top);
    } else {
      base = isInside(abs, src) ? src : isInside(abs, root) ? root : dir;
    }
    const rel = path
      .relative(base, abs)
      .replace(/\.pyi?$/i, '')
      .split(path.sep)
      .filter(Boolean);
    const isPackage = rel.length > 0 && rel[rel.length - 1] === '__init__';
    if (isPackage) rel.pop();
    const moduleName = rel.length > 0 ? rel.join('.') : path.basename(dir);
    const packageName = isPackage ? moduleName : rel.slice(0, -1).join('.');
    const searchPaths = unique([base, dir, src, root]);
    const location: ModuleLocation = { moduleName, packageName, searchPaths, searchKey: searchPaths.join('\0'), root };
    this.locations.set(abs, location);
    return location;
  }

  private isPackageDir(dir: string): boolean {
    return this.isFile(path.join(dir, '__init__.py')) || this.isFile(path.join(dir, '__init__.pyi'));
  }

  /**
   * How `name` is used in the workspace's other files (the run's files, the server's workspace
   * files and open documents under the same root; `exclude` is left out, its own text being the
   * caller's to count).
   */
  usagesOf(name: string, exclude: string): NameUsage {
    const index = this.usageIndex(this.rootOf(exclude));
    const total: NameUsage = { awaitedCalls: 0, other: 0, definitions: 0 };
    for (const [f, entry] of index) {
      if (f === exclude) continue;
      if (!entry.usages) {
        // Counted on the first name the text spells (a text that does not spell it has no use of
        // it), or once it has been searched a few times: then counting costs less than searching.
        if (++entry.searches <= MAX_USAGE_SEARCHES && !entry.text!.includes(name)) continue;
        entry.usages = countNameUsages(entry.text!);
        entry.text = undefined;
      }
      const u = entry.usages.get(name);
      if (!u) continue;
      total.awaitedCalls += u.awaitedCalls;
      total.other += u.other;
      total.definitions += u.definitions;
    }
    return total;
  }

  /** The files usagesOf counts over for a root, each with its text until counted. */
  private usageIndex(root: string): Map<string, { text?: string; searches: number; usages?: Map<string, NameUsage> }> {
    let index = this.usageIndexes.get(root);
    if (!index) {
      index = new Map();
      const files = new Set<string>([...this.prepared, ...this.workspaceFiles, ...this.documents.keys()]);
      const texts: string[] = [];
      for (const f of files) {
        if (!isPythonFile(f) || this.rootOf(f) !== root) continue;
        const text = this.documentText(f) ?? this.fs.readFile(f);
        if (text === undefined) continue;
        index.set(f, { text, searches: 0 });
        if (this.fingerprintUsages) texts.push(`${f}\0${digest(text)}`);
      }
      this.usageIndexes.set(root, index);
      if (this.fingerprintUsages) this.usageFingerprints.set(root, digest(texts.sort().join('\n')));
    }
    return index;
  }

  /**
   * What decides every answer of usagesOf from `file` (with `fingerprintUsages` set): the digest
   * of the files under its root it counts over, and of their texts.
   */
  usageFingerprint(file: string): string | undefined {
    const root = this.rootOf(file);
    this.usageIndex(root);
    return this.usageFingerprints.get(root);
  }

  /** Cross-module lookups as seen from one file, for the NameResolver. */
  lookupFrom(file: string): WorkspaceLookup {
    const abs = path.resolve(file);
    const index = this.indexFor(abs);
    return {
      lookup: (qname) => index.lookup(qname, abs),
      external: (qname) => index.external(qname, abs),
      classDefines: (qname, name) => index.classDefines(qname, name, abs),
      usagesOf: (name) => this.usagesOf(name, abs),
    };
  }
}

/** Printable ASCII only: such a name is spelled one way on every file system. */
const ASCII = /^[\x20-\x7e]*$/;

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
