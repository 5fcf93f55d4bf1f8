// The TypeScript 7 type backend: the native compiler (`typescript@7` from npm, installed as the
// `typescript7` alias with its platform binary) runs as a child process, asked through its
// unstable synchronous API (`typescript7/unstable/sync`, JSON over a pipe). It builds the
// programs and answers the rules' type questions; the rules walk TypeScript 6 trees of the same
// texts (a bare parse, no binder), and nodes are matched between the two trees by span and kind
// (both count UTF-16 offsets, and name their syntax kinds alike).
//
// Every request is a round trip, so:
// - questions about nodes (the type or the symbol at a node, and the few other node questions)
//   can be gathered first: while `recording`, an unknown answer is noted, with the rule that asked,
//   and a neutral one given (an error type, a placeholder symbol); `answerRecorded()` then asks for
//   all of them, the types and symbols of one file in one request each. The TypeScript backend
//   runs the rules that asked something unknown again, until none does (see backend.ts), so the
//   findings kept are always those of a run that saw only real answers;
// - everything derived from a type, a symbol or a signature is asked once per project and kept
//   (ids are stable within a snapshot): a project has a few thousand distinct types, and every
//   file after the first finds most of them known.
// Declarations come back as handles (index, kind, file); they are turned into nodes of TypeScript
// 6 trees (the same tree the rules walk, for an analysed file; a parse of the text TypeScript 7
// read, for any other) on first use.
// Only the shapes used here are declared below, so an API change fails loudly at run time instead
// of leaking unstable types into ours.
import fs from 'node:fs';
import ts from 'typescript';
import { typeScript7Module } from './ts7-available';
import type { OwnFile, TSignature, TSymbol, TType, TUnionOrIntersection, Types } from './typebackend';

// ---- the slice of the TS 7 API we use ------------------------------------------------------------

export interface R7Node {
  readonly kind: number;
  readonly pos: number;
  readonly end: number;
}

interface R7SourceFile extends R7Node {
  readonly text: string;
  readonly fileName: string;
  readonly path: string;
  /** Internal: the encoded AST, read directly to find nodes by span without decoding them. */
  readonly view: DataView;
  readonly _offsetNodes: number;
  readonly nodes: unknown[];
  getOrCreateNodeAtIndex(index: number): R7Node;
}

interface R7Handle {
  readonly index: number;
  readonly kind: number;
  readonly path: string;
}

interface R7Symbol {
  readonly id: number;
  readonly name: string;
  readonly flags: number;
  readonly checkFlags: number;
  readonly declarations: readonly R7Handle[];
  readonly valueDeclaration: R7Handle | undefined;
  getExportSymbol(): R7Symbol;
}

interface R7Type {
  readonly id: number;
  readonly flags: number;
  readonly objectFlags?: number;
  /** A type reference's generic target (its id). */
  readonly target?: number;
  getSymbol(): R7Symbol | undefined;
  getAliasSymbol(): R7Symbol | undefined;
  getTypes(): readonly R7Type[] | undefined;
}

interface R7Signature {
  readonly id: number;
  readonly declaration?: R7Handle;
  getParameters(): readonly R7Symbol[];
}

interface R7Checker {
  getTypeAtLocation(nodes: readonly R7Node[]): (R7Type | undefined)[];
  getSymbolAtLocation(nodes: readonly R7Node[]): (R7Symbol | undefined)[];
  getShorthandAssignmentValueSymbol(node: R7Node): R7Symbol | undefined;
  getExportSpecifierLocalTargetSymbol(node: R7Node): R7Symbol | undefined;
  getAliasedSymbol(symbol: R7Symbol): R7Symbol;
  getImmediateAliasedSymbol(symbol: R7Symbol): R7Symbol | undefined;
  resolveName(name: string, meaning: number, location: R7Node, excludeGlobals: boolean): R7Symbol | undefined;
  getResolvedSignature(node: R7Node): R7Signature | undefined;
  getContextualType(node: R7Node): R7Type | undefined;
  getTypeOfSymbol(symbol: R7Symbol): R7Type | undefined;
  getApparentType(type: R7Type): R7Type | undefined;
  getBaseConstraintOfType(type: R7Type): R7Type | undefined;
  getNonNullableType(type: R7Type): R7Type | undefined;
  getPropertyOfType(type: R7Type, name: string): R7Symbol | undefined;
  getPropertiesOfType(type: R7Type): readonly R7Symbol[];
  getSignaturesOfType(type: R7Type, kind: number): readonly R7Signature[];
  getReturnTypeOfSignature(signature: R7Signature): R7Type | undefined;
  getIndexInfosOfType(type: R7Type): readonly { keyType: R7Type; valueType: R7Type }[];
  getNumberType(): R7Type;
  isArrayType(type: R7Type): boolean;
  isTupleType(type: R7Type): boolean;
  getTypeArguments(type: R7Type): readonly R7Type[];
  typeToString(type: R7Type, enclosingDeclaration?: R7Node, flags?: number): string;
}

export interface R7Project {
  readonly id: string;
  readonly configFileName: string;
  readonly program: {
    getSourceFile(file: string): R7SourceFile | undefined;
    getSourceFileNames(): readonly string[];
    getSourceFileMetadata(file: string): { isDefaultLibrary: boolean; isFromExternalLibrary: boolean } | undefined;
  };
  readonly checker: R7Checker;
}

export interface R7Snapshot {
  getProject(configFileName: string): R7Project | undefined;
  dispose(): void;
}

export interface R7FileSystem {
  readFile?: (fileName: string) => string | null | undefined;
  fileExists?: (fileName: string) => boolean | undefined;
}

export interface R7Api {
  updateSnapshot(params: {
    openProjects?: string[];
    fileChanges?: { changed?: string[] } | { invalidateAll: true };
  }): R7Snapshot;
  close(): void;
}

interface R7Module {
  API: new (options: { cwd?: string; fs?: R7FileSystem }) => R7Api;
}

interface R7Ast {
  SyntaxKind: Record<string, number>;
}

let loaded: { api: R7Module; ast: R7Ast } | undefined;

/** The native compiler's API; throws (with how to get it) when the package or its binary is missing. */
export function loadTypeScript7(): { api: R7Module; ast: R7Ast } {
  if (loaded) return loaded;
  try {
    loaded = {
      api: require(typeScript7Module('typescript7/unstable/sync')) as R7Module,
      ast: require(typeScript7Module('typescript7/unstable/ast')) as R7Ast,
    };
    return loaded;
  } catch (e) {
    throw new Error(
      `the TypeScript 7 backend needs the 'typescript7' package (npm i -D typescript7@npm:typescript@7.0.2): ${(e as Error).message}`,
    );
  }
}

// ---- syntax kinds, both ways ---------------------------------------------------------------------

let kindTables: { to7: Int32Array; to6: Map<number, number>; jsDoc7: number } | undefined;

function kinds(): { to7: Int32Array; to6: Map<number, number>; jsDoc7: number } {
  if (kindTables) return kindTables;
  const k7 = loadTypeScript7().ast.SyntaxKind;
  const to7 = new Int32Array(ts.SyntaxKind.Count + 1).fill(-1);
  const to6 = new Map<number, number>();
  for (const [name, value] of Object.entries(ts.SyntaxKind)) {
    if (typeof value !== 'number' || /^(First|Last)/.test(name) || name === 'Count') continue;
    const v7 = k7[name];
    if (typeof v7 !== 'number') continue;
    to7[value] = v7;
    to6.set(v7, value);
  }
  kindTables = { to7, to6, jsDoc7: k7.JSDoc };
  return kindTables;
}

// ---- the encoded trees of TypeScript 7, and the nodes of ours they correspond to ----------------

const NODE_LEN = 28;
const NODE_KIND = 0;
const NODE_POS = 4;
const NODE_END = 8;
const NODE_PARENT = 16;
const KIND_NODE_LIST = 0xffffffff;

/** A file's TypeScript 7 tree, searched by span without decoding nodes. */
class FileAst {
  private byPos: Map<number, number[]> | undefined;
  private readonly view: DataView;
  private readonly offset: number;
  readonly count: number;

  constructor(readonly file: R7SourceFile) {
    this.view = file.view;
    this.offset = file._offsetNodes;
    this.count = file.nodes.length;
    if (!(this.view instanceof DataView) || typeof this.offset !== 'number' || this.count < 2)
      throw new Error('unexpected layout of a TypeScript 7 source file');
  }

  kindAt(index: number): number {
    return this.view.getUint32(this.offset + index * NODE_LEN + NODE_KIND, true);
  }

  posAt(index: number): number {
    return this.view.getUint32(this.offset + index * NODE_LEN + NODE_POS, true);
  }

  endAt(index: number): number {
    return this.view.getUint32(this.offset + index * NODE_LEN + NODE_END, true);
  }

  /** The index of the node with this span and (TypeScript 7) kind. */
  indexOf(pos: number, end: number, kind7: number): number | undefined {
    if (this.order === undefined) this.order = this.inOrder();
    const order = this.order;
    if (order) {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.posAt(order[mid]) < pos) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < order.length && this.posAt(order[k]) === pos; k++) {
        const i = order[k];
        if (this.endAt(i) === end && this.kindAt(i) === kind7) return i;
      }
      return undefined;
    }
    if (!this.byPos) {
      const byPos = new Map<number, number[]>();
      for (let i = 1; i < this.count; i++) {
        const p = this.posAt(i);
        let list = byPos.get(p);
        if (!list) byPos.set(p, (list = []));
        list.push(i);
      }
      this.byPos = byPos;
    }
    const list = this.byPos.get(pos);
    if (!list) return undefined;
    for (const i of list) if (this.endAt(i) === end && this.kindAt(i) === kind7) return i;
    return undefined;
  }

  private order: Int32Array | null | undefined;

  /**
   * The nodes outside JSDoc, in stored order: pre-order, so their starts never decrease (a node's
   * JSDoc is stored after its other children, out of that order; ours are never asked about).
   * Null if the starts do decrease after all (then a map by start is built instead).
   */
  private inOrder(): Int32Array | null {
    const jsDoc = kinds().jsDoc7;
    const inJsDoc = new Uint8Array(this.count);
    const order = new Int32Array(this.count);
    let n = 0;
    let last = -1;
    for (let i = 1; i < this.count; i++) {
      const parent = this.view.getUint32(this.offset + i * NODE_LEN + NODE_PARENT, true);
      if (this.kindAt(i) === jsDoc || (parent < i && inJsDoc[parent] === 1)) {
        inJsDoc[i] = 1;
        continue;
      }
      const p = this.posAt(i);
      if (p < last) return null;
      last = p;
      order[n++] = i;
    }
    return order.subarray(0, n);
  }

  /** The ancestor of a node that is a statement of the file itself (NodeList entries are not nodes). */
  topLevelAncestor(index: number): number {
    let i = index;
    for (;;) {
      let parent = this.parentAt(i);
      while (parent > 1 && this.kindAt(parent) === KIND_NODE_LIST) parent = this.parentAt(parent);
      if (parent <= 1 || parent === i) return i;
      i = parent;
    }
  }

  parentAt(index: number): number {
    return this.view.getUint32(this.offset + index * NODE_LEN + NODE_PARENT, true);
  }

  node(index: number): R7Node {
    return this.file.getOrCreateNodeAtIndex(index);
  }
}

/** The node of `root` with this span and kind, by descent (several nodes may share a span). */
function findNode(root: ts.SourceFile, pos: number, end: number, kind: number): ts.Node | undefined {
  if (root.pos === pos && root.end === end && root.kind === kind) return root;
  let node: ts.Node = root;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos <= pos && end <= c.end && (c.pos < c.end || (pos === c.pos && end === c.end))) {
        next = c;
        return true;
      }
      return undefined;
    });
    if (!next) return undefined;
    if (next.pos === pos && next.end === end && next.kind === kind) return next;
    node = next;
  }
}

// ---- the objects the rules see -------------------------------------------------------------------

/** The type of a node TypeScript 7 has no answer for, or whose answer is still to come: as TypeScript 6's error type. */
class ErrorType implements TType {
  readonly flags = ts.TypeFlags.Any;
  isUnion(): this is TUnionOrIntersection {
    return false;
  }
  isIntersection(): this is TUnionOrIntersection {
    return false;
  }
  getSymbol(): TSymbol | undefined {
    return undefined;
  }
  getCallSignatures(): readonly TSignature[] {
    return [];
  }
  getProperties(): readonly TSymbol[] {
    return [];
  }
  getProperty(): TSymbol | undefined {
    return undefined;
  }
  getNumberIndexType(): TType | undefined {
    return undefined;
  }
}

const ERROR_TYPE = new ErrorType();

/**
 * While recording, the symbol of every node whose answer is still to come: one symbol, with no
 * declarations, so a rule goes on as if the answer were a symbol rather than stopping at "cannot
 * tell". Unknowns compare equal to each other: `const p = f(); ... p` with both symbols unknown
 * asks about the declaration and its first reference in one round, where distinct placeholders
 * would ask about every reference (measured: about as many questions as no placeholder, half the
 * rounds; distinct ones, 1.7x the questions). The round's findings are never kept.
 */
class PendingSymbol implements TSymbol {
  readonly name = '';
  readonly flags = 0;
  readonly declarations: readonly ts.Declaration[] = [];
  readonly valueDeclaration = undefined;
}

const PENDING_SYMBOL = new PendingSymbol();

/**
 * An array whose elements are computed on first read, in order, from `items`; elements that
 * compute to undefined are dropped (so reading index i computes every element up to the i-th
 * kept one). Reads through indices, `length`, iteration and the array methods all work.
 */
function lazyArray<T, U>(items: readonly T[], compute: (item: T) => U | undefined): U[] {
  const out: U[] = [];
  let next = 0;
  const fill = (upTo: number): void => {
    while (out.length <= upTo && next < items.length) {
      const v = compute(items[next++]);
      if (v !== undefined) out.push(v);
    }
  };
  const all = (): U[] => {
    fill(Infinity);
    return out;
  };
  return new Proxy(out, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) {
        fill(Number(key));
        return target[Number(key)];
      }
      if (key === 'length') return all().length;
      // The searches that can stop early compute only as far as they read.
      if (key === 'some' || key === 'every' || key === 'find') {
        return (test: (value: U, index: number) => unknown) => {
          for (let i = 0; ; i++) {
            fill(i);
            if (i >= out.length) return key === 'every' ? true : undefined;
            const hit = Boolean(test(out[i], i));
            if (key === 'some' && hit) return true;
            if (key === 'every' && !hit) return false;
            if (key === 'find' && hit) return out[i];
          }
        };
      }
      if (
        typeof key === 'string' &&
        typeof (Array.prototype as unknown as Record<string, unknown>)[key] === 'function'
      ) {
        const method = (Array.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[key];
        return (...args: unknown[]) => method.apply(all(), args);
      }
      if (key === Symbol.iterator) return () => all()[Symbol.iterator]();
      return Reflect.get(all(), key, receiver);
    },
  });
}

/** TypeScript 7 names its internal symbols `\xfetype` where TypeScript 6 says `__type`. */
function symbolName(name: string): string {
  return name.charCodeAt(0) === 0xfe ? `__${name.slice(1)}` : name;
}

class NativeSymbol implements TSymbol {
  private decls: ts.Declaration[] | undefined;
  private valueDecl: ts.Declaration | null | undefined;
  readonly name: string;

  constructor(
    private readonly project: ProjectState,
    readonly remote: R7Symbol,
  ) {
    this.name = symbolName(remote.name);
  }

  get flags(): ts.SymbolFlags {
    return this.remote.flags;
  }

  /**
   * The declarations, each turned into our node on first read (a rule often reads only the first,
   * and every one in a file we have no tree of yet means parsing that file). One TypeScript 7 has
   * that we do not (a JSDoc tag in a JavaScript file) is left out, on the first read of any.
   */
  get declarations(): readonly ts.Declaration[] {
    if (!this.decls) {
      const handles = this.remote.declarations;
      this.decls = handles.length === 0 ? [] : lazyArray(handles, (h) => this.project.declaration(h));
    }
    return this.decls;
  }

  get valueDeclaration(): ts.Declaration | undefined {
    if (this.valueDecl === undefined) {
      const h = this.remote.valueDeclaration;
      this.valueDecl = (h && this.project.declaration(h)) ?? null;
    }
    return this.valueDecl ?? undefined;
  }
}

class NativeSignature implements TSignature {
  private decl: ts.Node | null | undefined;
  private params: readonly TSymbol[] | undefined;
  private returnType: TType | undefined;

  constructor(
    private readonly project: ProjectState,
    readonly remote: R7Signature,
  ) {}

  get declaration(): ts.Node | undefined {
    if (this.decl === undefined)
      this.decl = (this.remote.declaration && this.project.declaration(this.remote.declaration)) ?? null;
    return this.decl ?? undefined;
  }

  get parameters(): readonly TSymbol[] {
    this.params ??= this.remote.getParameters().map((p) => this.project.symbol(p));
    return this.params;
  }

  getReturnType(): TType {
    this.returnType ??= this.project.type(this.project.checker.getReturnTypeOfSignature(this.remote));
    return this.returnType;
  }
}

class NativeType implements TType {
  private alias: TSymbol | null | undefined;
  private members: readonly TType[] | undefined;
  private sym: TSymbol | null | undefined;
  private calls: readonly TSignature[] | undefined;
  private props: readonly TSymbol[] | undefined;
  private readonly propByName = new Map<string, TSymbol | null>();
  private numberIndex: TType | null | undefined;

  constructor(
    private readonly project: ProjectState,
    readonly remote: R7Type,
  ) {}

  get flags(): ts.TypeFlags {
    return this.remote.flags;
  }

  get aliasSymbol(): TSymbol | undefined {
    if (this.alias === undefined) {
      const s = this.remote.getAliasSymbol();
      this.alias = s ? this.project.symbol(s) : null;
    }
    return this.alias ?? undefined;
  }

  isUnion(): this is TUnionOrIntersection {
    return (this.remote.flags & ts.TypeFlags.Union) !== 0;
  }

  isIntersection(): this is TUnionOrIntersection {
    return (this.remote.flags & ts.TypeFlags.Intersection) !== 0;
  }

  get types(): readonly TType[] {
    this.members ??= (this.remote.getTypes() ?? []).map((t) => this.project.type(t));
    return this.members;
  }

  getSymbol(): TSymbol | undefined {
    if (this.sym === undefined) {
      const s = this.remote.getSymbol();
      this.sym = s ? this.project.symbol(s) : null;
    }
    return this.sym ?? undefined;
  }

  getCallSignatures(): readonly TSignature[] {
    this.calls ??= this.project.checker
      .getSignaturesOfType(this.remote, 0 /* SignatureKind.Call */)
      .map((s) => this.project.signature(s));
    return this.calls;
  }

  getProperties(): readonly TSymbol[] {
    this.props ??= this.project.checker.getPropertiesOfType(this.remote).map((s) => this.project.symbol(s));
    return this.props;
  }

  getProperty(name: string): TSymbol | undefined {
    let p = this.propByName.get(name);
    if (p === undefined) {
      const s = this.project.checker.getPropertyOfType(this.remote, name);
      p = s ? this.project.symbol(s) : null;
      this.propByName.set(name, p);
    }
    return p ?? undefined;
  }

  getNumberIndexType(): TType | undefined {
    if (this.numberIndex === undefined) {
      const numberId = this.project.numberTypeId();
      const info = this.project.checker.getIndexInfosOfType(this.remote).find((i) => i.keyType.id === numberId);
      this.numberIndex = info ? this.project.type(info.valueType) : null;
    }
    return this.numberIndex ?? undefined;
  }

  // Derived types, asked once.
  apparent: TType | undefined;
  constraint: TType | null | undefined;
  nonNullable: TType | undefined;
  isArray: boolean | undefined;
  isTuple: boolean | undefined;
  typeArguments: readonly TType[] | undefined;
}

// ---- per project ---------------------------------------------------------------------------------

/** What the backend needs from its engine: TypeScript 6 trees by file, and the texts TypeScript 7 read. */
export interface TreeSource {
  /** The TypeScript 6 tree of a file, the one the rules walk if the file is analysed. */
  tree(file: string, text: string): ts.SourceFile;
}

/** One TypeScript 7 project within one snapshot: its objects, by id, and what was asked about them. */
export class ProjectState {
  private readonly symbols = new Map<number, NativeSymbol>();
  private readonly types = new Map<number, NativeType>();
  private readonly signatures = new Map<number, NativeSignature>();
  private readonly asts = new Map<string, FileAst | null>();
  private readonly metadata = new Map<string, { isDefaultLibrary: boolean; isFromExternalLibrary: boolean } | null>();
  private readonly typeOfSymbol = new Map<NativeSymbol, TType>();
  private readonly aliased = new Map<NativeSymbol, TSymbol>();
  private readonly immediateAliased = new Map<NativeSymbol, TSymbol | null>();
  private numberId: number | undefined;
  private own: OwnFile[] | undefined;
  /** Requests made for this project, for --stats. */
  readonly checker: R7Checker;

  constructor(
    readonly project: R7Project,
    private readonly trees: TreeSource,
    readonly stats: NativeStats,
    readonly pipe?: RequestPipe,
  ) {
    this.checker = countingChecker(project.checker, stats);
  }

  /**
   * The payload the API sends for a batched node question (getTypeAtLocations,
   * getSymbolsAtLocations) of this project: the same text, so that a request written ahead is
   * the one the API then makes.
   */
  locationsPayload(nodes: readonly R7Node[]): string | undefined {
    const raw = this.project.checker as unknown as { snapshotId?: number; project?: { id?: string } };
    if (typeof raw.snapshotId !== 'number' || typeof raw.project?.id !== 'string') return undefined;
    return JSON.stringify({
      snapshot: raw.snapshotId,
      project: raw.project.id,
      locations: nodes.map((n) => (n as unknown as { id: string }).id),
    });
  }

  /** The same for a question about one node (getResolvedSignature, getContextualType, ...). */
  locationPayload(node: R7Node): string | undefined {
    const raw = this.project.checker as unknown as { snapshotId?: number; project?: { id?: string } };
    if (typeof raw.snapshotId !== 'number' || typeof raw.project?.id !== 'string') return undefined;
    return JSON.stringify({
      snapshot: raw.snapshotId,
      project: raw.project.id,
      location: (node as unknown as { id: string }).id,
    });
  }

  symbol(remote: R7Symbol): NativeSymbol {
    let s = this.symbols.get(remote.id);
    if (!s) this.symbols.set(remote.id, (s = new NativeSymbol(this, remote)));
    return s;
  }

  type(remote: R7Type | undefined): TType {
    if (!remote) return ERROR_TYPE;
    let t = this.types.get(remote.id);
    if (!t) this.types.set(remote.id, (t = new NativeType(this, remote)));
    return t;
  }

  signature(remote: R7Signature): NativeSignature {
    let s = this.signatures.get(remote.id);
    if (!s) this.signatures.set(remote.id, (s = new NativeSignature(this, remote)));
    return s;
  }

  numberTypeId(): number {
    this.numberId ??= this.checker.getNumberType().id;
    return this.numberId;
  }

  /** The encoded TypeScript 7 tree of a file of the program. */
  ast(file: string): FileAst | undefined {
    let a = this.asts.get(file);
    if (a === undefined) {
      this.stats.requests++;
      const sf = this.project.program.getSourceFile(file);
      a = sf ? new FileAst(sf) : null;
      this.asts.set(file, a);
    }
    return a ?? undefined;
  }

  fileMetadata(file: string): { isDefaultLibrary: boolean; isFromExternalLibrary: boolean } | undefined {
    let m = this.metadata.get(file);
    if (m === undefined) {
      this.stats.requests++;
      m = this.project.program.getSourceFileMetadata(file) ?? null;
      this.metadata.set(file, m);
    }
    return m ?? undefined;
  }

  /** The TypeScript 7 node of one of our nodes, if TypeScript 7's tree has one of its span and kind. */
  remoteNode(node: ts.Node): R7Node | undefined {
    const sf = node.getSourceFile();
    const ast = this.ast(sf.fileName);
    const kind7 = kinds().to7[node.kind];
    if (!ast || kind7 < 0) return undefined;
    const index = node === sf ? 1 : ast.indexOf(node.pos, node.end, kind7);
    return index === undefined ? undefined : ast.node(index);
  }

  /** Our node for a declaration handle: in the tree the rules walk, or a parse of the text TypeScript 7 read. */
  declaration(handle: R7Handle): ts.Declaration | undefined {
    const ast = this.ast(handle.path);
    if (!ast || handle.index <= 1 || handle.index >= ast.count) return undefined;
    const kind6 = kinds().to6.get(ast.kindAt(handle.index));
    if (kind6 === undefined) return undefined;
    if (this.fileMetadata(handle.path)?.isDefaultLibrary) return this.libraryDeclaration(handle, ast, kind6);
    const tree = this.trees.tree(handle.path, ast.file.text);
    return findNode(tree, ast.posAt(handle.index), ast.endAt(handle.index), kind6) as ts.Declaration | undefined;
  }

  /** Trees of single top-level statements of the compiler's lib files, by file and statement index. */
  private readonly libraryStatements = new Map<string, ts.SourceFile>();

  /**
   * A declaration in one of the compiler's lib files (lib.dom.d.ts is 2.3 MB): a lib file is a
   * script of independent top-level declarations, so only the top-level statement holding the
   * declaration is parsed, as a file of its own (same name, so isDeclarationFile and the default
   * library question answer as for the whole file; its positions are relative to the statement).
   */
  private libraryDeclaration(handle: R7Handle, ast: FileAst, kind6: number): ts.Declaration | undefined {
    const top = ast.topLevelAncestor(handle.index);
    const base = ast.posAt(top);
    const key = `${handle.path}#${top}`;
    let tree = this.libraryStatements.get(key);
    if (!tree) {
      tree = ts.createSourceFile(
        handle.path,
        ast.file.text.slice(base, ast.endAt(top)),
        { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
        true,
        ts.ScriptKind.TS,
      );
      this.libraryStatements.set(key, tree);
    }
    return findNode(tree, ast.posAt(handle.index) - base, ast.endAt(handle.index) - base, kind6) as
      | ts.Declaration
      | undefined;
  }

  /** Whether two symbols are one, or the first a copy of the second (same declarations; TypeScript 7 has no getRootSymbols). */
  isSymbolOrCopyOf(symbol: NativeSymbol, target: NativeSymbol): boolean {
    if (symbol === target) return true;
    if (
      !(symbol instanceof NativeSymbol) ||
      !(target instanceof NativeSymbol) ||
      !(symbol.flags & ts.SymbolFlags.Transient)
    )
      return false;
    const key = (h: R7Handle) => `${h.index}.${h.path}`;
    const own = new Set(symbol.remote.declarations.map(key));
    return target.remote.declarations.length > 0 && target.remote.declarations.every((d) => own.has(key(d)));
  }

  getTypeOfSymbol(symbol: NativeSymbol): TType {
    if (!(symbol instanceof NativeSymbol)) return ERROR_TYPE;
    let t = this.typeOfSymbol.get(symbol);
    if (!t) this.typeOfSymbol.set(symbol, (t = this.type(this.checker.getTypeOfSymbol(symbol.remote))));
    return t;
  }

  getAliasedSymbol(symbol: NativeSymbol): TSymbol {
    if (!(symbol instanceof NativeSymbol)) return symbol;
    let s = this.aliased.get(symbol);
    if (!s) this.aliased.set(symbol, (s = this.symbol(this.checker.getAliasedSymbol(symbol.remote))));
    return s;
  }

  getImmediateAliasedSymbol(symbol: NativeSymbol): TSymbol | undefined {
    if (!(symbol instanceof NativeSymbol)) return undefined;
    let s = this.immediateAliased.get(symbol);
    if (s === undefined) {
      const r = this.checker.getImmediateAliasedSymbol(symbol.remote);
      s = r ? this.symbol(r) : null;
      this.immediateAliased.set(symbol, s);
    }
    return s ?? undefined;
  }

  getExportSymbolOfSymbol(symbol: NativeSymbol): TSymbol {
    if (!(symbol instanceof NativeSymbol)) return symbol;
    const r = symbol.remote.getExportSymbol();
    return r === symbol.remote ? symbol : this.symbol(r);
  }

  /**
   * The checker's getApparentType, asked only where it depends on more than the type's flags:
   * an object type (not mapped), a union, `any`, `void` and the like are their own apparent
   * type; every string-like type has the same one (the global String), and so on per primitive.
   */
  getApparentType(type: TType): TType {
    if (!(type instanceof NativeType)) return type;
    if (type.apparent) return type.apparent;
    const f = type.flags;
    const asked = (): TType => this.type(this.checker.getApparentType(type.remote) ?? type.remote);
    if (
      f & (ts.TypeFlags.Instantiable | ts.TypeFlags.Intersection | ts.TypeFlags.Unknown) ||
      (f & ts.TypeFlags.Object && (type.remote.objectFlags ?? 0) & ts.ObjectFlags.Mapped)
    ) {
      type.apparent = asked();
    } else {
      const kind =
        f & ts.TypeFlags.StringLike
          ? 'string'
          : f & ts.TypeFlags.NumberLike
            ? 'number'
            : f & ts.TypeFlags.BigIntLike
              ? 'bigint'
              : f & ts.TypeFlags.BooleanLike
                ? 'boolean'
                : f & ts.TypeFlags.ESSymbolLike
                  ? 'symbol'
                  : f & ts.TypeFlags.NonPrimitive
                    ? 'object'
                    : undefined;
      if (kind === undefined) type.apparent = type;
      else {
        let global = this.apparentOfPrimitive.get(kind);
        if (!global) this.apparentOfPrimitive.set(kind, (global = asked()));
        type.apparent = global;
      }
    }
    return type.apparent;
  }

  /** The apparent type of each kind of primitive (the global String, Number, ...). */
  private readonly apparentOfPrimitive = new Map<string, TType>();

  getBaseConstraintOfType(type: TType): TType | undefined {
    if (!(type instanceof NativeType)) return undefined;
    if (type.constraint === undefined) {
      const c = this.checker.getBaseConstraintOfType(type.remote);
      type.constraint = c ? this.type(c) : null;
    }
    return type.constraint ?? undefined;
  }

  getNonNullableType(type: TType): TType {
    if (!(type instanceof NativeType)) return type;
    type.nonNullable ??= this.type(this.checker.getNonNullableType(type.remote) ?? type.remote);
    return type.nonNullable;
  }

  /**
   * isArrayType and isTupleType depend only on a type reference's target (the global Array or
   * ReadonlyArray; a tuple target): asked once per target, and never for a type that is no
   * reference.
   */
  isArrayType(type: TType): boolean {
    if (!(type instanceof NativeType)) return false;
    type.isArray ??= this.byTarget(type, this.arrayTargets, (t) => this.checker.isArrayType(t));
    return type.isArray;
  }

  isTupleType(type: TType): boolean {
    if (!(type instanceof NativeType)) return false;
    type.isTuple ??= this.byTarget(type, this.tupleTargets, (t) => this.checker.isTupleType(t));
    return type.isTuple;
  }

  private readonly arrayTargets = new Map<number, boolean>();
  private readonly tupleTargets = new Map<number, boolean>();

  private byTarget(type: NativeType, known: Map<number, boolean>, ask: (t: R7Type) => boolean): boolean {
    const { remote } = type;
    if (!(remote.flags & ts.TypeFlags.Object) || !((remote.objectFlags ?? 0) & ts.ObjectFlags.Reference)) return false;
    if (remote.target === undefined) return ask(remote);
    let answer = known.get(remote.target);
    if (answer === undefined) known.set(remote.target, (answer = ask(remote)));
    return answer;
  }

  getTypeArguments(type: TType): readonly TType[] {
    if (!(type instanceof NativeType)) return [];
    type.typeArguments ??= this.checker.getTypeArguments(type.remote).map((t) => this.type(t));
    return type.typeArguments;
  }

  /** The program's own files: no declaration files, none from packages (metadata asked once per file). */
  ownFiles(textOf: (file: string) => string | undefined): readonly OwnFile[] {
    if (this.own) return this.own;
    this.stats.requests++;
    const out: OwnFile[] = [];
    for (const file of this.project.program.getSourceFileNames()) {
      if (isDeclarationFileName(file)) continue;
      if (this.fileMetadata(file)?.isFromExternalLibrary) continue;
      const trees = this.trees;
      let text: string | undefined;
      out.push({
        get text() {
          text ??= textOf(file) ?? '';
          return text;
        },
        sourceFile: () => trees.tree(file, text ?? textOf(file) ?? ''),
      });
    }
    this.own = out;
    return out;
  }
}

function isDeclarationFileName(file: string): boolean {
  return /\.d\.([cm]?ts|[^/.]+\.ts)$/.test(file);
}

/** Counts of what the backend asked, for --stats. */
export interface NativeStats {
  requests: number;
  /** Rounds of the rules run only to gather questions. */
  rounds: number;
  /** Nodes of ours TypeScript 7's tree had no node for. */
  unmatched: number;
  /** CPU time of the compiler's process (those already ended). */
  childCpuMs?: number;
  /** The first request that failed (a rule that asked it has reported a failure: its file is done again). */
  failure?: string;
}

/** The checker, counting its requests and noting the first that failed. */
function countingChecker(checker: R7Checker, stats: NativeStats): R7Checker {
  return new Proxy(checker, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        stats.requests++;
        try {
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (e) {
          stats.failure ??= `${String(key)}: ${(e as Error).message?.split('\n')[0]}`;
          throw e;
        }
      };
    },
  });
}

// ---- the questions of one file -------------------------------------------------------------------

type NodeQuestion = 'shorthand' | 'exportTarget' | 'signature' | 'contextual';

/**
 * The rules' questions about one file, answered by TypeScript 7. Node questions are gathered
 * while recording and answered in batches; see the file comment.
 */
export class NativeTypes implements Types {
  readonly kind = 'typescript7' as const;
  private readonly typeAt = new Map<ts.Node, TType>();
  private readonly symbolAt = new Map<ts.Node, TSymbol | null>();
  private readonly single = new Map<string, Map<ts.Node, unknown>>();
  private readonly names = new Map<ts.Node, Map<string, TSymbol | null>>();
  private recording = false;
  private pendingTypes = new Set<ts.Node>();
  private pendingSymbols = new Set<ts.Node>();
  private pendingSingles: { question: NodeQuestion; node: ts.Node }[] = [];
  private pendingNames: { name: string; node: ts.Node; meaning: ts.SymbolFlags; excludeGlobals: boolean }[] = [];

  constructor(
    private readonly project: ProjectState,
    private readonly textOf: (file: string) => string | undefined,
    /** Work to do while the compiler answers a batch (parsing the next file). */
    private readonly idle?: () => void,
  ) {}

  get programKey(): object {
    return this.project;
  }

  // ---- gathering --------------------------------------------------------------------------------

  /** The rule asking (see forRule), and the rules that asked something not known yet. */
  private asking: string | undefined;
  private waiting = new Set<string>();
  private readonly views = new Map<string, Types>();

  /**
   * From now on, unknown node answers are noted and a neutral answer given. Each round gives each
   * rule a new view (forRule), so what a rule keeps per `context.types` (a memo) never carries a
   * round's provisional answers into the next.
   */
  startRecording(): void {
    this.recording = true;
    this.waiting = new Set();
    this.views.clear();
  }

  stopRecording(): void {
    this.recording = false;
  }

  /** How many questions are waiting for answers. */
  pendingCount(): number {
    return this.pendingTypes.size + this.pendingSymbols.size + this.pendingSingles.length + this.pendingNames.length;
  }

  /** The rules that, since recording started, asked something whose answer is not known yet. */
  rulesWaiting(): ReadonlySet<string> {
    return this.waiting;
  }

  /** These questions, as asked by one rule (so that only the rules still waiting run again). */
  forRule(ruleId: string): Types {
    let view = this.views.get(ruleId);
    if (!view) {
      const self = this;
      view = new Proxy(this, {
        get(target, key) {
          const value = Reflect.get(target, key) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const outer = self.asking;
            self.asking = ruleId;
            try {
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            } finally {
              self.asking = outer;
            }
          };
        },
      });
      this.views.set(ruleId, view);
    }
    return view;
  }

  /** Notes that the asking rule waits for an answer. */
  private wait(): void {
    if (this.asking !== undefined) this.waiting.add(this.asking);
  }

  /** Asks for every noted question: types and symbols in one request per file each. */
  answerRecorded(): void {
    const types = [...this.pendingTypes];
    const symbols = [...this.pendingSymbols];
    const singles = this.pendingSingles;
    const names = this.pendingNames;
    this.pendingTypes = new Set();
    this.pendingSymbols = new Set();
    this.pendingSingles = [];
    this.pendingNames = [];
    const typeGroups = this.byFile(types, (n) => this.typeAt.set(n, ERROR_TYPE));
    const symbolGroups = this.byFile(symbols, (n) => this.symbolAt.set(n, null));
    // The batches go out together; this process parses the next file while the compiler answers.
    const pipe = this.project.pipe;
    if (pipe && this.idle) {
      let ahead = 0;
      for (const [groups, method] of [
        [typeGroups, 'getTypeAtLocations'],
        [symbolGroups, 'getSymbolsAtLocations'],
      ] as const) {
        for (const remote of groups.keys()) {
          const payload = this.project.locationsPayload(remote);
          if (payload !== undefined) {
            pipe.send(method, payload);
            ahead++;
          }
        }
      }
      const methods: Record<NodeQuestion, string> = {
        shorthand: 'getShorthandAssignmentValueSymbol',
        exportTarget: 'getExportSpecifierLocalTargetSymbol',
        signature: 'getResolvedSignature',
        contextual: 'getContextualType',
      };
      const seen = new Set<string>();
      for (const { question, node } of singles) {
        if (this.singleMap(question).has(node)) continue;
        const remote = this.project.remoteNode(node);
        const payload = remote && this.project.locationPayload(remote);
        if (payload === undefined || seen.has(question + payload)) continue;
        seen.add(question + payload);
        pipe.send(methods[question], payload);
        ahead++;
      }
      if (ahead > 0) this.idle();
    }
    this.fetchTypes(typeGroups);
    this.fetchSymbols(symbolGroups);
    for (const { question, node } of singles) this.answerSingle(question, node);
    for (const q of names) this.answerName(q.name, q.node, q.meaning, q.excludeGlobals);
  }

  private fetchTypes(groups: Map<R7Node[], ts.Node[]>): void {
    for (const [remote, ours] of groups) {
      const answers = this.project.checker.getTypeAtLocation(remote);
      for (const [i, n] of ours.entries()) this.typeAt.set(n, this.project.type(answers[i]));
    }
  }

  private fetchSymbols(groups: Map<R7Node[], ts.Node[]>): void {
    for (const [remote, ours] of groups) {
      const answers = this.project.checker.getSymbolAtLocation(remote);
      ours.forEach((n, i) => {
        const s = answers[i];
        this.symbolAt.set(n, s ? this.project.symbol(s) : null);
      });
    }
  }

  /** Nodes grouped by file, as TypeScript 7 nodes; `unmatched` gets those without one. */
  private byFile(nodes: readonly ts.Node[], unmatched: (n: ts.Node) => void): Map<R7Node[], ts.Node[]> {
    const groups = new Map<ts.SourceFile, { remote: R7Node[]; ours: ts.Node[] }>();
    for (const n of nodes) {
      const remote = this.project.remoteNode(n);
      if (!remote) {
        this.project.stats.unmatched++;
        unmatched(n);
        continue;
      }
      const sf = n.getSourceFile();
      let g = groups.get(sf);
      if (!g) groups.set(sf, (g = { remote: [], ours: [] }));
      g.remote.push(remote);
      g.ours.push(n);
    }
    return new Map([...groups.values()].map((g) => [g.remote, g.ours]));
  }

  private singleMap(question: NodeQuestion): Map<ts.Node, unknown> {
    let m = this.single.get(question);
    if (!m) this.single.set(question, (m = new Map()));
    return m;
  }

  private answerSingle(question: NodeQuestion, node: ts.Node): void {
    const map = this.singleMap(question);
    if (map.has(node)) return;
    const remote = this.project.remoteNode(node);
    if (!remote) {
      this.project.stats.unmatched++;
      map.set(node, undefined);
      return;
    }
    const c = this.project.checker;
    let answer: unknown;
    switch (question) {
      case 'shorthand': {
        const s = c.getShorthandAssignmentValueSymbol(remote);
        answer = s && this.project.symbol(s);
        break;
      }
      case 'exportTarget': {
        const s = c.getExportSpecifierLocalTargetSymbol(remote);
        answer = s && this.project.symbol(s);
        break;
      }
      case 'signature': {
        const s = c.getResolvedSignature(remote);
        answer = s && this.project.signature(s);
        break;
      }
      case 'contextual': {
        const t = c.getContextualType(remote);
        answer = t && this.project.type(t);
        break;
      }
    }
    map.set(node, answer);
  }

  private askSingle<T>(question: NodeQuestion, node: ts.Node, pending?: () => T): T | undefined {
    const map = this.singleMap(question);
    if (!map.has(node)) {
      if (this.recording) {
        this.pendingSingles.push({ question, node });
        this.wait();
        return pending?.();
      }
      this.answerSingle(question, node);
    }
    return map.get(node) as T | undefined;
  }

  private answerName(name: string, node: ts.Node, meaning: ts.SymbolFlags, excludeGlobals: boolean): void {
    let byName = this.names.get(node);
    if (!byName) this.names.set(node, (byName = new Map()));
    const key = `${meaning}:${excludeGlobals}:${name}`;
    if (byName.has(key)) return;
    const remote = this.project.remoteNode(node);
    // TypeScript 6's SymbolFlags.All is -1; TypeScript 7 takes the flags as an unsigned number.
    const s = remote && this.project.checker.resolveName(name, meaning >>> 0, remote, excludeGlobals);
    byName.set(key, s ? this.project.symbol(s) : null);
  }

  // ---- the checker's questions ------------------------------------------------------------------

  getTypeAtLocation(node: ts.Node): TType {
    const known = this.typeAt.get(node);
    if (known) return known;
    if (this.recording) {
      this.pendingTypes.add(node);
      this.wait();
      return ERROR_TYPE;
    }
    this.fetchTypes(this.byFile([node], (n) => this.typeAt.set(n, ERROR_TYPE)));
    return this.typeAt.get(node)!;
  }

  getSymbolAtLocation(node: ts.Node): TSymbol | undefined {
    const known = this.symbolAt.get(node);
    if (known !== undefined) return known ?? undefined;
    if (this.recording) {
      this.pendingSymbols.add(node);
      this.wait();
      return PENDING_SYMBOL;
    }
    this.fetchSymbols(this.byFile([node], (n) => this.symbolAt.set(n, null)));
    return this.symbolAt.get(node) ?? undefined;
  }

  getShorthandAssignmentValueSymbol(node: ts.ShorthandPropertyAssignment): TSymbol | undefined {
    return this.askSingle<TSymbol>('shorthand', node, () => PENDING_SYMBOL);
  }

  getExportSpecifierLocalTargetSymbol(node: ts.ExportSpecifier): TSymbol | undefined {
    return this.askSingle<TSymbol>('exportTarget', node, () => PENDING_SYMBOL);
  }

  getResolvedSignature(node: ts.CallLikeExpression): TSignature | undefined {
    return this.askSingle<TSignature>('signature', node);
  }

  getContextualType(node: ts.Expression): TType | undefined {
    return this.askSingle<TType>('contextual', node);
  }

  resolveName(name: string, location: ts.Node, meaning: ts.SymbolFlags, excludeGlobals: boolean): TSymbol | undefined {
    const key = `${meaning}:${excludeGlobals}:${name}`;
    const known = this.names.get(location)?.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.recording) {
      this.pendingNames.push({ name, node: location, meaning, excludeGlobals });
      this.wait();
      return PENDING_SYMBOL;
    }
    this.answerName(name, location, meaning, excludeGlobals);
    return this.names.get(location)!.get(key) ?? undefined;
  }

  getExportSymbolOfSymbol(symbol: TSymbol): TSymbol {
    return this.project.getExportSymbolOfSymbol(symbol as NativeSymbol);
  }

  getAliasedSymbol(symbol: TSymbol): TSymbol {
    return this.project.getAliasedSymbol(symbol as NativeSymbol);
  }

  getImmediateAliasedSymbol(symbol: TSymbol): TSymbol | undefined {
    return this.project.getImmediateAliasedSymbol(symbol as NativeSymbol);
  }

  getTypeOfSymbol(symbol: TSymbol): TType {
    return this.project.getTypeOfSymbol(symbol as NativeSymbol);
  }

  getApparentType(type: TType): TType {
    return this.project.getApparentType(type);
  }

  getBaseConstraintOfType(type: TType): TType | undefined {
    return this.project.getBaseConstraintOfType(type);
  }

  getNonNullableType(type: TType): TType {
    return this.project.getNonNullableType(type);
  }

  getPropertyOfType(type: TType, name: string): TSymbol | undefined {
    return type.getProperty(name);
  }

  isArrayType(type: TType): boolean {
    return this.project.isArrayType(type);
  }

  isTupleType(type: TType): boolean {
    return this.project.isTupleType(type);
  }

  getTypeArguments(type: TType): readonly TType[] {
    return this.project.getTypeArguments(type);
  }

  typeToString(type: TType, enclosingDeclaration?: ts.Node, flags?: ts.TypeFormatFlags): string {
    if (!(type instanceof NativeType)) return 'any';
    const at = enclosingDeclaration && this.project.remoteNode(enclosingDeclaration);
    return this.project.checker.typeToString(type.remote, at, flags);
  }

  isSourceFileDefaultLibrary(file: ts.SourceFile): boolean {
    return this.project.fileMetadata(file.fileName)?.isDefaultLibrary ?? false;
  }

  isSymbolOrCopyOf(symbol: TSymbol, target: TSymbol): boolean {
    return this.project.isSymbolOrCopyOf(symbol as NativeSymbol, target as NativeSymbol);
  }

  ownFiles(): readonly OwnFile[] {
    return this.project.ownFiles(this.textOf);
  }
}

// ---- requests written ahead of their answers ------------------------------------------------------

/** The API's synchronous channel, as far as RequestPipe uses it (internals: checked before use). */
interface R7Channel {
  requestBytesSync(method: string, payload: string | Uint8Array): Uint8Array;
  writeTuple(type: number, name: Uint8Array, payload: string | Uint8Array): void;
  readTuple(): void;
  getMethodBuf(method: string): Buffer;
  handleCall(name: string, payload: Uint8Array): void;
  _msgType: number;
  _msgName: Buffer;
  _msgPayload: Uint8Array;
}

const MSG_REQUEST = 1;
const MSG_RESPONSE = 4;
const MSG_ERROR = 5;
const MSG_CALL = 6;

interface InFlight {
  readonly method: string;
  readonly key: string;
  done: boolean;
  response?: Uint8Array;
  error?: Error;
}

/**
 * Lets this process work while the compiler answers: a request is written now (send) and its
 * answer read when the API makes the very same request later (same method, same payload), so the
 * API's own decoding is used. The compiler answers requests in order; any other request first
 * reads every answer in flight (kept for its request). Built on the sync channel's internals
 * (the pinned typescript@7.0.2): without them, nothing is sent ahead and every request waits.
 */
export class RequestPipe {
  private readonly inFlight: InFlight[] = [];
  /** Requests written ahead, and those whose answer the API then took (the rest were asked twice). */
  sent = 0;
  used = 0;

  private constructor(private readonly channel: R7Channel) {
    const original = channel.requestBytesSync.bind(channel);
    channel.requestBytesSync = (method, payload) => {
      const key = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
      const i = this.inFlight.findIndex((e) => e.method === method && e.key === key);
      if (i >= 0) {
        this.readThrough(i);
        const [entry] = this.inFlight.splice(i, 1);
        this.used++;
        if (entry.error) throw entry.error;
        return entry.response!;
      }
      this.readThrough(this.inFlight.length - 1);
      return original(method, payload);
    };
  }

  static install(api: R7Api): RequestPipe | undefined {
    const channel = (api as unknown as { client?: { channel?: Partial<R7Channel> } }).client?.channel;
    const needed = ['requestBytesSync', 'writeTuple', 'readTuple', 'getMethodBuf', 'handleCall'] as const;
    if (!channel || needed.some((m) => typeof channel[m] !== 'function')) return undefined;
    return new RequestPipe(channel as R7Channel);
  }

  send(method: string, payload: string): void {
    this.channel.writeTuple(MSG_REQUEST, this.channel.getMethodBuf(method), payload);
    this.inFlight.push({ method, key: payload, done: false });
    this.sent++;
  }

  /** Reads the answers of the requests in flight up to the i-th, in order. */
  private readThrough(i: number): void {
    for (let k = 0; k <= i; k++) {
      const entry = this.inFlight[k];
      if (!entry.done) this.read(entry);
    }
  }

  private read(entry: InFlight): void {
    const c = this.channel;
    for (;;) {
      c.readTuple();
      switch (c._msgType) {
        case MSG_RESPONSE:
          if (!c.getMethodBuf(entry.method).equals(c._msgName))
            throw new Error(
              `name mismatch for response: expected \`${entry.method}\`, got \`${c._msgName.toString('utf-8')}\``,
            );
          entry.response = Buffer.from(c._msgPayload);
          entry.done = true;
          return;
        case MSG_ERROR:
          entry.error = new Error(Buffer.from(c._msgPayload).toString('utf-8'));
          entry.done = true;
          return;
        case MSG_CALL:
          c.handleCall(c._msgName.toString('utf-8'), c._msgPayload);
          break;
        default:
          throw new Error(`invalid message type from the compiler: ${c._msgType}`);
      }
    }
  }
}

// ---- the engine's side: the API, its snapshots and projects ---------------------------------------

/** The native compiler in a child process: opens projects, keeps one snapshot and its project states. */
export class NativeCompiler {
  private readonly api: R7Api;
  private snapshot: R7Snapshot | undefined;
  private readonly open = new Set<string>();
  private readonly states = new Map<string, ProjectState>();
  private changed = new Set<string>();
  readonly stats: NativeStats = { requests: 0, rounds: 0, unmatched: 0 };
  /** Writes requests ahead of their answers, if the API's channel allows. */
  readonly pipe: RequestPipe | undefined;

  constructor(
    cwd: string,
    /**
     * Asked before TypeScript 7 reads a file: its text instead of the disk's (open documents, the
     * configs of inferred projects), null for "no such file", undefined to read the disk.
     */
    overlay: (file: string) => string | null | undefined,
    private readonly trees: TreeSource,
  ) {
    const { api } = loadTypeScript7();
    this.api = new api.API({ cwd, fs: { readFile: (f) => overlay(f) } });
    this.pipe = RequestPipe.install(this.api);
    // A development aid: a CPU profile of the compiler's process (pprof), written to this folder.
    const profileDir = process.env.ASYNC_LINT_TS7_CPU_PROFILE;
    if (profileDir)
      (this.api as unknown as { internal: { startCPUProfile(dir: string): void } }).internal.startCPUProfile(
        profileDir,
      );
  }

  /** Opens these tsconfig files (real or virtual) in one new snapshot, with any changed files. */
  openProjects(configs: readonly string[]): void {
    const fresh = configs.filter((c) => !this.open.has(c));
    if (fresh.length === 0 && this.changed.size === 0 && this.snapshot) return;
    for (const c of fresh) this.open.add(c);
    this.newSnapshot(fresh);
  }

  /** A file's text changed (an open document, a fix pass): the next question sees it. */
  fileChanged(file: string): void {
    this.changed.add(file);
  }

  project(config: string): ProjectState | undefined {
    if (!this.open.has(config) || this.changed.size > 0 || !this.snapshot) this.openProjects([config]);
    let state = this.states.get(config);
    if (!state) {
      const p = this.snapshot!.getProject(config);
      if (!p) return undefined;
      state = new ProjectState(p, this.trees, this.stats, this.pipe);
      this.states.set(config, state);
    }
    return state;
  }

  private newSnapshot(openProjects: string[]): void {
    const changed = [...this.changed];
    this.changed = new Set();
    this.stats.requests++;
    const next = this.api.updateSnapshot({ openProjects, ...(changed.length > 0 ? { fileChanges: { changed } } : {}) });
    this.snapshot?.dispose();
    this.snapshot = next;
    // Ids are per snapshot: everything known about types and symbols is asked again.
    this.states.clear();
  }

  /** CPU time the compiler's process has used so far (Linux: /proc), for --stats; undefined elsewhere. */
  cpuMs(): number | undefined {
    const pid = (this.api as unknown as { client?: { channel?: { child?: { pid?: number } } } }).client?.channel?.child
      ?.pid;
    if (pid === undefined) return undefined;
    try {
      // Fields 14 and 15 (utime, stime) after the command name, in clock ticks (100 per second on Linux).
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    if (process.env.ASYNC_LINT_TS7_CPU_PROFILE) {
      const file = (this.api as unknown as { internal: { stopCPUProfile(): string } }).internal.stopCPUProfile();
      process.stderr.write(`TypeScript 7 CPU profile: ${file}\n`);
    }
    const cpu = this.cpuMs();
    if (cpu !== undefined) this.stats.childCpuMs = (this.stats.childCpuMs ?? 0) + cpu;
    try {
      this.snapshot?.dispose();
    } finally {
      this.api.close();
    }
  }
}

/** Reads a file the way the CLI does for a text TypeScript 7 read from disk. */
export function readText(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    // Without a byte order mark, as TypeScript (either) and the CLI read files.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

export const _forTests = { findNode, lazyArray };
