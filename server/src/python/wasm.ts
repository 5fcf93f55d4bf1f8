// Faster calls into tree-sitter's WebAssembly module, where web-tree-sitter's JavaScript side is
// the cost rather than the parser: every Node or TreeCursor method copies its handle into a
// transfer buffer in wasm memory with the Emscripten `setValue` / `getValue` helpers (a switch on
// a type string, then a DataView), and reads the result back the same way.
//
// - `setValue` / `getValue` of the module are replaced, for `i32` (all but two of web-tree-sitter's
//   uses), by reads and writes of an Int32Array over the same memory. Same values, fewer steps.
// - `Walker` walks a tree by calling the module's cursor functions directly, keeping the cursor's
//   four words itself; a Node is made (by web-tree-sitter) only when asked.
//
// Both rely on web-tree-sitter internals (the object given to Parser.init() becomes the Emscripten
// module, with its exports and heap views). They are checked when the runtime loads; when anything
// is missing or the machine is big-endian, web-tree-sitter is used as it is (same results, slower).
import os from 'node:os';
import type { Language, Node, Tree, TreeCursor } from 'web-tree-sitter';

type Fn0 = (tree: number) => number;

/** The part of the Emscripten module the fast paths use. */
interface WasmModule {
  HEAP32: Int32Array;
  setValue(ptr: number, value: number, type?: string): void;
  getValue(ptr: number, type?: string): number;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm: Fn0;
  _ts_tree_cursor_goto_next_sibling_wasm: Fn0;
  _ts_tree_cursor_goto_parent_wasm: Fn0;
  _ts_tree_cursor_current_node_type_id_wasm: Fn0;
  _ts_tree_cursor_current_node_is_missing_wasm: Fn0;
  _ts_tree_cursor_current_field_id_wasm: Fn0;
  _ts_tree_cursor_start_index_wasm: Fn0;
  _ts_tree_cursor_end_index_wasm: Fn0;
}

const CURSOR_FUNCTIONS = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

/** Direct access to one loaded module (one runtime generation). */
export class WasmInternals {
  /** The heap as 32-bit words; replaced when the memory grows (the old view is then empty). */
  private heap: Int32Array;
  /** Word index of web-tree-sitter's transfer buffer. */
  readonly transfer: number;

  private constructor(readonly module: WasmModule) {
    this.heap = module.HEAP32;
    this.transfer = module._ts_init() >>> 2;
  }

  /**
   * The internals of the module web-tree-sitter made from `moduleOptions` (the object given to
   * Parser.init()), with its marshalling sped up; undefined (and nothing changed) if they are not
   * as expected.
   */
  static install(moduleOptions: object): WasmInternals | undefined {
    const m = moduleOptions as Partial<WasmModule>;
    if (os.endianness() !== 'LE' || !(m.HEAP32 instanceof Int32Array) || typeof m._ts_init !== 'function') return undefined;
    if (typeof m.setValue !== 'function' || typeof m.getValue !== 'function') return undefined;
    for (const f of CURSOR_FUNCTIONS) if (typeof m[f] !== 'function') return undefined;
    const internals = new WasmInternals(m as WasmModule);
    const setValue = m.setValue.bind(m);
    const getValue = m.getValue.bind(m);
    m.setValue = (ptr, value, type) => {
      if (type === 'i32') internals.words()[ptr >>> 2] = value;
      else setValue(ptr, value, type);
    };
    m.getValue = (ptr, type) => (type === 'i32' ? internals.words()[ptr >>> 2] : getValue(ptr, type));
    return internals;
  }

  /** The current heap view (growing the memory detaches the old one, which then has length 0). */
  words(): Int32Array {
    if (this.heap.length === 0) this.heap = this.module.HEAP32;
    return this.heap;
  }
}

/** What the walks need of a cursor: the node it is on, and moves. */
export interface Walker {
  /** The node's type, `ERROR` for an error node. */
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly isMissing: boolean;
  /** The field name of the node in its parent, if it has one. */
  readonly fieldName: string | undefined;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** The node itself (a web-tree-sitter Node: costs more than the other questions). */
  node(): Node;
  delete(): void;
}

/** The internals of each loaded runtime, by its Python language object (trees know theirs). */
const byLanguage = new WeakMap<Language, WasmInternals>();

/** Records the internals of the runtime that loaded `language`. */
export function registerInternals(language: Language, internals: WasmInternals): void {
  byLanguage.set(language, internals);
}

/** Whether the runtime that loaded `language` uses the fast paths (tests). */
export function hasFastPaths(language: Language): boolean {
  return byLanguage.has(language);
}

/** The size of that runtime's wasm memory in bytes, if known (tests). */
export function wasmMemoryBytes(language: Language): number | undefined {
  return byLanguage.get(language)?.words().byteLength;
}

/**
 * A walker over `root`'s subtree (it does not leave it): the fast one when its runtime's internals
 * are available (and `fast` is not false), else web-tree-sitter's own TreeCursor.
 */
export function walker(root: Node, fast = true): Walker {
  const cursor = root.walk();
  const internals = fast ? byLanguage.get(root.tree.language) : undefined;
  return internals ? new FastWalker(cursor, root.tree, internals) : new CursorWalker(cursor);
}

/** The four words of a cursor, as web-tree-sitter keeps them on its TreeCursor object. */
type CursorWords = TreeCursor & Record<0 | 1 | 2 | 3, number>;

/**
 * Calls the module's cursor functions directly. The cursor's four words live here and are copied
 * into the transfer buffer before each call (and back after each move): anything else, between
 * two calls, may use the buffer.
 */
class FastWalker implements Walker {
  private readonly cursor: CursorWords;
  private readonly treeAddress: number;
  private readonly types: readonly string[];
  private readonly fields: readonly (string | null)[];
  private readonly m: WasmModule;
  private w0: number;
  private w1: number;
  private w2: number;
  private w3: number;

  constructor(
    cursor: TreeCursor,
    tree: Tree,
    private readonly internals: WasmInternals,
  ) {
    this.cursor = cursor as CursorWords;
    this.treeAddress = (tree as unknown as Record<0, number>)[0];
    this.types = tree.language.types;
    this.fields = tree.language.fields;
    this.m = internals.module;
    this.w0 = this.cursor[0];
    this.w1 = this.cursor[1];
    this.w2 = this.cursor[2];
    this.w3 = this.cursor[3];
  }

  /** Copies the cursor into the transfer buffer. */
  private put(): void {
    const h = this.internals.words();
    const t = this.internals.transfer;
    h[t] = this.w0;
    h[t + 1] = this.w1;
    h[t + 2] = this.w2;
    h[t + 3] = this.w3;
  }

  /** Moves with `move`, then reads the moved cursor back. */
  private move(move: Fn0): boolean {
    this.put();
    const moved = move(this.treeAddress) === 1;
    const h = this.internals.words();
    const t = this.internals.transfer;
    this.w0 = h[t];
    this.w1 = h[t + 1];
    this.w2 = h[t + 2];
    this.w3 = h[t + 3];
    return moved;
  }

  get type(): string {
    this.put();
    return this.types[this.m._ts_tree_cursor_current_node_type_id_wasm(this.treeAddress)] || 'ERROR';
  }

  get startIndex(): number {
    this.put();
    return this.m._ts_tree_cursor_start_index_wasm(this.treeAddress);
  }

  get endIndex(): number {
    this.put();
    return this.m._ts_tree_cursor_end_index_wasm(this.treeAddress);
  }

  get isMissing(): boolean {
    this.put();
    return this.m._ts_tree_cursor_current_node_is_missing_wasm(this.treeAddress) === 1;
  }

  get fieldName(): string | undefined {
    this.put();
    return this.fields[this.m._ts_tree_cursor_current_field_id_wasm(this.treeAddress)] ?? undefined;
  }

  gotoFirstChild(): boolean {
    return this.move(this.m._ts_tree_cursor_goto_first_child_wasm);
  }

  gotoNextSibling(): boolean {
    return this.move(this.m._ts_tree_cursor_goto_next_sibling_wasm);
  }

  gotoParent(): boolean {
    return this.move(this.m._ts_tree_cursor_goto_parent_wasm);
  }

  /** Hands the words back to the TreeCursor object, which then answers as web-tree-sitter does. */
  private sync(): TreeCursor {
    const c = this.cursor;
    c[0] = this.w0;
    c[1] = this.w1;
    c[2] = this.w2;
    c[3] = this.w3;
    return c;
  }

  node(): Node {
    return this.sync().currentNode;
  }

  delete(): void {
    this.sync().delete();
  }
}

/** web-tree-sitter's TreeCursor as a Walker. */
class CursorWalker implements Walker {
  constructor(private readonly cursor: TreeCursor) {}

  get type(): string {
    return this.cursor.nodeType;
  }

  get startIndex(): number {
    return this.cursor.startIndex;
  }

  get endIndex(): number {
    return this.cursor.endIndex;
  }

  get isMissing(): boolean {
    return this.cursor.nodeIsMissing;
  }

  get fieldName(): string | undefined {
    return this.cursor.currentFieldName ?? undefined;
  }

  gotoFirstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }

  gotoNextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }

  gotoParent(): boolean {
    return this.cursor.gotoParent();
  }

  node(): Node {
    return this.cursor.currentNode;
  }

  delete(): void {
    this.cursor.delete();
  }
}
