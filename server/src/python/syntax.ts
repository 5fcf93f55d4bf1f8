// A Python syntax tree in plain JavaScript: tree-sitter's tree (which lives in WebAssembly memory)
// copied once per analysis into flat arrays, by one walk (wasm.ts, readTree). Everything after
// that, the walk that feeds the rules, scopes, module summaries and every rule's questions about
// nodes, reads these arrays: no call into WebAssembly, no marshalling, and a node object only for
// the nodes someone asks for. The WebAssembly tree can be deleted as soon as it is copied.
//
// SyntaxNode answers as web-tree-sitter's Node does, for the part of its API the rules use
// (test/python-syntax.test.ts compares them on every fixture). Nodes are numbered in the order
// a depth-first walk visits them (only visible nodes, as tree-sitter's cursors show them), so a
// node's subtree is the range [id, end) of numbers, and a walk of the tree is a loop over them.

/** The flat arrays of one tree; node `i` is the i-th node of a depth-first walk. */
export interface TreeArrays {
  /** Node count. */
  readonly count: number;
  /** Grammar symbol (type id) of each node. */
  readonly symbol: Uint16Array;
  /** UTF-16 offsets. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Field id in the parent (0: none). */
  readonly field: Uint16Array;
  /** Parent's number, -1 for the root. */
  readonly parent: Int32Array;
  /** One past the last node of the subtree. */
  readonly after: Int32Array;
  /** MISSING nodes (inserted by error recovery): 1. */
  readonly missing: Uint8Array;
}

/** Bytes per node of TreeArrays: four 32-bit arrays, two 16-bit ones and one of bytes. */
const BYTES_PER_NODE = 21;

/**
 * The arrays for `count` nodes, as views into one buffer (given, or made here): a tree copied in
 * a worker thread travels to the main thread as that one buffer, transferred rather than copied.
 */
export function treeArrays(count: number, buffer: ArrayBuffer = new ArrayBuffer(count * BYTES_PER_NODE)): TreeArrays {
  if (buffer.byteLength < count * BYTES_PER_NODE)
    throw new Error(`${buffer.byteLength} bytes do not hold ${count} nodes`);
  return {
    count,
    start: new Int32Array(buffer, 0, count),
    end: new Int32Array(buffer, 4 * count, count),
    parent: new Int32Array(buffer, 8 * count, count),
    after: new Int32Array(buffer, 12 * count, count),
    symbol: new Uint16Array(buffer, 16 * count, count),
    field: new Uint16Array(buffer, 18 * count, count),
    missing: new Uint8Array(buffer, 20 * count, count),
  };
}

/** What the tree needs to know of the grammar. */
export interface Grammar {
  /** Type name by symbol (`ERROR` where the table has none). */
  readonly types: readonly string[];
  /** Whether a symbol is a named node type. */
  readonly named: Uint8Array;
  /** Field id by name, and name by id. */
  readonly fieldIds: ReadonlyMap<string, number>;
  readonly fields: readonly (string | null)[];
}

/** Per grammar, per list of type names: which symbols have one of those names (see symbolMask). */
const masks = new WeakMap<Grammar, Map<string, Uint8Array>>();

/**
 * 1 for each symbol whose type name is one of `types` (a symbol with no name is `ERROR`), and a
 * last entry for the ERROR symbol past the table.
 */
export function symbolMask(grammar: Grammar, types: string | readonly string[]): Uint8Array {
  const key = typeof types === 'string' ? types : types.join('\0');
  let byKey = masks.get(grammar);
  if (!byKey) masks.set(grammar, (byKey = new Map()));
  let mask = byKey.get(key);
  if (!mask) {
    const wanted = typeof types === 'string' ? [types] : types;
    const names = grammar.types;
    mask = new Uint8Array(names.length + 1);
    for (let s = 0; s < names.length; s++) mask[s] = wanted.includes(names[s] || 'ERROR') ? 1 : 0;
    mask[names.length] = wanted.includes('ERROR') ? 1 : 0;
    byKey.set(key, mask);
  }
  return mask;
}

/** Whether symbol `s` is in a symbolMask (a symbol past the grammar's table is an ERROR node). */
export function inMask(mask: Uint8Array, s: number): boolean {
  return mask[Math.min(s, mask.length - 1)] === 1;
}

export class SyntaxTree {
  readonly rootNode: SyntaxNode;
  private readonly nodes: (SyntaxNode | undefined)[];
  private newlines: number[] | undefined;

  constructor(
    /** The text the tree was parsed from. */
    readonly text: string,
    readonly arrays: TreeArrays,
    readonly grammar: Grammar,
    /** Whether the tree has syntax errors (tree-sitter's rootNode.hasError). */
    readonly hasError: boolean,
  ) {
    this.nodes = new Array(arrays.count);
    this.rootNode = this.node(0)!;
  }

  /** The node numbered `i`, or null out of range. */
  node(i: number): SyntaxNode | null {
    if (i < 0 || i >= this.arrays.count) return null;
    return (this.nodes[i] ??= new SyntaxNode(this, i));
  }

  /** Type name of node `i`. */
  typeOf(i: number): string {
    return this.grammar.types[this.arrays.symbol[i]] || 'ERROR';
  }

  /** Row and column (UTF-16 units) of an offset, as tree-sitter counts them: rows end at \n. */
  pointAt(offset: number): { row: number; column: number } {
    if (!this.newlines) {
      const list: number[] = [];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) list.push(i);
      this.newlines = list;
    }
    const nl = this.newlines;
    // Newlines before offset.
    let lo = 0;
    let hi = nl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (nl[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return { row: lo, column: offset - (lo === 0 ? 0 : nl[lo - 1] + 1) };
  }
}

export class SyntaxNode {
  constructor(
    readonly tree: SyntaxTree,
    /** The node's number in its tree (unique there). */
    readonly id: number,
  ) {}

  get type(): string {
    return this.tree.typeOf(this.id);
  }

  get startIndex(): number {
    return this.tree.arrays.start[this.id];
  }

  get endIndex(): number {
    return this.tree.arrays.end[this.id];
  }

  get startPosition(): { row: number; column: number } {
    return this.tree.pointAt(this.startIndex);
  }

  get text(): string {
    const a = this.tree.arrays;
    return this.tree.text.slice(a.start[this.id], a.end[this.id]);
  }

  get isNamed(): boolean {
    return this.tree.grammar.named[this.tree.arrays.symbol[this.id]] === 1;
  }

  get isMissing(): boolean {
    return this.tree.arrays.missing[this.id] === 1;
  }

  get parent(): SyntaxNode | null {
    return this.tree.node(this.tree.arrays.parent[this.id]);
  }

  get childCount(): number {
    let n = 0;
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) n++;
    return n;
  }

  child(index: number): SyntaxNode | null {
    if (index < 0) return null;
    let n = 0;
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) if (n++ === index) return this.tree.node(c);
    return null;
  }

  get children(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) out.push(this.tree.node(c)!);
    return out;
  }

  get namedChildCount(): number {
    let n = 0;
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) if (this.isNamedId(c)) n++;
    return n;
  }

  namedChild(index: number): SyntaxNode | null {
    if (index < 0) return null;
    let n = 0;
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) {
      if (this.isNamedId(c) && n++ === index) return this.tree.node(c);
    }
    return null;
  }

  get namedChildren(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) if (this.isNamedId(c)) out.push(this.tree.node(c)!);
    return out;
  }

  /** The first child in field `name`, or null. */
  childForFieldName(name: string): SyntaxNode | null {
    const id = this.tree.grammar.fieldIds.get(name);
    if (id === undefined) return null;
    const field = this.tree.arrays.field;
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) if (field[c] === id) return this.tree.node(c);
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const id = this.tree.grammar.fieldIds.get(name);
    const out: SyntaxNode[] = [];
    if (id === undefined) return out;
    const field = this.tree.arrays.field;
    for (let c = this.firstChildId(); c >= 0; c = this.nextId(c)) if (field[c] === id) out.push(this.tree.node(c)!);
    return out;
  }

  /** The field name of the `index`-th named child, or null. */
  fieldNameForNamedChild(index: number): string | null {
    const child = this.namedChild(index);
    return child ? (this.tree.grammar.fields[this.tree.arrays.field[child.id]] ?? null) : null;
  }

  get previousNamedSibling(): SyntaxNode | null {
    const parent = this.tree.arrays.parent[this.id];
    if (parent < 0) return null;
    let previous = -1;
    for (let c = parent + 1; c >= 0 && c !== this.id; c = this.nextIdOf(c, parent)) if (this.isNamedId(c)) previous = c;
    return this.tree.node(previous);
  }

  /**
   * This node and its descendants whose type is one of `types`, in walk order (as web-tree-sitter
   * answers it: by type name, named and anonymous alike; a node ending at offset 0 is not entered).
   */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const mask = symbolMask(this.tree.grammar, types);
    const { symbol, after, end } = this.tree.arrays;
    const out: SyntaxNode[] = [];
    const stop = after[this.id];
    for (let i = this.id; i < stop; ) {
      if (end[i] === 0) {
        i = after[i];
        continue;
      }
      if (inMask(mask, symbol[i])) out.push(this.tree.node(i)!);
      i++;
    }
    return out;
  }

  private firstChildId(): number {
    const first = this.id + 1;
    return first < this.tree.arrays.after[this.id] ? first : -1;
  }

  private nextId(child: number): number {
    return this.nextIdOf(child, this.id);
  }

  private nextIdOf(child: number, parent: number): number {
    const after = this.tree.arrays.after;
    const next = after[child];
    return next < after[parent] ? next : -1;
  }

  private isNamedId(i: number): boolean {
    return this.tree.grammar.named[this.tree.arrays.symbol[i]] === 1;
  }
}
